import { errorOf, render, shop, withPrefix } from './helpers';
import { AlbIpAddressType, AlbScheme, BackendProtocol, IngressBackend, IngressController, TlsCertificate, TlsIngress, TlsIngressProps } from '../../src/ingress';
import { errorWhereUsed } from '../util/bad-input';
import { ofKind, one, synth } from '../util/synth';

const nginx = () => IngressController.ingressNginx();
const nginxInc = () => IngressController.nginxInc();
const traefik = () => IngressController.traefik();
const haproxy = () => IngressController.haproxy();
const alb = () => IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'], scheme: AlbScheme.INTERNET_FACING });
const gce = () => IngressController.gce();
const istio = () => IngressController.istio();
const custom = () => IngressController.custom({
  className: 'acme',
  controllerName: 'example.com/acme',
  namespace: 'acme',
  podLabels: { app: 'acme' },
  sslRedirectAnnotations: { 'example.com/force-https': 'true' },
  hstsAnnotations: { 'example.com/hsts': 'true' },
});


describe('ingress-nginx renders each option as nginx.ingress.kubernetes.io annotations', () => {
  const N = 'nginx.ingress.kubernetes.io/';
  test.each<[string, Partial<TlsIngressProps>, { [k: string]: string }]>([
    ['the redirect is written explicitly', {}, { 'ssl-redirect': 'true' }],
    ['turning the redirect off says false', { sslRedirect: false }, { 'ssl-redirect': 'false' }],
    ['a rate limit becomes limit-rps and a burst multiplier', { rateLimit: { requestsPerSecond: 20, burst: 40, connections: 10 } },
      { 'ssl-redirect': 'true', 'limit-rps': '20', 'limit-burst-multiplier': '2', 'limit-connections': '10' }],
    ['timeouts become proxy timeouts in seconds', { timeouts: { connectSeconds: 5, readSeconds: 60, sendSeconds: 30 } },
      { 'ssl-redirect': 'true', 'proxy-connect-timeout': '5', 'proxy-read-timeout': '60', 'proxy-send-timeout': '30' }],
    ['the body size uses nginx units', { maxRequestBodyBytes: 8 * 1024 * 1024 }, { 'ssl-redirect': 'true', 'proxy-body-size': '8m' }],
    ['source ranges become the allow list', { allowSourceRanges: ['203.0.113.0/24', '2001:db8::/32'] },
      { 'ssl-redirect': 'true', 'allowlist-source-range': '203.0.113.0/24,2001:db8::/32' }],
    ['basic auth names its secret', { basicAuthSecret: 'shop-users' }, { 'ssl-redirect': 'true', 'auth-type': 'basic', 'auth-secret': 'shop-users' }],
    ['external auth passes the checked URL', { externalAuthUrl: 'https://auth.example.com/verify' }, { 'ssl-redirect': 'true', 'auth-url': 'https://auth.example.com/verify' }],
    ['the backend protocol is upper case', { backendProtocol: BackendProtocol.GRPC }, { 'ssl-redirect': 'true', 'backend-protocol': 'GRPC' }],
    ['CORS lists origins, methods and credentials', { cors: { allowOrigins: ['https://app.example.com'], allowHeaders: ['Authorization'], maxAgeSeconds: 600 } },
      {
        'ssl-redirect': 'true',
        'enable-cors': 'true',
        'cors-allow-origin': 'https://app.example.com',
        'cors-allow-methods': 'GET, POST, OPTIONS',
        'cors-allow-headers': 'Authorization',
        'cors-allow-credentials': 'false',
        'cors-max-age': '600',
      }],
  ])('%s', (_name, props, expected) => {
    const { annotations } = render(nginx(), props);
    expect(withPrefix(annotations, N)).toEqual(expected);
  });

  test('HSTS is left to the controller ConfigMap, whose defaults equal ours, so nothing HSTS-related is written', () => {
    const { annotations } = render(nginx());
    expect(Object.keys(annotations).filter((k) => /hsts|snippet/.test(k))).toEqual([]);
  });
});

describe('F5 NGINX renders nginx.org annotations', () => {
  // Keys and formats: nginx/kubernetes-ingress internal/configs/annotations.go @ v5.5.4 (parseAnnotations):
  // hsts/hsts-max-age (seconds)/hsts-include-subdomains (bool) since v1.4.0; limit-req-rate ("<n>r/s") and
  // limit-req-burst since v3.5.0, limit-req-scale since v3.6.0; proxy-*-timeout (nginx time, "60s") and
  // client-max-body-size (nginx size, "1k"); basic-auth-secret since v2.3.0; ssl-services/grpc-services (Service names).
  test.each<[string, Partial<TlsIngressProps>, { [k: string]: string }]>([
    ['defaults: redirect and HSTS', {}, { 'ssl-redirect': 'true', 'hsts': 'true', 'hsts-max-age': '31536000', 'hsts-include-subdomains': 'true' }],
    ['a rate limit is scaled across replicas', { rateLimit: { requestsPerSecond: 20, burst: 40 }, hsts: { enabled: false } },
      { 'ssl-redirect': 'true', 'hsts': 'false', 'limit-req-rate': '20r/s', 'limit-req-scale': 'true', 'limit-req-burst': '40' }],
    ['timeouts and body size', { timeouts: { connectSeconds: 5, readSeconds: 60, sendSeconds: 30 }, maxRequestBodyBytes: 1024, hsts: { enabled: false } },
      { 'ssl-redirect': 'true', 'hsts': 'false', 'proxy-connect-timeout': '5s', 'proxy-read-timeout': '60s', 'proxy-send-timeout': '30s', 'client-max-body-size': '1k' }],
    ['basic auth and HTTPS backends', { basicAuthSecret: 'shop-users', backendProtocol: BackendProtocol.HTTPS, hsts: { enabled: false } },
      { 'ssl-redirect': 'true', 'hsts': 'false', 'basic-auth-secret': 'shop-users', 'ssl-services': 'api,web' }],
  ])('%s', (_name, props, expected) => {
    const { annotations } = render(nginxInc(), props);
    expect(withPrefix(annotations, 'nginx.org/')).toEqual(expected);
    // 5.4 and later read nginx.org/ssl-redirect first; the legacy key is not written beside it.
    expect(annotations['ingress.kubernetes.io/ssl-redirect']).toBeUndefined();
  });

  test('with the library defaults F5 NGINX synthesizes: its Ingress header always carries preload, so preload defaults to true there', () => {
    // nginx/kubernetes-ingress internal/configs/version1/nginx.ingress.tmpl @ v5.5.4:
    // set $hsts_header_val "max-age=...; {{if ...}}includeSubDomains; {{end}}preload";
    for (const hsts of [undefined, { preload: true }, { maxAgeSeconds: 63072000 }, { enabled: false }]) {
      const { ingress, annotations } = render(nginxInc(), hsts ? { hsts } : {});
      expect(annotations['nginx.org/hsts']).toBe(hsts?.enabled === false ? 'false' : 'true');
      expect(ingress.node.metadata.filter((m) => m.type === 'warning')).toEqual([]);
    }
  });

  test('gRPC and HTTPS backends list every backend Service', () => {
    expect(render(nginxInc(), { backendProtocol: BackendProtocol.GRPC }).annotations['nginx.org/grpc-services']).toBe('api,web');
  });
});

describe('Traefik renders router annotations and Middleware objects', () => {
  test('the router listens on websecure with TLS and chains its middlewares', () => {
    const { annotations, objects } = render(traefik(), {
      rateLimit: { requestsPerSecond: 20, burst: 40, connections: 10 },
      maxRequestBodyBytes: 1048576,
      allowSourceRanges: ['203.0.113.0/24'],
      basicAuthSecret: 'shop-users',
      cors: { allowOrigins: ['https://app.example.com'] },
    });
    expect(withPrefix(annotations, 'traefik.ingress.kubernetes.io/router.')).toEqual({
      entrypoints: 'websecure',
      tls: 'true',
      middlewares: ['headers', 'rate-limit', 'in-flight', 'body-size', 'allow-list', 'basic-auth'].map((m) => `shop-public-${m}@kubernetescrd`).join(','),
    });
    const spec = (name: string) => one(objects, 'Middleware', `public-${name}`).spec;
    expect(spec('headers').headers).toEqual({
      stsSeconds: 31536000,
      stsIncludeSubdomains: true,
      stsPreload: false,
      accessControlAllowOriginList: ['https://app.example.com'],
      accessControlAllowMethods: ['GET', 'POST', 'OPTIONS'],
      accessControlAllowCredentials: false,
      addVaryHeader: true,
    });
    expect(spec('rate-limit')).toEqual({ rateLimit: { average: 20, burst: 40, period: '1s' } });
    expect(spec('in-flight')).toEqual({ inFlightReq: { amount: 10, sourceCriterion: { ipStrategy: { depth: 0 } } } });
    expect(spec('body-size')).toEqual({ buffering: { maxRequestBodyBytes: 1048576 } });
    expect(spec('allow-list')).toEqual({ ipAllowList: { sourceRange: ['203.0.113.0/24'] } });
    expect(spec('basic-auth')).toEqual({ basicAuth: { secret: 'shop-users' } });
  });

  test('external auth is a forwardAuth middleware', () => {
    const { objects } = render(traefik(), { externalAuthUrl: 'http://auth.auth.svc.cluster.local/verify' });
    expect(one(objects, 'Middleware', 'public-forward-auth').spec).toEqual({ forwardAuth: { address: 'http://auth.auth.svc.cluster.local/verify' } });
  });

  test('the redirect is a second Ingress of the same class on the web entry point with a permanent redirectScheme middleware', () => {
    const { objects } = render(traefik());
    const redirect = one(objects, 'Ingress', 'public-http-redirect');
    expect(redirect.metadata.annotations).toEqual({
      'traefik.ingress.kubernetes.io/router.entrypoints': 'web',
      'traefik.ingress.kubernetes.io/router.middlewares': 'shop-public-redirect-https@kubernetescrd',
      // It has no spec.tls on purpose: Polaris' own opt-out (Kyverno: the PolicyException in docs/compliance.md).
      'polaris.fairwinds.com/tlsSettingsMissing-exempt': 'true',
      // And ours: NET040 (ingress-without-tls) accepts this one Ingress, by its annotation.
      'ignore-check.cdk8s-net.io/ingress-without-tls': 'plain-HTTP router that only redirects to HTTPS (TlsIngress, Traefik profile)',
    });
    // Without the class, another controller that takes class-less Ingresses could serve it.
    expect(redirect.spec.ingressClassName).toBe('traefik');
    expect(render(IngressController.traefik({ className: 'traefik-public' })).objects
      .filter((o) => o.kind === 'Ingress').map((o) => [o.metadata.name, o.spec.ingressClassName]).sort()).toEqual([['public', 'traefik-public'], ['public-http-redirect', 'traefik-public']]);
    // No spec.tls: Traefik would make its router TLS-only, and it would never see plain HTTP.
    expect(redirect.spec.tls).toBeUndefined();
    expect(one(objects, 'Middleware', 'public-redirect-https').spec).toEqual({ redirectScheme: { scheme: 'https', permanent: true } });
  });

  test('no redirect router is written when the entry point redirects already, or when the redirect is off', () => {
    expect(ofKind(render(IngressController.traefik({ redirectAtEntryPoint: true })).objects, 'Ingress').map((o) => o.metadata.name)).toEqual(['public']);
    expect(ofKind(render(traefik(), { sslRedirect: false }).objects, 'Ingress').map((o) => o.metadata.name)).toEqual(['public']);
  });
});

describe('HAProxy renders haproxy.org annotations', () => {
  test.each<[string, Partial<TlsIngressProps>, { [k: string]: string }]>([
    ['defaults: a 301 redirect to port 443 and an HSTS response header', {},
      { 'ssl-redirect': 'true', 'ssl-redirect-code': '301', 'ssl-redirect-port': '443', 'response-set-header': 'Strict-Transport-Security "max-age=31536000; includeSubDomains"' }],
    ['rate limit, one server timeout, allow list, basic auth, CORS and h2 backends', {
      sslRedirect: false,
      hsts: { enabled: false },
      rateLimit: { requestsPerSecond: 20 },
      timeouts: { readSeconds: 60, sendSeconds: 60 },
      allowSourceRanges: ['203.0.113.0/24', '198.51.100.7'],
      basicAuthSecret: 'shop-users',
      backendProtocol: BackendProtocol.GRPC,
      cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true, maxAgeSeconds: 60 },
    }, {
      'ssl-redirect': 'false',
      // Its own stick table (RateLimit-1050): 20/s is 21 requests per 1050ms (see 'HAProxy gives each TlsIngress its own rate-limit table').
      'rate-limit-requests': '21',
      'rate-limit-period': '1050ms',
      'rate-limit-status-code': '429',
      'timeout-server': '60s',
      'allow-list': '203.0.113.0/24, 198.51.100.7',
      'auth-type': 'basic-auth',
      'auth-secret': 'shop-users',
      'server-proto': 'h2',
      'cors-enable': 'true',
      'cors-allow-origin': '^https://app\\.example\\.com$',
      'cors-allow-methods': 'GET, POST, OPTIONS',
      'cors-allow-headers': 'Accept, Accept-Language, Content-Language',
      'cors-allow-credentials': 'true',
      'cors-max-age': '60s',
      'cors-respond-to-options': 'true',
    }],
  ])('%s', (_name, props, expected) => {
    expect(withPrefix(render(haproxy(), props).annotations, 'haproxy.org/')).toEqual(expected);
  });
});

describe('HAProxy matches a CORS origin exactly, although cors-allow-origin is an unanchored regex', () => {
  // HAProxy tests `var(txn.cors_origin) -m reg <value>` and echoes the Origin on a match.
  const origin = (allowOrigins: string[], allowCredentials = false) =>
    render(haproxy(), { cors: { allowOrigins, allowCredentials } }).annotations['haproxy.org/cors-allow-origin'];

  test('the origin is written anchored, with its dots escaped', () => {
    expect(origin(['https://app.example.com'], true)).toBe('^https://app\\.example\\.com$');
    expect(origin(['http://app.example.com:8443'])).toBe('^http://app\\.example\\.com:8443$');
  });

  test.each<[string, boolean]>([
    ['https://app.example.com', true],
    ['https://app.example.com.evil.net', false],
    ['https://evil.net/https://app.example.com', false],
    ['https://appXexample.com', false],
    ['https://app.example.co', false],
    ['http://app.example.com', false],
    ['https://sub.app.example.com', false],
  ])('the written regex admits %s: %s', (requestOrigin, admitted) => {
    // PCRE and JavaScript agree on this subset (anchors, literals, escaped dots).
    expect(new RegExp(origin(['https://app.example.com'], true)).test(requestOrigin)).toBe(admitted);
  });

  test('"*" stays "*", which HAProxy answers literally without echoing the Origin', () => {
    expect(origin(['*'])).toBe('*');
  });

  test('a wildcard origin is refused, since it would need more than an exact-match regex', () => {
    expect(errorOf(() => origin(['https://*.example.com']))).toBe(
      'test/Public: TlsIngress.cors.allowOrigins is ["https://*.example.com"], but HAProxy Kubernetes Ingress Controller cannot express it: ' +
      'cors-allow-origin is a regular expression, and this profile writes only an anchored one that matches exactly one origin; list the exact origin (https://app.example.com) instead of a wildcard.');
  });
});

describe('AWS Load Balancer Controller renders alb.ingress.kubernetes.io annotations', () => {
  test('defaults: ip targets, HTTP and HTTPS listeners, a redirect to 443, a TLS 1.3 policy and HSTS as a listener attribute', () => {
    const { annotations, ing } = render(alb(), { allowSourceRanges: ['203.0.113.0/24'], backendProtocol: BackendProtocol.HTTPS });
    expect(withPrefix(annotations, 'alb.ingress.kubernetes.io/')).toEqual({
      'scheme': 'internet-facing',
      'target-type': 'ip',
      'ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
      'ssl-redirect': '443',
      'listener-attributes.HTTPS-443': 'routing.http.response.strict_transport_security.header_value=max-age=31536000; includeSubDomains',
      'inbound-cidrs': '203.0.113.0/24',
      'backend-protocol': 'HTTPS',
    });
    expect(ing.spec.ingressClassName).toBe('alb');
    expect(ing.spec.tls).toEqual([{ hosts: ['shop.example.com'] }]);
  });

  // The header value is the one every profile writes ("; " between directives, RFC 6797 section 6.1).
  // kubernetes-sigs/aws-load-balancer-controller pkg/annotations/parser.go (commit 3a5ffdbd)
  // ParseStringMapAnnotation splits listener-attributes on commas and the first "=" only, so the
  // spaces reach the listener attribute as written.
  test('HSTS with preload is the same header value the other profiles write, in one listener attribute', () => {
    const { annotations } = render(alb(), { hsts: { maxAgeSeconds: 63072000, preload: true } });
    expect(annotations['alb.ingress.kubernetes.io/listener-attributes.HTTPS-443'])
      .toBe('routing.http.response.strict_transport_security.header_value=max-age=63072000; includeSubDomains; preload');
  });

  test('without the redirect there is no HTTP listener, and ACM ARNs, group and WAF are passed on', () => {
    const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0e2a4e1c-1111-2222-3333-444455556666';
    const waf = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/a1b2c3d4-1111-2222-3333-444455556666';
    const controller = IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'], groupName: 'public', wafAclArn: waf });
    const { annotations } = render(controller, { sslRedirect: false, certificate: TlsCertificate.acm([arn]), backendProtocol: BackendProtocol.GRPC });
    expect(withPrefix(annotations, 'alb.ingress.kubernetes.io/')).toMatchObject({
      'scheme': 'internal', 'listen-ports': '[{"HTTPS": 443}]', 'certificate-arn': arn, 'group.name': 'public', 'wafv2-acl-arn': waf, 'backend-protocol-version': 'GRPC',
    });
    expect(annotations['alb.ingress.kubernetes.io/ssl-redirect']).toBeUndefined();
  });

  test('a dual-stack load balancer says so, and then takes IPv6 source ranges', () => {
    const controller = IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'], ipAddressType: AlbIpAddressType.DUALSTACK });
    const { annotations } = render(controller, { allowSourceRanges: ['203.0.113.0/24', '2001:db8::/32'] });
    expect(withPrefix(annotations, 'alb.ingress.kubernetes.io/')).toMatchObject({ 'ip-address-type': 'dualstack', 'inbound-cidrs': '203.0.113.0/24,2001:db8::/32' });
    expect(render(alb()).annotations['alb.ingress.kubernetes.io/ip-address-type']).toBeUndefined();
  });

  test('an unknown IP address type is refused', () => {
    expect(errorWhereUsed(() => IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'], ipAddressType: 'ipv6' as AlbIpAddressType })))
      .toBe('test/Class: IngressClass.controller: IngressController.awsAlb: ipAddressType "ipv6" is not one of ipv4, dualstack.');
  });
});

describe('GKE Ingress renders the class annotation, FrontendConfig, BackendConfig and managed certificates', () => {
  test('the class is an annotation, never ingressClassName, and the redirect is a FrontendConfig', () => {
    const { annotations, ing, objects } = render(IngressController.gce({ sslPolicy: 'modern-tls', staticIpName: 'shop-ip' }));
    expect(ing.spec.ingressClassName).toBeUndefined();
    expect(annotations).toMatchObject({
      'kubernetes.io/ingress.class': 'gce',
      'networking.gke.io/v1beta1.FrontendConfig': 'public-frontend',
      'kubernetes.io/ingress.global-static-ip-name': 'shop-ip',
    });
    expect(one(objects, 'FrontendConfig', 'public-frontend').spec).toEqual({ sslPolicy: 'modern-tls', redirectToHttps: { enabled: true, responseCodeName: 'PERMANENT_REDIRECT' } });
  });

  test('HSTS and the whole-response timeout go into a BackendConfig attached to each backend Service, which also turns on NEGs', () => {
    // BackendConfig spec.timeoutSec (integer seconds): "the amount of time the load balancer waits for a backend to return a full response"
    // (cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration, "Backend service timeout"; ingress-gce v1.41.1 BackendConfigSpec.TimeoutSec).
    const { objects } = render(gce(), { timeouts: { responseSeconds: 120 } });
    expect(one(objects, 'BackendConfig', 'public-api').spec).toEqual({
      customResponseHeaders: { headers: ['Strict-Transport-Security: max-age=31536000; includeSubDomains'] }, timeoutSec: 120,
    });
    expect(one(objects, 'Service', 'api').metadata.annotations).toEqual({
      'cloud.google.com/neg': '{"ingress": true}', 'cloud.google.com/backend-config': '{"default": "public-api"}',
    });
  });

  test('two TlsIngresses to one Service share its BackendConfig when they ask for the same one; different ones are refused', () => {
    // A Service names one BackendConfig (annotation cloud.google.com/backend-config, cloud.google.com/kubernetes-engine/docs/
    // how-to/ingress-configuration), which several Ingresses may use. Before: every second GKE TlsIngress to a Service was
    // refused, even with the same defaults (HSTS on), telling to "give both the same hsts and timeouts".
    const { chart, ns, api } = shop();
    const ingress = (id: string, host: string, props: Partial<TlsIngressProps> = {}) => new TlsIngress(chart, id, {
      namespace: ns,
      controller: gce(),
      certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
      rules: [{ host, backend: IngressBackend.fromSecureService(api, 'http') }],
      ...props,
    });
    ingress('Public', 'shop.example.com');
    ingress('Partners', 'partners.example.com');
    const objects = synth(chart);
    expect(ofKind(objects, 'BackendConfig').map((o) => o.metadata.name)).toEqual(['public-api']);
    expect(one(objects, 'Service', 'api').metadata.annotations['cloud.google.com/backend-config']).toBe('{"default": "public-api"}');
    expect(ofKind(objects, 'Ingress').map((o) => o.metadata.name).sort()).toEqual(['partners', 'public']);
    expect(errorOf(() => ingress('Slow', 'slow.example.com', { timeouts: { responseSeconds: 300 } }))).toBe(
      'test/Slow: TlsIngress routes to Service api, which already uses BackendConfig public-api of another GKE Ingress with other settings; '
      + 'a Service has one BackendConfig, so give both TlsIngresses the same hsts and timeouts, or route to it from one TlsIngress.');
  });

  test('without the redirect, plain HTTP is closed', () => {
    expect(render(gce(), { sslRedirect: false }).annotations['kubernetes.io/ingress.allow-http']).toBe('false');
  });

  test('a Google-managed certificate is a ManagedCertificate, and spec.tls is left out', () => {
    const { annotations, ing, objects } = render(gce(), { certificate: TlsCertificate.gkeManaged() });
    expect(annotations['networking.gke.io/managed-certificates']).toBe('public-cert');
    expect(one(objects, 'ManagedCertificate', 'public-cert').spec).toEqual({ domains: ['shop.example.com'] });
    expect(ing.spec.tls).toBeUndefined();
  });
});

describe('Istio renders a Gateway in its namespace and a VirtualService per host', () => {
  test('the Gateway terminates TLS with the secret in istio-system and redirects HTTP', () => {
    const { objects, ing } = render(istio());
    expect(ing).toBeUndefined();
    const gw = one(objects, 'Gateway', 'shop-public');
    expect(gw.metadata.namespace).toBe('istio-system');
    expect(gw.spec.servers).toEqual([
      {
        name: 'https',
        port: { number: 443, name: 'https', protocol: 'HTTPS' },
        hosts: ['shop/shop.example.com'],
        tls: { mode: 'SIMPLE', credentialName: 'shop-public-tls', minProtocolVersion: 'TLSV1_2' },
      },
      { name: 'http', port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop/shop.example.com'], tls: { httpsRedirect: true } },
    ]);
    // The ingress-shim does not watch Istio Gateways: an explicit Certificate beside the gateway.
    expect(one(objects, 'Certificate', 'shop-public-tls').metadata.namespace).toBe('istio-system');
  });

  test('Prefix paths match whole path elements, longer paths first, with HSTS and CORS on each route', () => {
    const { objects } = render(istio(), { cors: { allowOrigins: ['https://app.example.com'] } });
    const vs = one(objects, 'VirtualService', 'public-shop-example-com');
    expect(vs.spec.gateways).toEqual(['istio-system/shop-public']);
    expect(vs.spec.http.map((h: any) => [h.match, h.route[0].destination])).toEqual([
      [[{ uri: { exact: '/api' } }, { uri: { prefix: '/api/' } }], { host: 'api.shop.svc.cluster.local', port: { number: 80 } }],
      [[{ uri: { prefix: '/' } }], { host: 'web.shop.svc.cluster.local', port: { number: 8080 } }],
    ]);
    expect(vs.spec.http[0].headers).toEqual({ response: { set: { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } } });
    expect(vs.spec.http[0].corsPolicy).toEqual({ allowOrigins: [{ exact: 'https://app.example.com' }], allowMethods: ['GET', 'POST', 'OPTIONS'], allowCredentials: false });
  });
});

describe('a custom controller renders only the annotations it declares', () => {
  test('the redirect and HSTS annotations are written with ingressClassName', () => {
    const { annotations, ing } = render(custom());
    expect(withPrefix(annotations, 'example.com/')).toEqual({ 'force-https': 'true', 'hsts': 'true' });
    expect(ing.spec.ingressClassName).toBe('acme');
  });

  test('without declared annotations the default redirect fails and says what to do', () => {
    expect(errorOf(() => render(IngressController.custom({ className: 'acme', controllerName: 'example.com/acme', namespace: 'acme', podLabels: { app: 'acme' } }))))
      .toBe('test/Public: TlsIngress.sslRedirect is true, but custom controller example.com/acme cannot express it: its profile declares no redirect annotations; ' +
        'set CustomIngressControllerOptions.sslRedirectAnnotations, or set TlsIngress.sslRedirect to false.');
  });
});

describe('kubernetes.io/ingress.allow-http: "false" (Kyverno require-ingress-https) is written only where it is true and harmless', () => {
  const ALLOW_HTTP = 'kubernetes.io/ingress.allow-http';
  // Only ingress-gce reads it. For the others it marks an Ingress whose plain HTTP only redirects or is closed.
  test.each([
    ['ingress-nginx', nginx, 'false', undefined],
    ['F5 NGINX', () => nginxInc(), 'false', undefined],
    ['HAProxy', haproxy, 'false', undefined],
    ['custom', custom, 'false', undefined],
    // ALB has no HTTP listener and Traefik's Ingress is on the HTTPS entry point only without the redirect.
    ['AWS ALB', alb, 'false', 'false'],
    ['Traefik', traefik, 'false', 'false'],
    // GKE's FrontendConfig redirect is served by the plain-HTTP frontend that "false" would remove.
    ['GKE', gce, undefined, 'false'],
  ] as Array<[string, () => IngressController, string | undefined, string | undefined]>)('%s: with the redirect %s, without it %s', (_name, controller, redirected, notRedirected) => {
    const props = (p: Partial<TlsIngressProps>) => (controller().controllerName === 'nginx.org/ingress-controller' ? { ...p, hsts: { preload: true } } : p);
    expect(render(controller(), props({})).annotations[ALLOW_HTTP]).toBe(redirected);
    expect(render(controller(), props({ sslRedirect: false })).annotations[ALLOW_HTTP]).toBe(notRedirected);
  });

  test('the Traefik redirect Ingress serves plain HTTP and does not claim otherwise', () => {
    const redirect = one(render(traefik()).objects, 'Ingress', 'public-http-redirect');
    expect(redirect.metadata.annotations[ALLOW_HTTP]).toBeUndefined();
  });

  test('TlsIngress.annotations may set another value for a controller that reads it (not GKE, whose profile decides it)', () => {
    expect(render(custom(), { annotations: { [ALLOW_HTTP]: 'true' } }).annotations[ALLOW_HTTP]).toBe('true');
    expect(errorOf(() => render(gce(), { sslRedirect: false, annotations: { [ALLOW_HTTP]: 'true' } })))
      .toBe(`test/Public: TlsIngress.annotations sets "${ALLOW_HTTP}", which the GKE Ingress (gce) profile renders from TlsIngress.sslRedirect; a raw value would override it, so set TlsIngress.sslRedirect instead.`);
  });
});

const AUTH = 'https://auth.example.com/verify';
const CORS_SHOWN = '{ allowOrigins: ["https://app.example.com"], allowMethods: ["GET", "POST", "OPTIONS"], allowCredentials: false }';
/** A canary of `public`'s routes (a canary has no certificate of its own). */
const CANARY: Partial<TlsIngressProps> = {
  certificate: undefined,
  canary: { primary: { ingressName: 'main', ingressNamespace: 'shop', routes: ['shop.example.com/api', 'shop.example.com/'] }, weightPercent: 10 },
};

describe('options a controller cannot express fail at construction, naming the controller and the option', () => {
  const CANT = ', but ';
  type RefusalRow = [string, () => IngressController, Partial<TlsIngressProps>, string];
  test.each<RefusalRow>([
    ['ingress-nginx: HSTS other than its ConfigMap default', nginx, { hsts: { maxAgeSeconds: 600 } },
      'TlsIngress.hsts is "max-age=600; includeSubDomains", but ingress-nginx cannot express it: it sets HSTS only in its controller ConfigMap (hsts, hsts-max-age, hsts-include-subdomains, hsts-preload), ' +
      'whose defaults are "max-age=31536000; includeSubDomains"; write the ConfigMap with IngressNginxConfig and pass it as IngressController.ingressNginx({ config }), then leave TlsIngress.hsts unset.'],
    ['ingress-nginx: a burst that is not a multiple of the rate', nginx, { rateLimit: { requestsPerSecond: 20, burst: 30 } },
      'TlsIngress.rateLimit.burst is 30, but ingress-nginx cannot express it: it sets the burst as a whole multiple of the rate (limit-burst-multiplier), and 30 is not a multiple of 20; use a burst of 40.'],
    ['ingress-nginx: a connect timeout above 75 seconds', nginx, { timeouts: { connectSeconds: 90 } },
      'TlsIngress.timeouts.connectSeconds is 90, but ingress-nginx cannot express it: nginx caps proxy_connect_timeout at 75 seconds; use 75 or less.'],
    ['F5 NGINX: connection limits', nginxInc, { hsts: { preload: true }, rateLimit: { connections: 10 } },
      'TlsIngress.rateLimit.connections is 10, but F5 NGINX Ingress Controller cannot express it: it has no per-Ingress connection limit annotation; use F5 NGINX\'s VirtualServer and Policy resources for it, or leave the option unset.'],
    ['F5 NGINX: HSTS without preload', nginxInc, { hsts: { preload: false } },
      'TlsIngress.hsts.preload is false, but F5 NGINX Ingress Controller cannot express it: F5 NGINX always adds preload to its Strict-Transport-Security header; ' +
      'leave hsts.preload unset (or true) to accept preload (which lets the domain and its subdomains be submitted to browsers\' HTTPS-only preload lists), or set hsts.enabled to false and send the header from the application.'],
    ['F5 NGINX: external auth outside the cluster', nginxInc, { externalAuthUrl: AUTH },
      `TlsIngress.externalAuthUrl is "${AUTH}", but F5 NGINX Ingress Controller cannot express it: its externalAuth Policy calls a Kubernetes Service (authServiceName, authURI), not an arbitrary URL; give the in-cluster URL of the auth Service, http(s)://<service>.<namespace>.svc[.cluster.local][:port]/<path>, without a query.`],
    ['F5 NGINX: a canary', nginxInc, CANARY,
      'TlsIngress.canary is set, but F5 NGINX Ingress Controller cannot express it: it splits traffic only in VirtualServer resources; use F5 NGINX\'s VirtualServer and Policy resources for it, or leave the option unset.'],
    ['Traefik: a canary', traefik, CANARY,
      'TlsIngress.canary is set, but Traefik cannot express it: Traefik splits traffic with weighted TraefikServices, which an Ingress cannot reference; use an IngressRoute with a weighted TraefikService, or TlsGateway.'],
    ['HAProxy: a burst', haproxy, { rateLimit: { requestsPerSecond: 20, burst: 40 } },
      'TlsIngress.rateLimit.burst is 40, but HAProxy Kubernetes Ingress Controller cannot express it: it counts requests per period with no burst allowance; leave burst unset (a longer period is the closest equivalent).'],
    ['HAProxy: a send timeout different from the read timeout', haproxy, { timeouts: { readSeconds: 60, sendSeconds: 30 } },
      'TlsIngress.timeouts.sendSeconds is 30, but HAProxy Kubernetes Ingress Controller cannot express it: its one server-side timeout (timeout-server) covers reads and sends alike; set sendSeconds equal to readSeconds, or leave it unset.'],
    ['HAProxy: a body size', haproxy, { maxRequestBodyBytes: 1024 },
      'TlsIngress.maxRequestBodyBytes is 1024, but HAProxy Kubernetes Ingress Controller cannot express it: it has no body-size annotation (only a backend-config-snippet could, and snippets are refused); enforce the limit in the application.'],
    ['HAProxy: two CORS origins', haproxy, { cors: { allowOrigins: ['https://a.example.com', 'https://b.example.com'] } },
      'TlsIngress.cors.allowOrigins is ["https://a.example.com", "https://b.example.com"], but HAProxy Kubernetes Ingress Controller cannot express it: cors-allow-origin takes one origin (or a regular expression, which is refused here); list exactly one origin.'],
    ['HAProxy: connection limits', haproxy, { rateLimit: { connections: 10 } },
      'TlsIngress.rateLimit.connections is 10, but HAProxy Kubernetes Ingress Controller cannot express it: its pod-maxconn limits connections to each backend pod, not per client; leave connections unset.'],
    ['HAProxy: a connect timeout', haproxy, { timeouts: { connectSeconds: 5 } },
      'TlsIngress.timeouts.connectSeconds is 5, but HAProxy Kubernetes Ingress Controller cannot express it: timeout-connect is set only in its ConfigMap; set timeout-connect in the controller ConfigMap.'],
    ['HAProxy: external auth', haproxy, { externalAuthUrl: AUTH },
      `TlsIngress.externalAuthUrl is "${AUTH}", but HAProxy Kubernetes Ingress Controller cannot express it: it has no external-auth annotation; authenticate in the application or use another controller.`],
    ['HAProxy: a canary', haproxy, CANARY,
      'TlsIngress.canary is set, but HAProxy Kubernetes Ingress Controller cannot express it: it has no traffic-splitting annotation; use TlsGateway or another controller.'],
    ['ALB: rate limits', alb, { rateLimit: { requestsPerSecond: 20 } },
      'TlsIngress.rateLimit is { requestsPerSecond: 20 }, but AWS Load Balancer Controller cannot express it: an Application Load Balancer has no rate limiting; use an AWS WAF rate-based rule and set AwsAlbOptions.wafAclArn.'],
    ['ALB: basic auth', alb, { basicAuthSecret: 'shop-users' },
      'TlsIngress.basicAuthSecret is "shop-users", but AWS Load Balancer Controller cannot express it: an Application Load Balancer authenticates only with OIDC or Amazon Cognito; configure alb.ingress.kubernetes.io/auth-type oidc or cognito with TlsIngress.annotations.'],
    ['ALB: timeouts', alb, { timeouts: { readSeconds: 60 } },
      'TlsIngress.timeouts is { readSeconds: 60 }, but AWS Load Balancer Controller cannot express it: an Application Load Balancer has only an idle timeout; set alb.ingress.kubernetes.io/load-balancer-attributes to idle_timeout.timeout_seconds=<n> with TlsIngress.annotations.'],
    ['ALB: a body size', alb, { maxRequestBodyBytes: 1024 },
      'TlsIngress.maxRequestBodyBytes is 1024, but AWS Load Balancer Controller cannot express it: an Application Load Balancer has no request body limit; use an AWS WAF size constraint rule and set AwsAlbOptions.wafAclArn.'],
    ['ALB: external auth', alb, { externalAuthUrl: AUTH },
      `TlsIngress.externalAuthUrl is "${AUTH}", but AWS Load Balancer Controller cannot express it: an Application Load Balancer authenticates only with OIDC or Amazon Cognito; configure alb.ingress.kubernetes.io/auth-type oidc or cognito with TlsIngress.annotations.`],
    ['ALB: CORS', alb, { cors: { allowOrigins: ['https://app.example.com'] } },
      `TlsIngress.cors is ${CORS_SHOWN}, but AWS Load Balancer Controller cannot express it: an Application Load Balancer cannot answer CORS preflights; handle CORS in the application.`],
    ['ALB: a canary outside an IngressGroup', alb, CANARY,
      'TlsIngress.canary is set, but AWS Load Balancer Controller cannot express it: a canary Ingress shares the primary\'s load balancer only within an IngressGroup; set AwsAlbOptions.groupName, the same on the primary\'s and the canary\'s controller.'],
    ['ALB: IPv6 source ranges on an IPv4 load balancer', alb, { allowSourceRanges: ['203.0.113.0/24', '2001:db8::/32'] },
      'TlsIngress.allowSourceRanges is ["2001:db8::/32"], but AWS Load Balancer Controller cannot express it: an IPv4 load balancer rejects IPv6 inbound-cidrs; set AwsAlbOptions.ipAddressType to AlbIpAddressType.DUALSTACK (its subnets need IPv6 CIDRs), or list IPv4 ranges only.'],
    ['GKE: rate limits', gce, { rateLimit: { requestsPerSecond: 20 } },
      'TlsIngress.rateLimit is { requestsPerSecond: 20 }, but GKE Ingress (gce) cannot express it: Google Cloud load balancers rate-limit only through Cloud Armor security policies; create a Cloud Armor policy with a rate-based rule and attach it with a BackendConfig securityPolicy.'],
    ['GKE: a send timeout', gce, { timeouts: { responseSeconds: 60, sendSeconds: 30 } },
      'TlsIngress.timeouts.sendSeconds is 30, but GKE Ingress (gce) cannot express it: a Google Cloud backend service has one timeout, for the whole response (BackendConfig timeoutSec, also the WebSocket lifetime); set timeouts.responseSeconds instead.'],
    ['GKE: a read timeout, which BackendConfig timeoutSec is not', gce, { timeouts: { readSeconds: 60 } },
      'TlsIngress.timeouts.readSeconds is 60, but GKE Ingress (gce) cannot express it: a Google Cloud backend service has one timeout, for the whole response (BackendConfig timeoutSec, also the WebSocket lifetime); set timeouts.responseSeconds instead.'],
    ['ingress-nginx: a whole-response timeout', nginx, { timeouts: { responseSeconds: 60 } },
      'TlsIngress.timeouts.responseSeconds is 60, but ingress-nginx cannot express it: nginx has no whole-response timeout; proxy-read-timeout is the time between two reads; use timeouts.readSeconds (the longest pause between two reads of the response), or leave responseSeconds unset.'],
    ['HAProxy: a whole-response timeout', haproxy, { timeouts: { responseSeconds: 60 } },
      'TlsIngress.timeouts.responseSeconds is 60, but HAProxy Kubernetes Ingress Controller cannot express it: its timeout-server is an inactivity timeout, not a whole-response timeout; use timeouts.readSeconds (the longest pause between two reads of the response), or leave responseSeconds unset.'],
    ['GKE: a body size', gce, { maxRequestBodyBytes: 1024 },
      'TlsIngress.maxRequestBodyBytes is 1024, but GKE Ingress (gce) cannot express it: Google Cloud load balancers have no request body limit; enforce the limit in the application.'],
    ['GKE: basic auth', gce, { basicAuthSecret: 'shop-users' },
      'TlsIngress.basicAuthSecret is "shop-users", but GKE Ingress (gce) cannot express it: Google Cloud load balancers authenticate only with Identity-Aware Proxy; use IAP through a BackendConfig.'],
    ['GKE: external auth', gce, { externalAuthUrl: AUTH },
      `TlsIngress.externalAuthUrl is "${AUTH}", but GKE Ingress (gce) cannot express it: Google Cloud load balancers authenticate only with Identity-Aware Proxy; use IAP through a BackendConfig.`],
    ['GKE: CORS', gce, { cors: { allowOrigins: ['https://app.example.com'] } },
      `TlsIngress.cors is ${CORS_SHOWN}, but GKE Ingress (gce) cannot express it: Google Cloud load balancers cannot answer CORS preflights; handle CORS in the application.`],
    ['GKE: a canary', gce, CANARY,
      'TlsIngress.canary is set, but GKE Ingress (gce) cannot express it: GKE Ingress has no traffic splitting; use TlsGateway with a GKE Gateway class.'],
    ['GKE internal: a Google-managed certificate', () => IngressController.gce({ internal: true, proxyOnlySubnetCidr: '10.129.0.0/23' }), { sslRedirect: false, certificate: TlsCertificate.gkeManaged() },
      'TlsIngress.certificate is "TlsCertificate.gkeManaged()", but GKE internal Ingress (gce-internal) cannot express it: Google-managed certificates work with external Ingress only; use a certificate from a Secret.'],
    ['GKE: source ranges', gce, { allowSourceRanges: ['203.0.113.0/24'] },
      'TlsIngress.allowSourceRanges is ["203.0.113.0/24"], but GKE Ingress (gce) cannot express it: Google Cloud load balancers filter clients only through Cloud Armor security policies; create a Cloud Armor policy that allows these ranges and attach it with a BackendConfig securityPolicy.'],
    ['GKE: a connect timeout', gce, { timeouts: { connectSeconds: 5 } },
      'TlsIngress.timeouts.connectSeconds is 5, but GKE Ingress (gce) cannot express it: a Google Cloud backend service has one timeout, for the whole response (BackendConfig timeoutSec, also the WebSocket lifetime); set timeouts.responseSeconds instead.'],
    ['GKE internal: the redirect', () => IngressController.gce({ internal: true, proxyOnlySubnetCidr: '10.129.0.0/23' }), {},
      'TlsIngress.sslRedirect is true, but GKE internal Ingress (gce-internal) cannot express it: GKE internal Ingress (gce-internal) has no HTTP-to-HTTPS redirect (FrontendConfig works with external Ingress only); ' +
      'set sslRedirect to false, which also closes plain HTTP (kubernetes.io/ingress.allow-http: "false").'],
    ['Istio: rate limits', istio, { rateLimit: { requestsPerSecond: 20 } },
      'TlsIngress.rateLimit is { requestsPerSecond: 20 }, but Istio cannot express it: Istio rate-limits only through EnvoyFilters on the gateway; use an EnvoyFilter or AuthorizationPolicy on the gateway yourself, or leave it unset.'],
    ['Istio: a read timeout', istio, { timeouts: { readSeconds: 60 } },
      'TlsIngress.timeouts.readSeconds is 60, but Istio cannot express it: a VirtualService has one timeout, for the whole request and response (HTTPRoute.timeout), not connect/read/send timeouts; set timeouts.responseSeconds instead.'],
    ['Istio: a body size', istio, { maxRequestBodyBytes: 1024 },
      'TlsIngress.maxRequestBodyBytes is 1024, but Istio cannot express it: Istio limits request bodies only through EnvoyFilters; use an EnvoyFilter or AuthorizationPolicy on the gateway yourself, or leave it unset.'],
    ['Istio: basic auth', istio, { basicAuthSecret: 'shop-users' },
      'TlsIngress.basicAuthSecret is "shop-users", but Istio cannot express it: Istio has no basic authentication; use a RequestAuthentication (JWT) or an external authorizer.'],
    ['Istio: a gRPC backend', istio, { backendProtocol: BackendProtocol.GRPC },
      'TlsIngress.backendProtocol is "GRPC", but Istio cannot express it: Istio takes the upstream protocol from the Service port (appProtocol or a grpc-/https- name prefix) and upstream TLS from a DestinationRule; set appProtocol on the Service port.'],
    ['Istio: external auth', istio, { externalAuthUrl: 'https://auth.example.com/verify' },
      'TlsIngress.externalAuthUrl is "https://auth.example.com/verify", but Istio cannot express it: Istio calls external authorizers registered in the mesh config (extensionProviders), not URLs; register the authorizer as an extension provider and write a CUSTOM AuthorizationPolicy.'],
    ['custom: body size', custom, { maxRequestBodyBytes: 1024 },
      'TlsIngress.maxRequestBodyBytes is 1024, but custom controller example.com/acme cannot express it: a custom controller profile renders only the redirect and HSTS; set the controller\'s own annotations with TlsIngress.annotations.'],
    ...([
      ['rateLimit', { requestsPerSecond: 20 }, '{ requestsPerSecond: 20 }'],
      ['timeouts', { readSeconds: 60 }, '{ readSeconds: 60 }'],
      ['allowSourceRanges', ['203.0.113.0/24'], '["203.0.113.0/24"]'],
      ['basicAuthSecret', 'shop-users', '"shop-users"'],
      ['externalAuthUrl', AUTH, `"${AUTH}"`],
      ['backendProtocol', BackendProtocol.HTTPS, '"HTTPS"'],
      ['cors', { allowOrigins: ['https://app.example.com'] }, CORS_SHOWN],
      ['canary', CANARY.canary, 'set'],
    ] as Array<[keyof TlsIngressProps, unknown, string]>).map(([field, value, shown]): RefusalRow => [
      `custom: ${field}`, custom, { ...(field === 'canary' ? CANARY : {}), [field]: value },
      `TlsIngress.${field} is ${shown}, but custom controller example.com/acme cannot express it: a custom controller profile renders only the redirect and HSTS; set the controller's own annotations with TlsIngress.annotations.`,
    ]),
    ['custom: HSTS without declared annotations', () => IngressController.custom({
      className: 'acme', controllerName: 'example.com/acme', namespace: 'acme', podLabels: { app: 'acme' }, sslRedirectAnnotations: { 'example.com/force-https': 'true' },
    }), {},
    'TlsIngress.hsts is "enabled", but custom controller example.com/acme cannot express it: its profile declares no HSTS annotations; set CustomIngressControllerOptions.hstsAnnotations, or set TlsIngress.hsts to { enabled: false }.'],
    ['custom: HSTS values', custom, { hsts: { maxAgeSeconds: 600 } },
      'TlsIngress.hsts is { maxAgeSeconds: 600 }, but custom controller example.com/acme cannot express it: its profile sets HSTS with fixed annotations (CustomIngressControllerOptions.hstsAnnotations); put the values into those annotations and leave them unset here.'],
  ])('%s', (_name, controller, props, expected) => {
    const message = errorOf(() => render(controller(), props));
    expect(message).toContain(CANT);
    expect(message).toBe(`test/Public: ${expected}`);
  });
});

describe('refusals that need their own setup', () => {
  test.each<[string, () => void, string]>([
    ['GKE: a Google-managed certificate for a wildcard host', () => {
      const s = shop();
      new TlsIngress(s.chart, 'Public', {
        namespace: s.ns, controller: gce(), certificate: TlsCertificate.gkeManaged(), rules: [{ host: '*.example.com', backend: IngressBackend.fromSecureService(s.web) }],
      });
    }, 'test/Public: TlsIngress.certificate is "TlsCertificate.gkeManaged()", but GKE Ingress (gce) cannot express it: Google-managed certificates cannot cover the wildcard host "*.example.com"; ' +
      'use a certificate from a Secret (TlsCertificate.certManager() with a DNS-01 issuer).'],
    ['Istio: a default backend', () => {
      const s = shop();
      new TlsIngress(s.chart, 'Public', {
        namespace: s.ns,
        controller: istio(),
        certificate: TlsCertificate.secret('x'),
        rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.web) }],
        defaultBackend: IngressBackend.fromSecureService(s.web),
      });
    }, 'test/Public: TlsIngress.defaultBackend is set, but Istio cannot express it: a VirtualService routes named hosts only; route every host explicitly.'],
  ])('%s', (_name, build, expected) => {
    expect(errorOf(build)).toBe(expected);
  });
});
