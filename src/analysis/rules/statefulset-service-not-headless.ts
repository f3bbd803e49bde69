import { ManifestIndex } from './manifest-index';
import { namespaceOf, Rule, ruleName, RuleFinding } from './rule';

/**
 * A StatefulSet's `spec.serviceName` must name a headless Service (`clusterIP: None`) of its
 * namespace: that Service is what publishes the per-pod DNS records
 * (`<pod>.<serviceName>.<ns>.svc`), so without it the stable network identities do not resolve.
 * A Service that is absent from the manifests is a warning in `cdk8s-net check` (the API server
 * accepts the StatefulSet and its pods run; the Service may be applied from elsewhere, and apps
 * such as Argo CD's application controller do not use per-pod names); a Service that is there but
 * not headless is an error. Synth validation fails on both.
 */
const rule: Rule = {
  id: 'NET018',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Create a Service with clusterIP: None named like spec.serviceName in the StatefulSet\'s namespace.',
  explanation: 'Per-pod DNS names of a StatefulSet exist only when spec.serviceName names a headless Service in its namespace.',
  check: (objects) => {
    const index = ManifestIndex.of(objects);
    const services = index.servicesByName;
    const out: RuleFinding[] = [];
    for (const o of index.ofKind('StatefulSet')) {
      const obj = o.object;
      const name = obj?.spec?.serviceName;
      if (obj?.kind !== 'StatefulSet' || typeof name !== 'string' || name === '') continue;
      const ns = namespaceOf(obj);
      const svc = services.get(`${ns}/${name}`);
      if (!svc) {
        out.push({
          object: o,
          field: 'spec.serviceName',
          level: 'warning',
          message: `spec.serviceName "${name}" names no Service in namespace ${ns}, so the per-pod DNS names do not resolve; create a headless Service (clusterIP: None) of that name.`,
        });
      } else if (svc.spec?.clusterIP !== 'None') {
        out.push({ object: o, field: 'spec.serviceName', message: `spec.serviceName "${name}" names a Service that is not headless (clusterIP: ${svc.spec?.clusterIP ?? 'allocated'}); set clusterIP: None on it, or name a headless Service.` });
      }
    }
    return out;
  },
};
export default rule;
