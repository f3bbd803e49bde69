import { eachPod } from './pss';
import { asArray, FieldFinding, Rule, ruleName } from './rule';

/** The sysctls the baseline profile allows (namespaced to the pod, and safe; Kubernetes 1.29+ list). */
export const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];

/** PSS baseline "Sysctls": only the safe subset. */
const rule: Rule = {
  id: 'PSS010',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Remove the sysctls outside the safe set from the pod, or set them on the node.',
  pss: 'baseline',
  explanation: 'Pod Security Standards (baseline): sysctls other than the safe set can change the node\'s kernel for every pod on it, and must be disallowed.',
  check: (objects) => eachPod(objects, (t) => asArray(t.spec?.securityContext?.sysctls)
    .map((s, i): [number, any] => [i, s])
    .filter(([, s]) => !SAFE_SYSCTLS.includes(s?.name))
    .map(([i, s]): FieldFinding => [`securityContext.sysctls[${i}]`, `sysctl "${s?.name}" is not in the safe set (${SAFE_SYSCTLS.join(', ')}); remove it or set it on the node.`])),
};
export default rule;
