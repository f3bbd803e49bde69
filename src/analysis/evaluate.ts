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
import { ConnectionSet } from './connection-set';
import { formatInterval, fullSpace, IpFamily, IpInterval, splitSpace } from './ip';
import { Direction, Model, Peer, PolicyModel, RuleModel, WorkloadModel } from './model';

/** One side of a connection: a workload, or a range of external addresses. */
export type Subject =
  | { readonly type: 'workload'; readonly workload: WorkloadModel }
  | { readonly type: 'ip'; readonly interval: IpInterval };

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

export function subjectName(subject: Subject): string {
  return subject.type === 'workload' ? subject.workload.id : externalName(subject.interval);
}

function peerMatches(peer: Peer, other: Subject): boolean {
  if (peer.type === 'pods') {
    return other.type === 'workload' && peer.matches.has(other.workload.index);
  }
  // ipBlocks only ever match addresses outside the cluster, never pods.
  return other.type === 'ip' && peer.addresses.covers(other.interval);
}

/**
 * The connections a rule's `ports` allow towards `destination`.
 * Named ports are looked up in the destination's container ports, with the same protocol.
 */
export function ruleConnections(rule: RuleModel, destination: WorkloadModel | undefined): ConnectionSet {
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
    return { direction, subject, isolated: false, policies, hits: [], allowed: ConnectionSet.all() };
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
  return { direction, subject, isolated: true, policies, hits, allowed };
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

/**
 * Every allowed connection: between workloads (a workload to itself is not
 * listed), from IP ranges to workloads and from workloads to IP ranges.
 * Neighbouring IP ranges with the same connections are merged.
 */
export function matrix(model: Model): MatrixLine[] {
  // Each line keeps the address ranges of its endpoints, so that ranges sort by address, not as text.
  const lines: Array<MatrixLine & { readonly srcRange?: IpInterval; readonly dstRange?: IpInterval }> = [];
  const workloadSubjects: Subject[] = model.workloads.map((workload) => ({ type: 'workload', workload }));
  for (const src of workloadSubjects) {
    for (const dst of workloadSubjects) {
      if (src === dst) {
        continue;
      }
      const allowed = evaluatePair(model, src, dst).allowed;
      if (!allowed.isEmpty()) {
        lines.push({ src: subjectName(src), dst: subjectName(dst), conn: allowed.toString() });
      }
    }
  }
  for (const family of reportedFamilies(model)) {
    const atoms = model.policies.length === 0 ? [fullSpace(family)] : ipAtoms(model, family);
    for (const w of workloadSubjects) {
      const ingress = mergeRanges(atoms.map((atom) => [atom, evaluatePair(model, { type: 'ip', interval: atom }, w).allowed] as const));
      for (const [range, allowed] of ingress) {
        lines.push({ src: externalName(range), dst: subjectName(w), conn: allowed.toString(), srcRange: range });
      }
      const egress = mergeRanges(atoms.map((atom) => [atom, evaluatePair(model, w, { type: 'ip', interval: atom }).allowed] as const));
      for (const [range, allowed] of egress) {
        lines.push({ src: subjectName(w), dst: externalName(range), conn: allowed.toString(), dstRange: range });
      }
    }
  }
  return lines
    .sort((a, b) => compareEndpoints(a.src, a.srcRange, b.src, b.srcRange) || compareEndpoints(a.dst, a.dstRange, b.dst, b.dstRange))
    .map(({ src, dst, conn }) => ({ src, dst, conn }));
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
