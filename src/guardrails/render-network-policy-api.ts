/*
 * Guardrails as network-policy-api objects:
 * - AdminNetworkPolicy / BaselineAdminNetworkPolicy, policy.networking.k8s.io/v1alpha1, standard
 *   channel of v0.1.8 (apis/v1alpha1/adminnetworkpolicy_types.go, shared_types.go);
 * - ClusterNetworkPolicy, policy.networking.k8s.io/v1alpha2, standard channel of v0.2.0
 *   (apis/v1alpha2/clusternetworkpolicy_types.go).
 * Each function returns the object's spec, or a string saying why the rule cannot be written.
 */
import { GuardPeer, GuardPolicy, GuardPort, GuardRule, GuardSubject, guardPortText } from './guardrail-model';
import { GuardrailAction, GuardrailTier } from './guardrail-options';
import { LabelSelectorSpec } from '../core/peer';
import { toKubeSelector } from '../core/workload-policy';

function sel(s: LabelSelectorSpec): any {
  return toKubeSelector(s) ?? {};
}

function subject(s: GuardSubject): any {
  return peer(s);
}

function peer(p: GuardPeer): any {
  if (p.networks) return { networks: [...p.networks] };
  if (p.pods) return { pods: { namespaceSelector: sel(p.pods.namespaceSelector), podSelector: sel(p.pods.podSelector) } };
  return { namespaces: sel(p.namespaces ?? {}) };
}

/** AdminNetworkPolicyPort: exactly one of portNumber, portRange (namedPort is experimental in v0.1.8). */
function anpPort(p: GuardPort): any | string {
  if (p.name !== undefined) {
    return `${guardPortText(p)} is a named port; AdminNetworkPolicy has named ports only in the experimental channel of network-policy-api v0.1.8 ` +
      '(AdminNetworkPolicyPort.namedPort). Give the port number, or write the guardrails as ClusterNetworkPolicy (destinationNamedPort)';
  }
  if (p.start === undefined) return { portRange: { protocol: p.protocol, start: 1, end: 65535 } };
  if (p.end === undefined) return { portNumber: { protocol: p.protocol, port: p.start } };
  return { portRange: { protocol: p.protocol, start: p.start, end: p.end } };
}

/** ClusterNetworkPolicyProtocol: exactly one of tcp, udp, sctp, destinationNamedPort; a range needs start < end. */
function cnpProtocol(p: GuardPort): any {
  if (p.name !== undefined) return { destinationNamedPort: p.name };
  const key = p.protocol.toLowerCase();
  if (p.start === undefined) return { [key]: { destinationPort: { range: { start: 1, end: 65535 } } } };
  if (p.end === undefined || p.end === p.start) return { [key]: { destinationPort: { number: p.start } } };
  return { [key]: { destinationPort: { range: { start: p.start, end: p.end } } } };
}

function rules(list: GuardRule[], dir: 'from' | 'to', action: (a: GuardrailAction) => string, port: (p: GuardPort) => any | string): any[] | string {
  const out: any[] = [];
  for (const r of list) {
    const ports: any[] = [];
    for (const p of r.ports) {
      const rendered = port(p);
      if (typeof rendered === 'string') return `rule "${r.name}": ${rendered}`;
      ports.push(rendered);
    }
    out.push({ name: r.name, action: action(r.action), [dir]: r.peers.map(peer), ...(ports.length ? { [port === cnpProtocol ? 'protocols' : 'ports']: ports } : {}) });
  }
  return out;
}

/** The spec of an AdminNetworkPolicy (admin tier) or of the BaselineAdminNetworkPolicy. @internal */
export function anpSpec(policy: GuardPolicy): any | string {
  const same = (a: GuardrailAction) => a;
  const ingress = rules(policy.ingress, 'from', same, anpPort);
  const egress = rules(policy.egress, 'to', same, anpPort);
  if (typeof ingress === 'string') return ingress;
  if (typeof egress === 'string') return egress;
  return {
    ...(policy.tier === GuardrailTier.ADMIN ? { priority: policy.priority } : {}),
    subject: subject(policy.subject),
    ...(ingress.length ? { ingress } : {}),
    ...(egress.length ? { egress } : {}),
  };
}

/** The spec of a ClusterNetworkPolicy; `Allow` is written `Accept` (v1alpha2 ClusterNetworkPolicyRuleAction). @internal */
export function clusterNetworkPolicySpec(policy: GuardPolicy): any | string {
  const action = (a: GuardrailAction) => (a === GuardrailAction.ALLOW ? 'Accept' : a);
  const ingress = rules(policy.ingress, 'from', action, cnpProtocol);
  const egress = rules(policy.egress, 'to', action, cnpProtocol);
  if (typeof ingress === 'string') return ingress;
  if (typeof egress === 'string') return egress;
  return {
    tier: policy.tier,
    priority: policy.priority,
    subject: subject(policy.subject),
    ...(ingress.length ? { ingress } : {}),
    ...(egress.length ? { egress } : {}),
  };
}
