import { ApiObject, JsonPatch, Testing, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { errorOf, pods, render, shop } from './helpers';
import { AppValidation, NetworkAnalysis, SecureService } from '../../src';
import { AlbScheme, CanaryPrimary, ICanaryPrimary, IngressBackend, IngressController, IngressPathType, TlsCertificate, TlsIngress, TlsIngressProps } from '../../src/ingress';
import { errorWhereUsed } from '../util/bad-input';
import { newChart, one, synth } from '../util/synth';

describe('TLS is always on', () => {
  test('every host is listed in spec.tls with the certificate secret', () => {
    const { chart, ns, api, web } = shop();
    new TlsIngress(chart, 'Public', {
      namespace: ns,
      controller: IngressController.ingressNginx(),
      certificate: TlsCertificate.secret('shop-tls', { hosts: ['*.example.com', 'example.com'] }),
      rules: [
        { host: 'example.com', backend: IngressBackend.fromSecureService(web) },
        { host: 'api.example.com', backend: IngressBackend.fromSecureService(api, 'http') },
      ],
    });
    expect(one(synth(chart), 'Ingress', 'public').spec.tls).toEqual([{ hosts: ['example.com', 'api.example.com'], secretName: 'shop-tls' }]);
  });

  test('a host the certificate does not cover is an error', () => {
    const { chart, ns, web } = shop();
    expect(errorOf(() => new TlsIngress(chart, 'Public', {
      namespace: ns,
      controller: IngressController.traefik(),
      certificate: TlsCertificate.secret('shop-tls', { hosts: ['*.example.com'] }),
      rules: [{ host: 'a.b.example.com', backend: IngressBackend.fromSecureService(web) }, { host: 'example.com', backend: IngressBackend.fromSecureService(web) }],
    }))).toBe('test/Public: TlsIngress.certificate covers *.example.com, which does not cover a.b.example.com, example.com; every host must be covered, so use a certificate for them or remove the rule.');
  });

  test('cert-manager ingress-shim annotations name the issuer, and the secret defaults to <name>-tls', () => {
    const { annotations, ing } = render(IngressController.haproxy(), { certificate: TlsCertificate.certManager({ issuer: 'acme', issuerKind: 'AWSPCAIssuer', issuerGroup: 'awspca.cert-manager.io' }) });
    expect(annotations).toMatchObject({ 'cert-manager.io/issuer': 'acme', 'cert-manager.io/issuer-kind': 'AWSPCAIssuer', 'cert-manager.io/issuer-group': 'awspca.cert-manager.io' });
    expect(ing.spec.tls[0].secretName).toBe('public-tls');
  });

  test('an explicit cert-manager Certificate covers the hosts with a rotated ECDSA key', () => {
    const { objects, annotations } = render(IngressController.traefik(), { certificate: TlsCertificate.certManagerCertificate({ clusterIssuer: 'letsencrypt-prod', secretName: 'shop-cert' }) });
    expect(one(objects, 'Certificate', 'shop-cert').spec).toEqual({
      secretName: 'shop-cert',
      dnsNames: ['shop.example.com'],
      issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer' },
      duration: '2160h',
      renewBefore: '720h',
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    });
    expect(Object.keys(annotations).filter((k) => k.startsWith('cert-manager.io/'))).toEqual([]);
  });

  test.each<[string, () => TlsCertificate, string]>([
    ['both issuers', () => TlsCertificate.certManager({ issuer: 'a', clusterIssuer: 'b' }), 'test/Ing: TlsIngress.certificate: TlsCertificate.certManager: set exactly one of clusterIssuer and issuer.'],
    ['a renewal after expiry', () => TlsCertificate.certManagerCertificate({ clusterIssuer: 'a', durationHours: 24, renewBeforeHours: 48 }),
      'test/Ing: TlsIngress.certificate: TlsCertificate.certManagerCertificate: renewBeforeHours is 48; it must be a whole number of hours >= 1 and below durationHours (24).'],
    ['a bad secret name', () => TlsCertificate.secret('Shop_TLS'),
      'test/Ing: TlsIngress.certificate: TlsCertificate.secret(\'Shop_TLS\'): secretName "Shop_TLS" is not a Secret name; it must consist of lower case alphanumeric characters, \'-\' or \'.\', and each label must start and end with an alphanumeric character.'],
    ['a bad ACM ARN', () => TlsCertificate.acm(['arn:aws:iam::1:cert/x']),
      'test/Ing: TlsIngress.certificate: TlsCertificate.acm: certificateArns[0] "arn:aws:iam::1:cert/x" is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>).'],
  ])('certificate factories refuse %s, where the certificate is used', (_n, f, expected) => {
    expect(errorWhereUsed(f)).toBe(expected);
  });

  test.each<[string, () => IngressController, TlsCertificate, string]>([
    ['a Secret with the ALB', () => IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'] }), TlsCertificate.secret('x'),
      'test/Public: TlsIngress.certificate is TlsCertificate.secret(\'x\'), but AWS Load Balancer Controller cannot use it: an Application Load Balancer terminates TLS with AWS Certificate Manager certificates, not Kubernetes Secrets: use TlsCertificate.acm().'],
    ['ACM with Traefik', () => IngressController.traefik(), TlsCertificate.acm(),
      'test/Public: TlsIngress.certificate is TlsCertificate.acm(...), but Traefik cannot use it: Traefik serves certificates from Secrets: use TlsCertificate.secret(), certManager() or certManagerCertificate().'],
  ])('a controller refuses a certificate source it cannot use: %s', (_n, controller, certificate, expected) => {
    expect(errorOf(() => render(controller(), { certificate }))).toBe(expected);
  });

  test('a certificate is required', () => {
    expect(errorOf(() => render(IngressController.traefik(), { certificate: undefined }))).toBe(
      'test/Public: TlsIngress.certificate is not set; TLS is always on, so choose TlsCertificate.certManager(), certManagerCertificate(), secret() or the cloud load balancer\'s certificates.');
  });
});

describe('redirect and HSTS are on by default, in each controller\'s terms', () => {
  test.each<[string, () => IngressController, (r: ReturnType<typeof render>) => unknown, unknown, Partial<TlsIngressProps>?]>([
    ['ingress-nginx redirects (HSTS is its ConfigMap default)', () => IngressController.ingressNginx(), (r) => r.annotations['nginx.ingress.kubernetes.io/ssl-redirect'], 'true'],
    // F5 NGINX always sends preload, so it must be accepted explicitly.
    // nginx/kubernetes-ingress internal/configs/annotations.go @ v5.4.0: nginx.org/ssl-redirect, read before the legacy key.
    ['F5 NGINX redirects and sends HSTS', () => IngressController.nginxInc(), (r) => [r.annotations['nginx.org/ssl-redirect'], r.annotations['nginx.org/hsts']], ['true', 'true']],
    ['Traefik chains a headers middleware with stsSeconds', () => IngressController.traefik(), (r) => one(r.objects, 'Middleware', 'public-headers').spec.headers.stsSeconds, 31536000],
    ['HAProxy redirects with 301', () => IngressController.haproxy(), (r) => r.annotations['haproxy.org/ssl-redirect-code'], '301'],
    ['the ALB redirects to 443', () => IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'], scheme: AlbScheme.INTERNAL }), (r) => r.annotations['alb.ingress.kubernetes.io/ssl-redirect'], '443'],
    ['GKE redirects with 308', () => IngressController.gce(), (r) => one(r.objects, 'FrontendConfig').spec.redirectToHttps.responseCodeName, 'PERMANENT_REDIRECT'],
    ['Istio redirects on its HTTP server', () => IngressController.istio(), (r) => one(r.objects, 'Gateway').spec.servers[1].tls, { httpsRedirect: true }],
  ])('%s', (_n, controller, pick, expected, props = {}) => {
    expect(pick(render(controller(), props))).toEqual(expected);
  });

  test('preload needs includeSubDomains and a year of max-age', () => {
    expect(errorOf(() => render(IngressController.traefik(), { hsts: { preload: true, includeSubdomains: false } }))).toBe(
      'test/Public: TlsIngress.hsts.preload is true, but preload lists require includeSubdomains and a maxAgeSeconds of at least 31536000; set both or leave preload unset.');
  });
});

describe('hosts, paths, names and backends are checked', () => {
  const base = (r: Partial<TlsIngressProps['rules'][0]>) => (s: ReturnType<typeof shop>) => [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.web), ...r }];
  test.each<[string, (s: ReturnType<typeof shop>) => TlsIngressProps['rules'], string]>([
    ['an IP host', base({ host: '203.0.113.10' }), 'TlsIngress.rules[0].host "203.0.113.10" is not an Ingress host; it is an IP address; Ingress hosts must be DNS names.'],
    ['a wildcard inside a name', base({ host: 'shop.*.example.com' }), 'TlsIngress.rules[0].host "shop.*.example.com" is not an Ingress host; a wildcard is allowed only as the whole first label ("*.example.com").'],
    ['an empty host', base({ host: '' }), 'TlsIngress.rules[0].host "" is not an Ingress host; it is empty; every rule needs a host (an Ingress without host answers every name).'],
    ['upper case', base({ host: 'Shop.example.com' }), 'TlsIngress.rules[0].host "Shop.example.com" is not an Ingress host; it must consist of lower case alphanumeric characters, \'-\' or \'.\', and each label must start and end with an alphanumeric character.'],
    ['a regular expression path', base({ path: '/api/(.*)' }), 'TlsIngress.rules[0].path "/api/(.*)" is refused; it may contain only letters, digits and / . _ ~ - (no regular expressions, percent-encoding, spaces or quotes).'],
    ['a path with a dot-dot segment', base({ path: '/a/../etc' }), 'TlsIngress.rules[0].path "/a/../etc" is refused; it contains a "." or ".." segment.'],
    ['a path with //', base({ path: '/a//b' }), 'TlsIngress.rules[0].path "/a//b" is refused; it contains "//".'],
    ['an encoded slash', base({ path: '/a%2fb' }), 'TlsIngress.rules[0].path "/a%2fb" is refused; it may contain only letters, digits and / . _ ~ - (no regular expressions, percent-encoding, spaces or quotes).'],
    ['a relative path', base({ path: 'api' }), 'TlsIngress.rules[0].path "api" is refused; it must start with "/".'],
    ['the same route twice', (s) => [...base({})(s), ...base({ pathType: IngressPathType.EXACT })(s)], 'TlsIngress.rules[1] routes shop.example.com/, which TlsIngress.rules[0] already routes; route each host and path once.'],
    ['no rules', () => [], 'TlsIngress.rules is empty; give at least one rule (host, path and backend).'],
  ])('%s is refused', (_n, rules, expected) => {
    const s = shop();
    expect(errorOf(() => new TlsIngress(s.chart, 'Public', { namespace: s.ns, controller: IngressController.traefik(), certificate: TlsCertificate.secret('x'), rules: rules(s) })))
      .toBe(`test/Public: ${expected}`);
  });

  test.each<[string, () => unknown, string]>([
    ['a port name the service lacks', () => IngressBackend.fromSecureService(shop().api, 'grpc'), 'test/Ing: TlsIngress.rules[0].backend: IngressBackend.fromSecureService(shop/api, \'grpc\'): SecureService shop/api has no port named "grpc"; its ports are http, metrics.'],
    ['no port name on a multi-port service', () => IngressBackend.fromSecureService(shop().api), 'test/Ing: TlsIngress.rules[0].backend: IngressBackend.fromSecureService(shop/api): SecureService shop/api has 2 ports (http, metrics); name the one to route to.'],
    ['a port number a plus Service lacks', () => {
      const chart = newChart();
      return IngressBackend.fromService(new kplus.Service(chart, 'Legacy', { ports: [{ port: 80 }] }), 8080);
    }, 'test/Ing: TlsIngress.rules[0].backend: IngressBackend.fromService(test-legacy, 8080): Service test-legacy has no port 8080; its ports are 80.'],
  ])('a backend with %s is refused where it is used', (_n, f, expected) => {
    expect(errorWhereUsed(f)).toBe(expected);
  });

  test('a backend in another namespace is refused, since an Ingress routes within its namespace', () => {
    const s = shop();
    const other = new SecureService(s.chart, 'Other', { image: 'x:1', port: 8080 });
    expect(errorOf(() => new TlsIngress(s.chart, 'Public', {
      namespace: s.ns,
      controller: IngressController.traefik(),
      certificate: TlsCertificate.secret('x'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(other) }],
    }))).toBe('test/Public: TlsIngress.rules[0].backend is Service other in namespace "(none)", but the Ingress is in "shop"; an Ingress routes only to Services of its own namespace, so put the TlsIngress in the backend\'s namespace.');
  });

  test('an invalid name is refused', () => {
    expect(errorOf(() => render(IngressController.traefik(), { name: 'Public_Ingress' }))).toBe(
      'test/Public: TlsIngress.name "Public_Ingress" is not a valid Ingress name; it must consist of lower case alphanumeric characters, \'-\' or \'.\', and each label must start and end with an alphanumeric character.');
  });

  test('the default backend is off unless set, and then routes unmatched requests', () => {
    expect(render(IngressController.traefik()).ing.spec.defaultBackend).toBeUndefined();
    const s = shop();
    new TlsIngress(s.chart, 'Public', {
      namespace: s.ns,
      controller: IngressController.traefik(),
      certificate: TlsCertificate.secret('x'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.web) }],
      defaultBackend: IngressBackend.fromSecureService(s.web),
    });
    expect(one(synth(s.chart), 'Ingress', 'public').spec.defaultBackend).toEqual({ service: { name: 'web', port: { name: 'http' } } });
  });
});

describe('a host and path is routed by one TlsIngress in the whole app, whatever its controller', () => {
  test('a second TlsIngress with the same host and path is refused, even in another chart', () => {
    const app = Testing.app();
    const a = shop(new Chart(app, 'a', { disableResourceNameHashes: true }));
    const b = shop(new Chart(app, 'b', { disableResourceNameHashes: true }));
    const props = (s: typeof a) => ({
      namespace: s.ns,
      controller: IngressController.traefik(),
      certificate: TlsCertificate.secret('x'),
      rules: [{ host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(s.api, 'http') }],
    });
    new TlsIngress(a.chart, 'Public', props(a));
    expect(errorOf(() => new TlsIngress(b.chart, 'Public', props(b)))).toBe(
      'b/Public: TlsIngress.rules[0] routes shop.example.com/api (Prefix), which TlsIngress a/Public already routes; each host and path may be routed by one TlsIngress in the app, whatever its controller (use TlsIngress.canary to shadow a route).');
  });

  const route = (s: ReturnType<typeof shop>, pathType?: IngressPathType) => [{ host: 'shop.example.com', pathType, backend: IngressBackend.fromSecureService(s.web) }];
  test('another controller may not route the same host and path either (the issue: across all TlsIngresses of one app)', () => {
    const s = shop();
    new TlsIngress(s.chart, 'Public', { namespace: s.ns, controller: IngressController.traefik(), certificate: TlsCertificate.secret('x'), rules: route(s) });
    expect(errorOf(() => new TlsIngress(s.chart, 'Internal', { namespace: s.ns, controller: IngressController.haproxy(), certificate: TlsCertificate.secret('x'), rules: route(s) }))).toBe(
      'test/Internal: TlsIngress.rules[0] routes shop.example.com/ (Prefix), which TlsIngress test/Public already routes; each host and path may be routed by one TlsIngress in the app, whatever its controller (use TlsIngress.canary to shadow a route).');
  });

  test('Exact / and Prefix / in two TlsIngresses are different routes, so both are accepted', () => {
    const s = shop();
    new TlsIngress(s.chart, 'Public', { namespace: s.ns, controller: IngressController.haproxy(), certificate: TlsCertificate.secret('x'), rules: route(s, IngressPathType.PREFIX) });
    new TlsIngress(s.chart, 'Home', { namespace: s.ns, controller: IngressController.haproxy(), certificate: TlsCertificate.secret('x'), rules: route(s, IngressPathType.EXACT) });
    expect(synth(s.chart).filter((o) => o.kind === 'Ingress').map((o) => [o.metadata.name, o.spec.rules[0].http.paths[0].pathType]).sort())
      .toEqual([['home', 'Exact'], ['public', 'Prefix']]);
  });

  test('2000 TlsIngresses with distinct hosts register and synthesize without a route conflict', () => {
    // Scaling is measured by bench/synth.ts, not by a timed test.
    const s = shop();
    for (let i = 0; i < 2000; i++) {
      new TlsIngress(s.chart, `Large${i}`, {
        namespace: s.ns,
        controller: IngressController.haproxy(),
        certificate: TlsCertificate.secret('x'),
        rules: [{ host: `large${i}.example.com`, backend: IngressBackend.fromSecureService(s.web) }],
      });
    }
    expect(s.chart.toJson().filter((o: any) => o.kind === 'Ingress')).toHaveLength(2000);
  });
});

describe('a canary shadows its primary\'s routes (ingress-nginx)', () => {
  function canary(props: Partial<TlsIngressProps> = {}, primaryProps: Partial<TlsIngressProps> = {}) {
    const s = shop();
    const primary = new TlsIngress(s.chart, 'Public', {
      namespace: s.ns,
      controller: IngressController.ingressNginx(),
      certificate: TlsCertificate.certManager({ clusterIssuer: 'le' }),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.web) }],
      ...primaryProps,
    });
    const next = new SecureService(s.chart, 'WebNext', { namespace: s.ns, image: 'ghcr.io/acme/web:2.1.0', port: 8080 });
    new TlsIngress(s.chart, 'Canary', {
      namespace: s.ns,
      controller: IngressController.ingressNginx(),
      canary: { primary, weightPercent: 10, header: 'X-Canary' },
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(next) }],
      ...props,
    });
    return synth(s.chart);
  }

  /** The primary the canary tests below shadow: one route to web, on the given controller. */
  function primaryOf(s: ReturnType<typeof shop>, controller = IngressController.ingressNginx()) {
    return new TlsIngress(s.chart, 'Public', {
      namespace: s.ns,
      controller,
      certificate: TlsCertificate.secret('x'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.web) }],
    });
  }

  test('the canary carries only canary annotations and serves the primary\'s secret', () => {
    const ing = one(canary(), 'Ingress', 'canary');
    expect(ing.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': '10',
      'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary',
      // The primary redirects plain HTTP, so the canary's traffic is HTTPS only too (Kyverno require-ingress-https).
      'kubernetes.io/ingress.allow-http': 'false',
    });
    expect(ing.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'public-tls' }]);
  });

  test('the canary of a primary that serves plain HTTP (sslRedirect false) does not claim allow-http "false"', () => {
    const objects = canary({}, { sslRedirect: false });
    expect(one(objects, 'Ingress', 'public').metadata.annotations['kubernetes.io/ingress.allow-http']).toBeUndefined();
    expect(one(objects, 'Ingress', 'canary').metadata.annotations['kubernetes.io/ingress.allow-http']).toBeUndefined();
  });

  test('options on a canary are refused, because the controller ignores them there', () => {
    expect(errorOf(() => canary({ rateLimit: { requestsPerSecond: 5 } }))).toBe(
      'test/Canary: TlsIngress.rateLimit is set on a canary; a canary takes every option from its primary (the controller ignores them on canaries), so set it on public.');
  });

  test('a canary route the primary does not have is refused', () => {
    const s = shop();
    const primary = primaryOf(s);
    expect(errorOf(() => new TlsIngress(s.chart, 'Canary', {
      namespace: s.ns,
      controller: IngressController.ingressNginx(),
      canary: { primary, weightPercent: 10 },
      rules: [{ host: 'shop.example.com', path: '/new', backend: IngressBackend.fromSecureService(s.web) }],
    })))
      .toBe('test/Canary: TlsIngress.canary: route shop.example.com/new is not a route of the primary public; a canary can only shadow its primary\'s routes.');
  });

  test('two canaries of one primary whose weights add up to more than 100 are refused; up to 100 (and header-only canaries) are accepted', () => {
    const s = shop();
    const primary = primaryOf(s);
    const canaryOf = (id: string, weightPercent?: number) => new TlsIngress(s.chart, id, {
      namespace: s.ns,
      controller: IngressController.ingressNginx(),
      canary: weightPercent === undefined ? { primary, header: 'X-Beta' } : { primary, weightPercent },
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.web) }],
    });
    canaryOf('CanaryA', 60);
    canaryOf('CanaryHeader');
    expect(errorOf(() => canaryOf('CanaryB', 50))).toBe('test/CanaryB: TlsIngress.canary.weightPercent is 50, but the other canaries of public already take 60% '
      + '(test/CanaryA: 60); together they would get 110% of its requests. Lower the weights so that they add up to at most 100.');
    canaryOf('CanaryC', 40);
  });

  test('Traefik cannot split traffic on an Ingress, and says so', () => {
    const s = shop();
    const primary = primaryOf(s, IngressController.traefik());
    expect(errorOf(() => new TlsIngress(s.chart, 'Canary', {
      namespace: s.ns,
      controller: IngressController.traefik(),
      canary: { primary, weightPercent: 10 },
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.web) }],
    })))
      .toBe('test/Canary: TlsIngress.canary is set, but Traefik cannot express it: Traefik splits traffic with weighted TraefikServices, which an Ingress cannot reference; use an IngressRoute with a weighted TraefikService, or TlsGateway.');
  });
});

/**
 * A canary of an Ingress the app made itself. ingress-nginx matches a canary Ingress to the main
 * Ingress by host and path (kubernetes/ingress-nginx, internal/ingress/controller/controller.go,
 * mergeAlternativeBackends: "finds matching host + path pairs ... If no match is found, then the
 * serverless backend is deleted"), among the Ingresses of its own class; the canary's other
 * annotations are inherited from the main Ingress (docs/user-guide/nginx-configuration/annotations.md, Canary).
 */
describe('a canary of an Ingress the app made (CanaryPrimary.fromIngress)', () => {
  function legacyKube(s: ReturnType<typeof shop>, spec: any = {}, annotations?: { [k: string]: string }) {
    return new kplus.k8s.KubeIngress(s.chart, 'Legacy', {
      metadata: { name: 'legacy', namespace: 'shop', annotations },
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }] } }],
        tls: [{ hosts: ['shop.example.com'], secretName: 'legacy-tls' }],
        ...spec,
      },
    });
  }
  function canaryOf(s: ReturnType<typeof shop>, primary: ICanaryPrimary, props: Partial<TlsIngressProps> = {}) {
    const next = new SecureService(s.chart, 'WebNext', { namespace: s.ns, image: 'ghcr.io/acme/web:2.1.0', port: 8080 });
    return new TlsIngress(s.chart, 'Canary', {
      namespace: s.ns,
      controller: IngressController.ingressNginx(),
      canary: { primary, weightPercent: 20 },
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(next) }],
      ...props,
    });
  }

  test('a cdk8s-plus-28 Ingress: the canary shadows its routes and serves its TLS Secret', () => {
    const s = shop();
    const svc = new kplus.Service(s.chart, 'LegacySvc', { metadata: { name: 'legacy', namespace: 'shop' }, selector: kplus.Pods.select(s.chart, 'LegacyPods', { labels: { app: 'legacy' } }), ports: [{ port: 80, targetPort: 8080 }] });
    const legacy = new kplus.Ingress(s.chart, 'Legacy', {
      metadata: { name: 'legacy', namespace: 'shop' },
      rules: [{ host: 'shop.example.com', path: '/', backend: kplus.IngressBackend.fromService(svc) }],
      tls: [{ hosts: ['shop.example.com'], secret: kplus.Secret.fromSecretName(s.chart, 'LegacyTls', 'legacy-tls') }],
    });
    const primary = CanaryPrimary.fromIngress(legacy);
    expect(primary).toMatchObject({ ingressName: 'legacy', ingressNamespace: 'shop', routes: ['shop.example.com/'], tlsSecretName: 'legacy-tls' });
    canaryOf(s, primary);
    const canary = one(synth(s.chart), 'Ingress', 'canary');
    expect(canary.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20' });
    expect(canary.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'legacy-tls' }]);
    expect(canary.spec.rules.map((r: any) => r.host + r.http.paths[0].path)).toEqual(primary.routes);
  });

  test('a plain KubeIngress with a wildcard TLS entry and allow-http "false": the canary follows both', () => {
    const s = shop();
    const legacy = legacyKube(s, { tls: [{ hosts: ['*.example.com'], secretName: 'wild-tls' }] }, { 'kubernetes.io/ingress.allow-http': 'false' });
    const primary = CanaryPrimary.fromIngress(legacy);
    expect(primary).toMatchObject({ tlsSecretName: 'wild-tls', ingressClassName: 'nginx' });
    canaryOf(s, primary);
    const canary = one(synth(s.chart), 'Ingress', 'canary');
    expect(canary.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'wild-tls' }]);
    expect(canary.metadata.annotations['kubernetes.io/ingress.allow-http']).toBe('false');
  });

  test('the analyzer sees the pair as primary and canary, not as one route claimed twice', () => {
    const s = shop();
    canaryOf(s, CanaryPrimary.fromIngress(legacyKube(s)));
    synth(s.chart); // runs app-wide validation, which would throw on NET017
    expect(AppValidation.of(s.chart).findings().map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
  });

  test('the route check, the namespace check and the weight budget apply as for a TlsIngress primary', () => {
    const s = shop();
    const primary = CanaryPrimary.fromIngress(legacyKube(s));
    expect(errorOf(() => canaryOf(s, primary, { rules: [{ host: 'shop.example.com', path: '/new', backend: IngressBackend.fromSecureService(s.web) }] })))
      .toBe('test/Canary: TlsIngress.canary: route shop.example.com/new is not a route of the primary legacy; a canary can only shadow its primary\'s routes.');
  });

  test('a canary of another class than its primary is refused: the controller would not see the primary', () => {
    const s = shop();
    const primary = CanaryPrimary.fromIngress(legacyKube(s, { ingressClassName: 'traefik' }));
    expect(errorOf(() => canaryOf(s, primary))).toBe('test/Canary: TlsIngress.canary.primary legacy is of Ingress class "traefik", but this canary\'s controller is '
      + 'ingress-nginx (class "nginx"); a controller splits only the traffic of its own Ingresses, so give the canary the primary\'s controller.');
  });

  test('the class annotation counts as the class; with no class at all, none is checked', () => {
    const s = shop();
    expect(CanaryPrimary.fromIngress(legacyKube(s, { ingressClassName: undefined }, { 'kubernetes.io/ingress.class': 'haproxy' })).ingressClassName).toBe('haproxy');
    const s2 = shop();
    const primary = CanaryPrimary.fromIngress(legacyKube(s2, { ingressClassName: undefined }));
    expect(primary.ingressClassName).toBeUndefined();
    canaryOf(s2, primary);
  });

  test('Istio and ALB canaries change their primary\'s own objects, so they refuse a plain Ingress', () => {
    const s = shop();
    const primary = CanaryPrimary.fromIngress(legacyKube(s, { ingressClassName: 'istio' }));
    expect(errorOf(() => canaryOf(s, primary, { controller: IngressController.istio() }))).toMatch(
      /^test\/Canary: TlsIngress.canary.primary is "legacy", but Istio cannot express it: Istio splits traffic in the primary's VirtualService, and the primary is not an Istio TlsIngress/);
  });

  /** A primary the app implements itself (no CanaryPrimary.fromIngress): the ingress-nginx legacy Ingress, described by hand. */
  function ownPrimary(httpsOnly?: boolean): ICanaryPrimary {
    return { ingressName: 'legacy', ingressNamespace: 'shop', routes: ['shop.example.com/'], tlsSecretName: 'legacy-tls', ingressClassName: 'nginx', httpsOnly };
  }

  test('the library\'s primaries say whether they serve HTTPS only (ICanaryPrimary.httpsOnly)', () => {
    const s = shop();
    expect(CanaryPrimary.fromIngress(legacyKube(s, {}, { 'kubernetes.io/ingress.allow-http': 'false' })).httpsOnly).toBe(true);
    const s2 = shop();
    expect(CanaryPrimary.fromIngress(legacyKube(s2)).httpsOnly).toBe(false);
    const s3 = shop();
    // sslRedirect is on by default, so the TlsIngress carries allow-http "false".
    expect(new TlsIngress(s3.chart, 'Public', {
      namespace: s3.ns,
      controller: IngressController.ingressNginx(),
      certificate: TlsCertificate.secret('x'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s3.web) }],
    }).httpsOnly).toBe(true);
    expect(new TlsIngress(s3.chart, 'Plain', {
      namespace: s3.ns,
      controller: IngressController.ingressNginx(),
      certificate: TlsCertificate.secret('y'),
      sslRedirect: false,
      rules: [{ host: 'plain.example.com', backend: IngressBackend.fromSecureService(s3.web) }],
    }).httpsOnly).toBe(false);
  });

  test('a primary the app implements that declares httpsOnly: its canary carries allow-http "false", as with CanaryPrimary.fromIngress', () => {
    const s = shop();
    legacyKube(s, {}, { 'kubernetes.io/ingress.allow-http': 'false' });
    canaryOf(s, ownPrimary(true));
    const own = one(synth(s.chart), 'Ingress', 'canary');
    const s2 = shop();
    canaryOf(s2, CanaryPrimary.fromIngress(legacyKube(s2, {}, { 'kubernetes.io/ingress.allow-http': 'false' })));
    const library = one(synth(s2.chart), 'Ingress', 'canary');
    expect(own.metadata.annotations['kubernetes.io/ingress.allow-http']).toBe('false');
    expect(own).toEqual(library);
  });

  test('a primary the app implements that does not declare httpsOnly keeps the default: its canary does not claim allow-http "false"', () => {
    for (const httpsOnly of [undefined, false]) {
      const s = shop();
      legacyKube(s);
      canaryOf(s, ownPrimary(httpsOnly));
      expect(one(synth(s.chart), 'Ingress', 'canary').metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20' });
    }
  });

  test('a primary whose httpsOnly is not a boolean is refused with the construct path and the field', () => {
    const s = shop();
    expect(errorOf(() => canaryOf(s, { ...ownPrimary(), httpsOnly: 'yes' as any }))).toBe(
      'test/Canary: TlsIngress.canary.primary.httpsOnly is the string "yes"; give true when its Ingress serves HTTPS only, or leave it unset.');
  });

  test.each([
    ['a Service', (s: ReturnType<typeof shop>) => s.web.service,
      /^CanaryPrimary.fromIngress: ingress \(test\/Web\/Service\) is a Service, not an Ingress; give an Ingress \(cdk8s-plus of any version, or a KubeIngress\), or the TlsIngress itself as primary.$/],
    ['an Ingress with a host not in spec.tls', (s: ReturnType<typeof shop>) => legacyKube(s, { tls: undefined }),
      'CanaryPrimary.fromIngress(test/Legacy): Ingress legacy serves host shop.example.com without TLS (no spec.tls entry with a secretName lists it); '
      + 'a canary serves its primary\'s certificate, so give the primary spec.tls for every host.'],
    ['an Ingress whose hosts use two Secrets', (s: ReturnType<typeof shop>) => legacyKube(s, {
      rules: ['a.example.com', 'b.example.com'].map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }] } })),
      tls: [{ hosts: ['a.example.com'], secretName: 'a-tls' }, { hosts: ['b.example.com'], secretName: 'b-tls' }],
    }), 'CanaryPrimary.fromIngress(test/Legacy): Ingress legacy serves its hosts with 2 TLS Secrets (a.example.com: a-tls, b.example.com: b-tls); '
      + 'a canary serves one certificate, its primary\'s, so give the primary one Secret for all its hosts (or make one primary Ingress per Secret).'],
    ['an Ingress without rules', (s: ReturnType<typeof shop>) => legacyKube(s, { rules: undefined }),
      'CanaryPrimary.fromIngress(test/Legacy): Ingress legacy has no rules with paths; a canary shadows its primary\'s routes, so add its rules before this call.'],
    ['an Ingress with a rule without a host', (s: ReturnType<typeof shop>) => legacyKube(s, {
      rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }] } }],
    }), 'CanaryPrimary.fromIngress(test/Legacy): Ingress legacy has a rule without a host; a TlsIngress canary routes named hosts only, so give every rule of the primary a host.'],
  ])('%s is refused with the call and the cause', (_name, make, message) => {
    const s = shop();
    const ingress = make(s);
    const error = errorOf(() => CanaryPrimary.fromIngress(ingress as any));
    if (typeof message === 'string') expect(error).toBe(message);
    else expect(error).toMatch(message);
  });
});

describe('the controller reaches each backend on its target port, and nothing else does', () => {
  test('ingress-nginx pods reach api:8080 and web:8080; other pods, other ports and other namespaces do not', () => {
    const { objects } = render(IngressController.ingressNginx());
    const labels = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };
    const net = NetworkAnalysis.fromManifests([...objects,
      pods('ingress-nginx', 'controller', labels),
      pods('ingress-nginx', 'admission-job', { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'admission-webhook' }),
      pods('intruder', 'fake-controller', labels)]);
    expect(net.isAllowed({ from: 'ingress-nginx/controller', to: 'shop/api', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'ingress-nginx/controller', to: 'shop/web', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'ingress-nginx/controller', to: 'shop/api', port: 9090 })).toBe(false);
    expect(net.isAllowed({ from: 'ingress-nginx/admission-job', to: 'shop/api', port: 8080 })).toBe(false);
    expect(net.isAllowed({ from: 'intruder/fake-controller', to: 'shop/api', port: 8080 })).toBe(false);
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', port: 8080 })).toBe(false);
  });

  test('overridden namespace and labels are what the policy admits', () => {
    const labels = { app: 'edge-proxy' };
    const { objects } = render(IngressController.traefik({ namespace: 'edge', podLabels: labels }));
    const net = NetworkAnalysis.fromManifests([...objects, pods('edge', 'traefik', labels), pods('traefik', 'traefik', { 'app.kubernetes.io/name': 'traefik' })]);
    expect(net.isAllowed({ from: 'edge/traefik', to: 'shop/api', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'traefik/traefik', to: 'shop/api', port: 8080 })).toBe(false);
  });

  test('behind an ALB the backends admit the VPC, since the load balancer connects to pod IPs', () => {
    const { objects } = render(IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'] }));
    const net = NetworkAnalysis.fromManifests(objects);
    expect(net.isAllowed({ from: '10.0.12.34', to: 'shop/api', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: '192.168.0.1', to: 'shop/api', port: 8080 })).toBe(false);
  });

  test('behind GKE the backends admit Google\'s front ends and health checkers', () => {
    const net = NetworkAnalysis.fromManifests(render(IngressController.gce()).objects);
    expect(net.isAllowed({ from: '35.191.0.1', to: 'shop/web', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: '130.211.1.1', to: 'shop/web', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: '8.8.8.8', to: 'shop/web', port: 8080 })).toBe(false);
  });

  test('a plain cdk8s-plus Service backend gets no rule, and a warning says so', () => {
    const chart = newChart('test', 'shop');
    const legacy = new kplus.Service(chart, 'Legacy', { ports: [{ port: 80, targetPort: 8080 }] });
    const ingress = new TlsIngress(chart, 'Public', {
      controller: IngressController.traefik(),
      certificate: TlsCertificate.secret('x'),
      rules: [{ host: 'legacy.example.com', backend: IngressBackend.fromService(legacy, 80) }],
    });
    expect(one(synth(chart, { schemaless: [] }), 'Ingress', 'public').spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'test-legacy', port: { number: 80 } } });
    expect(ingress.node.metadata.filter((m) => m.type === 'warning').map((m) => m.data)).toEqual([
      'backend Service test-legacy is not a SecureService, so no NetworkPolicy rule was written for it; if its pods are isolated, allow traefik/app.kubernetes.io/name=traefik to reach them.',
    ]);
  });
});

describe('annotations are safe by construction', () => {
  test('no annotation any profile writes is a snippet', () => {
    for (const c of [IngressController.ingressNginx(), IngressController.nginxInc(), IngressController.traefik(), IngressController.haproxy()]) {
      // F5 NGINX always sends HSTS preload, so it must be accepted explicitly.
      const hsts = c.controllerName === 'nginx.org/ingress-controller' ? { preload: true } : undefined;
      expect(Object.keys(render(c, { rateLimit: { requestsPerSecond: 10 }, hsts }).annotations).filter((k) => /snippet/.test(k))).toEqual([]);
    }
  });

  test.each<[string, Partial<TlsIngressProps>, string]>([
    ['a configuration snippet', { annotations: { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "X: y";' } },
      'TlsIngress.annotations "nginx.ingress.kubernetes.io/configuration-snippet" is refused: snippet annotations copy free text into the proxy configuration (CVE-2021-25742). Remove it, or set TlsIngress.dangerouslyAllowUnsafeAnnotations to true if you accept the risk.'],
    ['a mirror target', { annotations: { 'nginx.ingress.kubernetes.io/mirror-target': 'https://evil.example.com' } },
      'TlsIngress.annotations "nginx.ingress.kubernetes.io/mirror-target" is refused: CVE-2025-1098. Remove it, or set TlsIngress.dangerouslyAllowUnsafeAnnotations to true if you accept the risk.'],
    ['a value with a semicolon', { annotations: { 'nginx.ingress.kubernetes.io/proxy-buffer-size': '8k; root /etc' } },
      'TlsIngress.annotations "nginx.ingress.kubernetes.io/proxy-buffer-size": "8k; root /etc" is refused; it contains ";"; annotation values must not contain ; { } \' " $ # ` \\ or line breaks, which controllers copy into their configuration. Set TlsIngress.dangerouslyAllowUnsafeAnnotations to true if you accept the risk.'],
    ['a value with a line break', { annotations: { 'nginx.ingress.kubernetes.io/proxy-buffer-size': '8k\nx' } },
      'TlsIngress.annotations "nginx.ingress.kubernetes.io/proxy-buffer-size": "8k\nx" is refused; it contains "\\n"; annotation values must not contain ; { } \' " $ # ` \\ or line breaks, which controllers copy into their configuration. Set TlsIngress.dangerouslyAllowUnsafeAnnotations to true if you accept the risk.'],
    ['overriding a rendered annotation', { annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' } },
      'TlsIngress.annotations sets "nginx.ingress.kubernetes.io/ssl-redirect", which the ingress-nginx profile renders from TlsIngress.sslRedirect; a raw value would override it, so set TlsIngress.sslRedirect instead.'],
    ['an external auth URL that is not http(s)', { externalAuthUrl: 'file:///etc/passwd' }, 'TlsIngress.externalAuthUrl "file:///etc/passwd" is refused; its scheme is "file"; use https:// (or http:// for an in-cluster service).'],
    ['an external auth URL with injected nginx syntax', { externalAuthUrl: 'https://auth.example.com/x;proxy_pass' },
      'TlsIngress.externalAuthUrl "https://auth.example.com/x;proxy_pass" is refused; it contains ";"; annotation values must not contain ; { } \' " $ # ` \\ or line breaks, which controllers copy into their configuration.'],
    ['a source range that is not a CIDR', { allowSourceRanges: ['10.0.0.0/33'] }, 'TlsIngress.allowSourceRanges[0] "10.0.0.0/33" is refused; it is not a CIDR (write e.g. 203.0.113.0/24).'],
    ['a source range with host bits', { allowSourceRanges: ['10.0.0.1/8'] }, 'TlsIngress.allowSourceRanges[0] "10.0.0.1/8" is refused; it has bits set after the prefix; write 10.0.0.0/8.'],
    ['a CORS wildcard with credentials', { cors: { allowOrigins: ['*'], allowCredentials: true } },
      'TlsIngress.cors.allowOrigins contains "*" while allowCredentials is true; browsers refuse that combination, so list the origins.'],
    ['a CORS origin with a path', { cors: { allowOrigins: ['https://app.example.com/x'] } },
      'TlsIngress.cors.allowOrigins[0] "https://app.example.com/x" is not an origin; it must be scheme://host[:port] with no path, e.g. https://app.example.com.'],
    ['a burst without a rate', { rateLimit: { burst: 10, connections: 5 } },
      'TlsIngress.rateLimit.burst is set without requestsPerSecond; a burst is an allowance above a rate, so set requestsPerSecond too.'],
    ['both kinds of authentication', { basicAuthSecret: 'users', externalAuthUrl: 'https://auth.example.com' },
      'TlsIngress.basicAuthSecret and TlsIngress.externalAuthUrl are both set; controllers apply one authentication per route, so choose one.'],
  ])('%s is refused', (_n, props, expected) => {
    expect(errorOf(() => render(IngressController.ingressNginx(), props))).toBe(`test/Public: ${expected}`);
  });

  test.each<[string, () => IngressController, { [key: string]: string }, string]>([
    ['the legacy class annotation beside ingressClassName', () => IngressController.ingressNginx(), { 'kubernetes.io/ingress.class': 'nginx' },
      'TlsIngress.annotations sets "kubernetes.io/ingress.class", but the Ingress names its class in spec.ingressClassName ("nginx"), and the API server rejects an Ingress that sets both; ' +
      'remove the annotation and choose the class with the controller\'s className option.'],
    ['the legacy class annotation with another value', () => IngressController.traefik(), { 'kubernetes.io/ingress.class': 'nginx' },
      'TlsIngress.annotations sets "kubernetes.io/ingress.class", but the Ingress names its class in spec.ingressClassName ("traefik"), and the API server rejects an Ingress that sets both; ' +
      'remove the annotation and choose the class with the controller\'s className option.'],
    ['the class annotation on GKE, where the profile writes it', () => IngressController.gce(), { 'kubernetes.io/ingress.class': 'gce-internal' },
      'TlsIngress.annotations sets "kubernetes.io/ingress.class", which the GKE Ingress (gce) profile renders from the IngressController.gce(...) options; a raw value would override it, so set the IngressController.gce(...) options instead.'],
    ['a rendered HAProxy annotation under its haproxy.com alias', () => IngressController.haproxy(), { 'haproxy.com/ssl-redirect': 'false' },
      'TlsIngress.annotations sets "haproxy.com/ssl-redirect", which HAProxy Kubernetes Ingress Controller reads as "haproxy.org/ssl-redirect", rendered from TlsIngress.sslRedirect; a raw value would override it, so set TlsIngress.sslRedirect instead.'],
    ['a rendered HAProxy annotation under its ingress.kubernetes.io alias', () => IngressController.haproxy(), { 'ingress.kubernetes.io/response-set-header': 'X-A b' },
      'TlsIngress.annotations sets "ingress.kubernetes.io/response-set-header", which HAProxy Kubernetes Ingress Controller reads as "haproxy.org/response-set-header", rendered from TlsIngress.hsts; a raw value would override it, so set TlsIngress.hsts instead.'],
    ['one HAProxy annotation under two prefixes', () => IngressController.haproxy(), { 'haproxy.org/timeout-check': '5s', 'haproxy.com/timeout-check': '10s' },
      'TlsIngress.annotations sets both "haproxy.org/timeout-check" and "haproxy.com/timeout-check", which HAProxy Kubernetes Ingress Controller reads as one annotation; keep one.'],
  ])('%s is refused', (_n, controller, annotations, expected) => {
    expect(errorOf(() => render(controller(), { annotations }))).toBe(`test/Public: ${expected}`);
  });

  test('the aliases are per profile: another HAProxy annotation passes, and ingress.kubernetes.io is no alias for ingress-nginx', () => {
    expect(render(IngressController.haproxy(), { annotations: { 'haproxy.com/timeout-check': '5s' } }).annotations['haproxy.com/timeout-check']).toBe('5s');
    expect(render(IngressController.ingressNginx(), { annotations: { 'ingress.kubernetes.io/ssl-redirect': 'false' } }).annotations['ingress.kubernetes.io/ssl-redirect']).toBe('false');
  });

  test('the clearly named opt-in lets a snippet through, with a warning', () => {
    const { annotations, ingress } = render(IngressController.ingressNginx(), {
      annotations: { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "X-Frame-Options: DENY";' }, dangerouslyAllowUnsafeAnnotations: true,
    });
    expect(annotations['nginx.ingress.kubernetes.io/configuration-snippet']).toBe('more_set_headers "X-Frame-Options: DENY";');
    expect(ingress.node.metadata.filter((m) => m.type === 'warning').map((m) => m.data)).toEqual([
      'TlsIngress.dangerouslyAllowUnsafeAnnotations lets nginx.ingress.kubernetes.io/configuration-snippet reach the controller\'s configuration unchecked.',
    ]);
  });

  test('safe raw annotations pass through', () => {
    expect(render(IngressController.ingressNginx(), { annotations: { 'nginx.ingress.kubernetes.io/proxy-buffer-size': '8k' } })
      .annotations['nginx.ingress.kubernetes.io/proxy-buffer-size']).toBe('8k');
  });
});

describe('the Ingress is the default child', () => {
  test('ApiObject.of(ingress) patches the Ingress', () => {
    const s = shop();
    const ingress = new TlsIngress(s.chart, 'Public', {
      namespace: s.ns,
      controller: IngressController.haproxy(),
      certificate: TlsCertificate.secret('x'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.web) }],
    });
    ApiObject.of(ingress).addJsonPatch(JsonPatch.add('/metadata/labels/team', 'shop'));
    expect(one(synth(s.chart), 'Ingress', 'public').metadata.labels.team).toBe('shop');
  });
});
