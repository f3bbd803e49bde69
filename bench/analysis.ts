/**
 * Analyzer benchmark: synthetic clusters of 100, 1,000 and 5,000 workloads with about as many
 * NetworkPolicies (see `cluster.ts`), timing
 *
 * - indexing: `NetworkAnalysis.fromManifests` (compile the policies, resolve every selector once),
 * - the full matrix of allowed connections (`matrix()`),
 * - a single query after indexing (`isAllowed` for one pair and port; median of 2,000 queries over
 *   different pairs),
 *
 * with the peak resident memory (maxRSS) of each, measured in a fresh child process per
 * measurement so that the figures do not mix; "base" is the child's RSS before the cluster is
 * built (Node, ts-node and the loaded modules), so peak minus base is what the analysis used.
 *
 * Timings are not those of a cold process: each child first warms up (one untimed indexing and
 * matrix on the same cluster, or 500 untimed queries) so that the JIT has compiled the hot paths,
 * then reports the median of RUNS timed runs (indexing and matrix) or of 2,000 queries. Without
 * the warm-up the growth column measured mostly JIT and GC noise of the first run.
 *
 *   npx ts-node --project tsconfig.dev.json bench/analysis.ts              # 100, 1000, 5000; updates bench/README.md
 *   npx ts-node --project tsconfig.dev.json bench/analysis.ts 100 1000     # chosen sizes; prints only
 */
import { execFileSync } from 'child_process';
import * as os from 'os';
import { syntheticCluster } from './cluster';
import { writeReadmeSection } from './readme-section';
import { childScript, median } from './runner';
import { NetworkAnalysis } from '../src/analysis';

type Mode = 'matrix' | 'query';

interface Measurement {
  readonly workloads: number;
  readonly policies: number;
  readonly indexMs: number;
  readonly ms: number;
  /** Matrix lines (allowed (source, destination) pairs, IP ranges included) or queries run. */
  readonly count: number;
  readonly workloadPairs: number;
  readonly maxRssMb: number;
  /** RSS before the cluster is built (Node, ts-node and the modules). */
  readonly baseRssMb: number;
}

const DEFAULT_SIZES = [100, 1000, 5000];
const QUERIES = 2000;
const WARMUP_QUERIES = 500;
/** Timed runs of indexing and of the matrix per size, after one warm-up run; the median is reported. */
const RUNS = 5;

/** `fn` once untimed (warm-up), then `runs` timed runs: the median time and the last result. */
function timed<T>(runs: number, fn: () => T): { ms: number; result: T } {
  let result = fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    result = fn();
    times.push(now() - t);
  }
  return { ms: median(times), result };
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs one measurement in this process (the child side). */
function measure(size: number, mode: Mode): Measurement {
  const baseRssMb = process.memoryUsage().rss / 2 ** 20;
  const objects = syntheticCluster(size);
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy').length;
  const indexing = timed(mode === 'matrix' ? RUNS : 1, () => NetworkAnalysis.fromManifests(objects));
  const net = indexing.result;
  const indexMs = indexing.ms;
  const ids = net.workloads().map((w) => w.id);
  let ms: number;
  let count: number;
  let workloadPairs = 0;
  if (mode === 'matrix') {
    const run = timed(RUNS, () => net.matrix());
    const lines = run.result;
    ms = run.ms;
    count = lines.length;
    workloadPairs = lines.filter((l) => !l.src.endsWith('[External]') && !l.dst.endsWith('[External]')).length;
  } else {
    // Pairs of neighbours (some allowed, some denied) spread over the whole cluster.
    const pairs = Array.from({ length: QUERIES }, (_, i) => {
      const a = Math.floor((i * 7919) % ids.length);
      return [ids[a], ids[(a + 1 + (i % 3)) % ids.length]];
    });
    for (let i = 0; i < WARMUP_QUERIES; i++) {
      const [from, to] = pairs[i % pairs.length];
      net.isAllowed({ from, to, port: 8080 });
    }
    const times: number[] = [];
    for (const [from, to] of pairs) {
      const s = now();
      net.isAllowed({ from, to, port: 8080 });
      times.push(now() - s);
    }
    ms = median(times);
    count = QUERIES;
  }
  return { workloads: ids.length, policies, indexMs, ms, count, workloadPairs, maxRssMb: process.resourceUsage().maxRSS / 1024, baseRssMb };
}

function runChild(size: number, mode: Mode): Measurement {
  const out = execFileSync(process.execPath, [...childScript(__filename), '--child', String(size), mode], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function fmt(ms: number): string {
  return ms >= 100 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(0)} µs`;
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    process.stdout.write(JSON.stringify(measure(Number(args[1]), args[2] as Mode)) + '\n');
    return;
  }
  const sizes = args.length > 0 ? args.map(Number) : DEFAULT_SIZES;
  const rows: string[] = [
    '| workloads | policies | indexing | full matrix | allowed workload pairs | matrix lines | matrix growth (time / pairs) | peak RSS (matrix) | single query (median) | peak RSS (query) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  let previous: Measurement | undefined;
  for (const size of sizes) {
    process.stderr.write(`measuring ${size} workloads...\n`);
    const m = runChild(size, 'matrix');
    const q = runChild(size, 'query');
    const growth = previous
      ? `×${(m.ms / previous.ms).toFixed(1)} / ×${(m.workloadPairs / previous.workloadPairs).toFixed(1)}`
      : '—';
    rows.push(`| ${m.workloads.toLocaleString('en')} | ${m.policies.toLocaleString('en')} | ${fmt(m.indexMs)} | ${fmt(m.ms)} | ${m.workloadPairs.toLocaleString('en')} | ${m.count.toLocaleString('en')} | ${growth} | ${m.maxRssMb.toFixed(0)} MB (base ${m.baseRssMb.toFixed(0)}) | ${fmt(q.ms)} | ${q.maxRssMb.toFixed(0)} MB (base ${q.baseRssMb.toFixed(0)}) |`);
    previous = m;
  }
  const cpus = os.cpus();
  const context = [
    'Command: `npx ts-node --project tsconfig.dev.json bench/analysis.ts`',
    `Node ${process.version}, ${os.type()} ${os.release()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `Date: ${new Date().toISOString().slice(0, 10)}`,
  ];
  const table = [...context.map((c) => `${c}  `), '', ...rows].join('\n');
  process.stdout.write(table + '\n');
  if (args.length === 0) {
    writeReadmeSection('analysis', table);
  }
}


main();
