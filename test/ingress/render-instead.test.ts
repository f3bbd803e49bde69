/**
 * Options a controller can express through its own objects are rendered instead of refused:
 * F5 NGINX Policy resources, Traefik ServersTransport and Service annotations, GKE app-protocols,
 * Istio AuthorizationPolicy and weights, ALB weighted forward actions.
 */
import { errorOf, render, shop } from './helpers';
import { BackendProtocol, IngressBackend, IngressController, IngressNginxAnnotationsRiskLevel, IngressNginxConfig, TlsCertificate, TlsIngress } from '../../src/ingress';
import { errorWhereUsed } from '../util/bad-input';
import { newChart, ofKind, one, synth } from '../util/synth';

describe('F5 NGINX: source ranges, CORS and external auth are Policy resources referenced by nginx.org/policies', () => {
  // nginx/kubernetes-ingress: internal/configs/annotations.go @ v5.4.0 PoliciesAnnotation "nginx.org/policies" (comma-separated Policy names,
  // optionally namespace/name); examples/ingress-resources/{access-control,cors,external-auth}/ @ v5.5.4; AccessControl and CORS on Ingress
  // from v5.4.0 (#9280, #9292), ExternalAuth from v5.5.0 (#9521); internal/configs/policy.go IsPolicySupportedOnIngress @ v5.5.4.
  // Schema: ../shared/crds/nginx-ingress/k8s.nginx.org_policies.yaml (v5.5.4), imported as src/imports/nginxpolicy-k8s.nginx.org.ts.
  test('each option is one Policy in the Ingress namespace for the Ingress class, listed in nginx.org/policies', () => {
    const { objects, annotations } = render(IngressController.nginxInc(), {
      allowSourceRanges: ['203.0.113.0/24'],
      cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true, maxAgeSeconds: 600 },
      externalAuthUrl: 'http://auth.identity.svc.cluster.local:4180/oauth2/auth',
    });
    expect(annotations['nginx.org/policies']).toBe('public-access-control,public-external-auth,public-cors');
    const spec = (name: string) => one(objects, 'Policy', name).spec;
    expect(one(objects, 'Policy', 'public-cors').apiVersion).toBe('k8s.nginx.org/v1');
    expect(one(objects, 'Policy', 'public-cors').metadata.namespace).toBe('shop');
    expect(spec('public-access-control')).toEqual({ ingressClassName: 'nginx', accessControl: { allow: ['203.0.113.0/24'] } });
    expect(spec('public-cors')).toEqual({
      ingressClassName: 'nginx',
      cors: {
        allowOrigin: ['https://app.example.com'],
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: ['Accept', 'Accept-Language', 'Content-Language'],
        allowCredentials: true,
        maxAge: 600,
      },
    });
    expect(spec('public-external-auth')).toEqual({
      ingressClassName: 'nginx', externalAuth: { authServiceName: 'identity/auth', authURI: '/oauth2/auth', authServicePorts: [4180] },
    });
  });

  test('an https auth URL turns sslEnabled on', () => {
    const { objects } = render(IngressController.nginxInc(), { externalAuthUrl: 'https://auth.identity.svc/verify' });
    expect(one(objects, 'Policy', 'public-external-auth').spec.externalAuth).toEqual({ authServiceName: 'identity/auth', authURI: '/verify', sslEnabled: true });
  });

  test.each<[string, string, object, string, string]>([
    ['source ranges', '5.3', { allowSourceRanges: ['203.0.113.0/24'] }, 'allowSourceRanges', 'a Policy with accessControl (nginx.org/policies)'],
    ['CORS', '5.3', { cors: { allowOrigins: ['*'] } }, 'cors', 'a Policy with cors (nginx.org/policies)'],
    ['external auth', '5.4', { externalAuthUrl: 'http://auth.identity.svc/verify' }, 'externalAuthUrl', 'a Policy with externalAuth (nginx.org/policies)'],
  ])('%s need the release that reads the Policy on Ingresses', (_n, version, props, field, what) => {
    const since = field === 'externalAuthUrl' ? '5.5' : '5.4';
    expect(errorOf(() => render(IngressController.nginxInc({ version }), props))).toBe(
      `test/Public: TlsIngress.${field} renders ${what}, which F5 NGINX Ingress Controller reads from release ${since} on, but the profile renders for ${version} ` +
      `(IngressController.nginxInc({ version })); upgrade the controller to ${since} or later and set that version, or leave ${field} unset.`);
  });

  test('no Policy and no nginx.org/policies without those options', () => {
    const { objects, annotations } = render(IngressController.nginxInc());
    expect(ofKind(objects, 'Policy')).toEqual([]);
    expect(annotations['nginx.org/policies']).toBeUndefined();
  });
});

describe('ingress-nginx: IngressNginxConfig writes the controller ConfigMap, so non-default HSTS is expressible', () => {
  // kubernetes/ingress-nginx @ controller-v1.15.1 docs/user-guide/nginx-configuration/configmap.md: hsts (bool, "true"), hsts-max-age
  // (string, "31536000"), hsts-include-subdomains (bool, "true"), hsts-preload (bool, "false"), allow-snippet-annotations (bool, "false"),
  // use-forwarded-headers (bool, "false"), strict-validate-path-type (bool, "true"), annotations-risk-level (Critical|High|Medium|Low,
  // "High"; internal/ingress/controller/config/config.go AnnotationsRiskLevel from controller-v1.9.1).

  test('every security-relevant key is written explicitly', () => {
    const chart = newChart();
    new IngressNginxConfig(chart, 'Nginx', { hsts: { maxAgeSeconds: 63072000, preload: true }, annotationsRiskLevel: IngressNginxAnnotationsRiskLevel.MEDIUM });
    const cm = one(synth(chart), 'ConfigMap', 'ingress-nginx-controller');
    expect(cm.metadata.namespace).toBe('ingress-nginx');
    expect(cm.data).toEqual({
      'hsts': 'true',
      'hsts-max-age': '63072000',
      'hsts-include-subdomains': 'true',
      'hsts-preload': 'true',
      'allow-snippet-annotations': 'false',
      'use-forwarded-headers': 'false',
      'strict-validate-path-type': 'true',
      'annotations-risk-level': 'Medium',
    });
  });

  test('a TlsIngress whose controller names the config inherits its HSTS and may repeat it', () => {
    const { chart } = render(IngressController.ingressNginx());
    const config = new IngressNginxConfig(chart, 'Nginx', { hsts: { maxAgeSeconds: 63072000, preload: true } });
    expect(errorOf(() => render(IngressController.ingressNginx({ config }), { hsts: { maxAgeSeconds: 63072000, preload: true } }))).toBe('no error');
    expect(errorOf(() => render(IngressController.ingressNginx({ config })))).toBe('no error');
    expect(errorOf(() => render(IngressController.ingressNginx({ config }), { hsts: { maxAgeSeconds: 600 } }))).toBe(
      'test/Public: TlsIngress.hsts is "max-age=600; includeSubDomains; preload", but ingress-nginx cannot express it: it sets HSTS only in its controller ConfigMap, ' +
      'and IngressNginxConfig test/Nginx sets "max-age=63072000; includeSubDomains; preload"; set the HSTS in the IngressNginxConfig and leave TlsIngress.hsts unset.');
  });

  test('the config sets the profile\'s namespace and version, and contradicting ones are refused', () => {
    const config = new IngressNginxConfig(newChart(), 'Nginx', { namespace: 'edge', version: '1.12' });
    const controller = IngressController.ingressNginx({ config });
    expect([controller.namespace, controller.version]).toEqual(['edge', '1.12']);
    expect(errorWhereUsed(() => IngressController.ingressNginx({ config, namespace: 'ingress-nginx' }))).toBe('test/Class: IngressClass.controller: IngressController.ingressNginx: namespace is "ingress-nginx", ' +
      'but config is the ConfigMap of the controller in "edge"; the controller reads its ConfigMap from its own namespace, so make them equal.');
  });

  test('a bad version is refused from the config, naming IngressNginxConfig.version', () => {
    expect(errorOf(() => new IngressNginxConfig(newChart(), 'Nginx', { version: 'latest' }))).toBe(
      'test/Nginx: IngressNginxConfig.version "latest" is not a release number; give major.minor or major.minor.patch, e.g. \'1.15\'.');
    expect(errorOf(() => new IngressNginxConfig(newChart(), 'Nginx', { version: '0.49' }))).toBe(
      'test/Nginx: IngressNginxConfig.version "0.49" is older than 1.0, the oldest ingress-nginx release this profile renders for '
      + '(the first release that reads networking.k8s.io/v1 Ingresses and IngressClasses); upgrade the controller.');
  });

  test('annotations-risk-level is refused for a release that does not read it', () => {
    expect(errorOf(() => new IngressNginxConfig(newChart(), 'Nginx', { version: '1.9.0', annotationsRiskLevel: IngressNginxAnnotationsRiskLevel.LOW }))).toBe(
      'test/Nginx: IngressNginxConfig.annotationsRiskLevel is set, but ingress-nginx reads annotations-risk-level from release 1.9.1 on and the config is for 1.9.0; upgrade the controller or leave it unset.');
  });
});

describe('Traefik: timeouts and backend protocol are set on the backend Service, where Traefik reads them', () => {
  // traefik/traefik @ v3.7.9 docs/content/reference/routing-configuration/kubernetes/ingress.md (Service annotations):
  // traefik.ingress.kubernetes.io/service.serverstransport "<namespace>-<name>@kubernetescrd" and service.serversscheme (http, https, h2c);
  // ServersTransport (traefik.io/v1alpha1, ../shared/crds/traefik v3.7.9) spec.forwardingTimeouts.dialTimeout, a duration ("5s").
  test('connectSeconds is a ServersTransport dialTimeout named by each backend Service', () => {
    const { objects } = render(IngressController.traefik(), { timeouts: { connectSeconds: 5 } });
    expect(one(objects, 'ServersTransport', 'public-transport').spec).toEqual({ forwardingTimeouts: { dialTimeout: '5s' } });
    for (const name of ['api', 'web']) {
      expect(one(objects, 'Service', name).metadata.annotations['traefik.ingress.kubernetes.io/service.serverstransport']).toBe('shop-public-transport@kubernetescrd');
    }
  });

  test.each([['HTTPS', 'https'], ['GRPC', 'h2c'], ['HTTP', 'http']])('backendProtocol %s is service.serversscheme %s', (protocol, scheme) => {
    const { objects } = render(IngressController.traefik(), { backendProtocol: protocol as any });
    expect(one(objects, 'Service', 'api').metadata.annotations['traefik.ingress.kubernetes.io/service.serversscheme']).toBe(scheme);
  });

  test('a read timeout has no ServersTransport field and is refused', () => {
    expect(errorOf(() => render(IngressController.traefik(), { timeouts: { readSeconds: 60 } }))).toBe('test/Public: TlsIngress.timeouts.readSeconds is 60, but Traefik cannot express it: ' +
      'its ServersTransport times out connecting (dialTimeout) and waiting for response headers (responseHeaderTimeout), not between reads or writes, nor over the whole response; ' +
      'leave it unset (timeouts.connectSeconds is rendered as dialTimeout).');
  });

  test('two TlsIngresses that need different values on one Service are refused', () => {
    const s = shop();
    const make = (id: string, host: string, protocol: BackendProtocol) => new TlsIngress(s.chart, id, {
      namespace: s.ns,
      controller: IngressController.traefik(),
      certificate: TlsCertificate.secret('x'),
      backendProtocol: protocol,
      rules: [{ host, backend: IngressBackend.fromSecureService(s.web) }],
    });
    make('A', 'a.example.com', BackendProtocol.HTTPS);
    expect(errorOf(() => make('B', 'b.example.com', BackendProtocol.GRPC))).toBe('test/B: TlsIngress.backendProtocol annotates backend Service web with ' +
      'traefik.ingress.kubernetes.io/service.serversscheme: "h2c", but TlsIngress test/A gave it "https"; Traefik reads it from the Service, for every Ingress that routes there, ' +
      'so give both TlsIngresses the same backendProtocol.');
  });
});

describe('GKE: the backend protocol is cloud.google.com/app-protocols on the Service', () => {
  // cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration ("HTTPS from load balancer to backends"; "HTTP/2 for load balancing"):
  // Service annotation cloud.google.com/app-protocols, a JSON map of Service port name to "HTTP", "HTTPS" or "HTTP2" (HTTP/2 over TLS).
  test('HTTPS names each routed port', () => {
    const { objects } = render(IngressController.gce(), { backendProtocol: BackendProtocol.HTTPS });
    expect(JSON.parse(one(objects, 'Service', 'api').metadata.annotations['cloud.google.com/app-protocols'])).toEqual({ http: 'HTTPS' });
    expect(JSON.parse(one(objects, 'Service', 'web').metadata.annotations['cloud.google.com/app-protocols'])).toEqual({ http: 'HTTPS' });
  });

  test('cleartext gRPC is refused: GKE speaks HTTP/2 to backends over TLS only', () => {
    expect(errorOf(() => render(IngressController.gce(), { backendProtocol: BackendProtocol.GRPC }))).toBe('test/Public: TlsIngress.backendProtocol is "GRPC", but GKE Ingress (gce) cannot express it: ' +
      'Google Cloud load balancers speak HTTP/2 to backends over TLS only (app-protocols HTTP2), never cleartext gRPC; serve gRPC over TLS in the pods and set backendProtocol to HTTPS, or use TlsGateway.');
  });
});

describe('Istio: source ranges are a DENY AuthorizationPolicy on the gateway, canaries are VirtualService weights and header routes', () => {
  // istio/api @ 1.30.3 security/v1/authorization_policy.proto: action DENY; Source.notRemoteIpBlocks (CIDRs; the client address from
  // X-Forwarded-For or PROXY protocol); Operation.hosts (case-insensitive, with "*" prefix/suffix) and paths (exact, "prefix*").
  // networking/v1/virtual_service.proto: HTTPRouteDestination.weight (percent, summing to 100), HTTPMatchRequest.headers (lower-case keys,
  // exact or regex). Schemas: ../shared/crds/istio/istio-crds-1.30.3.gen.yaml.
  test('the policy sits on the gateway pods and denies clients outside the ranges for this TlsIngress\'s hosts and paths only', () => {
    const { objects } = render(IngressController.istio(), { allowSourceRanges: ['203.0.113.0/24'] });
    const policy = one(objects, 'AuthorizationPolicy', 'shop-public-source-ranges');
    expect(policy.metadata.namespace).toBe('istio-system');
    expect(policy.spec).toEqual({
      selector: { matchLabels: { istio: 'ingressgateway' } },
      action: 'DENY',
      rules: [{ from: [{ source: { notRemoteIpBlocks: ['203.0.113.0/24'] } }], to: [{ operation: { hosts: ['shop.example.com', 'shop.example.com:*'] } }] }],
    });
  });

  test('a canary by weight and header is merged into the primary\'s VirtualService routes', () => {
    const s = shop();
    const primary = new TlsIngress(s.chart, 'Main', {
      namespace: s.ns,
      controller: IngressController.istio(),
      certificate: TlsCertificate.secret('shop-tls'),
      rules: [{ host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(s.api, 'http') }],
    });
    new TlsIngress(s.chart, 'Canary', {
      namespace: s.ns,
      controller: IngressController.istio(),
      canary: { primary, weightPercent: 10, header: 'X-Canary', headerValue: 'always' },
      rules: [{ host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(s.web) }],
    });
    const objects = synth(s.chart);
    expect(ofKind(objects, 'VirtualService').map((v) => v.metadata.name)).toEqual(['main-shop-example-com']);
    const http = one(objects, 'VirtualService').spec.http;
    const api = { host: 'api.shop.svc.cluster.local', port: { number: 80 } };
    const web = { host: 'web.shop.svc.cluster.local', port: { number: 8080 } };
    expect(http.map((h: any) => [h.match, h.route])).toEqual([
      [[{ uri: { exact: '/api' }, headers: { 'x-canary': { exact: 'always' } } }, { uri: { prefix: '/api/' }, headers: { 'x-canary': { exact: 'always' } } }], [{ destination: web }]],
      [[{ uri: { exact: '/api' } }, { uri: { prefix: '/api/' } }], [{ destination: api, weight: 90 }, { destination: web, weight: 10 }]],
    ]);
  });
});

describe('ALB: a canary is an Ingress of the primary\'s group with a weighted forward action, evaluated first', () => {
  // kubernetes-sigs/aws-load-balancer-controller @ v3.5.0 docs/guide/ingress/annotations.md: actions.${action-name} (JSON; advanced schema
  // forwardConfig.targetGroups[] with serviceName, servicePort, weight; the rule's backend is service <action-name>, port use-annotation),
  // conditions.${conditions-name} (JSON list; http-header with httpHeaderConfig.httpHeaderName and values, "*" wildcard),
  // group.order (-1000..1000, smaller first, default 0).
  const albIn = (group?: string) => IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'], groupName: group });
  const build = (canary: { weightPercent?: number; header?: string; headerValue?: string }, group = 'public') => {
    const s = shop();
    const primary = new TlsIngress(s.chart, 'Main', {
      namespace: s.ns,
      controller: albIn('public'),
      certificate: TlsCertificate.acm(),
      rules: [{ host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(s.api, 'http') }],
    });
    new TlsIngress(s.chart, 'Canary', {
      namespace: s.ns,
      controller: albIn(group),
      canary: { primary, ...canary },
      rules: [{ host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(s.web) }],
    });
    return synth(s.chart);
  };

  test('by weight: one rule forwarding 90/10 to the primary\'s and the canary\'s Services', () => {
    const canary = one(build({ weightPercent: 10 }), 'Ingress', 'canary');
    const a = canary.metadata.annotations;
    expect(JSON.parse(a['alb.ingress.kubernetes.io/actions.canary-0'])).toEqual({
      type: 'forward', forwardConfig: { targetGroups: [{ serviceName: 'api', servicePort: 'http', weight: 90 }, { serviceName: 'web', servicePort: 'http', weight: 10 }] },
    });
    expect([a['alb.ingress.kubernetes.io/group.name'], a['alb.ingress.kubernetes.io/group.order'], a['alb.ingress.kubernetes.io/listen-ports']]).toEqual(['public', '-1', '[{"HTTPS": 443}]']);
    expect(a['alb.ingress.kubernetes.io/listener-attributes.HTTPS-443']).toBeUndefined();
    expect(canary.spec.rules[0].http.paths).toEqual([{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'canary-0', port: { name: 'use-annotation' } } } }]);
  });

  test('by header: the rule matches the header and forwards to the canary only', () => {
    const a = one(build({ header: 'X-Canary', headerValue: 'always' }), 'Ingress', 'canary').metadata.annotations;
    expect(JSON.parse(a['alb.ingress.kubernetes.io/conditions.canary-0'])).toEqual([{ field: 'http-header', httpHeaderConfig: { httpHeaderName: 'X-Canary', values: ['always'] } }]);
    expect(JSON.parse(a['alb.ingress.kubernetes.io/actions.canary-0']).forwardConfig.targetGroups).toEqual([{ serviceName: 'web', servicePort: 'http' }]);
  });

  test('a canary in another group than its primary is refused', () => {
    expect(errorOf(() => build({ weightPercent: 10 }, 'other'))).toContain('is not an ALB TlsIngress of group "other" in this app, created before the canary; give a TlsIngress of the same ALB group as primary.');
  });
});
