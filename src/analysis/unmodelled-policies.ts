/**
 * Policy kinds that change which connections a cluster allows but that the
 * engine does not evaluate. `reach`, `graph` and `diff` warn when the
 * manifests hold any, so that an "allowed" is never silently wrong.
 * (Kubernetes NetworkPolicy, the network-policy-api kinds and Cilium's
 * CiliumNetworkPolicy/CiliumClusterwideNetworkPolicy are evaluated; the parts of
 * them that are not are reported by `compile`, see `beyond.ts`.)
 * Internal to `src/analysis`.
 */

/** `group` of the apiVersion -> kinds of that group that are connectivity policies. */
const UNMODELLED: ReadonlyArray<{ readonly group: string; readonly kinds: readonly string[]; readonly what: string }> = [
  { group: 'projectcalico.org', kinds: ['NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy'], what: 'Calico' },
  { group: 'crd.projectcalico.org', kinds: ['NetworkPolicy', 'GlobalNetworkPolicy'], what: 'Calico' },
  { group: 'crd.antrea.io', kinds: ['NetworkPolicy', 'ClusterNetworkPolicy'], what: 'Antrea' },
  { group: 'security.istio.io', kinds: ['AuthorizationPolicy'], what: 'Istio' },
  { group: 'policy.linkerd.io', kinds: ['AuthorizationPolicy', 'ServerAuthorization'], what: 'Linkerd' },
];

/** The policies of kinds the engine ignores, by `Kind (group)` with their count: `CiliumNetworkPolicy (cilium.io): 2`. */
export function unmodelledPolicies(objects: readonly any[]): string[] {
  const counts = new Map<string, number>();
  for (const obj of objects) {
    if (typeof obj?.apiVersion !== 'string' || typeof obj?.kind !== 'string') {
      continue;
    }
    const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
    if (UNMODELLED.some((u) => u.group === group && u.kinds.includes(obj.kind))) {
      const key = `${obj.kind} (${group})`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, n]) => `${n} ${key}`);
}

/** Whether a `NetworkPolicy` object is the Kubernetes one (networking.k8s.io), not Calico's or Antrea's of the same kind. */
export function isKubernetesNetworkPolicy(obj: any): boolean {
  const apiVersion = obj?.apiVersion;
  // Objects built in code may omit apiVersion; only another group makes it another kind.
  return typeof apiVersion !== 'string' || !apiVersion.includes('/') || apiVersion.startsWith('networking.k8s.io/');
}
