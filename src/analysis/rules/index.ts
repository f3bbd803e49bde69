import apiVersionMismatch from './api-version-mismatch';
import invalidLabel from './invalid-label';
import invalidName from './invalid-name';
import invalidNetworkPolicy from './invalid-network-policy';
import networkPolicySelectsNoPods from './network-policy-selects-no-pods';
import podAllowPrivilegeEscalation from './pod-allow-privilege-escalation';
import podCapabilities from './pod-capabilities';
import podHostNamespaces from './pod-host-namespaces';
import podHostPathVolumes from './pod-host-path-volumes';
import podHostPorts from './pod-host-ports';
import podPrivileged from './pod-privileged';
import podRunAsNonRoot from './pod-run-as-non-root';
import podSeccompProfile from './pod-seccomp-profile';
import requiredFieldsMissing from './required-fields-missing';
import { Rule } from './rule';
import serviceSelectorMatchesNoPods from './service-selector-matches-no-pods';
import serviceTargetPortNotContainerPort from './service-target-port-not-container-port';
import workloadWithoutNetworkPolicy from './workload-without-network-policy';

export * from './rule';
export { BUILT_IN_KINDS } from './api-version-mismatch';

/** Every rule of `cdk8s-net check`, in id order. */
export const RULES: readonly Rule[] = [
  requiredFieldsMissing,
  invalidName,
  invalidLabel,
  apiVersionMismatch,
  invalidNetworkPolicy,
  serviceSelectorMatchesNoPods,
  serviceTargetPortNotContainerPort,
  workloadWithoutNetworkPolicy,
  networkPolicySelectsNoPods,
  podRunAsNonRoot,
  podAllowPrivilegeEscalation,
  podCapabilities,
  podSeccompProfile,
  podHostNamespaces,
  podHostPorts,
  podPrivileged,
  podHostPathVolumes,
];
