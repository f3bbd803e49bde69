/**
 * Verdicts on the compiled model, with networking.k8s.io/v1 semantics:
 *
 * - A pod is isolated for a direction only if some policy that selects it
 *   lists that direction in its (defaulted) policyTypes. A non-isolated pod
 *   allows everything in that direction.
 * - An isolated pod allows the union of the rules of every policy isolating it.
 * - A connection between two pods needs the source's egress AND the
 *   destination's ingress to allow it.
 * - Addresses outside the cluster are IP ranges; NetworkPolicy does not govern
 *   their side of a connection. An ipBlock never matches pods.
 * - Named ports resolve against the destination pod's container ports with the
 *   same protocol. When the destination is an IP range, a named port matches nothing.
 *
 * Internal to `src/analysis`.
 */
import { applyBeyond, dnsPatternCovers, egressCandidates, isTiered, TierTrace } from './beyond';
import { ConnectionSet } from './connection-set';
import { formatInterval, fullSpace, IpFamily, IpInterval, splitSpace } from './ip';
import { Direction, Model, Peer, PolicyModel, RuleModel, WorkloadModel } from './model';
import { SelectorMatches } from './workload-index';

/** One side of a connection: a workload, or a range of external addresses. */
export type Subject =
  | { readonly type: 'workload'; readonly workload: WorkloadModel }
  | { readonly type: 'ip'; readonly interval: IpInterval }
  /** A DNS name outside the cluster (or a pattern, `*.example.com`), named by some policy. */
  | { readonly type: 'fqdn'; readonly name: string };

/** A rule that matches the peer, and the connections it allows to the destination. */
export interface RuleHit {
  readonly policy: PolicyModel;
  readonly rule: RuleModel;
  readonly connections: ConnectionSet;
}

/** What one direction (the source's egress or the destination's ingress) allows. */
export interface SideResult {
  readonly direction: Direction;
  /** The workload whose policies apply; `undefined` when this side is outside the cluster. */
  readonly subject?: WorkloadModel;
  /** Whether some policy isolates `subject` for `direction`. */
  readonly isolated: boolean;
  /** The policies isolating `subject` for `direction`. */
  readonly policies: readonly PolicyModel[];
  /** The rules that match the peer (their connections may be empty, e.g. an unresolved named port). */
  readonly hits: readonly RuleHit[];
  readonly allowed: ConnectionSet;
  /** How admin/baseline tiers and deny rules decided, when the manifests have any (`beyond.ts`). */
  readonly tiers?: TierTrace;
  /** The connection is a single pod's to itself, which no policy can block (`allowed` is everything). */
  readonly ownPod?: boolean;
}

export interface PairResult {
  readonly egress: SideResult;
  readonly ingress: SideResult;
  /** `egress.allowed ∩ ingress.allowed`. */
  readonly allowed: ConnectionSet;
}

/** The external endpoint name used in connection lists: `start-end[External]`. */
export function externalName(interval: IpInterval): string {
  return `${formatInterval(interval)}[External]`;
}

/** The endpoint name of a DNS name: `api.payments.example[FQDN]`. */
export function fqdnName(name: string): string {
  return `${name}[FQDN]`;
}

export function subjectName(subject: Subject): string {
  return subject.type === 'workload' ? subject.workload.id : subject.type === 'fqdn' ? fqdnName(subject.name) : externalName(subject.interval);
}

export function peerMatches(peer: Peer, other: Subject): boolean {
  if (peer.type === 'pods') {
    return other.type === 'workload' && peer.matches.has(other.workload.index);
  }
  if (peer.type === 'fqdn') {
    return other.type === 'fqdn' && peer.patterns.some((p) => dnsPatternCovers(p, other.name));
  }
  // A DNS name resolves to addresses unknown here: only a block of every IPv4 address surely holds them.
  if (other.type === 'fqdn') {
    return peer.addresses.covers(fullSpace(4));
  }
  // ipBlocks only ever match addresses outside the cluster, never pods.
  return other.type === 'ip' && peer.addresses.covers(other.interval);
}

/**
 * The connections a rule's `ports` allow towards `destination`.
 * Named ports are looked up in the destination's container ports, with the same protocol.
 */
export function ruleConnections(rule: Pick<RuleModel, 'ports'>, destination: WorkloadModel | undefined): ConnectionSet {
  if (rule.ports === undefined) {
    return ConnectionSet.all();
  }
  let result = ConnectionSet.none();
  for (const spec of rule.ports) {
    if (spec.name !== undefined) {
      for (const cp of destination?.ports ?? []) {
        if (cp.name === spec.name && cp.protocol === spec.protocol) {
          result = result.union(ConnectionSet.ports(spec.protocol, cp.port));
        }
      }
    } else if (spec.port === undefined) {
      result = result.union(ConnectionSet.protocol(spec.protocol));
    } else {
      result = result.union(ConnectionSet.ports(spec.protocol, spec.port, spec.endPort ?? spec.port));
    }
  }
  return result;
}

/**
 * What `subject`'s policies for `direction` allow with `peer`.
 *
 * @param destination the destination workload, for named ports (`undefined` when it is an IP range)
 */
export function evaluateSide(
  model: Model,
  direction: Direction,
  subject: WorkloadModel,
  peer: Subject,
  destination: WorkloadModel | undefined,
): SideResult {
  const policies = direction === 'ingress' ? model.ingressPolicies[subject.index] : model.egressPolicies[subject.index];
  if (policies.length === 0) {
    return withBeyond(model, { direction, subject, isolated: false, policies, hits: [], allowed: ConnectionSet.all() }, peer, destination);
  }
  const hits: RuleHit[] = [];
  let allowed = ConnectionSet.none();
  for (const policy of policies) {
    for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
      if (rule.peers !== undefined && !rule.peers.some((p) => peerMatches(p, peer))) {
        continue;
      }
      const connections = ruleConnections(rule, destination);
      hits.push({ policy, rule, connections });
      allowed = allowed.union(connections);
    }
  }
  return withBeyond(model, { direction, subject, isolated: true, policies, hits, allowed }, peer, destination);
}

/** `side` with the admin/baseline tiers and deny rules of the manifests applied (`beyond.ts`). */
function withBeyond(model: Model, side: SideResult, peer: Subject, destination: WorkloadModel | undefined): SideResult {
  return isTiered(model.beyond) ? applyBeyond(model.beyond!, side, peer, destination, peerMatches, ruleConnections) : side;
}

/** A side outside the cluster: NetworkPolicy does not restrict it. */
function externalSide(direction: Direction): SideResult {
  return { direction, isolated: false, policies: [], hits: [], allowed: ConnectionSet.all() };
}

/**
 * Evaluates a connection from `src` to `dst`. IP subjects must lie within one
 * interval of `ipAtoms` (use `splitQuery` for arbitrary ranges).
 */
export function evaluatePair(model: Model, src: Subject, dst: Subject): PairResult {
  const dstWorkload = dst.type === 'workload' ? dst.workload : undefined;
  const egress = src.type === 'workload' ? evaluateSide(model, 'egress', src.workload, dst, dstWorkload) : externalSide('egress');
  const ingress = dst.type === 'workload' ? evaluateSide(model, 'ingress', dst.workload, src, dstWorkload) : externalSide('ingress');
  // "A pod cannot block access to itself" (the NetworkPolicy documentation): its packets to its own
  // address never leave its network namespace. Only an ownerless Pod is one pod; the replicas of a
  // workload are separate pods, between which the policies apply.
  if (src.type === 'workload' && dst.type === 'workload' && src.workload.index === dst.workload.index && src.workload.kind === 'Pod') {
    const all = ConnectionSet.all();
    return { egress: { ...egress, allowed: all, ownPod: true }, ingress: { ...ingress, allowed: all, ownPod: true }, allowed: all };
  }
  return { egress, ingress, allowed: egress.allowed.intersect(ingress.allowed) };
}

/**
 * The family's address space cut at every ipBlock boundary: each interval is
 * wholly inside or wholly outside every ipBlock.
 */
export function ipAtoms(model: Model, family: IpFamily): IpInterval[] {
  return splitSpace(family, model.ipBoundaries[family]);
}

/** `interval` cut at every ipBlock boundary, so each piece can be evaluated exactly. */
export function splitQuery(model: Model, interval: IpInterval): IpInterval[] {
  return splitSpace(interval.family, [...model.ipBoundaries[interval.family], interval.start, interval.end + 1n])
    .filter((a) => a.start >= interval.start && a.end <= interval.end);
}

/** One line of a connection list. */
export interface MatrixLine {
  readonly src: string;
  readonly dst: string;
  readonly conn: string;
}

/** Which IP families `matrix` reports: IPv4 always, IPv6 when some ipBlock is IPv6. */
export function reportedFamilies(model: Model): IpFamily[] {
  return model.ipBoundaries[6].length > 0 ? [4, 6] : [4];
}

/** How `matrix` writes IP ranges. */
export interface MatrixLayout {
  /**
   * `false` (default): netpol-analyzer's layout. The address space is cut per direction at every
   * boundary of the ipBlocks (cidr and except) of all policies: sources of ingress at those of
   * the ingress rules, destinations of egress at those of the egress rules. Every workload gets
   * one line per piece with some allowed connection; neighbours are never merged, so the text
   * can be diffed against that tool. `true`: neighbouring ranges of one workload and direction
   * with the same connections are merged into one line.
   */
  readonly mergeIpRanges?: boolean;
  /** The IP families to list ranges of (default: `reportedFamilies(model)`). */
  readonly families?: readonly IpFamily[];
  /**
   * `false`: leave `conn` and the names of address ranges empty (the sets and ranges are kept), for
   * callers that compare lines and write only a few of them (`diff`). Default `true`.
   */
  readonly text?: boolean;
}

/**
 * Every allowed connection: between workloads (a workload to itself is not
 * listed), from IP ranges to workloads and from workloads to IP ranges
 * (laid out as `layout` says).
 *
 * Does not evaluate every pair of workloads: the ingress rules are first
 * inverted into "which sources does each rule admit" (from the peer matches
 * computed at compile time), so each source is only paired with the
 * destinations that can admit it. The work grows with the number of allowed
 * pairs (and of selector matches), not with the square of the workloads.
 */
export function matrix(model: Model, layout: MatrixLayout = {}): MatrixLine[] {
  return rangedMatrix(model, layout).map(({ src, dst, conn }) => ({ src, dst, conn }));
}

/** A line of `matrix` that keeps the address ranges of its endpoints and its connections as a set. */
export interface RangedLine extends MatrixLine {
  readonly srcRange?: IpInterval;
  readonly dstRange?: IpInterval;
  readonly set: ConnectionSet;
}

/** `matrix`, with the address ranges and connection sets of the lines (sorted the same way). */
export function rangedMatrix(model: Model, layout: MatrixLayout = {}): RangedLine[] {
  // Each line keeps the address ranges of its endpoints, so that ranges sort by address, not as text.
  const lines: RangedLine[] = fqdnLines(model);
  if (isTiered(model.beyond)) {
    // Tiers and deny rules can take away what a rule allows: every pair is evaluated in full.
    return [...lines, ...tieredLines(model, layout)].sort(compareLines);
  }
  const workloads = model.workloads;
  const index = new IngressIndex(model);
  const text = layout.text !== false;

  for (const src of workloads) {
    const egressPolicies = model.egressPolicies[src.index];
    const egressRules = egressPolicies.flatMap((p) => p.egress);
    // With isolated egress and no rule open to every destination, only the destinations its rules name can be reached.
    const candidates = egressPolicies.length > 0 && egressRules.every((r) => r.peers !== undefined)
      ? egressTargets(egressRules)
      : index.admitting(src.index);
    for (const dstIndex of candidates) {
      if (dstIndex === src.index) {
        continue;
      }
      const dst = workloads[dstIndex];
      const ingress = index.allowed(dst, src.index);
      if (ingress.isEmpty()) {
        continue;
      }
      const allowed = egressPolicies.length === 0 ? ingress : egressAllowed(egressRules, dst).intersect(ingress);
      if (!allowed.isEmpty()) {
        lines.push({ src: src.id, dst: dst.id, conn: text ? allowed.toString() : '', set: allowed });
      }
    }
  }

  for (const family of layout.families ?? reportedFamilies(model)) {
    // The pieces of each direction (each lies within one of every workload's own pieces).
    const pieces = {
      ingress: splitSpace(family, model.directionIpBoundaries.ingress[family]),
      egress: splitSpace(family, model.directionIpBoundaries.egress[family]),
    };
    const layOut = (direction: Direction, own: ReadonlyArray<readonly [IpInterval, ConnectionSet]>) =>
      (layout.mergeIpRanges ? mergeRanges(own) : spread(own, pieces[direction]));
    for (const w of workloads) {
      const subject: Subject = { type: 'workload', workload: w };
      const ingress = layOut('ingress', sideAtoms(model, 'ingress', w, family).map((atom) => [atom, evaluatePair(model, { type: 'ip', interval: atom }, subject).allowed] as const));
      for (const [range, allowed] of ingress) {
        lines.push({ src: text ? externalName(range) : '', dst: w.id, conn: text ? allowed.toString() : '', srcRange: range, set: allowed });
      }
      const egress = layOut('egress', sideAtoms(model, 'egress', w, family).map((atom) => [atom, evaluatePair(model, subject, { type: 'ip', interval: atom }).allowed] as const));
      for (const [range, allowed] of egress) {
        lines.push({ src: w.id, dst: text ? externalName(range) : '', conn: text ? allowed.toString() : '', dstRange: range, set: allowed });
      }
    }
  }
  return lines.sort(compareLines);
}

/** Matrix order: by source, then destination (see `compareEndpoints`). */
export function compareLines(a: RangedLine, b: RangedLine): number {
  return compareEndpoints(a.src, a.srcRange, b.src, b.srcRange) || compareEndpoints(a.dst, a.dstRange, b.dst, b.dstRange);
}

/**
 * The ingress side of every workload, indexed for the question "which destinations can admit
 * this source": destinations open to every source, and the destinations of each distinct peer
 * (peers are shared between policies that name the same selector). A source finds the peers that
 * can match it through its namespace and its labels (a peer is filed under each namespace it
 * covers and the first pair of its pod selector), so nothing is stored per pair of workloads:
 * memory grows with the policies, not with workloads × the workloads a broad peer matches.
 * Connections are computed per destination on demand (named ports depend on the destination).
 */
class IngressIndex {
  /** Destinations whose ingress is not isolated, or that have a rule open to every source. */
  private readonly open: number[] = [];
  /** Destinations of each selector peer. */
  private readonly byPeer = new Map<SelectorMatches, number[]>();
  /** Selector peers by `namespace` or `namespace\0key=value` (the first pair of their pod selector). */
  private readonly peersByKey = new Map<string, SelectorMatches[]>();
  /** Per source index, the destinations with a rule naming it, for peers given as plain sets (Cilium, admin tiers). */
  private readonly named = new Map<number, Set<number>>();
  private readonly cache = new Map<PolicyModel, Map<RuleModel, Map<number, ConnectionSet>>>();

  constructor(private readonly model: Model) {
    for (const dst of model.workloads) {
      const policies = model.ingressPolicies[dst.index];
      const rules = policies.flatMap((p) => p.ingress);
      if (policies.length === 0 || rules.some((r) => r.peers === undefined)) {
        this.open.push(dst.index);
        continue;
      }
      for (const rule of rules) {
        for (const peer of rule.peers!) {
          if (peer.type !== 'pods') {
            continue;
          }
          if (peer.matches instanceof SelectorMatches) {
            this.file(peer.matches, dst.index);
            continue;
          }
          for (const src of peer.matches) {
            let set = this.named.get(src);
            if (!set) {
              set = new Set();
              this.named.set(src, set);
            }
            set.add(dst.index);
          }
        }
      }
    }
  }

  private file(peer: SelectorMatches, dst: number): void {
    let dsts = this.byPeer.get(peer);
    if (!dsts) {
      dsts = [];
      this.byPeer.set(peer, dsts);
      const first = peer.podSelector?.matchLabels[0];
      for (const ns of peer.namespaces) {
        const key = first ? `${ns}\u0000${first[0]}=${first[1]}` : ns;
        const list = this.peersByKey.get(key);
        if (list) list.push(peer);
        else this.peersByKey.set(key, [peer]);
      }
    }
    if (dsts[dsts.length - 1] !== dst) {
      dsts.push(dst);
    }
  }

  /** The destinations whose ingress may admit `src` (a superset: each must still be evaluated). */
  public admitting(src: number): Iterable<number> {
    const w = this.model.workloads[src];
    const keys = [w.namespace, ...Object.entries(w.labels).map(([k, v]) => `${w.namespace}\u0000${k}=${v}`)];
    let out: Set<number> | undefined;
    const add = (dsts: Iterable<number>) => {
      out ??= new Set(this.open);
      for (const d of dsts) out.add(d);
    };
    for (const key of keys) {
      for (const peer of this.peersByKey.get(key) ?? []) {
        if (peer.has(src)) add(this.byPeer.get(peer)!);
      }
    }
    const named = this.named.get(src);
    if (named) add(named);
    return out ?? this.open;
  }

  /** What `dst`'s ingress allows from the workload `src`. */
  public allowed(dst: WorkloadModel, src: number): ConnectionSet {
    const policies = this.model.ingressPolicies[dst.index];
    if (policies.length === 0) {
      return ConnectionSet.all();
    }
    let allowed = ConnectionSet.none();
    for (const policy of policies) {
      for (const rule of policy.ingress) {
        if (rule.peers === undefined || rule.peers.some((p) => p.type === 'pods' && p.matches.has(src))) {
          allowed = allowed.union(this.connections(policy, rule, dst));
        }
      }
    }
    return allowed;
  }

  private connections(policy: PolicyModel, rule: RuleModel, dst: WorkloadModel): ConnectionSet {
    let byRule = this.cache.get(policy);
    if (!byRule) {
      byRule = new Map();
      this.cache.set(policy, byRule);
    }
    let byDst = byRule.get(rule);
    if (!byDst) {
      byDst = new Map();
      byRule.set(rule, byDst);
    }
    let set = byDst.get(dst.index);
    if (!set) {
      set = ruleConnections(rule, dst);
      byDst.set(dst.index, set);
    }
    return set;
  }
}

/** The workloads some of `rules` (each with peers) names. */
function egressTargets(rules: readonly RuleModel[]): Set<number> {
  const out = new Set<number>();
  for (const rule of rules) {
    for (const peer of rule.peers!) {
      if (peer.type === 'pods') {
        for (const i of peer.matches) {
          out.add(i);
        }
      }
    }
  }
  return out;
}

/** What isolating egress `rules` allow towards the workload `dst`. */
function egressAllowed(rules: readonly RuleModel[], dst: WorkloadModel): ConnectionSet {
  let allowed = ConnectionSet.none();
  for (const rule of rules) {
    if (rule.peers === undefined || rule.peers.some((p) => p.type === 'pods' && p.matches.has(dst.index))) {
      allowed = allowed.union(ruleConnections(rule, dst));
    }
  }
  return allowed;
}

/**
 * The address space of `family` cut at the boundaries of the ipBlocks that the
 * workload's own isolating rules name: each piece is wholly inside or outside
 * each of them, so one evaluation per piece is exact. A side that is not
 * isolated, or whose rules name no addresses, needs one piece or none.
 */
function sideAtoms(model: Model, direction: Direction, w: WorkloadModel, family: IpFamily): IpInterval[] {
  const policies = direction === 'ingress' ? model.ingressPolicies[w.index] : model.egressPolicies[w.index];
  if (policies.length === 0) {
    return [fullSpace(family)];
  }
  const boundaries: bigint[] = [];
  let relevant = false;
  for (const policy of policies) {
    for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
      if (rule.peers === undefined) {
        relevant = true;
        continue;
      }
      for (const peer of rule.peers) {
        if (peer.type === 'ip') {
          for (const interval of peer.addresses.intervals(family)) {
            relevant = true;
            boundaries.push(interval.start, interval.end + 1n);
          }
        }
      }
    }
  }
  return relevant ? splitSpace(family, boundaries) : [];
}

/** Workload ids as text; address ranges by family, then address; ranges before workloads. */
function compareEndpoints(a: string, aRange: IpInterval | undefined, b: string, bRange: IpInterval | undefined): number {
  if (aRange && bRange) {
    return aRange.family - bRange.family || (aRange.start < bRange.start ? -1 : aRange.start > bRange.start ? 1 : 0);
  }
  if (aRange || bRange) {
    return aRange ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Lays a workload's own ranges (sorted, covering what they cover) over the finer `pieces` of the
 * whole direction: each piece takes the connections of the own range containing it. Empty ones
 * are dropped; nothing is merged.
 */
function spread(own: ReadonlyArray<readonly [IpInterval, ConnectionSet]>, pieces: readonly IpInterval[]): Array<[IpInterval, ConnectionSet]> {
  const out: Array<[IpInterval, ConnectionSet]> = [];
  let i = 0;
  for (const piece of pieces) {
    while (i < own.length && own[i][0].end < piece.start) {
      i++;
    }
    if (i === own.length) {
      break;
    }
    const [range, allowed] = own[i];
    if (range.start <= piece.start && piece.end <= range.end && !allowed.isEmpty()) {
      out.push([piece, allowed]);
    }
  }
  return out;
}

/** Merges neighbouring ranges with equal connections and drops the empty ones. */
export function mergeRanges(ranges: ReadonlyArray<readonly [IpInterval, ConnectionSet]>): Array<[IpInterval, ConnectionSet]> {
  const out: Array<[IpInterval, ConnectionSet]> = [];
  for (const [interval, allowed] of ranges) {
    const last = out[out.length - 1];
    if (last && last[0].end + 1n === interval.start && last[1].isEqualTo(allowed)) {
      last[0] = { family: interval.family, start: last[0].start, end: interval.end };
    } else {
      out.push([interval, allowed]);
    }
  }
  return out.filter(([, allowed]) => !allowed.isEmpty());
}

/** A line from each workload to each DNS name the policies name, with what its egress allows. */
function fqdnLines(model: Model): RangedLine[] {
  const out: RangedLine[] = [];
  for (const name of model.beyond?.fqdnNames ?? []) {
    for (const w of model.workloads) {
      const allowed = evaluatePair(model, { type: 'workload', workload: w }, { type: 'fqdn', name }).allowed;
      if (!allowed.isEmpty()) out.push({ src: w.id, dst: fqdnName(name), conn: allowed.toString(), set: allowed });
    }
  }
  return out;
}

/** Every pair evaluated with `evaluatePair` (tiers included); IP ranges cut at every boundary of their direction. */
function tieredLines(model: Model, layout: MatrixLayout): RangedLine[] {
  const lines: RangedLine[] = [];
  for (const src of model.workloads) {
    const candidates = egressCandidates(model.beyond!, model.egressPolicies[src.index], src.index, model.workloads.length);
    for (const dst of candidates ? [...candidates].sort((a, b) => a - b).map((i) => model.workloads[i]) : model.workloads) {
      if (src.index === dst.index) continue;
      const allowed = evaluatePair(model, { type: 'workload', workload: src }, { type: 'workload', workload: dst }).allowed;
      if (!allowed.isEmpty()) lines.push({ src: src.id, dst: dst.id, conn: allowed.toString(), set: allowed });
    }
  }
  for (const family of layout.families ?? reportedFamilies(model)) {
    for (const w of model.workloads) {
      const subject: Subject = { type: 'workload', workload: w };
      for (const direction of ['ingress', 'egress'] as const) {
        const pieces = splitSpace(family, model.directionIpBoundaries[direction][family]);
        const own = pieces.map((atom) => [atom, (direction === 'ingress'
          ? evaluatePair(model, { type: 'ip', interval: atom }, subject) : evaluatePair(model, subject, { type: 'ip', interval: atom })).allowed] as const);
        const laid = layout.mergeIpRanges ? mergeRanges(own)
          : own.filter(([, a]) => !a.isEmpty()).map(([r, a]) => [r, a] as [IpInterval, ConnectionSet]);
        for (const [range, allowed] of laid) {
          lines.push(direction === 'ingress'
            ? { src: externalName(range), dst: w.id, conn: allowed.toString(), srcRange: range, set: allowed }
            : { src: w.id, dst: externalName(range), conn: allowed.toString(), dstRange: range, set: allowed });
        }
      }
    }
  }
  return lines;
}
