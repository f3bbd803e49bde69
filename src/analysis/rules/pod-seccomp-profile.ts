import { containersOf } from './pod-spec';
import { eachPod } from './pss';
import { FieldFinding, Rule, ruleName } from './rule';

const ALLOWED = ['RuntimeDefault', 'Localhost'];

/** PSS restricted "Seccomp": RuntimeDefault or Localhost, on the pod or on every container; never Unconfined. */
const rule: Rule = {
  id: 'PSS004',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Set securityContext.seccompProfile.type: RuntimeDefault (or Localhost) on the pod or on every container.',
  pss: 'restricted',
  explanation: 'Pod Security Standards (restricted): a seccomp profile (RuntimeDefault or Localhost) must be set, and Unconfined is not allowed.',
  check: (objects) => eachPod(objects, (t) => {
    const out: FieldFinding[] = [];
    const podType = t.spec?.securityContext?.seccompProfile?.type;
    if (podType !== undefined && !ALLOWED.includes(podType)) {
      out.push(['securityContext.seccompProfile.type', `securityContext.seccompProfile.type is ${podType}; use RuntimeDefault or Localhost.`]);
    }
    for (const c of containersOf(t.spec)) {
      const type = c.container?.securityContext?.seccompProfile?.type;
      const name = `container "${c.container?.name ?? c.path}"`;
      if (type !== undefined && !ALLOWED.includes(type)) {
        out.push([`${c.path}.securityContext.seccompProfile.type`, `${name}: seccompProfile.type is ${type}; use RuntimeDefault or Localhost.`]);
      } else if (type === undefined && podType === undefined) {
        out.push([`${c.path}.securityContext.seccompProfile`, `${name}: no seccomp profile is set on the pod or the container; set securityContext.seccompProfile.type: RuntimeDefault.`]);
      }
    }
    return out;
  }),
};
export default rule;
