/**
 * Kinds whose objects are cluster-scoped: in no namespace, whatever `metadata.namespace` says.
 * The API server clears the namespace of such an object when it is created or updated
 * (k8s.io/apiserver pkg/registry/rest/meta.go, `EnsureObjectNamespaceMatchesRequestNamespace`,
 * "cluster-scoped, clear namespace"), and a cdk8s Chart's namespace lands on every object,
 * cluster-scoped ones included (cdk8s#1558). The one list of the library: the analyzer's rules
 * (one object per name, the namespaces the input defines) and the testing helpers read it.
 *
 * Complete for the kinds this library renders or reads: the Kubernetes built-ins (v1.34,
 * `kubectl api-resources --namespaced=false`), and the cluster-scoped CRDs it imports or reads
 * (`scope: Cluster` in ../shared/crds: Gateway API GatewayClass, cert-manager ClusterIssuer,
 * network-policy-api AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy,
 * Cilium CiliumClusterwideNetworkPolicy, Calico GlobalNetworkPolicy), plus a few its users
 * commonly write next to them (Kyverno, CSI snapshots). Every other CRD kind the library imports
 * (Istio, Linkerd, Traefik, Envoy Gateway, NGINX, GKE, MCS, the rest of Gateway API and
 * cert-manager) is namespaced. No kind name here is namespaced in another API group the library
 * knows, so the kind alone decides.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  // core/v1
  'Namespace', 'Node', 'PersistentVolume', 'ComponentStatus',
  // storage.k8s.io, node.k8s.io, scheduling.k8s.io
  'StorageClass', 'VolumeAttachment', 'VolumeAttributesClass', 'CSIDriver', 'CSINode', 'RuntimeClass', 'PriorityClass',
  // networking.k8s.io
  'IngressClass', 'IPAddress', 'ServiceCIDR',
  // rbac.authorization.k8s.io, apiextensions.k8s.io, apiregistration.k8s.io
  'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService',
  // admissionregistration.k8s.io
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  // certificates.k8s.io, flowcontrol.apiserver.k8s.io, resource.k8s.io, storagemigration.k8s.io
  'CertificateSigningRequest', 'ClusterTrustBundle', 'FlowSchema', 'PriorityLevelConfiguration',
  'DeviceClass', 'ResourceSlice', 'StorageVersionMigration',
  // authentication.k8s.io, authorization.k8s.io (create-only reviews)
  'TokenReview', 'SelfSubjectReview', 'SubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview',
  // CRDs of src/imports and Calico's, which the analyzer reads (scope: Cluster); ClusterGuardrails writes the
  // network-policy-api and Cilium kinds.
  'GatewayClass', 'ClusterIssuer',
  'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'GlobalNetworkPolicy',
  // Other CRDs users write next to them: Kyverno, external-snapshotter.
  'ClusterPolicy', 'ClusterCleanupPolicy', 'VolumeSnapshotClass',
]);

/** Whether objects of `kind` are cluster-scoped (`CLUSTER_SCOPED_KINDS`); false for a kind that is not a string. */
export function isClusterScoped(kind: unknown): boolean {
  return typeof kind === 'string' && CLUSTER_SCOPED_KINDS.has(kind);
}
