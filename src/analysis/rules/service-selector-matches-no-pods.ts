import { selectorMatches, TemplateIndex } from './pod-spec';
import { namespaceOf, Rule, ruleName, RuleFinding } from './rule';

/** A Service whose selector matches no pod template of the input has no endpoints. */
const rule: Rule = {
  id: 'NET010',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Make spec.selector match the labels of a pod template of the app (in the Service\'s namespace), or create that workload.',
  explanation: 'A Service with a selector that matches no pods has no endpoints: every connection to it fails.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    const index = TemplateIndex.of(objects);
    for (const o of objects) {
      const svc = o.object;
      const selector = svc?.spec?.selector;
      if (svc?.kind !== 'Service' || svc.spec?.type === 'ExternalName' || !selector || Object.keys(selector).length === 0) {
        continue;
      }
      const ns = namespaceOf(svc);
      if (!index.candidates(ns, Object.entries(selector).map(([k, v]) => [k, String(v)] as const)).some((t) => selectorMatches(selector, t.labels))) {
        const text = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
        out.push({ object: o, field: 'spec.selector', message: `spec.selector ${text} matches no pod template in namespace ${ns}; fix the selector or the pod labels.` });
      }
    }
    return out;
  },
};
export default rule;
