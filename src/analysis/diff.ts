/**
 * Connectivity diff: the connections one set of manifests allows and another
 * does not, per protocol and port, computed from the same matrix as `reach`.
 *
 * Workload pairs are compared as connection sets, so a port range that only
 * partly changed shows exactly the part that changed (`TCP 8080-8081` became
 * `TCP 8080-8090`: `+ TCP 8082-8090`). IP ranges are compared on the common
 * refinement of both sides' ranges (each side cut at its own ipBlock edges),
 * then neighbouring pieces with the same change are merged. Internal to `src/analysis`.
 */
import { ConnectionSet } from './connection-set';
import { compareLines, externalName, mergeRanges, RangedLine, rangedMatrix, reportedFamilies } from './evaluate';
import { IpFamily, IpInterval } from './ip';
import { Model } from './model';

/** Lines `after` allows and `before` does not (added), and the other way round (removed). */
export interface LineDiff {
  readonly added: RangedLine[];
  readonly removed: RangedLine[];
}

type Ranges = ReadonlyArray<readonly [IpInterval, ConnectionSet]>;
type RangeList = Array<[IpInterval, ConnectionSet]>;

/** What changed from `before` to `after`. */
export function diffModels(before: Model, after: Model): LineDiff {
  // Both sides list the same families, so that IPv6 appearing on one side is not read as a change.
  const families = [...new Set<IpFamily>([...reportedFamilies(before), ...reportedFamilies(after)])].sort();
  // Lines are compared as sets; only the changes are written as text.
  const layout = { mergeIpRanges: true, families, text: false };
  const old = group(rangedMatrix(before, layout));
  const cur = group(rangedMatrix(after, layout));
  const added: RangedLine[] = [];
  const removed: RangedLine[] = [];

  for (const key of new Set([...old.pairs.keys(), ...cur.pairs.keys()])) {
    const o = old.pairs.get(key);
    const n = cur.pairs.get(key);
    const line = (n ?? o)!;
    if (o && n && o.set.isEqualTo(n.set)) continue;
    push(added, line.src, line.dst, (n?.set ?? ConnectionSet.none()).subtract(o?.set ?? ConnectionSet.none()));
    push(removed, line.src, line.dst, (o?.set ?? ConnectionSet.none()).subtract(n?.set ?? ConnectionSet.none()));
  }

  for (const key of new Set([...old.ranges.keys(), ...cur.ranges.keys()])) {
    const o = old.ranges.get(key);
    const n = cur.ranges.get(key);
    const { workload, toRange } = (n ?? o)!;
    if (o && n && sameRanges(o.ranges, n.ranges)) continue;
    const changes = diffRanges(o?.ranges ?? [], n?.ranges ?? []);
    for (const [list, ranges] of [[added, changes.added], [removed, changes.removed]] as const) {
      for (const [range, set] of ranges) {
        list.push(toRange
          ? { src: workload, dst: externalName(range), dstRange: range, conn: set.toString(), set }
          : { src: externalName(range), dst: workload, srcRange: range, conn: set.toString(), set });
      }
    }
  }
  return { added: added.sort(compareLines), removed: removed.sort(compareLines) };
}

/** Whether two range lists are the same ranges with the same connections. */
function sameRanges(a: Ranges, b: Ranges): boolean {
  return a.length === b.length && a.every(([r, set], i) => r.start === b[i][0].start && r.end === b[i][0].end && set.isEqualTo(b[i][1]));
}

function push(list: RangedLine[], src: string, dst: string, set: ConnectionSet): void {
  if (!set.isEmpty()) {
    list.push({ src, dst, conn: set.toString(), set });
  }
}

interface RangeGroup {
  readonly workload: string;
  /** `true`: the workload's egress to the ranges; `false`: ingress from them. */
  readonly toRange: boolean;
  readonly ranges: Array<[IpInterval, ConnectionSet]>;
}

/** Workload pairs by `src dst`; IP lines by workload, direction and family. */
function group(lines: readonly RangedLine[]): { pairs: Map<string, RangedLine>; ranges: Map<string, RangeGroup> } {
  const pairs = new Map<string, RangedLine>();
  const ranges = new Map<string, RangeGroup>();
  for (const line of lines) {
    const range = line.srcRange ?? line.dstRange;
    if (!range) {
      pairs.set(`${line.src}\n${line.dst}`, line);
      continue;
    }
    const toRange = line.dstRange !== undefined;
    const workload = toRange ? line.src : line.dst;
    const key = `${workload}\n${toRange}\n${range.family}`;
    let g = ranges.get(key);
    if (!g) {
      g = { workload, toRange, ranges: [] };
      ranges.set(key, g);
    }
    g.ranges.push([range, line.set]);
  }
  return { pairs, ranges };
}

/**
 * Two sorted, disjoint range lists compared piece by piece on the union of their edges (an
 * address outside every range of a side has no connection there). Returns the merged changes.
 */
export function diffRanges(before: Ranges, after: Ranges): { added: RangeList; removed: RangeList } {
  const family = (before[0] ?? after[0])?.[0].family;
  const points = [...new Set([...before, ...after].flatMap(([r]) => [r.start, r.end + 1n]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const added: Array<[IpInterval, ConnectionSet]> = [];
  const removed: Array<[IpInterval, ConnectionSet]> = [];
  let i = 0;
  let j = 0;
  const at = (list: Ranges, k: number, piece: IpInterval) =>
    (k < list.length && list[k][0].start <= piece.start && piece.end <= list[k][0].end ? list[k][1] : ConnectionSet.none());
  for (let p = 0; p + 1 < points.length; p++) {
    const piece: IpInterval = { family: family!, start: points[p], end: points[p + 1] - 1n };
    while (i < before.length && before[i][0].end < piece.start) i++;
    while (j < after.length && after[j][0].end < piece.start) j++;
    const o = at(before, i, piece);
    const n = at(after, j, piece);
    added.push([piece, n.subtract(o)]);
    removed.push([piece, o.subtract(n)]);
  }
  return { added: mergeRanges(added), removed: mergeRanges(removed) };
}
