import { meshShop, outsideWorkloads } from './helpers';
import { NetworkAnalysis } from '../../src/analysis';
import { Peer } from '../../src/core/peer';
import { Port } from '../../src/core/port';
import { NamespaceRef } from '../../src/dns/namespace-ref';
import { MeshMtlsMode, MeshRetryOn, ServiceMesh } from '../../src/mesh';
import { DenyAllNamespace } from '../../src/namespace/deny-all-namespace';
import { SecureService } from '../../src/service/secure-service';
import { newChart, ofKind, one, synth } from '../util/synth';

const outside = outsideWorkloads([
  { namespace: 'linkerd', name: 'linkerd-destination', labels: { 'linkerd.io/control-plane-component': 'destination' } },
  { namespace: 'linkerd', name: 'linkerd-identity', labels: { 'linkerd.io/control-plane-component': 'identity' } },
  { namespace: 'monitoring', name: 'prometheus', labels: { app: 'prometheus' } },
]);

const shop = (mesh = ServiceMesh.linkerd()) => meshShop(mesh);

const linkerd = (objects: any[], kind: string, name?: string) =>
  objects.filter((o) => o.apiVersion.startsWith('policy.linkerd.io') && o.kind === kind && (name === undefined || o.metadata.name === name));

describe('Linkerd', () => {
  test('the namespace is annotated for injection with a deny default inbound policy', () => {
    const annotations = one(synth(shop().chart), 'Namespace', 'shop').metadata.annotations;
    expect(annotations).toEqual({ 'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'deny' });
  });

  test('every TCP port of a workload is a Server (v1beta3) that denies by default', () => {
    const servers = linkerd(synth(shop().chart), 'Server').filter((s) => s.metadata.name.startsWith('api-'));
    expect(servers.map((s) => [s.apiVersion, s.metadata.name, s.spec])).toEqual([
      ['policy.linkerd.io/v1beta3', 'api-http', { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } }, port: 'http', accessPolicy: 'deny' }],
      ['policy.linkerd.io/v1beta3', 'api-metrics', { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } }, port: 'metrics', accessPolicy: 'deny' }],
    ]);
  });

  test('a port with declared callers gets an AuthorizationPolicy requiring a MeshTLSAuthentication of their identities', () => {
    const { chart, web, api, db } = shop();
    web.allowTo(api, Port.named('http'));
    db.allowFrom(api);
    const objects = synth(chart);
    expect(one(objects, 'MeshTLSAuthentication', 'api-http').spec).toEqual({ identities: ['web.shop.serviceaccount.identity.linkerd.cluster.local'] });
    expect(linkerd(objects, 'AuthorizationPolicy', 'api-http')[0].spec).toEqual({
      targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'api-http' },
      requiredAuthenticationRefs: [{ group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: 'api-http' }],
    });
    expect(one(objects, 'MeshTLSAuthentication', 'db-pg').spec.identities).toEqual(['api.shop.serviceaccount.identity.linkerd.cluster.local']);
    // Nobody may call api on metrics, and nobody calls web: no authorization, the Server denies.
    expect(linkerd(objects, 'AuthorizationPolicy').map((o) => o.metadata.name).sort()).toEqual(['api-http', 'db-pg']);
  });

  test('a namespace peer is every identity of that namespace; the whole cluster is any identity', () => {
    const { chart, api } = shop();
    api.allowFrom(Peer.namespace('monitoring'), Port.named('metrics'));
    api.allowFrom(Peer.allPodsInCluster());
    const objects = synth(chart);
    expect(one(objects, 'MeshTLSAuthentication', 'api-metrics').spec.identities).toEqual(['*.monitoring.serviceaccount.identity.linkerd.cluster.local', '*']);
    expect(one(objects, 'MeshTLSAuthentication', 'api-http').spec.identities).toEqual(['*']);
  });

  test('identities follow the control-plane namespace and trust domain', () => {
    const { chart, web, api } = shop(ServiceMesh.linkerd({ controlPlaneNamespace: 'l5d', trustDomain: 'prod.example' }));
    web.allowTo(api, Port.named('http'));
    expect(one(synth(chart), 'MeshTLSAuthentication', 'api-http').spec.identities).toEqual(['web.shop.serviceaccount.identity.l5d.prod.example']);
  });

  test('with PERMISSIVE mTLS an IP block gets a NetworkAuthentication and a policy of its own', () => {
    const { chart, api } = shop(ServiceMesh.linkerd({ mtls: MeshMtlsMode.PERMISSIVE }));
    api.allowFrom(Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']), Port.named('http'));
    const objects = synth(chart);
    expect(one(objects, 'NetworkAuthentication', 'api-http-networks').spec).toEqual({ networks: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }] });
    expect(linkerd(objects, 'AuthorizationPolicy', 'api-http-networks')[0].spec.requiredAuthenticationRefs).toEqual([
      { group: 'policy.linkerd.io', kind: 'NetworkAuthentication', name: 'api-http-networks' },
    ]);
    expect(ofKind(objects, 'MeshTLSAuthentication')).toEqual([]);
  });

  test('identities added after the authorization exists are included (lazy)', () => {
    const { chart, ns, web, api } = shop();
    web.allowTo(api, Port.named('http'));
    synth(chart);
    const tool = new SecureService(chart, 'Tool', { namespace: ns, image: 'tool:1', port: 8080 });
    tool.allowTo(api, Port.named('http'));
    expect(one(synth(chart), 'MeshTLSAuthentication', 'api-http').spec.identities).toEqual([
      'web.shop.serviceaccount.identity.linkerd.cluster.local', 'tool.shop.serviceaccount.identity.linkerd.cluster.local',
    ]);
  });

  test('retries, timeouts and circuit breaking are Service annotations (Linkerd 2.16+)', () => {
    const chart = newChart();
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop', mesh: ServiceMesh.linkerd() });
    new SecureService(chart, 'Api', {
      namespace: ns,
      image: 'api:1',
      port: 8080,
      mesh: {
        retries: { attempts: 3, perTryTimeoutMillis: 500, retryOn: [MeshRetryOn.GATEWAY_ERROR, MeshRetryOn.CONFLICT, MeshRetryOn.GRPC_UNAVAILABLE] },
        requestTimeoutMillis: 2000,
        outlierDetection: { consecutiveErrors: 5, baseEjectionSeconds: 10 },
      },
    });
    const objects = synth(chart);
    expect(one(objects, 'Service', 'api').metadata.annotations).toEqual({
      'retry.linkerd.io/http': 'gateway-error,409',
      'retry.linkerd.io/grpc': 'unavailable',
      'retry.linkerd.io/limit': '3',
      'retry.linkerd.io/timeout': '500ms',
      'timeout.linkerd.io/request': '2s',
      'balancer.linkerd.io/failure-accrual': 'consecutive',
      'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '5',
      'balancer.linkerd.io/failure-accrual-consecutive-min-penalty': '10s',
      'balancer.linkerd.io/failure-accrual-consecutive-max-penalty': '60s',
    });
    expect(linkerd(objects, 'HTTPRoute')).toEqual([]);
  });

  test('routes and a canary become HTTPRoutes on the Service with weighted backends and per-route retries', () => {
    const chart = newChart();
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop', mesh: ServiceMesh.linkerd() });
    const ports = [{ name: 'http', port: 80, targetPort: 8080 }];
    const v2 = new SecureService(chart, 'ApiV2', { namespace: ns, image: 'api:2', ports });
    new SecureService(chart, 'Api', {
      namespace: ns,
      image: 'api:1',
      ports,
      mesh: {
        retries: { attempts: 2 },
        requestTimeoutMillis: 1000,
        routes: [{ pathPrefix: '/reports', requestTimeoutMillis: 30000, retries: { attempts: 0 } }],
        canary: { service: v2, weightPercent: 25 },
      },
    });
    const objects = synth(chart);
    const backendRefs = [{ name: 'api', port: 80, weight: 75 }, { name: 'api-v2', port: 80, weight: 25 }];
    const parentRefs = [{ group: 'core', kind: 'Service', name: 'api', port: 80 }];
    const reports = linkerd(objects, 'HTTPRoute', 'api-route-0')[0];
    expect(reports.apiVersion).toBe('policy.linkerd.io/v1beta3');
    expect(reports.metadata.annotations).toBeUndefined();
    expect(reports.spec).toEqual({ parentRefs, rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/reports' } }], backendRefs, timeouts: { request: '30s' } }] });
    const def = linkerd(objects, 'HTTPRoute', 'api')[0];
    expect(def.metadata.annotations).toEqual({ 'retry.linkerd.io/http': 'gateway-error', 'retry.linkerd.io/limit': '2' });
    expect(def.spec).toEqual({ parentRefs, rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs, timeouts: { request: '1s' } }] });
    expect(one(objects, 'Service', 'api').metadata.annotations).toBeUndefined();
  });

  test('NetworkPolicies open the control plane (8086, 8090, 8080) and the proxy port 4143 where connections are declared', () => {
    const { chart, web, api, db } = shop();
    web.allowTo(api, Port.named('http'));
    api.allowTo(db);
    api.allowFrom(Peer.namespace('monitoring'), Port.named('metrics'));
    const net = NetworkAnalysis.fromManifests([...synth(chart), ...outside]);
    const allowed = (from: string, to: string, port: number) => net.isAllowed({ from, to, port });
    expect(allowed('shop/web', 'linkerd/linkerd-destination', 8086)).toBe(true);
    expect(allowed('shop/web', 'linkerd/linkerd-destination', 8090)).toBe(true);
    expect(allowed('shop/web', 'linkerd/linkerd-identity', 8080)).toBe(true);
    expect(allowed('shop/web', 'linkerd/linkerd-identity', 8086)).toBe(false);
    expect(allowed('shop/web', 'shop/api', 4143)).toBe(true);
    expect(allowed('shop/api', 'shop/db', 4143)).toBe(true);
    expect(allowed('monitoring/prometheus', 'shop/api', 4143)).toBe(true);
    expect(allowed('shop/web', 'shop/db', 4143)).toBe(false);
    expect(allowed('shop/web', 'shop/db', 5432)).toBe(false);
    expect(allowed('shop/web', 'shop/api', 8080)).toBe(true);
  });

  test('a workload in a namespace made elsewhere is annotated itself and opens the control plane in its own policy', () => {
    const chart = newChart();
    new SecureService(chart, 'Api', { namespace: NamespaceRef.named('ops'), image: 'api:1', port: 8080, mesh: { mesh: ServiceMesh.linkerd() } });
    const objects = synth(chart);
    expect(one(objects, 'Deployment', 'api').spec.template.metadata.annotations).toEqual({
      'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'deny',
    });
    const net = NetworkAnalysis.fromManifests([...objects, ...outside, ...outsideWorkloads([{ namespace: 'ops', name: 'x', labels: { a: 'b' } }])]);
    expect(net.isAllowed({ from: 'ops/api', to: 'linkerd/linkerd-destination', port: 8086 })).toBe(true);
  });

  test('snapshot', () => {
    const { chart, web, api, db } = shop();
    web.allowTo(api, Port.named('http'));
    api.allowTo(db);
    api.allowFrom(Peer.namespace('monitoring'), Port.named('metrics'));
    expect(synth(chart).filter((o) => /linkerd\.io/.test(o.apiVersion))).toMatchSnapshot();
  });
});
