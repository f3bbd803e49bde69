/**
 * The README's code, run as written (imports from the package index): the quick start, the
 * claims of its tables and the troubleshooting section. If this fails, the README is wrong.
 */
import { App, Chart } from 'cdk8s';
import {
  ClusterGuardrails, DenyAllNamespace, DnsNames, ExpectConnection, ExternalDependency, GatewayImplementation, GatewayRoute, HeadlessStatefulEndpoint,
  HealthCheck, IngressBackend, IngressController, MeshRetryOn, NetworkAnalysis, Peer, PolicyEngine, Port, RouteTable, SecureService, ServiceMesh,
  SharedGateway, TlsCertificate, TlsGateway, TlsIngress,
} from '../../src';
import { one, synth } from '../util/synth';

function quickStart() {
  const app = new App();
  const chart = new Chart(app, 'shop', { disableResourceNameHashes: true });
  const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
  const web = new SecureService(chart, 'Web', { namespace: ns, image: 'ghcr.io/acme/web:2.0.0', port: 8080 });
  const api = new SecureService(chart, 'Api', {
    namespace: ns,
    image: 'ghcr.io/acme/api:1.4.2',
    ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }],
    replicas: 3,
  });
  const db = new SecureService(chart, 'Db', { namespace: ns, image: 'postgres:16.4', ports: [{ name: 'pg', port: 5432 }], replicas: 1 });
  web.allowTo(api, Port.named('http'));
  api.allowTo(db);
  api.allowFrom(Peer.namespace('monitoring'), Port.named('metrics'));
  api.allowTo(Peer.ipBlock('203.0.113.0/24'), Port.HTTPS);
  return { app, chart, ns, web, api, db };
}

describe('README', () => {
  test('SecureService probes: the HealthCheck block runs as written and renders the probes its comments say', () => {
    const { chart, ns } = quickStart();
    new SecureService(chart, 'Worker', {
      namespace: ns,
      image: 'ghcr.io/acme/worker:1.2.0',
      ports: [{ name: 'http', port: 8080 }, { name: 'admin', port: 9000 }],
      readinessCheck: HealthCheck.httpGet('/ready', { periodSeconds: 5 }), // httpGet on the first TCP port, 8080
      livenessCheck: HealthCheck.tcpSocket({ port: 9000, failureThreshold: 6 }), // also HealthCheck.exec(['/bin/check'])
    });
    const c = one(synth(chart), 'Deployment', 'worker').spec.template.spec.containers[0];
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5 });
    expect(c.livenessProbe).toMatchObject({ tcpSocket: { port: 9000 }, failureThreshold: 6 });
  });

  test('Beyond NetworkPolicy: the code block runs as written and means what its comments say', () => {
    const app = new App();
    const chart = new Chart(app, 'billing', { disableResourceNameHashes: true });
    PolicyEngine.use(chart, PolicyEngine.cilium()); // default: PolicyEngine.kubernetes()
    const billing = new DenyAllNamespace(chart, 'Billing', { name: 'billing' });
    const api = new SecureService(chart, 'Api', { namespace: billing, image: 'ghcr.io/acme/billing-api:2.3.0', port: 8080 });
    const payments = new ExternalDependency(chart, 'Payments', {
      namespace: billing, hostname: 'api.payments.example', ports: [{ name: 'https', port: 443 }],
    });
    api.allowTo(payments); // CiliumNetworkPolicy api-fqdn: toFQDNs matchName api.payments.example on TCP 443, + the DNS rule

    const platform = new Chart(app, 'platform'); // cluster-scoped: no namespace
    new ClusterGuardrails(platform, 'Guardrails', { cloudMetadataAllowedNamespaces: ['node-agent'] })
      .allowMonitoring({ namespace: 'monitoring', ports: [Port.tcp(9090)] });

    const net = NetworkAnalysis.fromApp(app);
    expect(net.isAllowed({ from: 'billing/api', to: 'api.payments.example[FQDN]', port: 443 })).toBe(true);
    expect(net.isAllowed({ from: 'billing/api', to: '169.254.169.254', port: 80 })).toBe(false);
    expect(net.explain({ from: 'billing/api', to: '169.254.169.254', port: 80 }).text).toContain('guardrails-deny-cloud-metadata');
    const cnp = one(synth(chart), 'CiliumNetworkPolicy', 'api-fqdn');
    expect(cnp.spec.egress[1]).toEqual({ toFQDNs: [{ matchName: 'api.payments.example' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
    expect(cnp.spec.egress[0].toPorts[0].rules).toEqual({ dns: [{ matchPattern: '*' }] });
    expect(synth(platform).every((o) => o.metadata.namespace === undefined)).toBe(true);
  });

  test('the quick start synthesizes schema-valid objects, named as written', () => {
    const { chart } = quickStart();
    const objects = synth(chart);
    expect(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name)).toEqual(['web', 'api', 'db']);
  });

  test('the api policy excerpt is what the quick start writes', () => {
    const spec = one(synth(quickStart().chart), 'NetworkPolicy', 'api').spec;
    expect(spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9090, protocol: 'TCP' }] },
    ]);
    expect(spec.egress.slice(1)).toEqual([
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } } }], ports: [{ port: 5432, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443, protocol: 'TCP' }] },
    ]);
  });

  test('reachability in one line, as the README shows it', () => {
    const { chart, web, api, db } = quickStart();
    const net = NetworkAnalysis.fromChart(chart);
    expect(net.isConnectionAllowed(web, api, Port.tcp(8080))).toBe(true);
    expect(net.isConnectionAllowed(web, db, Port.tcp(5432))).toBe(false);
    expect(net.explainConnection(web, db, Port.tcp(5432)).text).toMatch(/^denied: shop\/web is isolated for egress by policies shop\/default-deny, shop\/allow-dns, shop\/web; no egress rule admits shop\/db on TCP 5432/);
    ExpectConnection.inChart(chart).from(web).to(api).onPort(Port.tcp(8080)).isAllowed();
  });

  test('troubleshooting: the Service port instead of the pod port is refused with the explanation', () => {
    const { web, api } = quickStart();
    expect(() => web.allowTo(api, Port.tcp(80))).toThrow(/api does not listen on TCP 80; .*NetworkPolicies match the pod port/);
  });

  test('troubleshooting: an ingress backend port that does not exist is refused', () => {
    const { chart, api } = quickStart();
    const backend = IngressBackend.fromSecureService(api, 'htp');
    expect(() => new TlsIngress(chart, 'Public', { controller: IngressController.traefik(), certificate: TlsCertificate.secret('shop-tls'), rules: [{ host: 'shop.example.com', backend }] }))
      .toThrow(new Error('shop/Public: TlsIngress.rules[0].backend: IngressBackend.fromSecureService(shop/api, \'htp\'): SecureService shop/api has no port named "htp"; its ports are http, metrics.'));
  });

  test('the TlsIngress and service-mesh snippets work as written', () => {
    const { chart, ns, web, api } = quickStart();
    new TlsIngress(chart, 'Public', {
      namespace: ns,
      controller: IngressController.traefik(),
      certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
      rules: [
        { host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(api, 'http') },
        { host: 'shop.example.com', path: '/', backend: IngressBackend.fromSecureService(web) },
      ],
      rateLimit: { requestsPerSecond: 20, burst: 40 },
    });
    synth(chart);

    const meshChart = new Chart(new App(), 'mesh', { disableResourceNameHashes: true });
    const meshNs = new DenyAllNamespace(meshChart, 'Shop', { mesh: ServiceMesh.istio() });
    const meshWeb = new SecureService(meshChart, 'Web', { namespace: meshNs, image: 'ghcr.io/acme/web:2.0.0', port: 8080 });
    const meshApi = new SecureService(meshChart, 'Api', {
      namespace: meshNs,
      image: 'ghcr.io/acme/api:1.4.2',
      port: 8080,
      mesh: { retries: { attempts: 3, perTryTimeoutMillis: 500, retryOn: [MeshRetryOn.GATEWAY_ERROR] }, requestTimeoutMillis: 2000 },
    });
    meshWeb.allowTo(meshApi);
    const objects = synth(meshChart);
    const authz = objects.find((o) => o.kind === 'AuthorizationPolicy' && JSON.stringify(o).includes('cluster.local/ns/shop/sa/web'));
    expect(authz).toBeDefined();
  });

  test('the TlsIngress block for a stateful set\'s client Service works as written and means what its comment says', () => {
    const { chart, ns } = quickStart();
    const search = new HeadlessStatefulEndpoint(chart, 'Search', {
      namespace: ns,
      name: 'search',
      image: 'ghcr.io/acme/search:8.1.0',
      replicas: 3,
      ports: [{ name: 'http', port: 80, targetPort: 9200 }, { name: 'transport', port: 9300 }],
      clientService: true, // the ClusterIP Service search-client
    });
    new TlsIngress(chart, 'SearchIngress', {
      namespace: ns,
      controller: IngressController.traefik(),
      certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
      // backend: service search-client, port http; traefik's pods may reach the search pods on TCP 9200 only
      rules: [{ host: 'search.example.com', backend: IngressBackend.fromStatefulClientService(search, 'http') }],
    });
    const objects = synth(chart);
    expect(one(objects, 'Ingress', 'search-ingress').spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'search-client', port: { name: 'http' } } });
    // Traefik's pods as its Helm chart labels them (traefik/traefik-helm-chart templates/_helpers.tpl, app.kubernetes.io/name: traefik).
    const traefik = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'traefik', namespace: 'traefik' },
      spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } }, template: { metadata: { labels: { 'app.kubernetes.io/name': 'traefik' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
    };
    const net = NetworkAnalysis.fromManifests([...objects, traefik]);
    expect(net.isAllowed({ from: 'traefik/traefik', to: 'shop/search', port: 9200 })).toBe(true);
    expect(net.isAllowed({ from: 'traefik/traefik', to: 'shop/search', port: 9300 })).toBe(false);
  });

  test('the DNS helpers return the names the README shows', () => {
    expect(DnsNames.podARecord('10.1.2.3', 'shop')).toBe('10-1-2-3.shop.pod.cluster.local');
    expect(quickStart().api.fqdn).toBe('api.shop.svc.cluster.local');
  });

  test('Gateway API: the TlsGateway, shared-gateway and migration blocks run as written', () => {
    const { chart, ns, api, web } = quickStart();
    new TlsGateway(chart, 'Public', {
      namespace: ns,
      implementation: GatewayImplementation.envoyGateway(),
      certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
      rules: [
        { host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(api, 'http') },
        { host: 'shop.example.com', path: '/', backend: IngressBackend.fromSecureService(web) },
      ],
      rateLimit: { requestsPerSecond: 20 },
      basicAuthSecret: 'shop-users',
    });
    const objects = synth(chart);
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Gateway', 'HTTPRoute', 'BackendTrafficPolicy', 'SecurityPolicy']));

    const app = new App();
    const platformChart = new Chart(app, 'platform', { disableResourceNameHashes: true });
    const edgeNs = new DenyAllNamespace(platformChart, 'EdgeNs', { name: 'edge' });
    const catalogChart = new Chart(app, 'catalog', { disableResourceNameHashes: true });
    const catalogNs = new DenyAllNamespace(catalogChart, 'Ns', { name: 'catalog', labels: { 'gateway.example.com/edge': 'true' } });
    const catalog = new SecureService(catalogChart, 'Catalog', { namespace: catalogNs, image: 'ghcr.io/acme/catalog:3.1.0', port: 8080 });
    const edge = new SharedGateway(platformChart, 'Edge', {
      namespace: edgeNs,
      implementation: GatewayImplementation.envoyGateway(),
      hosts: ['*.shop.example.com'],
      certificate: TlsCertificate.certManagerCertificate({ clusterIssuer: 'letsencrypt-prod' }),
      allowedNamespaceLabels: { 'gateway.example.com/edge': 'true' },
    });
    new GatewayRoute(catalogChart, 'Routes', {
      namespace: catalogNs,
      gateway: edge,
      rules: [{ host: 'catalog.shop.example.com', backend: IngressBackend.fromSecureService(catalog) }],
    });
    synth(platformChart);
    expect(one(synth(catalogChart), 'HTTPRoute').spec.parentRefs).toEqual([{ name: 'edge', namespace: 'edge', sectionName: 'https.wildcard.shop.example.com' }]);

    const ingressChart = new Chart(new App(), 'ingress', { disableResourceNameHashes: true });
    const gatewayChart = new Chart(new App(), 'gateway', { disableResourceNameHashes: true });
    for (const [c, gatewayApi] of [[ingressChart, false], [gatewayChart, true]] as const) {
      const n = new DenyAllNamespace(c, 'Shop', { name: 'shop' });
      const w = new SecureService(c, 'Web', { namespace: n, image: 'ghcr.io/acme/web:2.0.0', port: 8080 });
      const common = { namespace: n, certificate: TlsCertificate.secret('shop-tls'), rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(w) }] };
      if (gatewayApi) new TlsGateway(c, 'Public', { ...common, implementation: GatewayImplementation.envoyGateway() });
      else new TlsIngress(c, 'Public', { ...common, controller: IngressController.traefik() });
    }
    RouteTable.expectSame(ingressChart, gatewayChart); // throws, listing the routes only one of them has
  });
});
