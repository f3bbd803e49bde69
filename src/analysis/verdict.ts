/**
 * The data structs the reachability engine returns. Plain, JSON-friendly,
 * jsii-compatible.
 */

/**
 * A workload endpoint of the analysed manifests.
 *
 * Pods owned by a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob) are merged into that owner: all
 * replicas are one endpoint. A Pod without such an owner is its own endpoint
 * of kind `Pod`.
 */
export interface WorkloadEndpoint {
  /** `namespace/name[Kind]`, for example `shop/api[Deployment]`. */
  readonly id: string;
  /** The namespace (`default` when the manifest has none). */
  readonly namespace: string;
  /** The workload (or Pod) name. */
  readonly name: string;
  /** The workload kind, or `Pod`. */
  readonly kind: string;
  /** The pod (template) labels that policies select on. */
  readonly labels: { [key: string]: string };
  /** The container ports, written `name:port/PROTOCOL` or `port/PROTOCOL` when unnamed. */
  readonly ports: string[];
}

/**
 * A question about one connection: can `from` reach `to` on this port?
 *
 * Endpoints are written as a workload id (`shop/api[Deployment]`), as
 * `namespace/name` when that names one workload (or a pod merged into it),
 * as a bare `name` when it is unique across namespaces, or as an IP address
 * or CIDR for addresses outside the cluster (IP addresses never stand for pods).
 */
export interface ConnectionQuery {
  /** The source: a workload or an IP address/CIDR. */
  readonly from: string;
  /** The destination: a workload or an IP address/CIDR. */
  readonly to: string;
  /**
   * The destination port.
   *
   * @default - no specific port: the connection counts as allowed if any port (of `protocol`, if set) is allowed
   */
  readonly port?: number;
  /**
   * A named port, resolved against the destination workload's container ports with the same protocol.
   * Cannot be combined with `port`.
   *
   * @default - no named port
   */
  readonly portName?: string;
  /**
   * `TCP`, `UDP` or `SCTP` (case-insensitive).
   *
   * @default - TCP when `port` or `portName` is set, otherwise any protocol
   */
  readonly protocol?: string;
}

/** A rule of a NetworkPolicy: the policy and the rule's position in its `ingress` or `egress` list. */
export interface PolicyRuleRef {
  /** The policy, `namespace/name`. */
  readonly policy: string;
  /** `ingress` or `egress`. */
  readonly direction: string;
  /** Zero-based index of the rule in the policy's `ingress` or `egress` list. */
  readonly ruleIndex: number;
}

/** The verdict of one direction: the source's egress or the destination's ingress. */
export interface DirectionVerdict {
  /** `egress` (checked on the source) or `ingress` (checked on the destination). */
  readonly direction: string;
  /** Whether this direction allows the queried traffic. */
  readonly allowed: boolean;
  /**
   * Whether some policy selecting the pod has this direction in its policyTypes.
   * A pod that is not isolated allows everything in that direction.
   * Always false for an endpoint outside the cluster.
   */
  readonly isolated: boolean;
  /** The policies (`namespace/name`) that isolate the pod for this direction. */
  readonly isolatingPolicies: string[];
  /** The rules that admit the queried traffic (empty when not isolated or denied). */
  readonly admittingRules: PolicyRuleRef[];
  /** Everything this direction allows between the two endpoints, as a connection string (`''` for nothing). */
  readonly connections: string;
  /** One sentence: why. */
  readonly text: string;
}

/** The answer to a `ConnectionQuery`, with the reason on each side. */
export interface Verdict {
  /** Whether the traffic is allowed: the source's egress and the destination's ingress must both allow it. */
  readonly allowed: boolean;
  /** The resolved source (workload id, or `start-end[External]`). */
  readonly from: string;
  /** The resolved destination. */
  readonly to: string;
  /** The traffic asked about, e.g. `TCP 5432` or `any port`. */
  readonly traffic: string;
  /** Everything allowed from `from` to `to`, as a connection string (`''` for nothing). */
  readonly connections: string;
  /** The source's egress. */
  readonly egress: DirectionVerdict;
  /** The destination's ingress. */
  readonly ingress: DirectionVerdict;
  /**
   * The explanation, for example
   * `denied: shop/db is isolated for ingress by policy shop/db; no ingress rule admits shop/web on TCP 5432`.
   */
  readonly text: string;
}

/** One line of a connection list: `src => dst : conn`. */
export interface ConnectionEntry {
  /** A workload id or an external range `start-end[External]`. */
  readonly src: string;
  /** A workload id or an external range `start-end[External]`. */
  readonly dst: string;
  /** The allowed connections, e.g. `All Connections` or `TCP 8080,UDP 53`. */
  readonly conn: string;
}

/** A connection that one set of manifests allows and another does not. */
export interface ConnectionChange {
  /** A workload id or an external range `start-end[External]`. */
  readonly src: string;
  /** A workload id or an external range `start-end[External]`. */
  readonly dst: string;
  /** Exactly the connections added (or removed), e.g. `TCP 8082-8090` or `All Connections`. */
  readonly conn: string;
  /**
   * With `DiffOptions.explain`: for an added connection, the policies and rules that admit it now;
   * for a removed one, why it is denied now.
   *
   * @default - not explained
   */
  readonly explanation?: string;
}

/** The connections that changed between two sets of manifests. */
export interface ConnectivityDiff {
  /** Connections the new manifests allow and the old ones did not, in matrix order. */
  readonly added: ConnectionChange[];
  /** Connections the old manifests allowed and the new ones do not, in matrix order. */
  readonly removed: ConnectionChange[];
}

/** Options of `NetworkAnalysis.diff`. */
export interface DiffOptions {
  /**
   * Explain each change: the policies and rules that admit an added connection, or why a removed one is denied.
   *
   * @default false
   */
  readonly explain?: boolean;
}
