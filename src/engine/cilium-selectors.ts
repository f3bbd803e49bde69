/*
 * How Cilium policies name pods and ports (cilium.io/v2, v1.18 schema). Cilium labels every
 * endpoint with its pod's labels and with its namespace: the name as
 * `k8s:io.kubernetes.pod.namespace`, the namespace's other labels under
 * `k8s:io.cilium.k8s.namespace.labels.` (docs.cilium.io/en/stable/security/policy/kubernetes/
 * "Namespaces"). Used by the cluster guardrails and by egress to DNS names.
 */
import { LabelSelectorSpec } from '../core/peer';

const NAMESPACE_NAME = 'kubernetes.io/metadata.name';

/** A namespace label as Cilium labels endpoints. @internal */
export function ciliumNamespaceKey(key: string): string {
  return key === NAMESPACE_NAME ? 'k8s:io.kubernetes.pod.namespace' : `k8s:io.cilium.k8s.namespace.labels.${key}`;
}

/** An endpoint selector for pods (labels as written) in namespaces (labels translated). @internal */
export function ciliumEndpointSelector(namespaces: LabelSelectorSpec | undefined, pods: LabelSelectorSpec | undefined): any {
  const matchLabels: { [k: string]: string } = {};
  const matchExpressions: any[] = [];
  for (const [k, v] of Object.entries(namespaces?.matchLabels ?? {})) matchLabels[ciliumNamespaceKey(k)] = v;
  for (const e of namespaces?.matchExpressions ?? []) {
    matchExpressions.push({ key: ciliumNamespaceKey(e.key), operator: e.operator, values: e.values });
  }
  for (const [k, v] of Object.entries(pods?.matchLabels ?? {})) matchLabels[k] = v;
  for (const e of pods?.matchExpressions ?? []) matchExpressions.push({ key: e.key, operator: e.operator, values: e.values });
  return {
    ...(Object.keys(matchLabels).length ? { matchLabels } : {}),
    ...(matchExpressions.length ? { matchExpressions } : {}),
  };
}
