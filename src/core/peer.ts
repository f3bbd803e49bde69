import { IConstruct } from 'constructs';
import { appApiObject, appPodSelector, AppServicePort, appServicePorts, PEER_WORKLOAD_KINDS } from './app-objects';
import { parseCidr, parseIp } from './cidr';
import { Connections, IConnectable } from './connections';
import { _declareExternalPeer } from './declared-peers';
import { failCall } from './errors';
import { optionalStringArray, optionalString, requireObject, requireString, requireStringMap } from './guards';
import { LabelKeys } from './labels';
import { dns1123LabelProblem, labelProblem } from './names';
import type { Port } from './port';
import { checkedValue } from './value-checks';

/**
 * The DNS name a peer stands for (an external dependency reached by name, maybe a wildcard such
 * as `*.s3.amazonaws.com`), when it is one: peers that are DNS names carry it as `_dnsName`.
 * @internal
 */
export function dnsNameOfPeer(peer: IPeer): string | undefined {
  const name = (peer as { _dnsName?: unknown })._dnsName;
  return typeof name === 'string' ? name : undefined;
}

/** A label selector, as NetworkPolicies and workloads write it. */
export interface LabelSelectorSpec {
  /**
   * Labels that must all be present with these values.
   * @default - no label constraint
   */
  readonly matchLabels?: { [key: string]: string };
  /**
   * Set-based requirements, ANDed with `matchLabels`.
   * @default - none
   */
  readonly matchExpressions?: LabelSelectorRequirementSpec[];
}

/** One set-based label requirement. */
export interface LabelSelectorRequirementSpec {
  /** The label key. */
  readonly key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
  readonly operator: string;
  /**
   * Values for `In`/`NotIn`.
   * @default - none (required empty for `Exists`/`DoesNotExist`)
   */
  readonly values?: string[];
}

/** An IP block peer. */
export interface IpBlockSpec {
  /** The CIDR. */
  readonly cidr: string;
  /**
   * CIDRs inside `cidr` that are excluded.
   * @default - none
   */
  readonly except?: string[];
}

/** One NetworkPolicy peer (`from[]`/`to[]` entry), as written in the manifest. */
export interface NetworkPolicyPeerSpec {
  /**
   * Pods selected by labels (in the policy's namespace unless `namespaceSelector` is set too).
   * @default - not set
   */
  readonly podSelector?: LabelSelectorSpec;
  /**
   * Namespaces selected by labels. With `podSelector` in the same peer, both must match (AND).
   * @default - not set
   */
  readonly namespaceSelector?: LabelSelectorSpec;
  /**
   * Addresses outside the cluster.
   * @default - not set
   */
  readonly ipBlock?: IpBlockSpec;
}

/**
 * Something a NetworkPolicy can name as the other end of a connection.
 *
 * Implemented by this library's constructs (their pods), by `DenyAllNamespace` (every pod in the
 * namespace), and by the values of `Peer`. Every peer is also `IConnectable`; peers that this
 * library does not manage have `Connections` that write nothing on their side.
 */
export interface IPeer extends IConnectable {
  /** A stable id, used in construct ids and messages (`shop/api`, `ns:monitoring`, `10.0.0.0/8`). */
  readonly peerId: string;
  /**
   * The namespace of the selected pods, when they are in exactly one known namespace.
   * Undefined for IP blocks, namespace label selectors, and pods in an unnamed namespace.
   * @default - no single known namespace
   */
  readonly peerNamespace?: string;
  /**
   * How a NetworkPolicy in `policyNamespace` names these pods or addresses: the `from`/`to`
   * entries of one rule (ORed). Most peers are one entry; a set of address blocks is several,
   * since one NetworkPolicy peer holds one ipBlock.
   *
   * @param policyNamespace the namespace of the policy the peer is written into
   * @default - the policy namespace is unknown
   */
  toPeerSpecs(policyNamespace?: string): NetworkPolicyPeerSpec[];
}

/** Options for `Peer.pods()`. */
export interface PeerPodsOptions {
  /** Labels the pods carry (all must match). */
  readonly labels: { [key: string]: string };
  /**
   * The namespace of the pods.
   * @default - the namespace of the policy the peer is written into
   */
  readonly namespace?: string;
}

/** Options for `Peer.namespaces()`. */
export interface PeerNamespacesOptions {
  /** Labels the namespaces carry (all must match). */
  readonly labels: { [key: string]: string };
}

/**
 * Factories for peers that are not constructs of this library.
 *
 * A peer made from bad input (`Peer.ipBlock('10.0.0.0/33')`) is refused where it is used, with
 * the construct path and the field: `shop/Api: allowFrom(other): Peer.ipBlock('10.0.0.0/33'): ...`.
 * If no construct is given it, the app's synth fails, before any YAML is written.
 *
 * @example
 * api.allowFrom(Peer.namespace('monitoring'), Port.named('metrics'));
 * api.allowTo(Peer.ipBlock('203.0.113.0/24'), Port.tcp(443));
 */
export class Peer {
  /** Every pod in the namespace with this name (selected by `kubernetes.io/metadata.name`). */
  public static namespace(name: string): IPeer {
    return checkedValue(Object.prototype, () => {
      requireString(`Peer.namespace('${name}')`, 'name', name, "give a namespace name such as 'monitoring'");
      const problem = dns1123LabelProblem(name);
      if (problem) failCall(`Peer.namespace('${name}')`, `"${name}" is not a namespace name; ${problem}.`);
      return madeBy(`Peer.namespace('${name}')`, new SelectorPeer(`ns:${name}`, name, undefined, { matchLabels: { [LabelKeys.NAMESPACE_NAME]: name } }));
    });
  }

  /** Every pod in the namespaces that carry these labels. */
  public static namespaces(options: PeerNamespacesOptions): IPeer {
    return checkedValue(Object.prototype, () => {
      requireObject('Peer.namespaces', 'options', options, "give the namespaces' labels, e.g. { labels: { team: 'ops' } }");
      checkLabels('Peer.namespaces', options.labels);
      const id = Object.entries(options.labels).map(([k, v]) => `${k}=${v}`).join(',');
      return madeBy(`Peer.namespaces({ labels: ${labelsText(options.labels)} })`, new SelectorPeer(`ns:${id}`, undefined, undefined, { matchLabels: { ...options.labels } }));
    });
  }

  /** Every pod in every namespace. Opens a workload to the whole cluster: use with care. */
  public static allPodsInCluster(): IPeer {
    // `ns:*` cannot collide with a workload's id (a name has no ':').
    return madeBy('Peer.allPodsInCluster()', new SelectorPeer('ns:*', undefined, undefined, {}));
  }

  /** Pods with these labels, in one namespace (default: the policy's namespace). */
  public static pods(options: PeerPodsOptions): IPeer {
    return checkedValue(Object.prototype, () => {
      requireObject('Peer.pods', 'options', options, "give the pods' labels, e.g. { labels: { app: 'web' } }");
      checkLabels('Peer.pods', options.labels);
      optionalString('Peer.pods', 'namespace', options.namespace, "give a namespace name such as 'monitoring'");
      if (options.namespace !== undefined) {
        const problem = dns1123LabelProblem(options.namespace);
        if (problem) failCall('Peer.pods', `namespace "${options.namespace}" is not a namespace name; ${problem}.`);
      }
      const id = Object.entries(options.labels).map(([k, v]) => `${k}=${v}`).join(',');
      // Naming the namespace here declares it (app-wide check NET019 accepts it without a Namespace in the app).
      const call = `Peer.pods({ labels: ${labelsText(options.labels)}${options.namespace === undefined ? '' : `, namespace: '${options.namespace}'`} })`;
      return _declareExternalPeer(madeBy(call, new SelectorPeer(`${options.namespace ?? ''}/${id}`, options.namespace, { matchLabels: { ...options.labels } }, undefined)));
    });
  }

  /**
   * The pods of a workload the app made itself: a Deployment, StatefulSet, DaemonSet, ReplicaSet,
   * Job, Pod or Service of any cdk8s-plus version (28, 33, ...), or a plain `ApiObject` / generated
   * class (`KubeDeployment`). The pod selector is read from the object when policies are written
   * (its `matchLabels`/`matchExpressions`, `spec.selector`, or a Pod's labels), and the namespace
   * from its `metadata.namespace`. Connections to it are written on this library's side only.
   *
   * @param workload the workload (or Service, or Pod)
   * @example
   * const legacy = new kplus.Deployment(chart, 'Legacy', { containers: [{ image: 'ghcr.io/acme/legacy:3.1.0' }] });
   * api.allowFrom(Peer.workload(legacy), Port.named('http'));
   */
  public static workload(workload: IConstruct): IPeer {
    return checkedValue(Object.prototype, () => {
      const api = appApiObject('Peer.workload', 'workload', workload, PEER_WORKLOAD_KINDS,
        'give a Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod or Service (any cdk8s-plus version, or an ApiObject of one of these kinds)');
      const namespace = api.metadata.namespace;
      const call = `Peer.workload(${workload.node.path})`;
      const empty = `${api.kind} ${api.name} selects no pods (no selector labels); give it a selector, or use Peer.pods({ labels }) to name the pods.`;
      // Read when a policy is written, not here: the workload can still get its selector or labels
      // after this call (kplus `select()`, `metadata.addLabel`), and that counts. A policy holding
      // the peer asks `_selectorProblem` first, to name the construct and the call it was given to;
      // the throw below is the backstop for any other reader.
      const selector = (): LabelSelectorSpec => {
        const s = appPodSelector(workload, api);
        if (!s) failCall(call, empty);
        return s;
      };
      const problem = () => (appPodSelector(workload, api) ? undefined : `${call}: ${empty}`);
      // The workload is the scope of the peer's own connections: `Peer.workload(x).connections.allowTo(api)`
      // is refused from x (whose selector it is), like `api.allowFrom(Peer.workload(x))` is from api.
      const peer = new SelectorPeer(`${namespace ?? ''}/${api.kind.toLowerCase()}/${api.name}`, namespace, selector, undefined, problem, workload);
      if (api.kind === 'Service') peer.connections._servicePortProblem = (port) => servicePortProblem(call, api.name, appServicePorts(workload, api), port);
      return peer;
    });
  }

  /**
   * Addresses outside the cluster, as a CIDR with optional exceptions strictly inside it.
   *
   * `0.0.0.0/0` and `::/0` are refused: use `Peer.anyIpv4()` / `Peer.anyIpv6()`, whose names say
   * that they open the whole internet.
   */
  public static ipBlock(cidr: string, except?: string[]): IPeer {
    return checkedValue(Object.prototype, () => {
      const call = Array.isArray(except) ? `Peer.ipBlock('${cidr}', ${exceptText(except)})` : `Peer.ipBlock('${cidr}')`;
      requireString(call, 'cidr', cidr, 'give a CIDR such as 10.0.0.0/8');
      checkExceptTypes(call, except);
      const block = parseCidr(cidr);
      if (!block) failCall(call, `"${cidr}" is not a CIDR; write an address and a prefix length, e.g. 10.0.0.0/8 or 2001:db8::/32.`);
      if (block.normalized !== cidr) {
        // Distinguish host bits after the prefix from a merely non-canonical spelling (`2001:DB8::/32`).
        const written = parseCidr(`${cidr.split('/')[0]}/${block.version === 4 ? 32 : 128}`)!;
        failCall(call, written.network !== block.network
          ? `"${cidr}" has bits set after the prefix; did you mean ${block.normalized}?`
          : `"${cidr}" is not in canonical form; write it as ${block.normalized}.`);
      }
      if (block.prefix === 0) {
        failCall(call, `"${cidr}" is every address; use Peer.${block.version === 4 ? 'anyIpv4' : 'anyIpv6'}() to open the whole internet explicitly.`);
      }
      checkExcept(call, block, except ?? []);
      return madeBy(call, new IpBlockPeer(cidr, except));
    });
  }

  /** Every IPv4 address (`0.0.0.0/0`), with optional exceptions. Opens the whole internet. */
  public static anyIpv4(except?: string[]): IPeer {
    return checkedValue(Object.prototype, () => {
      checkExceptTypes('Peer.anyIpv4', except);
      const block = parseCidr('0.0.0.0/0')!;
      checkExcept('Peer.anyIpv4', block, except ?? []);
      return madeBy(`Peer.anyIpv4(${exceptText(except)})`, new IpBlockPeer('0.0.0.0/0', except));
    });
  }

  /** Every IPv6 address (`::/0`), with optional exceptions. Opens the whole internet. */
  public static anyIpv6(except?: string[]): IPeer {
    return checkedValue(Object.prototype, () => {
      checkExceptTypes('Peer.anyIpv6', except);
      const block = parseCidr('::/0')!;
      checkExcept('Peer.anyIpv6', block, except ?? []);
      return madeBy(`Peer.anyIpv6(${exceptText(except)})`, new IpBlockPeer('::/0', except));
    });
  }

  private constructor() {}
}

/**
 * Pods with `labels` in `namespace`, as seen from a policy in `policyNamespace`: podSelector only
 * in the same (or an unknown) namespace, else ONE peer with namespaceSelector AND podSelector.
 * @internal
 */
export function podsPeerSpec(labels: { [key: string]: string }, namespace: string | undefined, policyNamespace?: string): NetworkPolicyPeerSpec {
  const podSelector = { matchLabels: { ...labels } };
  if (namespace === undefined || namespace === policyNamespace) return { podSelector };
  return { namespaceSelector: { matchLabels: { [LabelKeys.NAMESPACE_NAME]: namespace } }, podSelector };
}

function checkLabels(call: string, labels: { [key: string]: string }) {
  requireStringMap(call, 'labels', labels, "give the labels, e.g. { app: 'web' }", 'label values are strings, so quote it');
  if (Object.keys(labels).length === 0) failCall(call, 'labels is empty; give at least one label (an empty selector selects everything).');
  for (const [k, v] of Object.entries(labels)) {
    const problem = labelProblem(k, v);
    if (problem) failCall(call, `${problem}.`);
  }
}

function checkExceptTypes(call: string, except: unknown) {
  optionalStringArray(call, 'except', except, "give a list of CIDRs, e.g. ['10.0.0.0/24']", 'give a CIDR such as 10.0.0.0/24');
}

function checkExcept(call: string, block: NonNullable<ReturnType<typeof parseCidr>>, except: string[]) {
  for (const e of except) {
    const inner = parseCidr(e);
    if (!inner) failCall(call, `except "${e}" is not a CIDR.`);
    if (parseIp(e.split('/')[0])?.value !== inner.network) failCall(call, `except "${e}" has bits set after the prefix; did you mean ${inner.normalized}?`);
    if (except.filter((x) => parseCidr(x)?.normalized === inner.normalized).length > 1) failCall(call, `except lists ${inner.normalized} twice; list each block once.`);
    if (inner.version !== block.version) {
      failCall(call, `except "${e}" is an IPv${inner.version} block, but ${block.normalized} is IPv${block.version}; one ipBlock covers one address family, `
        + `so give each family its own peer (${block.prefix === 0 ? `Peer.anyIpv${inner.version}([...])` : `Peer.ipBlock('${block.version === 4 ? '2001:db8::/32' : '10.0.0.0/8'}', [...])`} for IPv${inner.version}).`);
    }
    if (inner.prefix <= block.prefix || !block.contains(inner)) {
      failCall(call, `except "${e}" is not strictly inside ${block.normalized}; each except must be a smaller block within the CIDR.`);
    }
  }
}

/**
 * Why `peer`'s pod selector, read when a policy is written, selects nothing (a `Peer.workload`
 * whose workload has no selector labels): the message without a construct, for the policy to
 * prefix with the construct and the call the peer was given to. Undefined for every other peer.
 * @internal
 */
export function peerSelectorProblem(peer: IPeer): string | undefined {
  const p = peer as IPeer & { _selectorProblem?: () => string | undefined };
  return typeof p._selectorProblem === 'function' ? p._selectorProblem() : undefined;
}

/**
 * Why `port` names the Service `serviceName`'s own port, which it forwards to another port of its pods: a NetworkPolicy
 * matches the pods' port after the Service translated it, so that port would admit nothing. Undefined when `port` is
 * also a port of the pods (a target port), or no Service port of that number forwards elsewhere.
 */
function servicePortProblem(call: string, serviceName: string, ports: AppServicePort[], port: Port): string | undefined {
  if (port.portNumber === undefined || port.endPort !== undefined || port.name !== undefined) return undefined;
  const same = (p: AppServicePort) => (p.protocol ?? 'TCP') === port.protocol;
  if (ports.some((p) => same(p) && (p.targetPort ?? p.port) === port.portNumber)) return undefined;
  const sp = ports.find((p) => same(p) && p.port === port.portNumber && p.targetPort !== undefined && p.targetPort !== p.port);
  if (!sp) return undefined;
  const target = typeof sp.targetPort === 'string' ? `"${sp.targetPort}"` : String(sp.targetPort);
  const use = typeof sp.targetPort === 'string' ? `Port.named('${sp.targetPort}')` : `Port.${(port.protocol ?? 'TCP').toLowerCase()}(${sp.targetPort})`;
  return `${call}: Service ${serviceName} forwards its port ${port} to target port ${target}; NetworkPolicies match the pod port, not the Service port: use ${use}.`;
}

/**
 * `peer`, whose own connections name `call` in messages (`Peer.ipBlock('10.0.0.0/8').connections.allowTo(...)`):
 * no construct owns it, so a refused call on them starts with the call that made it.
 */
function madeBy<T extends IPeer>(call: string, peer: T): T {
  peer.connections._owner = call;
  return peer;
}

/** Labels as a call writes them: `{ app: 'web', 'app.kubernetes.io/part-of': 'shop' }`. */
function labelsText(labels: { [key: string]: string }): string {
  const key = (k: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : `'${k}'`);
  return `{ ${Object.entries(labels).map(([k, v]) => `${key(k)}: '${v}'`).join(', ')} }`;
}

/** The `except` argument as a call writes it: nothing, or `['10.0.0.0/8']`. */
function exceptText(except?: string[]): string {
  return Array.isArray(except) ? `[${except.map((e) => `'${e}'`).join(', ')}]` : '';
}

/**
 * A peer given by selectors; nothing of it is managed here. A pod selector given as a function is
 * read when a policy is written (`Peer.workload`: labels added after the call count).
 */
class SelectorPeer implements IPeer {
  public readonly connections: Connections;
  constructor(
    public readonly peerId: string,
    public readonly peerNamespace: string | undefined,
    private readonly podSelector: LabelSelectorSpec | (() => LabelSelectorSpec) | undefined,
    private readonly namespaceSelector: LabelSelectorSpec | undefined,
    private readonly problem?: () => string | undefined,
    scope?: IConstruct,
  ) {
    this.connections = new Connections({ peer: this, scope });
  }

  /** Why the pod selector, read now, selects nothing (`Peer.workload(...): ...`); undefined when it selects pods. */
  public _selectorProblem(): string | undefined {
    return this.problem?.();
  }

  public toPeerSpecs(policyNamespace?: string): NetworkPolicyPeerSpec[] {
    const podSelector = typeof this.podSelector === 'function' ? this.podSelector() : this.podSelector;
    if (podSelector && this.peerNamespace && this.peerNamespace !== policyNamespace) {
      return [{
        namespaceSelector: { matchLabels: { [LabelKeys.NAMESPACE_NAME]: this.peerNamespace } },
        podSelector,
      }];
    }
    return [{ podSelector, namespaceSelector: this.namespaceSelector }];
  }
}

class IpBlockPeer implements IPeer {
  public readonly connections: Connections;
  public readonly peerId: string;
  public readonly peerNamespace = undefined;
  constructor(private readonly cidr: string, private readonly except?: string[]) {
    this.peerId = except && except.length ? `${cidr} except ${except.join(',')}` : cidr;
    this.connections = new Connections({ peer: this });
  }

  public toPeerSpecs(): NetworkPolicyPeerSpec[] {
    return [{ ipBlock: { cidr: this.cidr, except: this.except && this.except.length > 0 ? [...this.except] : undefined } }];
  }
}
