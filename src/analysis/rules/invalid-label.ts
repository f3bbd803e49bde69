import { podTemplateOf } from './pod-spec';
import { Rule, ruleName, RuleFinding } from './rule';
import { labelProblem } from '../../core/names';

/**
 * Label keys and values (of the object, of its pod template, and of a Service's `spec.selector`,
 * which the API server validates as labels: ValidateService, ValidateLabels(service.Spec.Selector))
 * must be valid.
 */
const rule: Rule = {
  id: 'NET003',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Use label keys and values of the valid form (values of at most 63 letters, digits, -, _ or ., starting and ending with a letter or digit; quote numbers and booleans).',
  explanation: 'The API server rejects invalid label keys and values; selectors can never match them.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    for (const o of objects) {
      const places: Array<[string, any]> = [['metadata.labels', o.object?.metadata?.labels]];
      const template = podTemplateOf(o);
      if (template && template.specPath !== 'spec') {
        places.push([`${template.specPath.replace(/\.spec$/, '')}.metadata.labels`, template.labels]);
      }
      const selector = o.object?.kind === 'Service' ? o.object?.spec?.selector : undefined;
      if (selector && typeof selector === 'object' && !Array.isArray(selector)) {
        places.push(['spec.selector', selector]);
      }
      for (const [field, labels] of places) {
        // Not a map: schema-invalid (NET006) reports it.
        if (labels === undefined || labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
          continue;
        }
        for (const [k, v] of Object.entries(labels)) {
          const problem = labelProblem(k, typeof v === 'string' ? v : String(v));
          if (problem || typeof v !== 'string') {
            out.push({ object: o, field, message: `label ${k}=${String(v)} is invalid; ${problem ?? 'label values must be strings (quote numbers and booleans)'}.` });
          }
        }
      }
    }
    return out;
  },
};
export default rule;
