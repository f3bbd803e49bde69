/**
 * Synth benchmark, measured as whole processes (module load included, as a user's `cdk8s synth`
 * pays it): an app of N SecureServices in one DenyAllNamespace, each `allowTo` the next one,
 * against the replay of the very same objects as plain cdk8s `ApiObject`s.
 *
 *   npx projen compile                                               # the library child loads lib/
 *   npx ts-node --project tsconfig.dev.json bench/synth.ts           # 1000 and 5000 services, 5 runs each
 *   npx ts-node --project tsconfig.dev.json bench/synth.ts 100 2000  # chosen sizes
 *   RUNS=9 npx ts-node --project tsconfig.dev.json bench/synth.ts    # more runs per figure
 *
 * Each run is a fresh `node bench/synth-app.js` process (plain Node, no ts-node); library and raw
 * runs alternate, so both see the same load on a shared machine, and each figure is the median.
 * Prints a Markdown table; with no sizes given it also rewrites the table in bench/README.md.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeReadmeSection } from './readme-section';
import { median } from './runner';

const ROOT = path.resolve(__dirname, '..');
const CHILD = path.join(__dirname, 'synth-app.js');

interface Run {
  /** Wall time of the whole process, measured by the parent (spawn to exit). */
  readonly wallMs: number;
  readonly requireMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly cpuMs: number;
  readonly rssAfterRequireMb: number;
  readonly maxRssMb: number;
  readonly objects: number;
}

function child(args: string[]): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  try {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [CHILD, args[0], args[1], outdir, ...args.slice(2)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${CHILD} ${args.join(' ')} failed:\n${r.stderr}`);
    return { wallMs, ...JSON.parse(r.stdout) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function medianRun(runs: Run[]): Run {
  const keys = Object.keys(runs[0]) as Array<keyof Run>;
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k]))])) as unknown as Run;
}

function main() {
  if (!fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
    throw new Error('bench/synth.ts loads the compiled library from lib/; run `npx projen compile` first.');
  }
  const args = process.argv.slice(2);
  const sizes = args.length > 0 ? args.map(Number) : [1000, 5000];
  const runs = Number(process.env.RUNS ?? 5);
  const rows: string[] = [];
  const results: Array<{ n: number; lib: Run; raw: Run }> = [];
  const load = os.loadavg()[0];
  for (const n of sizes) {
    const objectsFile = path.join(os.tmpdir(), `bench-synth-objects-${n}-${process.pid}.json`);
    child(['library', String(n), objectsFile]);
    const lib: Run[] = [];
    const raw: Run[] = [];
    for (let i = 0; i < runs; i++) {
      lib.push(child(['library', String(n)]));
      raw.push(child(['raw', String(n), objectsFile]));
    }
    fs.rmSync(objectsFile, { force: true });
    const l = medianRun(lib);
    const r = medianRun(raw);
    results.push({ n, lib: l, raw: r });
    const perService = (l.maxRssMb - l.rssAfterRequireMb) / n * 1024;
    rows.push(`| ${n} | ${l.objects} | ${l.wallMs.toFixed(0)} ms / ${l.cpuMs.toFixed(0)} ms | ${r.wallMs.toFixed(0)} ms / ${r.cpuMs.toFixed(0)} ms `
      + `| ${(l.wallMs / r.wallMs).toFixed(2)}× / **${(l.cpuMs / r.cpuMs).toFixed(2)}×** | ${l.requireMs.toFixed(0)} ms (raw: ${r.requireMs.toFixed(0)} ms) `
      + `| ${l.buildMs.toFixed(0)} + ${l.synthMs.toFixed(0)} ms | ${l.maxRssMb.toFixed(0)} MB (raw ${r.maxRssMb.toFixed(0)} MB) | ${perService.toFixed(0)} KB |`);
  }
  const growth = results.slice(1).map((r, i) => {
    const prev = results[i];
    return `${prev.n} -> ${r.n} services (×${(r.n / prev.n).toFixed(0)}): library wall ×${(r.lib.wallMs / prev.lib.wallMs).toFixed(1)}, `
      + `CPU ×${(r.lib.cpuMs / prev.lib.cpuMs).toFixed(1)}; raw wall ×${(r.raw.wallMs / prev.raw.wallMs).toFixed(1)}, CPU ×${(r.raw.cpuMs / prev.raw.cpuMs).toFixed(1)}`;
  });
  const table = [
    `Command: \`npx projen compile && npx ts-node --project tsconfig.dev.json bench/synth.ts${args.length ? ` ${args.join(' ')}` : ''}\` `
      + `(RUNS=${runs}: median of ${runs} alternating runs per figure)  `,
    `Node ${process.version}, ${os.type()} ${os.release()} ${os.arch()}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}; `
      + `load average ${load.toFixed(1)} at the start (shared machine: compare the ratios of one run, not absolute times; `
      + 'under load, wall time includes waiting for a core, so the CPU ratio is the steadier figure)  ',
    `Date: ${new Date().toISOString().slice(0, 10)}  `,
    '',
    '| services | objects | library process (wall / CPU) | raw replay process (wall / CPU) | library / raw (wall / CPU) | library load (require) | library build + synth | peak RSS | peak RSS per service (after load) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    ...growth.map((g) => `- ${g}`),
  ].join('\n');
  console.log(table);
  if (args.length === 0) writeReadmeSection('synth', table);
}

main();
