import { Chart, Testing } from 'cdk8s';
import { errorOf } from './helpers';
import { DenyAllNamespace, SecureService } from '../../src';
import { GatewayImplementation, GatewayRoute, IngressBackend, SharedGateway, TlsCertificate } from '../../src/ingress';
import { ofKind, one, validateManifests } from '../util/synth';

/** A platform chart with SharedGateway `edge` in `edge`, and app charts `shop` and `blog` in their own namespaces. */
function platform(options: { allowedNamespaces?: string[]; labels?: { [k: string]: string }; implementation?: GatewayImplementation } = {}) {
  const app = Testing.app();
  const platformChart = new Chart(app, 'platform', { disableResourceNameHashes: true });
  const edgeNs = new DenyAllNamespace(platformChart, 'EdgeNs', { name: 'edge' });
  const edge = new SharedGateway(platformChart, 'Edge', {
    namespace: edgeNs,
    implementation: options.implementation ?? GatewayImplementation.envoyGateway(),
    hosts: ['*.example.com', 'example.com'],
    certificate: TlsCertificate.certManagerCertificate({ clusterIssuer: 'letsencrypt-prod' }),
    allowedNamespaces: options.allowedNamespaces ?? (options.labels ? undefined : ['shop', 'blog']),
    allowedNamespaceLabels: options.labels,
  });
  const shopChart = new Chart(app, 'shop', { disableResourceNameHashes: true });
  const shopNs = new DenyAllNamespace(shopChart, 'Ns', { name: 'shop' });
  const web = new SecureService(shopChart, 'Web', { namespace: shopNs, image: 'ghcr.io/acme/web:2.0.0', port: 8080 });
  const blogChart = new Chart(app, 'blog', { disableResourceNameHashes: true });
  const blogNs = new DenyAllNamespace(blogChart, 'Ns', { name: 'blog' });
  const blog = new SecureService(blogChart, 'Blog', { namespace: blogNs, image: 'ghcr.io/acme/blog:1.0.0', port: 8080 });
  return { app, platformChart, edge, shopChart, shopNs, web, blogChart, blogNs, blog };
}

function synthAll(app: ReturnType<typeof Testing.app>): any[] {
  const objects = app.charts.flatMap((c) => Testing.synth(c));
  validateManifests(objects);
  return objects;
}

describe('SharedGateway', () => {
  test('one HTTPS listener per host with the cert-manager certificate, admitting the named namespaces; HTTP admits only its own redirect', () => {
    const p = platform();
    const objects = synthAll(p.app);
    const gw = one(objects, 'Gateway', 'edge');
    expect(gw.metadata.namespace).toBe('edge');
    expect(gw.spec.listeners.map((l: any) => [l.name, l.hostname ?? null, l.protocol])).toEqual([
      ['https.wildcard.example.com', '*.example.com', 'HTTPS'], ['https.example.com', 'example.com', 'HTTPS'], ['http', null, 'HTTP'],
    ]);
    expect(gw.spec.listeners[0].allowedRoutes.namespaces).toEqual({ from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop', 'blog'] }] } });
    expect(gw.spec.listeners[2].allowedRoutes.namespaces).toEqual({ from: 'Same' });
    expect(one(objects, 'Certificate', 'edge-tls').spec.dnsNames).toEqual(['*.example.com', 'example.com']);
    expect(one(objects, 'HTTPRoute', 'edge-http-redirect').spec.hostnames).toEqual(['*.example.com', 'example.com']);
  });

  test('allowedRoutes by namespace labels', () => {
    const objects = synthAll(platform({ labels: { 'example.com/edge': 'true' } }).app);
    expect(one(objects, 'Gateway', 'edge').spec.listeners[0].allowedRoutes.namespaces)
      .toEqual({ from: 'Selector', selector: { matchLabels: { 'example.com/edge': 'true' } } });
  });

  test('routes from two app namespaces attach to the listener serving their host; backends admit the gateway data plane', () => {
    const p = platform();
    new GatewayRoute(p.shopChart, 'Shop', { namespace: p.shopNs, gateway: p.edge, rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(p.web) }] });
    new GatewayRoute(p.blogChart, 'BlogRoutes', { namespace: p.blogNs, gateway: p.edge, rules: [{ host: 'example.com', path: '/blog', backend: IngressBackend.fromSecureService(p.blog) }] });
    const objects = synthAll(p.app);
    const shop = one(objects, 'HTTPRoute', 'shop-shop-example-com');
    expect(shop.metadata.namespace).toBe('shop');
    expect(shop.spec.parentRefs).toEqual([{ name: 'edge', namespace: 'edge', sectionName: 'https.wildcard.example.com' }]);
    expect(one(objects, 'HTTPRoute', 'blog-routes-example-com').spec.parentRefs).toEqual([{ name: 'edge', namespace: 'edge', sectionName: 'https.example.com' }]);
    // A parentRef across namespaces needs no ReferenceGrant (allowedRoutes decides), a same-namespace backendRef neither.
    expect(ofKind(objects, 'ReferenceGrant')).toEqual([]);
    const webPolicy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'shop' && o.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'web' && o.spec.ingress);
    expect(webPolicy.spec.ingress.flatMap((r: any) => r.from)).toContainEqual(expect.objectContaining({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } },
      podSelector: { matchLabels: expect.objectContaining({ 'gateway.envoyproxy.io/owning-gateway-name': 'edge', 'gateway.envoyproxy.io/owning-gateway-namespace': 'edge' }) },
    }));
  });

  test('a backend in another namespace gets a ReferenceGrant there', () => {
    const p = platform();
    new GatewayRoute(p.shopChart, 'Shop', { namespace: p.shopNs, gateway: p.edge, rules: [{ host: 'shop.example.com', path: '/blog', backend: IngressBackend.fromSecureService(p.blog) }] });
    const objects = synthAll(p.app);
    const grant = one(objects, 'ReferenceGrant');
    expect(grant.metadata.namespace).toBe('blog');
    expect(grant.spec).toEqual({ from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service', name: 'blog' }] });
    expect(one(objects, 'HTTPRoute', 'shop-shop-example-com').spec.rules[0].backendRefs).toEqual([{ name: 'blog', namespace: 'blog', port: 8080 }]);
  });

  test('route options render for the gateway\'s implementation (Envoy Gateway policies in the route namespace)', () => {
    const p = platform();
    new GatewayRoute(p.shopChart, 'Shop', { namespace: p.shopNs, gateway: p.edge, basicAuthSecret: 'users', rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(p.web) }] });
    const policy = one(synthAll(p.app), 'SecurityPolicy', 'shop-security');
    expect(policy.metadata.namespace).toBe('shop');
    expect(policy.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'shop-shop-example-com' }]);
  });

  test('hosts no listener serves, and namespaces the gateway does not admit, fail at synth', () => {
    const p = platform({ allowedNamespaces: ['shop'] });
    expect(errorOf(() => new GatewayRoute(p.shopChart, 'Other', { namespace: p.shopNs, gateway: p.edge, rules: [{ host: 'shop.example.org', backend: IngressBackend.fromSecureService(p.web) }] })))
      .toBe('shop/Other: GatewayRoute.rules[0].host "shop.example.org" is served by no listener of Gateway edge (listener hosts: *.example.com, example.com); add a listener for it on the SharedGateway or route a host it serves.');
    expect(errorOf(() => new GatewayRoute(p.blogChart, 'BlogRoutes', { namespace: p.blogNs, gateway: p.edge, rules: [{ host: 'blog.example.com', backend: IngressBackend.fromSecureService(p.blog) }] })))
      .toBe('blog/BlogRoutes: GatewayRoute.namespace "blog" is not admitted by Gateway edge/edge (allowedNamespaces: shop); add it there.');
  });

  test('a declared external gateway (fromAttributes) can be attached to', () => {
    const p = platform();
    const external = SharedGateway.fromAttributes({ gatewayName: 'public', gatewayNamespace: 'infra', implementation: GatewayImplementation.istio(), listenerHosts: ['*.acme.io'], allowedNamespaces: ['shop'] });
    new GatewayRoute(p.shopChart, 'Acme', { namespace: p.shopNs, gateway: external, rules: [{ host: 'shop.acme.io', backend: IngressBackend.fromSecureService(p.web) }] });
    expect(one(synthAll(p.app), 'HTTPRoute', 'acme-shop-acme-io').spec.parentRefs).toEqual([{ name: 'public', namespace: 'infra', sectionName: 'https.wildcard.acme.io' }]);
  });

  test('Istio: the data-plane policy in the gateway namespace lets it reach each attached route\'s backends (and istiod)', () => {
    const p = platform({ implementation: GatewayImplementation.istio() });
    new GatewayRoute(p.shopChart, 'Shop', { namespace: p.shopNs, gateway: p.edge, rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(p.web) }] });
    const objects = synthAll(p.app);
    const policy = one(objects, 'NetworkPolicy', 'edge-data-plane');
    expect(policy.metadata.namespace).toBe('edge');
    expect(policy.spec.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }], ports: [{ port: 15012, protocol: 'TCP' }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }], ports: [{ port: 'http', protocol: 'TCP' }] },
    ]);
  });

  test('bad input names the construct path and the field', () => {
    const p = platform();
    expect(errorOf(() => new SharedGateway(p.platformChart, 'Bad', { implementation: GatewayImplementation.istio(), hosts: [], certificate: TlsCertificate.secret('x') })))
      .toBe('platform/Bad: SharedGateway.hosts is empty; list the hosts (or wildcards such as *.example.com) it serves.');
    expect(errorOf(() => new SharedGateway(p.platformChart, 'Bad2', { implementation: GatewayImplementation.istio(), hosts: ['a.example.com'], certificate: TlsCertificate.secret('x'), allowedNamespaceLabels: {} })))
      .toMatch(/^platform\/Bad2: SharedGateway.allowedNamespaceLabels is empty/);
    const bad = SharedGateway.fromAttributes({ gatewayName: 'Bad_Name', gatewayNamespace: 'infra', implementation: GatewayImplementation.istio(), listenerHosts: ['a.example.com'] });
    expect(errorOf(() => new GatewayRoute(p.platformChart, 'Routes', { gateway: bad, rules: [] })))
      .toMatch(/^platform\/Routes: GatewayRoute.gateway: SharedGateway.fromAttributes: gatewayName "Bad_Name" is not a valid name/);
  });

  test('the host and namespace checks name the field as each entry point was given it', () => {
    const p = platform();
    const gateway = (id: string, props: { hosts: string[]; allowedNamespaces?: string[] }) => () => new SharedGateway(p.platformChart, id,
      { implementation: GatewayImplementation.istio(), certificate: TlsCertificate.secret('x'), ...props });
    expect(errorOf(gateway('Twice', { hosts: ['a.example.com', 'a.example.com'] })))
      .toBe('platform/Twice: SharedGateway.hosts[1] "a.example.com" is listed twice; one listener per host.');
    expect(errorOf(gateway('NoNs', { hosts: ['a.example.com'], allowedNamespaces: [] })))
      .toBe('platform/NoNs: SharedGateway.allowedNamespaces is empty, which admits no namespace; list namespaces or leave it unset.');
    // fromAttributes has no construct: its call starts the message, reported where the value is used,
    // and the hosts are its listenerHosts (the message named them "hosts" before, a field it does not have).
    const route = (id: string, attrs: { listenerHosts: string[]; allowedNamespaces?: string[] }) => () => new GatewayRoute(p.platformChart, id, {
      gateway: SharedGateway.fromAttributes({ gatewayName: 'public', gatewayNamespace: 'infra', implementation: GatewayImplementation.istio(), ...attrs }),
      rules: [],
    });
    expect(errorOf(route('NoHosts', { listenerHosts: [] })))
      .toBe('platform/NoHosts: GatewayRoute.gateway: SharedGateway.fromAttributes: listenerHosts is empty; list the hosts (or wildcards such as *.example.com) it serves.');
    expect(errorOf(route('BadHost', { listenerHosts: ['a.example.com', 'a.example.com'] })))
      .toBe('platform/BadHost: GatewayRoute.gateway: SharedGateway.fromAttributes: listenerHosts[1] "a.example.com" is listed twice; one listener per host.');
    expect(errorOf(route('BadNs', { listenerHosts: ['a.example.com'], allowedNamespaces: [] })))
      .toBe('platform/BadNs: GatewayRoute.gateway: SharedGateway.fromAttributes: allowedNamespaces is empty, which admits no namespace; list namespaces or leave it unset.');
  });
});
