/**
 * Inputs as a pipeline gives them: folder scans and what they skip, and hostile input (empty,
 * binary, broken YAML, alias bombs, deep nesting, large files, symlink loops). Every case ends
 * with a message and the documented exit code, never a stack trace.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli } from './run-cli';

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
