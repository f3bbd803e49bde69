import { eachPod } from './pss';
import { FieldFinding, Rule, ruleName } from './rule';

/** PSS baseline "Host Namespaces": hostNetwork, hostPID and hostIPC must not be true. */
const rule: Rule = {
  id: 'PSS005',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Remove hostNetwork, hostPID and hostIPC from the pod spec.',
  pss: 'baseline',
  explanation: 'Pod Security Standards (baseline): sharing the host\'s network, PID or IPC namespace must be disallowed; '
    + 'host-network pods also bypass NetworkPolicy in most network plugins.',
  check: (objects) => eachPod(objects, (t) => ['hostNetwork', 'hostPID', 'hostIPC']
    .filter((field) => t.spec?.[field] === true)
    .map((field): FieldFinding => [field, `${field} is true; remove it (the pod shares the node's ${field.slice(4)} namespace).`])),
};
export default rule;
