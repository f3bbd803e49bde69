import { PodTemplate, TemplateIndex } from './pod-spec';
import { policySelections, selects } from './policies';
import { Rule, ruleName } from './rule';

/** A workload whose pods no NetworkPolicy selects accepts every connection and can open any. */
const rule: Rule = {
  id: 'NET012',
  name: ruleName(__filename),
  level: 'warning',
  synth: false,
  fix: 'Select the pods with a NetworkPolicy (SecureService and HeadlessStatefulEndpoint write one), or put them in a DenyAllNamespace.',
  explanation: 'Pods that no NetworkPolicy selects are not isolated: anything in the cluster can reach them, and they can reach anything.',
  check: (objects) => {
    // Mark what each policy selects (through the label index), instead of testing every policy on every pod.
    const index = TemplateIndex.of(objects);
    const covered = new Set<PodTemplate>();
    for (const p of policySelections(objects)) {
      for (const t of index.candidates(p.namespace, p.selector.matchLabels)) {
        if (!covered.has(t) && selects(p, t, index)) covered.add(t);
      }
    }
    return index.templates
      .filter((t) => !covered.has(t))
      .map((t) => ({
        object: t.owner,
        message: 'no NetworkPolicy selects its pods, so they accept every connection and can open any; '
          + 'add a policy that selects them (a default-deny policy for the namespace, such as DenyAllNamespace writes).',
      }));
  },
};
export default rule;
