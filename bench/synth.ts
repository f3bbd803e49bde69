/**
 * Synth benchmark: apps of N SecureServices (each allowing connections to three others),
 * next to (a) the very same objects written as raw cdk8s ApiObjects and (b) `yaml`
 * serialization of the final objects alone.
 *
 *   npx ts-node --project tsconfig.dev.json bench/synth.ts            # 100, 1000, 5000
 *   npx ts-node --project tsconfig.dev.json bench/synth.ts 100 1000   # chosen sizes
 *
 * Every measurement runs in a fresh child process, so peak memory (maxRSS) is its own.
 * Prints a Markdown table (used in bench/README.md).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { DenyAllNamespace, SecureService } from '../src';
import { writeReadmeSection } from './readme-section';

type Mode = 'library' | 'raw' | 'yaml';

/** Builds the library app of n services (each allowing traffic to the next three). */
function buildLibraryApp(n: number, outdir: string): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'bench', { disableResourceNameHashes: true });
  const ns = new DenyAllNamespace(chart, 'Ns', { name: 'bench' });
  const services: SecureService[] = [];
  for (let i = 0; i < n; i++) {
    services.push(new SecureService(chart, `Svc${i}`, {
      namespace: ns,
      name: `svc-${i}`,
      image: 'ghcr.io/acme/app:1.0.0',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }],
    }));
  }
  if (n > 1) {
    for (let i = 0; i < n; i++) {
      for (const k of [1, 2, 3]) {
        const j = (i + k) % n;
        if (j !== i) services[i].allowTo(services[j]);
      }
    }
  }
  return app;
}

/** One measurement, in this (child) process. */
function measure(mode: Mode, n: number, objectsFile: string): { ms: number; maxRssMb: number; objects: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  try {
    let count: number;
    const start = process.hrtime.bigint();
    if (mode === 'library') {
      const app = buildLibraryApp(n, outdir);
      app.synth();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const maxRssMb = process.resourceUsage().maxRSS / 1024;
      count = fs.readFileSync(path.join(outdir, 'bench.k8s.yaml'), 'utf8').split(/^---$/m).length;
      return { ms, maxRssMb, objects: count };
    } else {
      const objects: any[] = JSON.parse(fs.readFileSync(objectsFile, 'utf8'));
      const t0 = process.hrtime.bigint();
      if (mode === 'raw') {
        const app = new App({ outdir });
        const chart = new Chart(app, 'bench', { disableResourceNameHashes: true });
        objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
        app.synth();
      } else {
        fs.writeFileSync(path.join(outdir, 'bench.k8s.yaml'), objects.map((o) => YAML.stringify(o)).join('---\n'));
      }
      count = objects.length;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      return { ms, maxRssMb: process.resourceUsage().maxRSS / 1024, objects: count };
    }
    throw new Error(`unknown mode ${mode}`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const [, mode, n, file] = args;
    process.stdout.write(JSON.stringify(measure(mode as Mode, Number(n), file)));
    return;
  }
  const sizes = args.length > 0 ? args.map(Number) : [100, 1000, 5000];
  const rows: string[] = [];
  const results: Array<{ n: number; lib: number; raw: number; yaml: number }> = [];
  for (const n of sizes) {
    // The objects the library writes, reused by the raw and yaml modes.
    const objectsFile = path.join(os.tmpdir(), `bench-synth-objects-${n}.json`);
    const app = buildLibraryApp(n, fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-')));
    fs.writeFileSync(objectsFile, JSON.stringify(app.charts.flatMap((c) => c.toJson())));
    const run = (mode: Mode) => JSON.parse(execFileSync(process.execPath, [
      '-r', 'ts-node/register', __filename, '--child', mode, String(n), objectsFile,
    ], { env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.dev.json', TS_NODE_TRANSPILE_ONLY: 'true' }, maxBuffer: 16 * 1024 * 1024 }).toString());
    const lib = run('library');
    const raw = run('raw');
    const yaml = run('yaml');
    fs.rmSync(objectsFile, { force: true });
    results.push({ n, lib: lib.ms, raw: raw.ms, yaml: yaml.ms });
    rows.push(`| ${n} | ${lib.objects} | ${lib.ms.toFixed(0)} ms / ${lib.maxRssMb.toFixed(0)} MB | ${raw.ms.toFixed(0)} ms / ${raw.maxRssMb.toFixed(0)} MB `
      + `| ${yaml.ms.toFixed(0)} ms / ${yaml.maxRssMb.toFixed(0)} MB | ${(lib.ms / raw.ms).toFixed(2)}x |`);
  }
  const growth = results.slice(1).map((r, i) => {
    const prev = results[i];
    return `${prev.n} -> ${r.n} services (x${(r.n / prev.n).toFixed(0)}): library time x${(r.lib / prev.lib).toFixed(1)}, raw x${(r.raw / prev.raw).toFixed(1)}`;
  });
  const table = [
    `Command: \`npm run bench -- ${sizes.join(' ')}\` (bench/synth.ts)  `,
    `Node ${process.version}, ${os.type()} ${os.release()} ${os.arch()}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}  `,
    `Date: ${new Date().toISOString().slice(0, 10)}  `,
    '',
    '| services | objects | library synth (time / peak RSS) | raw ApiObjects | yaml only | library / raw |',
    '|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    ...growth.map((g) => `- ${g}`),
  ].join('\n');
  console.log(table);
  if (args.length === 0) writeReadmeSection('synth', table);
}

main();
