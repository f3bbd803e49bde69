import { errorOf, shop } from './helpers';
import { DenyAllNamespace, Peer, SecureService } from '../../src';
import { BackendProtocol, GatewayImplementation, GatewayRoute, IngressBackend, SharedGateway, TlsCertificate, TlsGateway, TlsGatewayProps } from '../../src/ingress';
import { errorWhereUsed } from '../util/bad-input';
import { newChart, ofKind, one, synth } from '../util/synth';

/** A TlsGateway `public` in shop routing shop.example.com/api to api:http and / to web, synthesized (schema-checked). */
function render(implementation: GatewayImplementation, props: Partial<TlsGatewayProps> = {}) {
  const { chart, ns, api, web } = shop();
  const gateway = new TlsGateway(chart, 'Public', {
    namespace: ns,
    implementation,
    certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
    rules: [
      { host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(api, 'http') },
      { host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) },
    ],
    ...props,
  });
  const objects = synth(chart);
  return { chart, gateway, objects, route: one(objects, 'HTTPRoute', 'public-shop-example-com') };
}

/** The peers of the ingress rules of the NetworkPolicy that guards `api`. */
function apiIngressPeers(objects: any[]): any[] {
  const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'api' && o.spec.ingress);
  return (policy?.spec.ingress ?? []).flatMap((r: any) => r.from ?? []);
}

const ALL = (): Array<[string, GatewayImplementation]> => [
  ['envoyGateway', GatewayImplementation.envoyGateway()],
  ['istio', GatewayImplementation.istio()],
  ['cilium', GatewayImplementation.cilium()],
  ['traefik', GatewayImplementation.traefik()],
  ['nginxGatewayFabric', GatewayImplementation.nginxGatewayFabric()],
  ['gke', GatewayImplementation.gke()],
  ['generic', GatewayImplementation.generic('acme', { dataPlane: Peer.pods({ namespace: 'acme', labels: { app: 'acme-proxy' } }) })],
];

describe('GatewayImplementation profiles', () => {
  // GatewayClass controller names, from each implementation's source or docs:
  // - Envoy Gateway: envoyproxy/gateway v1.9.0 api/v1alpha1/envoygateway_types.go GatewayControllerName
  // - Istio: istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api (GatewayClass istio, controller istio.io/gateway-controller)
  // - Cilium: docs.cilium.io network/servicemesh/gateway-api (GatewayClass cilium, io.cilium/gateway-controller)
  // - Traefik: doc.traefik.io/traefik/routing/providers/kubernetes-gateway/ (controllerName: traefik.io/gateway-controller)
  // - NGINX Gateway Fabric: nginx/nginx-gateway-fabric v2.6.7 charts/nginx-gateway-fabric/values.yaml gatewayControllerName
  // - GKE: cloud.google.com/kubernetes-engine/docs/concepts/gateway-api (networking.gke.io/gateway)
  test.each([
    ['envoyGateway', GatewayImplementation.envoyGateway, 'eg', 'gateway.envoyproxy.io/gatewayclass-controller'],
    ['istio', GatewayImplementation.istio, 'istio', 'istio.io/gateway-controller'],
    ['cilium', GatewayImplementation.cilium, 'cilium', 'io.cilium/gateway-controller'],
    ['traefik', GatewayImplementation.traefik, 'traefik', 'traefik.io/gateway-controller'],
    ['nginxGatewayFabric', GatewayImplementation.nginxGatewayFabric, 'nginx', 'gateway.nginx.org/nginx-gateway-controller'],
    ['gke', GatewayImplementation.gke, 'gke-l7-global-external-managed', 'networking.gke.io/gateway'],
  ])('%s: GatewayClass %s, controller %s', (_n, factory, className, controllerName) => {
    const impl = (factory as () => GatewayImplementation)();
    expect(impl.className).toBe(className);
    expect(impl.controllerName).toBe(controllerName);
    const { objects } = render(impl);
    expect(one(objects, 'Gateway', 'public').spec.gatewayClassName).toBe(className);
  });

  test.each(ALL())('%s renders the defaults: HTTPS listener, redirect route, HSTS header, schema-valid', (_n, impl) => {
    const { objects, route } = render(impl);
    const gw = one(objects, 'Gateway', 'public');
    const [https, http] = impl.className === 'traefik' ? [8443, 8000] : [443, 80];
    expect(gw.spec.listeners.map((l: any) => `${l.protocol}:${l.port}`)).toEqual([`HTTPS:${https}`, `HTTP:${http}`]);
    expect(route.spec.rules[0].filters).toEqual([{
      type: 'ResponseHeaderModifier',
      responseHeaderModifier: { set: [{ name: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' }] },
    }]);
    expect(one(objects, 'HTTPRoute', 'public-http-redirect').spec.rules[0].filters[0].requestRedirect).toEqual({ scheme: 'https', statusCode: 301 });
  });
});

describe('the backends admit exactly the data plane of the Gateway', () => {
  test('Envoy Gateway: the Envoy pods of this Gateway in envoy-gateway-system', () => {
    // envoyproxy/gateway v1.9.0 internal/infrastructure/kubernetes/proxy/resource.go EnvoyAppLabel(),
    // internal/gatewayapi/translator.go OwningGatewayNameLabel/OwningGatewayNamespaceLabel.
    const { objects } = render(GatewayImplementation.envoyGateway());
    expect(apiIngressPeers(objects)).toContainEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } },
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/name': 'envoy',
          'app.kubernetes.io/component': 'proxy',
          'app.kubernetes.io/managed-by': 'envoy-gateway',
          'gateway.envoyproxy.io/owning-gateway-name': 'public',
          'gateway.envoyproxy.io/owning-gateway-namespace': 'shop',
        },
      },
    });
  });

  test.each([['istio', GatewayImplementation.istio()], ['nginxGatewayFabric', GatewayImplementation.nginxGatewayFabric()]])(
    '%s: the pods deployed for this Gateway in its namespace (gateway.networking.k8s.io/gateway-name)', (_n, impl) => {
      // Istio: istio.io/latest/docs/reference/config/labels (gateway.networking.k8s.io/gateway-name on resources it creates);
      // NGINX Gateway Fabric v2.6.7 internal/controller/provisioner/objects.go buildLabelsAndAnnotations().
      const { objects } = render(impl);
      expect(apiIngressPeers(objects)).toContainEqual({ podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } } });
    });

  test('Traefik: listeners on its entry point ports (Helm: websecure 8443, web 8000), or the ports given', () => {
    // doc.traefik.io/traefik/routing/providers/kubernetes-gateway/ "Listener ports": Gateway listener ports must match
    // the configured EntryPoint ports of the Traefik deployment.
    const ports = (impl: GatewayImplementation) => one(render(impl).objects, 'Gateway', 'public').spec.listeners.map((l: any) => l.port);
    expect(ports(GatewayImplementation.traefik())).toEqual([8443, 8000]);
    expect(ports(GatewayImplementation.traefik({ httpsPort: 443, httpPort: 80 }))).toEqual([443, 80]);
    expect(errorWhereUsed(() => GatewayImplementation.traefik({ httpsPort: 0 }))).toBe('test/Gw: TlsGateway.implementation: GatewayImplementation.traefik: httpsPort is 0; it must be a port 1-65535.');
  });

  test('Traefik: its pods in traefik', () => {
    const { objects } = render(GatewayImplementation.traefik());
    expect(apiIngressPeers(objects)).toContainEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
    });
  });

  test('GKE: Google front ends (130.211.0.0/22, 35.191.0.0/16); regional classes: the proxy-only subnet', () => {
    expect(apiIngressPeers(render(GatewayImplementation.gke()).objects)).toEqual(expect.arrayContaining([{ ipBlock: { cidr: '130.211.0.0/22' } }, { ipBlock: { cidr: '35.191.0.0/16' } }]));
    const regional = render(GatewayImplementation.gke({ className: 'gke-l7-rilb', proxyOnlySubnetCidr: '10.129.0.0/23' })).objects;
    expect(apiIngressPeers(regional)).toContainEqual({ ipBlock: { cidr: '10.129.0.0/23' } });
    expect(errorWhereUsed(() => GatewayImplementation.gke({ className: 'gke-l7-rilb' }))).toMatch(/^test\/Gw: TlsGateway.implementation: GatewayImplementation.gke: className "gke-l7-rilb" is a regional load balancer; give proxyOnlySubnetCidr/);
  });

  test('Cilium: a CiliumNetworkPolicy admits the reserved ingress identity on the backend port', () => {
    // Traffic from Cilium's Envoy reaches backends with the reserved ingress identity: cilium/cilium commit 04f19e98
    // ("Add Cilium Endpoint representing Ingress": backends identify such packets as coming from Cilium Ingress) and the
    // documented `ingress` entity (cilium/cilium#25665, docs.cilium.io security/policy/language "Entities Based").
    const { objects } = render(GatewayImplementation.cilium());
    const policy = one(objects, 'CiliumNetworkPolicy', 'public-api-from-gateway');
    expect(policy.spec.ingress).toEqual([{ fromEntities: ['ingress'], toPorts: [{ ports: [{ port: 'http', protocol: 'TCP' }] }] }]);
    expect(policy.spec.endpointSelector.matchLabels['app.kubernetes.io/name']).toBe('api');
  });

  test('Cilium: several rules to one backend (another host, another port) give one CiliumNetworkPolicy per backend with each port', () => {
    // Before: the second rule to api threw "There is already a Construct with name 'CiliumIngressapi'". A CiliumNetworkPolicy
    // rule lists several ports in one toPorts entry (cilium/cilium pkg/policy/api/l4.go: PortRule.Ports []PortProtocol).
    const { chart, ns, api, web } = shop();
    new TlsGateway(chart, 'Public', {
      namespace: ns,
      implementation: GatewayImplementation.cilium(),
      certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
      rules: [
        { host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(api, 'http') },
        { host: 'api.example.com', backend: IngressBackend.fromSecureService(api, 'http') },
        { host: 'metrics.example.com', backend: IngressBackend.fromSecureService(api, 'metrics') },
        { host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) },
      ],
    });
    const policies = ofKind(synth(chart), 'CiliumNetworkPolicy');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(['public-api-from-gateway', 'public-web-from-gateway']);
    expect(one(policies, 'CiliumNetworkPolicy', 'public-api-from-gateway').spec.ingress).toEqual([{
      fromEntities: ['ingress'],
      toPorts: [{ ports: [{ port: 'http', protocol: 'TCP' }, { port: 'metrics', protocol: 'TCP' }] }],
    }]);
  });

  test('Cilium: two GatewayRoutes of one namespace to one backend each write their own CiliumNetworkPolicy, named after the route', () => {
    // Before: both were named <gateway>-api-from-gateway, the same object twice (NET020 failed the synth).
    const { chart, ns, api } = shop();
    const edge = new SharedGateway(chart, 'Edge', {
      namespace: ns,
      implementation: GatewayImplementation.cilium(),
      hosts: ['*.example.com'],
      certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
    });
    new GatewayRoute(chart, 'Public', { namespace: ns, gateway: edge, rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(api, 'http') }] });
    new GatewayRoute(chart, 'Partners', { namespace: ns, gateway: edge, rules: [{ host: 'partners.example.com', backend: IngressBackend.fromSecureService(api, 'metrics') }] });
    const policies = ofKind(synth(chart), 'CiliumNetworkPolicy');
    expect(policies.map((p) => [p.metadata.name, p.spec.ingress[0].toPorts[0].ports[0].port])).toEqual([
      ['public-api-from-gateway', 'http'],
      ['partners-api-from-gateway', 'metrics'],
    ]);
  });

  test('Cilium: backends of the same name in two namespaces each get their own CiliumNetworkPolicy', () => {
    const { chart, ns, api } = shop();
    const other = new DenyAllNamespace(chart, 'Other', { name: 'other' });
    const otherApi = new SecureService(chart, 'OtherApi', { name: 'api', namespace: other, image: 'ghcr.io/acme/api:2.0.0', port: 8080 });
    const edge = new SharedGateway(chart, 'Edge', {
      namespace: ns,
      implementation: GatewayImplementation.cilium(),
      hosts: ['*.example.com'],
      certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
    });
    new GatewayRoute(chart, 'Routes', {
      namespace: ns,
      gateway: edge,
      rules: [
        { host: 'shop.example.com', backend: IngressBackend.fromSecureService(api, 'http') },
        { host: 'other.example.com', backend: IngressBackend.fromSecureService(otherApi) },
      ],
    });
    const policies = ofKind(synth(chart), 'CiliumNetworkPolicy');
    expect(policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort()).toEqual(['other/routes-api-from-gateway', 'shop/routes-api-from-gateway']);
  });
});

describe('the option set on Gateway API', () => {
  test('CORS: the standard HTTPRoute CORS filter where the implementation supports it', () => {
    const { route } = render(GatewayImplementation.envoyGateway(), { cors: { allowOrigins: ['https://app.example.com'] } });
    expect(route.spec.rules[0].filters[1]).toEqual({ type: 'CORS', cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST', 'OPTIONS'], allowCredentials: false } });
  });

  test('CORS on GKE is refused by name (its conformance report lists no HTTPRouteCORS)', () => {
    // kubernetes-sigs/gateway-api conformance/reports/v1.6/gke-gateway/v1.6.0-gke-report.yaml: HTTPRouteCORS is not supported.
    expect(errorOf(() => render(GatewayImplementation.gke(), { cors: { allowOrigins: ['https://app.example.com'] } })))
      .toMatch(/^test\/Public: TlsGateway.cors is .*, but GKE Gateway \(Gateway API\) cannot express it: its conformance report does not list the HTTPRoute CORS filter/);
  });

  test('Envoy Gateway: rate limit, connect timeout and body size in a BackendTrafficPolicy attached to the routes', () => {
    const { objects } = render(GatewayImplementation.envoyGateway(), {
      rateLimit: { requestsPerSecond: 20 }, timeouts: { connectSeconds: 5 }, maxRequestBodyBytes: 1048576,
    });
    const policy = one(objects, 'BackendTrafficPolicy', 'public-traffic');
    expect(policy.apiVersion).toBe('gateway.envoyproxy.io/v1alpha1');
    expect(policy.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'public-shop-example-com' }]);
    // Per client: a global rule with a Distinct source CIDR (local limits cannot count per client,
    // envoyproxy/gateway v1.9.0 site/content/en/latest/tasks/traffic/local-rate-limit.md).
    expect(policy.spec.rateLimit.global.rules[0]).toEqual({ clientSelectors: [{ sourceCIDR: { type: 'Distinct', value: '0.0.0.0/0' } }], limit: { requests: 20, unit: 'Second' } });
    expect(policy.spec.rateLimit.global.rules[1].clientSelectors[0].sourceCIDR.value).toBe('::/0');
    expect(policy.spec.timeout).toEqual({ tcp: { connectTimeout: '5s' } });
    expect(policy.spec.requestBuffer).toEqual({ limit: 1048576 });
  });

  test('Envoy Gateway: basic auth, external auth and client allow list in a SecurityPolicy', () => {
    // envoyproxy/gateway v1.9.0 api/v1alpha1/basic_auth_types.go (users Secret, key ".htpasswd"),
    // api/v1alpha1/authorization_types.go (Principal.clientCIDRs), api/v1alpha1/ext_auth_types.go (http.backendRefs, path).
    const basic = render(GatewayImplementation.envoyGateway(), { basicAuthSecret: 'users', allowSourceRanges: ['10.0.0.0/8'] }).objects;
    const policy = one(basic, 'SecurityPolicy', 'public-security');
    expect(policy.spec.basicAuth).toEqual({ users: { name: 'users' } });
    expect(policy.spec.authorization).toEqual({ defaultAction: 'Deny', rules: [{ action: 'Allow', principal: { clientCIDRs: ['10.0.0.0/8'] } }] });
    const ext = render(GatewayImplementation.envoyGateway(), { externalAuthUrl: 'http://auth.auth-system.svc.cluster.local:8080/verify' }).objects;
    expect(one(ext, 'SecurityPolicy', 'public-security').spec.extAuth).toEqual({ http: { backendRefs: [{ name: 'auth', namespace: 'auth-system', port: 8080 }], path: '/verify' } });
    // The SecurityPolicy refers to a Service in another namespace: a ReferenceGrant there allows it.
    const grant = one(ext, 'ReferenceGrant');
    expect(grant.metadata.namespace).toBe('auth-system');
    expect(grant.spec).toEqual({ from: [{ group: 'gateway.envoyproxy.io', kind: 'SecurityPolicy', namespace: 'shop' }], to: [{ group: '', kind: 'Service', name: 'auth' }] });
  });

  test('Envoy Gateway refuses what it cannot express, naming the option', () => {
    const eg = GatewayImplementation.envoyGateway();
    expect(errorOf(() => render(eg, { rateLimit: { requestsPerSecond: 5, burst: 10 } }))).toMatch(/TlsGateway.rateLimit.burst is 10, but Envoy Gateway \(Gateway API\) cannot express it/);
    expect(errorOf(() => render(eg, { timeouts: { readSeconds: 30 } }))).toMatch(/TlsGateway.timeouts is \{ readSeconds: 30 \}, but Envoy Gateway \(Gateway API\) cannot express it/);
    expect(errorOf(() => render(eg, { externalAuthUrl: 'https://auth.example.com/check' }))).toMatch(/TlsGateway.externalAuthUrl is "https:\/\/auth.example.com\/check", but Envoy Gateway .* calls a Service/);
  });

  test('Traefik: Middlewares referenced through ExtensionRef filters', () => {
    const { objects, route } = render(GatewayImplementation.traefik(), {
      rateLimit: { requestsPerSecond: 10, burst: 20 }, basicAuthSecret: 'users', allowSourceRanges: ['10.0.0.0/8'], cors: { allowOrigins: ['https://app.example.com'] },
    });
    const refs = route.spec.rules[0].filters.filter((f: any) => f.type === 'ExtensionRef').map((f: any) => f.extensionRef);
    expect(refs).toEqual([
      { group: 'traefik.io', kind: 'Middleware', name: 'public-rate-limit' },
      { group: 'traefik.io', kind: 'Middleware', name: 'public-allow-list' },
      { group: 'traefik.io', kind: 'Middleware', name: 'public-basic-auth' },
      { group: 'traefik.io', kind: 'Middleware', name: 'public-cors' },
    ]);
    expect(one(objects, 'Middleware', 'public-rate-limit').spec.rateLimit).toEqual({ average: 10, period: '1s', burst: 20 });
    expect(one(objects, 'Middleware', 'public-cors').spec.headers.accessControlAllowOriginList).toEqual(['https://app.example.com']);
  });

  test.each([
    ['istio', GatewayImplementation.istio()],
    ['cilium', GatewayImplementation.cilium()],
    ['nginxGatewayFabric', GatewayImplementation.nginxGatewayFabric()],
    ['gke', GatewayImplementation.gke()],
  ])('%s refuses options that need policy resources, naming implementation and option', (_n, impl) => {
    for (const [field, value] of [['rateLimit', { requestsPerSecond: 5 }], ['basicAuthSecret', 'users'], ['allowSourceRanges', ['10.0.0.0/8']],
      ['maxRequestBodyBytes', 1024], ['externalAuthUrl', 'https://auth.example.com/'], ['timeouts', { connectSeconds: 3 }]] as const) {
      expect(errorOf(() => render(impl, { [field]: value } as any))).toMatch(new RegExp(`^test/Public: TlsGateway\\.${field} is .*, but ${impl.displayName} \\(Gateway API\\) cannot express it`));
    }
  });

  test('timeouts.responseSeconds: HTTPRoute timeouts.backendRequest where HTTPRouteBackendTimeout is supported, refused elsewhere', () => {
    // Gateway API v1.6.1 apis/v1/httproute_types.go HTTPRouteTimeouts.BackendRequest: from the request being sent to the
    // backend to the full response; conformance reports: Envoy Gateway, Istio, Cilium list HTTPRouteBackendTimeout.
    const rules = render(GatewayImplementation.cilium(), { timeouts: { responseSeconds: 20 }, requestTimeoutSeconds: 30 }).route.spec.rules[0];
    expect(rules.timeouts).toEqual({ request: '30s', backendRequest: '20s' });
    const eg = render(GatewayImplementation.envoyGateway(), { timeouts: { connectSeconds: 3, responseSeconds: 20 } });
    expect(eg.route.spec.rules[0].timeouts).toEqual({ backendRequest: '20s' });
    expect(one(eg.objects, 'BackendTrafficPolicy', 'public-traffic').spec.timeout).toEqual({ tcp: { connectTimeout: '3s' } });
    expect(errorOf(() => render(GatewayImplementation.gke(), { timeouts: { responseSeconds: 20 } })))
      .toMatch(/TlsGateway.timeouts.responseSeconds is 20, but GKE Gateway \(Gateway API\) cannot express it/);
    expect(errorOf(() => render(GatewayImplementation.istio(), { timeouts: { responseSeconds: 40 }, requestTimeoutSeconds: 30 })))
      .toMatch(/TlsGateway.timeouts.responseSeconds \(40\) is longer than requestTimeoutSeconds \(30\)/);
  });

  test('requestTimeoutSeconds: HTTPRoute timeouts.request where HTTPRouteRequestTimeout is supported, refused elsewhere', () => {
    expect(render(GatewayImplementation.istio(), { requestTimeoutSeconds: 30 }).route.spec.rules[0].timeouts).toEqual({ request: '30s' });
    // conformance/reports/v1.6/traefik-traefik/experimental-v3.7.10-default-report.yaml: HTTPRouteRequestTimeout unsupported.
    expect(errorOf(() => render(GatewayImplementation.traefik(), { requestTimeoutSeconds: 30 }))).toMatch(/TlsGateway.requestTimeoutSeconds is 30, but Traefik \(Gateway API\) cannot express it/);
  });

  test('backendProtocol HTTPS: a BackendTLSPolicy per backend Service, verifying <service>.<namespace>.svc against the CA ConfigMap', () => {
    const { objects } = render(GatewayImplementation.envoyGateway(), { backendProtocol: BackendProtocol.HTTPS, backendCaConfigMap: 'backend-ca' });
    const policy = one(objects, 'BackendTLSPolicy', 'public-api-tls');
    expect(policy.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(policy.spec).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'api' }],
      validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'backend-ca' }], hostname: 'api.shop.svc' },
    });
    expect(errorOf(() => render(GatewayImplementation.envoyGateway(), { backendProtocol: BackendProtocol.HTTPS })))
      .toMatch(/TlsGateway.backendProtocol is "HTTPS", but backendCaConfigMap is not set/);
  });

  test('Envoy Gateway refuses a request body limit for gRPC backends (request buffering breaks streaming)', () => {
    const { chart, ns, api } = shop();
    expect(errorOf(() => new TlsGateway(chart, 'Grpc', {
      namespace: ns,
      implementation: GatewayImplementation.envoyGateway(),
      backendProtocol: BackendProtocol.GRPC,
      maxRequestBodyBytes: 1024,
      certificate: TlsCertificate.secret('grpc-tls'),
      rules: [{ host: 'grpc.example.com', backend: IngressBackend.fromSecureService(api, 'http') }],
    }))).toBe('test/Grpc: TlsGateway.maxRequestBodyBytes is 1024, but Envoy Gateway (Gateway API) cannot express it: its request body limit buffers whole requests, '
      + 'which breaks gRPC streaming; limit message sizes in the gRPC server, or leave maxRequestBodyBytes unset.');
  });

  test('backendProtocol GRPC: GRPCRoutes; GKE (no GATEWAY-GRPC profile) refuses', () => {
    const { chart, ns, api } = shop();
    new TlsGateway(chart, 'Grpc', {
      namespace: ns,
      implementation: GatewayImplementation.envoyGateway(),
      backendProtocol: BackendProtocol.GRPC,
      certificate: TlsCertificate.secret('grpc-tls'),
      rules: [{ host: 'grpc.example.com', path: '/shop.v1.Orders', backend: IngressBackend.fromSecureService(api, 'http') }],
    });
    const route = one(synth(chart), 'GRPCRoute', 'grpc-grpc-example-com');
    expect(route.spec.rules[0].matches).toEqual([{ method: { type: 'Exact', service: 'shop.v1.Orders' } }]);
    expect(errorOf(() => render(GatewayImplementation.gke(), { backendProtocol: BackendProtocol.GRPC }))).toMatch(/TlsGateway.backendProtocol is "GRPC", but GKE Gateway \(Gateway API\) cannot express it/);
  });

  test('canary: weighted backendRefs in the primary\'s route; a header rule routes to the canary only', () => {
    const { chart, ns, api, web } = shop();
    const primary = new TlsGateway(chart, 'Public', {
      namespace: ns,
      implementation: GatewayImplementation.envoyGateway(),
      certificate: TlsCertificate.secret('shop-tls'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) }],
    });
    new TlsGateway(chart, 'Canary', {
      namespace: ns,
      canary: { primary: primary.asCanaryPrimary, weightPercent: 10, header: 'X-Canary' },
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(api, 'http') }],
    });
    const objects = synth(chart);
    expect(ofKind(objects, 'Gateway')).toHaveLength(1);
    const rules = one(objects, 'HTTPRoute', 'public-shop-example-com').spec.rules;
    expect(rules[0].backendRefs).toEqual([{ name: 'web', port: 8080, weight: 90 }, { name: 'api', port: 80, weight: 10 }]);
    expect(rules[1]).toEqual({ matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'X-Canary', value: 'always' }] }], backendRefs: [{ name: 'api', port: 80 }] });
  });

  test('bad input names the construct path and the field', () => {
    const { chart, ns, web } = shop(newChart());
    expect(errorOf(() => new TlsGateway(chart, 'NoImpl', { namespace: ns, certificate: TlsCertificate.secret('x'), rules: [{ host: 'a.example.com', backend: IngressBackend.fromSecureService(web) }] })))
      .toMatch(/^test\/NoImpl: TlsGateway.implementation is not set/);
    expect(errorOf(() => render(GatewayImplementation.envoyGateway(), { hsts: { maxAgeSeconds: -1 } }))).toMatch(/^test\/Public: TlsGateway.hsts.maxAgeSeconds is -1/);
    expect(errorWhereUsed(() => GatewayImplementation.envoyGateway({ className: 'Not_A_Class' }))).toMatch(/^test\/Gw: TlsGateway.implementation: GatewayImplementation.envoyGateway: className "Not_A_Class" is not a GatewayClass name/);
    expect(errorWhereUsed(() => GatewayImplementation.nginxGatewayFabric({ namespace: 'x' } as any)))
      .toMatch(/^test\/Gw: TlsGateway.implementation: GatewayImplementation.nginxGatewayFabric: namespace or podLabels is set, but NGINX Gateway Fabric provisions the data plane in each Gateway's namespace/);
    expect(errorWhereUsed(() => GatewayImplementation.nginxGatewayFabric({ controlPlaneNamespace: 'NGF' }))).toMatch(/^test\/Gw: TlsGateway.implementation: GatewayImplementation.nginxGatewayFabric: controlPlaneNamespace "NGF" is not a namespace name/);
    expect(errorWhereUsed(() => GatewayImplementation.istio({ controlPlaneNamespace: 'Istio' }))).toMatch(/^test\/Gw: TlsGateway.implementation: GatewayImplementation.istio: controlPlaneNamespace "Istio" is not a namespace name/);
  });
});
