import { GATEWAY_ROUTE_KINDS, isRoute } from './gateway-model';
import { ManifestIndex } from './manifest-index';
import { asArray, namespaceOf, Rule, ruleName, RuleFinding, SourcedObject } from './rule';

/**
 * Every Ingress backend (`spec.defaultBackend`, `spec.rules[].http.paths[].backend`) and every
 * Gateway API route `backendRef` must name a Service of the input and one of its ports
 * (kube-linter's dangling-ingress, extended to routes and ports).
 */
const rule: Rule = {
  id: 'NET015',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Point the backend at an existing Service of the Ingress/route namespace and at one of that Service\'s ports.',
  explanation: 'A backend that names a missing Service or port gets no endpoints: the controller answers 503 for every request routed to it.',
  check: (objects) => {
    const index = ManifestIndex.of(objects);
    const services = index.servicesByName;
    const out: RuleFinding[] = [];
    const check = (o: SourcedObject, field: string, ns: string, name: unknown, port: { name?: unknown; number?: unknown } | undefined) => {
      if (typeof name !== 'string') return;
      const svc = services.get(`${ns}/${name}`);
      if (!svc) {
        // A backend in a namespace the input does not contain at all may be another team's.
        if (!index.hasNamespace(ns)) return;
        out.push({ object: o, field, message: `${field} names Service ${ns}/${name}, which is not in the manifests; create it or fix the name.` });
        return;
      }
      const ports = asArray(svc.spec?.ports);
      if (svc.spec?.type === 'ExternalName' && ports.length === 0) return;
      if (port?.name !== undefined && !ports.some((p) => p?.name === port.name)) {
        const known = ports.map((p) => p?.name).filter((n) => typeof n === 'string');
        out.push({ object: o, field, message: `${field} names port "${String(port.name)}" of Service ${ns}/${name}, which has no port of that name (its named ports: ${known.length ? known.join(', ') : 'none'}); use one of them.` });
      } else if (port?.number !== undefined && !ports.some((p) => p?.port === port.number)) {
        const known = ports.map((p) => p?.port);
        out.push({ object: o, field, message: `${field} names port ${String(port.number)} of Service ${ns}/${name}, which does not expose it (its ports: ${known.length ? known.join(', ') : 'none'}); use the Service port, not the container port.` });
      }
    };
    for (const o of index.ofKinds(['Ingress', ...GATEWAY_ROUTE_KINDS])) {
      const obj = o.object;
      const ns = namespaceOf(obj);
      if (obj?.kind === 'Ingress') {
        const d = obj.spec?.defaultBackend?.service;
        if (d) check(o, 'spec.defaultBackend.service', ns, d.name, d.port);
        asArray(obj.spec?.rules).forEach((r, i) => asArray(r?.http?.paths).forEach((p, j) => {
          const s = p?.backend?.service;
          const field = `spec.rules[${i}].http.paths[${j}].backend.service`;
          // AWS Load Balancer Controller: port "use-annotation" names the action alb.ingress.kubernetes.io/actions.<name>, whose
          // forward target groups name the Services (docs/guide/ingress/annotations.md @ v3.5.0, actions).
          const action = s?.port?.name === 'use-annotation' ? obj.metadata?.annotations?.[`alb.ingress.kubernetes.io/actions.${s.name}`] : undefined;
          if (action !== undefined) {
            for (const tg of albTargetGroups(action)) {
              check(o, `${field} (actions.${s.name})`, ns, tg.serviceName, typeof tg.servicePort === 'number' ? { number: tg.servicePort } : { name: tg.servicePort });
            }
          } else if (s) {
            check(o, field, ns, s.name, s.port);
          }
        }));
      } else if (isRoute(obj)) {
        asArray(obj.spec?.rules).forEach((r, i) => asArray(r?.backendRefs).forEach((b, j) => {
          if ((b?.kind ?? 'Service') !== 'Service' || (b?.group ?? '') !== '') return;
          check(o, `spec.rules[${i}].backendRefs[${j}]`, typeof b?.namespace === 'string' ? b.namespace : ns, b?.name,
            b?.port === undefined ? undefined : { number: b.port });
        }));
      }
    }
    return out;
  },
};
export default rule;

/** The Service target groups of an ALB action annotation (`forwardConfig.targetGroups[]` with `serviceName`), or none. */
function albTargetGroups(json: unknown): Array<{ serviceName: string; servicePort?: string | number }> {
  try {
    const action = JSON.parse(String(json));
    return asArray(action?.forwardConfig?.targetGroups).filter((tg) => typeof tg?.serviceName === 'string');
  } catch {
    return [];
  }
}
