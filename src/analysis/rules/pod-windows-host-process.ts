import { eachPod, securityContexts } from './pss';
import { FieldFinding, Rule, ruleName } from './rule';

/** PSS baseline "HostProcess": no Windows HostProcess containers. */
const rule: Rule = {
  id: 'PSS014',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Remove securityContext.windowsOptions.hostProcess.',
  pss: 'baseline',
  explanation: 'Pod Security Standards (baseline): Windows HostProcess containers run on the host with its privileges and must be disallowed.',
  check: (objects) => eachPod(objects, (t) => securityContexts(t)
    .filter(({ context }) => context.windowsOptions?.hostProcess === true)
    .map(({ path, who }): FieldFinding => [`${path}.windowsOptions.hostProcess`, `${who}: windowsOptions.hostProcess is true; remove it (a HostProcess container has the access of the Windows node).`])),
};
export default rule;
