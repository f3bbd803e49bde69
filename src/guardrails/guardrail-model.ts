/*
 * The neutral model of cluster guardrails: policies with a subject, a tier, a priority and
 * ordered Allow/Deny/Pass rules, as the network-policy-api defines them
 * (kubernetes-sigs/network-policy-api v0.1.8 apis/v1alpha1, v0.2.0 apis/v1alpha2). The library's
 * peers and ports are translated into it here, once; each renderer (AdminNetworkPolicy,
 * ClusterNetworkPolicy, CiliumClusterwideNetworkPolicy) reads only this model.
 */
import { GuardrailAction, GuardrailTier } from './guardrail-options';
import { LabelSelectorSpec, IPeer } from '../core/peer';
import { allowsEveryPort, Port, Protocol } from '../core/port';


/** @internal */
export interface GuardPeer {
  readonly namespaces?: LabelSelectorSpec;
  readonly pods?: { namespaceSelector: LabelSelectorSpec; podSelector: LabelSelectorSpec };
  readonly networks?: string[];
}

/** A port of a rule; no `start` and no `name`: every port of the protocol. @internal */
export interface GuardPort {
  readonly protocol: Protocol;
  readonly start?: number;
  readonly end?: number;
  readonly name?: string;
}

/** @internal */
export interface GuardRule {
  readonly name: string;
  readonly action: GuardrailAction;
  readonly peers: GuardPeer[];
  /** Empty: every port of every protocol. */
  readonly ports: GuardPort[];
}

/** @internal */
export interface GuardSubject {
  readonly namespaces?: LabelSelectorSpec;
  readonly pods?: { namespaceSelector: LabelSelectorSpec; podSelector: LabelSelectorSpec };
}

/** One cluster-scoped policy object. @internal */
export interface GuardPolicy {
  /** The construct id of its object. */
  readonly id: string;
  /** The part of `metadata.name` after the guardrails' prefix. */
  readonly suffix: string;
  readonly tier: GuardrailTier;
  readonly priority: number;
  readonly subject: GuardSubject;
  readonly ingress: GuardRule[];
  readonly egress: GuardRule[];
}

const NAMESPACE_NAME = 'kubernetes.io/metadata.name';

/** Every namespace, or every namespace except the named ones. @internal */
export function namespacesSubject(except: string[]): GuardSubject {
  return { namespaces: namespacesExcept(except) };
}

/** @internal */
export function namespacesExcept(except: string[]): LabelSelectorSpec {
  return except.length === 0 ? {} : { matchExpressions: [{ key: NAMESPACE_NAME, operator: 'NotIn', values: [...except] }] };
}

/** @internal */
export function namespaceNamed(name: string): LabelSelectorSpec {
  return { matchLabels: { [NAMESPACE_NAME]: name } };
}

/**
 * A library peer as guardrail peers, or the reason it cannot be one (`where` names the call).
 * Cluster-scoped rules have no namespace of their own: pods must name theirs.
 * @internal
 */
export function toGuardPeers(peer: IPeer, direction: 'ingress' | 'egress'): GuardPeer[] | string {
  const out: GuardPeer[] = [];
  for (const spec of peer.toPeerSpecs(undefined)) {
    if (spec.ipBlock) {
      if (direction === 'ingress') {
        return `${peer.peerId} is an address block; ingress rules of cluster-wide policies can name only namespaces and pods ` +
          '(AdminNetworkPolicyIngressPeer has no networks field, network-policy-api v0.1.8)';
      }
      if (spec.ipBlock.except && spec.ipBlock.except.length > 0) {
        return `${peer.peerId} has exceptions; cluster-wide networks peers have no except field. ` +
          'Add a rule for the excepted blocks before this one instead';
      }
      out.push({ networks: [spec.ipBlock.cidr] });
    } else if (spec.namespaceSelector && spec.podSelector) {
      out.push({ pods: { namespaceSelector: spec.namespaceSelector, podSelector: spec.podSelector } });
    } else if (spec.namespaceSelector) {
      out.push({ namespaces: spec.namespaceSelector });
    } else {
      return `${peer.peerId} names pods without their namespace; a cluster-wide rule has no namespace of its own. ` +
        "Name it, e.g. Peer.pods({ labels, namespace: 'shop' })";
    }
  }
  return out;
}

/** Library ports as guardrail ports (empty for all traffic). @internal */
export function toGuardPorts(ports: Port[]): GuardPort[] {
  if (allowsEveryPort(ports)) return [];
  return ports.map((p) => ({ protocol: p.protocol!, start: p.portNumber, end: p.endPort, name: p.name }));
}

/** Readable text of a port, for messages. @internal */
export function guardPortText(p: GuardPort): string {
  if (p.name) return `${p.protocol} ${p.name}`;
  if (p.start === undefined) return `all ${p.protocol}`;
  return p.end === undefined ? `${p.protocol} ${p.start}` : `${p.protocol} ${p.start}-${p.end}`;
}
