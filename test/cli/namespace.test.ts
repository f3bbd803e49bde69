/**
 * `--namespace NS` (check, reach, graph, diff, routes): `helm template` writes namespaced objects
 * without metadata.namespace; kubectl apply -n NS puts them in NS and leaves cluster-scoped kinds
 * in none (kubectl apply --namespace: "If present, the namespace scope for this CLI request";
 * the API server clears the namespace of cluster-scoped objects, k8s.io/apiserver
 * pkg/registry/rest/meta.go EnsureObjectNamespaceMatchesRequestNamespace). Namespace names are
 * DNS-1123 labels (k8s.io/apimachinery pkg/api/validation ValidateNamespaceName).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, cliWith } from './run-cli';
import { commandIo, readInput } from '../../src/cli/io';

let dir: string;
const file = (name: string) => path.join(dir, name);

/** What `helm template shop ./chart` writes: no metadata.namespace anywhere. */
const HELM = `# Source: shop/templates/api.yaml
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, labels: { app: api } }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers: [{ name: api, image: api:1, ports: [{ name: http, containerPort: 8080 }] }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, labels: { app: web } }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: web:1 }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api }
spec:
  podSelector: { matchLabels: { app: api } }
  policyTypes: [Ingress]
  ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }], ports: [{ port: 8080 }] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: reader }
rules: []
`;

/** The platform team's policy, written with its namespace: it applies to the chart only once the chart is in shop. */
const DENY_ALL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-egress, namespace: shop }
spec: { podSelector: {}, policyTypes: [Egress] }
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-net-ns-'));
  fs.mkdirSync(file('app'));
  fs.writeFileSync(file('app/helm.yaml'), HELM);
  fs.writeFileSync(file('app/platform.yaml'), DENY_ALL);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('--namespace', () => {
  test('without it, objects without a namespace are in default (unchanged behaviour)', async () => {
    const r = await cli('reach', file('app'), '--from', 'default/web', '--to', 'default/api', '--port', '8080');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('default/web[Deployment] => default/api[Deployment] : TCP 8080\n'
      + 'allowed: egress from default/web is not isolated; ingress to default/api admitted by policy default/api rule 0\n');
  });

  test('reach: the chart\'s objects are in NS, so the policy written for NS now isolates them and the verdict turns to denied', async () => {
    const r = await cli('reach', file('app'), '--namespace', 'shop', '--from', 'shop/web', '--to', 'shop/api', '--port', '8080');
    expect(r).toEqual({
      code: 1,
      stderr: '',
      stdout: 'denied: shop/web is isolated for egress by policy shop/deny-egress; no egress rule admits shop/api on TCP 8080\n',
    });
    // -n is the short form, as for kubectl; the chart's own policy is in shop too (it admits web on 8080).
    expect((await cli('reach', file('app/helm.yaml'), '-n', 'shop', '--to', 'shop/api')).stdout)
      .toBe('shop/web[Deployment] => shop/api[Deployment] : TCP 8080\n');
  });

  test('graph and check place the objects in NS; an object that names its namespace keeps it', async () => {
    const graph = await cli('graph', file('app'), '-n', 'shop');
    expect(graph.stdout).toContain('subgraph ns0["shop"]');
    expect(graph.stdout).not.toContain('default');
    const check = await cli('check', file('app'), '--namespace', 'web-team', '--format', 'json');
    const resources = new Set(JSON.parse(check.stdout).findings.map((f: any) => f.resource));
    expect(resources).toContain('Deployment web-team/api');
    expect([...resources].some((r) => String(r).includes('default/'))).toBe(false);
    const objects = readInput([file('app')], commandIo({ stdout: () => {}, stderr: () => {} }), 'skipped', { namespace: 'web-team' })
      .map((o) => `${o.object.kind} ${o.object.metadata.namespace ?? '(cluster-scoped)'}/${o.object.metadata.name}`);
    expect(objects).toEqual([
      'Deployment web-team/api', 'Deployment web-team/web', 'NetworkPolicy web-team/api', 'ClusterRole (cluster-scoped)/reader',
      'NetworkPolicy shop/deny-egress',
    ]);
  });

  test('diff: both sides are read in NS', async () => {
    fs.mkdirSync(file('new'));
    fs.writeFileSync(file('new/helm.yaml'), HELM.replace('ports: [{ port: 8080 }]', 'ports: [{ port: 8080 }, { port: 9090 }]'));
    const r = await cli('diff', file('app/helm.yaml'), file('new'), '-n', 'shop', '--fail-on', 'none');
    expect(r.stdout).toBe('+ shop/web[Deployment] => shop/api[Deployment] : TCP 9090\n');
  });

  test.each([
    ['Shop', 'it must consist of lower case alphanumeric characters or \'-\', and start and end with an alphanumeric character'],
    ['', 'it is empty'],
    ['a'.repeat(64), 'it has 64 characters; at most 63 are allowed'],
  ])('a value that is not a namespace name (%p) is refused with exit 2 before anything is read', async (value, problem) => {
    for (const command of [['check', 'nope.yaml'], ['reach', 'nope.yaml'], ['graph', 'nope.yaml'], ['diff', 'a.yaml', 'b.yaml'], ['routes', 'nope.yaml']]) {
      expect(await cli(...command, '--namespace', value)).toEqual({
        code: 2,
        stdout: '',
        stderr: `cdk8s-net: --namespace "${value}" is not a namespace name: ${problem}.\nRun "cdk8s-net --help" for usage.\n`,
      });
    }
  });

  test('--help documents it', async () => {
    expect((await cli('--help')).stdout).toContain('--namespace NS, -n NS   (check, reach, graph, diff, routes) Objects without metadata.namespace');
  });
});

describe('README: the --namespace line of the cdk8s-net section runs as written', () => {
  test('helm template ... | npx cdk8s-net reach - --namespace shop', async () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### `cdk8s-net`'), readme.indexOf('## In your pipeline'));
    const line = section.split('\n').find((l) => l.startsWith('helm template') && l.includes('--namespace'));
    expect(line).toBe('helm template shop ./chart | npx cdk8s-net reach - --namespace shop');
    const args = line!.split('| npx cdk8s-net ')[1].split(/\s+/);
    const r = await cliWith({ stdin: HELM }, ...args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('shop/web[Deployment] => shop/api[Deployment] : TCP 8080\n');
    expect(r.stdout).not.toContain('default/');
  });
});
