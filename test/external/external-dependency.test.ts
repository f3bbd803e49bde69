import { ApiObject } from 'cdk8s';
import { DenyAllNamespace, NetworkAnalysis, Peer, Port, SecureService } from '../../src';
import { ExternalDependency, ExternalDependencyProps } from '../../src/external/external-dependency';
import { newChart, ofKind, one, synth } from '../util/synth';

const HTTPS = [{ name: 'https', port: 443 }];

function shop() {
  const chart = newChart();
  const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
  const api = new SecureService(chart, 'Api', { namespace: ns, image: 'ghcr.io/acme/api:1.4.2', port: 8080 });
  const web = new SecureService(chart, 'Web', { namespace: ns, image: 'ghcr.io/acme/web:2.0.0', port: 8080 });
  return { chart, ns, api, web };
}

function dependency(props: Partial<ExternalDependencyProps>) {
  const s = shop();
  const dep = new ExternalDependency(s.chart, 'Payments', { namespace: s.ns, ports: HTTPS, ...props } as ExternalDependencyProps);
  return { ...s, dep };
}

describe('ExternalDependency by hostname', () => {
  test('a hostname becomes an ExternalName Service (a CNAME) with the ports as documentation', () => {
    const { chart, dep } = dependency({ hostname: 'api.payments.example', egressTo: [Peer.ipBlock('203.0.113.0/24')] });
    const objects = synth(chart);
    expect(one(objects, 'Service', 'payments').spec).toEqual({
      type: 'ExternalName',
      externalName: 'api.payments.example',
      ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
    });
    expect(ofKind(objects, 'EndpointSlice')).toEqual([]);
    expect(dep.fqdn).toBe('payments.shop.svc.cluster.local');
  });

  test('a fully qualified hostname with a trailing dot is accepted', () => {
    const { dep } = dependency({ hostname: 'api.payments.example.', allowEgressToAnyAddress: true });
    expect(dep.hostname).toBe('api.payments.example.');
  });

  test('client.allowTo(dep) allows egress exactly to the egressTo CIDRs on its ports, on the client only', () => {
    const { chart, api, web, dep } = dependency({
      hostname: 'api.payments.example', egressTo: [Peer.ipBlock('203.0.113.0/24'), Peer.ipBlock('2001:db8:1::/48')],
    });
    api.allowTo(dep);
    const objects = synth(chart);
    const net = NetworkAnalysis.fromManifests(objects);
    expect(net.allowedConnections('shop/api', '203.0.113.0/24')).toBe('TCP 443');
    expect(net.allowedConnections('shop/api', '2001:db8:1::/48')).toBe('TCP 443');
    expect(net.isAllowed({ from: 'shop/api', to: '203.0.114.1', port: 443 })).toBe(false);
    expect(net.isAllowed({ from: 'shop/web', to: '203.0.113.10', port: 443 })).toBe(false);
    // No policy is written for the dependency: it has no pods.
    expect(ofKind(objects, 'NetworkPolicy').map((p) => p.metadata.name).sort()).toEqual(['allow-dns', 'api', 'default-deny', 'web']);
    expect(web.networkPolicy.egressRules.map((r) => r.peer.peerId)).toEqual(['kube-system/k8s-app=kube-dns']);
  });

  test('allowEgressToAnyAddress opens any IPv4 and IPv6 address, on its ports only', () => {
    const { chart, api, dep } = dependency({ hostname: 'api.payments.example', allowEgressToAnyAddress: true });
    api.allowTo(dep);
    const net = NetworkAnalysis.fromManifests(synth(chart));
    expect(net.allowedConnections('shop/api', '0.0.0.0/0')).toBe('TCP 443');
    expect(net.allowedConnections('shop/api', '::/0')).toBe('TCP 443');
    expect(net.isAllowed({ from: 'shop/api', to: '198.51.100.7', port: 80 })).toBe(false);
  });

  test('connecting to a hostname dependency without an egress choice fails and says why and what to do', () => {
    const { api, dep } = dependency({ hostname: 'api.payments.example' });
    expect(() => api.allowTo(dep)).toThrow(new Error(
      'test/Payments: allowTo(external:shop/payments): ExternalDependency.egressTo is not set, and NetworkPolicy cannot allow egress to a DNS name ("api.payments.example"). ' +
      "List the CIDRs it resolves to in egressTo (e.g. [Peer.ipBlock('203.0.113.0/24')]), or set allowEgressToAnyAddress to true to allow any address on its ports, " +
      'or choose the Cilium policy engine (PolicyEngine.use(app, PolicyEngine.cilium())) to allow exactly this name.'));
    // Nothing was half-written.
    expect(api.networkPolicy.egressRules.map((r) => r.peer.peerId)).toEqual(['kube-system/k8s-app=kube-dns']);
  });
});

describe('ExternalDependency by addresses', () => {
  test('addresses become a selector-less Service and one EndpointSlice per address family', () => {
    const { chart } = dependency({ addresses: ['203.0.113.10', '2001:DB8::10', '203.0.113.11'], ports: [{ name: 'https', port: 443, targetPort: 8443 }] });
    const objects = synth(chart);
    const svc = one(objects, 'Service', 'payments');
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      ipFamilyPolicy: 'PreferDualStack',
      ports: [{ name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' }],
    });
    expect(svc.spec.selector).toBeUndefined();
    const v4 = one(objects, 'EndpointSlice', 'payments-ipv4');
    expect(v4).toEqual({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'payments-ipv4',
        namespace: 'shop',
        labels: {
          'kubernetes.io/service-name': 'payments',
          'endpointslice.kubernetes.io/managed-by': 'cdk8s-secure-networking',
          'app.kubernetes.io/managed-by': 'cdk8s-secure-networking',
        },
      },
      addressType: 'IPv4',
      ports: [{ name: 'https', port: 8443, protocol: 'TCP' }],
      endpoints: [
        { addresses: ['203.0.113.10'], conditions: { ready: true } },
        { addresses: ['203.0.113.11'], conditions: { ready: true } },
      ],
    });
    const v6 = one(objects, 'EndpointSlice', 'payments-ipv6');
    expect(v6.addressType).toBe('IPv6');
    // Written in canonical form.
    expect(v6.endpoints).toEqual([{ addresses: ['2001:db8::10'], conditions: { ready: true } }]);
  });

  test('EndpointSlice port names equal the Service port names, which is how kube-proxy pairs them', () => {
    const { chart } = dependency({ addresses: ['203.0.113.10'], ports: [{ name: 'https', port: 443 }, { name: 'smtp', port: 587 }] });
    const objects = synth(chart);
    const names = (ports: any[]) => ports.map((p) => p.name);
    expect(names(one(objects, 'EndpointSlice', 'payments-ipv4').ports)).toEqual(names(one(objects, 'Service', 'payments').spec.ports));
  });

  test('a dual-family dependency names no ipFamilies, so a single-stack cluster accepts its Service', () => {
    // kube-apiserver pkg/registry/core/service/storage/alloc.go (initIPFamilyFields, kubernetes/kubernetes b0d609f0):
    // "If there is a family requested then it has to be configured on cluster" -> spec.ipFamilies[1] "not configured on
    // this cluster" for ipFamilies [IPv4, IPv6] on an IPv4-only cluster. With no ipFamilies, the cluster's default family is
    // used and, when the policy is not SingleStack and the cluster has two, the other family is appended.
    const { chart } = dependency({ addresses: ['203.0.113.10', '2001:db8::10'] });
    const spec = one(synth(chart), 'Service', 'payments').spec;
    expect(spec.ipFamilies).toBeUndefined();
    expect(spec.ipFamilyPolicy).toBe('PreferDualStack');
  });

  test('a single-family dependency states that family, so an IPv6-first cluster still uses the IPv4 slice', () => {
    const { chart } = dependency({ addresses: ['203.0.113.10'] });
    const objects = synth(chart);
    expect(one(objects, 'Service', 'payments').spec).toMatchObject({ ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    expect(ofKind(objects, 'EndpointSlice').map((s) => s.metadata.name)).toEqual(['payments-ipv4']);
  });

  test('the selector-less Service carries the kube-linter dangling-service opt-out with its reason', () => {
    const { chart } = dependency({ addresses: ['203.0.113.10', '2001:db8::10'] });
    expect(one(synth(chart), 'Service', 'payments').metadata.annotations).toEqual({
      'ignore-check.kube-linter.io/dangling-service':
        'Selector-less on purpose: its endpoints are the external addresses in EndpointSlice payments-ipv4 and payments-ipv6, written by cdk8s-secure-networking.',
    });
  });

  test('client.allowTo(dep) allows egress to each address (/32, /128) on the endpoint ports, and nothing next to them', () => {
    const { chart, api, dep } = dependency({ addresses: ['203.0.113.10', '198.51.100.20', '2001:db8::10'], ports: [{ name: 'https', port: 443, targetPort: 8443 }] });
    api.allowTo(dep);
    const objects = synth(chart);
    const net = NetworkAnalysis.fromManifests(objects);
    for (const ip of ['203.0.113.10', '198.51.100.20', '2001:db8::10']) {
      expect(net.allowedConnections('shop/api', ip)).toBe('TCP 8443');
    }
    expect(net.isAllowed({ from: 'shop/api', to: '203.0.113.11', port: 8443 })).toBe(false);
    expect(net.isAllowed({ from: 'shop/api', to: '203.0.113.10', port: 443 })).toBe(false);
    const egress = one(objects, 'NetworkPolicy', 'api').spec.egress.slice(1);
    // One rule: the address blocks are ORed peers sharing the dependency's ports.
    expect(egress).toEqual([{
      to: [{ ipBlock: { cidr: '203.0.113.10/32' } }, { ipBlock: { cidr: '198.51.100.20/32' } }, { ipBlock: { cidr: '2001:db8::10/128' } }],
      ports: [{ protocol: 'TCP', port: 8443 }],
    }]);
  });

  test('dep.allowFrom(client) is the same statement, and a named port resolves to the endpoint port', () => {
    const { chart, api, dep } = dependency({ addresses: ['203.0.113.10'], ports: [{ name: 'https', port: 443 }, { name: 'smtp', port: 587 }] });
    dep.connections.allowFrom(api, Port.named('smtp'));
    const net = NetworkAnalysis.fromManifests(synth(chart));
    expect(net.allowedConnections('shop/api', '203.0.113.10')).toBe('TCP 587');
  });

  test('the Service is the default child (ApiObject.of escape hatch)', () => {
    const { dep } = dependency({ addresses: ['203.0.113.10'] });
    expect(ApiObject.of(dep).kind).toBe('Service');
  });
});

describe('ExternalDependency bad input', () => {
  const cases: Array<[string, Partial<ExternalDependencyProps>, string]> = [
    ['neither hostname nor addresses', {}, 'test/Payments: ExternalDependency.hostname and ExternalDependency.addresses are both missing; give the DNS name of the dependency or its IP addresses.'],
    ['both hostname and addresses', { hostname: 'a.example', addresses: ['203.0.113.1'] }, 'test/Payments: ExternalDependency.hostname and ExternalDependency.addresses are both set; give the DNS name (an ExternalName Service) or the IP addresses (EndpointSlices), not both.'],
    ['an IP as hostname', { hostname: '203.0.113.10' }, 'test/Payments: ExternalDependency.hostname "203.0.113.10" is an IP address; an ExternalName must be a DNS name (an IP becomes a CNAME to a name that does not exist). Use ExternalDependency.addresses for IPs.'],
    ['an IPv6 address as hostname', { hostname: '2001:db8::1' }, 'test/Payments: ExternalDependency.hostname "2001:db8::1" is an IP address; an ExternalName must be a DNS name (an IP becomes a CNAME to a name that does not exist). Use ExternalDependency.addresses for IPs.'],
    ['an IP with a trailing dot as hostname', { hostname: '10.0.0.1.' }, 'test/Payments: ExternalDependency.hostname "10.0.0.1." is an IP address; an ExternalName must be a DNS name (an IP becomes a CNAME to a name that does not exist). Use ExternalDependency.addresses for IPs.'],
    ['a short-form IPv4 address as hostname', { hostname: '127.1' }, 'test/Payments: ExternalDependency.hostname "127.1" is an IP address; an ExternalName must be a DNS name (an IP becomes a CNAME to a name that does not exist). Use ExternalDependency.addresses for IPs.'],
    ['localhost', { hostname: 'localhost' }, 'test/Payments: ExternalDependency.hostname "localhost" names the loopback interface, which would point clients at themselves; give the dependency\'s real DNS name.'],
    ['a name under .localhost', { hostname: 'db.localhost.' }, 'test/Payments: ExternalDependency.hostname "db.localhost." names the loopback interface, which would point clients at themselves; give the dependency\'s real DNS name.'],
    ['an upper-case hostname', { hostname: 'API.Payments.example' }, 'test/Payments: ExternalDependency.hostname "API.Payments.example" is not a DNS name; it must consist of lower case alphanumeric characters, \'-\' or \'.\', and each label must start and end with an alphanumeric character.'],
    ['a URL as hostname', { hostname: 'https://api.payments.example' }, 'test/Payments: ExternalDependency.hostname "https://api.payments.example" is not a DNS name; it must consist of lower case alphanumeric characters, \'-\' or \'.\', and each label must start and end with an alphanumeric character.'],
    ['egressTo and any address', { hostname: 'a.example', egressTo: [Peer.ipBlock('203.0.113.0/24')], allowEgressToAnyAddress: true }, 'test/Payments: ExternalDependency.egressTo and ExternalDependency.allowEgressToAnyAddress are both set; any address already includes the listed peers, so use one of them.'],
    ['an empty egressTo', { hostname: 'a.example', egressTo: [] }, 'test/Payments: ExternalDependency.egressTo is empty; list where "a.example" lives (e.g. [Peer.ipBlock(\'203.0.113.0/24\')]), or set allowEgressToAnyAddress to true.'],
    ['egressTo with addresses', { addresses: ['203.0.113.1'], egressTo: [Peer.ipBlock('203.0.113.0/24')] }, 'test/Payments: ExternalDependency.egressTo is set with ExternalDependency.addresses; the addresses already say where the dependency is, so remove egressTo.'],
    ['any address with addresses', { addresses: ['203.0.113.1'], allowEgressToAnyAddress: true }, 'test/Payments: ExternalDependency.allowEgressToAnyAddress is set with ExternalDependency.addresses; egress is allowed to exactly those addresses, so remove allowEgressToAnyAddress.'],
    ['no addresses', { addresses: [] }, 'test/Payments: ExternalDependency.addresses is empty; give at least one IP address.'],
    ['a loopback address', { addresses: ['127.0.0.1'] }, 'test/Payments: ExternalDependency.addresses[0] "127.0.0.1" cannot be an endpoint; it is a loopback address. Endpoints must be routable addresses outside the node.'],
    ['a link-local address', { addresses: ['203.0.113.1', '169.254.169.254'] }, 'test/Payments: ExternalDependency.addresses[1] "169.254.169.254" cannot be an endpoint; it is a link-local address. Endpoints must be routable addresses outside the node.'],
    ['the unspecified IPv6 address', { addresses: ['::'] }, 'test/Payments: ExternalDependency.addresses[0] "::" cannot be an endpoint; it is the unspecified address. Endpoints must be routable addresses outside the node.'],
    ['a multicast address', { addresses: ['224.0.0.251'] }, 'test/Payments: ExternalDependency.addresses[0] "224.0.0.251" cannot be an endpoint; it is a multicast address. Endpoints must be routable addresses outside the node.'],
    ['an IPv4-mapped IPv6 loopback address', { addresses: ['::ffff:7f00:1'] }, 'test/Payments: ExternalDependency.addresses[0] "::ffff:7f00:1" cannot be an endpoint; it is an IPv4-mapped IPv6 address; give the IPv4 address itself. Endpoints must be routable addresses outside the node.'],
    ['an address in 0.0.0.0/8', { addresses: ['0.1.2.3'] }, 'test/Payments: ExternalDependency.addresses[0] "0.1.2.3" cannot be an endpoint; it is in 0.0.0.0/8, which means "this network" and is not routable. Endpoints must be routable addresses outside the node.'],
    ['the broadcast address', { addresses: ['255.255.255.255'] }, 'test/Payments: ExternalDependency.addresses[0] "255.255.255.255" cannot be an endpoint; it is the broadcast address. Endpoints must be routable addresses outside the node.'],
    ['a CIDR as address', { addresses: ['203.0.113.0/24'] }, 'test/Payments: ExternalDependency.addresses[0] "203.0.113.0/24" is a CIDR; endpoints are single addresses, so list each address (or use hostname with egressTo for a range).'],
    ['a name as address', { addresses: ['db.example'] }, 'test/Payments: ExternalDependency.addresses[0] "db.example" is not an IP address; give e.g. 203.0.113.10 or 2001:db8::10, or use ExternalDependency.hostname for a DNS name.'],
    ['the same address spelled twice', { addresses: ['2001:db8::10', '2001:DB8:0::10'] }, 'test/Payments: ExternalDependency.addresses[1] "2001:DB8:0::10" repeats ExternalDependency.addresses[0]; list each address once.'],
    ['more than 1000 IPv4 endpoints', { addresses: Array.from({ length: 1001 }, (_, i) => `10.${Math.floor(i / 256)}.${i % 256}.1`) }, 'test/Payments: ExternalDependency.addresses has 1001 IPv4 addresses; an EndpointSlice holds at most 1000 endpoints. Use a hostname or a smaller set.'],
    ['no ports', { addresses: ['203.0.113.1'], ports: [] }, "test/Payments: ExternalDependency.ports is empty; give at least one named port, e.g. [{ name: 'https', port: 443 }]."],
    ['a targetPort on a hostname', { hostname: 'a.example', ports: [{ name: 'https', port: 443, targetPort: 8443 }] }, 'test/Payments: ExternalDependency.ports[0].targetPort is set on a hostname dependency; an ExternalName Service is only a DNS alias and forwards no port, so clients dial a.example on port 443. Omit targetPort.'],
    ['a node port', { addresses: ['203.0.113.1'], ports: [{ name: 'https', port: 443, nodePort: 30443 }] }, 'test/Payments: ExternalDependency.ports[0].nodePort is set; an ExternalDependency is reachable inside the cluster only. Omit nodePort.'],
    ['a port out of range', { addresses: ['203.0.113.1'], ports: [{ name: 'https', port: 0 }] }, 'test/Payments: ExternalDependency.ports[0].port is 0; a port must be 1-65535.'],
    ['two ports with one number', { addresses: ['203.0.113.1'], ports: [{ name: 'https', port: 443 }, { name: 'alt', port: 443 }] }, 'test/Payments: ExternalDependency.ports[1].port TCP 443 is used by another port; ports must be unique per protocol.'],
    ['an invalid Service name', { name: '1payments', addresses: ['203.0.113.1'] }, 'test/Payments: ExternalDependency.name "1payments" is not a valid Service name; it must consist of lower case alphanumeric characters or \'-\', start with a letter and end with an alphanumeric character.'],
    ['a label that would unlink the slices', { addresses: ['203.0.113.1'], labels: { 'kubernetes.io/service-name': 'other' } }, 'test/Payments: ExternalDependency.labels sets "kubernetes.io/service-name", which links the EndpointSlices to the Service; remove it.'],
  ];

  test.each(cases)('%s is refused', (_description, props, message) => {
    expect(() => dependency(props)).toThrow(new Error(message));
  });

  test('a workload of this library is not an egressTo peer: allowTo writes both sides', () => {
    const s = shop();
    expect(() => new ExternalDependency(s.chart, 'Payments', { namespace: s.ns, hostname: 'a.example', ports: HTTPS, egressTo: [s.web] }))
      .toThrow(new Error('test/Payments: ExternalDependency.egressTo[0] is shop/web, a workload of this library; connect clients to it with allowTo, which writes both sides.'));
  });

  test('it is a destination only: accepting connections from it is refused with the way to do it', () => {
    const { api, dep } = dependency({ addresses: ['203.0.113.10'] });
    expect(() => api.allowFrom(dep)).toThrow(new Error(
      'test/Api: allowFrom(external:shop/payments): ExternalDependency external:shop/payments is a destination only; it cannot open connections to shop/api. To accept connections from outside the cluster, use allowFrom(Peer.ipBlock(...)) on the workload.'));
  });

  test('a peer this library does not manage cannot be its client', () => {
    const { dep } = dependency({ addresses: ['203.0.113.10', '203.0.113.11'] });
    expect(() => dep.connections.allowFrom(Peer.namespace('ops'))).toThrow(new Error(
      'test/Payments: allowFrom(ns:ops): neither end is managed by this library, so there is no policy to write the rule into.'));
  });
});

test('ExternalDependency snapshot', () => {
  const { chart, api, dep } = dependency({ addresses: ['203.0.113.10', '2001:db8::10'] });
  api.allowTo(dep);
  expect(synth(chart).filter((o) => o.metadata.name.startsWith('payments') || o.metadata.name === 'api' && o.kind === 'NetworkPolicy')).toMatchSnapshot();
});
