'use strict';
/*
 * One synth process of bench/synth.ts, in plain Node (no ts-node), as `cdk8s synth` runs a user's
 * compiled app: it loads the library from lib/ (compile it first: `npx projen compile`).
 *
 *   node bench/synth-app.js library N OUTDIR [DUMP.json]   # N SecureServices, each allowTo the next
 *   node bench/synth-app.js raw N OUTDIR OBJECTS.json      # the same objects as plain ApiObjects
 *
 * Prints one JSON line: the time to load the modules, to build the app and to synthesize it,
 * the time since the process started (module load included), CPU time, RSS after loading the
 * modules and peak RSS. BENCH_LIB=DIR loads the library from another build (before/after comparisons).
 */
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');

const ROOT = path.resolve(__dirname, '..');
const [mode, nArg, outdir, file] = process.argv.slice(2);
const n = Number(nArg);

function report(requireMs, buildMs, synthMs, objects, rssAfterRequire) {
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({
    requireMs,
    buildMs,
    synthMs,
    processMs: performance.now(),
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssAfterRequireMb: rssAfterRequire / 1024 / 1024,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    objects,
  }) + '\n');
}

if (mode === 'library') {
  const t0 = performance.now();
  const { App, Chart } = require('cdk8s');
  const { DenyAllNamespace, SecureService } = require(process.env.BENCH_LIB ? path.resolve(process.env.BENCH_LIB) : path.join(ROOT, 'lib'));
  const t1 = performance.now();
  const rss = process.memoryUsage().rss;
  const app = new App({ outdir });
  const chart = new Chart(app, 'bench', { disableResourceNameHashes: true });
  const ns = new DenyAllNamespace(chart, 'Ns', { name: 'bench' });
  const services = [];
  for (let i = 0; i < n; i++) {
    services.push(new SecureService(chart, `Svc${i}`, {
      namespace: ns,
      name: `svc-${i}`,
      image: 'ghcr.io/acme/app:1.0.0',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }],
    }));
  }
  for (let i = 0; n > 1 && i < n; i++) services[i].allowTo(services[(i + 1) % n]);
  const t2 = performance.now();
  let objects;
  if (file) {
    const json = app.charts.flatMap((c) => c.toJson());
    fs.writeFileSync(file, JSON.stringify(json));
    objects = json.length;
  } else {
    app.synth();
    objects = fs.readFileSync(path.join(outdir, 'bench.k8s.yaml'), 'utf8').split(/^---$/m).length;
  }
  report(t1 - t0, t2 - t1, performance.now() - t2, objects, rss);
} else if (mode === 'raw') {
  const t0 = performance.now();
  const { ApiObject, App, Chart } = require('cdk8s');
  const t1 = performance.now();
  const rss = process.memoryUsage().rss;
  const objects = JSON.parse(fs.readFileSync(file, 'utf8'));
  const app = new App({ outdir });
  const chart = new Chart(app, 'bench', { disableResourceNameHashes: true });
  objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
  const t2 = performance.now();
  app.synth();
  report(t1 - t0, t2 - t1, performance.now() - t2, objects.length, rss);
} else {
  throw new Error(`usage: synth-app.js library|raw N OUTDIR [FILE]; got ${mode}`);
}
