import { GATEWAY_ROUTE_KINDS, granted, gatewayInput, isGatewayApi, isRoute } from './gateway-model';
import { ManifestIndex } from './manifest-index';
import { asArray, namespaceOf, Rule, ruleName, RuleFinding } from './rule';

/**
 * A route's backendRef to a Service in another namespace, and a Gateway's certificateRef to a
 * Secret in another namespace, need a ReferenceGrant in that namespace (Gateway API v1
 * ReferenceGrant). A namespace the input does not contain is not checked: its grants live elsewhere.
 */
const rule: Rule = {
  id: 'NET024',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Add a ReferenceGrant in the referenced namespace (GatewayRoute writes one for its backends).',
  explanation: 'A reference to another namespace without a ReferenceGrant there is refused (ResolvedRefs: False, RefNotPermitted): the backend gets no traffic, or the listener no certificate.',
  check: (objects) => {
    const input = gatewayInput(objects);
    const index = ManifestIndex.of(objects);
    const out: RuleFinding[] = [];
    for (const o of index.ofKinds([...GATEWAY_ROUTE_KINDS, 'Gateway'])) {
      const obj = o.object;
      const ns = namespaceOf(obj);
      if (isRoute(obj)) {
        asArray(obj.spec?.rules).forEach((r, i) => asArray(r?.backendRefs).forEach((b, j) => {
          if ((b?.kind ?? 'Service') !== 'Service' || (b?.group ?? '') !== '' || typeof b?.namespace !== 'string' || b.namespace === ns) return;
          if (!index.hasNamespace(b.namespace)) return;
          if (!granted(input, 'gateway.networking.k8s.io', obj.kind, ns, b.namespace, '', 'Service', b.name)) {
            out.push({ object: o, field: `spec.rules[${i}].backendRefs[${j}]`, message: `spec.rules[${i}].backendRefs[${j}] names Service ${b.namespace}/${b.name}, but no ReferenceGrant in ${b.namespace} lets ${obj.kind}s of ${ns} refer to it; add one there (from ${obj.kind} in ${ns}, to Service ${b.name}).` });
          }
        }));
      } else if (isGatewayApi(obj) && obj.kind === 'Gateway') {
        asArray(obj.spec?.listeners).forEach((l, i) => asArray(l?.tls?.certificateRefs).forEach((c, j) => {
          if ((c?.kind ?? 'Secret') !== 'Secret' || typeof c?.namespace !== 'string' || c.namespace === ns || !index.hasNamespace(c.namespace)) return;
          if (!granted(input, 'gateway.networking.k8s.io', 'Gateway', ns, c.namespace, '', 'Secret', c.name)) {
            out.push({ object: o, field: `spec.listeners[${i}].tls.certificateRefs[${j}]`, message: `spec.listeners[${i}].tls.certificateRefs[${j}] names Secret ${c.namespace}/${c.name}, but no ReferenceGrant in ${c.namespace} lets Gateways of ${ns} refer to it; add one there.` });
          }
        }));
      }
    }
    return out;
  },
};
export default rule;
