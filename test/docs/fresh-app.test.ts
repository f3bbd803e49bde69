/**
 * The README, as a new user meets it: a fresh app that installed the packed library (npm pack of
 * what jsii built) next to cdk8s-plus-33, with the README's cdk8s.yaml verbatim (its validations:
 * block loads the plugin from the app's installed copy, `package: ./node_modules/...`). Every
 * TypeScript block of the README is run there with real `cdk8s synth` (cdk8s-cli, plugin
 * included); synth must pass, and `cdk8s-net check` on the output (the installed bin) must report
 * no errors.
 *
 * Blocks other than the quick start are fragments of it, as the README presents them: each runs
 * as the quick start's program with the fragment added before `app.synth()` (in its own block
 * scope, so a fragment may redefine `ns` or `api`), with the names the README's text gives it
 * (FRAGMENT_CONTEXT below). The built library and the app are made once for all blocks.
 *
 * Needs npm (the registry, or its cache) and a jsii build: about a minute or two. Skipped, with a
 * message, when SKIP_FRESH_APP is set.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const CDK8S_CLI = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
const SKIP = process.env.SKIP_FRESH_APP !== undefined;

/** The fenced blocks of the README of one language, in order. */
function blocks(lang: RegExp): string[] {
  const out: string[] = [];
  const re = /^```(\w*)[^\n]*\n([\s\S]*?)^```/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(README))) if (lang.test(m[1])) out.push(m[2]);
  return out;
}

/** What the README's prose gives a fragment beyond the quick start (charts and workloads it names). */
const FRAGMENT_CONTEXT: Array<[RegExp, string]> = [
  [/platformChart|catalogChart/, [
    "const platformChart = new Chart(app, 'platform', { disableResourceNameHashes: true });",
    "const edgeNs = new DenyAllNamespace(platformChart, 'EdgeNs', { name: 'edge' });",
    "const catalogChart = new Chart(app, 'catalog', { disableResourceNameHashes: true });",
    "const catalogNs = new DenyAllNamespace(catalogChart, 'CatalogNs', { name: 'catalog', labels: { 'gateway.example.com/edge': 'true' } });",
    "const catalog = new SecureService(catalogChart, 'Catalog', { namespace: catalogNs, image: 'ghcr.io/acme/catalog:1.0.0', port: 8080 });",
  ].join('\n')],
  [/ingressChart|gatewayChart/, [
    "const ingressChart = new Chart(app, 'viaingress', { disableResourceNameHashes: true });",
    "const gatewayChart = new Chart(app, 'viagateway', { disableResourceNameHashes: true });",
  ].join('\n')],
  // The testing section runs in jest; here `expect` is a minimal stand-in with the same two matchers.
  [/\bexpect\(/, 'const expect = (v: unknown) => ({ toBe: (w: unknown) => { if (v !== w) throw new Error(`expected ${String(w)}, got ${String(v)}`); } });'],
];

function program(quickStart: string, fragment?: string): string {
  const importLines = (s: string) => s.split('\n').filter((l) => /^import /.test(l));
  const body = (s: string) => s.split('\n').filter((l) => !/^import /.test(l)).join('\n');
  if (fragment === undefined) return quickStart;
  // A fragment that makes the quick start's namespace itself (with other props) starts from an empty chart.
  const fresh = /new DenyAllNamespace\(chart, 'Shop'/.test(fragment);
  const qs = fresh ? "const app = new App();\nconst chart = new Chart(app, 'shop', { disableResourceNameHashes: true });\n"
    : body(quickStart).replace(/\napp\.synth\(\);\s*$/, '\n');
  const context = FRAGMENT_CONTEXT.filter(([re]) => re.test(fragment)).map(([, c]) => c).join('\n');
  // Every export of the library, and App/Chart/Size of cdk8s, are in scope, as the README's fragments assume.
  const others = [...importLines(quickStart), ...importLines(fragment)]
    .filter((l) => !/from 'cdk8s'|from 'cdk8s-secure-networking'/.test(l));
  const imports = new Set(["import { App, Chart, Size } from 'cdk8s';", "import * as lib from 'cdk8s-secure-networking';", ...others]);
  const names = EXPORTED_NAMES;
  return [...imports, `const { ${names.join(', ')} } = lib;`, qs, context, '{', body(fragment), '}', 'app.synth();', ''].join('\n');
}

let APP = '';
let TARBALL = '';
let EXPORTED_NAMES: string[] = [];

/** The value names the installed package exports, as its own node process lists them. */
function exportedNames(): string[] {
  const out = execFileSync(process.execPath, ['-e', "console.log(JSON.stringify(Object.keys(require('cdk8s-secure-networking'))))"], { cwd: APP, encoding: 'utf8' });
  return (JSON.parse(out) as string[]).filter((n) => /^[A-Z]/.test(n));
}
let typeErrors = '';
let rosettaErrors = '';

const describeIf = SKIP ? describe.skip : describe;
if (SKIP) test('fresh-app README test skipped (SKIP_FRESH_APP is set)', () => undefined);

describeIf('the README in a fresh app with the packed library and cdk8s-plus-33', () => {
  const tsBlocks = blocks(/^(ts|typescript)$/);
  const yamlBlocks = blocks(/^ya?ml$/);
  const cdk8sYaml = yamlBlocks.find((b) => /^language: typescript/m.test(b) && /^validations:/m.test(b));

  beforeAll(() => {
    APP = fs.mkdtempSync(path.join(os.tmpdir(), 'fresh-app-'));
    execFileSync('npx', ['jsii', '--silence-warnings=reserved-word'], { cwd: ROOT, stdio: 'pipe' });
    // The examples of the README and the docstrings compile for jsii-rosetta (strict: package.json
    // jsiiRosetta.strict), with the fixtures in rosetta/; that is what translates them to Python & co.
    const rosetta = spawnSync('npx', ['jsii-rosetta', 'extract', '--strict'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    rosettaErrors = rosetta.status === 0 ? '' : (rosetta.stdout + rosetta.stderr).split('\n').filter((l) => /error|ERROR/.test(l)).join('\n');
    const packed = execFileSync('npm', ['pack', '--pack-destination', APP, '--json'], { cwd: ROOT, encoding: 'utf8' });
    const tarball = path.join(APP, JSON.parse(packed)[0].filename);
    TARBALL = tarball;
    fs.writeFileSync(path.join(APP, 'package.json'), JSON.stringify({ name: 'fresh-app', version: '0.0.0', private: true }, null, 2));
    fs.writeFileSync(path.join(APP, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2020', module: 'commonjs', lib: ['es2020'], strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'] },
    }, null, 2));
    const version = (p: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', p, 'package.json'), 'utf8')).version;
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball,
      `cdk8s@${version('cdk8s')}`, `constructs@${version('constructs')}`, `cdk8s-plus-28@${version('cdk8s-plus-28')}`, `cdk8s-plus-33@${version('cdk8s-plus-33')}`,
      `ts-node@${version('ts-node')}`, 'typescript@5', `@types/node@${version('@types/node')}`], { cwd: APP, stdio: 'pipe', timeout: 300_000 });
    fs.writeFileSync(path.join(APP, 'cdk8s.yaml'), cdk8sYaml!);
    EXPORTED_NAMES = exportedNames();
    // Every program type-checks (as ts-node would check it), once for all blocks; synth then runs
    // ts-node without its per-run type check (TS_NODE_TRANSPILE_ONLY), which keeps this test fast.
    fs.mkdirSync(path.join(APP, 'blocks'));
    tsBlocks.forEach((b, i) => fs.writeFileSync(path.join(APP, 'blocks', `block-${i + 1}.ts`), i === 0 ? program(b) : program(tsBlocks[0], b)));
    fs.writeFileSync(path.join(APP, 'blocks', 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', include: ['*.ts'], compilerOptions: { noEmit: true } }));
    const tsc = spawnSync(process.execPath, [path.join(APP, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(APP, 'blocks')], { cwd: APP, encoding: 'utf8' });
    typeErrors = tsc.status === 0 ? '' : tsc.stdout + tsc.stderr;
  }, 600_000);

  test('every example of the README and the docstrings compiles for jsii-rosetta (npx jsii-rosetta extract --strict)', () => {
    expect(rosettaErrors).toBe('');
  });

  test('a caller through the jsii kernel (what Python, Java, C# and Go talk to) gets the construct path and the field for a bad value', () => {
    // The packed library and its peers, loaded into @jsii/kernel as a host language loads them.
    const dir = path.join(APP, 'jsii-kernel');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'kernel-host', version: '0.0.0', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '@jsii/kernel@1'], { cwd: dir, stdio: 'pipe', timeout: 300_000 });
    const peers = ['constructs', 'cdk8s', 'cdk8s-plus-28'].map((name) => {
      const out = JSON.parse(execFileSync('npm', ['pack', path.join(ROOT, 'node_modules', name), '--pack-destination', dir, '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' }));
      return { name, version: out[0].version as string, tarball: path.join(dir, out[0].filename as string) };
    });
    const assemblies = [...peers, { name: 'cdk8s-secure-networking', version: '0.0.0', tarball: TARBALL }];
    fs.writeFileSync(path.join(dir, 'host.js'), [
      "const { Kernel } = require('@jsii/kernel');",
      "const k = new Kernel({ callbackHandler: () => { throw new Error('no callbacks'); } });",
      `for (const a of ${JSON.stringify(assemblies)}) k.load(a);`,
      "const L = 'cdk8s-secure-networking';",
      "const errorOf = (f) => { try { f(); return 'no error'; } catch (e) { return e.message; } };",
      "const app = k.create({ fqn: 'cdk8s.App', args: [] });",
      "const chart = k.create({ fqn: 'cdk8s.Chart', args: [app, 'storefront'] });",
      "const api = k.create({ fqn: L + '.SecureService', args: [chart, 'Api', { image: 'ghcr.io/acme/api:1.4.2', port: 8080 }] });",
      "const peer = k.sinvoke({ fqn: L + '.Peer', method: 'ipBlock', args: ['10.0.0.0/33'] }).result;",
      "console.log(errorOf(() => k.invoke({ objref: api, method: 'allowFrom', args: [peer] })));",
      "const port = k.sinvoke({ fqn: L + '.Port', method: 'tcp', args: [0] }).result;",
      "const ops = k.sinvoke({ fqn: L + '.Peer', method: 'namespace', args: ['ops'] }).result;",
      "console.log(errorOf(() => k.invoke({ objref: api, method: 'allowTo', args: [ops, port] })));",
      "console.log(errorOf(() => k.get({ objref: port, property: 'portNumber' })));",
      "k.sinvoke({ fqn: L + '.Peer', method: 'ipBlock', args: ['nonsense'] });",
      "console.log(errorOf(() => k.invoke({ objref: app, method: 'synthYaml', args: [] })));",
    ].join('\n'));
    const out = execFileSync(process.execPath, ['host.js'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    const CIDR = '"10.0.0.0/33" is not a CIDR; write an address and a prefix length, e.g. 10.0.0.0/8 or 2001:db8::/32.';
    const PORT = 'Port.tcp(0): port 0 is not a port; a port must be an integer 1-65535.';
    expect(out.split('\n')).toEqual([
      `storefront/Api: allowFrom(other): Peer.ipBlock('10.0.0.0/33'): ${CIDR}`,
      `storefront/Api: allowTo(ns:ops): ports[0]: ${PORT}`,
      PORT,
      'bad input to a value factory; no construct of this library was given the value, so no construct path can be named:',
      '  Peer.ipBlock(\'nonsense\'): "nonsense" is not a CIDR; write an address and a prefix length, e.g. 10.0.0.0/8 or 2001:db8::/32.',
      '',
    ]);
  }, 300_000);

  test('every README TypeScript block type-checks in the fresh app', () => {
    expect(typeErrors).toBe('');
  });

  test('the README has a cdk8s.yaml whose validations: block loads the installed copy, with the published form next to it', () => {
    expect(cdk8sYaml).toMatch(/package: \.\/node_modules\/cdk8s-secure-networking/);
    expect(yamlBlocks.some((b) => /package: cdk8s-secure-networking\n/.test(b))).toBe(true);
  });

  test.each(tsBlocks.map((b, i) => [i + 1, b.split('\n').find((l) => l.trim() && !l.startsWith('import')) ?? '', b]))(
    'README block %i (%s) synthesizes with cdk8s synth and the plugin, and cdk8s-net check finds no errors', (i, _first, block) => {
      const main = fs.readFileSync(path.join(APP, 'blocks', `block-${i}.ts`), 'utf8');
      expect(main).toContain((block as string).split('\n').filter((l) => !/^import /.test(l)).join('\n'));
      fs.writeFileSync(path.join(APP, 'main.ts'), main);
      const out = path.join(APP, `dist-${i}`);
      const synth = spawnSync(process.execPath, [CDK8S_CLI, 'synth', '--output', out],
        { cwd: APP, encoding: 'utf8', timeout: 240_000, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } });
      if (synth.status !== 0) throw new Error(`cdk8s synth failed for block ${i}:\n${main}\n--- stdout\n${synth.stdout}\n--- stderr\n${synth.stderr}`);
      const check = spawnSync(process.execPath, [path.join(APP, 'node_modules', 'cdk8s-secure-networking', 'bin', 'cdk8s-net'), 'check', out],
        { cwd: APP, encoding: 'utf8', timeout: 120_000 });
      if (check.status !== 0) throw new Error(`cdk8s-net check reported errors for block ${i}:\n${check.stdout}${check.stderr}`);
      expect(check.stdout).toMatch(/^0 errors/m);
    }, 300_000);
});
