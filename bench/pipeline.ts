/**
 * Pipeline benchmark: `cdk8s-net check`, `reach` and `diff` as a CI job runs them, on YAML files of
 * synthetic clusters whose policies each name a broad peer (about workloads / 15 pods, see
 * `broadPeerCluster` in cluster.ts). Each command runs in a fresh child process, like the CLI;
 * the time is the wall time of the whole command (reading and parsing the YAML, analysing,
 * writing the output to a file), and the memory is the child's peak RSS (maxRSS), Node and the
 * modules included (the "base" column: the child's RSS before the command ran, modules loaded).
 *
 *   npx ts-node --project tsconfig.dev.json bench/pipeline.ts                # 1000, 5000, 20000; rewrites the table in README.md
 *   npx ts-node --project tsconfig.dev.json bench/pipeline.ts 1000 5000      # chosen sizes; prints only
 *
 * YAML files are written to bench/results/ (ignored by git).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { broadPeerCluster } from './cluster';
import { writeReadmeSection } from './readme-section';
import { childScript } from './runner';
import { run } from '../src/cli/main';

const DEFAULT_SIZES = [1000, 5000, 20000];
const RESULTS = path.join(__dirname, 'results');

interface Run {
  readonly ms: number;
  readonly maxRssMb: number;
  readonly baseRssMb: number;
  readonly code: number;
  readonly outputBytes: number;
}

/** The child side: runs one command line in this process and reports time and memory as JSON on stderr's last line. */
async function child(args: string[], outFile: string): Promise<void> {
  const baseRssMb = process.memoryUsage().rss / 2 ** 20;
  const fd = fs.openSync(outFile, 'w');
  let outputBytes = 0;
  const start = process.hrtime.bigint();
  const code = await run(args, {
    stdout: (t) => { outputBytes += Buffer.byteLength(t); fs.writeSync(fd, t); },
    stderr: () => undefined,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  fs.closeSync(fd);
  const result: Run = { ms, maxRssMb: process.resourceUsage().maxRSS / 1024, baseRssMb, code, outputBytes };
  process.stderr.write(JSON.stringify(result) + '\n');
}

function runChildCapturing(args: string[], outFile: string): Run {
  const r = spawnSync(process.execPath, [...childScript(__filename), '--child', outFile, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const last = (r.stderr ?? '').trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`child failed (${args.join(' ')}): ${r.stderr}`);
  }
}

function fmt(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function writeCluster(size: number, variant: 0 | 1): { file: string; mb: number; objects: number; policies: number } {
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `broad-${size}${variant ? '-changed' : ''}.yaml`);
  const objects = broadPeerCluster(size, variant);
  fs.writeFileSync(file, objects.map((o) => stringify(o, { aliasDuplicateObjects: false })).join('---\n'));
  return { file, mb: fs.statSync(file).size / 2 ** 20, objects: objects.length, policies: objects.filter((o) => o.kind === 'NetworkPolicy').length };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await child(args.slice(2), args[1]);
    return;
  }
  const sizes = args.length > 0 ? args.map(Number) : DEFAULT_SIZES;
  const rows = [
    '| workloads | policies | YAML | check | reach | diff (changes) | peak RSS check / reach / diff (base) |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const load: number[] = [];
  for (const size of sizes) {
    process.stderr.write(`measuring ${size} workloads...\n`);
    const before = writeCluster(size, 0);
    const after = writeCluster(size, 1);
    const out = path.join(RESULTS, 'out.txt');
    load.push(os.loadavg()[0]);
    const check = runChildCapturing(['check', before.file, '--summary'], out);
    load.push(os.loadavg()[0]);
    const reach = runChildCapturing(['reach', before.file], out);
    load.push(os.loadavg()[0]);
    const diff = runChildCapturing(['diff', before.file, after.file, '--summary'], out);
    const changes = fs.readFileSync(out, 'utf8').trim().split('\n').pop();
    rows.push(`| ${size.toLocaleString('en')} | ${before.policies.toLocaleString('en')} | ${before.mb.toFixed(1)} MB | ${fmt(check.ms)} | ${fmt(reach.ms)} `
      + `(${(reach.outputBytes / 2 ** 20).toFixed(1)} MB out) | ${fmt(diff.ms)} (${changes}) | ${check.maxRssMb.toFixed(0)} / ${reach.maxRssMb.toFixed(0)} / ${diff.maxRssMb.toFixed(0)} MB (${reach.baseRssMb.toFixed(0)}) |`);
  }
  const cpus = os.cpus();
  const context = [
    'Command: `npx ts-node --project tsconfig.dev.json bench/pipeline.ts`',
    `Node ${process.version}, ${os.type()} ${os.release()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `Date: ${new Date().toISOString().slice(0, 10)}; 1-minute load average during the runs ${Math.min(...load).toFixed(1)}-${Math.max(...load).toFixed(1)} (shared machine)`,
  ];
  const table = [...context.map((c) => `${c}  `), '', ...rows].join('\n');
  process.stdout.write(table + '\n');
  if (args.length === 0) {
    writeReadmeSection('pipeline', table);
  }
}

void main();
