import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IConnectionsPolicy, RuleOrigin } from './connections';
import { _isDeclaredExternalPeer, DECLARED_NAMESPACES_ANNOTATION } from './declared-peers';
import { fail, uniqueId } from './errors';
import { optionalBoolean, optionalLabels, optionalString, requireArray, requireInstance, requireObject, requirePeer, requireProps, requireString } from './guards';
import { dns1123SubdomainProblem, isSystemNamespace } from './names';
import { intOrStringValue, leaf, OwnSpec, plainArray, sortedMap } from './own-spec';
import { LabelSelectorSpec, NetworkPolicyPeerSpec, IPeer, peerSelectorProblem } from './peer';
import { Port, requireAllTrafficAlone } from './port';

/** Props of `WorkloadPolicy`. */
export interface WorkloadPolicyProps {
  /** `metadata.name` of the NetworkPolicy. */
  readonly name: string;
  /**
   * The namespace of the policy (and of the pods it selects).
   * @default - the chart's namespace, or none
   */
  readonly namespace?: string;
  /**
   * The pods the policy selects. An empty selector selects every pod in the namespace.
   */
  readonly podSelector: LabelSelectorSpec;
  /**
   * Whether the policy isolates the selected pods for ingress (lists policyType Ingress).
   * @default true
   */
  readonly ingress?: boolean;
  /**
   * Whether the policy isolates the selected pods for egress (lists policyType Egress).
   * @default true
   */
  readonly egress?: boolean;
  /**
   * Labels of the NetworkPolicy object.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/** One rule of a `WorkloadPolicy`: a peer and the ports it is allowed on. */
export interface WorkloadPolicyRule {
  /** The other end. */
  readonly peer: IPeer;
  /** The ports; empty means every port. */
  readonly ports: Port[];
}

/**
 * Told of each rule added to a `WorkloadPolicy` after it started observing (the service mesh
 * uses it to authorize connections and open its dataplane port next to them).
 * @internal
 */
export interface WorkloadPolicyRuleObserver {
  /**
   * Called before the rule is written. Throw to refuse it: nothing is written. Returns ports
   * to write with it besides `ports` (ignored when `ports` is empty, which already means every
   * port); `[]` for none. `origin` is the call that asked for the rule (a refusal of a call on a
   * `Peer`'s own connections starts with `origin.call`).
   */
  readonly beforeRule: (direction: 'ingress' | 'egress', peer: IPeer, ports: Port[], origin: RuleOrigin) => Port[];
  /** Called after the rule is written, with the ports that were requested. */
  readonly afterRule?: (direction: 'ingress' | 'egress', peer: IPeer, ports: Port[]) => void;
}

/**
 * A destination that writes its clients' egress itself, where NetworkPolicy cannot say it (a DNS
 * name, written by a DNS-aware policy engine). `WorkloadPolicy.addEgressRule` hands such a peer
 * the policy and the ports; it returns whether the NetworkPolicy rule is still to be written
 * (the peer's `toPeerSpecs` then names addresses).
 * @internal
 */
export interface SelfWrittenEgress {
  _writeEgressFrom(policy: WorkloadPolicy, ports: Port[]): boolean;
}

function selfWritten(peer: IPeer): SelfWrittenEgress | undefined {
  return typeof (peer as Partial<SelfWrittenEgress>)._writeEgressFrom === 'function' ? peer as unknown as SelfWrittenEgress : undefined;
}

/**
 * A NetworkPolicy that isolates a set of pods in both directions (policyTypes Ingress and
 * Egress) and admits exactly the rules added to it.
 *
 * NetworkPolicies are additive: a pod selected by any policy of a type is isolated for that
 * direction, and traffic is allowed when any selecting policy admits it. Rules are written
 * lazily, so `allowFrom`/`allowTo` calls made after construction appear in the manifest. Rules
 * to the same peer are merged into one rule; a port already covered is not written twice, and a
 * rule identical to an earlier one (another peer naming the same pods, same ports) is written once.
 */
export class WorkloadPolicy extends Construct implements IConnectionsPolicy {
  /** The generated NetworkPolicy (escape hatch: `ApiObject.of(policy)`). */
  public readonly apiObject: ApiObject;
  /** The policy name. */
  public readonly name: string;
  /** The policy namespace, when known. */
  public readonly namespace?: string;
  /**
   * Set when the pods reach hosts outside the cluster through a proxy (an egress gateway): what
   * routes them, for messages. Egress to a DNS name then needs no address of the host.
   * @internal
   */
  public _externalHostsVia?: string;

  private readonly podSelector: LabelSelectorSpec;
  private readonly types: Array<'Ingress' | 'Egress'>;
  private readonly ingress = new Map<string, RuleEntry>();
  private readonly egress = new Map<string, RuleEntry>();
  private readonly observers: WorkloadPolicyRuleObserver[] = [];
  /** The namespaces the declared external peers of its rules name (system namespaces left out), for the annotation; made at the first. */
  private declaredNamespaces?: Set<string>;

  public constructor(scope: Construct, id: string, props: WorkloadPolicyProps) {
    super(scope, uniqueId(scope, id, new.target.name));
    const p = 'WorkloadPolicy';
    requireProps(this, p, props, "give WorkloadPolicyProps, e.g. { name: 'api', podSelector: { matchLabels: { app: 'api' } } }");
    requireString(this, `${p}.name`, props.name, "give a NetworkPolicy name such as 'api'");
    optionalString(this, `${p}.namespace`, props.namespace, "give a namespace name such as 'shop'");
    requireObject(this, `${p}.podSelector`, props.podSelector, "give a label selector, e.g. { matchLabels: { app: 'api' } } ({} selects every pod)");
    optionalLabels(this, `${p}.podSelector.matchLabels`, props.podSelector.matchLabels);
    optionalBoolean(this, `${p}.ingress`, props.ingress, 'give true or false');
    optionalBoolean(this, `${p}.egress`, props.egress, 'give true or false');
    optionalLabels(this, `${p}.labels`, props.labels);
    const problem = dns1123SubdomainProblem(props.name);
    if (problem) fail(this, `WorkloadPolicy.name "${props.name}" is not a valid NetworkPolicy name; ${problem}.`);
    this.name = props.name;
    this.namespace = props.namespace;
    this.podSelector = props.podSelector;
    this.types = [];
    if (props.ingress ?? true) this.types.push('Ingress');
    if (props.egress ?? true) this.types.push('Egress');
    if (this.types.length === 0) fail(this, 'WorkloadPolicy.ingress and WorkloadPolicy.egress are both false; a policy needs at least one direction.');
    this.apiObject = new WorkloadNetworkPolicy(this, 'Resource', { name: props.name, namespace: props.namespace, labels: props.labels },
      new OwnSpec(() => this._toKube(), () => this.specJson()), () => this.checkPeers());
  }

  public addIngressRule(peer: IPeer, ports: Port[]): void {
    this.checkRuleArgs('addIngressRule', peer, ports);
    this._addCheckedRule('ingress', peer, ports);
  }

  public addEgressRule(peer: IPeer, ports: Port[]): void {
    this.checkRuleArgs('addEgressRule', peer, ports);
    this._addCheckedRule('egress', peer, ports);
  }

  /**
   * `addIngressRule`/`addEgressRule` with arguments already checked by the public entry that was
   * called (`allowFrom`/`allowTo` check the peer and ports once; `Connections` writes both sides here).
   * @internal
   */
  public _addCheckedRule(direction: 'ingress' | 'egress', peer: IPeer, given: Port[], origin?: RuleOrigin): void {
    // Port.allTraffic() is refused next to other ports (requireAllTrafficAlone), so here it is
    // alone and means what [] means: a rule without ports. Kept as is, it has no ports[] entry.
    const ports = given.some((x) => x.isAllTraffic) ? [] : given;
    if (direction === 'ingress') {
      if (!this.types.includes('Ingress')) fail(this, `cannot add an ingress rule from ${peer.peerId}: this policy does not cover ingress (WorkloadPolicy.ingress is false).`);
      this.observedAdd('ingress', this.ingress, peer, ports, origin ?? { scope: this, field: 'WorkloadPolicy.addIngressRule: peer' });
    } else {
      if (!this.types.includes('Egress')) fail(this, `cannot add an egress rule to ${peer.peerId}: this policy does not cover egress (WorkloadPolicy.egress is false).`);
      this.observedAdd('egress', this.egress, peer, ports, origin ?? { scope: this, field: 'WorkloadPolicy.addEgressRule: peer' });
    }
  }

  /**
   * Has `observer` told of every rule added from now on (rules already added are not replayed).
   * @internal
   */
  public _addRuleObserver(observer: WorkloadPolicyRuleObserver): void {
    this.observers.push(observer);
  }

  /**
   * The pods the policy selects.
   * @internal
   */
  public get _podSelector(): LabelSelectorSpec {
    return this.podSelector;
  }

  /** The ingress rules so far. */
  public get ingressRules(): WorkloadPolicyRule[] {
    return [...this.ingress.values()].map((r) => ({ peer: r.peer, ports: [...r.ports] }));
  }

  /** The egress rules so far. */
  public get egressRules(): WorkloadPolicyRule[] {
    return [...this.egress.values()].map((r) => ({ peer: r.peer, ports: [...r.ports] }));
  }

  /** @internal */
  public _toKube(): k8s.NetworkPolicySpec {
    const ns = this.namespace;
    const render = (rules: Map<string, RuleEntry>, dir: 'from' | 'to') =>
      distinctRules(rules, ns, false).map((r) => ({
        [dir]: r.peers.map(toKubePeer),
        ports: r.ports.length === 0 ? undefined : r.ports.map(toKubePort),
      }));
    return {
      podSelector: toKubeSelector(this.podSelector) ?? {},
      policyTypes: [...this.types],
      ingress: this.types.includes('Ingress') ? render(this.ingress, 'from') : undefined,
      egress: this.types.includes('Egress') ? render(this.egress, 'to') : undefined,
    };
  }

  /** `_toKube()` as cdk8s renders it (see own-spec.ts): each struct's keys in order, IntOrString ports as their value. */
  private specJson(): any {
    const ns = this.namespace;
    const render = (rules: Map<string, RuleEntry>, dir: 'from' | 'to') => distinctRules(rules, ns, true).map((r) => {
      const peers = r.peerJson;
      const ports = r.portJson;
      const rule: any = {};
      if (dir === 'from') rule.from = peers;
      if (ports !== undefined) rule.ports = ports;
      if (dir === 'to') rule.to = peers;
      return rule;
    });
    const spec: any = {};
    if (this.types.includes('Egress')) spec.egress = render(this.egress, 'to');
    if (this.types.includes('Ingress')) spec.ingress = render(this.ingress, 'from');
    spec.podSelector = selectorJson(this.podSelector) ?? {};
    spec.policyTypes = [...this.types];
    return spec;
  }

  /** Fails for a rule whose peer selects nothing now (see `checkPeer`), naming where the peer was given. */
  private checkPeers(): void {
    for (const r of [...this.ingress.values(), ...this.egress.values()]) checkPeer(r);
  }

  /** The arguments of addIngressRule/addEgressRule, for callers outside TypeScript. */
  private checkRuleArgs(method: string, peer: unknown, ports: unknown) {
    const f = `WorkloadPolicy.${method}`;
    requirePeer(this, `${f}: peer`, peer, "give a peer, e.g. Peer.namespace('monitoring')");
    requireArray(this, `${f}: ports`, ports, 'give a list of Port values ([] for every port)',
      (item, itemField) => requireInstance(this, itemField, item, Port, "give a Port, e.g. Port.tcp(443) or Port.named('http')"));
    requireAllTrafficAlone(this, `${f}: ports`, ports as Port[]);
  }

  private observedAdd(direction: 'ingress' | 'egress', rules: Map<string, RuleEntry>, peer: IPeer, ports: Port[], origin: RuleOrigin) {
    // Every observer may refuse the rule before anything is written.
    const extra = this.observers.length === 0 ? NO_PORTS : this.observers.flatMap((o) => o.beforeRule(direction, peer, [...ports], origin));
    const writer = direction === 'egress' ? selfWritten(peer) : undefined;
    if (!writer || writer._writeEgressFrom(this, [...ports])) {
      const entry = addRule(rules, peer, ports.length === 0 || extra.length === 0 ? ports : [...ports, ...extra], origin);
      if (entry) this.noteDeclaredNamespace(entry.peer);
    }
    for (const o of this.observers) o.afterRule?.(direction, peer, [...ports]);
    // Only a declared external peer can add a namespace to the annotation (rules are never removed).
    if (_isDeclaredExternalPeer(peer)) this.annotateDeclaredNamespaces();
  }

  /** Keeps the namespace of a new rule's peer when it is a declared external peer's (kube-system and the other system namespaces need no declaration: every cluster has them). */
  private noteDeclaredNamespace(peer: IPeer) {
    if (!_isDeclaredExternalPeer(peer)) return;
    const ns = peer.peerNamespace;
    if (ns !== undefined && !isSystemNamespace(ns)) (this.declaredNamespaces ??= new Set()).add(ns);
  }

  /** Says which namespaces the library's own profiles named, for tools that see only the manifest. */
  private annotateDeclaredNamespaces() {
    const names = this.declaredNamespaces;
    if (names && names.size > 0) this.apiObject.metadata.addAnnotation(DECLARED_NAMESPACES_ANNOTATION, [...names].sort().join(','));
  }
}

/** The extra ports of a rule when no observer adds any. */
const NO_PORTS: readonly Port[] = [];

/** A rule: its peer, its ports ([] for every port) and where the peer was first given. */
interface RuleEntry {
  peer: IPeer;
  ports: Port[];
  origin: RuleOrigin;
}

/** Adds the rule, or merges it into the rule of the same peer id; returns the entry when it is new. */
function addRule(rules: Map<string, RuleEntry>, peer: IPeer, ports: readonly Port[], origin: RuleOrigin): RuleEntry | undefined {
  const id = peer.peerId;
  const existing = rules.get(id);
  if (!existing) {
    const entry = { peer, ports: [...ports], origin };
    rules.set(id, entry);
    return entry;
  }
  if (existing.ports.length === 0) return undefined; // already every port
  if (ports.length === 0) {
    existing.ports.length = 0;
    return undefined;
  }
  for (const p of ports) {
    if (!existing.ports.some((e) => e.covers(p))) existing.ports.push(p);
  }
  return undefined;
}

/** A rule as written: its peer specs and ports, and both as cdk8s renders them (unset when a value is not plain JSON). */
interface WrittenRule {
  peers: NetworkPolicyPeerSpec[];
  ports: Port[];
  peerJson?: any[];
  portJson?: any[];
}

/**
 * The rules to write, each distinct rule once. Rules are kept per peer id, but two peers with
 * different ids can name the same pods (`Peer.workload` of a Deployment and of its Service):
 * a rule with the same peer specs and the same ports as an earlier one is left out, so the
 * NetworkPolicy lists it once, where it first appeared. A rule with a value that is not plain
 * JSON (a Lazy cdk8s resolves) cannot be compared: `strict` rethrows (own-spec.ts then renders
 * the cdk8s way), else the rule is kept as it is.
 */
function distinctRules(rules: Map<string, RuleEntry>, ns: string | undefined, strict: boolean): WrittenRule[] {
  const seen = new Set<string>();
  const out: WrittenRule[] = [];
  for (const r of rules.values()) {
    const written: WrittenRule = { peers: r.peer.toPeerSpecs(ns), ports: r.ports };
    try {
      written.peerJson = written.peers.map(peerJson);
      written.portJson = r.ports.length === 0 ? undefined : r.ports.map(portJson);
    } catch (e) {
      if (strict) throw e;
      out.push(written);
      continue;
    }
    const key = JSON.stringify([written.peerJson, written.portJson ?? null]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(written);
  }
  return out;
}

/**
 * Fails for a rule whose peer selects nothing now, naming the construct and the call the peer was
 * given to (not the NetworkPolicy object). Checked when the policy is written, not at allowFrom/
 * allowTo: a `Peer.workload` selector is read then, and the workload may get its selector or
 * labels after the call (kplus `select()`, `metadata.addLabel`), which counts. The peer's own
 * throw in `toPeerSpecs` stays as the backstop for other readers.
 */
function checkPeer(r: RuleEntry): void {
  const problem = peerSelectorProblem(r.peer);
  if (problem) fail(r.origin.scope, `${r.origin.field}: ${problem}`);
}

/** The NetworkPolicy of a WorkloadPolicy: its spec is written by the policy itself when cdk8s would write it unchanged (own-spec.ts). */
class WorkloadNetworkPolicy extends k8s.KubeNetworkPolicy {
  public constructor(scope: Construct, id: string, metadata: ApiObjectMetadata, private readonly ownSpec: OwnSpec<k8s.NetworkPolicySpec>,
    private readonly checkPeers: () => void) {
    super(scope, id, { metadata, spec: ownSpec.lazy() });
  }

  public toJson(): any {
    // Before cdk8s renders: an error thrown inside its toJson is wrapped in "Failed serializing
    // construct at path <this object>", which would hide the construct the message names.
    this.checkPeers();
    return this.ownSpec.render(this, () => super.toJson());
  }
}

/** `toKubeSelector(s)` as cdk8s renders it. */
function selectorJson(s: LabelSelectorSpec | undefined): any {
  const k = toKubeSelector(s);
  if (!k) return undefined;
  const out: any = {};
  if (k.matchExpressions !== undefined && k.matchExpressions !== null) {
    out.matchExpressions = k.matchExpressions.map((e) => {
      const r: any = {};
      if (e.key !== undefined && e.key !== null) r.key = leaf(e.key);
      if (e.operator !== undefined && e.operator !== null) r.operator = leaf(e.operator);
      if (e.values !== undefined && e.values !== null) r.values = plainArray(e.values);
      return r;
    });
  }
  if (k.matchLabels !== undefined && k.matchLabels !== null) out.matchLabels = sortedMap(k.matchLabels);
  return out;
}

/** `toKubePeer(p)` as cdk8s renders it. */
function peerJson(p: NetworkPolicyPeerSpec): any {
  const k = toKubePeer(p);
  const out: any = {};
  if (k.ipBlock !== undefined) {
    const b: any = {};
    if (k.ipBlock.cidr !== undefined && k.ipBlock.cidr !== null) b.cidr = leaf(k.ipBlock.cidr);
    if (k.ipBlock.except !== undefined && k.ipBlock.except !== null) b.except = plainArray(k.ipBlock.except);
    out.ipBlock = b;
  }
  const namespaceSelector = selectorJson(p.namespaceSelector);
  if (namespaceSelector !== undefined) out.namespaceSelector = namespaceSelector;
  const podSelector = selectorJson(p.podSelector);
  if (podSelector !== undefined) out.podSelector = podSelector;
  return out;
}

/** `toKubePort(p)` as cdk8s renders it. */
function portJson(p: Port): any {
  const k = toKubePort(p);
  const out: any = {};
  if (k.endPort !== undefined && k.endPort !== null) out.endPort = leaf(k.endPort);
  if (k.port !== undefined) out.port = intOrStringValue(k.port.value);
  if (k.protocol !== undefined && k.protocol !== null) out.protocol = leaf(k.protocol);
  return out;
}

/** @internal */
export function toKubeSelector(s: LabelSelectorSpec | undefined): k8s.LabelSelector | undefined {
  if (!s) return undefined;
  return {
    matchLabels: s.matchLabels && Object.keys(s.matchLabels).length > 0 ? { ...s.matchLabels } : undefined,
    matchExpressions: s.matchExpressions?.map((e) => ({ key: e.key, operator: e.operator, values: e.values })),
  };
}

/** @internal */
export function toKubePeer(p: NetworkPolicyPeerSpec): k8s.NetworkPolicyPeer {
  return {
    podSelector: toKubeSelector(p.podSelector),
    namespaceSelector: toKubeSelector(p.namespaceSelector),
    ipBlock: p.ipBlock ? { cidr: p.ipBlock.cidr, except: p.ipBlock.except } : undefined,
  };
}

/** @internal */
export function toKubePort(p: Port): k8s.NetworkPolicyPort {
  const spec = p.toNetworkPolicyPort()!;
  return {
    protocol: spec.protocol,
    port: spec.portName !== undefined ? k8s.IntOrString.fromString(spec.portName)
      : spec.port !== undefined ? k8s.IntOrString.fromNumber(spec.port) : undefined,
    endPort: spec.endPort,
  };
}
