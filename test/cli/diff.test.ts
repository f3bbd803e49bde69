import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, cliWith } from './run-cli';

let dir: string;
const file = (name: string) => path.join(dir, name);

const pod = (name: string, app: string) => `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: shop, labels: { app: ${app} } }\nspec: { containers: [{ name: c, image: i }] }\n`;
const apiPolicy = (ports: string) => 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: api, namespace: shop }\n'
  + `spec: { podSelector: { matchLabels: { app: api } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }], ports: ${ports} }] }\n`;
const OLD = [pod('web', 'web'), pod('api', 'api'), pod('db', 'db'), apiPolicy('[{ port: 8080 }, { port: 9000, endPort: 9010 }]')].join('---\n');
const NEW = [pod('web', 'web'), pod('api', 'api'), pod('db', 'db'), apiPolicy('[{ port: 8443 }, { port: 9005, endPort: 9020 }]')].join('---\n');

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-net-diff-'));
  fs.writeFileSync(file('old.yaml'), OLD);
  fs.writeFileSync(file('new.yaml'), NEW);
  fs.mkdirSync(file('empty'));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cdk8s-net diff', () => {
  test('text: one line per change with exactly the ports added or removed; exit 1 (--fail-on any)', async () => {
    expect(await cli('diff', file('old.yaml'), file('new.yaml'))).toEqual({
      code: 1,
      stdout: '+ shop/web[Pod] => shop/api[Pod] : TCP 8443,9011-9020\n- shop/web[Pod] => shop/api[Pod] : TCP 8080,9000-9004\n',
      stderr: 'note: 1 connection added, 1 removed.\n',
    });
  });

  test('nothing changed: exit 0 and a note', async () => {
    expect(await cli('diff', file('old.yaml'), file('old.yaml'))).toEqual({ code: 0, stdout: '', stderr: 'note: no connection added or removed.\n' });
  });

  test('--fail-on chooses which changes exit 1', async () => {
    const onlyAdded = [pod('web', 'web'), pod('api', 'api'), pod('db', 'db'), apiPolicy('[{ port: 8080 }, { port: 9000, endPort: 9020 }]')].join('---\n');
    fs.writeFileSync(file('added.yaml'), onlyAdded);
    expect((await cli('diff', file('old.yaml'), file('added.yaml'), '--fail-on', 'removed')).code).toBe(0);
    expect((await cli('diff', file('old.yaml'), file('added.yaml'), '--fail-on', 'added')).code).toBe(1);
    expect((await cli('diff', file('old.yaml'), file('added.yaml'), '--fail-on', 'none')).code).toBe(0);
    expect(await cli('diff', file('old.yaml'), file('added.yaml'), '--fail-on', 'some')).toEqual({
      code: 2, stdout: '', stderr: 'cdk8s-net: --fail-on "some" is not any, added, removed or none.\nRun "cdk8s-net --help" for usage.\n',
    });
  });

  test('--json: {"added":[{src,dst,conn}],"removed":[...]}', async () => {
    const r = await cli('diff', file('old.yaml'), file('new.yaml'), '--json');
    expect(JSON.parse(r.stdout)).toEqual({
      added: [{ src: 'shop/web[Pod]', dst: 'shop/api[Pod]', conn: 'TCP 8443,9011-9020' }],
      removed: [{ src: 'shop/web[Pod]', dst: 'shop/api[Pod]', conn: 'TCP 8080,9000-9004' }],
    });
    expect(await cli('diff', file('old.yaml'), file('new.yaml'), '--json', '--format', 'markdown')).toEqual({
      code: 2, stdout: '', stderr: 'cdk8s-net: --json and --format markdown contradict each other; give one.\nRun "cdk8s-net --help" for usage.\n',
    });
  });

  test('--explain names the rules that admit each added connection', async () => {
    const r = await cli('diff', file('old.yaml'), file('new.yaml'), '--explain');
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      '+ shop/web[Pod] => shop/api[Pod] : TCP 8443,9011-9020',
      '    allowed: egress from shop/web[Pod] is not isolated; ingress to shop/api[Pod] admitted by policy shop/api rule 0',
    ]);
  });

  test('--format markdown: a table and a Mermaid drawing of the changed edges', async () => {
    const r = await cli('diff', file('old.yaml'), file('new.yaml'), '--format', 'markdown');
    expect(r.stdout).toBe([
      '### Connectivity changes',
      '',
      `**1 added, 1 removed** (\`cdk8s-net diff ${file('old.yaml')} ${file('new.yaml')}\`)`,
      '',
      '| | Source | Destination | Connections |',
      '|:-:|---|---|---|',
      '| ➕ | `shop/web[Pod]` | `shop/api[Pod]` | TCP 8443,9011-9020 |',
      '| ➖ | `shop/web[Pod]` | `shop/api[Pod]` | TCP 8080,9000-9004 |',
      '',
      '```mermaid',
      'flowchart LR',
      '  subgraph ns0["shop"]',
      '    w0["api<br/><small>Pod</small>"]',
      '    w1["web<br/><small>Pod</small>"]',
      '  end',
      '  w1 -->|"+ TCP 8443,9011-9020"| w0',
      '  w1 -->|"− TCP 8080,9000-9004"| w0',
      '  linkStyle 0 stroke:#1a7f37,stroke-width:2px',
      '  linkStyle 1 stroke:#cf222e,stroke-width:2px,stroke-dasharray:4',
      '```',
      '',
    ].join('\n'));
  });

  test('- reads one side from standard input; an empty side (a new app) shows everything as added', async () => {
    const r = await cliWith({ stdin: OLD }, 'diff', '-', file('new.yaml'), '--summary');
    expect(r).toEqual({ code: 1, stdout: '1 connection added, 1 removed.\n', stderr: '' });
    const fresh = await cli('diff', file('empty'), file('old.yaml'), '--json');
    expect(fresh.code).toBe(1);
    expect(JSON.parse(fresh.stdout).added).toContainEqual({ src: 'shop/web[Pod]', dst: 'shop/api[Pod]', conn: 'TCP 8080,9000-9010' });
  });

  test('colours only on a terminal', async () => {
    const r = await cliWith({ isTty: true }, 'diff', file('old.yaml'), file('new.yaml'));
    expect(r.stdout).toBe('\u001b[32m+ shop/web[Pod] => shop/api[Pod] : TCP 8443,9011-9020\u001b[0m\n\u001b[31m- shop/web[Pod] => shop/api[Pod] : TCP 8080,9000-9004\u001b[0m\n');
  });

  test('a policy the API server would reject: exit 2, and the message names the side that holds it', async () => {
    // Both sides hold policy shop/api; only NEW's has the quoted (invalid) port.
    fs.writeFileSync(file('quoted.yaml'), [pod('web', 'web'), pod('api', 'api'), apiPolicy('[{ port: "8080" }]')].join('---\n'));
    const r = await cli('diff', file('old.yaml'), file('quoted.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cdk8s-net: NEW (${file('quoted.yaml')}): NetworkAnalysis: ingress[0].ports[0].port "8080" in policy shop/api is not a valid port name; `
      + 'a port name must contain at least one letter. A quoted number is a port name to the API server: write 8080 without quotes.\n');
  });

  test('policies of kinds the engine does not model produce a warning naming them and the side', async () => {
    fs.writeFileSync(file('calico.yaml'), NEW + '---\napiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: { name: deny, namespace: shop }\nspec: { selector: all() }\n');
    const r = await cli('diff', file('old.yaml'), file('calico.yaml'), '--quiet');
    expect(r.stderr).toBe(`warning: NEW (${file('calico.yaml')}): the result ignores 1 NetworkPolicy (projectcalico.org): cdk8s-net evaluates only Kubernetes NetworkPolicies, `
      + 'network-policy-api policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy) and Cilium policies, '
      + 'so connections these policies deny may be listed as allowed (and those they allow, as denied).\n');
  });

  test('parts of modelled policies that are not modelled produce a warning naming the policy, the field and the side', async () => {
    fs.writeFileSync(file('cilium.yaml'), NEW + '---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: l7, namespace: shop }\n'
      + 'spec: { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: "80" }], rules: { http: [{ method: GET }] } }] }] }\n');
    const r = await cli('diff', file('old.yaml'), file('cilium.yaml'), '--quiet');
    expect(r.stderr).toBe(`warning: NEW (${file('cilium.yaml')}): CiliumNetworkPolicy shop/l7 spec.ingress[0].toPorts[0].rules (L7: http) are not modelled; the ports count as open\n`);
  });

  test.each([
    ['one input', ['diff', 'a.yaml'], 'cdk8s-net: diff compares two inputs, OLD and NEW (files, folders or - for standard input); got 1.\nRun "cdk8s-net --help" for usage.\n'],
    ['stdin twice', ['diff', '-', '-'], 'cdk8s-net: standard input (-) can be read only once.\nRun "cdk8s-net --help" for usage.\n'],
    ['a missing side', ['diff', 'nope.yaml', 'nope.yaml'], 'cdk8s-net: cannot read nope.yaml: no such file or folder\n'],
  ])('usage and input errors exit 2: %s', async (_, args, stderr) => {
    expect(await cli(...args)).toEqual({ code: 2, stdout: '', stderr });
  });
});
