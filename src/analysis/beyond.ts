/**
 * What manifests say beyond NetworkPolicy, and how it combines with it. Internal to `src/analysis`.
 *
 * Precedence of one direction of one pod (network-policy-api, `apis/v1alpha1` v0.1.8 and
 * `apis/v1alpha2` v0.2.0; network-policy-api.sigs.k8s.io/api-overview/):
 *
 * 1. Admin tier: AdminNetworkPolicies and Admin-tier ClusterNetworkPolicies selecting the pod,
 *    by priority (lowest number first), rules in order. The first rule matching a connection
 *    decides it: Allow (Accept) allows, Deny denies, Pass hands it to the next tier.
 * 2. NetworkPolicy tier: the pod's NetworkPolicies and Cilium policies (as Cilium combines
 *    them: a pod selected by any policy for a direction is isolated for it, and a connection is
 *    allowed when any allows it; Cilium deny rules win over every allow). An isolated pod
 *    decides every connection that reaches this tier: allowed if some rule allows it, else denied.
 * 3. Baseline tier (only for connections of pods this tier left undecided: not isolated):
 *    the BaselineAdminNetworkPolicy and Baseline-tier ClusterNetworkPolicies, by priority,
 *    rules in order; Allow/Deny decide, Pass goes on.
 * 4. Whatever is still undecided is allowed.
 *
 * A connection needs its source's egress and its destination's ingress to allow it.
 */
import { ConnectionSet } from './connection-set';
import type { RuleHit, SideResult, Subject } from './evaluate';
import { IpFamily } from './ip';
import { Direction, NamespaceModel, Peer, PolicyModel, PortSpec, RuleModel, WorkloadModel } from './model';

/** Allow, Deny or Pass (`Accept` is read as Allow). */
export type TierAction = 'Allow' | 'Deny' | 'Pass';

export interface TierRule {
  /** Position in the policy's list. */
  readonly index: number;
  readonly name: string;
  readonly action: TierAction;
  readonly peers: readonly Peer[];
  /** `undefined`: every port and protocol. */
  readonly ports?: readonly PortSpec[];
}

export interface TierPolicy {
  /** `AdminNetworkPolicy/name`, `BaselineAdminNetworkPolicy/default`, `ClusterNetworkPolicy/name`. */
  readonly id: string;
  readonly tier: 'admin' | 'baseline';
  readonly priority: number;
  readonly selects: ReadonlySet<number>;
  readonly ingress: readonly TierRule[];
  readonly egress: readonly TierRule[];
}

/** A Cilium deny rule (`ingressDeny`/`egressDeny`): wins over every allow of the NetworkPolicy tier. */
export interface DenyPolicy {
  readonly id: string;
  readonly selects: ReadonlySet<number>;
  readonly ingress: readonly RuleModel[];
  readonly egress: readonly RuleModel[];
}

export interface BeyondModel {
  /** Admin-tier policies in precedence order. */
  readonly admin: readonly TierPolicy[];
  /** Baseline-tier policies in precedence order. */
  readonly baseline: readonly TierPolicy[];
  readonly denies: readonly DenyPolicy[];
  /** The DNS names and patterns policies name, sorted: the FQDN destinations of the matrix. */
  readonly fqdnNames: readonly string[];
  /** What of the policies is not modelled (each names the policy and the field). */
  readonly warnings: readonly string[];
}

/** Whether evaluation must go beyond NetworkPolicy's additive allow (tiers or deny rules). */
export function isTiered(beyond: BeyondModel | undefined): boolean {
  return beyond !== undefined && (beyond.admin.length > 0 || beyond.baseline.length > 0 || beyond.denies.length > 0);
}

/** A tier rule that matched, and the part of the traffic it decided. */
export interface TierHit {
  readonly policy: string;
  readonly rule: string;
  readonly action: TierAction;
  readonly tier: 'admin' | 'baseline' | 'deny';
  readonly connections: ConnectionSet;
}

/** How the tiers decided one side. */
export interface TierTrace {
  readonly hits: readonly TierHit[];
  /** What reached the NetworkPolicy tier (passed or matched by no admin rule). */
  readonly toNetworkPolicy: ConnectionSet;
  /** What reached the baseline tier (NetworkPolicy tier not isolated). */
  readonly toBaseline: ConnectionSet;
  /** What no tier decided: allowed by default. */
  readonly byDefault: ConnectionSet;
}

type Matcher = (peer: Peer, other: Subject) => boolean;
type PortsOf = (rule: { readonly ports?: readonly PortSpec[] }, destination: WorkloadModel | undefined) => ConnectionSet;

/**
 * The side `np` (what NetworkPolicy-tier allow rules give) with the tiers and deny rules applied.
 * `peer` is the other end; `destination` resolves named ports.
 */
export function applyBeyond(beyond: BeyondModel, np: SideResult, peer: Subject, destination: WorkloadModel | undefined,
  matches: Matcher, portsOf: PortsOf): SideResult {
  const subject = np.subject;
  if (subject === undefined) return np;
  const direction = np.direction;
  const hits: TierHit[] = [];
  let allowed = ConnectionSet.none();
  let open = ConnectionSet.all();
  let passed = ConnectionSet.none();

  const runTier = (policies: readonly TierPolicy[], tier: 'admin' | 'baseline') => {
    for (const policy of policies) {
      if (!policy.selects.has(subject.index)) continue;
      const rules = direction === 'ingress' ? policy.ingress : policy.egress;
      for (const rule of rules) {
        if (open.isEmpty()) return;
        if (!rule.peers.some((p) => matches(p, peer))) continue;
        const decided = portsOf(rule, destination).intersect(open);
        if (decided.isEmpty()) continue;
        hits.push({ policy: policy.id, rule: rule.name || `#${rule.index}`, action: rule.action, tier, connections: decided });
        if (rule.action === 'Allow') allowed = allowed.union(decided);
        if (rule.action === 'Pass') passed = passed.union(decided);
        open = open.subtract(decided);
      }
    }
  };

  runTier(beyond.admin, 'admin');
  open = open.union(passed);
  passed = ConnectionSet.none();
  const toNetworkPolicy = open;

  // NetworkPolicy tier: allow rules (NetworkPolicy, Cilium), minus Cilium deny rules.
  let npAllowed = np.allowed;
  let isolated = np.isolated;
  for (const deny of beyond.denies) {
    if (!deny.selects.has(subject.index)) continue;
    for (const rule of direction === 'ingress' ? deny.ingress : deny.egress) {
      if (rule.peers !== undefined && !rule.peers.some((p) => matches(p, peer))) continue;
      const denied = portsOf(rule, destination).intersect(open);
      if (denied.isEmpty()) continue;
      hits.push({ policy: deny.id, rule: `#${rule.index}`, action: 'Deny', tier: 'deny', connections: denied });
      npAllowed = npAllowed.subtract(denied);
      open = open.subtract(denied);
    }
  }
  let toBaseline = ConnectionSet.none();
  if (isolated) {
    allowed = allowed.union(open.intersect(npAllowed));
    open = ConnectionSet.none();
  } else {
    toBaseline = open;
    runTier(beyond.baseline, 'baseline');
    open = open.union(passed);
  }
  const byDefault = open;
  allowed = allowed.union(open);
  // A side is "isolated" in the verdict when some tier could deny there.
  isolated = isolated || hits.length > 0;
  const tiers: TierTrace = { hits, toNetworkPolicy, toBaseline, byDefault };
  return { ...np, isolated, allowed, tiers } as SideResult;
}

/**
 * The workloads `src` may reach at all with tiers in play (a superset: each pair must still be
 * evaluated), or `undefined` for every workload. Egress to a workload needs an admin Allow or
 * Pass naming it, or the NetworkPolicy tier allowing it (isolated: one of its rules names it;
 * not isolated: the baseline does not deny everything), or a baseline Allow.
 */
export function egressCandidates(beyond: BeyondModel, egressPolicies: readonly PolicyModel[], src: number,
  workloads: number): Set<number> | undefined {
  const out = new Set<number>();
  const addPods = (peers: readonly Peer[] | undefined): boolean => {
    if (peers === undefined) return false;
    for (const p of peers) if (p.type === 'pods') for (const i of p.matches) out.add(i);
    return true;
  };
  for (const policy of beyond.admin) {
    if (!policy.selects.has(src)) continue;
    for (const rule of policy.egress) if (rule.action !== 'Deny') addPods(rule.peers);
  }
  if (egressPolicies.length > 0) {
    for (const policy of egressPolicies) for (const rule of policy.egress) if (!addPods(rule.peers)) return undefined;
    return out;
  }
  // Not isolated: what no baseline rule decides is allowed; only a Deny of every port to every workload closes the rest.
  for (const policy of beyond.baseline) {
    if (!policy.selects.has(src)) continue;
    for (const rule of policy.egress) {
      const everyone = rule.peers.some((p) => p.type === 'pods' && p.matches.size === workloads);
      if (rule.action === 'Deny' && rule.ports === undefined && everyone) return out;
      if (rule.action !== 'Deny') addPods(rule.peers);
    }
  }
  return undefined;
}

/** The text of one side decided with tiers, for verdicts. */
export function tierText(side: SideResult, trace: TierTrace, requested: ConnectionSet, subjectText: string, peerText: string): string {
  const parts: string[] = [];
  for (const h of trace.hits) {
    const part = h.connections.intersect(requested);
    if (part.isEmpty()) continue;
    const verb = h.action === 'Allow' ? 'allows' : h.action === 'Deny' ? 'denies' : 'passes';
    parts.push(`${h.policy} rule "${h.rule}" ${verb} ${part}`);
  }
  const reachedNp = trace.toNetworkPolicy.intersect(requested);
  if (!reachedNp.isEmpty()) {
    if (side.policies.length > 0) {
      const npAdmits = side.hits.reduce((acc: ConnectionSet, h: RuleHit) => acc.union(h.connections), ConnectionSet.none()).intersect(reachedNp);
      parts.push(`${side.policies.map((p) => p.id).join(', ')} ${side.policies.length === 1 ? 'isolates' : 'isolate'} it` +
        (npAdmits.isEmpty() ? ` and admit nothing of ${reachedNp} ${side.direction === 'egress' ? 'to' : 'from'} ${peerText}`
          : `; rules ${side.hits.map((h) => `${h.policy.id} rule ${h.rule.index}`).join(', ')} admit ${npAdmits}`));
    } else {
      parts.push(`no NetworkPolicy isolates it for ${side.direction}`);
    }
  }
  const byDefault = trace.byDefault.intersect(requested);
  if (!byDefault.isEmpty()) parts.push(`no tier decides ${byDefault}, so it is allowed`);
  return `${subjectText}: ${parts.join('; ') || 'nothing applies'}`;
}

/** Workloads in namespaces matching `namespaces` whose labels match `pods` (each a predicate). @internal */
export function selectWorkloads(workloads: readonly WorkloadModel[], namespaces: readonly NamespaceModel[],
  namespaceMatches: (ns: NamespaceModel) => boolean, podMatches: (w: WorkloadModel) => boolean): Set<number> {
  const names = new Set(namespaces.filter(namespaceMatches).map((n) => n.name));
  return new Set(workloads.filter((w) => names.has(w.namespace) && podMatches(w)).map((w) => w.index));
}

/** Whether a DNS name (or pattern) is covered by a Cilium-style pattern (`*` = any DNS characters but `.`). */
export function dnsPatternCovers(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const n = name.toLowerCase().replace(/\.$/, '');
  if (p === n || p === '*') return true;
  if (n.includes('*')) return false; // a pattern is covered only by itself or by `*`
  // A leading `*` not followed by `.` also matches every subdomain (Cilium matchPattern docs).
  const leadingAny = p.startsWith('*') && !p.startsWith('*.');
  const body = p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[-a-z0-9_]*');
  return new RegExp(`^${leadingAny ? '([-a-z0-9_.]*)?' : ''}${body}$`).test(n);
}

/** Boundaries lists (all directions, and one direction) to extend with an address block. */
export type BoundaryLists = ReadonlyArray<Record<IpFamily, bigint[]>>;

/** Compiled pieces of a kind of policy beyond NetworkPolicy. */
export interface BeyondPart {
  readonly policies?: PolicyModel[];
  /**
   * Policies that isolate nothing but add their allows where another policy isolates
   * (Cilium `enableDefaultDeny: false`).
   */
  readonly additive?: PolicyModel[];
  readonly admin?: TierPolicy[];
  readonly baseline?: TierPolicy[];
  readonly denies?: DenyPolicy[];
  readonly fqdnNames?: string[];
  readonly warnings?: string[];
}

/** Joins the parts; undefined when they say nothing beyond NetworkPolicy. */
export function joinParts(parts: readonly BeyondPart[]): { policies: PolicyModel[]; additive: PolicyModel[]; beyond?: BeyondModel } {
  const policies = parts.flatMap((p) => p.policies ?? []);
  const additive = parts.flatMap((p) => p.additive ?? []);
  const order = (a: TierPolicy, b: TierPolicy) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const beyond: BeyondModel = {
    admin: parts.flatMap((p) => p.admin ?? []).sort(order),
    baseline: parts.flatMap((p) => p.baseline ?? []).sort(order),
    denies: parts.flatMap((p) => p.denies ?? []),
    fqdnNames: [...new Set(parts.flatMap((p) => p.fqdnNames ?? []))].sort(),
    warnings: parts.flatMap((p) => p.warnings ?? []),
  };
  const empty = policies.length === 0 && additive.length === 0 && beyond.admin.length === 0 && beyond.baseline.length === 0 &&
    beyond.denies.length === 0 &&
    beyond.fqdnNames.length === 0 && beyond.warnings.length === 0;
  return { policies, additive, beyond: empty ? undefined : beyond };
}

/** Adds each additive policy to the lists of the workloads another policy isolates (in place). */
export function attachAdditive(additive: readonly PolicyModel[], ingressPolicies: PolicyModel[][], egressPolicies: PolicyModel[][]): void {
  for (const p of additive) {
    for (const i of p.selects) {
      if (p.ingress.length > 0 && ingressPolicies[i].length > 0) ingressPolicies[i].push(p);
      if (p.egress.length > 0 && egressPolicies[i].length > 0) egressPolicies[i].push(p);
    }
  }
}

/** The direction's field names, for messages. */
export const PEERS_FIELD: Readonly<Record<Direction, string>> = { ingress: 'from', egress: 'to' };
