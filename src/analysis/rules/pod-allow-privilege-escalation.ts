import { eachContainer } from './pss';
import { Rule, ruleName } from './rule';

/** PSS restricted "Privilege Escalation": allowPrivilegeEscalation must be false. */
const rule: Rule = {
  id: 'PSS002',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
  pss: 'restricted',
  explanation: 'Pod Security Standards (restricted): privilege escalation (e.g. via set-user-ID binaries) must be disallowed.',
  check: (objects) => eachContainer(objects, (c) => (c.container?.securityContext?.allowPrivilegeEscalation === false ? []
    : [['securityContext.allowPrivilegeEscalation', `allowPrivilegeEscalation is ${c.container?.securityContext?.allowPrivilegeEscalation === true ? 'true' : 'not set'}; set it to false.`]])),
};
export default rule;
