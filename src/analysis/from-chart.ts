/**
 * The bridge between cdk8s constructs and the analysis: synthesizes charts and
 * apps into plain objects, and resolves the peers of this library (`IPeer`)
 * to the workloads or addresses of the analysed manifests.
 *
 * The only file of `src/analysis` that refers to cdk8s and to the constructs
 * of this library; it refers to them by type only, so loading the analysis
 * (the `cdk8s-net` command) never loads cdk8s. Internal to `src/analysis`.
 */
import type { App, Chart } from 'cdk8s';
import { NAMESPACE_NAME_LABEL } from './compile';
import { parseCidr, IpInterval, IpSet } from './ip';
import { matchesSelector } from './label-selector';
import { LabelSelector, Model, SelectorRequirement, WorkloadModel } from './model';
import type { IConnectable } from '../core/connections';
import { describeValue } from '../core/guards';
import type { IPeer, NetworkPolicyPeerSpec } from '../core/peer';

/**
 * The objects `cdk8s synth` would write for one chart: dependencies are
 * resolved, every construct is validated, and lazy values and JSON patches are
 * applied (as `Testing.synth(chart)` does).
 */
export function chartManifests(chart: Chart): any[] {
  return chart.toJson();
}

/** The objects of every chart of the app, in the order `app.synth()` writes them. */
export function appManifests(app: App): any[] {
  const out: any[] = [];
  for (const chart of app.charts) {
    out.push(...chart.toJson());
  }
  return out;
}

/** What a peer stands for in the analysed manifests. */
export type PeerTarget =
  | { readonly type: 'workloads'; readonly workloads: readonly WorkloadModel[] }
  | { readonly type: 'ip'; readonly intervals: readonly IpInterval[]; readonly text: string };

/**
 * The workloads (or addresses) a peer stands for, found the way a
 * NetworkPolicy finds them: by the selectors of `peer.toPeerSpec()`.
 *
 * - A `SecureService` (`shop/api`) is the workload whose pods carry its selector labels: its Deployment.
 * - A `DenyAllNamespace`, `NamespaceRef` or `Peer.namespace()` is every workload of the namespace.
 * - `Peer.pods()` without a namespace, and constructs without a known namespace, match in every namespace
 *   (a query has no policy namespace to default to).
 * - `Peer.ipBlock(cidr, except)` is the CIDR minus the exceptions.
 *
 * @throws when the peer selects no workload, naming the peer and its selector
 */
/**
 * The peer a query endpoint stands for: a peer itself, or the peer of a construct that is only connectable
 * (`ExternalDependency`: its addresses, or its DNS name). Anything else is refused naming the call and the field.
 * @internal
 */
export function queryPeer(value: IConnectable, call: string, field: string): IPeer {
  const isPeer = (x: unknown): x is IPeer => typeof (x as IPeer)?.toPeerSpecs === 'function' && typeof (x as IPeer)?.peerId === 'string';
  if (isPeer(value)) return value;
  const peer = (value as Partial<IConnectable> | undefined)?.connections?.peer;
  if (isPeer(peer)) return peer;
  throw new Error(`NetworkAnalysis.${call}: ${field} is ${describeValue(value)}; give a construct of this library (SecureService, ExternalDependency, ...) `
    + 'or a Peer, or query by name with isAllowed({ from, to }).');
}

export function resolvePeer(model: Model, peer: IPeer, field: string): PeerTarget {
  const targets = peer.toPeerSpecs(undefined).map((spec) => resolveSpec(model, peer, spec, field));
  if (targets.length === 1) return targets[0];
  if (targets.every((t) => t.type === 'ip')) {
    const intervals = targets.flatMap((t) => (t.type === 'ip' ? [...t.intervals] : []));
    return { type: 'ip', intervals, text: peer.peerId };
  }
  if (targets.every((t) => t.type === 'workloads')) {
    const seen = new Set<WorkloadModel>();
    for (const t of targets) if (t.type === 'workloads') t.workloads.forEach((w) => seen.add(w));
    return { type: 'workloads', workloads: [...seen] };
  }
  throw new Error(`NetworkAnalysis: ${field} ${peer.peerId} names both pods and address blocks; query them separately.`);
}

function resolveSpec(model: Model, peer: IPeer, spec: NetworkPolicyPeerSpec, field: string): PeerTarget {
  if (spec.ipBlock) {
    const cidr = parseCidr(spec.ipBlock.cidr);
    if (!cidr) {
      throw new Error(`NetworkAnalysis: ${field} ${peer.peerId}: "${spec.ipBlock.cidr}" is not a CIDR.`);
    }
    const except = (spec.ipBlock.except ?? []).map((e) => parseCidr(e)).filter((e): e is NonNullable<typeof e> => e !== undefined);
    const set = IpSet.of(cidr).subtract(IpSet.of(...except));
    return { type: 'ip', intervals: [...set.intervals(4), ...set.intervals(6)], text: peer.peerId };
  }
  const workloads = selectedWorkloads(model, peer, spec);
  if (workloads.length === 0) {
    const selector = JSON.stringify({ namespaceSelector: spec.namespaceSelector, podSelector: spec.podSelector });
    const known = model.workloads.map((w) => w.id);
    throw new Error(`NetworkAnalysis: ${field} ${peer.peerId} selects no workload of the manifests (it selects ${selector}). `
      + `Known workloads: ${known.length === 0 ? '(none)' : known.length > 20 ? `${known.slice(0, 20).join(', ')}, ...` : known.join(', ')}.`);
  }
  return { type: 'workloads', workloads };
}

/** The workloads a selector peer spec selects (none for an ipBlock). */
function selectedWorkloads(model: Model, peer: IPeer, spec: NetworkPolicyPeerSpec): WorkloadModel[] {
  if (spec.ipBlock) return [];
  const podSelector = spec.podSelector ? toSelector(spec.podSelector) : undefined;
  const namespaceSelector = spec.namespaceSelector ? toSelector(spec.namespaceSelector) : undefined;
  const namespaceLabels = new Map(model.namespaces.map((n) => [n.name, n.labels]));
  const inNamespace = (w: WorkloadModel): boolean => {
    if (namespaceSelector) {
      return matchesSelector(namespaceSelector, namespaceLabels.get(w.namespace) ?? { [NAMESPACE_NAME_LABEL]: w.namespace });
    }
    return peer.peerNamespace === undefined || w.namespace === peer.peerNamespace;
  };
  return model.workloads.filter((w) => inNamespace(w) && (!podSelector || matchesSelector(podSelector, w.labels)));
}

/** A pod that is not in the manifests, standing for a peer that selects no workload of them. */
export interface HypotheticalPod {
  /** The Pod (and, when the namespace is not in the manifests, Namespace) objects to add. */
  readonly objects: any[];
  /** What stands for the peer, for the explanation. */
  readonly description: string;
}

/**
 * For a peer that names pods by labels in one namespace (a controller profile, `Peer.pods({ labels,
 * namespace })`, `Peer.namespace('monitoring')`) but selects no workload of the manifests: a
 * hypothetical pod with the labels of its podSelector in that namespace (which carries
 * `kubernetes.io/metadata.name` and the labels of its namespaceSelector when the manifests do not
 * declare it). `undefined` when the peer selects some workload, is an ipBlock, or does not pin one
 * namespace (then the query fails as before).
 */
export function hypotheticalPod(model: Model, peer: IPeer): HypotheticalPod | undefined {
  const specs = peer.toPeerSpecs(undefined);
  if (specs.length !== 1 || specs[0].ipBlock || selectedWorkloads(model, peer, specs[0]).length > 0) return undefined;
  const spec = specs[0];
  const namespaceSelector = spec.namespaceSelector ? toSelector(spec.namespaceSelector) : undefined;
  const podSelector = spec.podSelector ? toSelector(spec.podSelector) : undefined;
  const nsLabels = namespaceSelector ? labelsSatisfying(namespaceSelector) : {};
  const namespace = nsLabels[NAMESPACE_NAME_LABEL] ?? (namespaceSelector ? undefined : peer.peerNamespace);
  if (namespace === undefined) return undefined;
  const existing = model.namespaces.find((n) => n.name === namespace);
  const namespaceLabels = existing ? { ...existing.labels } : { ...nsLabels, [NAMESPACE_NAME_LABEL]: namespace };
  const labels = podSelector ? labelsSatisfying(podSelector) : {};
  if ((namespaceSelector && !matchesSelector(namespaceSelector, namespaceLabels)) || (podSelector && !matchesSelector(podSelector, labels))) {
    return undefined;
  }
  const taken = new Set(model.workloads.filter((w) => w.namespace === namespace).flatMap((w) => [w.name, ...w.podNames]));
  let name = 'hypothetical-pod';
  for (let i = 2; taken.has(name); i++) name = `hypothetical-pod-${i}`;
  const objects: any[] = [{ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [] } }];
  if (!existing) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: namespaceLabels } });
  }
  const text = (l: Record<string, string>) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(',');
  const description = `${peer.peerId} selects no pod of the manifests; the pod ${namespace}/${name} `
    + `${Object.keys(labels).length > 0 ? `with labels ${text(labels)}` : 'without labels'} stands for it, in namespace ${namespace} `
    + `${existing ? 'of the manifests' : `(not in the manifests, labelled ${text(namespaceLabels)})`}`;
  return { objects, description };
}

/** Labels that satisfy a selector: its matchLabels, the first value of each `In`, `''` for `Exists`. */
function labelsSatisfying(selector: LabelSelector): Record<string, string> {
  const labels: Record<string, string> = Object.fromEntries(selector.matchLabels);
  for (const e of selector.matchExpressions) {
    if (e.operator === 'In' && e.values.length > 0 && labels[e.key] === undefined) labels[e.key] = e.values[0];
    if (e.operator === 'Exists' && labels[e.key] === undefined) labels[e.key] = '';
  }
  return labels;
}

interface SelectorSpec {
  readonly matchLabels?: { [key: string]: string };
  readonly matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: string[] }>;
}

function toSelector(spec: SelectorSpec): LabelSelector {
  return {
    matchLabels: Object.entries(spec.matchLabels ?? {}),
    matchExpressions: (spec.matchExpressions ?? []).map((e) => ({
      key: e.key,
      operator: e.operator as SelectorRequirement['operator'],
      values: e.values ?? [],
    })),
  };
}
