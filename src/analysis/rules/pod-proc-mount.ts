import { eachContainer } from './pss';
import { Rule, ruleName } from './rule';

/** PSS baseline "/proc Mount Type": the default masked /proc only. */
const rule: Rule = {
  id: 'PSS013',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Remove securityContext.procMount (or set it to Default).',
  pss: 'baseline',
  explanation: 'Pod Security Standards (baseline): procMount must be Default; Unmasked exposes the host\'s /proc paths that the runtime normally masks.',
  check: (objects) => eachContainer(objects, (c) => {
    const mount = c.container?.securityContext?.procMount;
    return mount === undefined || mount === null || mount === 'Default' ? []
      : [['securityContext.procMount', `procMount is ${mount}; remove it (or set Default).`]];
  }),
};
export default rule;
