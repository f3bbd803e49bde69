/*
 * Egress to DNS names: `client.allowTo(dependency)` written by the chosen policy engine.
 *
 * Cilium (v1.18): toFQDNs matchName/matchPattern with toPorts, and the DNS rule the DNS proxy needs
 * to learn the names' addresses: docs.cilium.io/en/v1.18/security/policy/language/#dns-based
 * ("DNS Proxy ... In order for toFQDNs rules to work, a L7 DNS rule is required on the egress
 * to the DNS server"); matchPattern "*.cilium.io" matches one label below (CRD field doc,
 * ../shared/crds/cilium, CiliumNetworkPolicy spec.egress.toFQDNs.matchPattern).
 * Cilium combines its policies with NetworkPolicies (a connection is allowed when any policy
 * allows it): docs.cilium.io/en/v1.18/network/kubernetes/policy/.
 * Istio: ServiceEntry hosts/ports/resolution/location (istio.io/latest/docs/reference/config/
 * networking/service-entry/); Sidecar outboundTrafficPolicy REGISTRY_ONLY
 * (istio.io/latest/docs/reference/config/networking/sidecar/#OutboundTrafficPolicy-Mode).
 * Every object is schema-checked by synth() against the committed CRD imports.
 */
import { DenyAllNamespace, NetworkAnalysis, Peer, PolicyEngine, Port, SecureService, ServiceMesh } from '../../src';
import { ExternalDependency, ExternalDependencyProps } from '../../src/external/external-dependency';
import { expectRefusedAtConstruction, errorWhereUsed } from '../util/bad-input';
import { newChart, ofKind, one, synth } from '../util/synth';

const HTTPS = [{ name: 'https', port: 443 }];

function shop(engine?: PolicyEngine, mesh?: ServiceMesh) {
  const chart = newChart();
  if (engine) PolicyEngine.use(chart, engine);
  const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop', mesh });
  const api = new SecureService(chart, 'Api', { namespace: ns, image: 'ghcr.io/acme/api:1.4.2', port: 8080 });
  return { chart, ns, api };
}

function dep(s: ReturnType<typeof shop>, props: Partial<ExternalDependencyProps>, id = 'Payments') {
  return new ExternalDependency(s.chart, id, { namespace: s.ns, ports: HTTPS, ...props } as ExternalDependencyProps);
}

describe('Cilium: egress to exactly the name', () => {
  const s = shop(PolicyEngine.cilium());
  s.api.allowTo(dep(s, { hostname: 'api.payments.example' }));
  s.api.allowTo(dep(s, { hostname: '*.s3.amazonaws.com', ports: [{ name: 'https', port: 443 }] }, 'Buckets'));
  const objects = synth(s.chart);
  const cnp = one(objects, 'CiliumNetworkPolicy');

  test('one CiliumNetworkPolicy next to the workload\'s NetworkPolicy selects the same pods', () => {
    const np = one(objects, 'NetworkPolicy', 'api');
    expect(cnp.apiVersion).toBe('cilium.io/v2');
    expect(cnp.metadata).toMatchObject({ name: 'api-fqdn', namespace: 'shop' });
    expect(cnp.spec.endpointSelector).toEqual(np.spec.podSelector);
  });

  test('each name is a toFQDNs rule on its ports: matchName, or matchPattern for a wildcard', () => {
    expect(cnp.spec.egress.slice(1)).toEqual([
      { toFQDNs: [{ matchPattern: '*.s3.amazonaws.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      { toFQDNs: [{ matchName: 'api.payments.example' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
    ]);
  });

  test('the DNS proxy rule: egress to kube-dns on 53 (UDP and TCP) with rules.dns', () => {
    expect(cnp.spec.egress[0]).toEqual({
      toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }],
      toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
    });
  });

  test('the NetworkPolicy opens no address for the names (no ipBlock), and no Service is written for a wildcard', () => {
    const np = one(objects, 'NetworkPolicy', 'api');
    expect(JSON.stringify(np.spec.egress)).not.toContain('ipBlock');
    expect(ofKind(objects, 'Service').map((o) => o.metadata.name)).toEqual(['api', 'payments']);
  });

  test('egressTo given as well is still written to the NetworkPolicy (nothing silently dropped)', () => {
    const t = shop(PolicyEngine.cilium());
    t.api.allowTo(dep(t, { hostname: 'api.payments.example', egressTo: [Peer.ipBlock('203.0.113.0/24')] }));
    const out = synth(t.chart);
    expect(JSON.stringify(one(out, 'NetworkPolicy', 'api').spec.egress)).toContain('203.0.113.0/24');
    expect(one(out, 'CiliumNetworkPolicy').spec.egress[1].toFQDNs).toEqual([{ matchName: 'api.payments.example' }]);
  });

  test('the DNS rule follows PolicyEngine.cilium({ dnsNamespace, dnsPodLabels, dnsPort })', () => {
    const t = shop(PolicyEngine.cilium({ dnsNamespace: 'dns', dnsPodLabels: { app: 'coredns' }, dnsPort: 5353 }));
    t.api.allowTo(dep(t, { hostname: 'api.payments.example' }));
    expect(one(synth(t.chart), 'CiliumNetworkPolicy').spec.egress[0]).toEqual({
      toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'dns', 'app': 'coredns' } }],
      toPorts: [{ ports: [{ port: '5353', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
    });
  });
});

describe('engines that cannot name a host refuse, saying why', () => {
  test('kubernetes (default): NetworkPolicy cannot, and the Cilium engine is suggested', () => {
    const s = shop();
    const d = dep(s, { hostname: 'api.payments.example' });
    expect(() => s.api.allowTo(d)).toThrow(/test\/Payments: allowTo\(external:shop\/payments\): ExternalDependency.egressTo is not set, and NetworkPolicy cannot allow egress to a DNS name \("api.payments.example"\).*PolicyEngine.cilium\(\)/);
  });

  test('calico: its open-source edition has no DNS policy', () => {
    const s = shop(PolicyEngine.calico());
    const d = dep(s, { hostname: 'api.payments.example' });
    expect(() => s.api.allowTo(d)).toThrow(/Calico's open-source edition has no DNS policy \(domain names in Calico policies are a Calico Enterprise\/Cloud feature\) \("api.payments.example"\)/);
  });

  test('a malformed wildcard is refused naming the field', () => {
    expectRefusedAtConstruction((chart) => new ExternalDependency(chart, 'Bad', { hostname: 'api.*.example', ports: HTTPS }),
      'test/Bad: ExternalDependency.hostname "api.*.example" is not a wildcard this library writes; a wildcard replaces the whole first label and stands above a registered domain: \'*.s3.amazonaws.com\'.');
    expectRefusedAtConstruction((chart) => new ExternalDependency(chart, 'Bad', { hostname: '*.com', ports: HTTPS }),
      'test/Bad: ExternalDependency.hostname "*.com" is not a wildcard this library writes; a wildcard replaces the whole first label and stands above a registered domain: \'*.s3.amazonaws.com\'.');
  });

  test('a wildcard has no in-cluster name: fqdn says so', () => {
    const s = shop(PolicyEngine.cilium());
    const d = dep(s, { hostname: '*.s3.amazonaws.com' });
    expect(() => d.fqdn).toThrow(/is a wildcard, which has no Service and so no in-cluster name/);
  });

  test('PolicyEngine.cilium options are checked', () => {
    expect(errorWhereUsed(() => PolicyEngine.cilium({ dnsNamespace: 'Kube_System' }))).toMatch(/^test: PolicyEngine.use\(engine\): PolicyEngine.cilium: dnsNamespace "Kube_System" is not a namespace name/);
    expect(errorWhereUsed(() => PolicyEngine.cilium({ dnsPort: 0 }))).toMatch(/^test: PolicyEngine.use\(engine\): PolicyEngine.cilium: dnsPort 0 is not a port/);
    expect(errorWhereUsed(() => PolicyEngine.cilium({ dnsPodLabels: {} }))).toMatch(/^test: PolicyEngine.use\(engine\): PolicyEngine.cilium: dnsPodLabels is empty/);
  });
});

describe('Istio: an external host becomes a ServiceEntry; the namespace may reach only registered hosts', () => {
  const s = shop(PolicyEngine.cilium(), ServiceMesh.istio({ restrictOutboundToRegistry: true }));
  s.api.allowTo(dep(s, { hostname: 'api.payments.example', ports: [{ name: 'https', port: 443 }, { name: 'http', port: 80 }] }));
  const objects = synth(s.chart);

  test('ServiceEntry: hosts, ports, resolution DNS, MESH_EXTERNAL, visible in the namespace only', () => {
    const se = one(objects, 'ServiceEntry');
    expect(se.apiVersion).toMatch(/^networking\.istio\.io\//);
    expect(se.metadata).toMatchObject({ name: 'external-api.payments.example', namespace: 'shop' });
    expect(se.spec).toEqual({
      hosts: ['api.payments.example'],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      exportTo: ['.'],
      ports: [{ number: 80, name: 'http-80', protocol: 'HTTP' }, { number: 443, name: 'tls-443', protocol: 'TLS' }],
    });
  });

  test('Sidecar default of the namespace: outboundTrafficPolicy REGISTRY_ONLY', () => {
    expect(one(objects, 'Sidecar').metadata).toMatchObject({ name: 'default', namespace: 'shop' });
    expect(one(objects, 'Sidecar').spec).toEqual({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
  });

  test('the engine still writes the name (Cilium toFQDNs): mesh and CNI enforce it together', () => {
    expect(one(objects, 'CiliumNetworkPolicy').spec.egress[1].toFQDNs).toEqual([{ matchName: 'api.payments.example' }]);
  });

  test('two clients in one namespace share one ServiceEntry; a wildcard resolves NONE (DNS cannot resolve a pattern)', () => {
    const t = shop(PolicyEngine.cilium(), ServiceMesh.istio());
    const web = new SecureService(t.chart, 'Web', { namespace: t.ns, image: 'ghcr.io/acme/web:2.0.0', port: 8080 });
    const d = dep(t, { hostname: 'api.payments.example' });
    const b = dep(t, { hostname: '*.s3.amazonaws.com' }, 'Buckets');
    t.api.allowTo(d);
    web.allowTo(d);
    t.api.allowTo(b);
    const out = synth(t.chart);
    expect(ofKind(out, 'ServiceEntry').map((o) => [o.metadata.name, o.spec.resolution])).toEqual([
      ['external-api.payments.example', 'DNS'], ['external-any.s3.amazonaws.com', 'NONE'],
    ]);
    expect(ofKind(out, 'Sidecar')).toEqual([]);
  });

  test('a workload joining the mesh on its own gets its own Sidecar (workloadSelector) and the ServiceEntry in its namespace', () => {
    const chart = newChart('test', 'shop');
    PolicyEngine.use(chart, PolicyEngine.cilium());
    const api = new SecureService(chart, 'Api', { image: 'ghcr.io/acme/api:1.4.2', port: 8080, mesh: { mesh: ServiceMesh.istio({ restrictOutboundToRegistry: true }) } });
    api.allowTo(new ExternalDependency(chart, 'Payments', { hostname: 'api.payments.example', ports: HTTPS }));
    const out = synth(chart);
    expect(one(out, 'Sidecar').spec).toEqual({
      workloadSelector: { labels: one(out, 'Deployment').spec.selector.matchLabels },
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
    expect(one(out, 'ServiceEntry').metadata.namespace).toBe('shop');
  });

  test('restrictOutboundToRegistry is refused in ambient mode (no Sidecar resource there)', () => {
    expect(errorWhereUsed(() => ServiceMesh.istio({ restrictOutboundToRegistry: true, dataplaneMode: 'ambient' as any })))
      .toMatch(/^test\/Ns: DenyAllNamespace.mesh: ServiceMesh.istio: restrictOutboundToRegistry is set with dataplaneMode AMBIENT/);
  });

  test('the kubernetes engine in a mesh: ServiceEntry plus the NetworkPolicy to egressTo', () => {
    const t = shop(undefined, ServiceMesh.istio());
    t.api.allowTo(dep(t, { hostname: 'api.payments.example', egressTo: [Peer.ipBlock('203.0.113.0/24')] }), Port.tcp(443));
    const out = synth(t.chart);
    expect(one(out, 'ServiceEntry').spec.hosts).toEqual(['api.payments.example']);
    expect(ofKind(out, 'CiliumNetworkPolicy')).toEqual([]);
  });
});

describe('Istio: external hosts through an egress gateway', () => {
  // Istio task "Egress Gateways" (istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/, HTTPS passthrough):
  // ServiceEntry + Gateway (TLS PASSTHROUGH on 443) + VirtualService with tls routes mesh -> gateway -> host by SNI.
  const mesh = ServiceMesh.istio({ egressGateway: {} });
  const s = shop(undefined, mesh);
  s.api.allowTo(dep(s, { hostname: 'api.payments.example' }));
  const objects = synth(s.chart);

  test('no egressTo is needed: the pods connect to the gateway pods on the pod port behind 443, not to the host', () => {
    const egress = one(objects, 'NetworkPolicy', 'api').spec.egress;
    expect(egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { istio: 'egressgateway' } } }],
      ports: [{ port: 8443, protocol: 'TCP' }],
    });
    expect(JSON.stringify(egress)).not.toContain('ipBlock');
    const net = NetworkAnalysis.fromChart(s.chart);
    const gateway = Peer.pods({ labels: { istio: 'egressgateway' }, namespace: 'istio-system' });
    expect(net.isConnectionAllowed(s.api, gateway, Port.tcp(8443))).toBe(true);
    expect(net.isConnectionAllowed(s.api, gateway, Port.tcp(443))).toBe(false);
    expect(net.isConnectionAllowed(s.api, Peer.ipBlock('203.0.113.0/24'), Port.tcp(443))).toBe(false);
  });

  test('ServiceEntry visible to the gateway namespace; Gateway and VirtualService route by SNI', () => {
    expect(one(objects, 'ServiceEntry').spec.exportTo).toEqual(['.', 'istio-system']);
    expect(one(objects, 'Gateway').spec).toEqual({
      selector: { istio: 'egressgateway' },
      servers: [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['api.payments.example'], tls: { mode: 'PASSTHROUGH' } }],
    });
    const vs = ofKind(objects, 'VirtualService').find((o) => o.metadata.name === 'external-api.payments.example');
    expect(vs.spec).toEqual({
      hosts: ['api.payments.example'],
      gateways: ['mesh', 'external-api.payments.example'],
      tls: [
        { match: [{ gateways: ['mesh'], port: 443, sniHosts: ['api.payments.example'] }], route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', port: { number: 443 } } }] },
        { match: [{ gateways: ['external-api.payments.example'], port: 443, sniHosts: ['api.payments.example'] }], route: [{ destination: { host: 'api.payments.example', port: { number: 443 } } }] },
      ],
    });
  });

  test('refused: a wildcard, a port other than 443, ambient mode, bad options', () => {
    const t = shop(undefined, ServiceMesh.istio({ egressGateway: {} }));
    const wild = dep(t, { hostname: '*.s3.amazonaws.com' }, 'Buckets');
    expect(() => t.api.allowTo(wild)).toThrow(/SecureService.mesh: "\*.s3.amazonaws.com" is a wildcard; the egress gateway routes by SNI/);
    const http = dep(t, { hostname: 'plain.example', ports: [{ name: 'http', port: 80 }] }, 'Plain');
    expect(() => t.api.allowTo(http)).toThrow(/the connection to "plain.example" is on TCP 80; through the egress gateway this library routes TLS on TCP 443 only/);
    expect(errorWhereUsed(() => ServiceMesh.istio({ egressGateway: {}, dataplaneMode: 'ambient' as any }))).toMatch(/^test\/Ns: DenyAllNamespace.mesh: ServiceMesh.istio: egressGateway is set with dataplaneMode AMBIENT/);
    expect(errorWhereUsed(() => ServiceMesh.istio({ egressGateway: { tlsPodPort: 0 } }))).toMatch(/^test\/Ns: DenyAllNamespace.mesh: ServiceMesh.istio: egressGateway.tlsPodPort 0 is not a port/);
    expect(errorWhereUsed(() => ServiceMesh.istio({ egressGateway: { labels: {} } }))).toMatch(/^test\/Ns: DenyAllNamespace.mesh: ServiceMesh.istio: egressGateway.labels is empty/);
  });
});
