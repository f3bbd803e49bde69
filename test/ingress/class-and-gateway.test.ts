import { errorOf, render, shop } from './helpers';
import { NetworkAnalysis, Peer } from '../../src';
import { AlbScheme, IngressBackend, IngressClass, IngressClassParametersScope, IngressController, TlsCertificate, TlsGateway } from '../../src/ingress';
import { errorWhereUsed } from '../util/bad-input';
import { newChart, one, synth } from '../util/synth';

describe('IngressClass', () => {
  test('takes its controller string from the profile and marks the default class', () => {
    const chart = newChart();
    new IngressClass(chart, 'Nginx', { controller: IngressController.nginxInc(), isDefault: true });
    expect(one(synth(chart), 'IngressClass', 'nginx')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-secure-networking' }, annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'nginx.org/ingress-controller' },
    });
  });

  test('is cluster-scoped: no namespace even in a chart that has one, and parameters are referenced', () => {
    const chart = newChart('test', 'shop');
    new IngressClass(chart, 'Alb', {
      controller: IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'], scheme: AlbScheme.INTERNET_FACING }),
      name: 'alb-public',
      parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'public' },
    });
    const cls = one(synth(chart), 'IngressClass', 'alb-public');
    expect(cls.metadata.namespace).toBeUndefined();
    expect(cls.spec).toEqual({ controller: 'ingress.k8s.aws/alb', parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'public', scope: 'Cluster' } });
  });

  test.each<[string, () => unknown, string]>([
    ['GKE, which has no IngressClass', () => new IngressClass(newChart(), 'Gce', { controller: IngressController.gce() }),
      'test/Gce: IngressClass.controller is GKE Ingress (gce), which has no IngressClass: GKE Ingress is selected by the kubernetes.io/ingress.class annotation and has no IngressClass; do not create one.'],
    ['namespaced parameters without a namespace', () => new IngressClass(newChart(), 'C', {
      controller: IngressController.haproxy(),
      parameters: { kind: 'Params', name: 'p', scope: IngressClassParametersScope.NAMESPACE },
    }),
    'test/C: IngressClass.parameters.scope is Namespace but parameters.namespace is not set; name the namespace of the parameters resource.'],
  ])('refuses %s', (_n, f, expected) => {
    expect(errorOf(f)).toBe(expected);
  });
});

describe('controller factories check their options', () => {
  test.each<[string, () => unknown, string]>([
    ['an ALB without VPC CIDRs', () => IngressController.awsAlb({ vpcCidrs: [] }),
      'test/Class: IngressClass.controller: IngressController.awsAlb: vpcCidrs is empty; list the CIDRs of the load balancer\'s subnets, which the backends must admit.'],
    ['internal GKE without the proxy-only subnet', () => IngressController.gce({ internal: true }),
      'test/Class: IngressClass.controller: IngressController.gce: internal is true but proxyOnlySubnetCidr is not set; give the region\'s proxy-only subnet, which internal load balancers connect from.'],
    ['empty pod labels', () => IngressController.traefik({ podLabels: {} }), 'test/Class: IngressClass.controller: IngressController.traefik: podLabels is empty; an empty selector would name every pod of the namespace.'],
    ['a bad namespace', () => IngressController.haproxy({ namespace: 'Edge' }),
      'test/Class: IngressClass.controller: IngressController.haproxy: namespace "Edge" is not a namespace name; it must consist of lower case alphanumeric characters or \'-\', and start and end with an alphanumeric character.'],
    ['a snippet among custom annotations', () => IngressController.custom({
      className: 'x',
      controllerName: 'example.com/x',
      namespace: 'x',
      podLabels: { a: 'b' },
      sslRedirectAnnotations: { 'example.com/server-snippet': 'return 301' },
    }),
    'test/Class: IngressClass.controller: IngressController.custom: sslRedirectAnnotations "example.com/server-snippet": "return 301" is refused; it is refused: snippet annotations copy free text into the proxy configuration (CVE-2021-25742).'],
  ])('refuses %s where the controller is used', (_n, f, expected) => {
    expect(errorWhereUsed(f)).toBe(expected);
  });

  test('each profile knows its class, controller string, namespace and pod labels', () => {
    expect([IngressController.ingressNginx(), IngressController.nginxInc(), IngressController.traefik(), IngressController.haproxy(),
      IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'] }), IngressController.gce(), IngressController.istio()]
      .map((c) => [c.className, c.controllerName, c.namespace, c.podLabels])).toEqual([
      ['nginx', 'k8s.io/ingress-nginx', 'ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' }],
      ['nginx', 'nginx.org/ingress-controller', 'nginx-ingress', { 'app.kubernetes.io/name': 'nginx-ingress' }],
      ['traefik', 'traefik.io/ingress-controller', 'traefik', { 'app.kubernetes.io/name': 'traefik' }],
      ['haproxy', 'haproxy.org/ingress-controller/haproxy', 'haproxy-controller', { 'app.kubernetes.io/name': 'kubernetes-ingress' }],
      ['alb', 'ingress.k8s.aws/alb', 'kube-system', { 'app.kubernetes.io/name': 'aws-load-balancer-controller' }],
      ['gce', 'k8s.io/ingress-gce', 'kube-system', { 'k8s-app': 'glbc' }],
      ['istio', 'istio.io/ingress-controller', 'istio-system', { istio: 'ingressgateway' }],
    ]);
  });

  test('a controller is a peer other rules can name', () => {
    const s = shop();
    s.api.allowFrom(IngressController.traefik() /* metrics scraping by the edge, say */);
    const policy = one(synth(s.chart), 'NetworkPolicy', 'api');
    expect(policy.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } } }]);
  });
});

describe('TlsGateway renders the same routing as Gateway API', () => {
  function gateway(props: Partial<ConstructorParameters<typeof TlsGateway>[2]> = {}) {
    const s = shop();
    new TlsGateway(s.chart, 'Public', {
      namespace: s.ns,
      gatewayClassName: 'eg',
      dataPlane: Peer.pods({ namespace: 'envoy-gateway-system', labels: { 'gateway.envoyproxy.io/owning-gateway-name': 'public' } }),
      certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
      rules: [
        { host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(s.api, 'http') },
        { host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.web) },
        { host: '*.shop.example.com', backend: IngressBackend.fromSecureService(s.web) },
      ],
      ...props,
    });
    return synth(s.chart);
  }

  test('a Gateway with one HTTPS listener per host, certificate refs, an HTTP listener and the gateway-shim annotation', () => {
    const gw = one(gateway(), 'Gateway', 'public');
    expect(gw.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt-prod',
      // The data plane given, for the analyzer (reach and graph show the gateway's connections).
      'cdk8s-net.io/gateway-data-plane': '{"namespace":"envoy-gateway-system","labels":{"gateway.envoyproxy.io/owning-gateway-name":"public"}}',
    });
    expect(gw.spec.listeners.map((l: any) => [l.name, l.hostname, l.port, l.protocol, l.tls?.certificateRefs])).toEqual([
      ['https.shop.example.com', 'shop.example.com', 443, 'HTTPS', [{ kind: 'Secret', name: 'public-tls' }]],
      ['https.wildcard.shop.example.com', '*.shop.example.com', 443, 'HTTPS', [{ kind: 'Secret', name: 'public-tls' }]],
      ['http', undefined, 80, 'HTTP', undefined],
    ]);
  });

  test('an HTTPRoute per host sends paths to Service ports with HSTS; the HTTP route only redirects', () => {
    const objects = gateway();
    const route = one(objects, 'HTTPRoute', 'public-shop-example-com');
    expect(route.spec.parentRefs).toEqual([{ name: 'public', sectionName: 'https.shop.example.com' }]);
    expect(route.spec.rules.map((r: any) => [r.matches, r.backendRefs])).toEqual([
      [[{ path: { type: 'PathPrefix', value: '/api' } }], [{ name: 'api', port: 80 }]],
      [[{ path: { type: 'PathPrefix', value: '/' } }], [{ name: 'web', port: 8080 }]],
    ]);
    expect(route.spec.rules[0].filters).toEqual([{ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [{ name: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' }] } }]);
    expect(one(objects, 'HTTPRoute', 'public-http-redirect').spec).toEqual({
      parentRefs: [{ name: 'public', sectionName: 'http' }],
      hostnames: ['shop.example.com', '*.shop.example.com'],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
  });

  test('without the redirect there is no HTTP listener', () => {
    const objects = gateway({ sslRedirect: false });
    expect(one(objects, 'Gateway', 'public').spec.listeners.map((l: any) => l.protocol)).toEqual(['HTTPS', 'HTTPS']);
    expect(objects.filter((o) => o.kind === 'HTTPRoute').map((o) => o.metadata.name)).toEqual(['public-shop-example-com', 'public-wildcard-shop-example-com']);
  });

  test('the data plane reaches the backends\' target ports', () => {
    const labels = { 'gateway.envoyproxy.io/owning-gateway-name': 'public' };
    const net = NetworkAnalysis.fromManifests([...gateway(), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'envoy', namespace: 'envoy-gateway-system' },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'envoy', image: 'envoy:1' }] } } },
    }]);
    expect(net.isAllowed({ from: 'envoy-gateway-system/envoy', to: 'shop/api', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'envoy-gateway-system/envoy', to: 'shop/api', port: 9090 })).toBe(false);
  });

  test('refuses certificates a Gateway cannot reference', () => {
    expect(errorOf(() => gateway({ certificate: TlsCertificate.acm() }))).toBe(
      'test/Public: TlsGateway.certificate is TlsCertificate.acm(...), which a Gateway cannot reference; use TlsCertificate.secret(), certManager() or certManagerCertificate().');
  });
});

describe('one snapshot per controller, to catch unintended drift', () => {
  test.each<[string, () => IngressController, object]>([
    ['ingress-nginx', () => IngressController.ingressNginx(), {}],
    ['nginx-inc', () => IngressController.nginxInc(), { hsts: { preload: true } }],
    ['traefik', () => IngressController.traefik(), {}],
    ['haproxy', () => IngressController.haproxy(), {}],
    ['aws-alb', () => IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'] }), {}],
    ['gce', () => IngressController.gce(), {}],
    ['istio', () => IngressController.istio(), {}],
  ])('%s', (_n, controller, props) => {
    const { objects } = render(controller(), props);
    expect(objects.filter((o) => !['Deployment', 'ServiceAccount', 'PodDisruptionBudget', 'Namespace'].includes(o.kind) &&
      !(o.kind === 'NetworkPolicy' && ['default-deny', 'allow-dns'].includes(o.metadata.name)))).toMatchSnapshot();
  });
});
