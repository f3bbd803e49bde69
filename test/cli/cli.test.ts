import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing, Yaml } from 'cdk8s';
import { cli } from './run-cli';
import { ExternalServices } from '../../examples/charts/external-services';
import { ZeroTrustShop } from '../../examples/charts/zero-trust-shop';

let dir: string;
const file = (name: string) => path.join(dir, name);

const INSECURE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: legacy
  namespace: ops
spec:
  selector: { matchLabels: { app: legacy } }
  template:
    metadata: { labels: { app: legacy } }
    spec:
      hostNetwork: true
      volumes: [{ name: host, hostPath: { path: /var/run } }]
      containers:
        - name: main
          image: legacy:1
          ports: [{ name: http, containerPort: 8080, hostPort: 80 }]
          securityContext: { privileged: true, capabilities: { add: [NET_ADMIN] } }
---
apiVersion: v1
kind: Service
metadata: { name: legacy, namespace: ops }
spec:
  selector: { app: legacy }
  ports: [{ name: web, port: 80, targetPort: www }]
---
apiVersion: v1
kind: Service
metadata: { name: orphan, namespace: ops }
spec:
  selector: { app: nothing }
  ports: [{ port: 80 }]
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: Bad_Name, namespace: ops }
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-net-'));
  fs.mkdirSync(file('shop'));
  Yaml.save(file('shop/zero-trust-shop.k8s.yaml'), Testing.synth(new ZeroTrustShop(Testing.app(), 'zero-trust-shop')));
  fs.writeFileSync(file('insecure.yaml'), INSECURE);
  fs.writeFileSync(file('broken.yaml'), 'apiVersion: v1\nkind: Pod\n---\nmetadata:\n  name: x\n   labels: {}\n');
  fs.writeFileSync(file('empty.yaml'), '# nothing here\n---\n');
  fs.mkdirSync(file('no-manifests'));
  fs.writeFileSync(file('no-manifests/notes.txt'), 'hello');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cdk8s-net reach', () => {
  test('lists the allowed connections of the examples app in netpol-analyzer line format', async () => {
    const r = await cli('reach', file('shop'));
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'shop/api[Deployment] => 203.0.113.0-203.0.113.255[External] : TCP 443',
        'shop/api[Deployment] => shop/db[Deployment] : TCP 5432',
        'shop/web[Deployment] => shop/api[Deployment] : TCP 8080',
        '',
      ].join('\n'),
    });
  });

  test('--json gives the same strings as {"connections":[{src,dst,conn}]}', async () => {
    const r = await cli('reach', file('shop'), '--json', '--from', 'shop/api');
    expect(JSON.parse(r.stdout)).toEqual({
      connections: [
        { src: 'shop/api[Deployment]', dst: '203.0.113.0-203.0.113.255[External]', conn: 'TCP 443' },
        { src: 'shop/api[Deployment]', dst: 'shop/db[Deployment]', conn: 'TCP 5432' },
      ],
    });
  });

  test('--from and --to answer for one pair with the explanation; exit 1 when denied', async () => {
    const allowed = await cli('reach', file('shop'), '--from', 'shop/web', '--to', 'shop/api', '--port', '8080/TCP');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toBe('shop/web[Deployment] => shop/api[Deployment] : TCP 8080\n'
      + 'allowed: egress from shop/web admitted by policy shop/web rule 1; ingress to shop/api admitted by policy shop/api rule 0\n');
    const denied = await cli('reach', file('shop'), '--from', 'shop/web', '--to', 'shop/db', '--port', '5432');
    expect(denied.code).toBe(1);
    expect(denied.stdout).toBe('denied: shop/web is isolated for egress by policies shop/default-deny, shop/allow-dns, shop/web; '
      + 'no egress rule admits shop/db on TCP 5432; shop/db is isolated for ingress by policies shop/default-deny, shop/db; '
      + 'no ingress rule admits shop/web on TCP 5432\n');
  });

  test('--to with an address lists the workloads that can reach it', async () => {
    expect((await cli('reach', file('shop'), '--to', '203.0.113.7')).stdout)
      .toBe('shop/api[Deployment] => 203.0.113.7-203.0.113.7[External] : TCP 443\n');
  });

  test('--port keeps only the lines that allow the port', async () => {
    const r = await cli('reach', file('shop'), '--port', '5432');
    expect(r.stdout).toBe('shop/api[Deployment] => shop/db[Deployment] : TCP 5432\n');
    const none = await cli('reach', file('shop'), '--port', '53/UDP');
    expect(none).toEqual({ code: 0, stdout: '', stderr: 'note: no allowed connections match.\n' });
  });

  test('IP ranges follow netpol-analyzer\'s split; --merge-ip-ranges merges neighbours', async () => {
    fs.writeFileSync(file('split.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: { name: db, namespace: a, labels: { app: db } }\n---\n'
      + 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: db, namespace: a }\n'
      + 'spec: { podSelector: {}, policyTypes: [Ingress], ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] } }] }] }\n');
    expect((await cli('reach', file('split.yaml'), '--to', 'a/db')).stdout).toBe('10.0.0.0-10.0.255.255[External] => a/db[Pod] : All Connections\n10.2.0.0-10.255.255.255[External] => a/db[Pod] : All Connections\n');
    expect((await cli('reach', file('split.yaml'), '--from', 'a/db')).stdout).toBe('a/db[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections\n');
    expect((await cli('reach', file('split.yaml'), '--to', 'a/db', '--merge-ip-ranges')).stdout).toBe('10.0.0.0-10.0.255.255[External] => a/db[Pod] : All Connections\n'
      + '10.2.0.0-10.255.255.255[External] => a/db[Pod] : All Connections\n');
  });

  test('unknown kinds are skipped with a note', async () => {
    const r = await cli('reach', file('insecure.yaml'));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('note: skipped objects of kinds cdk8s-net does not know: Certificate (1)\n');
    expect(r.stdout).toContain('0.0.0.0-255.255.255.255[External] => ops/legacy[Deployment] : All Connections\n');
  });
});

describe('cdk8s-net graph', () => {
  test('draws workloads grouped by namespace, edges labelled with ports, external ranges as nodes (mermaid)', async () => {
    const r = await cli('graph', file('shop'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      'flowchart LR',
      '  subgraph ns0["shop"]',
      '    w0["api<br/><small>Deployment</small>"]',
      '    w1["db<br/><small>Deployment</small>"]',
      '    w2["web<br/><small>Deployment</small>"]',
      '  end',
      '  ip0{{"203.0.113.0/24"}}',
      '  w0 -->|"TCP 443"| ip0',
      '  w0 -->|"TCP 5432"| w1',
      '  w2 -->|"TCP 8080"| w0',
      '',
    ].join('\n'));
  });

  test('--format dot gives one cluster per namespace', async () => {
    const r = await cli('graph', file('shop'), '--format', 'dot');
    expect(r.stdout).toContain('  subgraph cluster_0 {\n    label="shop";\n    "shop/api[Deployment]" [label="api\\nDeployment"];');
    expect(r.stdout).toContain('  "203.0.113.0-203.0.113.255[External]" [label="203.0.113.0/24", shape=hexagon, style=dashed];');
    expect(r.stdout).toContain('  "shop/web[Deployment]" -> "shop/api[Deployment]" [label="TCP 8080"];');
  });

  test('an unknown format is a usage error', async () => {
    expect(await cli('graph', file('shop'), '--format', 'svg')).toEqual({
      code: 2, stdout: '', stderr: 'cdk8s-net: --format "svg" is not mermaid or dot.\nRun "cdk8s-net --help" for usage.\n',
    });
  });
});

describe('cdk8s-net check', () => {
  test('the output of this library passes', async () => {
    expect(await cli('check', file('shop'))).toEqual({ code: 0, stdout: '0 errors, 0 warnings in 17 objects.\n', stderr: '' });
  });

  test("an ExternalDependency's EndpointSlices are a kind it knows: checked against the schema, and no note", async () => {
    // Before: "note: not checked against a schema (kinds cdk8s-net does not know): EndpointSlice (2)" on this library's own output.
    fs.mkdirSync(file('external'));
    Yaml.save(file('external/external.k8s.yaml'), Testing.synth(new ExternalServices(Testing.app(), 'external')));
    const r = await cli('check', file('external'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^0 errors, 0 warnings in \d+ objects.\n$/);
  });

  test('NET004 refuses an EndpointSlice of discovery.k8s.io/v1beta1, which Kubernetes no longer serves since 1.25', async () => {
    // kubernetes/kubernetes#100472: "discovery.k8s.io/v1beta1 EndpointSlices are deprecated in favor of discovery.k8s.io/v1,
    // and will no longer be served in Kubernetes v1.25".
    fs.writeFileSync(file('beta-slice.yaml'), 'apiVersion: discovery.k8s.io/v1beta1\nkind: EndpointSlice\nmetadata: { name: db, namespace: shop }\naddressType: IPv4\nendpoints: []\n');
    const r = await cli('check', file('beta-slice.yaml'));
    expect(r.stdout).toContain(`error NET004 EndpointSlice shop/db (${file('beta-slice.yaml')}:1): apiVersion "discovery.k8s.io/v1beta1" is not served for EndpointSlice; use discovery.k8s.io/v1. [api-version-mismatch]`);
  });

  test('reports every finding with rule id, object, source line and the fix; exit 1 on errors', async () => {
    const r = await cli('check', file('insecure.yaml'));
    const f = file('insecure.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('note: not checked against a schema (kinds cdk8s-net does not know): Certificate (1)\n');
    expect(r.stdout.split('\n')).toEqual([
      `warning NET012 Deployment ops/legacy (${f}:1): no NetworkPolicy selects its pods, so they accept every connection and can open any; add a policy that selects them (a default-deny policy for the namespace, such as DenyAllNamespace writes). [workload-without-network-policy]`,
      `error PSS001 Deployment ops/legacy (${f}:1): container "main": runAsNonRoot is not set (neither on the pod nor on the container); set securityContext.runAsNonRoot: true. [pod-run-as-non-root]`,
      `error PSS002 Deployment ops/legacy (${f}:1): container "main": allowPrivilegeEscalation is not set; set it to false. [pod-allow-privilege-escalation]`,
      `error PSS003 Deployment ops/legacy (${f}:1): container "main": capabilities.drop does not include ALL; drop ALL capabilities. [pod-capabilities]`,
      `error PSS003 Deployment ops/legacy (${f}:1): container "main": capabilities.add includes NET_ADMIN; only NET_BIND_SERVICE may be added. [pod-capabilities]`,
      `error PSS004 Deployment ops/legacy (${f}:1): container "main": no seccomp profile is set on the pod or the container; set securityContext.seccompProfile.type: RuntimeDefault. [pod-seccomp-profile]`,
      `error PSS005 Deployment ops/legacy (${f}:1): hostNetwork is true; remove it (the pod shares the node's Network namespace). [pod-host-namespaces]`,
      `error PSS006 Deployment ops/legacy (${f}:1): container "main": ports[0].hostPort is 80; remove it and expose the pod through a Service. [pod-host-ports]`,
      `error PSS007 Deployment ops/legacy (${f}:1): container "main": privileged is true; remove it (a privileged container has nearly all access of the host). [pod-privileged]`,
      `error PSS008 Deployment ops/legacy (${f}:1): volume "host" mounts hostPath /var/run; use an emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim instead. [pod-host-path-volumes]`,
      `error NET011 Service ops/legacy (${f}:19): spec.ports[0].targetPort "www" is not a TCP container port of Deployment ops/legacy (its named ports: http); name the container port "www" or use one of those names. [service-target-port-not-container-port]`,
      `error NET010 Service ops/orphan (${f}:26): spec.selector app=nothing matches no pod template in namespace ops; fix the selector or the pod labels. [service-selector-matches-no-pods]`,
      `error NET002 Certificate ops/Bad_Name (${f}:33): metadata.name "Bad_Name" is not a valid Certificate name; it must consist of lower case alphanumeric characters, '-' or '.', and each label must start and end with an alphanumeric character. [invalid-name]`,
      '12 errors, 1 warning in 4 objects.',
      '',
    ]);
  });

  test('--json gives the findings with their fields, and a summary', async () => {
    const r = await cli('check', file('insecure.yaml'), '--json');
    const out = JSON.parse(r.stdout);
    expect(out.summary).toEqual({ objects: 4, errors: 12, warnings: 1 });
    expect(out.findings).toContainEqual({
      ruleId: 'NET010',
      rule: 'service-selector-matches-no-pods',
      level: 'error',
      resource: 'Service ops/orphan',
      source: `${file('insecure.yaml')}:26`,
      field: 'spec.selector',
      message: 'spec.selector app=nothing matches no pod template in namespace ops; fix the selector or the pod labels.',
    });
  });

  test('--fail-on warning fails on warnings too', async () => {
    fs.writeFileSync(file('warn.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: c, image: i, securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: [ALL] }, seccompProfile: { type: RuntimeDefault } } }] }\n');
    expect((await cli('check', file('warn.yaml'))).code).toBe(0);
    expect((await cli('check', file('warn.yaml'), '--fail-on', 'warning')).code).toBe(1);
  });

  test('--list-rules prints every rule once', async () => {
    const r = await cli('check', '--list-rules');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('NET001  error    required-fields-missing: The API server rejects objects without apiVersion, kind or metadata.name.');
    // NET001-NET006, NET010-NET025, NET030, NET040-NET044, PSS001-PSS014: the synth rules included.
    expect(r.stdout.trim().split('\n').map((l) => l.split(' ')[0])).toEqual([
      'NET001', 'NET002', 'NET003', 'NET004', 'NET005', 'NET006', 'NET010', 'NET011', 'NET012', 'NET013', 'NET014', 'NET015', 'NET016', 'NET017', 'NET018', 'NET019', 'NET020',
      'NET021', 'NET022', 'NET023', 'NET024', 'NET025', 'NET030', 'NET040', 'NET041', 'NET042', 'NET043', 'NET044',
      'PSS001', 'PSS002', 'PSS003', 'PSS004', 'PSS005', 'PSS006', 'PSS007', 'PSS008', 'PSS009', 'PSS010', 'PSS011', 'PSS012', 'PSS013', 'PSS014',
    ]);
    expect(r.stdout.trim().split('\n')).toHaveLength(42);
  });

  /** A hardened Deployment of namespace `ns` (PSS restricted), selected by a default-deny policy, with `patch` applied to its pod spec. */
  const hardened = (name: string, patch: Record<string, unknown> = {}, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: app }
spec:
  replicas: 2
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: ${JSON.stringify({
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'main', image: 'x:1', ports: [{ name: 'http', containerPort: 8080 }], securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      ...patch,
    })}
${extra}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-${name}, namespace: app }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`;

  test('a hardened workload passes', async () => {
    fs.writeFileSync(file('hardened.yaml'), hardened('ok'));
    expect(await cli('check', file('hardened.yaml'))).toEqual({ code: 0, stdout: '0 errors, 0 warnings in 2 objects.\n', stderr: '' });
  });

  test('schema: unknown fields and values of the wrong type are errors (NET006)', async () => {
    fs.writeFileSync(file('schema.yaml'), hardened('typed').replace('  replicas: 2\n', '  replicas: "three"\n  bogusField: 1\n').replace('"containerPort":8080', '"containerPort":"http"'));
    const r = await cli('check', file('schema.yaml'), '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.filter((f: any) => f.ruleId === 'NET006').map((f: any) => `${f.field}: ${f.message}`)).toEqual([
      'spec.replicas: spec.replicas: is the string "three"; it must be an integer; the API server rejects the object.',
      'spec.bogusField: spec.bogusField: unknown field "bogusField" (not a field of DeploymentSpec); remove it or fix its spelling (the API server rejects unknown fields).',
      'spec.template.spec.containers[0].ports[0].containerPort: spec.template.spec.containers[0].ports[0].containerPort: is the string "http"; it must be an integer; the API server rejects the object.',
    ]);
  });

  test('schema: label values, env values and booleans are typed; status and later fields are accepted', async () => {
    const objects = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: app, labels: { tier: 1 } }\ndata: { a: b }\nimmutable: "yes"\nstatus: { anything: 1 }\n',
      hardened('later', { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, appArmorProfile: { type: 'RuntimeDefault' } } }),
    ];
    fs.writeFileSync(file('typed.yaml'), objects.join('---\n'));
    const r = await cli('check', file('typed.yaml'), '--json');
    expect(JSON.parse(r.stdout).findings.map((f: any) => `${f.ruleId} ${f.field}`)).toEqual(['NET003 metadata.labels', 'NET006 metadata.labels.tier', 'NET006 immutable']);
  });

  test('Pod Security restricted and baseline controls: volume types, sysctls, SELinux, AppArmor, procMount, hostProcess', async () => {
    const pod = {
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
        sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'kernel.msgmax', value: '65536' }],
        seLinuxOptions: { type: 'spc_t' },
        windowsOptions: { hostProcess: true },
      },
      volumes: [{ name: 'cache', emptyDir: {} }, { name: 'share', nfs: { server: 'nfs.example', path: '/' } }],
      containers: [{
        name: 'main',
        image: 'x:1',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, procMount: 'Unmasked', appArmorProfile: { type: 'Unconfined' }, seLinuxOptions: { user: 'root' } },
      }],
    };
    fs.writeFileSync(file('pss.yaml'), hardened('pss', pod).replace('    metadata: { labels: { app: pss } }', '    metadata: { labels: { app: pss }, annotations: { container.apparmor.security.beta.kubernetes.io/main: unconfined } }'));
    const r = await cli('check', file('pss.yaml'), '--json');
    expect(JSON.parse(r.stdout).findings.map((f: any) => `${f.level} ${f.ruleId} ${f.field}`)).toEqual([
      'error PSS009 spec.template.spec.volumes[1].nfs',
      'error PSS010 spec.template.spec.securityContext.sysctls[1]',
      'error PSS011 spec.template.spec.securityContext.seLinuxOptions.type',
      'error PSS011 spec.template.spec.containers[0].securityContext.seLinuxOptions.user',
      'error PSS012 spec.template.spec.containers[0].securityContext.appArmorProfile.type',
      'error PSS012 spec.template.spec',
      'error PSS013 spec.template.spec.containers[0].securityContext.procMount',
      'error PSS014 spec.template.spec.securityContext.windowsOptions.hostProcess',
    ]);
    // --pss baseline: the restricted-only control (volume types) is a warning.
    const baseline = JSON.parse((await cli('check', file('pss.yaml'), '--json', '--pss', 'baseline')).stdout);
    expect(baseline.findings.filter((f: any) => f.level === 'warning').map((f: any) => f.ruleId)).toEqual(['PSS009']);
  });

  test('--pss baseline makes the restricted-only findings warnings', async () => {
    const r = await cli('check', file('insecure.yaml'), '--pss', 'baseline');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('warning')).map((l) => l.split(' ')[1])).toEqual(['NET012', 'PSS001', 'PSS002', 'PSS003', 'PSS003', 'PSS004']);
    expect(await cli('check', file('insecure.yaml'), '--pss', 'strict')).toEqual({
      code: 2, stdout: '', stderr: 'cdk8s-net: --pss "strict" is not baseline or restricted.\nRun "cdk8s-net --help" for usage.\n',
    });
  });

  test('NET019 in the CLI: a namespace no manifest creates or uses is unknown unless listed in --external-namespaces (kube-* always known)', async () => {
    const peer = (ns: string) => `{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ${ns} } }, podSelector: { matchLabels: { app: x } } }`;
    fs.writeFileSync(file('peers.yaml'), hardened('api') + `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api, namespace: app }
spec: { podSelector: { matchLabels: { app: api } }, ingress: [{ from: [${peer('monitoring')}, ${peer('kube-system')}, ${peer('kube-anything')}, ${peer('ops')}] }] }
`);
    const r = await cli('check', file('peers.yaml'));
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter((l) => l.includes('NET019'))).toEqual([
      `error NET019 NetworkPolicy app/api (${file('peers.yaml')}:16): spec.ingress[0].from[0].namespaceSelector names pods in namespace "monitoring", which the manifests neither create nor use and which is not declared external; fix the namespace, or declare it (name it in --external-namespaces if it exists outside these manifests: --external-namespaces monitoring). [network-policy-peer-namespace-unknown]`,
      `error NET019 NetworkPolicy app/api (${file('peers.yaml')}:16): spec.ingress[0].from[3].namespaceSelector names pods in namespace "ops", which the manifests neither create nor use and which is not declared external; fix the namespace, or declare it (name it in --external-namespaces if it exists outside these manifests: --external-namespaces ops). [network-policy-peer-namespace-unknown]`,
    ]);
    expect(await cli('check', file('peers.yaml'), '--external-namespaces', 'monitoring,ops')).toEqual({ code: 0, stdout: '0 errors, 0 warnings in 3 objects.\n', stderr: '' });
    expect((await cli('check', file('peers.yaml'), '--external-namespaces', 'Ops')).stderr).toMatch(/^cdk8s-net: --external-namespaces: "Ops" is not a namespace name/);
  });

  test('NET017 in the CLI: the Traefik HTTP->HTTPS redirect Ingress does not conflict with the main one; a second Ingress of the route does', async () => {
    // As the Traefik profile writes them: TLS on every Ingress but the redirect, which opts out of NET021 (ingress-without-tls).
    const ing = (name: string, entrypoints?: string) => {
      const redirect = name.endsWith('-http-redirect');
      const annotations = [
        ...entrypoints ? [`traefik.ingress.kubernetes.io/router.entrypoints: ${entrypoints}`] : [],
        ...redirect ? ['ignore-check.cdk8s-net.io/ingress-without-tls: redirect only'] : [],
      ];
      return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: app
  annotations: { ${annotations.join(', ')} }
spec:
  ingressClassName: traefik
  rules: [{ host: shop.example.com, http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] } }]
${redirect ? '' : '  tls: [{ hosts: [shop.example.com], secretName: web-tls }]\n'}`;
    };
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: app }\nspec: { selector: { app: web }, ports: [{ port: 80, targetPort: http }] }\n';
    fs.writeFileSync(file('traefik.yaml'), [hardened('web'), svc, ing('web', 'websecure'), ing('web-http-redirect', 'web')].join('---\n'));
    expect((await cli('check', file('traefik.yaml'))).code).toBe(0);
    fs.writeFileSync(file('traefik2.yaml'), [hardened('web'), svc, ing('web', 'websecure'), ing('web-http-redirect', 'web'), ing('legacy')].join('---\n'));
    expect((await cli('check', file('traefik2.yaml'))).stdout.split('\n').filter((l) => l.includes('NET017')).map((l) => l.replace(/ \(.*?:\d+\)/, ''))).toEqual([
      'error NET017 Ingress app/legacy: spec.rules[0].http.paths[0] routes shop.example.com/ for class "traefik", which Ingress app/web already routes; route each host and path from one Ingress. [ingress-route-claimed-twice]',
    ]);
  });

  test('NET005: an except that is not a strict subset of the cidr', async () => {
    fs.writeFileSync(file('except.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: np, namespace: app }\n'
      + 'spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/16, except: [10.0.0.0/8] } }] }] }\n');
    expect((await cli('check', file('except.yaml'))).stdout).toContain('error NET005 NetworkPolicy app/np (' + file('except.yaml') + ':1): ipBlock.except[0] "10.0.0.0/8" in policy app/np is not a strict subset of ipBlock.cidr "10.0.0.0/16"');
  });
});

describe('bad input: a clear message and exit code 2, never a stack trace', () => {
  test.each([
    ['a missing file', ['reach', 'nope.yaml'], 'cdk8s-net: cannot read nope.yaml: no such file or folder\n'],
    ['no command', ['frobnicate', 'x'], 'cdk8s-net: unknown command "frobnicate"; the commands are check, reach, graph, diff and routes.\nRun "cdk8s-net --help" for usage.\n'],
    ['no paths', ['check'], 'cdk8s-net: check needs at least one file or folder of manifests (or - for standard input).\nRun "cdk8s-net --help" for usage.\n'],
    ['an unknown option', ['reach', 'x', '--frm', 'a'], 'cdk8s-net: Unknown option \'--frm\'.\nRun "cdk8s-net --help" for usage.\n'],
    ['an option of another command', ['graph', 'x', '--json'], 'cdk8s-net: graph does not take --json.\nRun "cdk8s-net --help" for usage.\n'],
    ['a bad port', ['reach', 'x', '--port', '70000'], 'cdk8s-net: --port "70000": 70000 is not a port; a port must be 1-65535.\n'],
  ])('%s', async (_, args, stderr) => {
    expect(await cli(...args)).toEqual({ code: 2, stdout: '', stderr });
  });

  test('invalid YAML is reported with its file, line and column', async () => {
    const r = await cli('check', file('broken.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^cdk8s-net: ${file('broken.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:9: invalid YAML: Nested mappings are not allowed in compact mappings\n$`));
  });

  test('empty input says so', async () => {
    expect((await cli('reach', file('empty.yaml'))).stderr).toBe(`cdk8s-net: no Kubernetes objects found in ${file('empty.yaml')} (the files are empty).\n`);
    expect(await cli('graph', file('no-manifests'))).toEqual({
      code: 2, stdout: '', stderr: `cdk8s-net: no manifest files (.yaml, .yml, .json) found in ${file('no-manifests')}.\n`,
    });
  });

  test('manifests without workloads have nothing to analyse', async () => {
    fs.writeFileSync(file('only-ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n');
    expect((await cli('reach', file('only-ns.yaml'))).stderr).toMatch(/^cdk8s-net: no workloads \(Pod, Deployment, .*\) found in .*only-ns\.yaml; there are no connections to analyse\.\n$/);
  });

  test('an invalid NetworkPolicy is an input error that names the policy', async () => {
    fs.writeFileSync(file('bad-policy.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n'
      + 'metadata: { name: np }\nspec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/33 } }] }] }\n');
    expect(await cli('reach', file('bad-policy.yaml'))).toEqual({
      code: 2, stdout: '', stderr: 'cdk8s-net: NetworkAnalysis: ipBlock.cidr "10.0.0.0/33" in policy default/np is not a valid CIDR\n',
    });
    expect((await cli('check', file('bad-policy.yaml'))).stdout).toBe(`error NET005 NetworkPolicy np (${file('bad-policy.yaml')}:5): ipBlock.cidr "10.0.0.0/33" in policy default/np is not a valid CIDR [invalid-network-policy]\n`
      + '1 error, 0 warnings in 2 objects.\n');
  });

  test('--help prints the usage', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: cdk8s-net <command> <files\|dirs\|-\.\.\.> \[options\]/);
  });
});
