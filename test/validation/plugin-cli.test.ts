/**
 * `cdk8s synth` (cdk8s-cli, as installed) on a fixture app that violates the rules, with the
 * plugin configured in its cdk8s.yaml from a local path: the synth must fail (exit 2) with the
 * report. cdk8s-cli loads a `package` that is absolute or starts with `./` with require() from
 * that path, so this runs offline with no npm install.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'violating-app');
const PLUGIN = path.join(ROOT, 'test', 'fixtures', 'validation-plugin');
const CDK8S = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

test('cdk8s synth fails on the violating fixture app with a report of every violation', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-synth-'));
  fs.copyFileSync(path.join(FIXTURE, 'main.js'), path.join(dir, 'main.js'));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
    'language: javascript',
    'app: node main.js',
    'validations:',
    `  - package: ${PLUGIN}`,
    '    version: 0.0.0',
    '    class: SecureNetworkingValidation',
    '',
  ].join('\n'));
  const reportFile = path.join(dir, 'report.json');
  const run = spawnSync(process.execPath, [CDK8S, 'synth', '--plugins-dir', path.join(dir, 'plugins'), '--validation-reports-output-file', reportFile], {
    cwd: dir,
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(run.error).toBeUndefined();
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('Validation failed. See above reports for details');
  expect(run.stdout).toContain('NET010 service-selector-matches-no-pods (1 occurrences)');
  // A unique metadata.name is mapped to its construct path by cdk8s-cli's construct metadata.
  expect(run.stdout).toContain('- Construct Path: shop/Public');

  const { reports } = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  expect(reports).toHaveLength(1);
  expect(reports[0].summary).toEqual({ status: 'failure', plugin: PLUGIN, version: '0.0.0', metadata: { objects: '5', findings: '3' } });
  const manifest = path.join('dist', 'shop.k8s.yaml'); // as cdk8s-cli lists it, relative to the app
  const resource = (c: any) => [c.resourceName, c.constructPath ?? null, c.manifestPath, c.locations];
  const shape = (v: any) => [v.ruleName, v.violatingConstructs.map(resource)];
  expect(reports[0].violations.map(shape)).toEqual([
    ['NET010 service-selector-matches-no-pods', [['Service shop/web', null, manifest,
      ['spec.selector: spec.selector app.kubernetes.io/name=wbe matches no pod template in namespace shop; fix the selector or the pod labels.']]]],
    ['NET013 network-policy-selects-no-pods', [['NetworkPolicy shop/web', null, manifest,
      ['spec.podSelector: spec.podSelector selects no pod template in namespace shop; fix the selector or the namespace.']]]],
    ['NET015 ingress-backend-not-found', [['public', 'shop/Public', manifest,
      ['spec.rules[0].http.paths[0].backend.service: spec.rules[0].http.paths[0].backend.service names Service shop/frontend, which is not in the manifests; create it or fix the name.']]]],
  ]);
}, 150_000);
