/**
 * Conformance against the NetworkPolicy corpus in /work/shared/conformance/netpol
 * (manifests + the connection list an independent analyzer expects, see its README).
 *
 * Two comparisons per case:
 *
 * 1. Raw lines: the text of `matrix()` (the default output of `cdk8s-net reach`), line for
 *    line, equals the peer's expected.peer.txt (in any order, without the `{ingress-controller}`
 *    lines of Routes, which the corpus leaves out of `allowed`). Our default layout cuts the IP
 *    space like the peer: per direction at the edges of every ipBlock (cidr minus except).
 * 2. Coverage: workload pairs exactly, IP entries by address coverage per (workload, direction),
 *    neighbouring ranges with equal connections merged; and the same for `matrix({ mergeIpRanges: true })`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConnectionEntry, NetworkAnalysis } from '../../src/analysis';
import { formatInterval, IpInterval, parseIp } from '../../src/analysis/ip';

const CORPUS = path.resolve(__dirname, '../../../shared/conformance/netpol');

/**
 * Cases where we knowingly disagree with the corpus, with the reason (and a
 * Kubernetes spec reference). Each listed difference must still be present,
 * so the list cannot go stale silently. Empty: we agree on every case, line for
 * line with expected.peer.txt (the IP layout included).
 */
const KNOWN_DIFFERENCES: { [caseName: string]: { readonly reason: string; readonly differences: string[] } } = {};

const EXTERNAL = /^(.+)-(.+)\[External\]$/;

function parseExternal(endpoint: string): IpInterval | undefined {
  const m = EXTERNAL.exec(endpoint);
  if (!m) {
    return undefined;
  }
  const start = parseIp(m[1]);
  const end = parseIp(m[2]);
  if (!start || !end || start.family !== end.family) {
    throw new Error(`bad external endpoint ${endpoint}`);
  }
  return { family: start.family, start: start.value, end: end.value };
}

/**
 * Canonical form of a connection list: one line per workload pair, and one line
 * per merged IP range per (workload, direction).
 */
function canonical(entries: readonly ConnectionEntry[]): string[] {
  const lines: string[] = [];
  const ranges = new Map<string, Array<{ interval: IpInterval; conn: string }>>();
  for (const e of entries) {
    const srcIp = parseExternal(e.src);
    const dstIp = parseExternal(e.dst);
    if (!srcIp && !dstIp) {
      lines.push(`${e.src} => ${e.dst} : ${e.conn}`);
      continue;
    }
    const key = srcIp ? `{ip} => ${e.dst}` : `${e.src} => {ip}`;
    const list = ranges.get(key) ?? [];
    list.push({ interval: (srcIp ?? dstIp)!, conn: e.conn });
    ranges.set(key, list);
  }
  for (const [key, list] of ranges) {
    list.sort((a, b) => (a.interval.family - b.interval.family)
      || (a.interval.start < b.interval.start ? -1 : a.interval.start > b.interval.start ? 1 : 0));
    const merged: Array<{ interval: IpInterval; conn: string }> = [];
    for (const item of list) {
      const last = merged[merged.length - 1];
      if (last && last.interval.family === item.interval.family && last.interval.end + 1n === item.interval.start && last.conn === item.conn) {
        last.interval = { ...last.interval, end: item.interval.end };
      } else {
        merged.push({ ...item });
      }
    }
    for (const m of merged) {
      lines.push(`${key.replace('{ip}', `${formatInterval(m.interval)}[External]`)} : ${m.conn}`);
    }
  }
  return lines.sort();
}

function difference(actual: string[], expected: string[]): string[] {
  const a = new Set(actual);
  const e = new Set(expected);
  return [
    ...expected.filter((l) => !a.has(l)).map((l) => `missing:    ${l}`),
    ...actual.filter((l) => !e.has(l)).map((l) => `unexpected: ${l}`),
  ];
}

const cases = fs.existsSync(CORPUS)
  ? fs.readdirSync(CORPUS).filter((c) => fs.existsSync(path.join(CORPUS, c, 'expected.json'))).sort()
  : [];

if (cases.length === 0) {
  test('conformance corpus', () => {
    // The corpus lives outside the repository; without it there is nothing to compare.
    console.log(`conformance corpus not found at ${CORPUS}, skipped`);
    expect(cases).toEqual([]);
  });
} else {
  test.each(cases)('agrees with the corpus on %s', (caseName) => {
    const dir = path.join(CORPUS, caseName);
    const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
    const analysis = NetworkAnalysis.fromYamlFiles([path.join(dir, 'manifests')]);

    const lines = (entries: readonly ConnectionEntry[]) => entries.map((e) => `${e.src} => ${e.dst} : ${e.conn}`).sort();
    const known = KNOWN_DIFFERENCES[caseName];
    // Raw lines: every line of the peer's output file that our analysis covers (Route lines excluded).
    const peerLines = fs.readFileSync(path.join(dir, 'expected.peer.txt'), 'utf8').split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('{ingress-controller}')).sort();
    expect(peerLines).toEqual(lines(expected.allowed));
    expect(difference(lines(analysis.matrix()), peerLines)).toEqual(known ? known.differences : []);

    // Coverage, in both layouts.
    const diff = difference(canonical(analysis.matrix()), canonical(expected.allowed));
    expect(diff).toEqual(known ? known.differences : []);
    expect(difference(canonical(analysis.matrix({ mergeIpRanges: true })), canonical(expected.allowed))).toEqual(known ? known.differences : []);

    // Every workload the corpus lists is one of ours, and we have no others.
    if (Array.isArray(expected.workloads)) {
      expect(analysis.workloads().map((w) => w.id).sort()).toEqual([...expected.workloads].sort());
    }
  });

  test('every known difference names a corpus case', () => {
    expect(Object.keys(KNOWN_DIFFERENCES).filter((c) => !cases.includes(c))).toEqual([]);
  });
}
