/*
 * The analyzer beyond NetworkPolicy: network-policy-api tiers and Cilium policies.
 *
 * Semantics checked against:
 * - network-policy-api v0.1.8 apis/v1alpha1/adminnetworkpolicy_types.go (priority: lower
 *   number first; rules in order; Pass "skips all further ANP rules" to NetworkPolicy),
 *   baselineadminnetworkpolicy_types.go (BANP applies "when no NetworkPolicy selects the pod"
 *   for that direction), and v0.2.0 apis/v1alpha2/clusternetworkpolicy_types.go (tiers Admin
 *   then Baseline; Accept/Deny/Pass; Pass in Baseline goes to the default, allow);
 * - Cilium v1.18 docs: security/policy/language.md (endpointSelector, fromEndpoints, CIDR,
 *   entities world/cluster/all, toFQDNs matchName/matchPattern, toPorts), deny.md (deny rules
 *   win), intro.md (enableDefaultDeny), network/kubernetes/policy.md (CNP and NetworkPolicy
 *   are additive), kubernetes.md "Namespaces" (a CNP's endpoint selectors stay in its namespace).
 */
import { Chart, Testing } from 'cdk8s';
import { ClusterGuardrails, DenyAllNamespace, GuardrailApi, NetworkAnalysis, Peer, PolicyEngine, Port, SecureService } from '../../src';
import { ExternalDependency } from '../../src/external/external-dependency';
import '../../src/testing/jest';
import { cliWith } from '../cli/run-cli';

const NS = 'kubernetes.io/metadata.name';
const ns = (name: string, labels: { [k: string]: string } = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const deploy = (namespace: string, name: string, labels: { [k: string]: string }, ports: any[] = [{ containerPort: 80 }, { containerPort: 8080, name: 'http' }, { containerPort: 53, protocol: 'UDP' }]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x', ports }] } } },
});
const inNs = (name: string) => ({ namespaces: { matchLabels: { [NS]: name } } });
const anp = (name: string, priority: number, subject: any, rules: { ingress?: any[]; egress?: any[] }) =>
  ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, subject, ...rules } });
const banp = (subject: any, rules: { ingress?: any[]; egress?: any[] }) =>
  ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject, ...rules } });
const tcp = (port: number) => ({ portNumber: { protocol: 'TCP', port } });
const netpol = (namespace: string, name: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const cnp = (namespace: string, name: string, spec: any) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec });

const BASE = [ns('a'), ns('b'), ns('c'), deploy('a', 'x', { app: 'x' }), deploy('b', 'y', { app: 'y' }), deploy('c', 'z', { app: 'z' })];
const allowed = (objects: any[], from: string, to: string, port?: number, protocol?: string) =>
  NetworkAnalysis.fromManifests([...BASE, ...objects]).isAllowed({ from, to, port, protocol });

describe('AdminNetworkPolicy: priority, rule order, Allow/Deny/Pass', () => {
  test('the lower priority number wins; within a policy the first matching rule', () => {
    const objects = [
      anp('late', 20, inNs('b'), { ingress: [{ name: 'allow-a', action: 'Allow', from: [inNs('a')] }] }),
      anp('early', 10, inNs('b'), { ingress: [{ name: 'deny-a-80', action: 'Deny', from: [inNs('a')], ports: [tcp(80)] }, { name: 'allow-a', action: 'Allow', from: [inNs('a')] }] }),
    ];
    expect(allowed(objects, 'a/x', 'b/y', 80)).toBe(false);
    expect(allowed(objects, 'a/x', 'b/y', 8080)).toBe(true);
    const net = NetworkAnalysis.fromManifests([...BASE, ...objects]);
    expect(net.explain({ from: 'a/x', to: 'b/y', port: 80 }).text).toBe('denied: ingress to b/y: AdminNetworkPolicy/early rule "deny-a-80" denies TCP 80');
  });

  test('Allow is final: a NetworkPolicy that isolates the pod cannot take it back', () => {
    const objects = [
      netpol('b', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
      anp('allow', 1, inNs('b'), { ingress: [{ name: 'allow-a', action: 'Allow', from: [inNs('a')], ports: [tcp(80)] }] }),
    ];
    expect(allowed(objects, 'a/x', 'b/y', 80)).toBe(true);
    expect(allowed(objects, 'a/x', 'b/y', 8080)).toBe(false);
    expect(allowed(objects, 'c/z', 'b/y', 80)).toBe(false);
  });

  test('Pass hands the traffic to NetworkPolicies, skipping later admin rules', () => {
    const objects = [
      anp('pass', 1, inNs('b'), { ingress: [{ name: 'pass-a', action: 'Pass', from: [inNs('a')] }] }),
      anp('deny', 2, inNs('b'), { ingress: [{ name: 'deny-a', action: 'Deny', from: [inNs('a')] }] }),
    ];
    expect(allowed(objects, 'a/x', 'b/y', 80)).toBe(true); // passed, no NetworkPolicy: allowed
    expect(allowed([...objects, netpol('b', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] })], 'a/x', 'b/y', 80)).toBe(false);
  });

  test('egress networks, and pods peers; a subject by pods', () => {
    const objects = [anp('egress', 5, { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'x' } } } }, {
      egress: [
        { name: 'deny-net', action: 'Deny', to: [{ networks: ['203.0.113.0/24'] }] },
        { name: 'deny-z', action: 'Deny', to: [{ pods: { namespaceSelector: { matchLabels: { [NS]: 'c' } }, podSelector: { matchLabels: { app: 'z' } } } }] },
      ],
    })];
    expect(allowed(objects, 'a/x', '203.0.113.9')).toBe(false);
    expect(allowed(objects, 'a/x', '198.51.100.1')).toBe(true);
    expect(allowed(objects, 'a/x', 'c/z', 80)).toBe(false);
    expect(allowed(objects, 'b/y', 'c/z', 80)).toBe(true);
    expect(allowed(objects, 'b/y', '203.0.113.9')).toBe(true);
  });

  test('networks match pods too: a block of every address surely holds them; a private block is taken to hold none, with a warning', () => {
    // AdminNetworkPolicyEgressPeer.Networks (v0.1.8 shared_types.go): "cluster-internal traffic will be checked against the rule as well".
    const all = [anp('all', 5, inNs('a'), { egress: [{ name: 'deny-all', action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }] })];
    expect(allowed(all, 'a/x', 'b/y', 80)).toBe(false);
    const priv = [anp('private', 5, inNs('a'), { egress: [{ name: 'deny-private', action: 'Deny', to: [{ networks: ['10.0.0.0/8'] }] }] })];
    expect(allowed(priv, 'a/x', 'b/y', 80)).toBe(true);
    expect(NetworkAnalysis.fromManifests([...BASE, ...priv]).warnings()).toEqual([
      'AdminNetworkPolicy/private spec.egress[0].to[0].networks (10.0.0.0/8) may hold pod addresses, which manifests do not give; pods are taken to be outside it',
    ]);
  });

  test('a named port resolves against the destination container ports', () => {
    const objects = [anp('named', 5, inNs('b'), { ingress: [{ name: 'deny-http', action: 'Deny', from: [inNs('a')], ports: [{ namedPort: 'http' }] }] })];
    expect(allowed(objects, 'a/x', 'b/y', 8080)).toBe(false);
    expect(allowed(objects, 'a/x', 'b/y', 80)).toBe(true);
  });

  test('a nodes peer is reported as not modelled', () => {
    const net = NetworkAnalysis.fromManifests([...BASE, anp('nodes', 5, inNs('b'), { egress: [{ name: 'n', action: 'Deny', to: [{ nodes: {} }] }] })]);
    expect(net.warnings()).toEqual(['AdminNetworkPolicy/nodes spec.egress[0].to[0].nodes is not modelled (it needs the cluster\'s nodes and their addresses); the peer matches nothing here']);
  });
});

describe('BaselineAdminNetworkPolicy: only where no NetworkPolicy isolates', () => {
  const deny = banp({ namespaces: {} }, { ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }] });
  test('denies pods without NetworkPolicies', () => {
    expect(allowed([deny], 'a/x', 'b/y', 80)).toBe(false);
  });
  test('a NetworkPolicy isolating the pod decides instead', () => {
    const np = netpol('b', 'allow-a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS]: 'a' } } }] }] });
    expect(allowed([deny, np], 'a/x', 'b/y', 80)).toBe(true);
    expect(allowed([deny, np], 'c/z', 'b/y', 80)).toBe(false);
  });
  test('an admin Pass reaches the baseline when no NetworkPolicy isolates', () => {
    const pass = anp('pass', 1, inNs('b'), { ingress: [{ name: 'pass', action: 'Pass', from: [inNs('a')] }] });
    expect(allowed([deny, pass], 'a/x', 'b/y', 80)).toBe(false);
  });
});

describe('ClusterNetworkPolicy (v1alpha2): tiers Admin and Baseline', () => {
  const cnpol = (name: string, tier: string, priority: number, subject: any, rules: any) =>
    ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, subject, ...rules } });
  test('Accept/Deny with protocols; Baseline only for pods no NetworkPolicy isolates', () => {
    const objects = [
      cnpol('admin', 'Admin', 1, inNs('b'), { ingress: [{ name: 'accept-80', action: 'Accept', from: [inNs('a')], protocols: [{ tcp: { destinationPort: { number: 80 } } }] }] }),
      cnpol('baseline', 'Baseline', 1, { namespaces: {} }, { ingress: [{ name: 'deny', action: 'Deny', from: [{ namespaces: {} }] }] }),
    ];
    expect(allowed(objects, 'a/x', 'b/y', 80)).toBe(true);
    expect(allowed(objects, 'a/x', 'b/y', 8080)).toBe(false);
    expect(allowed(objects, 'a/x', 'c/z', 80)).toBe(false);
  });
  test('a Pass in the Baseline tier goes to the default: allowed', () => {
    const objects = [
      cnpol('b1', 'Baseline', 1, inNs('b'), { ingress: [{ name: 'pass', action: 'Pass', from: [inNs('a')] }] }),
      cnpol('b2', 'Baseline', 2, inNs('b'), { ingress: [{ name: 'deny', action: 'Deny', from: [{ namespaces: {} }] }] }),
    ];
    expect(allowed(objects, 'a/x', 'b/y', 80)).toBe(true);
    expect(allowed(objects, 'c/z', 'b/y', 80)).toBe(false);
  });
  test('destinationNamedPort and a port range', () => {
    const objects = [cnpol('r', 'Admin', 3, inNs('b'), {
      ingress: [
        { name: 'named', action: 'Deny', from: [inNs('a')], protocols: [{ destinationNamedPort: 'http' }] },
        { name: 'range', action: 'Deny', from: [inNs('c')], protocols: [{ udp: { destinationPort: { range: { start: 50, end: 60 } } } }] },
      ],
    })];
    expect(allowed(objects, 'a/x', 'b/y', 8080)).toBe(false);
    expect(allowed(objects, 'c/z', 'b/y', 53, 'UDP')).toBe(false);
    expect(allowed(objects, 'c/z', 'b/y', 80)).toBe(true);
  });
});

describe('Cilium policies combined with NetworkPolicy', () => {
  test('a CNP isolates what it selects and adds to NetworkPolicy allows', () => {
    const objects = [
      netpol('b', 'np', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS]: 'a' } } }], ports: [{ port: 80 }] }] }),
      cnp('b', 'cnp', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'c' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }] }),
    ];
    expect(allowed(objects, 'a/x', 'b/y', 80)).toBe(true);
    expect(allowed(objects, 'c/z', 'b/y', 8080)).toBe(true);
    expect(allowed(objects, 'c/z', 'b/y', 80)).toBe(false);
    expect(allowed(objects, 'a/x', 'b/y', 8080)).toBe(false);
  });
  test('fromEndpoints of a namespaced CNP without a namespace label stays in its namespace', () => {
    const objects = [cnp('b', 'same-ns', { endpointSelector: {}, ingress: [{ fromEndpoints: [{}] }] })];
    expect(allowed(objects, 'a/x', 'b/y', 80)).toBe(false);
  });
  test('entities: world is outside the cluster, cluster is every pod; an empty rule allows nothing', () => {
    const world = [cnp('a', 'w', { endpointSelector: {}, egress: [{ toEntities: ['world'] }] })];
    expect(allowed(world, 'a/x', '198.51.100.1')).toBe(true);
    expect(allowed(world, 'a/x', 'b/y', 80)).toBe(false);
    const cluster = [cnp('a', 'c', { endpointSelector: {}, egress: [{ toEntities: ['cluster'] }] })];
    expect(allowed(cluster, 'a/x', 'b/y', 80)).toBe(true);
    expect(allowed(cluster, 'a/x', '198.51.100.1')).toBe(false);
    const nothing = [cnp('a', 'n', { endpointSelector: {}, egress: [{}] })];
    expect(allowed(nothing, 'a/x', 'b/y', 80)).toBe(false);
  });
  test('toCIDRSet with except; toPorts ANY and port 0', () => {
    const objects = [cnp('a', 'cidr', { endpointSelector: {}, egress: [{ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }], toPorts: [{ ports: [{ port: '0', protocol: 'UDP' }] }] }] })];
    expect(allowed(objects, 'a/x', '10.2.3.4', 9999, 'UDP')).toBe(true);
    expect(allowed(objects, 'a/x', '10.1.3.4', 9999, 'UDP')).toBe(false);
    expect(allowed(objects, 'a/x', '10.2.3.4', 9999, 'TCP')).toBe(false);
  });
  test('deny rules win over every allow; enableDefaultDeny false does not isolate', () => {
    const objects = [cnp('b', 'deny', {
      endpointSelector: {},
      enableDefaultDeny: { ingress: false },
      ingressDeny: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'a' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
    }), netpol('b', 'np', { podSelector: {}, ingress: [{}] })];
    expect(allowed(objects, 'a/x', 'b/y', 80)).toBe(false);
    expect(allowed(objects, 'a/x', 'b/y', 8080)).toBe(true);
    expect(allowed(objects.slice(0, 1), 'c/z', 'b/y', 80)).toBe(true);
  });
  test('a CiliumClusterwideNetworkPolicy selects across namespaces', () => {
    const objects = [{
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'all' },
      spec: { endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'b' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'z' } }] }] },
    }];
    expect(allowed(objects, 'c/z', 'b/y', 80)).toBe(true);
    expect(allowed(objects, 'a/x', 'b/y', 80)).toBe(false);
  });
  test('toFQDNs: the names are FQDN destinations; matchPattern matches one label', () => {
    const objects = [cnp('a', 'fqdn', {
      endpointSelector: { matchLabels: { app: 'x' } },
      egress: [
        { toFQDNs: [{ matchName: 'api.payments.example' }, { matchPattern: '*.s3.amazonaws.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      ],
    })];
    const net = NetworkAnalysis.fromManifests([...BASE, ...objects]);
    expect(net.matrix().filter((l) => l.src === 'a/x[Deployment]')).toEqual([
      { src: 'a/x[Deployment]', dst: '*.s3.amazonaws.com[FQDN]', conn: 'TCP 443' },
      { src: 'a/x[Deployment]', dst: 'api.payments.example[FQDN]', conn: 'TCP 443' },
    ]);
    expect(net.isAllowed({ from: 'a/x', to: 'bucket.s3.amazonaws.com[FQDN]', port: 443 })).toBe(true);
    expect(net.isAllowed({ from: 'a/x', to: 'a.b.s3.amazonaws.com[FQDN]', port: 443 })).toBe(false);
    expect(net.isAllowed({ from: 'a/x', to: 'api.payments.example', port: 80 })).toBe(false);
  });
  test('parts not modelled are warnings naming the policy and the field', () => {
    const net = NetworkAnalysis.fromManifests([...BASE, cnp('a', 'l7', {
      endpointSelector: {},
      egress: [
        { toEndpoints: [{}], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] },
        { toServices: [{ k8sService: { serviceName: 's', namespace: 'a' } }] },
        { toEntities: ['kube-apiserver'] },
      ],
    })]);
    expect(net.warnings()).toEqual([
      'CiliumNetworkPolicy a/l7 spec.egress[0].toPorts[0].rules (L7: http) are not modelled; the ports count as open',
      'CiliumNetworkPolicy a/l7 spec.egress[1].toServices is not modelled; it matches nothing here',
      'CiliumNetworkPolicy a/l7 spec.egress[2].toEntities "kube-apiserver" is not modelled (only world, cluster and all are); it matches nothing here',
    ]);
  });
});

describe('ClusterGuardrails and Cilium egress by name, analysed from the app', () => {
  function app(api: GuardrailApi) {
    const a = Testing.app();
    const chart = new Chart(a, 'guardrails', { disableResourceNameHashes: true });
    new ClusterGuardrails(chart, 'G', { api }).allowMonitoring({ namespace: 'monitoring', ports: [Port.tcp(9090)] });
    return [...Testing.synth(chart), ns('monitoring'), ns('kube-system'), deploy('monitoring', 'prom', { app: 'prom' }),
      deploy('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }), ...BASE];
  }
  for (const api of [GuardrailApi.ADMIN_NETWORK_POLICY, GuardrailApi.CLUSTER_NETWORK_POLICY]) {
    test(`${api}: metadata denied, DNS and monitoring allowed, the rest denied by the baseline`, () => {
      const net = NetworkAnalysis.fromManifests(app(api));
      expect(net.isAllowed({ from: 'a/x', to: '169.254.169.254', port: 80 })).toBe(false);
      expect(net.isAllowed({ from: 'a/x', to: 'kube-system/coredns', port: 53, protocol: 'UDP' })).toBe(true);
      expect(net.isAllowed({ from: 'monitoring/prom', to: 'a/x', port: 9090 })).toBe(true);
      expect(net.isAllowed({ from: 'a/x', to: 'b/y', port: 80 })).toBe(false);
      expect(net.warnings()).toEqual([]);
    });
  }

  test('the same guardrails as CiliumClusterwideNetworkPolicies mean the same', () => {
    const a = Testing.app();
    const chart = new Chart(a, 'guardrails', { disableResourceNameHashes: true });
    PolicyEngine.use(chart, PolicyEngine.cilium());
    new ClusterGuardrails(chart, 'G', {}).allowMonitoring({ namespace: 'monitoring', ports: [Port.tcp(9090)] });
    const net = NetworkAnalysis.fromManifests([...Testing.synth(chart), ns('monitoring'), ns('kube-system'), deploy('monitoring', 'prom', { app: 'prom' }),
      deploy('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }), ...BASE]);
    expect(net.isAllowed({ from: 'a/x', to: '169.254.169.254', port: 80 })).toBe(false);
    expect(net.isAllowed({ from: 'a/x', to: 'kube-system/coredns', port: 53, protocol: 'UDP' })).toBe(true);
    expect(net.isAllowed({ from: 'monitoring/prom', to: 'a/x', port: 9090 })).toBe(true);
    expect(net.isAllowed({ from: 'a/x', to: 'b/y', port: 80 })).toBe(false);
  });
});

describe('cdk8s-net graph and reach with FQDN destinations', () => {
  const objects = [ns('shop'), deploy('shop', 'api', { app: 'api' }),
    cnp('shop', 'api-fqdn', { endpointSelector: { matchLabels: { app: 'api' } }, egress: [{ toFQDNs: [{ matchName: 'api.payments.example' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }] })];
  const stdin = objects.map((o) => JSON.stringify(o)).join('\n---\n');
  test('graph draws the name as an external node', async () => {
    const r = await cliWith({ stdin }, 'graph', '-', '--format', 'mermaid');
    expect(r.stdout).toContain('ip1{{"api.payments.example"}}');
    expect(r.stdout).toContain('w0 -->|"TCP 443"| ip1');
  });
  test('reach --to a name lists who reaches it', async () => {
    const r = await cliWith({ stdin }, 'reach', '-', '--to', 'api.payments.example');
    expect(r.stdout).toBe('shop/api[Deployment] => api.payments.example[FQDN] : TCP 443\n');
  });
});

describe('cdk8s-net reach lists FQDN destinations', () => {
  test('shop/api[Deployment] => api.payments.example[FQDN] : TCP 443', async () => {
    const objects = [ns('shop'), deploy('shop', 'api', { app: 'api' }),
      netpol('shop', 'api', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'] }),
      cnp('shop', 'api-fqdn', { endpointSelector: { matchLabels: { app: 'api' } }, egress: [{ toFQDNs: [{ matchName: 'api.payments.example' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }] })];
    const r = await cliWith({ stdin: objects.map((o) => JSON.stringify(o)).join('\n---\n') }, 'reach', '-', '--from', 'shop/api');
    expect(r.stdout).toBe('shop/api[Deployment] => api.payments.example[FQDN] : TCP 443\n');
    expect(r.stderr).toBe('');
  });
});

describe('jest helpers see guardrails and Cilium names', () => {
  test('expect(app).toDenyConnection to the metadata endpoint, toAllowConnection to a name under Cilium', () => {
    const a = Testing.app();
    const chart = new Chart(a, 'shop', { disableResourceNameHashes: true });
    PolicyEngine.use(chart, PolicyEngine.cilium());
    const shop = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
    const api = new SecureService(chart, 'Api', { namespace: shop, image: 'ghcr.io/acme/api:1.4.2', port: 8080 });
    api.allowTo(new ExternalDependency(chart, 'Payments', { namespace: shop, hostname: 'api.payments.example', ports: [{ name: 'https', port: 443 }] }));
    const guardrails = new Chart(a, 'guardrails', { disableResourceNameHashes: true });
    new ClusterGuardrails(guardrails, 'G', {});
    expect(a).toDenyConnection(api, Peer.ipBlock('169.254.169.254/32'), Port.tcp(80));
    const net = NetworkAnalysis.fromApp(a);
    expect(net.isAllowed({ from: 'shop/api', to: 'api.payments.example[FQDN]', port: 443 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/api', to: 'api.payments.example[FQDN]', port: 80 })).toBe(false);
    expect(net.isAllowed({ from: 'shop/api', to: 'other.example[FQDN]', port: 443 })).toBe(false);
  });
});

describe('the matrix with tiers lists exactly the pairs a full evaluation allows', () => {
  test('guardrails over NetworkPolicies and unisolated namespaces: every workload pair checked one by one', () => {
    const a = Testing.app();
    const chart = new Chart(a, 'guardrails', { disableResourceNameHashes: true });
    new ClusterGuardrails(chart, 'G', { cloudMetadataAllowedNamespaces: ['c'] }).allowMonitoring({ namespace: 'monitoring', ports: [Port.tcp(9090)] });
    const objects = [...Testing.synth(chart), ns('monitoring'), ns('kube-system'), deploy('monitoring', 'prom', { app: 'prom' }),
      deploy('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }), ...BASE,
      netpol('a', 'x', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { [NS]: 'b' } } }] }] }),
      anp('pass-b', 1, inNs('b'), { egress: [{ name: 'allow-c', action: 'Allow', to: [inNs('c')], ports: [tcp(80)] }] })];
    const net = NetworkAnalysis.fromManifests(objects);
    const ids = net.workloads().map((w) => w.id);
    const full = ids.flatMap((from) => ids.filter((to) => to !== from).map((to) => ({ src: from, dst: to, conn: net.allowedConnections(from, to) })))
      .filter((l) => l.conn !== '');
    expect(net.matrix().filter((l) => !l.src.endsWith('[External]') && !l.dst.endsWith('[External]'))).toEqual(full);
    expect(full.length).toBeGreaterThan(3);
  });
});

describe('diff sees tiers', () => {
  test('adding an AdminNetworkPolicy Deny shows exactly the removed ports', () => {
    const before = NetworkAnalysis.fromManifests(BASE);
    const after = NetworkAnalysis.fromManifests([...BASE, anp('deny', 1, inNs('b'), { ingress: [{ name: 'deny-a-80', action: 'Deny', from: [inNs('a')], ports: [tcp(80)] }] })]);
    const d = before.diff(after);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([{ src: 'a/x[Deployment]', dst: 'b/y[Deployment]', conn: 'TCP 80' }]);
  });
});
