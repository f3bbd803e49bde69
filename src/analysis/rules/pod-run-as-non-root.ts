import { containersOf } from './pod-spec';
import { eachPod } from './pss';
import { FieldFinding, Rule, ruleName } from './rule';

/** PSS restricted "Running as Non-root" and "Running as Non-root user". */
const rule: Rule = {
  id: 'PSS001',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Set securityContext.runAsNonRoot: true on the pod or on every container, and no runAsUser of 0.',
  pss: 'restricted',
  explanation: 'Pod Security Standards (restricted): containers must run as non-root users; runAsNonRoot must be true and runAsUser must not be 0.',
  check: (objects) => eachPod(objects, (t) => {
    const out: FieldFinding[] = [];
    const podContext = t.spec?.securityContext ?? {};
    if (podContext.runAsUser === 0) {
      out.push(['securityContext.runAsUser', 'securityContext.runAsUser is 0 (root); use a non-zero user id.']);
    }
    for (const c of containersOf(t.spec)) {
      const ctx = c.container?.securityContext ?? {};
      const name = `container "${c.container?.name ?? c.path}"`;
      if (ctx.runAsNonRoot === false || (ctx.runAsNonRoot === undefined && podContext.runAsNonRoot !== true)) {
        out.push([`${c.path}.securityContext.runAsNonRoot`, `${name}: runAsNonRoot is ${ctx.runAsNonRoot === false ? 'false' : 'not set (neither on the pod nor on the container)'}; set securityContext.runAsNonRoot: true.`]);
      }
      if (ctx.runAsUser === 0) {
        out.push([`${c.path}.securityContext.runAsUser`, `${name}: runAsUser is 0 (root); use a non-zero user id.`]);
      }
    }
    return out;
  }),
};
export default rule;
