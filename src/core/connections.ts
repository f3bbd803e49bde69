/*
 * The connection model, shared by every construct of this library. Its goal is to let
 * statements like these say everything about who may talk to whom:
 *
 *   web.allowTo(api, Port.named('http'));
 *   api.allowFrom(Peer.namespace('monitoring'), Port.named('metrics'));
 *   db.allowFrom(api);
 *
 * One statement writes both sides: the egress rule on the source's pods and the ingress rule on
 * the destination's pods (a connection needs both once both are isolated). Peers this library
 * does not manage (`Peer.*`) have no side of their own; only our side is written.
 */
import { IConstruct } from 'constructs';
import { callSite, raiseCall } from './errors';
import { describeValue, isObject, requireInstance } from './guards';
import { IPeer } from './peer';
import { Port, requireAllTrafficAlone } from './port';
import { requireUsable } from './value-checks';

/** Anything that can be the end of a connection. */
export interface IConnectable {
  /** The connections of this thing's pods. */
  readonly connections: Connections;
}

/** Where the rules for a set of pods are written (a NetworkPolicy that selects them). */
export interface IConnectionsPolicy {
  /**
   * Adds an ingress rule: `peer` may connect to the selected pods on `ports`.
   * @param peer the source
   * @param ports the destination ports; empty means every port
   */
  addIngressRule(peer: IPeer, ports: Port[]): void;
  /**
   * Adds an egress rule: the selected pods may connect to `peer` on `ports`.
   * @param peer the destination
   * @param ports the destination ports; empty means every port
   */
  addEgressRule(peer: IPeer, ports: Port[]): void;
}

/** Props of `Connections`. */
export interface ConnectionsProps {
  /** How other policies name these pods or addresses. */
  readonly peer: IPeer;
  /**
   * Where rules for these pods are written.
   * @default - nothing is written on this side (the pods are not managed by this library)
   */
  readonly policy?: IConnectionsPolicy;
  /**
   * The ports the pods listen on (container ports). Incoming connections that name no port are
   * allowed on all of them, and incoming connections that name a number must use one of them.
   * @default - unknown: incoming connections are allowed on the ports they name, or on every port
   */
  readonly ports?: Port[];
  /**
   * How named ports of these pods resolve to container ports (`http` -> TCP 8080).
   * @default - named ports are written as names
   */
  readonly namedPorts?: { [name: string]: Port };
  /**
   * The construct whose path error messages name.
   * @default - none
   */
  readonly scope?: IConstruct;
  /**
   * Whether these are only ever a destination (addresses outside the cluster reached by name):
   * using them as the source of a connection is an error.
   * @default false
   */
  readonly destinationOnly?: boolean;
  /**
   * Human name used in messages (`SecureService shop/api`).
   * @default - the peer id
   */
  readonly description?: string;
}

/**
 * The connections of one set of pods (or addresses): what they may reach and what may reach them.
 *
 * Modelled on aws-cdk's `Connections`: `a.connections.allowTo(b)` and `b.connections.allowFrom(a)`
 * are the same statement.
 */
export class Connections {
  /** How other policies name these pods or addresses. */
  public readonly peer: IPeer;
  private readonly policy?: IConnectionsPolicy;
  private readonly ports?: Port[];
  private readonly namedPorts?: { [name: string]: Port };
  private readonly scope?: IConstruct;
  private readonly description: string;
  private readonly destinationOnly: boolean;

  /**
   * For pods named through a Service the app made (`Peer.workload(service)`), whose container ports
   * are unknown: why a port is that Service's port rather than its pods' port. Set by `Peer.workload`.
   * @internal
   */
  public _servicePortProblem?: (port: Port) => string | undefined;

  /**
   * The call that made the value these connections belong to when no construct owns them
   * (`Peer.ipBlock('10.0.0.0/8')`, `NamespaceRef.named('ops')`). A refused `allowFrom`/`allowTo`
   * on them names the call the user made (`Peer.ipBlock('10.0.0.0/8').connections.allowTo(shop/api): ...`),
   * not the path of the other end. Set by the value's factory.
   * @internal
   */
  public _owner?: string;

  public constructor(props: ConnectionsProps) {
    this.peer = props.peer;
    this.policy = props.policy;
    this.ports = props.ports;
    this.namedPorts = props.namedPorts;
    this.scope = props.scope;
    this.description = props.description ?? props.peer.peerId;
    this.destinationOnly = props.destinationOnly ?? false;
  }

  /** Whether rules can be written for these pods. */
  public get isManaged(): boolean {
    return this.policy !== undefined;
  }

  /** @internal */
  public get _description(): string {
    return this.description;
  }

  /** @internal */
  public get _destinationOnly(): boolean {
    return this.destinationOnly;
  }

  /** @internal */
  public get _policy(): IConnectionsPolicy | undefined {
    return this.policy;
  }

  /**
   * Allows connections from `other` to these pods.
   *
   * @param other the source
   * @param ports destination ports; default: every port of these pods
   */
  public allowFrom(other: IConnectable, ...ports: Port[]): void {
    checkConnectArgs(this.scope, this.callPrefix, 'allowFrom', other, ports);
    this._allowFrom(other, ports);
  }

  /**
   * Allows connections from these pods to `other`.
   *
   * @param other the destination
   * @param ports destination ports; default: every port of the destination
   */
  public allowTo(other: IConnectable, ...ports: Port[]): void {
    checkConnectArgs(this.scope, this.callPrefix, 'allowTo', other, ports);
    this._allowTo(other, ports);
  }

  /**
   * `allowFrom` with arguments already checked (by the public entry that was called).
   * @internal
   */
  public _allowFrom(other: IConnectable, ports: Port[]): void {
    connect(other.connections, this, ports, this.site(other, 'allowFrom'));
  }

  /**
   * `allowTo` with arguments already checked (by the public entry that was called).
   * @internal
   */
  public _allowTo(other: IConnectable, ports: Port[]): void {
    connect(this, other.connections, ports, this.site(other, 'allowTo'));
  }

  /**
   * What the user called, as messages begin: `allowTo(shop/db)` from this construct, or
   * `Peer.ipBlock('10.0.0.0/8').connections.allowTo(shop/api)` on a value no construct owns.
   */
  private get callPrefix(): string {
    return this.scope === undefined && this._owner !== undefined ? `${this._owner}.connections.` : '';
  }

  /** Where a refusal of `method(other)` is raised from, and which construct the rules' origin names. */
  private site(other: IConnectable, method: 'allowFrom' | 'allowTo'): ConnectSite {
    const originScope = this.scope ?? other.connections.scope;
    const call = `${this.callPrefix}${method}(${other.connections.peer.peerId})`;
    return {
      // A value's own connections (`_owner`) raise from the call; the other end is not what the user called.
      scope: this.callPrefix ? undefined : originScope,
      call,
      // A value's own connections also give the call, which the mesh's refusals start with.
      origin: originScope ? { scope: originScope, field: `${method}(other)`, ...(this.callPrefix ? { call } : {}) } : undefined,
    };
  }

  /**
   * Resolves requested ports against these pods as a destination.
   * @internal
   */
  public _resolveDestinationPorts(requested: Port[], call: string, scope?: IConstruct): Port[] {
    if (requested.length === 0) return this.ports ? [...this.ports] : [];
    if (requested.some((p) => p.isAllTraffic)) return [];
    const out: Port[] = [];
    for (const p of requested) {
      if (p.name !== undefined) {
        if (!this.namedPorts) { out.push(p); continue; }
        const target = this.namedPorts[p.name];
        if (!target || target.protocol !== p.protocol) {
          const names = Object.keys(this.namedPorts);
          raiseCall(scope, call, `${this.description} has no ${p.protocol} port named "${p.name}"; its ports are ${names.length ? names.join(', ') : 'none'}.`);
        }
        out.push(target!);
        continue;
      }
      const translated = this.ports === undefined ? this._servicePortProblem?.(p) : undefined;
      if (translated) raiseCall(scope, call, translated);
      if (this.ports && this.ports.length > 0 && !this.ports.some((own) => own.covers(p))) {
        raiseCall(scope, call, `${this.description} does not listen on ${p}; its container ports are ${this.ports.map(String).join(', ')}. ` +
          'NetworkPolicies match the pod port, not the Service port: use one of these or Port.named(...).');
      }
      out.push(p);
    }
    return out;
  }
}

/**
 * Checks the arguments of `allowFrom`/`allowTo` before they are used (callers outside
 * TypeScript): `other` must be connectable and every port a `Port`. Called once per call, by the
 * public entry that was called (`Connections.allowFrom/allowTo` or `allowConnection`); the
 * `_allowFrom`/`_allowTo` they delegate to do not check again.
 */
function checkConnectArgs(scope: IConstruct | undefined, prefix: string, method: string, other: unknown, ports: unknown[]): void {
  if (scope) requireUsable(scope, `${method}(other)`, other);
  else requireUsable(`${prefix}${method}`, 'other', other);
  const connectable = isObject(other) && Object.prototype.isPrototypeOf.call(Connections.prototype, other.connections as object);
  if (!connectable) {
    const arg = typeof other === 'string' ? `'${other}'` : isObject(other) || Array.isArray(other) ? '...' : String(other);
    raiseCall(scope, `${prefix}${method}(${arg})`, `other is ${describeValue(other)}; pass a workload of this library (e.g. a SecureService), `
      + "a namespace, or a Peer such as Peer.namespace('monitoring').");
  }
  const call = `${prefix}${method}(${(other as unknown as IConnectable).connections.peer.peerId})`;
  ports.forEach((port, i) => requireInstance(...callSite(scope, call, `ports[${i}]`), port, Port,
    "pass Port values, e.g. Port.tcp(443) or Port.named('http'), or no port for every port"));
  requireAllTrafficAlone(...callSite(scope, call, 'ports'), ports as Port[]);
}

/**
 * The `allowFrom`/`allowTo` of a construct that owns `own`: checks the arguments once, lets the
 * construct refuse the connection (`refuse`, e.g. to itself, with its own advice), then connects.
 * @internal
 */
export function allowConnection(scope: IConstruct, own: Connections, method: 'allowFrom' | 'allowTo', other: IConnectable, ports: Port[],
  refuse?: (other: IConnectable) => void): void {
  checkConnectArgs(scope, '', method, other, ports);
  refuse?.(other);
  if (method === 'allowFrom') own._allowFrom(other, ports);
  else own._allowTo(other, ports);
}

/** Where `connect` raises from (`scope`, else the call alone), the call as messages name it, and the rules' origin. */
interface ConnectSite {
  readonly scope?: IConstruct;
  readonly call: string;
  readonly origin?: RuleOrigin;
}

function connect(src: Connections, dst: Connections, requested: Port[], site: ConnectSite) {
  const { scope, call, origin } = site;
  // Connecting pods to themselves is allowed: its pods are isolated from each other too, and this
  // writes the egress and the ingress rule (pods of the set -> pods of the set) on its own policy.
  if (src._destinationOnly) {
    raiseCall(scope, call, `${src._description} is a destination only; it cannot open connections to ${dst.peer.peerId}. ` +
      'To accept connections from outside the cluster, use allowFrom(Peer.ipBlock(...)) on the workload.');
  }
  const srcPolicy = src._policy;
  const dstPolicy = dst._policy;
  if (!srcPolicy && !dstPolicy) raiseCall(scope, call, 'neither end is managed by this library, so there is no policy to write the rule into.');
  // A peer in an unnamed namespace can only be named from a policy in its own namespace.
  const srcNs = src.peer.peerNamespace;
  const dstNs = dst.peer.peerNamespace;
  if (srcPolicy && dstPolicy && (srcNs === undefined) !== (dstNs === undefined)) {
    raiseCall(scope, call, `${srcNs === undefined ? src.peer.peerId : dst.peer.peerId} has no namespace while the other end is in namespace ` +
      `"${srcNs ?? dstNs}"; set the namespace of both so the rules can name each other across namespaces.`);
  }
  const ports = dst._resolveDestinationPorts(requested, call, scope);
  if (srcPolicy) addCheckedRule(srcPolicy, 'egress', dst.peer, ports, origin);
  if (dstPolicy) addCheckedRule(dstPolicy, 'ingress', src.peer, ports, origin);
}

/**
 * A policy that takes rules whose arguments the caller has already checked (`WorkloadPolicy`, or
 * a construct that hands its rules to one).
 */
interface CheckedRulesPolicy {
  _addCheckedRule(direction: 'ingress' | 'egress', peer: IPeer, ports: Port[], origin?: RuleOrigin): void;
}

/**
 * The construct and the call a rule's peer was given to (`test/Api`, `allowFrom(other)`),
 * for a message about the peer when the policy is written.
 * @internal
 */
export interface RuleOrigin {
  readonly scope: IConstruct;
  /** The call and its field: `allowFrom(other)`, `WorkloadPolicy.addIngressRule: peer`. */
  readonly field: string;
  /**
   * The call the user made when no construct owns the value it was made on
   * (`Peer.ipBlock('10.0.0.0/8').connections.allowTo(shop/api)`): a refusal of the rule while it
   * is added (the mesh's checks) starts with it instead of `scope`'s path, which the user did not call.
   */
  readonly call?: string;
}

/**
 * Writes a rule of a connection whose peer and ports the public entry (`allowFrom`/`allowTo`)
 * has checked: without checking them again where the policy allows it, else through the
 * policy's public method (a user's own `IConnectionsPolicy`).
 */
function addCheckedRule(policy: IConnectionsPolicy, direction: 'ingress' | 'egress', peer: IPeer, ports: Port[], origin?: RuleOrigin): void {
  const checked = policy as IConnectionsPolicy & Partial<CheckedRulesPolicy>;
  if (typeof checked._addCheckedRule === 'function') checked._addCheckedRule(direction, peer, ports, origin);
  else if (direction === 'ingress') policy.addIngressRule(peer, ports);
  else policy.addEgressRule(peer, ports);
}
