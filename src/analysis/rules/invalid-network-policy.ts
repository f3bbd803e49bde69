import { networkPolicyProblems } from '../network-policy';
import { isKubernetesNetworkPolicy } from '../unmodelled-policies';
import { Rule, ruleName, RuleFinding } from './rule';

/**
 * A NetworkPolicy the analyzer cannot read: invalid CIDRs, protocols, ports (named ports that are
 * not IANA service names), selectors (matchExpressions the API server refuses) or peers. Every
 * problem of a policy is reported, not only the first.
 */
const rule: Rule = {
  id: 'NET005',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Correct the NetworkPolicy field the message names.',
  explanation: 'The API server rejects such a policy (or, for some fields, applies it differently than intended).',
  check: (objects) => {
    const out: RuleFinding[] = [];
    for (const o of objects) {
      if (o.object?.kind !== 'NetworkPolicy' || !isKubernetesNetworkPolicy(o.object)) {
        continue;
      }
      for (const message of networkPolicyProblems(o.object)) {
        out.push({ object: o, message });
      }
    }
    return out;
  },
};
export default rule;
