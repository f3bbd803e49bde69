import { IConstruct } from 'constructs';
import { failCall } from '../core/errors';
import { isObject, optionalLabels, optionalNumber, optionalString, requireInstance, requireObject } from '../core/guards';
import { dns1123LabelProblem } from '../core/names';
import { isPortNumber } from '../core/port';
import { checkedValue, requireUsable } from '../core/value-checks';

/** Options of `PolicyEngine.cilium()`. */
export interface CiliumEngineOptions {
  /**
   * The namespace of the cluster DNS pods, whose egress rule carries the DNS rule Cilium's DNS
   * proxy needs to learn the addresses of DNS names.
   * @default 'kube-system'
   */
  readonly dnsNamespace?: string;
  /**
   * Labels of the cluster DNS pods.
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly dnsPodLabels?: { [key: string]: string };
  /**
   * The port the cluster DNS pods listen on (UDP and TCP).
   * @default 53
   */
  readonly dnsPort?: number;
}

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
  public static cilium(options: CiliumEngineOptions = {}): PolicyEngine {
    return checkedValue(PolicyEngine.prototype, () => {
      const call = 'PolicyEngine.cilium';
      requireObject(call, 'options', options as unknown, "give { dnsNamespace: 'kube-system' } or nothing");
      optionalString(call, 'dnsNamespace', options.dnsNamespace, "give a namespace name such as 'kube-system'");
      optionalLabels(call, 'dnsPodLabels', options.dnsPodLabels);
      optionalNumber(call, 'dnsPort', options.dnsPort, 'give a port number such as 53');
      const ns = options.dnsNamespace ?? 'kube-system';
      const nsProblem = dns1123LabelProblem(ns);
      if (nsProblem) failCall(call, `dnsNamespace "${ns}" is not a namespace name; ${nsProblem}.`);
      const labels = options.dnsPodLabels ?? { 'k8s-app': 'kube-dns' };
      if (Object.keys(labels).length === 0) failCall(call, 'dnsPodLabels is empty; give the labels of the cluster DNS pods, e.g. { \'k8s-app\': \'kube-dns\' }.');
      const port = options.dnsPort ?? 53;
      if (!isPortNumber(port)) failCall(call, `dnsPort ${port} is not a port; give 1-65535.`);
      return new PolicyEngine(PolicyEngineKind.CILIUM, { namespace: ns, podLabels: { ...labels }, port });
    });
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
    if (isObject((scope as unknown as { node?: unknown }).node)) requireUsable(scope, 'PolicyEngine.use(engine)', engine);
    requireInstance('PolicyEngine.use', 'engine', engine, PolicyEngine, 'give PolicyEngine.kubernetes(), PolicyEngine.cilium() or PolicyEngine.calico()');
    const before = CHOSEN.get(scope);
    if (before && (before.kind !== engine.kind || JSON.stringify(before._dns) !== JSON.stringify(engine._dns))) {
      failCall('PolicyEngine.use', `${scope.node.path || 'the app'} already uses the ${before.kind} policy engine${before.kind === engine.kind ? ' with other options' : ''}; choose one engine per scope.`);
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

  /**
   * Where the cluster DNS pods are (Cilium: the DNS proxy rule).
   * @internal
   */
  public readonly _dns: { readonly namespace: string; readonly podLabels: { [key: string]: string }; readonly port: number };

  private constructor(kind: PolicyEngineKind, dns?: { namespace: string; podLabels: { [key: string]: string }; port: number }) {
    this.kind = kind;
    this._dns = dns ?? { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' }, port: 53 };
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
