/**
 * Inputs as a pipeline gives them: folder scans and what they skip, and hostile input (empty,
 * binary, broken YAML, alias bombs, deep nesting, large files, symlink loops). Every case ends
 * with a message and the documented exit code, never a stack trace.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, cliWith } from './run-cli';
import { parseSource } from '../../src/analysis/sources';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-net-inputs-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, text: string | Buffer): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe('hostNetwork pods', () => {
  // kubernetes.io/docs/concepts/services-networking/network-policies/ "NetworkPolicy and hostNetwork pods":
  // behaviour undefined, most plugins do not isolate them; reach must not present their verdicts silently.
  test('reach warns that a hostNetwork workload is analysed as an ordinary pod', async () => {
    const file = write('m.yaml', `
kind: Pod
apiVersion: v1
metadata: { name: agent, namespace: ops, labels: { app: agent } }
spec: { hostNetwork: true, containers: [{ name: a, image: a }] }
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: deny-all, namespace: ops }
spec: { podSelector: {} }
`);
    const r = await cli('reach', file);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: ops/agent[Pod]: hostNetwork pods; NetworkPolicy behaviour for them is undefined');
  });
});

describe('folder scans', () => {
  test('Helm chart templates are skipped; objects whose values hold {{ }} (PrometheusRule alerts) are read', async () => {
    write('chart/Chart.yaml', 'apiVersion: v2\nname: shop\nversion: 1.0.0\n');
    // Valid YAML, but a template of a chart all the same.
    write('chart/templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ .Release.Name }}-cm"\n');
    write('loose/svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "x.fullname" . }}\n  labels:\n    {{- include "x.labels" . | nindent 4 }}\n');
    write('loose/named.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ .Release.Name }}"\n');
    write('rules/alerts.yaml', [
      'apiVersion: monitoring.coreos.com/v1',
      'kind: PrometheusRule',
      'metadata: { name: alerts, namespace: monitoring }',
      'spec:',
      '  groups:',
      '  - name: g',
      '    rules:',
      '    - alert: Down',
      '      expr: up == 0',
      '      annotations:',
      '        description: "{{ $labels.job }} is down"',
      '        summary: |',
      '          {{ $labels.instance }} is down',
    ].join('\n'));
    const r = await cli('check', dir, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.objects).toBe(1);
    expect(r.stderr).toContain('skipped 4 files that hold no Kubernetes object');
    for (const f of ['Chart.yaml', 'templates/cm.yaml (template)', 'loose/svc.yaml (template)', 'loose/named.yaml (template)']) {
      expect(r.stderr).toContain(f.replace('/', path.sep));
    }
    expect(r.stderr).not.toContain('alerts.yaml');
  });
});

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: shop }\ndata: { a: b }\n';
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: shop }\n'
  + 'spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: c, image: x }] } } }\n';

/** No stack trace: a message on stderr that starts with `cdk8s-net:`, and nothing of Node's. */
function expectCleanError(r: { code: number; stderr: string }, code = 2): void {
  expect(r.code).toBe(code);
  expect(r.stderr).toMatch(/^cdk8s-net: /);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:|TypeError|RangeError/);
}

describe('hostile input: a message and exit code 2 (input error) or 0/1 as documented, never a stack trace', () => {
  test('empty files and empty standard input', async () => {
    expectCleanError(await cli('check', write('empty.yaml', '')));
    expectCleanError(await cliWith({ stdin: '' }, 'reach', '-'));
    expectCleanError(await cli('check', write('comments.yaml', '# nothing\n---\n---\n')));
  });

  test('binary input: check reports a document that is not an object (exit 1); reach and graph find nothing to analyse (exit 2)', async () => {
    // Deterministic bytes that are not text: NUL, control characters, invalid UTF-8.
    const file = write('binary.yaml', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)));
    const r = await cli('check', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the document is a string, not a Kubernetes object');
    for (const command of ['reach', 'graph']) {
      expectCleanError(await cli(command, file));
    }
  });

  test('broken YAML names the file, line and column, whichever parser reads the text', async () => {
    const r = await cli('check', write('broken.yaml', `${CONFIG_MAP}---\napiVersion: v1\nkind: [\n`));
    expectCleanError(r);
    expect(r.stderr).toContain(`${path.join(dir, 'broken.yaml')}:8:1: invalid YAML`);
    // Duplicate keys: the fast parser refuses them too, and the full one reports where.
    const d = await cli('check', write('dup.yaml', 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: { name: a }\n'));
    expectCleanError(d);
    expect(d.stderr).toContain('dup.yaml:3:1: invalid YAML: Map keys must be unique');
  });

  test('an alias bomb ("billion laughs") is refused', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    }
    const r = await cli('check', write('bomb.yaml', lines.join('\n') + '\n'));
    expectCleanError(r);
    expect(r.stderr).toContain('a "billion laughs" input); the document is refused');
  });

  test('deep nesting: YAML too deep to read is an input error; deep JSON is read and reported as an invalid object', async () => {
    for (const text of [`a: ${'['.repeat(20000)}${']'.repeat(20000)}\n`, `${'- '.repeat(5000)}x\n`]) {
      expectCleanError(await cli('check', write('deep.yaml', text)));
    }
    const json = await cli('check', write('deep.json', `{"a":${'['.repeat(200000)}${']'.repeat(200000)}}`));
    expect(json.code).toBe(1);
    expect(json.stdout).toContain('NET001');
  });

  test('a large file (19 MB, 40,000 objects) is read', async () => {
    const doc = (i: number) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: cm-${i}, namespace: shop }\ndata: { k: "${'x'.repeat(400)}" }\n`;
    const file = write('big.yaml', Array.from({ length: 40000 }, (_, i) => doc(i)).join(''));
    expect(fs.statSync(file).size).toBeGreaterThan(18 * 2 ** 20);
    const r = await cli('check', file, '--summary');
    expect(r).toEqual({ code: 0, stdout: '0 errors, 0 warnings in 40000 objects.\n', stderr: '' });
  });

  test('symlink loops, dangling symlinks and unreadable folders are named and skipped; the rest is read', async () => {
    write('app/deployment.yaml', DEPLOYMENT);
    fs.symlinkSync('..', path.join(dir, 'app', 'up'));
    fs.symlinkSync('missing.yaml', path.join(dir, 'app', 'gone.yaml'));
    const r = await cli('check', dir, '--json');
    expect(JSON.parse(r.stdout).summary.objects).toBe(1);
    expect(r.stderr).toContain(`note: ${path.join(dir, 'app', 'gone.yaml')} is a dangling symlink (to missing.yaml); skipped`);
    expect(r.stderr).toContain(`note: ${path.join(dir, 'app', 'up')} is a symlink loop`);
    // A symlink loop named on the command line is an input error.
    fs.symlinkSync('self.yaml', path.join(dir, 'self.yaml'));
    expectCleanError(await cli('check', path.join(dir, 'self.yaml')));
  });

  test('a reader that closes the pipe early (| head -1) ends the command quietly', () => {
    const file = write('app.yaml', Array.from({ length: 200 }, (_, i) => DEPLOYMENT.replace(/web/g, `web-${i}`)).join('---\n'));
    const main = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
    const script = `require(${JSON.stringify(main)}).run(process.argv.slice(1)).then((c) => { process.exitCode = c; })`;
    const r = spawnSync('bash', ['-c', 'set -o pipefail; "$0" -r ts-node/register/transpile-only -e "$1" reach "$2" | head -1; echo "exit ${PIPESTATUS[0]}" >&2',
      process.execPath, script, file], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(r.stderr).toContain('exit 0');
  });
});

describe('YAML read as kubectl reads it, by either parser', () => {
  // The fast parser (js-yaml) takes texts without anchors, tags or merge keys; the yaml package
  // the others. Both resolve plain scalars with the YAML 1.1 tags of the yaml package.
  test('the same objects from both parsers: 1.1 booleans, octal, hex, floats, nulls, quoted numbers, block scalars', async () => {
    const body = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: { on: "yes" }\n'
      + 'data:\n  b: yes\n  c: off\n  d: 0644\n  e: 0x1F\n  f: 1.5\n  g: ~\n  h: "0644"\n  i: 1:20\n  j: 2001-12-14\n  k: |\n    line\n    ---\n  l: >-\n    folded\n    text\n';
    const fast = await cli('check', write('fast.yaml', body), '--json');
    const full = await cli('check', write('full.yaml', `%YAML 1.1\n---\n${body}`), '--json');
    const messages = (r: { stdout: string }) => JSON.parse(r.stdout).findings.map((f: any) => `${f.ruleId} ${f.field ?? ''} ${f.message}`);
    expect(messages(fast)).toEqual(messages(full));
    const values = (text: string) => parseSource(text, 'x').objects.map((o) => o.object);
    expect(values(body)).toEqual(values(`%YAML 1.1\n---\n${body}`));
    expect(values(body)[0]).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', labels: { true: 'yes' } },
      data: { b: true, c: false, d: 420, e: 31, f: 1.5, g: null, h: '0644', i: '1:20', j: '2001-12-14', k: 'line\n---\n', l: 'folded text' },
    });
  });
});

describe('real-world shapes (test/fixtures/real-world, minimal reproductions written for these tests)', () => {
  const FIXTURE = path.join(__dirname, '..', 'fixtures', 'real-world', 'monitoring-stack.yaml');

  test('an operator-based monitoring stack: no error, warnings only where the manifests cannot tell', async () => {
    const r = await cli('check', FIXTURE, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings.map((f: any) => `${f.level} ${f.ruleId} ${f.resource}`)).toEqual([
      'warning NET010 Service monitoring/prometheus-k8s',
      'warning NET013 NetworkPolicy monitoring/prometheus-k8s',
      'warning NET018 StatefulSet monitoring/controller',
    ]);
  });

  test('reach lists what the manifests hold and says that operator-created pods are not among them', async () => {
    const r = await cli('reach', FIXTURE);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('monitoring/controller[StatefulSet] => 10.96.0.1-10.96.0.1[External] : TCP 443\n');
    expect(r.stderr).toContain('note: the pods that controllers create for Prometheus monitoring/k8s are not in the manifests; their connections are not listed');
  });
});
