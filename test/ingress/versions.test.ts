import { errorOf, render } from './helpers';
import { AlbScheme, IngressController, TlsIngressProps } from '../../src/ingress';
import { errorWhereUsed } from '../util/bad-input';

const alb = (version?: string) => IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'], scheme: AlbScheme.INTERNET_FACING, version });

describe('each profile renders for the controller release the user runs, by default the newest', () => {
  test.each<[string, () => IngressController, string | undefined]>([
    // Newest tags: kubernetes/ingress-nginx controller-v1.15.1, nginx/kubernetes-ingress v5.5.4, traefik/traefik v3.7.9,
    // haproxytech/kubernetes-ingress v3.2.11, kubernetes-sigs/aws-load-balancer-controller v3.5.0, istio/api 1.30.3.
    ['ingress-nginx', () => IngressController.ingressNginx(), '1.15'],
    ['F5 NGINX', () => IngressController.nginxInc(), '5.5'],
    ['Traefik', () => IngressController.traefik(), '3.7'],
    ['HAProxy', () => IngressController.haproxy(), '3.2'],
    ['AWS Load Balancer Controller', () => alb(), '3.5'],
    ['Istio', () => IngressController.istio(), '1.30'],
    ['GKE (managed by Google: no version)', () => IngressController.gce(), undefined],
  ])('%s', (_n, make, version) => {
    expect(make().version).toBe(version);
  });

  test('every profile synthesizes with the library defaults', () => {
    const controllers = [IngressController.ingressNginx(), IngressController.nginxInc(), IngressController.traefik(),
      IngressController.haproxy(), alb(), IngressController.gce(), IngressController.istio()];
    for (const controller of controllers) {
      expect(errorOf(() => render(controller))).toBe('no error');
    }
  });

  test.each<[string, () => unknown, string]>([
    ['a version that is no release number', () => IngressController.traefik({ version: 'latest' }),
      'test/Class: IngressClass.controller: IngressController.traefik: version "latest" is not a release number; give major.minor or major.minor.patch, e.g. \'3.7\'.'],
    ['a release older than the profile supports', () => IngressController.ingressNginx({ version: '0.49' }),
      'test/Class: IngressClass.controller: IngressController.ingressNginx: version "0.49" is older than 1.0, the oldest ingress-nginx release this profile renders for (the first release that reads networking.k8s.io/v1 Ingresses and IngressClasses); upgrade the controller.'],
    ['Traefik 2.x', () => IngressController.traefik({ version: '2.11' }),
      'test/Class: IngressClass.controller: IngressController.traefik: version "2.11" is older than 3.0, the oldest Traefik release this profile renders for (the first release with the ipAllowList Middleware, which 2.x calls ipWhiteList); upgrade the controller.'],
    ['a version for GKE', () => IngressController.gce({ version: '1.30' }),
      'test/Class: IngressClass.controller: IngressController.gce: version is set, but GKE Ingress (gce) has no releases to choose from (it is managed by its provider); remove version.'],
  ])('refuses %s where the controller is used', (_n, f, message) => {
    expect(errorWhereUsed(f)).toBe(message);
  });
});

describe('an older release gets the key it reads, or a synth error naming the release that reads the option', () => {
  const TOO_OLD = (field: string, what: string, controller: string, since: string, version: string, call: string) =>
    `test/Public: TlsIngress.${field} renders ${what}, which ${controller} reads from release ${since} on, but the profile renders for ${version} ` +
    `(${call}({ version })); upgrade the controller to ${since} or later and set that version, or leave ${field} unset.`;

  test.each<[string, () => IngressController, Partial<TlsIngressProps>, { [k: string]: string | undefined }]>([
    // kubernetes/ingress-nginx internal/ingress/annotations/ipallowlist/main.go @ controller-v1.9.1 adds allowlist-source-range
    // (comma-separated CIDRs) and keeps whitelist-source-range as an alias; controller-v1.9.0 reads only the latter
    // (internal/ingress/annotations/ipwhitelist/main.go).
    ['ingress-nginx 1.9.0 reads whitelist-source-range', () => IngressController.ingressNginx({ version: '1.9' }), { allowSourceRanges: ['203.0.113.0/24'] },
      { 'nginx.ingress.kubernetes.io/whitelist-source-range': '203.0.113.0/24', 'nginx.ingress.kubernetes.io/allowlist-source-range': undefined }],
    ['ingress-nginx 1.9.1 reads allowlist-source-range', () => IngressController.ingressNginx({ version: '1.9.1' }), { allowSourceRanges: ['203.0.113.0/24'] },
      { 'nginx.ingress.kubernetes.io/allowlist-source-range': '203.0.113.0/24', 'nginx.ingress.kubernetes.io/whitelist-source-range': undefined }],
    // nginx/kubernetes-ingress internal/configs/annotations.go @ v5.4.0: SSLRedirectAnnotation "nginx.org/ssl-redirect" is read
    // first, "ingress.kubernetes.io/ssl-redirect" only when it is absent; v5.3.x reads only the legacy key.
    ['F5 NGINX 5.3 reads the legacy ssl-redirect key', () => IngressController.nginxInc({ version: '5.3' }), {},
      { 'ingress.kubernetes.io/ssl-redirect': 'true', 'nginx.org/ssl-redirect': undefined }],
    ['F5 NGINX 5.4 reads nginx.org/ssl-redirect', () => IngressController.nginxInc({ version: '5.4.0' }), { sslRedirect: false },
      { 'nginx.org/ssl-redirect': 'false', 'ingress.kubernetes.io/ssl-redirect': undefined }],
    // haproxytech/kubernetes-ingress pkg/annotations/annotations.go @ v1.11.0 renames whitelist to allow-list (accessControl.go
    // keeps "whitelist" as the deprecated name); controller/annotations/annotations.go @ v1.7.0 reads cors-allow-method (singular),
    // v1.8.0 cors-allow-methods.
    ['HAProxy 1.10 reads whitelist', () => IngressController.haproxy({ version: '1.10' }), { allowSourceRanges: ['203.0.113.0/24'] },
      { 'haproxy.org/whitelist': '203.0.113.0/24', 'haproxy.org/allow-list': undefined }],
  ])('%s', (_n, controller, props, expected) => {
    const { annotations } = render(controller(), props);
    for (const [k, v] of Object.entries(expected)) expect([k, annotations[k]]).toEqual([k, v]);
  });

  test.each<[string, () => unknown, string]>([
    // nginx/kubernetes-ingress internal/configs/annotations.go: limit-req-rate and limit-req-burst @ v3.5.0, limit-req-scale @ v3.6.0.
    ['F5 NGINX 3.4 has no rate limit annotation', () => render(IngressController.nginxInc({ version: '3.4' }), { rateLimit: { requestsPerSecond: 10 } }),
      TOO_OLD('rateLimit.requestsPerSecond', 'nginx.org/limit-req-rate', 'F5 NGINX Ingress Controller', '3.5', '3.4', 'IngressController.nginxInc')],
    ['F5 NGINX 3.5 cannot divide the rate among replicas', () => render(IngressController.nginxInc({ version: '3.5' }), { rateLimit: { requestsPerSecond: 10 } }),
      TOO_OLD('rateLimit.requestsPerSecond', 'nginx.org/limit-req-scale', 'F5 NGINX Ingress Controller', '3.6', '3.5', 'IngressController.nginxInc')],
    // nginx/kubernetes-ingress: basic-auth-secret first appears in v2.3.0 (docs/content/configuration/ingress-resources/advanced-configuration-with-annotations.md).
    ['F5 NGINX 2.2 has no basic auth annotation', () => render(IngressController.nginxInc({ version: '2.2' }), { basicAuthSecret: 'users' }),
      TOO_OLD('basicAuthSecret', 'nginx.org/basic-auth-secret', 'F5 NGINX Ingress Controller', '2.3', '2.2', 'IngressController.nginxInc')],
    // kubernetes-sigs/aws-load-balancer-controller pkg/annotations/constants.go: listener-attributes @ v2.9.0, ssl-redirect @ v2.2.0.
    ['ALB 2.8 cannot set the HSTS header', () => render(alb('2.8')),
      TOO_OLD('hsts', 'alb.ingress.kubernetes.io/listener-attributes.HTTPS-443', 'AWS Load Balancer Controller', '2.9', '2.8', 'IngressController.awsAlb')],
    ['ALB 2.1 has no ssl-redirect annotation', () => render(alb('2.1'), { hsts: { enabled: false } }),
      TOO_OLD('sslRedirect', 'alb.ingress.kubernetes.io/ssl-redirect', 'AWS Load Balancer Controller', '2.2', '2.1', 'IngressController.awsAlb')],
    // haproxytech/kubernetes-ingress pkg/annotations/annotations.go @ v1.11.0: service.NewTimeoutServer (per-backend timeout-server);
    // earlier, timeout-server is a ConfigMap key only.
    ['HAProxy 1.10 has no per-Ingress server timeout', () => render(IngressController.haproxy({ version: '1.10' }), { timeouts: { readSeconds: 30 } }),
      TOO_OLD('timeouts.readSeconds', 'haproxy.org/timeout-server', 'HAProxy Kubernetes Ingress Controller', '1.11', '1.10', 'IngressController.haproxy')],
    // haproxytech/kubernetes-ingress pkg/annotations/annotations.go @ v3.2.0 adds cors-respond-to-options ("true": answer OPTIONS preflights
    // with 204 at the proxy, pkg/haproxy/rules/reqReturnStatus.go); before, preflights reach the backend, which may not answer them.
    ['HAProxy 3.1 cannot answer CORS preflights', () => render(IngressController.haproxy({ version: '3.1' }), { cors: { allowOrigins: ['*'] } }),
      TOO_OLD('cors', 'haproxy.org/cors-respond-to-options', 'HAProxy Kubernetes Ingress Controller', '3.2', '3.1', 'IngressController.haproxy')],
  ])('%s', (_n, f, message) => {
    expect(errorOf(f)).toBe(message);
  });

  test('the release may be given with a leading v and a patch number', () => {
    expect(IngressController.nginxInc({ version: 'v5.4.2' }).version).toBe('5.4.2');
  });
});
