/**
 * An ingress controller or a gateway's data plane that runs in a DenyAllNamespace of the same app.
 *
 * NetworkPolicy semantics (https://kubernetes.io/docs/concepts/services-networking/network-policies/,
 * "The two sorts of pod isolation"): a pod is isolated for egress when any NetworkPolicy that
 * selects it lists Egress in its policyTypes, and then "the only allowed connections from the pod
 * are those allowed by the egress list of some policy that applies to the pod". For a connection
 * between two pods to be allowed, both the egress policy on the source and the ingress policy on
 * the destination must allow it. A DenyAllNamespace's `default-deny` (podSelector {}, policyTypes
 * Ingress and Egress) isolates every pod of the namespace, the controller's included, so the
 * backend's ingress rule alone admits nothing: the namespace must carry the controller's egress.
 *
 * Before the fix the analyzer said `denied: ingress-nginx/controller is isolated for egress by
 * policies ingress-nginx/default-deny, ingress-nginx/allow-dns; no egress rule admits shop/api on
 * TCP 8080`, while `cdk8s synth` passed.
 */
import { errorOf, pods, shop } from './helpers';
import { DenyAllNamespace, NetworkAnalysis, Peer, Port, SecureService } from '../../src';
import { reachLines } from '../../src/analysis/reach';
import { GatewayImplementation, IngressBackend, IngressController, TlsCertificate, TlsGateway, TlsIngress } from '../../src/ingress';
import { newChart, ofKind, one, synth } from '../util/synth';

/** ingress-nginx's Helm chart labels its controller pods so (kubernetes/ingress-nginx charts/ingress-nginx/templates/_helpers.tpl, selectorLabels + component). */
const NGINX = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };

/** shop (api, web, and db which no rule routes to), a TlsIngress through ingress-nginx, and the controller's namespace made before or after it. */
function nginxApp(namespaceFirst: boolean) {
  const s = shop();
  const db = new SecureService(s.chart, 'Db', { namespace: s.ns, image: 'ghcr.io/acme/db:1.0.0', port: 5432 });
  const edge = () => new DenyAllNamespace(s.chart, 'Edge', { name: 'ingress-nginx' });
  if (namespaceFirst) edge();
  new TlsIngress(s.chart, 'Public', {
    namespace: s.ns,
    controller: IngressController.ingressNginx(),
    certificate: TlsCertificate.secret('shop-tls'),
    rules: [
      { host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(s.api, 'http') },
      { host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.web) },
    ],
  });
  if (!namespaceFirst) edge();
  return { ...s, db, objects: synth(s.chart) };
}

function podSelectorOf(objects: any[], policy: string) {
  return one(objects, 'NetworkPolicy', policy).spec.podSelector;
}

describe('an ingress controller in a DenyAllNamespace of the app reaches its backends', () => {
  test('the namespace lets exactly the controller pods out to each backend on its target port; nothing else is opened', () => {
    const { objects } = nginxApp(true);
    const shopNs = { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } };
    const policy = one(objects, 'NetworkPolicy', 'allow-nginx-controller-egress');
    expect(policy.metadata.namespace).toBe('ingress-nginx');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: NGINX },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ namespaceSelector: shopNs, podSelector: podSelectorOf(objects, 'api') }], ports: [{ port: 8080, protocol: 'TCP' }] },
        { to: [{ namespaceSelector: shopNs, podSelector: podSelectorOf(objects, 'web') }], ports: [{ port: 8080, protocol: 'TCP' }] },
      ],
    });
    // The only policy this fix adds: the namespace's own three, and none elsewhere.
    expect(ofKind(objects, 'NetworkPolicy').filter((p) => p.metadata.namespace === 'ingress-nginx').map((p) => p.metadata.name).sort())
      .toEqual(['allow-dns', 'allow-nginx-controller-egress', 'default-deny']);

    const net = NetworkAnalysis.fromManifests([...objects,
      pods('ingress-nginx', 'controller', NGINX),
      pods('ingress-nginx', 'admission', { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'admission-webhook' })]);
    expect(net.explain({ from: 'ingress-nginx/controller', to: 'shop/api', port: 8080 }).text)
      .toBe('allowed: egress from ingress-nginx/controller admitted by policy ingress-nginx/allow-nginx-controller-egress rule 0; ingress to shop/api admitted by policy shop/api rule 0');
    expect(net.isAllowed({ from: 'ingress-nginx/controller', to: 'shop/web', port: 8080 })).toBe(true);
    // Not another port of a backend, not a workload no rule routes to, not another pod of the controller's namespace.
    expect(net.isAllowed({ from: 'ingress-nginx/controller', to: 'shop/api', port: 9090 })).toBe(false);
    expect(net.isAllowed({ from: 'ingress-nginx/controller', to: 'shop/db', port: 5432 })).toBe(false);
    expect(net.isAllowed({ from: 'ingress-nginx/admission', to: 'shop/api', port: 8080 })).toBe(false);
    // Nor outside the cluster: the controller's egress stays closed there.
    expect(net.isAllowed({ from: 'ingress-nginx/controller', to: '203.0.113.7', port: 443 })).toBe(false);
  });

  test('the namespace may be made after the TlsIngress: the same policy is written', () => {
    const first = one(nginxApp(true).objects, 'NetworkPolicy', 'allow-nginx-controller-egress');
    const later = one(nginxApp(false).objects, 'NetworkPolicy', 'allow-nginx-controller-egress');
    expect(later).toEqual(first);
  });

  test('without a DenyAllNamespace for the controller nothing is written in its namespace (its egress is not isolated by this app)', () => {
    const s = shop();
    new TlsIngress(s.chart, 'Public', {
      namespace: s.ns,
      controller: IngressController.ingressNginx(),
      certificate: TlsCertificate.secret('shop-tls'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.api, 'http') }],
    });
    expect(ofKind(synth(s.chart), 'NetworkPolicy').filter((p) => p.metadata.namespace !== 'shop')).toEqual([]);
  });

  test('a controller running in the backends\' own DenyAllNamespace gets its egress there, with a pod selector only', () => {
    const s = shop();
    const labels = { app: 'edge-proxy' };
    new TlsIngress(s.chart, 'Public', {
      namespace: s.ns,
      controller: IngressController.traefik({ namespace: 'shop', podLabels: labels }),
      certificate: TlsCertificate.secret('shop-tls'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.web) }],
    });
    const objects = synth(s.chart);
    expect(one(objects, 'NetworkPolicy', 'allow-traefik-controller-egress').spec.egress)
      .toEqual([{ to: [{ podSelector: podSelectorOf(objects, 'web') }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    const net = NetworkAnalysis.fromManifests([...objects, pods('shop', 'traefik', labels)]);
    expect(net.isAllowed({ from: 'shop/traefik', to: 'shop/web', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/traefik', to: 'shop/api', port: 8080 })).toBe(false);
  });
});

describe('a gateway data plane in a DenyAllNamespace of the app reaches its backends', () => {
  test('Envoy Gateway: each Gateway\'s Envoy pods reach that Gateway\'s backends only, on the target port', () => {
    const s = shop();
    new DenyAllNamespace(s.chart, 'EnvoySystem', { name: 'envoy-gateway-system' });
    const gateway = (id: string, host: string, backend: IngressBackend) => new TlsGateway(s.chart, id, {
      namespace: s.ns,
      implementation: GatewayImplementation.envoyGateway(),
      certificate: TlsCertificate.secret(`${id.toLowerCase()}-tls`),
      rules: [{ host, backend }],
    });
    const pub = gateway('Public', 'shop.example.com', IngressBackend.fromSecureService(s.api, 'http'));
    const admin = gateway('Admin', 'admin.example.com', IngressBackend.fromSecureService(s.web));
    const objects = synth(s.chart);
    // envoyproxy/gateway v1.9.0 labels each Gateway's Envoy pods with gateway.envoyproxy.io/owning-gateway-name.
    expect(one(objects, 'NetworkPolicy', 'allow-eg-data-plane-egress').spec.podSelector.matchLabels['gateway.envoyproxy.io/owning-gateway-name']).toBe('public');
    expect(one(objects, 'NetworkPolicy', 'allow-eg-data-plane-egress-2').spec.podSelector.matchLabels['gateway.envoyproxy.io/owning-gateway-name']).toBe('admin');
    const net = NetworkAnalysis.fromChart(s.chart);
    expect(net.isConnectionAllowed(pub.dataPlane[0], s.api, Port.tcp(8080))).toBe(true);
    expect(net.isConnectionAllowed(pub.dataPlane[0], s.api, Port.tcp(9090))).toBe(false);
    expect(net.isConnectionAllowed(pub.dataPlane[0], s.web, Port.tcp(8080))).toBe(false);
    expect(net.isConnectionAllowed(admin.dataPlane[0], s.web, Port.tcp(8080))).toBe(true);
    expect(net.isConnectionAllowed(admin.dataPlane[0], s.api, Port.tcp(8080))).toBe(false);
    // What `cdk8s-net reach --from envoy-gateway-system/public[Gateway]` prints: the one backend, on the one port.
    expect(reachLines(net, { from: 'envoy-gateway-system/public[Gateway]' }).map((l) => `${l.dst} : ${l.conn}`)).toEqual(['shop/api[Deployment] : TCP 8080']);
  });

  test('Traefik: the pods every Gateway shares get one policy with each backend', () => {
    const s = shop();
    new DenyAllNamespace(s.chart, 'Traefik', { name: 'traefik' });
    for (const [id, host, backend] of [['Public', 'shop.example.com', IngressBackend.fromSecureService(s.api, 'http')], ['Admin', 'admin.example.com', IngressBackend.fromSecureService(s.web)]] as const) {
      new TlsGateway(s.chart, id, { namespace: s.ns, implementation: GatewayImplementation.traefik(), certificate: TlsCertificate.secret('shop-tls'), rules: [{ host, backend }] });
    }
    const objects = synth(s.chart);
    expect(ofKind(objects, 'NetworkPolicy').filter((p) => p.metadata.namespace === 'traefik').map((p) => p.metadata.name).sort())
      .toEqual(['allow-dns', 'allow-traefik-data-plane-egress', 'default-deny']);
    const net = NetworkAnalysis.fromManifests([...objects, pods('traefik', 'traefik', { 'app.kubernetes.io/name': 'traefik' })]);
    expect(net.isAllowed({ from: 'traefik/traefik', to: 'shop/api', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'traefik/traefik', to: 'shop/web', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'traefik/traefik', to: 'shop/api', port: 9090 })).toBe(false);
  });

  test.each([
    ['istio', GatewayImplementation.istio()],
    ['nginxGatewayFabric', GatewayImplementation.nginxGatewayFabric()],
  ])('%s: a canary\'s backend is added to the primary\'s data-plane policy, which isolates the gateway pods\' egress', (_n, implementation) => {
    const { chart, ns, api, web } = shop();
    const primary = new TlsGateway(chart, 'Public', {
      namespace: ns,
      implementation,
      certificate: TlsCertificate.secret('shop-tls'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) }],
    });
    new TlsGateway(chart, 'Canary', {
      namespace: ns,
      canary: { primary: primary.asCanaryPrimary, weightPercent: 10 },
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(api, 'http') }],
    });
    const objects = synth(chart);
    expect(ofKind(objects, 'NetworkPolicy').map((p) => p.metadata.name).sort()).toEqual(['allow-dns', 'api', 'default-deny', 'public-data-plane', 'web']);
    const net = NetworkAnalysis.fromChart(chart);
    expect(net.explainConnection(primary.dataPlane[0], api, Port.tcp(8080)).text)
      .toBe('allowed: egress from shop/public admitted by policy shop/public-data-plane rule 3; ingress to shop/api admitted by policy shop/api rule 0');
    expect(net.isConnectionAllowed(primary.dataPlane[0], api, Port.tcp(9090))).toBe(false);
  });

  test('a generic data plane named by labels only runs in the backends\' namespace: its egress is written there', () => {
    const s = shop();
    const proxy = Peer.pods({ labels: { app: 'proxy' } });
    new TlsGateway(s.chart, 'Public', {
      namespace: s.ns,
      gatewayClassName: 'acme',
      dataPlane: proxy,
      certificate: TlsCertificate.secret('shop-tls'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.web) }],
    });
    const objects = synth(s.chart);
    const net = NetworkAnalysis.fromManifests([...objects, pods('shop', 'proxy', { app: 'proxy' })]);
    expect(net.isAllowed({ from: 'shop/proxy', to: 'shop/web', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/proxy', to: 'shop/api', port: 8080 })).toBe(false);
  });

  test('a data plane named by namespace labels that select a DenyAllNamespace is refused, whichever is made first', () => {
    const message = 'test/Public: TlsGateway.dataPlane: the data plane of Gateway API implementation of class acme (ns:team=edge) selects its namespaces by labels, '
      + 'and DenyAllNamespace edge of this app is among them: its default-deny isolates their egress, and which of its pods connect to shop/web is not known, '
      + 'so no egress rule was written; name its pods in one namespace (Peer.pods({ namespace, labels })), or open their egress to shop/web on TCP 8080 yourself (allowTo on that namespace).';
    const gateway = (s: ReturnType<typeof shop>) => new TlsGateway(s.chart, 'Public', {
      namespace: s.ns,
      gatewayClassName: 'acme',
      dataPlane: Peer.namespaces({ labels: { team: 'edge' } }),
      certificate: TlsCertificate.secret('shop-tls'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.web) }],
    });
    const edge = (s: ReturnType<typeof shop>) => new DenyAllNamespace(s.chart, 'Edge', { name: 'edge', labels: { team: 'edge' } });
    const before = shop(newChart());
    edge(before);
    expect(errorOf(() => gateway(before))).toBe(message);
    const after = shop(newChart());
    gateway(after);
    expect(errorOf(() => edge(after))).toBe(message);
    // A namespace the labels do not select is no concern.
    const other = shop(newChart());
    new DenyAllNamespace(other.chart, 'Edge', { name: 'edge', labels: { team: 'payments' } });
    gateway(other);
    expect(() => synth(other.chart)).not.toThrow();
  });
});
