/**
 * `reach --to ns/name[Service]`: a Service as destination, resolved as Kubernetes resolves it
 * (kubernetes.io/docs/concepts/services-networking/service/, "Defining a Service" and
 * "Services without selectors"; the ServicePort API reference):
 * - the Service sends to the pods its selector selects in its namespace;
 * - `targetPort` unset is the port itself ("By default and for convenience, the targetPort is set
 *   to the same value as the port field"); a number is that pod port; a name is looked up in each
 *   pod's container ports ("you can reference these names in the targetPort attribute of a
 *   Service ... even if there is a mixture of Pods in the Service using a single configured name,
 *   with the same network protocol available via different port numbers"), of the Service port's
 *   protocol (k8s.io/kubernetes pkg/api/v1/pod/util.go FindPort); the EndpointSlice controller
 *   leaves out, for that port, a pod that lacks the name;
 * - targetPort "is ignored for services with clusterIP=None" (headless: no kube-proxy);
 * - a Service without a selector gets no EndpointSlices made from pods ("Because this Service has
 *   no selector, the corresponding EndpointSlice objects are not created automatically").
 * kube-proxy spreads the connections over every endpoint, so a pair is allowed only when each
 * selected workload admits it on its target port.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing, Yaml } from 'cdk8s';
import { cli } from './run-cli';
import { ZeroTrustShop } from '../../examples/charts/zero-trust-shop';

let dir: string;
const file = (name: string) => path.join(dir, name);

/** front-v1 names its port http 8080, front-v2 names it http 8081; the policy admits the client on 8080 only. */
const APP = `apiVersion: apps/v1
kind: Deployment
metadata: { name: client, namespace: ops }
spec:
  selector: { matchLabels: { app: client } }
  template:
    metadata: { labels: { app: client } }
    spec: { containers: [{ name: main, image: client:1 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: front-v1, namespace: ops }
spec:
  selector: { matchLabels: { app: front, version: v1 } }
  template:
    metadata: { labels: { app: front, version: v1 } }
    spec: { containers: [{ name: main, image: front:1, ports: [{ name: http, containerPort: 8080 }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: front-v2, namespace: ops }
spec:
  selector: { matchLabels: { app: front, version: v2 } }
  template:
    metadata: { labels: { app: front, version: v2 } }
    spec: { containers: [{ name: main, image: front:2, ports: [{ name: http, containerPort: 8081 }, { name: admin, containerPort: 9000 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: front, namespace: ops }
spec:
  selector: { app: front }
  ports:
    - { name: web, port: 80, targetPort: http }
    - { name: admin, port: 9000, targetPort: admin }
    - { name: direct, port: 8080, targetPort: 8080 }
---
apiVersion: v1
kind: Service
metadata: { name: front-v1, namespace: ops }
spec:
  selector: { app: front, version: v1 }
  ports: [{ port: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: front-headless, namespace: ops }
spec:
  clusterIP: None
  selector: { app: front, version: v1 }
  ports: [{ name: web, port: 8080, targetPort: 9999 }]
---
apiVersion: v1
kind: Service
metadata: { name: orphan, namespace: ops }
spec:
  selector: { app: nothing }
  ports: [{ port: 80 }]
---
apiVersion: v1
kind: Service
metadata: { name: ledger-db, namespace: ops }
spec:
  ports: [{ port: 5432 }]
---
apiVersion: v1
kind: Service
metadata: { name: payments, namespace: ops }
spec: { type: ExternalName, externalName: api.payments.example }
---
apiVersion: v1
kind: Service
metadata: { name: front, namespace: other }
spec:
  selector: { app: front }
  ports: [{ port: 80 }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: front, namespace: ops }
spec:
  podSelector: { matchLabels: { app: front } }
  policyTypes: [Ingress]
  ingress: [{ from: [{ podSelector: { matchLabels: { app: client } } }], ports: [{ port: 8080 }] }]
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-net-svc-'));
  fs.writeFileSync(file('app.yaml'), APP);
  fs.mkdirSync(file('dist'));
  Yaml.save(file('dist/zero-trust-shop.k8s.yaml'), Testing.synth(new ZeroTrustShop(Testing.app(), 'zero-trust-shop')));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('reach --to ns/name[Service]', () => {
  test('a named targetPort resolves per pod: port web 80 is 8080 on front-v1 (admitted) and 8081 on front-v2 (denied), so the pair is denied', async () => {
    const r = await cli('reach', file('app.yaml'), '--from', 'ops/client', '--to', 'ops/front[Service]', '--port', '80');
    expect(r).toEqual({
      code: 1,
      stderr: '',
      stdout: [
        'via Service ops/front port web 80/TCP -> targetPort "http" = 8080 on ops/front-v1[Deployment]',
        'ops/client[Deployment] => ops/front-v1[Deployment] : TCP 8080',
        'allowed: egress from ops/client is not isolated; ingress to ops/front-v1 admitted by policy ops/front rule 0',
        'via Service ops/front port web 80/TCP -> targetPort "http" = 8081 on ops/front-v2[Deployment]',
        'ops/client[Deployment] => ops/front-v2[Deployment] : TCP 8080',
        'denied: ops/front-v2 is isolated for ingress by policy ops/front; no ingress rule admits ops/client on TCP 8081 (its ingress rules admit only TCP 8080 from ops/client)',
        '',
      ].join('\n'),
    });
    // The port by its name in the Service gives the same answer.
    expect(await cli('reach', file('app.yaml'), '--from', 'ops/client', '--to', 'ops/front[Service]', '--port', 'web')).toEqual(r);
    // Asked of the workload, port 80 is the pod port 80, which the policy does not admit: the Service's mapping is what changes the verdict.
    expect((await cli('reach', file('app.yaml'), '--from', 'ops/client', '--to', 'ops/front-v1', '--port', '80')).code).toBe(1);
  });

  test('a numeric targetPort is that pod port on every pod: port direct 8080 is admitted on both, exit 0', async () => {
    const r = await cli('reach', file('app.yaml'), '--from', 'ops/client', '--to', 'ops/front[Service]', '--port', 'direct');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('via '))).toEqual([
      'via Service ops/front port direct 8080/TCP -> targetPort 8080 on ops/front-v1[Deployment]',
      'via Service ops/front port direct 8080/TCP -> targetPort 8080 on ops/front-v2[Deployment]',
    ]);
    expect(r.stdout).not.toContain('denied');
  });

  test('targetPort unset is the port itself; a Service with one port needs no --port', async () => {
    const r = await cli('reach', file('app.yaml'), '--from', 'ops/client', '--to', 'ops/front-v1[Service]');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('via Service ops/front-v1 port 8080/TCP -> targetPort 8080 (targetPort unset: the port itself) on ops/front-v1[Deployment]');
  });

  test('a headless Service ignores targetPort: the client connects to the pods on the port it dials', async () => {
    const r = await cli('reach', file('app.yaml'), '--from', 'ops/client', '--to', 'ops/front-headless[Service]', '--port', '8080');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('via headless Service ops/front-headless port web 8080/TCP (clusterIP: None, no kube-proxy: the client connects to the pods directly on 8080) on ops/front-v1[Deployment]');
  });

  test('a selected pod without the named targetPort gets no endpoint for that port: a note, and the others are asked', async () => {
    const r = await cli('reach', file('app.yaml'), '--from', 'ops/client', '--to', 'ops/front[Service]', '--port', 'admin');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('note: ops/front-v1[Deployment] has no TCP container port named "admin" (its ports: http:8080/TCP): it gets no endpoint for port admin 9000/TCP of Service ops/front.\n');
    expect(r.stdout.split('\n')[0]).toBe('via Service ops/front port admin 9000/TCP -> targetPort "admin" = 9000 on ops/front-v2[Deployment]');
  });

  test('without --from: the lines to the selected workloads that allow their target port, the mapping in notes; --json names the Service', async () => {
    const r = await cli('reach', file('app.yaml'), '--to', 'ops/front[Service]', '--port', '80');
    expect(r).toEqual({
      code: 0,
      stdout: 'ops/client[Deployment] => ops/front-v1[Deployment] : TCP 8080\n',
      stderr: 'note: via Service ops/front port web 80/TCP -> targetPort "http" = 8080 on ops/front-v1[Deployment]\n'
        + 'note: via Service ops/front port web 80/TCP -> targetPort "http" = 8081 on ops/front-v2[Deployment]\n',
    });
    const json = JSON.parse((await cli('reach', file('app.yaml'), '--to', 'ops/front[Service]', '--port', '80', '--json')).stdout);
    expect(json).toEqual({
      connections: [{ src: 'ops/client[Deployment]', dst: 'ops/front-v1[Deployment]', conn: 'TCP 8080' }],
      service: {
        name: 'ops/front',
        port: 'web 80/TCP',
        targetPort: 'http',
        endpoints: [{ workload: 'ops/front-v1[Deployment]', targetPort: 8080 }, { workload: 'ops/front-v2[Deployment]', targetPort: 8081 }],
      },
    });
    const pair = JSON.parse((await cli('reach', file('app.yaml'), '--from', 'ops/client', '--to', 'ops/front[Service]', '--port', '80', '--json')).stdout);
    expect(pair.allowed).toBe(false);
    expect(pair.verdicts.map((v: any) => [v.to, v.traffic, v.allowed])).toEqual([['ops/front-v1[Deployment]', 'TCP 8080', true], ['ops/front-v2[Deployment]', 'TCP 8081', false]]);
  });

  test.each([
    ['a Service that selects no pod', ['--to', 'ops/orphan[Service]'],
      'cdk8s-net: --to "ops/orphan[Service]": Service ops/orphan selects no pod of the manifests (selector app=nothing in namespace ops).\n'],
    ['a Service without a selector', ['--to', 'ops/ledger-db[Service]'],
      'cdk8s-net: --to "ops/ledger-db[Service]": Service ops/ledger-db has no selector, so Kubernetes makes no endpoints from pods for it (its EndpointSlices are written by hand or by another controller); name the workload instead.\n'],
    ['an ExternalName Service', ['--to', 'ops/payments[Service]'],
      'cdk8s-net: --to "ops/payments[Service]": Service ops/payments is of type ExternalName (a DNS alias for api.payments.example); it sends to no pod of the manifests.\n'],
    ['a port number the Service does not have', ['--from', 'ops/client', '--to', 'ops/front[Service]', '--port', '8081'],
      'cdk8s-net: --to "ops/front[Service]": Service ops/front has no port 8081/TCP (its ports: web 80/TCP -> http, admin 9000/TCP -> admin, direct 8080/TCP).\n'],
    ['a port name the Service does not have', ['--to', 'ops/front[Service]', '--port', 'http'],
      'cdk8s-net: --to "ops/front[Service]": Service ops/front has no port named "http" (TCP) (its ports: web 80/TCP -> http, admin 9000/TCP -> admin, direct 8080/TCP).\n'],
    ['the right number of another protocol', ['--to', 'ops/front[Service]', '--port', '80/UDP'],
      'cdk8s-net: --to "ops/front[Service]": Service ops/front has no port 80/UDP (its ports: web 80/TCP -> http, admin 9000/TCP -> admin, direct 8080/TCP).\n'],
    ['no --port for a Service with several ports', ['--to', 'ops/front[Service]'],
      'cdk8s-net: --to "ops/front[Service]": Service ops/front has 3 ports (web 80/TCP -> http, admin 9000/TCP -> admin, direct 8080/TCP); give --port with one of them (number or name).\n'],
    ['a Service the manifests do not have', ['--to', 'ops/nope[Service]'],
      'cdk8s-net: --to "ops/nope[Service]": the manifests have no Service nope in namespace ops (their Services: ops/front-headless[Service], ops/front-v1[Service], ops/front[Service], ops/ledger-db[Service], ops/orphan[Service], ops/payments[Service], other/front[Service]).\n'],
    ['a name without namespace that two Services have', ['--to', 'front[Service]'],
      'cdk8s-net: --to "front[Service]" matches several Services (ops/front[Service], other/front[Service]); write namespace/name[Service].\n'],
    ['a Service as the source', ['--from', 'ops/front[Service]', '--to', 'ops/client'],
      'cdk8s-net: --from "ops/front[Service]" names a Service; connections come from pods, so name the workload (ns/name or ns/name[Kind]). A Service is a destination: --to ops/front[Service].\n'],
  ])('%s: exit 2 with a message naming the Service and the port', async (_name, args, message) => {
    expect(await cli('reach', file('app.yaml'), ...args)).toEqual({ code: 2, stdout: '', stderr: message });
  });

  test('a named targetPort that no selected pod has: exit 2', async () => {
    fs.writeFileSync(file('none.yaml'), APP.replace('{ name: admin, port: 9000, targetPort: admin }', '{ name: admin, port: 9000, targetPort: adm }'));
    expect(await cli('reach', file('none.yaml'), '--to', 'ops/front[Service]', '--port', '9000')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'cdk8s-net: --to "ops/front[Service]": Service ops/front port admin 9000/TCP targets the container port named "adm", which no selected pod has: '
        + 'ops/front-v1[Deployment] has no TCP container port named "adm" (its ports: http:8080/TCP); '
        + 'ops/front-v2[Deployment] has no TCP container port named "adm" (its ports: http:8081/TCP, admin:9000/TCP).\n',
    });
  });

  test('--help documents the form', async () => {
    expect((await cli('--help')).stdout).toContain('--to ENDPOINT       Only connections to it: a workload, an IP/CIDR, or a Service');
  });
});

describe('README: the [Service] line of the cdk8s-net section runs as written', () => {
  test('npx cdk8s-net reach dist/ --from shop/web --to \'shop/api[Service]\' --port 80', async () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### `cdk8s-net`'), readme.indexOf('## In your pipeline'));
    const line = section.split('\n').find((l) => l.includes('[Service]') && l.startsWith('npx cdk8s-net'))!;
    const command = line.replace(/\s+#.*$/, '');
    expect(command).toBe('npx cdk8s-net reach dist/ --from shop/web --to \'shop/api[Service]\' --port 80');
    const args = command.replace(/^npx cdk8s-net /, '').split(/\s+/).map((a) => a.replace(/^'(.*)'$/, '$1')).map((a) => (a === 'dist/' ? file('dist') : a));
    const r = await cli(...args);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('via Service shop/api port http 80/TCP -> targetPort "http" = 8080 on shop/api[Deployment]\n'
      + 'shop/web[Deployment] => shop/api[Deployment] : TCP 8080\n'
      + 'allowed: egress from shop/web admitted by policy shop/web rule 1; ingress to shop/api admitted by policy shop/api rule 0\n');
  });
});

describe('reach --to ns/name[Service] with --namespace', () => {
  test('a Service of helm output (no namespace) is found in the namespace --namespace gives', async () => {
    fs.writeFileSync(file('helm.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: { name: api, labels: { app: api } }\n'
      + 'spec: { containers: [{ name: main, image: api:1, ports: [{ name: http, containerPort: 8080 }] }] }\n---\n'
      + 'apiVersion: v1\nkind: Service\nmetadata: { name: api }\nspec: { selector: { app: api }, ports: [{ port: 80, targetPort: http }] }\n');
    const r = await cli('reach', file('helm.yaml'), '--namespace', 'shop', '--from', '10.0.0.1', '--to', 'shop/api[Service]');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('via Service shop/api port 80/TCP -> targetPort "http" = 8080 on shop/api[Pod]');
    expect((await cli('reach', file('helm.yaml'), '--to', 'shop/api[Service]')).stderr)
      .toBe('cdk8s-net: --to "shop/api[Service]": the manifests have no Service api in namespace shop (their Services: default/api[Service]).\n');
  });
});
