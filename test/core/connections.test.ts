import { Chart } from 'cdk8s';
import { DenyAllNamespace, ExternalDependency, NamespaceRef, Peer, Port, SecureService, WorkloadPolicy } from '../../src';
import { NetworkAnalysis } from '../../src/analysis';
import { newChart, one, synth } from '../util/synth';

const IMAGE = 'ghcr.io/acme/app:1.0.0';
const DNS_RULES = 1; // every SecureService policy starts with its DNS egress rule
const pods = (name: string) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name } } });
const inNamespace = (ns: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } });

/** web and api in namespace `shop`; api listens on http (Service 80 -> pod 8080) and metrics 9090. */
function shop(chart: Chart = newChart('test', 'shop')) {
  const web = new SecureService(chart, 'Web', { image: IMAGE, port: 8080 });
  const api = new SecureService(chart, 'Api', {
    image: IMAGE,
    ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }],
  });
  return { chart, web, api };
}

const policy = (objects: any[], name: string) => one(objects, 'NetworkPolicy', name).spec;
const egress = (objects: any[], name: string) => policy(objects, name).egress.slice(DNS_RULES);
const ingress = (objects: any[], name: string) => policy(objects, name).ingress;

describe('allowTo and allowFrom', () => {
  test('a.allowTo(b) and b.allowFrom(a) produce identical manifests', () => {
    const one1 = shop();
    one1.web.allowTo(one1.api);
    const two = shop();
    two.api.allowFrom(two.web);
    expect(synth(one1.chart)).toEqual(synth(two.chart));
  });

  test('one statement writes the egress rule on the source and the ingress rule on the destination', () => {
    const { chart, web, api } = shop();
    web.allowTo(api, Port.named('http'));
    const objects = synth(chart);
    expect(egress(objects, 'web')).toEqual([{ to: [pods('api')], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(ingress(objects, 'api')).toEqual([{ from: [pods('web')], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(ingress(objects, 'web')).toEqual([]);
    expect(egress(objects, 'api')).toEqual([]);
  });

  test('without ports, the connection is allowed on every container port of the destination (not its Service ports)', () => {
    const { chart, web, api } = shop();
    web.allowTo(api);
    const expected = [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9090 }];
    const objects = synth(chart);
    expect(egress(objects, 'web')[0].ports).toEqual(expected);
    expect(ingress(objects, 'api')[0].ports).toEqual(expected);
  });

  test("Port.named resolves to the destination's container port number", () => {
    const { chart, web, api } = shop();
    web.allowTo(api, Port.named('metrics'));
    expect(ingress(synth(chart), 'api')[0].ports).toEqual([{ protocol: 'TCP', port: 9090 }]);
  });

  test('a service connected to itself lets its own pods reach each other, on its own policy', () => {
    const { chart, api } = shop();
    api.allowFrom(api, Port.named('http'));
    const objects = synth(chart);
    expect(egress(objects, 'api')).toEqual([{ to: [pods('api')], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(ingress(objects, 'api')).toEqual([{ from: [pods('api')], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    const net = NetworkAnalysis.fromManifests(objects);
    expect(net.isAllowed({ from: 'shop/api', to: 'shop/api', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/api', to: 'shop/api', port: 9090 })).toBe(false);
  });

  test('Port.allTraffic() writes a rule without ports', () => {
    const { chart, web, api } = shop();
    web.allowTo(api, Port.allTraffic());
    const objects = synth(chart);
    expect(egress(objects, 'web')).toEqual([{ to: [pods('api')] }]);
    expect(ingress(objects, 'api')).toEqual([{ from: [pods('web')] }]);
  });

  test('the connections property is the same statement as the construct method', () => {
    const a = shop();
    a.web.connections.allowTo(a.api, Port.named('http'));
    const b = shop();
    b.web.allowTo(b.api, Port.named('http'));
    expect(synth(a.chart)).toEqual(synth(b.chart));
  });

  test('the reachability engine agrees: web reaches api on 8080 only, and nothing else changes', () => {
    const { chart, web, api } = shop();
    web.allowTo(api, Port.named('http'));
    const net = NetworkAnalysis.fromManifests(synth(chart));
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', port: 9090 })).toBe(false);
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', port: 80 })).toBe(false);
    expect(net.isAllowed({ from: 'shop/api', to: 'shop/web', port: 8080 })).toBe(false);
  });
});

describe('peers and namespaces', () => {
  test('pods in the same namespace are named by podSelector only', () => {
    const { chart, web, api } = shop();
    web.allowTo(api);
    expect(ingress(synth(chart), 'api')[0].from).toEqual([pods('web')]);
  });

  test('pods in another namespace are ONE peer with namespaceSelector AND podSelector', () => {
    const chart = newChart();
    const shopNs = new DenyAllNamespace(chart, 'Shop');
    const ops = new DenyAllNamespace(chart, 'Ops');
    const web = new SecureService(chart, 'Web', { image: IMAGE, port: 8080, namespace: ops });
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080, namespace: shopNs });
    web.allowTo(api);
    const objects = synth(chart);
    expect(egress(objects, 'web')[0].to).toEqual([{ ...inNamespace('shop'), ...pods('api') }]);
    expect(ingress(objects, 'api')[0].from).toEqual([{ ...inNamespace('ops'), ...pods('web') }]);
    const net = NetworkAnalysis.fromManifests(objects);
    expect(net.isAllowed({ from: 'ops/web', to: 'shop/api', port: 8080 })).toBe(true);
  });

  test.each<[string, () => any, any]>([
    ['Peer.namespace', () => Peer.namespace('monitoring'), inNamespace('monitoring')],
    ['NamespaceRef.named', () => NamespaceRef.named('monitoring'), inNamespace('monitoring')],
    ['Peer.namespaces', () => Peer.namespaces({ labels: { team: 'obs' } }), { namespaceSelector: { matchLabels: { team: 'obs' } } }],
    ['Peer.allPodsInCluster', () => Peer.allPodsInCluster(), { namespaceSelector: {} }],
    ['Peer.pods in the policy namespace', () => Peer.pods({ labels: { app: 'prom' } }), { podSelector: { matchLabels: { app: 'prom' } } }],
    ['Peer.pods naming the policy namespace', () => Peer.pods({ labels: { app: 'prom' }, namespace: 'shop' }), { podSelector: { matchLabels: { app: 'prom' } } }],
    ['Peer.pods in another namespace', () => Peer.pods({ labels: { app: 'prom' }, namespace: 'ops' }),
      { ...inNamespace('ops'), podSelector: { matchLabels: { app: 'prom' } } }],
    ['Peer.ipBlock', () => Peer.ipBlock('203.0.113.0/24', ['203.0.113.128/25']), { ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }],
    ['Peer.anyIpv4', () => Peer.anyIpv4(), { ipBlock: { cidr: '0.0.0.0/0' } }],
    ['Peer.anyIpv6', () => Peer.anyIpv6(['fd00::/8']), { ipBlock: { cidr: '::/0', except: ['fd00::/8'] } }],
  ])('%s writes only our side, as a single peer', (_name, makePeer, expectedPeer) => {
    const { chart, api } = shop();
    const before = synth(chart).length;
    api.allowFrom(makePeer(), Port.named('metrics'));
    api.allowTo(makePeer(), Port.HTTPS);
    const objects = synth(chart);
    expect(objects).toHaveLength(before);
    expect(ingress(objects, 'api')).toEqual([{ from: [expectedPeer], ports: [{ protocol: 'TCP', port: 9090 }] }]);
    expect(egress(objects, 'api')).toEqual([{ to: [expectedPeer], ports: [{ protocol: 'TCP', port: 443 }] }]);
    expect(ingress(objects, 'web')).toEqual([]);
  });

  test('a named port to an unmanaged peer is written as a name, for Kubernetes to resolve', () => {
    const { chart, api } = shop();
    api.allowTo(Peer.namespace('ops'), Port.named('grpc'));
    expect(egress(synth(chart), 'api')[0].ports).toEqual([{ protocol: 'TCP', port: 'grpc' }]);
  });

  test("a peer's own connections write the rule on the managed end", () => {
    const { chart, api } = shop();
    Peer.ipBlock('198.51.100.0/24').connections.allowTo(api, Port.named('http'));
    expect(ingress(synth(chart), 'api')).toEqual([{ from: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
  });

  // No construct owns a Peer or a NamespaceRef: a refused call on its own connections starts with
  // the call the user made (the STYLE rule for value classes), not with the path of the other end.
  const NOT_LISTENING = 'SecureService shop/api does not listen on TCP 9999; its container ports are TCP 8080, TCP 9090. '
    + 'NetworkPolicies match the pod port, not the Service port: use one of these or Port.named(...).';
  const PASS_PORTS = "pass Port values, e.g. Port.tcp(443) or Port.named('http'), or no port for every port.";
  const PASS_OTHER = "pass a workload of this library (e.g. a SecureService), a namespace, or a Peer such as Peer.namespace('monitoring').";
  test.each<[string, (api: SecureService, chart: Chart) => void, string]>([
    ['Peer.ipBlock: a port api does not listen on', (api) => Peer.ipBlock('198.51.100.0/24').connections.allowTo(api, Port.tcp(9999)),
      `Peer.ipBlock('198.51.100.0/24').connections.allowTo(shop/api): ${NOT_LISTENING}`],
    ['Peer.ipBlock with except: a port that is not a Port', (api) => Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']).connections.allowTo(api, 'x' as any),
      `Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']).connections.allowTo(shop/api): ports[0] is the string "x"; ${PASS_PORTS}`],
    ['Peer.ipBlock: other is not connectable', () => Peer.ipBlock('10.0.0.0/8').connections.allowTo('api' as any),
      `Peer.ipBlock('10.0.0.0/8').connections.allowTo('api'): other is the string "api"; ${PASS_OTHER}`],
    ['Peer.anyIpv4: a port api does not listen on', (api) => Peer.anyIpv4().connections.allowTo(api, Port.tcp(9999)),
      `Peer.anyIpv4().connections.allowTo(shop/api): ${NOT_LISTENING}`],
    ['NamespaceRef.named: a port api does not listen on', (api) => NamespaceRef.named('ops').connections.allowTo(api, Port.tcp(9999)),
      `NamespaceRef.named('ops').connections.allowTo(shop/api): ${NOT_LISTENING}`],
    ['NamespaceRef.named: Port.allTraffic() next to a port', (api) => NamespaceRef.named('ops').connections.allowFrom(api, Port.tcp(8080), Port.allTraffic()),
      "NamespaceRef.named('ops').connections.allowFrom(shop/api): ports[1] is Port.allTraffic(), which allows every port of every protocol, next to TCP 8080; "
      + 'give Port.allTraffic() alone for every port, or leave it out to allow only TCP 8080.'],
    ['NamespaceRef.named: two ends no policy manages', () => NamespaceRef.named('ops').connections.allowTo(Peer.ipBlock('10.0.0.0/8')),
      "NamespaceRef.named('ops').connections.allowTo(10.0.0.0/8): neither end is managed by this library, so there is no policy to write the rule into."],
    ['NamespaceRef.named: a destination-only end as the source', (_api, chart) => NamespaceRef.named('ops').connections.allowFrom(
      new ExternalDependency(chart, 'Payments', { addresses: ['203.0.113.10'], ports: [{ name: 'https', port: 443 }] })),
    "NamespaceRef.named('ops').connections.allowFrom(external:shop/payments): ExternalDependency external:shop/payments is a destination only; "
      + 'it cannot open connections to ns:ops. To accept connections from outside the cluster, use allowFrom(Peer.ipBlock(...)) on the workload.'],
    ['Peer.ipBlock: a port name api does not have', (api) => Peer.ipBlock('198.51.100.0/24').connections.allowTo(api, Port.named('grpc')),
      "Peer.ipBlock('198.51.100.0/24').connections.allowTo(shop/api): SecureService shop/api has no TCP port named \"grpc\"; its ports are http, metrics."],
    ['Peer.namespace: a port that is not a Port', (api) => Peer.namespace('ops').connections.allowTo(api, 'x' as any),
      `Peer.namespace('ops').connections.allowTo(shop/api): ports[0] is the string "x"; ${PASS_PORTS}`],
    ['Peer.pods: a port api does not listen on', (api) => Peer.pods({ labels: { 'app': 'batch', 'app.kubernetes.io/part-of': 'shop' }, namespace: 'ops' })
      .connections.allowTo(api, Port.tcp(9999)),
    `Peer.pods({ labels: { app: 'batch', 'app.kubernetes.io/part-of': 'shop' }, namespace: 'ops' }).connections.allowTo(shop/api): ${NOT_LISTENING}`],
  ])("a refused call on a value's own connections names that call and the field: %s", (_description, call, message) => {
    const { chart, api } = shop();
    expect(() => call(api, chart)).toThrow(new Error(message));
  });

  test('a DenyAllNamespace as a peer from another namespace is a namespaceSelector only', () => {
    const chart = newChart();
    const shopNs = new DenyAllNamespace(chart, 'Shop');
    const monitoring = new DenyAllNamespace(chart, 'Monitoring');
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080, namespace: shopNs });
    api.allowFrom(monitoring);
    const objects = synth(chart);
    expect(ingress(objects, 'api')[0].from).toEqual([inNamespace('monitoring')]);
    const allow = one(objects, 'NetworkPolicy', 'allow-connections');
    expect(allow.metadata.namespace).toBe('monitoring');
    expect(allow.spec.egress).toEqual([{ to: [{ ...inNamespace('shop'), ...pods('api') }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
  });

  test('a DenyAllNamespace as a peer from its own namespace is podSelector {} (every pod of it)', () => {
    const chart = newChart();
    const shopNs = new DenyAllNamespace(chart, 'Shop');
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080, namespace: shopNs });
    api.allowFrom(shopNs);
    expect(ingress(synth(chart), 'api')[0].from).toEqual([{ podSelector: {} }]);
  });

  test('ns.allowTo(api) writes an allow-connections policy over every pod of the namespace', () => {
    const chart = newChart();
    const shopNs = new DenyAllNamespace(chart, 'Shop');
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080, namespace: shopNs });
    shopNs.allowTo(api);
    const objects = synth(chart);
    const allow = one(objects, 'NetworkPolicy', 'allow-connections');
    expect(allow.metadata.namespace).toBe('shop');
    expect(allow.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [{ to: [pods('api')], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
    expect(ingress(objects, 'api')[0].from).toEqual([{ podSelector: {} }]);
  });
});

describe('repeated and late connections', () => {
  test('repeated calls merge ports into one rule per peer without duplicates', () => {
    const { chart, web, api } = shop();
    web.allowTo(api, Port.named('http'));
    web.allowTo(api, Port.tcp(8080));
    api.allowFrom(web, Port.named('metrics'));
    web.allowTo(api);
    const objects = synth(chart);
    const ports = [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9090 }];
    expect(egress(objects, 'web')).toEqual([{ to: [pods('api')], ports }]);
    expect(ingress(objects, 'api')).toEqual([{ from: [pods('web')], ports }]);
  });

  test('allowing all traffic after some ports widens the one rule to every port', () => {
    const { chart, web, api } = shop();
    web.allowTo(api, Port.named('http'));
    web.allowTo(api, Port.allTraffic());
    web.allowTo(api, Port.named('metrics'));
    expect(ingress(synth(chart), 'api')).toEqual([{ from: [pods('web')] }]);
  });

  test('different peers get separate rules, in the order they were allowed', () => {
    const { chart, web, api } = shop();
    api.allowFrom(web, Port.named('http'));
    api.allowFrom(Peer.namespace('monitoring'), Port.named('metrics'));
    expect(ingress(synth(chart), 'api').map((r: any) => r.from)).toEqual([[pods('web')], [inNamespace('monitoring')]]);
  });

  test('connections declared after other constructs are created still appear (rules are written lazily)', () => {
    const { chart, web, api } = shop();
    const db = new SecureService(chart, 'Db', { image: IMAGE, ports: [{ name: 'pg', port: 5432 }] });
    new DenyAllNamespace(chart, 'Later');
    api.allowTo(db);
    web.allowTo(api, Port.named('http'));
    const objects = synth(chart);
    expect(ingress(objects, 'db')).toEqual([{ from: [pods('api')], ports: [{ protocol: 'TCP', port: 5432 }] }]);
    expect(ingress(objects, 'api')).toEqual([{ from: [pods('web')], ports: [{ protocol: 'TCP', port: 8080 }] }]);
  });
});

describe('peer ids', () => {
  test('Peer.allPodsInCluster() and a service named "cluster" without a namespace are two peers with two rules', () => {
    const chart = newChart();
    const target = new SecureService(chart, 'Target', { image: IMAGE, port: 80, allowPrivilegedPorts: true });
    const cluster = new SecureService(chart, 'Cluster', { image: IMAGE, port: 8080 });
    target.allowFrom(cluster);
    target.allowFrom(Peer.allPodsInCluster());
    expect(ingress(synth(chart), 'target').map((r: any) => r.from)).toEqual([
      [pods('cluster')],
      [{ namespaceSelector: {} }],
    ]);
  });

  test('a construct id with accented letters gives a transliterated name', () => {
    const chart = newChart();
    expect(new SecureService(chart, 'CaféApi', { image: IMAGE, port: 8080 }).name).toBe('cafe-api');
  });
});

describe('arguments are checked once, at the public entry', () => {
  // allowTo/allowFrom check the peer and the ports (checkConnectArgs in core/connections.ts); the
  // rules they write on both WorkloadPolicies are not checked a second time. WorkloadPolicy's own
  // addIngressRule/addEgressRule, a public entry too, still check.
  const checks = () => jest.spyOn(WorkloadPolicy.prototype as any, 'checkRuleArgs');
  afterEach(() => jest.restoreAllMocks());

  test("a.allowTo(b), a.allowFrom(b) and a namespace's allowTo write their rules without checking them again", () => {
    const { chart, web, api } = shop();
    const ns = new DenyAllNamespace(chart, 'Ops', { name: 'ops' });
    const spy = checks();
    web.allowTo(api, Port.named('http'));
    api.allowFrom(web, Port.tcp(9090));
    ns.allowTo(api, Port.tcp(9090));
    expect(spy).not.toHaveBeenCalled();
    const objects = synth(chart);
    expect(egress(objects, 'web')).toHaveLength(1);
    expect(ingress(objects, 'api')).toHaveLength(2);
    expect(policy(objects, 'allow-connections').egress).toHaveLength(1);
  });

  test('WorkloadPolicy.addEgressRule still checks its arguments, with the same message', () => {
    const chart = newChart('test');
    const p = new WorkloadPolicy(chart, 'P', { name: 'p', podSelector: {} });
    const spy = checks();
    p.addEgressRule(Peer.namespace('db'), [Port.tcp(5432)]);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(() => p.addEgressRule(Peer.namespace('db'), ['5432' as any])).toThrow(/^test\/P: WorkloadPolicy.addEgressRule: ports\[0\]/);
  });
});
