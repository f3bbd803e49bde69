import { eachPod, podAnnotations, securityContexts } from './pss';
import { FieldFinding, Rule, ruleName } from './rule';

const ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/** PSS baseline "AppArmor": the runtime default or a localhost profile, never Unconfined. */
const rule: Rule = {
  id: 'PSS012',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Use the AppArmor profile RuntimeDefault or a Localhost profile (securityContext.appArmorProfile).',
  pss: 'baseline',
  explanation: 'Pod Security Standards (baseline): the AppArmor profile (securityContext.appArmorProfile, or the beta annotation) must not be Unconfined; '
    + 'use RuntimeDefault or a Localhost profile.',
  check: (objects) => eachPod(objects, (t) => {
    const out: FieldFinding[] = [];
    for (const { path, context, who } of securityContexts(t)) {
      const type = context.appArmorProfile?.type;
      if (type !== undefined && type !== null && type !== 'RuntimeDefault' && type !== 'Localhost') {
        out.push([`${path}.appArmorProfile.type`, `${who}: appArmorProfile.type is ${type}; use RuntimeDefault or Localhost.`]);
      }
    }
    for (const [key, value] of Object.entries(podAnnotations(t))) {
      if (key.startsWith(ANNOTATION) && value !== 'runtime/default' && !(typeof value === 'string' && value.startsWith('localhost/'))) {
        out.push(['', `annotation ${key} is ${String(value)}; use runtime/default or localhost/<profile> (or securityContext.appArmorProfile).`]);
      }
    }
    return out;
  }),
};
export default rule;
