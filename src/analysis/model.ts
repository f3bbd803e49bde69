/**
 * The compiled model the evaluator works on: plain data, built once from the
 * Kubernetes objects by `compile.ts`. Internal to `src/analysis`.
 *
 * Selector matches are resolved at compile time (which workloads a policy
 * selects, which workloads a peer matches), so evaluation never walks label
 * selectors again.
 */
import type { BeyondModel } from './beyond';
import { IpFamily, IpSet } from './ip';

export type Direction = 'ingress' | 'egress';

/** `matchLabels` plus `matchExpressions`, ANDed. An empty selector matches everything. */
export interface LabelSelector {
  readonly matchLabels: ReadonlyArray<readonly [string, string]>;
  readonly matchExpressions: ReadonlyArray<SelectorRequirement>;
}

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  /** TCP, UDP or SCTP. */
  readonly protocol: string;
}

export interface NamespaceModel {
  readonly name: string;
  /** Declared labels plus the automatic `kubernetes.io/metadata.name`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Whether a Namespace object declared it (otherwise it is only referenced). */
  readonly declared: boolean;
}

/** One endpoint: a top-level workload, the owner of some pods, or an ownerless pod. */
export interface WorkloadModel {
  /** Position in `Model.workloads`. */
  readonly index: number;
  /** `ns/name[Kind]`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  /** Pod (template) labels. */
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly ContainerPort[];
  /** Names of Pod objects merged into this endpoint (for name resolution). */
  readonly podNames: readonly string[];
  /** Whether its pods run in the node's network namespace (`hostNetwork: true`), for `NetworkAnalysis.warnings()`. */
  readonly hostNetwork: boolean;
}

/** One entry of a rule's `ports`. */
export interface PortSpec {
  /** TCP, UDP or SCTP. */
  readonly protocol: string;
  /** Numeric port; absent with `name` absent means every port of the protocol. */
  readonly port?: number;
  readonly endPort?: number;
  /** Named port, resolved against the destination pod's container ports. */
  readonly name?: string;
}

/** A peer that selects pods. `matches` is precomputed. */
export interface PodPeer {
  readonly type: 'pods';
  /** Indices of the workloads the peer matches. */
  readonly matches: ReadonlySet<number>;
}

/** An ipBlock: `cidr` minus `except`. It never matches pods. */
export interface IpPeer {
  readonly type: 'ip';
  readonly cidr: string;
  readonly except: readonly string[];
  readonly addresses: IpSet;
}

/**
 * DNS names (Cilium `toFQDNs`, network-policy-api `domainNames`): exact names or patterns
 * (`*.example.com`). They match only FQDN destinations, never pods or address ranges.
 */
export interface FqdnPeer {
  readonly type: 'fqdn';
  readonly patterns: readonly string[];
}

export type Peer = PodPeer | IpPeer | FqdnPeer;

export interface RuleModel {
  /** Index in the policy's `ingress`/`egress` list. */
  readonly index: number;
  /** `undefined`: the rule has no (or an empty) `from`/`to`, so it matches every peer, IPs included. */
  readonly peers?: readonly Peer[];
  /** `undefined`: the rule has no (or an empty) `ports`, so it matches every port and protocol. */
  readonly ports?: readonly PortSpec[];
}

export interface PolicyModel {
  /** `ns/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  /** Indices of the workloads the policy's `podSelector` selects. */
  readonly selects: ReadonlySet<number>;
  /** Effective policyTypes (after defaulting). */
  readonly isolatesIngress: boolean;
  readonly isolatesEgress: boolean;
  readonly ingress: readonly RuleModel[];
  readonly egress: readonly RuleModel[];
}

export interface Model {
  readonly namespaces: readonly NamespaceModel[];
  /** Sorted by id. */
  readonly workloads: readonly WorkloadModel[];
  readonly policies: readonly PolicyModel[];
  /** Per workload index, the policies that isolate it for ingress. */
  readonly ingressPolicies: ReadonlyArray<readonly PolicyModel[]>;
  /** Per workload index, the policies that isolate it for egress. */
  readonly egressPolicies: ReadonlyArray<readonly PolicyModel[]>;
  /** Start and end+1 of every ipBlock cidr and except, per family. */
  readonly ipBoundaries: Readonly<Record<IpFamily, readonly bigint[]>>;
  /**
   * The same, per direction: the boundaries of the ipBlocks of ingress rules (which cut the
   * sources of ingress) and of egress rules (which cut the destinations of egress).
   */
  readonly directionIpBoundaries: Readonly<Record<Direction, Readonly<Record<IpFamily, readonly bigint[]>>>>;
  /**
   * What the manifests say beyond NetworkPolicy (network-policy-api tiers, Cilium deny rules,
   * DNS names): see `beyond.ts`. Absent when they say nothing beyond NetworkPolicy.
   */
  readonly beyond?: BeyondModel;
}
