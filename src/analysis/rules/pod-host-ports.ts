import { eachContainer } from './pss';
import { asArray, FieldFinding, Rule, ruleName } from './rule';

/** PSS baseline "HostPorts": containers must not bind host ports. */
const rule: Rule = {
  id: 'PSS006',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Remove hostPort from the container ports and expose the pod through a Service.',
  pss: 'baseline',
  explanation: 'Pod Security Standards (baseline): host ports should be disallowed; they expose the pod on the node\'s address, outside NetworkPolicy.',
  check: (objects) => eachContainer(objects, (c) => asArray(c.container?.ports)
    .map((p, i): [number, any] => [i, p])
    .filter(([, p]) => p?.hostPort !== undefined && p?.hostPort !== null && p?.hostPort !== 0)
    .map(([i, p]): FieldFinding => [`ports[${i}].hostPort`, `ports[${i}].hostPort is ${p.hostPort}; remove it and expose the pod through a Service.`])),
};
export default rule;
