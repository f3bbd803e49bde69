/*
 * The egress of pods this library does not run (an ingress controller, a gateway's data plane)
 * when they run in a namespace that this app isolates (a DenyAllNamespace).
 *
 * A backend admits such pods with an ingress rule on its own policy, and in most clusters that
 * is enough: the pods are not isolated for egress. But a DenyAllNamespace's `default-deny`
 * selects every pod of the namespace with policyType Egress, so pods started there may open only
 * the connections some egress rule allows; an ingress rule on the other end admits nothing by
 * itself (kubernetes.io/docs/concepts/services-networking/network-policies/, "The two sorts of
 * pod isolation"). The namespace therefore writes the matching egress rule: from exactly those
 * pods to exactly the backend's pods, on the ports the backend's ingress rule names.
 *
 * Either may be made first: a need is kept until a namespace of that name is made in the same
 * app, and a namespace takes the needs already kept when it is made. Pods named only by
 * namespace labels (`Peer.namespaces(...)`) that select an isolating namespace are refused: which
 * of its pods connect is not known, and opening the whole namespace would be wider than asked.
 */
import { IConstruct } from 'constructs';
import { RuleOrigin } from './connections';
import { fail } from './errors';
import { LabelKeys } from './labels';
import { IPeer, LabelSelectorSpec } from './peer';
import { Port } from './port';

/** What routes through unmanaged pods: the source, the destination and the ports of one backend. @internal */
export interface IsolatedEgressRequest {
  /** The pods that open the connection. */
  readonly source: IPeer;
  /** Who they are, in notes and messages (`ingress-nginx`, `the Envoy Gateway data plane`). */
  readonly sourceName: string;
  /** The policy name to use for these pods (a DNS-1123 subdomain), unless other pods of the namespace have it. */
  readonly policyName: string;
  /** The pods they connect to. */
  readonly destination: IPeer;
  /** The destination ports, as the destination's ingress rule resolved them; empty means every port. */
  readonly ports: Port[];
  /** The construct and field that chose the source (messages name them). */
  readonly origin: RuleOrigin;
  /** What to do instead, for a source this library cannot place (`allow the egress with edge.allowTo(...)`). */
  readonly advice: string;
}

/** A request placed in one namespace: the source's pods there. @internal */
export interface IsolatedEgress extends IsolatedEgressRequest {
  /** The source's pods, as a selector of pods of the namespace. */
  readonly podSelector: LabelSelectorSpec;
}

/** A namespace that isolates its pods' egress, and writes the rules above into itself. @internal */
export interface IsolatingNamespace {
  /** The namespace name. */
  readonly namespaceName: string;
  /** Its labels, as the Namespace object carries them (`kubernetes.io/metadata.name` is added here). */
  readonly _namespaceLabels: { [key: string]: string };
  /** Writes the egress of the request's pods into this namespace. */
  _allowIsolatedEgress(need: IsolatedEgress): void;
}

/** A request whose source selects namespaces by labels: refused if one of them is isolating. */
interface LabelledRequest {
  readonly request: IsolatedEgressRequest;
  readonly namespaceSelector: LabelSelectorSpec;
}

interface AppEntry {
  readonly namespaces: IsolatingNamespace[];
  /** Placed requests, by namespace name. */
  readonly needs: Map<string, IsolatedEgress[]>;
  readonly labelled: LabelledRequest[];
}

const APPS = new WeakMap<IConstruct, AppEntry>();

function entryOf(scope: IConstruct): AppEntry {
  const root = scope.node.root;
  let entry = APPS.get(root);
  if (!entry) {
    entry = { namespaces: [], needs: new Map(), labelled: [] };
    APPS.set(root, entry);
  }
  return entry;
}

/**
 * Registers an isolating namespace of `scope`'s app, and hands it the requests already made for its pods.
 * @internal
 */
export function _registerIsolatingNamespace(scope: IConstruct, namespace: IsolatingNamespace): void {
  const entry = entryOf(scope);
  for (const l of entry.labelled) refuseIfSelected(l, namespace);
  entry.namespaces.push(namespace);
  for (const need of entry.needs.get(namespace.namespaceName) ?? []) namespace._allowIsolatedEgress(need);
}

/**
 * The egress from `request.source` to `request.destination`: written now into each isolating
 * namespace of the app the source's pods run in, and kept for one made later. Nothing is done
 * for address blocks, nor for a source whose own connections are managed (`allowFrom` wrote its
 * side already).
 * @internal
 */
export function _allowIsolatedEgress(scope: IConstruct, request: IsolatedEgressRequest): void {
  const { source, destination } = request;
  if (source.connections.isManaged) return;
  // The source as the destination's ingress rule names it.
  const specs = source.toPeerSpecs(destination.peerNamespace);
  if (specs.length !== 1 || specs[0].ipBlock) return;
  const spec = specs[0];
  const entry = entryOf(scope);
  // Pods of one named namespace, or, named without a namespace, pods of the destination's own.
  const namespace = source.peerNamespace ?? (spec.namespaceSelector === undefined ? destination.peerNamespace : undefined);
  if (namespace === undefined) {
    if (spec.namespaceSelector === undefined) return;
    const l = { request, namespaceSelector: spec.namespaceSelector };
    for (const ns of entry.namespaces) refuseIfSelected(l, ns);
    entry.labelled.push(l);
    return;
  }
  const own = source.peerNamespace !== undefined ? source.toPeerSpecs(namespace)[0] : spec;
  const need: IsolatedEgress = { ...request, podSelector: own?.podSelector ?? {} };
  entry.needs.set(namespace, [...entry.needs.get(namespace) ?? [], need]);
  for (const ns of entry.namespaces) if (ns.namespaceName === namespace) ns._allowIsolatedEgress(need);
}

function refuseIfSelected(l: LabelledRequest, ns: IsolatingNamespace): void {
  const labels: { [key: string]: string } = { ...ns._namespaceLabels, [LabelKeys.NAMESPACE_NAME]: ns.namespaceName };
  const { matchLabels, matchExpressions } = l.namespaceSelector;
  // A selector with expressions is not evaluated here: it may select the namespace, so it is refused too.
  const selects = (matchExpressions ?? []).length > 0 || Object.entries(matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  if (!selects) return;
  const r = l.request;
  fail(r.origin.scope, `${r.origin.field}: ${r.sourceName} (${r.source.peerId}) selects its namespaces by labels, and DenyAllNamespace ${ns.namespaceName} ` +
    `of this app is among them: its default-deny isolates their egress, and which of its pods connect to ${r.destination.peerId} is not known, ` +
    `so no egress rule was written; ${r.advice}.`);
}
