import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, cliWith } from './run-cli';

let dir: string;
const file = (name: string) => path.join(dir, name);

// Line 1: a ConfigMap without problems; line 5: a Service whose selector matches no pod.
const MANIFESTS = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: app }
---
apiVersion: v1
kind: Service
metadata: { name: orphan, namespace: app }
spec: { selector: { app: nothing }, ports: [{ port: 80 }] }
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-net-report-'));
  fs.writeFileSync(file('app.yaml'), MANIFESTS);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cdk8s-net check --format', () => {
  // SARIF 2.1.0 (OASIS), as GitHub code scanning reads it:
  // https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
  test('sarif: rule id and index, level, message with the fix, file and line of the object\'s document, rule metadata with help', async () => {
    const r = await cli('check', file('app.yaml'), '--format', 'sarif');
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('cdk8s-net');
    const rule = run.tool.driver.rules[run.results[0].ruleIndex];
    expect(rule).toMatchObject({
      id: 'NET010',
      name: 'service-selector-matches-no-pods',
      defaultConfiguration: { level: 'error' },
      help: { text: expect.stringMatching(/.+/) },
      fullDescription: { text: rule.help.text },
    });
    expect(run.results).toEqual([{
      ruleId: 'NET010',
      ruleIndex: run.tool.driver.rules.findIndex((x: any) => x.id === 'NET010'),
      level: 'error',
      message: { text: 'Service app/orphan: spec.selector app=nothing matches no pod template in namespace app; fix the selector or the pod labels.' },
      locations: [{
        // Relative to the working directory when the file is under it, otherwise a file URL.
        physicalLocation: { artifactLocation: { uri: expect.stringMatching(/^file:\/\/.*\/app\.yaml$/) }, region: { startLine: 5 } },
        logicalLocations: [{ name: 'Service app/orphan', kind: 'object', fullyQualifiedName: 'Service app/orphan.spec.selector' }],
      }],
    }]);
  });

  test('sarif paths under the working directory are relative, with /', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const log = JSON.parse((await cli('check', 'app.yaml', '--format', 'sarif')).stdout);
      expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('app.yaml');
    } finally {
      process.chdir(cwd);
    }
  });

  test('json: the same findings, and --json is its shorthand', async () => {
    const json = await cli('check', file('app.yaml'), '--format', 'json');
    expect(json.stdout).toBe((await cli('check', file('app.yaml'), '--json')).stdout);
    expect(JSON.parse(json.stdout).summary).toEqual({ objects: 2, errors: 1, warnings: 0 });
  });

  test('--quiet prints only the findings that fail the run; --summary only the counts', async () => {
    const withWarning = MANIFESTS + '---\n' + 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: w, namespace: app }\n'
      + 'spec: { selector: { matchLabels: { a: b } }, template: { metadata: { labels: { a: b } }, spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } }, '
      + 'containers: [{ name: c, image: i, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } } }] } } }\n';
    fs.writeFileSync(file('warn.yaml'), withWarning);
    const quiet = await cli('check', file('warn.yaml'), '--quiet');
    expect(quiet.stdout.split('\n').map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['error NET010', '']);
    expect(await cli('check', file('warn.yaml'), '--summary')).toEqual({
      code: 1,
      stdout: '    1  error NET010 service-selector-matches-no-pods\n    1  warning NET012 workload-without-network-policy\n1 error, 1 warning in 3 objects.\n',
      stderr: '',
    });
  });

  test('colours only on a terminal', async () => {
    expect((await cliWith({ isTty: true }, 'check', file('app.yaml'))).stdout).toMatch(/^\u001b\[31merror\u001b\[0m NET010 /);
    expect((await cli('check', file('app.yaml'))).stdout).toMatch(/^error NET010 /);
  });

  test('--version on every command', async () => {
    for (const args of [['--version'], ['check', '--version'], ['diff', 'a', 'b', '--version'], ['reach', '-V']]) {
      expect(await cli(...args)).toEqual({ code: 0, stdout: expect.stringMatching(/^cdk8s-net \d+\.\d+\.\d+.*\n$/), stderr: '' });
    }
  });

  test('reach --format json keeps the JSON of --json', async () => {
    fs.writeFileSync(file('pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\n');
    expect((await cli('reach', file('pod.yaml'), '--format', 'json')).stdout).toBe((await cli('reach', file('pod.yaml'), '--json')).stdout);
  });
});
