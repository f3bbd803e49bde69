import { eachContainer } from './pss';
import { asArray, FieldFinding, Rule, ruleName } from './rule';

/** PSS restricted "Capabilities": drop ALL, add at most NET_BIND_SERVICE. */
const rule: Rule = {
  id: 'PSS003',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Set securityContext.capabilities.drop: [ALL] on every container; add back NET_BIND_SERVICE at most.',
  pss: 'restricted',
  explanation: 'Pod Security Standards (restricted): containers must drop ALL capabilities and may only add back NET_BIND_SERVICE.',
  check: (objects) => eachContainer(objects, (c) => {
    const out: FieldFinding[] = [];
    const caps = c.container?.securityContext?.capabilities ?? {};
    if (!asArray(caps.drop).includes('ALL')) {
      out.push(['securityContext.capabilities.drop', 'capabilities.drop does not include ALL; drop ALL capabilities.']);
    }
    const extra = asArray(caps.add).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (extra.length > 0) {
      out.push(['securityContext.capabilities.add', `capabilities.add includes ${extra.join(', ')}; only NET_BIND_SERVICE may be added.`]);
    }
    return out;
  }),
};
export default rule;
