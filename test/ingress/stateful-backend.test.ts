/**
 * A HeadlessStatefulEndpoint made with `clientService: true` is an Ingress / Gateway backend
 * through its load-balancing client Service, with the same policy as a SecureService backend:
 * the controller's pods are admitted to the set's pods on the target port, nothing else is.
 */
import { Chart } from 'cdk8s';
import { pods, shop } from './helpers';
import { HeadlessStatefulEndpoint, NetworkAnalysis } from '../../src';
import { GatewayImplementation, IngressBackend, IngressController, TlsCertificate, TlsGateway, TlsIngress } from '../../src/ingress';
import { errorWhereUsed } from '../util/bad-input';
import { one, synth } from '../util/synth';

/** The shop namespace with a stateful `search` set (http 80 -> 9200, transport 9300), with or without its client Service. */
function withSearch(clientService: boolean) {
  const s = shop();
  const search = new HeadlessStatefulEndpoint(s.chart, 'Search', {
    namespace: s.ns,
    name: 'search',
    image: 'ghcr.io/acme/search:8.1.0',
    replicas: 3,
    clientService,
    ports: [{ name: 'http', port: 80, targetPort: 9200 }, { name: 'transport', port: 9300 }],
  });
  return { ...s, search };
}

function ingressTo(chart: Chart, s: ReturnType<typeof withSearch>, backend: IngressBackend) {
  return new TlsIngress(chart, 'Public', {
    namespace: s.ns,
    controller: IngressController.ingressNginx(),
    certificate: TlsCertificate.secret('shop-tls'),
    rules: [{ host: 'search.example.com', backend }],
  });
}

test('a TlsIngress routes to the client Service and its port; the controller reaches the set\'s pods on the target port only', () => {
  const s = withSearch(true);
  ingressTo(s.chart, s, IngressBackend.fromStatefulClientService(s.search, 'http'));
  const objects = synth(s.chart);
  expect(one(objects, 'Ingress', 'public').spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'search-client', port: { name: 'http' } } });
  // The client Service the Ingress names exists, selects the set's pods and maps http to its target port.
  expect(one(objects, 'Service', 'search-client').spec.ports[0]).toEqual({ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' });
  // ingress-nginx's pods, as its Helm chart labels them (kubernetes/ingress-nginx charts/ingress-nginx/templates/controller-deployment.yaml).
  const net = NetworkAnalysis.fromManifests([...objects, pods('ingress-nginx', 'controller', { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' })]);
  expect(net.isAllowed({ from: 'ingress-nginx/controller', to: 'shop/search', port: 9200 })).toBe(true);
  expect(net.isAllowed({ from: 'ingress-nginx/controller', to: 'shop/search', port: 9300 })).toBe(false);
  expect(net.isAllowed({ from: 'shop/web', to: 'shop/search', port: 9200 })).toBe(false);
});

test('the only port is the default, as for fromSecureService', () => {
  const s = shop();
  const cache = new HeadlessStatefulEndpoint(s.chart, 'Cache', {
    namespace: s.ns, name: 'cache', image: 'ghcr.io/acme/cache:7.2.0', clientService: true, clientServiceName: 'cache-lb', ports: [{ name: 'http', port: 8080 }],
  });
  const backend = IngressBackend.fromStatefulClientService(cache);
  expect([backend.serviceName, backend.servicePort]).toEqual(['cache-lb', 8080]);
});

test('a TlsGateway\'s HTTPRoute names the client Service and port; its data plane reaches the set\'s pods on the target port', () => {
  const s = withSearch(true);
  new TlsGateway(s.chart, 'Public', {
    namespace: s.ns,
    implementation: GatewayImplementation.envoyGateway(),
    certificate: TlsCertificate.secret('shop-tls'),
    rules: [{ host: 'search.example.com', backend: IngressBackend.fromStatefulClientService(s.search, 'http') }],
  });
  const objects = synth(s.chart);
  const route = objects.find((o) => o.kind === 'HTTPRoute');
  expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'search-client', port: 80 }]);
  const net = NetworkAnalysis.fromChart(s.chart);
  expect(net.isAllowed({ from: 'envoy-gateway-system/public[Gateway]', to: 'shop/search', port: 9200 })).toBe(true);
  expect(net.isAllowed({ from: 'envoy-gateway-system/public[Gateway]', to: 'shop/search', port: 9300 })).toBe(false);
});

describe('bad input is refused where the backend is used', () => {
  test.each<[string, () => unknown, string]>([
    ['an endpoint without a client Service', () => IngressBackend.fromStatefulClientService(withSearch(false).search, 'http'),
      'test/Ing: TlsIngress.rules[0].backend: IngressBackend.fromStatefulClientService(shop/search): HeadlessStatefulEndpoint shop/search has no client Service ' +
      '(HeadlessStatefulEndpoint.clientService is not set); set clientService: true on it, so that the route reaches a Service that load-balances over its ready pods ' +
      '(the headless Service hands out pod addresses).'],
    ['a port name the set lacks', () => IngressBackend.fromStatefulClientService(withSearch(true).search, 'grpc'),
      'test/Ing: TlsIngress.rules[0].backend: IngressBackend.fromStatefulClientService(shop/search, \'grpc\'): HeadlessStatefulEndpoint shop/search has no port named "grpc"; its ports are http, transport.'],
    ['no port name on a set with several ports', () => IngressBackend.fromStatefulClientService(withSearch(true).search),
      'test/Ing: TlsIngress.rules[0].backend: IngressBackend.fromStatefulClientService(shop/search): HeadlessStatefulEndpoint shop/search has 2 ports (http, transport); name the one to route to.'],
    ['a SecureService', () => IngressBackend.fromStatefulClientService(shop().web as any),
      'test/Ing: TlsIngress.rules[0].backend: IngressBackend.fromStatefulClientService: endpoint is a SecureService; ' +
      'give a HeadlessStatefulEndpoint made with clientService: true, or use IngressBackend.fromSecureService() for a SecureService.'],
  ])('%s', (_n, f, expected) => {
    expect(errorWhereUsed(f)).toBe(expected);
  });
});
