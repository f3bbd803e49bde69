import { ManifestIndex } from './manifest-index';
import { asArray, namespaceOf, Rule, RuleFinding, ruleName, SourcedObject } from './rule';
import { compile, flattenLists, NAMESPACE_NAME_LABEL } from '../compile';
import { ConnectionSet } from '../connection-set';
import { evaluateSide, ruleConnections } from '../evaluate';
import { matchesSelector, parseSelector } from '../label-selector';
import { labelsOf } from '../manifest-fields';
import { LabelSelector, Model, PolicyModel, PortSpec, WorkloadModel } from '../model';
import { networkPolicyProblems } from '../network-policy';
import { isKubernetesNetworkPolicy } from '../unmodelled-policies';

/**
 * A connection needs both ends: the source pod's egress and the destination pod's ingress
 * (kubernetes.io/docs/concepts/services-networking/network-policies: "for a connection from a
 * source pod to a destination pod to be allowed, both the egress policy on the source pod and
 * the ingress policy on the destination pod need to allow the connection"). An ingress rule that
 * admits pods of another namespace by a `namespaceSelector` (`Peer.pods({ namespace, labels })`,
 * `Peer.namespace`, `Peer.namespaces`, a `NamespaceRef`) writes only the destination's side. When
 * the input also isolates those pods for egress (a `DenyAllNamespace`, or any NetworkPolicy that
 * selects them with policyTypes Egress) and no egress rule of the input admits them to the
 * destination on the rule's port, the declared connection can never be made.
 *
 * The rule asks the analyzer (`compile`, `evaluateSide`) about the pods the peer describes: a pod
 * carrying just the labels of the peer's `podSelector` in each namespace the `namespaceSelector`
 * matches that some NetworkPolicy of the input isolates for egress, and every workload of the
 * input the peer matches there. It reports when none of them may connect to a pod the policy
 * selects on a port of the rule. Left out: a `namespaceSelector` of every namespace
 * (`Peer.allPodsInCluster()`), which says nothing about one namespace; a policy that selects no
 * workload of the input (network-policy-selects-no-pods reports it); a named port that no selected
 * pod declares (network-policy-named-port-not-declared); input the analyzer refuses (invalid-network-policy).
 */
const rule: Rule = {
  id: 'NET044',
  name: ruleName(__filename),
  level: 'warning',
  synth: true,
  fix: 'Add an egress rule in the source namespace that admits those pods to the destination pods on the port (e.g. a NetworkPolicy selecting them, '
    + 'policyTypes Egress), or make the source a workload of this library and connect it with allowTo, which writes both sides; '
    + 'if another app writes that egress, opt the policy out with the ignore-check annotation or AppValidation.skipRule.',
  explanation: 'A connection needs the egress of the source pods and the ingress of the destination pods. An ingress rule that admits pods of a namespace '
    + 'the app isolates for egress, with no egress rule of the app admitting them, declares a connection that can never be made. '
    + 'A warning, since another app may write that egress.',
  check: (objects) => {
    const candidates = candidatePeers(objects);
    if (candidates.length === 0) return [];
    const model = compileWithSources(objects, candidates);
    if (!model) return [];
    const analysis = new Analysis(model);
    return candidates.flatMap((c) => findings(analysis, c));
  },
};
export default rule;

/** An ingress peer with a namespaceSelector, and the namespaces it matches that a NetworkPolicy of the input isolates for egress. */
interface Candidate {
  readonly policy: SourcedObject;
  readonly rule: number;
  readonly peer: number;
  readonly podSelector?: LabelSelector;
  readonly namespaces: readonly string[];
  /** Per namespace, the name of the pod standing for the peer's pods in the compiled model. */
  readonly stand: Map<string, string>;
}

/** The ingress peers with a namespaceSelector matching a namespace isolated for egress: a pass without the analyzer. */
function candidatePeers(objects: readonly SourcedObject[]): Candidate[] {
  const index = ManifestIndex.of(objects);
  const policies = index.ofKind('NetworkPolicy').filter((o) => o.object?.kind === 'NetworkPolicy' && isKubernetesNetworkPolicy(o.object));
  // Namespaces with a policy isolating egress (policyTypes as the API server defaults them).
  const isolated = new Set<string>();
  for (const o of policies) {
    const spec = o.object.spec;
    const types = asArray(spec?.policyTypes);
    if (types.length === 0 ? asArray(spec?.egress).length > 0 : types.includes('Egress')) isolated.add(namespaceOf(o.object));
  }
  if (isolated.size === 0) return [];
  const declared = new Map<string, Record<string, string>>();
  for (const o of index.ofKind('Namespace')) {
    const name = o.object?.metadata?.name;
    if (typeof name === 'string') declared.set(name, { ...declared.get(name), ...labelsOf(o.object.metadata?.labels) });
  }
  const isolatedLabels = [...isolated].sort().map((ns) => [ns, { ...declared.get(ns), [NAMESPACE_NAME_LABEL]: ns }] as const);
  // The isolated namespaces a namespace selector matches, per selector (policies repeat a few selectors).
  const matching = new Map<string, string[]>();
  const namespacesOf = (selector: LabelSelector): string[] => {
    const key = JSON.stringify(selector);
    let names = matching.get(key);
    if (!names) {
      names = isolatedLabels.filter(([, labels]) => matchesSelector(selector, labels)).map(([ns]) => ns);
      matching.set(key, names);
    }
    return names;
  };
  const out: Candidate[] = [];
  for (const o of policies) {
    asArray(o.object.spec?.ingress).forEach((r, i) => {
      asArray(r?.from).forEach((peer, j) => {
        if (peer?.namespaceSelector == null || peer.ipBlock != null) return;
        let nsSelector: LabelSelector;
        let podSelector: LabelSelector | undefined;
        try {
          nsSelector = parseSelector(peer.namespaceSelector, 'namespaceSelector', '');
          podSelector = peer.podSelector == null ? undefined : parseSelector(peer.podSelector, 'podSelector', '');
        } catch {
          return; // invalid-network-policy reports it.
        }
        // Every namespace (Peer.allPodsInCluster()): not a declaration about one namespace.
        if (nsSelector.matchLabels.length === 0 && nsSelector.matchExpressions.length === 0) return;
        const namespaces = namespacesOf(nsSelector);
        if (namespaces.length > 0) out.push({ policy: o, rule: i, peer: j, podSelector, namespaces, stand: new Map() });
      });
    });
  }
  return out;
}

/**
 * The analyzer's model of the input plus, per candidate and namespace, a pod with just the labels
 * of the peer's podSelector (a name no object can have). Undefined when the analyzer refuses the input
 * (another rule reports why).
 *
 * Only the NetworkPolicies that can decide a verdict are compiled: those of the source namespaces
 * (the egress side) and the candidates' own (which pods they select, their ports). A source's egress
 * depends on nothing else of NetworkPolicy, so one peer of an isolated namespace does not make the
 * analyzer compile every policy of a large app. Every other object is kept.
 */
function compileWithSources(objects: readonly SourcedObject[], candidates: readonly Candidate[]): Model | undefined {
  const sourceNamespaces = new Set(candidates.flatMap((c) => c.namespaces));
  const candidatePolicies = new Set(candidates.map((c) => c.policy.object));
  const stand: any[] = [];
  const byKey = new Map<string, string>();
  for (const c of candidates) {
    const labels = standInLabels(c.podSelector);
    if (!labels) continue;
    for (const ns of c.namespaces) {
      const key = `${ns}\u0000${JSON.stringify(Object.entries(labels).sort())}`;
      let name = byKey.get(key);
      if (!name) {
        name = `${STAND_IN}${byKey.size + 1})`;
        byKey.set(key, name);
        stand.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: {} });
      }
      c.stand.set(ns, name);
    }
  }
  const input = flattenLists(objects.map((o) => o.object)).filter((obj) => obj?.kind !== 'NetworkPolicy' || !isKubernetesNetworkPolicy(obj)
    || sourceNamespaces.has(namespaceOf(obj)) || candidatePolicies.has(obj));
  try {
    return compile([...input, ...stand]);
  } catch {
    // Leave out the policies the API server would reject (invalid-network-policy reports them), and try once more.
    try {
      return compile([...input.filter((obj) => obj?.kind !== 'NetworkPolicy' || !isKubernetesNetworkPolicy(obj) || networkPolicyProblems(obj).length === 0), ...stand]);
    } catch {
      return undefined;
    }
  }
}

/** How the names of the stand-in pods begin: no object of the input can have such a name. */
const STAND_IN = '(peer pods ';

/** The model, with its NetworkPolicies by id, its workloads by namespace, and which of them stand in for peers. */
class Analysis {
  public readonly standIns = new Set<number>();
  private readonly policies = new Map<string, PolicyModel>();
  /** The stand-ins by `ns`, then name. */
  private readonly standInsByName = new Map<string, WorkloadModel>();
  /** The other workloads by `ns`, and by `ns` and each `key=value` of their labels. */
  private readonly byKey = new Map<string, WorkloadModel[]>();

  public constructor(public readonly model: Model) {
    for (const p of model.policies) {
      // NetworkPolicies are `ns/name`; Cilium and tier policies `Kind ns/name`, `Kind/name`. The first of duplicates (NET030 reports them).
      if (!p.id.includes(' ') && !this.policies.has(p.id)) this.policies.set(p.id, p);
    }
    for (const w of model.workloads) {
      if (w.kind === 'Pod' && w.name.startsWith(STAND_IN)) {
        this.standIns.add(w.index);
        this.standInsByName.set(`${w.namespace}\u0000${w.name}`, w);
        continue;
      }
      for (const key of [w.namespace, ...Object.entries(w.labels).map(([k, v]) => `${w.namespace}\u0000${k}=${v}`)]) {
        const list = this.byKey.get(key);
        if (list) list.push(w);
        else this.byKey.set(key, [w]);
      }
    }
  }

  public policy(id: string): PolicyModel | undefined {
    return this.policies.get(id);
  }

  public standIn(ns: string, name: string | undefined): WorkloadModel | undefined {
    return name === undefined ? undefined : this.standInsByName.get(`${ns}\u0000${name}`);
  }

  /** The workloads of the input (stand-ins left out) in `ns` that `selector` matches (every one when undefined). */
  public matching(ns: string, selector: LabelSelector | undefined): WorkloadModel[] {
    const first = selector?.matchLabels[0];
    const candidates = this.byKey.get(first ? `${ns}\u0000${first[0]}=${first[1]}` : ns) ?? [];
    return selector ? candidates.filter((w) => matchesSelector(selector, w.labels)) : [...candidates];
  }
}

/** Labels of a pod the selector matches, with no label it does not ask for; undefined when no pod matches it. */
function standInLabels(selector: LabelSelector | undefined): Record<string, string> | undefined {
  if (!selector) return {};
  const labels: Record<string, string> = Object.fromEntries(selector.matchLabels);
  for (const e of selector.matchExpressions) {
    if (e.key in labels) continue;
    if (e.operator === 'In') labels[e.key] = e.values[0];
    if (e.operator === 'Exists') labels[e.key] = '';
  }
  return matchesSelector(selector, labels) ? labels : undefined;
}

function findings(a: Analysis, c: Candidate): RuleFinding[] {
  const obj = c.policy.object;
  const policy = a.policy(`${namespaceOf(obj)}/${String(obj.metadata?.name ?? '')}`);
  const ruleModel = policy?.ingress[c.rule];
  if (!policy || !ruleModel) return [];
  const destinations = [...policy.selects].filter((i) => !a.standIns.has(i)).map((i) => a.model.workloads[i]);
  if (destinations.length === 0) return [];
  const everyPod = !c.podSelector || (c.podSelector.matchLabels.length === 0 && c.podSelector.matchExpressions.length === 0);
  const out: RuleFinding[] = [];
  for (const ns of c.namespaces) {
    const standIn = a.standIn(ns, c.stand.get(ns));
    if (!standIn) continue;
    const isolating = a.model.egressPolicies[standIn.index];
    if (isolating.length === 0) continue;
    // The pods the peer describes: the stand-in, and the workloads of the input it matches there.
    const sources = [standIn, ...a.matching(ns, c.podSelector)];
    // Per destination, the ports of the rule on which none of them may connect to it.
    const blocked: Array<[WorkloadModel, string[]]> = [];
    for (const dst of destinations) {
      const ports: string[] = [];
      for (const spec of ruleModel.ports ?? [undefined]) {
        const conn = ruleConnections({ ports: spec ? [spec] : undefined }, dst);
        if (conn.isEmpty()) continue; // A named port dst does not declare admits nothing (NET043).
        if (!sources.some((src) => src.index !== dst.index && admits(a.model, src, dst, conn))) ports.push(portText(spec, conn));
      }
      if (ports.length > 0) blocked.push([dst, ports]);
    }
    if (blocked.length === 0) continue;
    const field = `spec.ingress[${c.rule}].from[${c.peer}]`;
    const who = `${everyPod ? 'every pod' : `pods ${selectorText(c.podSelector!)}`} of namespace ${ns}`;
    const to = blocked.map(([dst, ports]) => `${endpoint(dst)} on ${ports.join(', ')}`).join('; ');
    const by = `${policyName(isolating[0])}${isolating.length > 1 ? ` (and ${isolating.length - 1} more)` : ''}`;
    out.push({
      object: c.policy,
      field,
      message: `${field} admits ${who} to ${to}, but ${by} isolates those pods for egress and no egress rule of the input admits them there, `
        + 'so the connection can never be made (it needs the egress of the source and the ingress of the destination); '
        + `add an egress rule in namespace ${ns} that admits those pods to ${to}, `
        + 'or make the source a workload of this library and use allowTo, which writes both sides.',
    });
  }
  return out;
}

/** Whether `src`'s egress admits it to `dst` on some connection of `conn` (the analyzer's verdict, tiers and deny rules included). */
function admits(model: Model, src: WorkloadModel, dst: WorkloadModel, conn: ConnectionSet): boolean {
  return !evaluateSide(model, 'egress', src, { type: 'workload', workload: dst }, dst).allowed.intersect(conn).isEmpty();
}

/** A port of a rule as written (`undefined`: a rule without ports), a named port with what it resolves to on the destination. */
function portText(p: PortSpec | undefined, conn: ConnectionSet): string {
  if (p === undefined) return 'every port';
  if (p.name !== undefined) return `port "${p.name}" (${conn.toString()})`;
  if (p.port === undefined) return `every ${p.protocol} port`;
  return `${p.protocol} ${p.port}${p.endPort !== undefined && p.endPort !== p.port ? `-${p.endPort}` : ''}`;
}

function endpoint(w: WorkloadModel): string {
  return `${w.kind} ${w.namespace}/${w.name}`;
}

function policyName(p: PolicyModel): string {
  return p.id.includes(' ') ? p.id : `NetworkPolicy ${p.id}`;
}

/** A selector as kubectl writes one (`app=worker,tier in (a,b),!legacy`). */
function selectorText(s: LabelSelector): string {
  const parts = s.matchLabels.map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions) {
    parts.push(e.operator === 'In' ? `${e.key} in (${e.values.join(',')})` : e.operator === 'NotIn' ? `${e.key} notin (${e.values.join(',')})`
      : e.operator === 'Exists' ? e.key : `!${e.key}`);
  }
  return parts.join(',');
}
