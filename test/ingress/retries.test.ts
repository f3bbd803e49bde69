/**
 * The `retries` option: rendered by ingress-nginx, Traefik, Istio (Ingress profiles) and Envoy
 * Gateway, Traefik (Gateway API profiles); refused by name everywhere else. Every synth here is
 * schema-checked (test/util/synth.ts), so each rendered field exists in the controller's CRD.
 */
import { errorOf, render, shop } from './helpers';
import { Peer } from '../../src';
import {
  AlbScheme, GatewayImplementation, IngressBackend, IngressController, RetryOn, TlsCertificate, TlsGateway, TlsGatewayProps, TlsIngress,
} from '../../src/ingress';
import { one, synth } from '../util/synth';

const N = 'nginx.ingress.kubernetes.io/';

function gateway(implementation: GatewayImplementation, props: Partial<TlsGatewayProps> = {}) {
  const { chart, ns, api } = shop();
  new TlsGateway(chart, 'Public', {
    namespace: ns,
    implementation,
    certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
    rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(api, 'http') }],
    ...props,
  });
  const objects = synth(chart);
  return { objects, route: one(objects, 'HTTPRoute', 'public-shop-example-com') };
}

describe('retries on Ingress controllers', () => {
  test('ingress-nginx: proxy-next-upstream conditions and proxy-next-upstream-tries (every try, the first included)', () => {
    // kubernetes/ingress-nginx internal/ingress/annotations/proxy/main.go @ controller-v1.15.1: the keys proxy-next-upstream,
    // proxy-next-upstream-tries; the value of proxy-next-upstream is nginx proxy_next_upstream words (error, timeout,
    // http_502, http_503, http_504 among them), and tries counts every try (nginx proxy_next_upstream_tries).
    const { annotations } = render(IngressController.ingressNginx(), {
      retries: { attempts: 2, retryOn: [RetryOn.CONNECTION_ERROR, RetryOn.GATEWAY_ERROR] },
    });
    expect(annotations[`${N}proxy-next-upstream`]).toBe('error timeout http_502 http_503 http_504');
    expect(annotations[`${N}proxy-next-upstream-tries`]).toBe('3');
    const allowed = ['error', 'timeout', 'invalid_header', 'http_500', 'http_502', 'http_503', 'http_504', 'http_403', 'http_404', 'http_429', 'non_idempotent', 'off'];
    expect(annotations[`${N}proxy-next-upstream`].split(' ').every((w: string) => allowed.includes(w))).toBe(true);
    // Documented default: connection errors only; non_idempotent is never written (POST is not retried once sent).
    expect(render(IngressController.ingressNginx(), { retries: { attempts: 1 } }).annotations[`${N}proxy-next-upstream`]).toBe('error timeout');
  });

  test('ingress-nginx refuses a per-try timeout: proxy-next-upstream-timeout bounds all tries together', () => {
    expect(errorOf(() => render(IngressController.ingressNginx(), { retries: { attempts: 2, perTryTimeoutSeconds: 5 } })))
      .toBe('test/Public: TlsIngress.retries.perTryTimeoutSeconds is 5, but ingress-nginx cannot express it: nginx bounds all tries together (proxy-next-upstream-timeout), '
        + 'not each try; bound each try with timeouts.connectSeconds and timeouts.readSeconds, or leave perTryTimeoutSeconds unset.');
  });

  test('Traefik: a retry Middleware (attempts counts the first try) in router.middlewares', () => {
    // doc.traefik.io/traefik/v3.0/middlewares/http/retry/: `attempts` is how many times the request is sent; it retries
    // only when the backend does not reply. traefik.io/v1alpha1 Middleware spec.retry (src/imports/traefik.io.ts, 3.7 CRD).
    const { objects, annotations } = render(IngressController.traefik(), { retries: { attempts: 2 } });
    expect(one(objects, 'Middleware', 'public-retry').spec).toEqual({ retry: { attempts: 3 } });
    expect(annotations['traefik.ingress.kubernetes.io/router.middlewares'].split(',')).toContain('shop-public-retry@kubernetescrd');
  });

  test('Traefik refuses status-based retries and per-try timeouts', () => {
    expect(errorOf(() => render(IngressController.traefik(), { retries: { attempts: 2, retryOn: [RetryOn.GATEWAY_ERROR] } })))
      .toMatch(/^test\/Public: TlsIngress\.retries\.retryOn contains "GATEWAY_ERROR", but Traefik cannot express it: its retry Middleware retries only when the backend does not answer/);
    expect(errorOf(() => render(IngressController.traefik(), { retries: { attempts: 2, perTryTimeoutSeconds: 3 } })))
      .toMatch(/^test\/Public: TlsIngress\.retries\.perTryTimeoutSeconds is 3, but Traefik cannot express it: its retry Middleware has no per-try timeout/);
  });

  test('Istio: VirtualService route retries (attempts are the retries, perTryTimeout, Envoy retryOn conditions)', () => {
    // istio/api networking/v1alpha3/virtual_service.proto HTTPRetry: attempts (retries), perTryTimeout, retryOn (comma-separated
    // x-envoy-retry-on conditions: connect-failure, reset, gateway-error are Envoy router conditions).
    const { objects } = render(IngressController.istio(), {
      retries: { attempts: 2, perTryTimeoutSeconds: 5, retryOn: [RetryOn.CONNECTION_ERROR, RetryOn.GATEWAY_ERROR] },
    });
    const vs = one(objects, 'VirtualService', 'public-shop-example-com');
    for (const route of vs.spec.http) {
      expect(route.retries).toEqual({ attempts: 2, perTryTimeout: '5s', retryOn: 'connect-failure,reset,gateway-error' });
    }
  });

  test.each([
    ['F5 NGINX', () => IngressController.nginxInc()],
    ['HAProxy', () => IngressController.haproxy()],
    ['AWS Load Balancer Controller', () => IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'], scheme: AlbScheme.INTERNAL })],
    ['GKE Ingress', () => IngressController.gce()],
    ['custom', () => IngressController.custom({ className: 'acme', controllerName: 'acme.io/ingress', namespace: 'acme', podLabels: { app: 'acme' }, displayName: 'custom' })],
  ])('%s refuses retries, naming the controller and the option', (_n, make) => {
    const controller = make();
    expect(errorOf(() => render(controller, { retries: { attempts: 2 }, ...(controller.className === 'acme' ? { sslRedirect: false, hsts: { enabled: false } } : {}) })))
      .toMatch(new RegExp(`^test/Public: TlsIngress\\.retries is \\{ attempts: 2, retryOn: \\["CONNECTION_ERROR"\\] \\}, but ${controller.displayName.replace(/[()]/g, '\\$&')} cannot express it: `));
  });
});

describe('retries on Gateway API implementations', () => {
  test('Envoy Gateway: BackendTrafficPolicy retry (numRetries, perRetry.timeout, retryOn.triggers) on the routes', () => {
    // envoyproxy/gateway api/v1alpha1/retry_types.go @ v1.9.0: numRetries, perRetry.timeout, retryOn.triggers; its own e2e
    // manifest test/e2e/testdata/backend-upgrade.yaml @ v1.9.0 retries connection failures with triggers [connect-failure, reset].
    const { objects } = gateway(GatewayImplementation.envoyGateway(), {
      retries: { attempts: 3, perTryTimeoutSeconds: 2, retryOn: [RetryOn.CONNECTION_ERROR, RetryOn.GATEWAY_ERROR] },
    });
    const policy = one(objects, 'BackendTrafficPolicy', 'public-traffic');
    expect(policy.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'public-shop-example-com' }]);
    expect(policy.spec.retry).toEqual({ numRetries: 3, perRetry: { timeout: '2s' }, retryOn: { triggers: ['connect-failure', 'reset', 'gateway-error'] } });
    expect(one(gateway(GatewayImplementation.envoyGateway(), { retries: { attempts: 1 } }).objects, 'BackendTrafficPolicy', 'public-traffic').spec.retry)
      .toEqual({ numRetries: 1, retryOn: { triggers: ['connect-failure', 'reset'] } });
  });

  test('Traefik (Gateway API): the retry Middleware through an ExtensionRef filter', () => {
    const { objects, route } = gateway(GatewayImplementation.traefik(), { retries: { attempts: 2 } });
    expect(one(objects, 'Middleware', 'public-retry').spec).toEqual({ retry: { attempts: 3 } });
    expect(route.spec.rules[0].filters).toContainEqual({ type: 'ExtensionRef', extensionRef: { group: 'traefik.io', kind: 'Middleware', name: 'public-retry' } });
    expect(errorOf(() => gateway(GatewayImplementation.traefik(), { retries: { attempts: 2, retryOn: [RetryOn.GATEWAY_ERROR] } })))
      .toMatch(/^test\/Public: TlsGateway\.retries\.retryOn contains "GATEWAY_ERROR", but Traefik \(Gateway API\) cannot express it/);
  });

  test.each([
    ['istio', GatewayImplementation.istio()],
    ['cilium', GatewayImplementation.cilium()],
    ['nginxGatewayFabric', GatewayImplementation.nginxGatewayFabric()],
    ['gke', GatewayImplementation.gke()],
    ['generic', GatewayImplementation.generic('acme', { dataPlane: Peer.pods({ namespace: 'acme', labels: { app: 'acme-proxy' } }) })],
  ])('%s refuses retries: HTTPRoute retry is experimental-channel only', (_n, impl) => {
    // kubernetes-sigs/gateway-api apis/v1/httproute_types.go @ v1.4.1: HTTPRouteRule.Retry is +<gateway:experimental>;
    // the committed standard-channel CRD import (src/imports/gateway.networking.k8s.io.ts) has no retry field.
    expect(errorOf(() => gateway(impl, { retries: { attempts: 2 } })))
      .toMatch(new RegExp(`^test/Public: TlsGateway\\.retries is \\{ attempts: 2, retryOn: \\["CONNECTION_ERROR"\\] \\}, but ${impl.displayName.replace(/[()]/g, '\\$&')} \\(Gateway API\\) cannot express it: .*experimental`));
  });
});

describe('retries validation', () => {
  test.each([
    [{ attempts: 0 }, 'TlsIngress.retries.attempts is 0; it must be a whole number 1-10.'],
    [{ attempts: 11 }, 'TlsIngress.retries.attempts is 11; it must be a whole number 1-10.'],
    [{ attempts: 1.5 }, 'TlsIngress.retries.attempts is 1.5; it must be a whole number 1-10.'],
    [{}, 'TlsIngress.retries.attempts is not set; give the number of retries after the first try (1-10).'],
    [{ attempts: 2, perTryTimeoutSeconds: 0 }, 'TlsIngress.retries.perTryTimeoutSeconds is 0; it must be a whole number 1-3600.'],
    [{ attempts: 2, retryOn: [] }, 'TlsIngress.retries.retryOn is empty, so no failure would be retried; list RetryOn values or leave retryOn unset (connection errors).'],
    [{ attempts: 2, retryOn: ['5xx'] }, 'TlsIngress.retries.retryOn[0] "5xx" is not one of CONNECTION_ERROR, GATEWAY_ERROR.'],
    [{ attempts: 2, retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.GATEWAY_ERROR] }, 'TlsIngress.retries.retryOn lists a condition twice; list each once.'],
  ])('refuses %j', (retries, message) => {
    expect(errorOf(() => render(IngressController.istio(), { retries: retries as any }))).toBe(`test/Public: ${message}`);
  });

  test('a canary takes retries from its primary', () => {
    const { chart, ns, web } = shop();
    const primary = new TlsIngress(chart, 'Primary', {
      namespace: ns,
      controller: IngressController.ingressNginx(),
      certificate: TlsCertificate.certManager({ clusterIssuer: 'x' }),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) }],
    });
    expect(errorOf(() => new TlsIngress(chart, 'Canary', {
      namespace: ns,
      controller: IngressController.ingressNginx(),
      certificate: TlsCertificate.certManager({ clusterIssuer: 'x' }),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) }],
      canary: { primary, weightPercent: 10 },
      retries: { attempts: 2 },
    }))).toMatch(/^test\/Canary: TlsIngress\.retries is set on a canary; a canary takes every option from its primary/);
  });
});

describe('circuitBreaker', () => {
  test('Envoy Gateway: BackendTrafficPolicy circuitBreaker with the limits that are set', () => {
    // envoyproxy/gateway api/v1alpha1/circuitbreaker_types.go @ v1.9.0: maxConnections, maxPendingRequests, maxParallelRequests;
    // site/content/en/latest/tasks/traffic/circuit-breaker.md @ v1.9.0: counters per backendRef and per Envoy process, default 1024.
    const { objects } = gateway(GatewayImplementation.envoyGateway(), { circuitBreaker: { maxConnections: 200, maxPendingRequests: 50 } });
    const policy = one(objects, 'BackendTrafficPolicy', 'public-traffic');
    expect(policy.spec.circuitBreaker).toEqual({ maxConnections: 200, maxPendingRequests: 50 });
    expect(policy.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'public-shop-example-com' }]);
  });

  test.each([
    ['traefik', GatewayImplementation.traefik()],
    ['istio', GatewayImplementation.istio()],
    ['generic', GatewayImplementation.generic('acme', { dataPlane: Peer.pods({ namespace: 'acme', labels: { app: 'acme-proxy' } }) })],
  ])('%s (Gateway API) refuses circuitBreaker by name', (_n, impl) => {
    expect(errorOf(() => gateway(impl, { circuitBreaker: { maxParallelRequests: 10 } })))
      .toMatch(new RegExp(`^test/Public: TlsGateway\\.circuitBreaker is \\{ maxParallelRequests: 10 \\}, but ${impl.displayName.replace(/[()]/g, '\\$&')} \\(Gateway API\\) cannot express it`));
  });

  test.each([
    ['ingressNginx', () => IngressController.ingressNginx()],
    ['nginxInc', () => IngressController.nginxInc()],
    ['traefik', () => IngressController.traefik()],
    ['haproxy', () => IngressController.haproxy()],
    ['awsAlb', () => IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'] })],
    ['gce', () => IngressController.gce()],
    ['istio', () => IngressController.istio()],
  ])('%s refuses circuitBreaker by name', (_n, make) => {
    const controller = make();
    expect(errorOf(() => render(controller, { circuitBreaker: { maxConnections: 10 } })))
      .toMatch(new RegExp(`^test/Public: TlsIngress\\.circuitBreaker is \\{ maxConnections: 10 \\}, but ${controller.displayName.replace(/[()]/g, '\\$&')} cannot express it: `));
  });

  test.each([
    [{}, 'TlsGateway.circuitBreaker sets no limit; set maxConnections, maxPendingRequests or maxParallelRequests, or leave circuitBreaker unset.'],
    [{ maxConnections: 0 }, 'TlsGateway.circuitBreaker.maxConnections is 0; it must be a whole number 1-1000000.'],
    [{ maxPendingRequests: 2.5 }, 'TlsGateway.circuitBreaker.maxPendingRequests is 2.5; it must be a whole number 1-1000000.'],
  ])('refuses %j', (circuitBreaker, message) => {
    expect(errorOf(() => gateway(GatewayImplementation.envoyGateway(), { circuitBreaker }))).toBe(`test/Public: ${message}`);
  });
});
