import { eachPod, securityContexts } from './pss';
import { FieldFinding, Rule, ruleName } from './rule';

const TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

/** PSS baseline "SELinux": only the container types, and no custom user or role. */
const rule: Rule = {
  id: 'PSS011',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Leave seLinuxOptions.user and role unset, and type unset or a container type such as container_t.',
  pss: 'baseline',
  explanation: 'Pod Security Standards (baseline): seLinuxOptions.type must be a container type (container_t, container_init_t, container_kvm_t, container_engine_t; '
    + 'not spc_t, which is unconfined), and user and role must not be set.',
  check: (objects) => eachPod(objects, (t) => securityContexts(t).flatMap(({ path, context, who }): FieldFinding[] => {
    const se = context.seLinuxOptions;
    if (!se || typeof se !== 'object') return [];
    const out: FieldFinding[] = [];
    if (se.type !== undefined && se.type !== null && !TYPES.includes(se.type)) {
      out.push([`${path}.seLinuxOptions.type`, `${who}: seLinuxOptions.type is ${se.type}; use container_t (or leave it unset).`]);
    }
    for (const field of ['user', 'role']) {
      if (se[field] !== undefined && se[field] !== null && se[field] !== '') {
        out.push([`${path}.seLinuxOptions.${field}`, `${who}: seLinuxOptions.${field} is ${se[field]}; remove it (custom SELinux ${field}s are not allowed).`]);
      }
    }
    return out;
  })),
};
export default rule;
