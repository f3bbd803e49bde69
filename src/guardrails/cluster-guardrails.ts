import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { GuardPolicy, GuardRule, GuardSubject, namespaceNamed, namespacesExcept, namespacesSubject, toGuardPeers, toGuardPorts } from './guardrail-model';
import { GuardrailAction, GuardrailApi, GuardrailTier } from './guardrail-options';
import { ciliumClusterwideSpec } from './render-cilium';
import { anpSpec, clusterNetworkPolicySpec } from './render-network-policy-api';
import { fail, uniqueId, warn } from '../core/errors';
import { optionalArray, optionalBoolean, optionalEnum, optionalNumber, optionalString, requireArray, requireEnum, requireInstance, requireObject, requirePeer, requireProps, requireString } from '../core/guards';
import { lazyModule } from '../core/lazy-module';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names';
import { IPeer } from '../core/peer';
import { allowsEveryPort, Port, requireAllTrafficAlone } from '../core/port';
import { PolicyEngine, PolicyEngineKind } from '../engine/policy-engine';
import type * as anpTypes from '../imports/anp-policy.networking.k8s.io';
import type * as banpTypes from '../imports/banp-policy.networking.k8s.io';
import type * as ccnpTypes from '../imports/ccnp-cilium.io';
import type * as clusterNpTypes from '../imports/clusternp-policy.networking.k8s.io';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ccnp = lazyModule((): typeof ccnpTypes => require('../imports/ccnp-cilium.io'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const clusterNp = lazyModule((): typeof clusterNpTypes => require('../imports/clusternp-policy.networking.k8s.io'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const anp = lazyModule((): typeof anpTypes => require('../imports/anp-policy.networking.k8s.io'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const banp = lazyModule((): typeof banpTypes => require('../imports/banp-policy.networking.k8s.io'));

/** The cloud metadata endpoint: AWS, GCP, Azure, OpenStack (IPv4) and AWS (IPv6, Nitro). */
const CLOUD_METADATA = ['169.254.169.254/32', 'fd00:ec2::254/128'];

/** Props of `ClusterGuardrails`. */
export interface ClusterGuardrailsProps {
  /**
   * Prefix of the objects' names (`<prefix>-deny-cloud-metadata`, ...). A DNS-1123 label.
   * @default 'guardrails'
   */
  readonly name?: string;
  /**
   * Which API the guardrails are written as when the policy engine is not Cilium. With the
   * Cilium engine (`PolicyEngine.use(app, PolicyEngine.cilium())`) they are written as
   * `CiliumClusterwideNetworkPolicy` objects instead.
   * @default GuardrailApi.ADMIN_NETWORK_POLICY
   */
  readonly api?: GuardrailApi;
  /**
   * Priority of the first admin policy; each further admin policy takes the next number
   * (lower numbers take precedence; 0-1000).
   * @default 10
   */
  readonly priority?: number;
  /**
   * Deny egress to the cloud metadata endpoint (169.254.169.254/32 and fd00:ec2::254/128) from
   * every namespace except `cloudMetadataAllowedNamespaces`. It is the first admin rule, so no
   * later rule can open it.
   * @default true
   */
  readonly denyCloudMetadata?: boolean;
  /**
   * Namespaces whose pods may still reach the cloud metadata endpoint (e.g. a node agent's): they
   * are left out of the deny, and an admin rule allows them the endpoint whatever their own
   * NetworkPolicies and the baseline say.
   * @default - none
   */
  readonly cloudMetadataAllowedNamespaces?: string[];
  /**
   * Always allow DNS: egress from every pod to the cluster DNS pods, and ingress to them from
   * every pod, on `dnsPorts`, whatever NetworkPolicies and the baseline say.
   * @default true
   */
  readonly allowDns?: boolean;
  /**
   * The namespace of the cluster DNS pods.
   * @default 'kube-system'
   */
  readonly dnsNamespace?: string;
  /**
   * Labels of the cluster DNS pods.
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly dnsPodLabels?: { [key: string]: string };
  /**
   * The ports the cluster DNS pods listen on.
   * @default [Port.udp(53), Port.tcp(53)]
   */
  readonly dnsPorts?: Port[];
  /**
   * A baseline default deny: pods that no NetworkPolicy selects get no traffic in either
   * direction except what admin rules allow (BaselineAdminNetworkPolicy `default`, or a Baseline
   * tier ClusterNetworkPolicy). Namespaces in `baselineExceptNamespaces` are left out.
   * @default true
   */
  readonly baselineDefaultDeny?: boolean;
  /**
   * Namespaces the baseline does not apply to. The cluster's own components (CoreDNS reaching
   * the API server and upstream resolvers) live in kube-system and usually have no
   * NetworkPolicies.
   * @default ['kube-system']
   */
  readonly baselineExceptNamespaces?: string[];
}

/** Options for `ClusterGuardrails.allowMonitoring()`. */
export interface ClusterGuardrailsAllowMonitoringOptions {
  /** The monitoring namespace (every pod in it may scrape). */
  readonly namespace: string;
  /**
   * The metrics ports of the scraped pods: numbers, or names of container ports
   * (`Port.named('metrics')`, ClusterNetworkPolicy and Cilium only).
   */
  readonly ports: Port[];
}

/** Options of a free guardrail rule. */
export interface GuardrailRuleOptions {
  /** The rule's name (the rule `name` field; for admin rules also the object name's suffix). A DNS-1123 label. */
  readonly name: string;
  /** What to do with matching traffic. */
  readonly action: GuardrailAction;
  /** The other end: namespaces, pods with their namespace, or (egress) address blocks without exceptions. */
  readonly peers: IPeer[];
  /**
   * The destination ports.
   * @default - every port
   */
  readonly ports?: Port[];
  /**
   * Admin (above NetworkPolicy) or baseline (where no NetworkPolicy decides).
   * @default GuardrailTier.ADMIN
   */
  readonly tier?: GuardrailTier;
  /**
   * The namespaces whose pods the rule applies to, by name (admin rules only; the baseline
   * applies to every namespace not in `baselineExceptNamespaces`).
   * @default - every namespace
   */
  readonly namespaces?: string[];
}

/**
 * Cluster-wide network guardrails that hold for every namespace whatever app teams write:
 * never reach the cloud metadata endpoint, DNS always works, monitoring may always scrape, and
 * pods without NetworkPolicies get nothing by default.
 *
 * Written as network-policy-api objects (cluster-scoped), evaluated as the specification
 * defines: admin policies by priority (lowest number first), rules in order within a policy,
 * Allow/Deny final and Pass handing over to NetworkPolicies; NetworkPolicies; then the
 * baseline for pods no NetworkPolicy selects; then the default (allowed).
 * - `GuardrailApi.ADMIN_NETWORK_POLICY` (default): `AdminNetworkPolicy` objects and the one
 *   `BaselineAdminNetworkPolicy` (its name must be `default`), v1alpha1 (v0.1.8).
 * - `GuardrailApi.CLUSTER_NETWORK_POLICY`: `ClusterNetworkPolicy` objects, tiers Admin and
 *   Baseline, v1alpha2 (v0.2.0).
 * - With the Cilium policy engine: `CiliumClusterwideNetworkPolicy` objects, for the rules
 *   Cilium can express (no Pass, no baseline rules except the default deny).
 *
 * @see https://network-policy-api.sigs.k8s.io/
 *
 * @example
 * const guardrails = new ClusterGuardrails(chart, 'Guardrails', { cloudMetadataAllowedNamespaces: ['node-agent'] });
 * guardrails.allowMonitoring({ namespace: 'monitoring', ports: [Port.tcp(9090)] });
 */
export class ClusterGuardrails extends Construct {
  /** The policy engine the guardrails are written for. */
  public readonly engine: PolicyEngine;
  /** The API written when the engine is not Cilium. */
  public readonly api: GuardrailApi;
  /** The name prefix. */
  public readonly name: string;
  /** The generated objects, in precedence order (escape hatch). */
  public readonly apiObjects: ApiObject[] = [];

  private nextPriority: number;
  private readonly policies: GuardPolicy[] = [];
  private readonly baselineExcept: string[];
  private baseline?: GuardPolicy;
  private readonly baselineDeny: boolean;

  public constructor(scope: Construct, id: string, props: ClusterGuardrailsProps = {}) {
    super(scope, uniqueId(scope, id, new.target.name));
    checkPropTypes(this, props);
    const p = 'ClusterGuardrails';
    this.engine = PolicyEngine.of(this);
    this.api = props.api ?? GuardrailApi.ADMIN_NETWORK_POLICY;
    this.name = props.name ?? 'guardrails';
    const nameProblem = dns1123LabelProblem(this.name);
    if (nameProblem) fail(this, `${p}.name "${this.name}" is not a valid name prefix; ${nameProblem}.`);
    this.nextPriority = props.priority ?? 10;
    if (!Number.isInteger(this.nextPriority) || this.nextPriority < 0 || this.nextPriority > 1000) {
      fail(this, `${p}.priority is ${this.nextPriority}; a priority is an integer 0-1000 (network-policy-api spec.priority).`);
    }
    const metadataAllowed = this.namespaceList(`${p}.cloudMetadataAllowedNamespaces`, props.cloudMetadataAllowedNamespaces ?? []);
    this.baselineExcept = this.namespaceList(`${p}.baselineExceptNamespaces`, props.baselineExceptNamespaces ?? ['kube-system']);
    if (props.cloudMetadataAllowedNamespaces !== undefined && props.denyCloudMetadata === false) {
      fail(this, `${p}.cloudMetadataAllowedNamespaces is set while ${p}.denyCloudMetadata is false; the allow list only makes sense with the deny. Remove one.`);
    }

    if (props.denyCloudMetadata ?? true) {
      this.addPolicy('DenyCloudMetadata', 'deny-cloud-metadata', GuardrailTier.ADMIN, namespacesSubject(metadataAllowed), [], [
        { name: 'deny-cloud-metadata', action: GuardrailAction.DENY, peers: [{ networks: [...CLOUD_METADATA] }], ports: [] },
      ]);
    }
    if (props.allowDns ?? true) {
      const dnsNs = props.dnsNamespace ?? 'kube-system';
      const nsProblem = dns1123LabelProblem(dnsNs);
      if (nsProblem) fail(this, `${p}.dnsNamespace "${dnsNs}" is not a namespace name; ${nsProblem}.`);
      const dnsPods = { namespaceSelector: namespaceNamed(dnsNs), podSelector: { matchLabels: { ...(props.dnsPodLabels ?? { 'k8s-app': 'kube-dns' }) } } };
      if (props.dnsPorts) requireAllTrafficAlone(this, `${p}.dnsPorts`, props.dnsPorts);
      const dnsPorts = toGuardPorts(props.dnsPorts ?? [Port.DNS_UDP, Port.DNS_TCP]);
      if (props.dnsPorts !== undefined && props.dnsPorts.length === 0) fail(this, `${p}.dnsPorts is empty; DNS needs at least one port (usually UDP and TCP 53).`);
      this.addPolicy('AllowDns', 'allow-dns', GuardrailTier.ADMIN, namespacesSubject([]), [], [
        { name: 'allow-dns', action: GuardrailAction.ALLOW, peers: [{ pods: dnsPods }], ports: dnsPorts },
      ]);
      this.addPolicy('AllowDnsServer', 'allow-dns-server', GuardrailTier.ADMIN, { pods: dnsPods }, [
        { name: 'allow-dns-queries', action: GuardrailAction.ALLOW, peers: [{ namespaces: {} }], ports: dnsPorts },
      ], []);
    }
    this.baselineDeny = props.baselineDefaultDeny ?? true;
    if (this.baselineDeny) this.ensureBaseline();
    if (metadataAllowed.length > 0 && (props.denyCloudMetadata ?? true)) {
      // "May still reach" must hold whatever else applies to them (the baseline default deny, or
      // their own NetworkPolicies): an admin Allow, after the deny of every other namespace.
      this.addPolicy('AllowCloudMetadata', 'allow-cloud-metadata', GuardrailTier.ADMIN,
        { namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...metadataAllowed] }] } }, [], [
          { name: 'allow-cloud-metadata', action: GuardrailAction.ALLOW, peers: [{ networks: [...CLOUD_METADATA] }], ports: [] },
        ]);
    }
  }

  /**
   * Always allow ingress from every pod of the monitoring namespace on the metrics ports, to
   * every pod of every namespace, whatever NetworkPolicies and the baseline say.
   */
  public allowMonitoring(options: ClusterGuardrailsAllowMonitoringOptions): void {
    const call = 'ClusterGuardrails.allowMonitoring';
    requireObject(this, `${call}: options`, options, "give { namespace: 'monitoring', ports: [Port.tcp(9090)] }");
    requireString(this, `${call}: namespace`, options.namespace, "give a namespace name such as 'monitoring'");
    requireArray(this, `${call}: ports`, options.ports, 'give the metrics ports, e.g. [Port.tcp(9090)]',
      (item, f) => requireInstance(this, f, item, Port, "give a Port, e.g. Port.tcp(9090) or Port.named('metrics')"));
    const problem = dns1123LabelProblem(options.namespace);
    if (problem) fail(this, `${call}: namespace "${options.namespace}" is not a namespace name; ${problem}.`);
    if (allowsEveryPort(options.ports)) {
      fail(this, `${call}: ports is ${options.ports.length === 0 ? 'empty' : 'all traffic'}; name the metrics ports (e.g. Port.tcp(9090)): monitoring needs only those.`);
    }
    this.addPolicy('AllowMonitoring', 'allow-monitoring', GuardrailTier.ADMIN, namespacesSubject([]), [
      { name: 'allow-monitoring', action: GuardrailAction.ALLOW, peers: [{ namespaces: namespaceNamed(options.namespace) }], ports: toGuardPorts(options.ports) },
    ], []);
    // The scrapers' own egress: without it the baseline default deny (or the monitoring
    // namespace's own policies) would stop the connection at its source.
    this.addPolicy('AllowMonitoringScrape', 'allow-monitoring-scrape', GuardrailTier.ADMIN, { namespaces: namespaceNamed(options.namespace) }, [], [
      { name: 'allow-monitoring-scrape', action: GuardrailAction.ALLOW, peers: [{ namespaces: {} }], ports: toGuardPorts(options.ports) },
    ]);
  }

  /** Adds an ingress rule: traffic from `peers` to the subject pods. */
  public addIngressRule(options: GuardrailRuleOptions): void {
    this.addRule('addIngressRule', 'ingress', options);
  }

  /** Adds an egress rule: traffic from the subject pods to `peers`. */
  public addEgressRule(options: GuardrailRuleOptions): void {
    this.addRule('addEgressRule', 'egress', options);
  }

  private addRule(method: string, direction: 'ingress' | 'egress', options: GuardrailRuleOptions) {
    const call = `ClusterGuardrails.${method}`;
    requireObject(this, `${call}: options`, options, "give { name: 'deny-legacy', action: GuardrailAction.DENY, peers: [Peer.namespace('legacy')] }");
    requireString(this, `${call}: name`, options.name, "give a rule name such as 'deny-legacy'");
    requireEnum(this, `${call}: action`, options.action, Object.values(GuardrailAction), 'GuardrailAction');
    optionalEnum(this, `${call}: tier`, options.tier, Object.values(GuardrailTier), 'GuardrailTier');
    requireArray(this, `${call}: peers`, options.peers, "give the peers, e.g. [Peer.namespace('legacy')]",
      (item, f) => requirePeer(this, f, item, "give a peer such as Peer.namespace('legacy')"));
    optionalArray(this, `${call}: ports`, options.ports, 'give a list of Port values',
      (item, f) => requireInstance(this, f, item, Port, 'give a Port, e.g. Port.tcp(443)'));
    if (options.ports) requireAllTrafficAlone(this, `${call}: ports`, options.ports);
    const f = `${call}(${options.name})`;
    const nameProblem = dns1123LabelProblem(options.name);
    if (nameProblem) fail(this, `${f}: name "${options.name}" is not a valid rule name; ${nameProblem}.`);
    if (options.peers.length === 0) fail(this, `${f}: peers is empty; a rule needs at least one peer (network-policy-api: from/to MinItems=1).`);
    const tier = options.tier ?? GuardrailTier.ADMIN;
    const peers = options.peers.flatMap((peer, i) => {
      const out = toGuardPeers(peer, direction);
      if (typeof out === 'string') fail(this, `${f}: peers[${i}] ${out}.`);
      return out;
    });
    const rule: GuardRule = { name: options.name, action: options.action, peers, ports: toGuardPorts(options.ports ?? []) };
    if (tier === GuardrailTier.BASELINE) {
      if (options.namespaces !== undefined) {
        fail(this, `${f}: namespaces is set on a baseline rule; the baseline is one policy for every namespace not in ClusterGuardrailsProps.baselineExceptNamespaces. Remove namespaces.`);
      }
      if (options.action === GuardrailAction.PASS) {
        fail(this, `${f}: action is Pass on a baseline rule; the baseline is the last tier, so there is nothing to pass to (BaselineAdminNetworkPolicy actions are Allow and Deny).`);
      }
      const baseline = this.ensureBaseline();
      // Free baseline rules come before the default deny, which is the last rule of each direction.
      const list = direction === 'ingress' ? baseline.ingress : baseline.egress;
      const at = this.baselineDeny ? list.length - 1 : list.length;
      list.splice(at, 0, rule);
      this.check(baseline, baseline.id);
      return;
    }
    const namespaces = this.namespaceList(`${f}: namespaces`, options.namespaces ?? []);
    if (options.namespaces !== undefined && namespaces.length === 0) fail(this, `${f}: namespaces is empty; omit it for every namespace.`);
    const subject: GuardSubject = namespaces.length === 0 ? namespacesSubject([])
      : { namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: namespaces }] } };
    const id = `Rule${options.name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`;
    if (this.node.tryFindChild(id)) fail(this, `${f}: a rule named "${options.name}" exists already; give each rule its own name.`);
    this.addPolicy(id, options.name, GuardrailTier.ADMIN, subject, direction === 'ingress' ? [rule] : [], direction === 'egress' ? [rule] : []);
  }

  private ensureBaseline(): GuardPolicy {
    if (this.baseline) return this.baseline;
    const deny = this.baselineDeny;
    const ingress: GuardRule[] = deny ? [{ name: 'baseline-deny-ingress', action: GuardrailAction.DENY, peers: [{ namespaces: {} }], ports: [] }] : [];
    const egress: GuardRule[] = deny ? [{
      name: 'baseline-deny-egress',
      action: GuardrailAction.DENY,
      peers: [{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }],
      ports: [],
    }] : [];
    this.baseline = this.addPolicy('Baseline', 'baseline', GuardrailTier.BASELINE, { namespaces: namespacesExcept(this.baselineExcept) }, ingress, egress);
    return this.baseline;
  }

  private addPolicy(id: string, suffix: string, tier: GuardrailTier, subject: GuardSubject, ingress: GuardRule[], egress: GuardRule[]): GuardPolicy {
    let priority = 0;
    if (tier === GuardrailTier.ADMIN) {
      priority = this.nextPriority++;
      if (priority > 1000) fail(this, `${suffix}: the guardrails need priority ${priority}, above 1000; start from a lower ClusterGuardrailsProps.priority.`);
    }
    const policy: GuardPolicy = { id, suffix, tier, priority, subject, ingress, egress };
    this.check(policy, id);
    this.policies.push(policy);
    const cilium = this.engine.kind === PolicyEngineKind.CILIUM;
    const gvk = cilium ? ccnp.CiliumClusterwideNetworkPolicy.GVK
      : this.api === GuardrailApi.CLUSTER_NETWORK_POLICY ? clusterNp.ClusterNetworkPolicy.GVK
        : tier === GuardrailTier.BASELINE ? banp.BaselineAdminNetworkPolicy.GVK : anp.AdminNetworkPolicy.GVK;
    // The BaselineAdminNetworkPolicy must be named `default` (a CEL rule of its CRD, v0.1.8).
    const name = !cilium && this.api === GuardrailApi.ADMIN_NETWORK_POLICY && tier === GuardrailTier.BASELINE ? 'default' : `${this.name}-${suffix}`;
    const problem = dns1123SubdomainProblem(name);
    if (problem) fail(this, `object name "${name}" is not valid; ${problem}.`);
    const obj = new ApiObject(this, id, {
      ...gvk,
      metadata: { name },
      spec: Lazy.any({ produce: () => this.render(policy) }),
    });
    // Every kind written here is cluster-scoped, but a Chart's namespace is stamped on every object (cdk8s#1558).
    if (Chart.of(this).namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    this.apiObjects.push(obj);
    return policy;
  }

  /** Renders a policy; errors were found by `check` already. */
  private render(policy: GuardPolicy): any {
    const out = this.renderOrProblem(policy);
    if (typeof out === 'string') fail(this, out);
    return out;
  }

  private renderOrProblem(policy: GuardPolicy): any | string {
    if (this.engine.kind === PolicyEngineKind.CILIUM) {
      return ciliumClusterwideSpec(policy, policy.tier === GuardrailTier.BASELINE && this.onlyDefaultDeny(policy));
    }
    return this.api === GuardrailApi.CLUSTER_NETWORK_POLICY ? clusterNetworkPolicySpec(policy) : anpSpec(policy);
  }

  private onlyDefaultDeny(policy: GuardPolicy): boolean {
    return this.baselineDeny && policy.ingress.length === 1 && policy.egress.length === 1;
  }

  /** Fails now (not at synth) when the engine or API cannot write the policy; warns when Cilium loses the rule order. */
  private check(policy: GuardPolicy, id: string) {
    const out = this.renderOrProblem(policy);
    const what = this.engine.kind === PolicyEngineKind.CILIUM ? 'CiliumClusterwideNetworkPolicy (policy engine cilium)' : this.api;
    if (typeof out === 'string') fail(this, `${id}: cannot be written as ${what}: ${out}.`);
    if (this.engine.kind === PolicyEngineKind.CILIUM && policy.tier === GuardrailTier.ADMIN) {
      const all = this.policies.filter((x) => x.tier === GuardrailTier.ADMIN && x !== policy);
      const allowsBefore = all.some((x) => [...x.ingress, ...x.egress].some((r) => r.action === GuardrailAction.ALLOW));
      if (allowsBefore && [...policy.ingress, ...policy.egress].some((r) => r.action === GuardrailAction.DENY)) {
        warn(this, `${id}: a Deny rule after Allow rules; Cilium deny rules win over every allow whatever the order, so traffic both rules match is denied (AdminNetworkPolicy would allow it).`);
      }
    }
  }

  private namespaceList(field: string, names: string[]): string[] {
    names.forEach((n, i) => {
      const problem = dns1123LabelProblem(n);
      if (problem) fail(this, `${field}[${i}] "${n}" is not a namespace name; ${problem}.`);
      if (names.indexOf(n) !== i) fail(this, `${field} lists "${n}" twice; list each namespace once.`);
    });
    return [...names];
  }
}

function checkPropTypes(scope: Construct, props: ClusterGuardrailsProps) {
  const p = 'ClusterGuardrails';
  requireProps(scope, p, props, "give ClusterGuardrailsProps, e.g. { cloudMetadataAllowedNamespaces: ['node-agent'] }", true);
  optionalString(scope, `${p}.name`, props.name, "give a name prefix such as 'guardrails'");
  optionalEnum(scope, `${p}.api`, props.api, Object.values(GuardrailApi), 'GuardrailApi');
  optionalNumber(scope, `${p}.priority`, props.priority, 'give an integer 0-1000');
  optionalBoolean(scope, `${p}.denyCloudMetadata`, props.denyCloudMetadata, 'give true or false');
  optionalBoolean(scope, `${p}.allowDns`, props.allowDns, 'give true or false');
  optionalBoolean(scope, `${p}.baselineDefaultDeny`, props.baselineDefaultDeny, 'give true or false');
  optionalString(scope, `${p}.dnsNamespace`, props.dnsNamespace, "give a namespace name such as 'kube-system'");
  for (const field of ['cloudMetadataAllowedNamespaces', 'baselineExceptNamespaces'] as const) {
    optionalArray(scope, `${p}.${field}`, props[field], "give a list of namespace names, e.g. ['kube-system']",
      (item, f) => requireString(scope, f, item, "give a namespace name such as 'kube-system'"));
  }
  optionalArray(scope, `${p}.dnsPorts`, props.dnsPorts, 'give a list of Port values, e.g. [Port.udp(53), Port.tcp(53)]',
    (item, f) => requireInstance(scope, f, item, Port, 'give a Port, e.g. Port.udp(53)'));
}

