import { compile } from '../compile';
import { Rule, ruleName, RuleFinding } from './rule';

/** A NetworkPolicy the analyzer cannot read: invalid CIDRs, protocols, ports, selectors or peers. */
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
      if (o.object?.kind !== 'NetworkPolicy') {
        continue;
      }
      try {
        compile([o.object]);
      } catch (e) {
        out.push({ object: o, message: (e as Error).message.replace(/^NetworkAnalysis: /, '') });
      }
    }
    return out;
  },
};
export default rule;
