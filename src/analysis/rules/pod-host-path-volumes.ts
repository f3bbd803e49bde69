import { eachPod } from './pss';
import { asArray, FieldFinding, Rule, ruleName } from './rule';

/** PSS baseline "HostPath Volumes". */
const rule: Rule = {
  id: 'PSS008',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Use an emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim instead of the hostPath volume.',
  pss: 'baseline',
  explanation: 'Pod Security Standards (baseline): hostPath volumes give access to the node\'s file system and must be disallowed.',
  check: (objects) => eachPod(objects, (t) => asArray(t.spec?.volumes)
    .map((v, i): [number, any] => [i, v])
    .filter(([, v]) => v?.hostPath !== undefined && v?.hostPath !== null)
    .map(([i, v]): FieldFinding => [`volumes[${i}].hostPath`, `volume "${v.name}" mounts hostPath ${v.hostPath?.path ?? ''}; use an emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim instead.`])),
};
export default rule;
