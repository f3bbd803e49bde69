/*
 * How Cilium policies name pods and ports (cilium.io/v2, v1.18 schema). Cilium labels every
 * endpoint with its pod's labels and with its namespace: the name as
 * `k8s:io.kubernetes.pod.namespace`, the namespace's other labels under
 * `k8s:io.cilium.k8s.namespace.labels.` (docs.cilium.io/en/stable/security/policy/kubernetes/
 * "Namespaces"). Used by the cluster guardrails and by egress to DNS names.
 */
import { LabelSelectorSpec } from '../core/peer';

const NAMESPACE_NAME = 'kubernetes.io/metadata.name';

/** One entry of Cilium's `toPorts[].ports[]` (PortProtocol). @internal */
export interface CiliumPortProtocol {
  readonly port: string;
  readonly endPort?: number;
  readonly protocol?: string;
}

/**
 * A port as Cilium's `toPorts[].ports[]` reads it: a number as a string, a range as `port` +
 * `endPort`, a named port as its name, and every port of the protocol as port `"0"`, Cilium's
 * wildcard port (cilium/cilium pkg/policy/api/l4.go: `PortProtocolAny = "0/ANY"`; the CRD
 * pattern of v1.18.4 admits 0). Not the range 1-65535: that needs Cilium's port ranges and
 * becomes 30 masked policy-map entries instead of one wildcard (cilium/cilium#20633).
 * @internal
 */
export function ciliumPortProtocol(protocol: string | undefined, port: { name?: string; start?: number; end?: number }): CiliumPortProtocol {
  if (port.name !== undefined) return { port: port.name, protocol };
  if (port.start === undefined) return { port: '0', protocol };
  return { port: String(port.start), ...(port.end !== undefined ? { endPort: port.end } : {}), protocol };
}

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
