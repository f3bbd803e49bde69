import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing, Yaml } from 'cdk8s';
import { ZeroTrustShop } from '../../examples/charts/zero-trust-shop';
import { run } from '../../src/cli/main';

/** Runs the command in-process and returns its exit code and output. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

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

  test('reports every finding with rule id, object, source line and the fix; exit 1 on errors', async () => {
    const r = await cli('check', file('insecure.yaml'));
    const f = file('insecure.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('note: not checked against a schema (kinds cdk8s-net does not know): Certificate (1)\n');
    expect(r.stdout.split('\n')).toEqual([
      `warning NET012 Deployment ops/legacy (${f}:1): no NetworkPolicy selects its pods, so they accept every connection and can open any; add a policy that selects them (a default-deny policy for the namespace, such as DenyAllNamespace writes). [workload-without-network-policy]`,
      `warning PSS001 Deployment ops/legacy (${f}:1): container "main": runAsNonRoot is not set (neither on the pod nor on the container); set securityContext.runAsNonRoot: true. [pod-run-as-non-root]`,
      `warning PSS002 Deployment ops/legacy (${f}:1): container "main": allowPrivilegeEscalation is not set; set it to false. [pod-allow-privilege-escalation]`,
      `warning PSS003 Deployment ops/legacy (${f}:1): container "main": capabilities.drop does not include ALL; drop ALL capabilities. [pod-capabilities]`,
      `warning PSS003 Deployment ops/legacy (${f}:1): container "main": capabilities.add includes NET_ADMIN; only NET_BIND_SERVICE may be added. [pod-capabilities]`,
      `warning PSS004 Deployment ops/legacy (${f}:1): container "main": no seccomp profile is set on the pod or the container; set securityContext.seccompProfile.type: RuntimeDefault. [pod-seccomp-profile]`,
      `error PSS005 Deployment ops/legacy (${f}:1): hostNetwork is true; remove it (the pod shares the node's Network namespace). [pod-host-namespaces]`,
      `error PSS006 Deployment ops/legacy (${f}:1): container "main": ports[0].hostPort is 80; remove it and expose the pod through a Service. [pod-host-ports]`,
      `error PSS007 Deployment ops/legacy (${f}:1): container "main": privileged is true; remove it (a privileged container has nearly all access of the host). [pod-privileged]`,
      `error PSS008 Deployment ops/legacy (${f}:1): volume "host" mounts hostPath /var/run; use an emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim instead. [pod-host-path-volumes]`,
      `error NET011 Service ops/legacy (${f}:19): spec.ports[0].targetPort "www" is not a TCP container port of Deployment ops/legacy (its named ports: http); name the container port "www" or use one of those names. [service-target-port-not-container-port]`,
      `error NET010 Service ops/orphan (${f}:26): spec.selector app=nothing matches no pod template in namespace ops; fix the selector or the pod labels. [service-selector-matches-no-pods]`,
      `error NET002 Certificate ops/Bad_Name (${f}:33): metadata.name "Bad_Name" is not a valid Certificate name; it must consist of lower case alphanumeric characters, '-' or '.', and each label must start and end with an alphanumeric character. [invalid-name]`,
      '7 errors, 6 warnings in 4 objects.',
      '',
    ]);
  });

  test('--json gives the findings with their fields, and a summary', async () => {
    const r = await cli('check', file('insecure.yaml'), '--json');
    const out = JSON.parse(r.stdout);
    expect(out.summary).toEqual({ objects: 4, errors: 7, warnings: 6 });
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
    expect(r.stdout.trim().split('\n')).toHaveLength(17);
  });
});

describe('bad input: a clear message and exit code 2, never a stack trace', () => {
  test.each([
    ['a missing file', ['reach', 'nope.yaml'], 'cdk8s-net: cannot read nope.yaml: no such file or folder\n'],
    ['no command', ['frobnicate', 'x'], 'cdk8s-net: unknown command "frobnicate"; the commands are check, reach and graph.\nRun "cdk8s-net --help" for usage.\n'],
    ['no paths', ['check'], 'cdk8s-net: check needs at least one file or folder of manifests.\nRun "cdk8s-net --help" for usage.\n'],
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
    expect(r.stdout).toMatch(/^Usage: cdk8s-net <command> <files\|dirs\.\.\.> \[options\]/);
  });
});
