/**
 * Right meaning: each option is rendered under the key whose meaning it has on the controller,
 * or refused where the controller gives the key another meaning.
 */
import { errorOf, render, shop, withPrefix } from './helpers';
import { IngressBackend, IngressClass, IngressController, TlsCertificate, TlsIngress } from '../../src/ingress';
import { errorWhereUsed } from '../util/bad-input';
import { newChart, one, synth } from '../util/synth';

describe('GKE', () => {
  test('an SSL policy on internal Ingress is refused: FrontendConfig SSL policies work with external Ingress only', () => {
    // cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration, feature table: FrontendConfig "SSL policy":
    // External Ingress GA, Internal Ingress "GA with Gateway" (not through Ingress).
    const internal = IngressController.gce({ internal: true, proxyOnlySubnetCidr: '10.129.0.0/23', sslPolicy: 'modern-tls' });
    expect(errorOf(() => render(internal, { sslRedirect: false }))).toBe('test/Public: GceOptions.sslPolicy is "modern-tls", but GKE internal Ingress (gce-internal) cannot express it: ' +
      'FrontendConfig SSL policies work with external Ingress only (internal load balancers take them through Gateway API); ' +
      'remove sslPolicy, or use TlsGateway with the gke-l7-rilb class for an internal load balancer with an SSL policy.');
  });
});

describe('Istio', () => {
  test('responseSeconds is the VirtualService route timeout, which covers the whole request and response', () => {
    // istio/api @ 1.30.3 networking/v1/virtual_service.proto HTTPRoute.timeout: "Timeout for HTTP requests" (a duration, "60s").
    const { objects } = render(IngressController.istio(), { timeouts: { responseSeconds: 60 } });
    for (const route of one(objects, 'VirtualService').spec.http) expect(route.timeout).toBe('60s');
  });
});

describe('HAProxy', () => {
  test('each TlsIngress gets its own rate-limit stick table, never the shared default 1s one', () => {
    // haproxytech/kubernetes-ingress @ v3.2.11 pkg/annotations/ingress/reqRateLimit.go: the table is "RateLimit-<period in ms>", keyed by
    // "src", so Ingresses with one period share counts; rate-limit-period takes a time ("1100ms", pkg/utils/utils.go ParseTime).
    const s = shop();
    const make = (id: string, host: string, rps: number) => new TlsIngress(s.chart, id, {
      namespace: s.ns,
      controller: IngressController.haproxy(),
      certificate: TlsCertificate.secret('x'),
      rateLimit: { requestsPerSecond: rps },
      rules: [{ host, backend: IngressBackend.fromSecureService(s.web) }],
    });
    make('A', 'a.example.com', 10);
    make('B', 'b.example.com', 10);
    make('C', 'c.example.com', 7);
    const limits = synth(s.chart).filter((o) => o.kind === 'Ingress')
      .map((o) => [o.metadata.name, o.metadata.annotations['haproxy.org/rate-limit-requests'], o.metadata.annotations['haproxy.org/rate-limit-period']]);
    expect(limits).toEqual([['a', '11', '1100ms'], ['b', '12', '1200ms'], ['c', '14', '2000ms']]);
    for (const [, requests, period] of limits) expect(Number(requests) / parseInt(period, 10) * 1000).toBeCloseTo(period === '2000ms' ? 7 : 10);
  });

  test('CORS answers preflights at the proxy and lists the safelisted headers rather than the controller\'s "*"', () => {
    // pkg/annotations/ingress/resSetCORS.go @ v3.2.11: cors-respond-to-options "true" returns 204 to OPTIONS (pkg/haproxy/rules/reqReturnStatus.go);
    // documentation/annotations.md: cors-allow-headers default "*", or a comma-separated list.
    const a = withPrefix(render(IngressController.haproxy(), { cors: { allowOrigins: ['https://app.example.com'] } }).annotations, 'haproxy.org/');
    expect([a['cors-respond-to-options'], a['cors-allow-headers']]).toEqual(['true', 'Accept, Accept-Language, Content-Language']);
  });

  test('the IngressClass controller string follows the class, as the Helm chart installs it, and can be set', () => {
    // pkg/store/store.go @ v3.2.11: with --ingress.class=<name> the controller serves classes whose controller is
    // haproxy.org/ingress-controller/<name>; without the flag, haproxy.org/ingress-controller.
    const controller = (c: IngressController) => one(synth((() => {
      const chart = newChart();
      new IngressClass(chart, 'Class', { controller: c });
      return chart;
    })()), 'IngressClass').spec.controller;
    expect(controller(IngressController.haproxy())).toBe('haproxy.org/ingress-controller/haproxy');
    expect(controller(IngressController.haproxy({ className: 'haproxy-public' }))).toBe('haproxy.org/ingress-controller/haproxy-public');
    expect(controller(IngressController.haproxy({ controllerName: 'haproxy.org/ingress-controller' }))).toBe('haproxy.org/ingress-controller');
    expect(controller(IngressController.ingressNginx({ controllerName: 'k8s.io/internal-nginx' }))).toBe('k8s.io/internal-nginx');
  });

  test.each<[string, () => unknown, string]>([
    ['a controller string that is no domain-prefixed path', () => IngressController.haproxy({ controllerName: 'haproxy' }),
      'test/Class: IngressClass.controller: IngressController.haproxy: controllerName "haproxy" is not a controller string (a domain-prefixed path such as example.com/ingress-controller).'],
    ['a controller string for GKE, which has no IngressClass', () => IngressController.gce({ controllerName: 'k8s.io/ingress-gce' }),
      'test/Class: IngressClass.controller: IngressController.gce: controllerName is set, but GKE Ingress has no IngressClass to name a controller in; remove controllerName.'],
  ])('refuses %s where the controller is used', (_n, f, message) => {
    expect(errorWhereUsed(f)).toBe(message);
  });
});

describe('ingress-nginx', () => {
  test('unset cors.allowHeaders is written as the safelisted headers, not the controller default that allows Authorization', () => {
    // kubernetes/ingress-nginx @ controller-v1.15.1 internal/ingress/annotations/cors/main.go: default cors-allow-headers
    // "DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization".
    const a = render(IngressController.ingressNginx(), { cors: { allowOrigins: ['https://app.example.com'] } }).annotations;
    expect(a['nginx.ingress.kubernetes.io/cors-allow-headers']).toBe('Accept, Accept-Language, Content-Language');
  });
});
