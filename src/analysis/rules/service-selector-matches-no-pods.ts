import { ManifestIndex } from './manifest-index';
import { podCreators, selectorMatches, TemplateIndex } from './pod-spec';
import { namespaceOf, Rule, ruleName, RuleFinding } from './rule';

/**
 * A Service whose selector matches no pod template of the input has no endpoints. When the
 * namespace holds custom resources whose controllers create pods (a `Prometheus`, an
 * `Elasticsearch`, ...), those pods may be the ones selected: the finding is then a warning.
 * A selector that is not a map is left to schema-invalid (NET006).
 */
const rule: Rule = {
  id: 'NET010',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Make spec.selector match the labels of a pod template of the app (in the Service\'s namespace), or create that workload.',
  explanation: 'A Service with a selector that matches no pods has no endpoints: every connection to it fails (a warning when a custom resource of the namespace, such as a Prometheus, has a controller that creates pods).',
  check: (objects) => {
    const out: RuleFinding[] = [];
    const index = TemplateIndex.of(objects);
    let creators: ReadonlyMap<string, string> | undefined;
    for (const o of ManifestIndex.of(objects).ofKind('Service')) {
      const svc = o.object;
      const selector = svc?.spec?.selector;
      if (svc?.kind !== 'Service' || svc.spec?.type === 'ExternalName' || !selector || typeof selector !== 'object' || Array.isArray(selector)
        || Object.keys(selector).length === 0) {
        continue;
      }
      const ns = namespaceOf(svc);
      if (!index.candidates(ns, Object.entries(selector).map(([k, v]) => [k, String(v)] as const)).some((t) => selectorMatches(selector, t.labels))) {
        const text = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
        creators ??= podCreators(objects);
        const shown = creators.get(ns);
        if (shown) {
          out.push({
            object: o,
            field: 'spec.selector',
            level: 'warning',
            message: `spec.selector ${text} matches no pod template in namespace ${ns}; the pods may be created by the controller of ${shown}. `
              + 'Check that the selector matches the labels that controller puts on its pods.',
          });
        } else {
          out.push({ object: o, field: 'spec.selector', message: `spec.selector ${text} matches no pod template in namespace ${ns}; fix the selector or the pod labels.` });
        }
      }
    }
    return out;
  },
};
export default rule;
