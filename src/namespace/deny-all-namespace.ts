import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { allowConnection, Connections, IConnectable, RuleOrigin } from '../core/connections';
import { fail, uniqueId } from '../core/errors';
import { optionalBoolean, optionalInstance, optionalLabels, optionalObject, optionalString, optionalStringArray, requireProps } from '../core/guards';
import { _registerIsolatingNamespace, IsolatedEgress } from '../core/isolated-egress';
import { LabelKeys } from '../core/labels';
import { dns1123LabelProblem, isSystemNamespace, labelProblem, nameFromId } from '../core/names';
import { IPeer, NetworkPolicyPeerSpec, Peer } from '../core/peer';
import { Port } from '../core/port';
import { WorkloadPolicy } from '../core/workload-policy';
import { ClusterDns } from '../dns/cluster-dns';
import { INamespace, namespacePeerSpec } from '../dns/namespace-ref';
import type { ServiceMesh } from '../mesh/mesh';
import { AppValidation } from '../validation/app-validation';
import { IGNORE_ANNOTATION_PREFIX } from '../validation/rule-set';

/** Pod Security Standards levels for Pod Security Admission. */
export enum PodSecurityLevel {
  /** Unrestricted. */
  PRIVILEGED = 'privileged',
  /** Prevents known privilege escalations. */
  BASELINE = 'baseline',
  /** Current pod hardening best practices. */
  RESTRICTED = 'restricted',
}

/** Props of `DenyAllNamespace`. */
export interface DenyAllNamespaceProps {
  /**
   * The namespace name (a DNS-1123 label; `default` and `kube-*` are refused).
   * @default - derived from the construct id (`Shop` -> `shop`)
   */
  readonly name?: string;
  /**
   * Pod Security Admission level for enforce, audit and warn.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * The Pod Security Standards version the level refers to (`latest` or `v1.N`).
   * @default 'latest'
   */
  readonly podSecurityVersion?: string;
  /**
   * Where pods resolve names; egress to it stays open.
   * @default ClusterDns.kubeDns()
   */
  readonly clusterDns?: ClusterDns;
  /**
   * Whether pods may resolve names at all (egress to the cluster DNS). When false, workloads of
   * this library in the namespace do not open DNS egress in their own policies either.
   * @default true
   */
  readonly allowDns?: boolean;
  /**
   * Allow every pod of the namespace to reach every other pod of it (ingress and egress).
   *
   * NetworkPolicies are additive: with this on, every pod of the namespace reaches every port of
   * every other pod, whatever narrower `allowTo`/`allowFrom` statements say.
   * @default false
   */
  readonly allowWithinNamespace?: boolean;
  /**
   * Namespaces whose pods may connect to every pod of this namespace (ingress only).
   * @default - none
   */
  readonly allowFromNamespaces?: string[];
  /**
   * Extra labels of the Namespace.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * The service mesh its pods join (injection, STRICT mTLS, deny-by-default authorization).
   *
   * `SecureService` and `HeadlessStatefulEndpoint` in the namespace join it and authorize their
   * declared callers by identity. `allowFromNamespaces` and `allowWithinNamespace` are also
   * rendered as mesh authorization (the pods of those namespaces must be in the same mesh,
   * since they are admitted by identity): Istio, a namespace-wide ALLOW AuthorizationPolicy
   * from those namespaces; Linkerd, a MeshTLSAuthentication of
   * `*.<ns>.serviceaccount.identity.<control plane>.<trust domain>` and an AuthorizationPolicy
   * that targets the Namespace (every Server in it: each TCP port of this library's workloads).
   *
   * Workload traffic options a mesh refuses, at construction: Linkerd has no `connectionPool`,
   * `outlierDetection.maxEjectionPercent`/`intervalSeconds`, `faultInjection` or retries on
   * `connect-failure`/`reset`; Istio refuses `faultInjection` without `allowFaultInjection`, and
   * in ambient mode every traffic option (no waypoint is deployed).
   * @default - no mesh
   */
  readonly mesh?: ServiceMesh;
}

/**
 * A namespace that starts closed.
 *
 * Creates the Namespace with Pod Security Admission labels (enforce, audit and warn at
 * `restricted`), a `default-deny` NetworkPolicy (`podSelector: {}`, policyTypes Ingress and
 * Egress, no rules) and an `allow-dns` policy, so pods can still resolve names. Optional policies
 * allow traffic within the namespace and from named namespaces.
 *
 * It is usable as the `namespace` of every construct of this library and as a connection peer
 * meaning every pod of the namespace.
 *
 * An ingress controller or gateway data plane of the app that runs here (its `namespace` is this
 * one) gets a policy that lets exactly its pods out to the backends it routes to, on their ports:
 * the default-deny isolates its egress too.
 *
 * @example
 * const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
 */
export class DenyAllNamespace extends Construct implements INamespace {
  /** The Namespace (escape hatch). */
  public readonly namespace: kplus.Namespace;
  /** The default-deny NetworkPolicy. */
  public readonly defaultDenyPolicy: ApiObject;
  /** The DNS allowance, when `allowDns` is true. */
  public readonly dnsPolicy?: WorkloadPolicy;
  public readonly namespaceName: string;
  public readonly clusterDns: ClusterDns;
  public readonly dnsAllowed: boolean;
  public readonly connections: Connections;
  public readonly peerId: string;
  public readonly peerNamespace?: string;
  /** @internal */
  public readonly _namespaceLabels: { [key: string]: string };
  private policy?: WorkloadPolicy;
  /** The egress policies of pods this library does not run here (an ingress controller), by the pods' peer id. */
  private readonly isolatedEgress = new Map<string, WorkloadPolicy>();

  public constructor(scope: Construct, id: string, props: DenyAllNamespaceProps = {}) {
    super(scope, uniqueId(scope, id, new.target.name));
    checkPropTypes(this, props);
    const name = props.name ?? nameFromId(id);
    const problem = dns1123LabelProblem(name);
    if (problem) fail(this, `DenyAllNamespace.name "${name}" is not a valid namespace name; ${problem}.`);
    if (isSystemNamespace(name)) {
      fail(this, `DenyAllNamespace.name "${name}" is a system namespace; choose a namespace of your own (default and kube-* are refused).`);
    }
    const version = props.podSecurityVersion ?? 'latest';
    if (!/^(latest|v1\.\d+)$/.test(version)) {
      fail(this, `DenyAllNamespace.podSecurityVersion "${version}" is not a version; use 'latest' or 'v1.N' (e.g. 'v1.30').`);
    }
    for (const [k, v] of Object.entries(props.labels ?? {})) {
      const labelError = labelProblem(k, v);
      if (labelError) fail(this, `DenyAllNamespace.labels: ${labelError}.`);
      // These would be overwritten below without a word; say which props set them.
      if (k.startsWith('pod-security.kubernetes.io/')) {
        fail(this, `DenyAllNamespace.labels sets "${k}", which this construct writes; use DenyAllNamespace.podSecurity and podSecurityVersion instead.`);
      }
    }
    const level = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    if (!Object.values(PodSecurityLevel).includes(level)) {
      fail(this, `DenyAllNamespace.podSecurity "${level}" is not privileged, baseline or restricted; use a PodSecurityLevel value.`);
    }
    this.namespaceName = name;
    this.peerId = `ns:${name}`;
    this.peerNamespace = name;
    this.clusterDns = props.clusterDns ?? ClusterDns.kubeDns();
    this.dnsAllowed = props.allowDns ?? true;

    const labels: { [key: string]: string } = { ...props.labels };
    for (const mode of ['enforce', 'audit', 'warn']) {
      labels[`pod-security.kubernetes.io/${mode}`] = level;
      labels[`pod-security.kubernetes.io/${mode}-version`] = version;
    }
    labels[LabelKeys.MANAGED_BY] = LabelKeys.MANAGED_BY_VALUE;
    this._namespaceLabels = { ...labels };
    this.namespace = new kplus.Namespace(this, 'Resource', { metadata: { name, labels } });
    // A Chart's namespace is stamped on every object, cluster-scoped ones included (cdk8s#1558).
    if (Chart.of(this).namespace !== undefined) {
      ApiObject.of(this.namespace).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }

    this.defaultDenyPolicy = new kplus.k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: { name: 'default-deny', namespace: name },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    if (props.allowDns ?? true) {
      this.dnsPolicy = new WorkloadPolicy(this, 'AllowDns', { name: 'allow-dns', namespace: name, podSelector: {}, ingress: false });
      for (const rule of this.clusterDns._rules) this.dnsPolicy.addEgressRule(rule.peer, rule.ports);
    }
    if (props.allowWithinNamespace) {
      const within = new WorkloadPolicy(this, 'AllowWithinNamespace', { name: 'allow-within-namespace', namespace: name, podSelector: {} });
      within.addIngressRule(this, []);
      within.addEgressRule(this, []);
    }
    const from = props.allowFromNamespaces ?? [];
    from.forEach((ns, i) => {
      const p = dns1123LabelProblem(ns);
      if (p) fail(this, `DenyAllNamespace.allowFromNamespaces[${i}] "${ns}" is not a namespace name; ${p}.`);
    });
    const twice = from.find((ns, i) => from.indexOf(ns) !== i);
    if (twice !== undefined) fail(this, `DenyAllNamespace.allowFromNamespaces lists "${twice}" twice; list each namespace once.`);
    if (from.length > 0) {
      const allow = new WorkloadPolicy(this, 'AllowFromNamespaces', { name: 'allow-from-namespaces', namespace: name, podSelector: {}, egress: false });
      for (const ns of from) allow.addIngressRule(Peer.namespace(ns), []);
    }

    // A construct with managed connections is one of this library's: its objects get the app-wide checks.
    AppValidation._register(this);
    // The policy is made on first use; a connection hands it rules its allowFrom/allowTo checked.
    const policy = {
      addIngressRule: (peer: IPeer, ports: Port[]) => this.connectionsPolicy().addIngressRule(peer, ports),
      addEgressRule: (peer: IPeer, ports: Port[]) => this.connectionsPolicy().addEgressRule(peer, ports),
      _addCheckedRule: (direction: 'ingress' | 'egress', peer: IPeer, ports: Port[], origin?: RuleOrigin) => this.connectionsPolicy()._addCheckedRule(direction, peer, ports, origin),
    };
    this.connections = new Connections({
      peer: this,
      scope: this,
      description: `DenyAllNamespace ${name}`,
      policy,
    });
    // Ingress controllers and gateway data planes that run here reach their backends through this namespace's rules.
    _registerIsolatingNamespace(this, this);
    props.mesh?._applyToNamespace({
      scope: this,
      name,
      metadata: ApiObject.of(this.namespace).metadata,
      allowFromNamespaces: [...from],
      allowWithinNamespace: props.allowWithinNamespace ?? false,
    });
  }

  public toPeerSpecs(policyNamespace?: string): NetworkPolicyPeerSpec[] {
    return [namespacePeerSpec(this.namespaceName, policyNamespace)];
  }

  /** Allows connections from `other` to every pod of this namespace. */
  public allowFrom(other: IConnectable, ...ports: Port[]): void {
    allowConnection(this, this.connections, 'allowFrom', other, ports, (o) => this.refuseSelf('allowFrom', o));
  }

  /** Allows connections from every pod of this namespace to `other`. */
  public allowTo(other: IConnectable, ...ports: Port[]): void {
    allowConnection(this, this.connections, 'allowTo', other, ports, (o) => this.refuseSelf('allowTo', o));
  }

  /**
   * The egress of pods this library does not run but routes through (an ingress controller, a
   * gateway's data plane), when they run in this namespace: `default-deny` isolates their egress
   * too, so a backend's ingress rule alone would admit nothing. One policy per set of pods,
   * selecting exactly them, with one egress rule per backend on the backend's ports.
   * @internal
   */
  public _allowIsolatedEgress(need: IsolatedEgress): void {
    let policy = this.isolatedEgress.get(need.source.peerId);
    if (!policy) {
      const names = new Set([...this.isolatedEgress.values()].map((p) => p.name));
      let name = need.policyName;
      for (let i = 2; names.has(name); i++) name = `${need.policyName}-${i}`;
      policy = new WorkloadPolicy(this, `IsolatedEgress-${name}`, {
        name,
        namespace: this.namespaceName,
        podSelector: need.podSelector,
        ingress: false,
        labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE },
      });
      // The pods are deployed by the controller's own installation, so no manifest of the app has them (NET013).
      policy.apiObject.metadata.addAnnotation(`${IGNORE_ANNOTATION_PREFIX}network-policy-selects-no-pods`,
        `the pods of ${need.sourceName} are deployed outside this app`);
      this.isolatedEgress.set(need.source.peerId, policy);
    }
    policy._addCheckedRule('egress', need.destination, need.ports, need.origin);
  }

  /** For a namespace, the way to connect it to itself is a prop, not Peer.pods as the generic message says. */
  private refuseSelf(method: string, other: IConnectable): void {
    if (other.connections.peer === this) {
      fail(this, `${method}(${this.peerId}): DenyAllNamespace ${this.namespaceName} cannot be connected to itself; ` +
        'set DenyAllNamespace.allowWithinNamespace to true to let its pods reach each other.');
    }
  }

  /** The policy that holds connections of the whole namespace, created on first use. */
  private connectionsPolicy(): WorkloadPolicy {
    if (!this.policy) {
      this.policy = new WorkloadPolicy(this, 'Connections', { name: 'allow-connections', namespace: this.namespaceName, podSelector: {} });
    }
    return this.policy;
  }
}

/** Types first (for callers outside TypeScript): nothing below may meet a null, a number for a name or a string for a list. */
function checkPropTypes(scope: Construct, props: DenyAllNamespaceProps) {
  const p = 'DenyAllNamespace';
  requireProps(scope, p, props, "give DenyAllNamespaceProps, e.g. { name: 'shop' }, or nothing", true);
  optionalString(scope, `${p}.name`, props.name, "give a namespace name such as 'shop'");
  optionalString(scope, `${p}.podSecurityVersion`, props.podSecurityVersion, "give 'latest' or 'v1.N', e.g. 'v1.30'");
  optionalInstance(scope, `${p}.clusterDns`, props.clusterDns, ClusterDns, 'give ClusterDns.kubeDns() or ClusterDns.nodeLocalDnsCache()');
  optionalBoolean(scope, `${p}.allowDns`, props.allowDns, 'give true or false');
  optionalBoolean(scope, `${p}.allowWithinNamespace`, props.allowWithinNamespace, 'give true or false');
  optionalStringArray(scope, `${p}.allowFromNamespaces`, props.allowFromNamespaces, "give a list of namespace names, e.g. ['monitoring']",
    "give a namespace name such as 'monitoring'");
  optionalLabels(scope, `${p}.labels`, props.labels);
  optionalObject(scope, `${p}.mesh`, props.mesh, 'give a ServiceMesh, e.g. ServiceMesh.istio()');
}
