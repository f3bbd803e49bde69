import { Testing } from 'cdk8s';
import { outsideWorkloads } from './helpers';
import { ServiceMeshShops } from '../../examples/charts/service-mesh';
import { NetworkAnalysis } from '../../src/analysis';
import { ServiceMesh } from '../../src/mesh';
import { synth } from '../util/synth';

const objects = synth(new ServiceMeshShops(Testing.app(), 'service-mesh'));
const find = (kind: string, namespace: string, name: string, group = '') =>
  objects.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name && o.apiVersion.startsWith(group));
const net = NetworkAnalysis.fromManifests([...objects, ...outsideWorkloads([
  { namespace: 'istio-system', name: 'istiod', labels: { app: 'istiod' } },
  { namespace: 'linkerd', name: 'linkerd-destination', labels: { 'linkerd.io/control-plane-component': 'destination' } },
  { namespace: 'monitoring', name: 'prometheus', labels: { app: 'prometheus' } },
  { namespace: 'istio-ingress', name: 'istio-ingressgateway', labels: { istio: 'ingressgateway' } },
  { namespace: 'ingress-nginx', name: 'ingress-nginx-controller', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
])]);

describe('the service-mesh example, Istio shop', () => {
  const ns = 'shop-istio';
  const principal = (sa: string) => ServiceMesh.istio().identityOf(sa, ns);
  const sources = (name: string) => find('AuthorizationPolicy', ns, name, 'security.istio.io').spec.rules.map((r: any) => r.from[0].source);

  test('requires mutual TLS namespace-wide and allows nothing by default', () => {
    expect(find('PeerAuthentication', ns, 'default').spec.mtls.mode).toBe('STRICT');
    expect(find('AuthorizationPolicy', ns, 'allow-nothing', 'security.istio.io').spec).toEqual({});
  });

  test('web admits the ingress gateway; api and its canary admit web and the monitoring namespace; db admits both api versions', () => {
    for (const version of ['api', 'api-v2']) {
      expect(sources(version)).toEqual([{ principals: [principal('web')] }, { namespaces: ['monitoring'] }]);
    }
    expect(sources('db')).toEqual([{ principals: [principal('api')] }, { principals: [principal('api-v2')] }]);
    expect(find('AuthorizationPolicy', ns, 'web', 'security.istio.io').spec.rules).toEqual([{ from: [{ source: { namespaces: ['istio-ingress'] } }], to: [{ operation: { ports: ['8080'] } }] }]);
  });

  test('sends 10% of api requests to the canary, retries gateway errors 3 times within 2 s, and does not retry checkout', () => {
    const http = find('VirtualService', ns, 'api').spec.http;
    expect(http.map((h: any) => [h.name, h.match[0].uri?.prefix, h.retries, h.timeout])).toEqual([
      ['route-0', '/api/checkout', { attempts: 0 }, '5s'],
      ['default', undefined, { attempts: 3, perTryTimeout: '500ms', retryOn: 'gateway-error' }, '2s'],
    ]);
    for (const h of http) expect(h.route.map((r: any) => [r.destination.host, r.weight])).toEqual([['api.shop-istio.svc.cluster.local', 90], ['api-v2.shop-istio.svc.cluster.local', 10]]);
  });

  test('breaks the circuit after 5 consecutive errors and limits the connection pool', () => {
    const policy = find('DestinationRule', ns, 'api').spec.trafficPolicy;
    expect(policy.outlierDetection).toEqual({ consecutive5xxErrors: 5, baseEjectionTime: '30s', maxEjectionPercent: 50 });
    expect(policy.connectionPool.tcp.maxConnections).toBe(100);
  });

  test('NetworkPolicies still allow only the declared connections, plus istiod', () => {
    expect(net.isAllowed({ from: 'istio-ingress/istio-ingressgateway', to: `${ns}/web`, port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'istio-ingress/istio-ingressgateway', to: `${ns}/api`, port: 8080 })).toBe(false);
    expect(net.isAllowed({ from: 'monitoring/prometheus', to: `${ns}/web`, port: 8080 })).toBe(false);
    expect(net.isAllowed({ from: `${ns}/web`, to: `${ns}/api-v2`, port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: `${ns}/web`, to: `${ns}/db`, port: 5432 })).toBe(false);
    expect(net.isAllowed({ from: `${ns}/api`, to: 'istio-system/istiod', port: 15012 })).toBe(true);
  });
});

describe('the service-mesh example, Linkerd shop', () => {
  const ns = 'shop-linkerd';
  const identity = (sa: string) => ServiceMesh.linkerd().identityOf(sa, ns);

  test('injects proxies that deny by default, and authorizes db for both api versions only', () => {
    expect(objects.find((o) => o.kind === 'Namespace' && o.metadata.name === ns).metadata.annotations)
      .toEqual({ 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'deny' });
    expect(find('MeshTLSAuthentication', ns, 'db-pg').spec.identities).toEqual([identity('api'), identity('api-v2')]);
    expect(find('MeshTLSAuthentication', ns, 'api-http').spec.identities).toEqual([identity('web')]);
    expect(find('MeshTLSAuthentication', ns, 'web-http').spec.identities).toEqual(['*.ingress-nginx.serviceaccount.identity.linkerd.cluster.local']);
    expect(find('MeshTLSAuthentication', ns, 'api-metrics').spec.identities).toEqual(['*.monitoring.serviceaccount.identity.linkerd.cluster.local']);
  });

  test('splits 90/10 with HTTPRoutes carrying the retries and timeouts; failure accrual is on the Service', () => {
    const def = find('HTTPRoute', ns, 'api', 'policy.linkerd.io');
    expect(def.metadata.annotations).toEqual({ 'retry.linkerd.io/http': 'gateway-error', 'retry.linkerd.io/limit': '3', 'retry.linkerd.io/timeout': '500ms' });
    expect(def.spec.rules[0]).toEqual({
      matches: [{ path: { type: 'PathPrefix', value: '/' } }],
      backendRefs: [{ name: 'api', port: 80, weight: 90 }, { name: 'api-v2', port: 80, weight: 10 }],
      timeouts: { request: '2s' },
    });
    expect(find('HTTPRoute', ns, 'api-route-0', 'policy.linkerd.io').spec.rules[0].timeouts).toEqual({ request: '5s' });
    expect(find('Service', ns, 'api').metadata.annotations['balancer.linkerd.io/failure-accrual-consecutive-max-failures']).toBe('5');
  });

  test('NetworkPolicies open the proxy port between declared peers and the control plane', () => {
    expect(net.isAllowed({ from: 'ingress-nginx/ingress-nginx-controller', to: `${ns}/web`, port: 4143 })).toBe(true);
    expect(net.isAllowed({ from: `${ns}/web`, to: `${ns}/api`, port: 4143 })).toBe(true);
    expect(net.isAllowed({ from: `${ns}/web`, to: `${ns}/db`, port: 4143 })).toBe(false);
    expect(net.isAllowed({ from: `${ns}/db`, to: 'linkerd/linkerd-destination', port: 8086 })).toBe(true);
  });
});
