import { podCreators, TemplateIndex } from './pod-spec';
import { policySelections, selects } from './policies';
import { Rule, ruleName } from './rule';

/** A NetworkPolicy with a non-empty podSelector that selects no pod template of the input protects nothing. */
const rule: Rule = {
  id: 'NET013',
  name: ruleName(__filename),
  level: 'warning',
  synth: true,
  fix: 'Fix spec.podSelector or the policy namespace so the policy selects the pods it was written for, or remove it.',
  explanation: 'A policy that selects no pods has no effect; usually its podSelector or namespace is wrong.',
  check: (objects) => {
    const index = TemplateIndex.of(objects);
    const creators = podCreators(objects);
    return policySelections(objects)
      // An empty podSelector (a namespace-wide default) is meant for pods yet to come.
      .filter((p) => p.selector.matchLabels.length + p.selector.matchExpressions.length > 0)
      .filter((p) => !index.candidates(p.namespace, p.selector.matchLabels).some((t) => selects(p, t, index)))
      .map((p) => ({
        object: p.policy,
        field: 'spec.podSelector',
        message: creators.has(p.namespace)
          ? `spec.podSelector selects no pod template in namespace ${p.namespace}; the pods may be created by the controller of ${creators.get(p.namespace)}. `
            + 'Check that the selector matches the labels that controller puts on its pods.'
          : `spec.podSelector selects no pod template in namespace ${p.namespace}; fix the selector or the namespace.`,
      }));
  },
};
export default rule;
