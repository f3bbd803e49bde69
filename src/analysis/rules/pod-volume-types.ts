import { eachPod } from './pss';
import { asArray, FieldFinding, Rule, ruleName } from './rule';

/** The volume sources the restricted profile allows. */
const ALLOWED = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/** PSS restricted "Volume Types" (hostPath, a baseline control, is left to PSS008). */
const rule: Rule = {
  id: 'PSS009',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Use only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret volumes (a PersistentVolumeClaim for other storage).',
  pss: 'restricted',
  explanation: `Pod Security Standards (restricted): volumes may only be ${ALLOWED.join(', ')}; other types (nfs, iscsi, gitRepo, ...) reach node or network storage directly.`,
  check: (objects) => eachPod(objects, (t) => asArray(t.spec?.volumes).flatMap((v, i): FieldFinding[] => {
    if (!v || typeof v !== 'object') return [];
    return Object.keys(v)
      .filter((k) => k !== 'name' && k !== 'hostPath' && !ALLOWED.includes(k) && v[k] !== null && v[k] !== undefined)
      .map((k): FieldFinding => [`volumes[${i}].${k}`, `volume "${v.name}" is of type ${k}; the restricted profile allows only ${ALLOWED.join(', ')} (use a PersistentVolumeClaim for other storage).`]);
  })),
};
export default rule;
