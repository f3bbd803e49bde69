import { eachContainer } from './pss';
import { Rule, ruleName } from './rule';

/** PSS baseline "Privileged Containers". */
const rule: Rule = {
  id: 'PSS007',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Remove securityContext.privileged from the container.',
  pss: 'baseline',
  explanation: 'Pod Security Standards (baseline): privileged containers have nearly all access of the host and must be disallowed.',
  check: (objects) => eachContainer(objects, (c) => (c.container?.securityContext?.privileged === true
    ? [['securityContext.privileged', 'privileged is true; remove it (a privileged container has nearly all access of the host).']] : [])),
};
export default rule;
