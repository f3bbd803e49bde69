import { IConstruct } from 'constructs';
import { failCall } from '../core/errors';
import { requireInstance, requireObject } from '../core/guards';

/** The network policy implementations this library can write for. */
export enum PolicyEngineKind {
  /** Kubernetes NetworkPolicy only (`networking.k8s.io/v1`), enforced by any conformant CNI. */
  KUBERNETES = 'kubernetes',
  /** Cilium: NetworkPolicy plus `CiliumNetworkPolicy`/`CiliumClusterwideNetworkPolicy` (`cilium.io/v2`). */
  CILIUM = 'cilium',
  /** Calico open source: NetworkPolicy (Calico's own policies are not written by this library). */
  CALICO = 'calico',
}

/**
 * Which policy implementation enforces the cluster's network policies, and so how rules that
 * NetworkPolicy cannot express are written.
 *
 * - `kubernetes()` (the default): NetworkPolicy only. A DNS name cannot be a peer.
 * - `cilium()`: NetworkPolicy for everything NetworkPolicy can say, and a `CiliumNetworkPolicy`
 *   with `toFQDNs` for egress to a DNS name (an `ExternalDependency` with a hostname), plus the
 *   DNS rule Cilium's DNS proxy needs to learn the name's addresses. `ClusterGuardrails` are
 *   written as `CiliumClusterwideNetworkPolicy` objects.
 * - `calico()`: NetworkPolicy only. Calico's open-source edition has no DNS policy (domain names
 *   in Calico policies are a Calico Enterprise/Cloud feature), so egress to a DNS name is refused.
 *
 * Choose it for an app or a chart (every construct below the scope uses it) with `use`.
 *
 * @example
 * PolicyEngine.use(app, PolicyEngine.cilium());
 */
export class PolicyEngine {
  /** Kubernetes NetworkPolicy only: the default. */
  public static kubernetes(): PolicyEngine {
    return new PolicyEngine(PolicyEngineKind.KUBERNETES);
  }

  /** Cilium (v1.18 CRDs): NetworkPolicy plus Cilium's policies for DNS names and cluster-wide rules. */
  public static cilium(): PolicyEngine {
    return new PolicyEngine(PolicyEngineKind.CILIUM);
  }

  /** Calico open source: NetworkPolicy only; no DNS names. */
  public static calico(): PolicyEngine {
    return new PolicyEngine(PolicyEngineKind.CALICO);
  }

  /**
   * Makes `engine` the policy engine of `scope` and of every construct below it. Set it before
   * connections are made: rules already written keep the engine they were written with.
   */
  public static use(scope: IConstruct, engine: PolicyEngine): void {
    requireObject('PolicyEngine.use', 'scope', scope, 'give a construct, e.g. the app or a chart');
    requireInstance('PolicyEngine.use', 'engine', engine, PolicyEngine, 'give PolicyEngine.kubernetes(), PolicyEngine.cilium() or PolicyEngine.calico()');
    const before = CHOSEN.get(scope);
    if (before && before.kind !== engine.kind) {
      failCall('PolicyEngine.use', `${scope.node.path || 'the app'} already uses the ${before.kind} policy engine; choose one engine per scope.`);
    }
    CHOSEN.set(scope, engine);
  }

  /** The engine of `scope`: the one set on it or on the nearest construct above it, else `kubernetes()`. */
  public static of(scope: IConstruct): PolicyEngine {
    const scopes = scope.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const engine = CHOSEN.get(scopes[i]);
      if (engine) return engine;
    }
    return PolicyEngine.kubernetes();
  }

  /** Which implementation. */
  public readonly kind: PolicyEngineKind;

  private constructor(kind: PolicyEngineKind) {
    this.kind = kind;
  }

  /** Whether egress to a DNS name can be written (Cilium `toFQDNs`). */
  public get supportsDnsNames(): boolean {
    return this.kind === PolicyEngineKind.CILIUM;
  }

  /**
   * Why this engine cannot allow egress to a DNS name; undefined when it can.
   * @internal
   */
  public _dnsNameProblem(): string | undefined {
    switch (this.kind) {
      case PolicyEngineKind.CILIUM:
        return undefined;
      case PolicyEngineKind.CALICO:
        return "the calico policy engine cannot allow egress to a DNS name: Calico's open-source edition has no DNS policy " +
          '(domain names in Calico policies are a Calico Enterprise/Cloud feature)';
      default:
        return 'the kubernetes policy engine cannot allow egress to a DNS name: NetworkPolicy matches only pods and IP blocks';
    }
  }

  /** `kubernetes`, `cilium` or `calico`. */
  public toString(): string {
    return this.kind;
  }
}

const CHOSEN = new WeakMap<IConstruct, PolicyEngine>();
