import { podTemplates } from './pod-spec';
import { policySelections, selects } from './policies';
import { Rule, ruleName } from './rule';

/** A workload whose pods no NetworkPolicy selects accepts every connection and can open any. */
const rule: Rule = {
  id: 'NET012',
  name: ruleName(__filename),
  level: 'warning',
  explanation: 'Pods that no NetworkPolicy selects are not isolated: anything in the cluster can reach them, and they can reach anything.',
  check: (objects) => {
    const policies = policySelections(objects);
    return podTemplates(objects)
      .filter((t) => !policies.some((p) => selects(p, t)))
      .map((t) => ({
        object: t.owner,
        message: 'no NetworkPolicy selects its pods, so they accept every connection and can open any; '
          + 'add a policy that selects them (a default-deny policy for the namespace, such as DenyAllNamespace writes).',
      }));
  },
};
export default rule;
