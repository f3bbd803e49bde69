import apiVersionMismatch from './api-version-mismatch';
import duplicateObject from './duplicate-object';
import gatewayListenerDoesNotAdmitRoute from './gateway-listener-does-not-admit-route';
import gatewayListenerWithoutCertificate from './gateway-listener-without-certificate';
import gatewayParentRefNotFound from './gateway-parent-ref-not-found';
import gatewayReferenceGrantMissing from './gateway-reference-grant-missing';
import gatewayRouteHostnameNoListener from './gateway-route-hostname-no-listener';
import ingressBackendNotFound from './ingress-backend-not-found';
import ingressRouteClaimedTwice from './ingress-route-claimed-twice';
import ingressTlsDoesNotCoverHost from './ingress-tls-does-not-cover-host';
import ingressUnsafeAnnotation from './ingress-unsafe-annotation';
import ingressWithoutTls from './ingress-without-tls';
import invalidLabel from './invalid-label';
import invalidName from './invalid-name';
import invalidNetworkPolicy from './invalid-network-policy';
import networkPolicyNamedPortNotDeclared from './network-policy-named-port-not-declared';
import networkPolicyPeerEgressNotAdmitted from './network-policy-peer-egress-not-admitted';
import { networkPolicyPeerNamespaceUnknown } from './network-policy-peer-namespace-unknown';
import networkPolicyRuleAdmitsEverything from './network-policy-rule-admits-everything';
import networkPolicySelectsNoPods from './network-policy-selects-no-pods';
import podAllowPrivilegeEscalation from './pod-allow-privilege-escalation';
import podApparmorUnconfined from './pod-apparmor-unconfined';
import podCapabilities from './pod-capabilities';
import podHostNamespaces from './pod-host-namespaces';
import podHostPathVolumes from './pod-host-path-volumes';
import podHostPorts from './pod-host-ports';
import podPrivileged from './pod-privileged';
import podProcMount from './pod-proc-mount';
import podRunAsNonRoot from './pod-run-as-non-root';
import podSeccompProfile from './pod-seccomp-profile';
import podSelinuxOptions from './pod-selinux-options';
import podUnsafeSysctls from './pod-unsafe-sysctls';
import podVolumeTypes from './pod-volume-types';
import podWindowsHostProcess from './pod-windows-host-process';
import probePortNotContainerPort from './probe-port-not-container-port';
import requiredFieldsMissing from './required-fields-missing';
import { Rule } from './rule';
import schemaInvalid from './schema-invalid';
import serviceSelectorMatchesNoPods from './service-selector-matches-no-pods';
import serviceTargetPortNotContainerPort from './service-target-port-not-container-port';
import statefulsetServiceNotHeadless from './statefulset-service-not-headless';
import workloadSelectorInvalid from './workload-selector-invalid';
import workloadWithoutNetworkPolicy from './workload-without-network-policy';

export * from './rule';
export { BUILT_IN_KINDS } from './api-version-mismatch';

/**
 * Every rule, in id order: those of `cdk8s-net check`, of app-wide synth validation and of the
 * cdk8s-cli plugin (which pick theirs by id, see `src/validation/rule-set.ts`).
 *
 * NET019 here knows no external namespace; `rules({ externalNamespaces })` gives the list with
 * the namespaces declared.
 */
export const RULES: readonly Rule[] = [
  requiredFieldsMissing,
  invalidName,
  invalidLabel,
  apiVersionMismatch,
  invalidNetworkPolicy,
  schemaInvalid,
  serviceSelectorMatchesNoPods,
  serviceTargetPortNotContainerPort,
  workloadWithoutNetworkPolicy,
  networkPolicySelectsNoPods,
  probePortNotContainerPort,
  ingressBackendNotFound,
  ingressTlsDoesNotCoverHost,
  ingressRouteClaimedTwice,
  statefulsetServiceNotHeadless,
  networkPolicyPeerNamespaceUnknown(),
  duplicateObject,
  gatewayParentRefNotFound,
  gatewayListenerDoesNotAdmitRoute,
  gatewayRouteHostnameNoListener,
  gatewayReferenceGrantMissing,
  gatewayListenerWithoutCertificate,
  workloadSelectorInvalid,
  ingressWithoutTls,
  ingressUnsafeAnnotation,
  networkPolicyRuleAdmitsEverything,
  networkPolicyNamedPortNotDeclared,
  networkPolicyPeerEgressNotAdmitted,
  podRunAsNonRoot,
  podAllowPrivilegeEscalation,
  podCapabilities,
  podSeccompProfile,
  podHostNamespaces,
  podHostPorts,
  podPrivileged,
  podHostPathVolumes,
  podVolumeTypes,
  podUnsafeSysctls,
  podSelinuxOptions,
  podApparmorUnconfined,
  podProcMount,
  podWindowsHostProcess,
];

/** Options of `rules`. */
export interface RulesOptions {
  /** Namespaces that the manifests do not create but policies may name pods in (NET019). */
  readonly externalNamespaces?: readonly string[];
  /**
   * The Pod Security Standards profile whose findings are errors. `baseline`: the controls only
   * the restricted profile has are reported as warnings. Default `restricted`.
   */
  readonly pss?: 'baseline' | 'restricted';
  /** How NET019's message tells to declare a namespace (default: with AppValidation or a namespace peer). */
  readonly howToDeclareNamespace?: (ns: string) => string;
}

/** `RULES`, with NET019 knowing `externalNamespaces` and the PSS levels of `pss`. */
export function rules(options: RulesOptions = {}): Rule[] {
  const nsRule = networkPolicyPeerNamespaceUnknown(options.externalNamespaces ?? [], options.howToDeclareNamespace);
  return RULES.map((r) => {
    if (r.id === nsRule.id) return nsRule;
    if (options.pss === 'baseline' && r.pss === 'restricted') return { ...r, level: 'warning' };
    return r;
  });
}
