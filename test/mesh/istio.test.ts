import { meshShop, outsideWorkloads } from './helpers';
import { NetworkAnalysis } from '../../src/analysis';
import { Peer } from '../../src/core/peer';
import { Port } from '../../src/core/port';
import { NamespaceRef } from '../../src/dns/namespace-ref';
import { MeshDataplaneMode, MeshMtlsMode, MeshRetryOn, ServiceMesh } from '../../src/mesh';
import { DenyAllNamespace } from '../../src/namespace/deny-all-namespace';
import { SecureService } from '../../src/service/secure-service';
import { newChart, ofKind, one, synth } from '../util/synth';

const outside = outsideWorkloads([
  { namespace: 'istio-system', name: 'istiod', labels: { app: 'istiod' } },
  { namespace: 'monitoring', name: 'prometheus', labels: { app: 'prometheus' } },
]);

const shop = (mesh = ServiceMesh.istio()) => meshShop(mesh);

const authz = (objects: any[], name: string) => objects.find((o) => o.kind === 'AuthorizationPolicy' && o.apiVersion.startsWith('security.istio.io') && o.metadata.name === name);

describe('Istio, sidecar mode', () => {
  test('the namespace gets the injection label, a STRICT PeerAuthentication and an allow-nothing AuthorizationPolicy', () => {
    const objects = synth(shop().chart);
    expect(one(objects, 'Namespace', 'shop').metadata.labels['istio-injection']).toBe('enabled');
    const pa = one(objects, 'PeerAuthentication', 'default');
    expect([pa.metadata.namespace, pa.spec]).toEqual(['shop', { mtls: { mode: 'STRICT' } }]);
    expect(authz(objects, 'allow-nothing').spec).toEqual({});
  });

  test('a workload admits exactly the principals of its declared callers, on their ports', () => {
    const { chart, web, api, db } = shop();
    web.allowTo(api, Port.named('http'));
    api.allowTo(db);
    const objects = synth(chart);
    expect(authz(objects, 'api').spec).toEqual({
      action: 'ALLOW',
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
    expect(authz(objects, 'db').spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/api'] } }], to: [{ operation: { ports: ['5432'] } }] },
    ]);
  });

  test('a workload nobody connects to allows nothing (ALLOW with no rules)', () => {
    const objects = synth(shop().chart);
    expect(authz(objects, 'web').spec).toEqual({ action: 'ALLOW', selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } });
  });

  test('namespace peers become namespace sources, the whole cluster becomes any principal, and a port-less connection has no port condition', () => {
    const { chart, api } = shop();
    api.allowFrom(Peer.namespace('monitoring'), Port.named('metrics'));
    api.allowFrom(Peer.allPodsInCluster(), Port.named('http'));
    const rules = authz(synth(chart), 'api').spec.rules;
    expect(rules).toEqual([
      { from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { ports: ['9090'] } }] },
      { from: [{ source: { principals: ['*'] } }], to: [{ operation: { ports: ['8080'] } }] },
    ]);
  });

  test('a connection declared from another namespace uses that namespace in the principal', () => {
    const { chart, api } = shop();
    const ops = new DenyAllNamespace(chart, 'Ops', { mesh: ServiceMesh.istio() });
    const tool = new SecureService(chart, 'Tool', { namespace: ops, image: 'tool:1', port: 8080 });
    tool.allowTo(api, Port.named('http'));
    expect(authz(synth(chart), 'api').spec.rules[0].from).toEqual([{ source: { principals: ['cluster.local/ns/ops/sa/tool'] } }]);
  });

  test('with PERMISSIVE mTLS an IP block is admitted by ipBlocks/notIpBlocks', () => {
    const { chart, api } = shop(ServiceMesh.istio({ mtls: MeshMtlsMode.PERMISSIVE }));
    api.allowFrom(Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']), Port.named('http'));
    const objects = synth(chart);
    expect(one(objects, 'PeerAuthentication', 'default').spec.mtls.mode).toBe('PERMISSIVE');
    expect(authz(objects, 'api').spec.rules).toEqual([
      { from: [{ source: { ipBlocks: ['10.0.0.0/8'], notIpBlocks: ['10.1.0.0/16'] } }], to: [{ operation: { ports: ['8080'] } }] },
    ]);
  });

  test('every workload gets an ISTIO_MUTUAL DestinationRule for its host; no VirtualService without traffic options', () => {
    const objects = synth(shop().chart);
    expect(one(objects, 'DestinationRule', 'api').spec).toEqual({ host: 'api.shop.svc.cluster.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } });
    expect(ofKind(objects, 'VirtualService')).toEqual([]);
  });

  test('outlier detection and connection-pool limits go in the DestinationRule', () => {
    const chart = newChart();
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop', mesh: ServiceMesh.istio() });
    new SecureService(chart, 'Api', {
      namespace: ns,
      image: 'api:1',
      port: 8080,
      mesh: {
        outlierDetection: { consecutiveErrors: 5, baseEjectionSeconds: 60, intervalSeconds: 5, maxEjectionPercent: 50 },
        connectionPool: { maxConnections: 100, maxPendingRequests: 10, maxConcurrentRequests: 200, maxRequestsPerConnection: 1 },
      },
    });
    expect(one(synth(chart), 'DestinationRule', 'api').spec.trafficPolicy).toEqual({
      tls: { mode: 'ISTIO_MUTUAL' },
      outlierDetection: { consecutive5xxErrors: 5, baseEjectionTime: '60s', interval: '5s', maxEjectionPercent: 50 },
      connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 10, http2MaxRequests: 200, maxRequestsPerConnection: 1 } },
    });
  });

  test('retries, timeouts, per-route overrides, canary weights and faults go in the VirtualService of the traffic port', () => {
    const chart = newChart();
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop', mesh: ServiceMesh.istio({ allowFaultInjection: true }) });
    const ports = [{ name: 'metrics', port: 9090 }, { name: 'http', port: 80, targetPort: 8080 }];
    const v2 = new SecureService(chart, 'ApiV2', { namespace: ns, image: 'api:2', ports });
    new SecureService(chart, 'Api', {
      namespace: ns,
      image: 'api:1',
      ports,
      mesh: {
        trafficPort: 'http',
        retries: { attempts: 2, perTryTimeoutMillis: 250, retryOn: [MeshRetryOn.GATEWAY_ERROR, MeshRetryOn.CONNECT_FAILURE] },
        requestTimeoutMillis: 1500,
        routes: [{ pathPrefix: '/reports', requestTimeoutMillis: 30000 }],
        canary: { service: v2, weightPercent: 20 },
        faultInjection: { delayMillis: 100, delayPercent: 5, abortHttpStatus: 503, abortPercent: 1 },
      },
    });
    const vs = one(synth(chart), 'VirtualService', 'api').spec;
    const route = [
      { destination: { host: 'api.shop.svc.cluster.local', port: { number: 80 } }, weight: 80 },
      { destination: { host: 'api-v2.shop.svc.cluster.local', port: { number: 80 } }, weight: 20 },
    ];
    const retries = { attempts: 2, perTryTimeout: '250ms', retryOn: 'gateway-error,connect-failure' };
    const fault = { delay: { fixedDelay: '100ms', percentage: { value: 5 } }, abort: { httpStatus: 503, percentage: { value: 1 } } };
    expect(vs).toEqual({
      hosts: ['api.shop.svc.cluster.local'],
      http: [
        { name: 'route-0', match: [{ uri: { prefix: '/reports' }, port: 80 }], route, retries, timeout: '30s', fault },
        { name: 'default', match: [{ port: 80 }], route, retries, timeout: '1500ms', fault },
      ],
    });
  });

  test('connections declared after construction are in the policy (lazy)', () => {
    const { chart, web, api } = shop();
    const objects1 = synth(chart);
    expect(authz(objects1, 'api').spec.rules).toBeUndefined();
    web.allowTo(api, Port.named('http'));
    expect(authz(synth(chart), 'api').spec.rules).toHaveLength(1);
  });

  test('NetworkPolicies still hold, and pods may reach istiod on 15012 only', () => {
    const { chart, web, api, db } = shop();
    web.allowTo(api, Port.named('http'));
    api.allowTo(db);
    const net = NetworkAnalysis.fromManifests([...synth(chart), ...outside]);
    expect(net.isAllowed({ from: 'shop/web', to: 'istio-system/istiod', port: 15012 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/db', to: 'istio-system/istiod', port: 15012 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/web', to: 'istio-system/istiod', port: 15017 })).toBe(false);
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/db', port: 5432 })).toBe(false);
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', port: 15008 })).toBe(false);
  });

  test('a revision labels the namespace istio.io/rev instead of istio-injection', () => {
    const labels = one(synth(shop(ServiceMesh.istio({ revision: '1-30' })).chart), 'Namespace', 'shop').metadata.labels;
    expect(labels['istio.io/rev']).toBe('1-30');
    expect(labels['istio-injection']).toBeUndefined();
  });

  test('a workload in a namespace made elsewhere joins by pod label, with its own PeerAuthentication and istiod egress', () => {
    const chart = newChart();
    const api = new SecureService(chart, 'Api', { namespace: NamespaceRef.named('ops'), image: 'api:1', port: 8080, mesh: { mesh: ServiceMesh.istio() } });
    const objects = synth(chart);
    expect(one(objects, 'Deployment', 'api').spec.template.metadata.labels['sidecar.istio.io/inject']).toBe('true');
    expect(one(objects, 'PeerAuthentication', 'api').spec).toEqual({ selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } }, mtls: { mode: 'STRICT' } });
    const net = NetworkAnalysis.fromManifests([...objects, ...outside, ...outsideWorkloads([{ namespace: 'ops', name: 'x', labels: { a: 'b' } }])]);
    expect(net.isAllowed({ from: 'ops/api', to: 'istio-system/istiod', port: 15012 })).toBe(true);
    expect(api.node.tryFindChild('IstioAuthorizationPolicy')).toBeDefined();
  });

  test('snapshot', () => {
    const { chart, web, api, db } = shop();
    web.allowTo(api, Port.named('http'));
    api.allowTo(db);
    api.allowFrom(Peer.namespace('monitoring'), Port.named('metrics'));
    const mesh = synth(chart).filter((o) => /istio\.io/.test(o.apiVersion));
    expect(mesh).toMatchSnapshot();
  });
});

describe('Istio, ambient mode', () => {
  const ambient = () => shop(ServiceMesh.istio({ dataplaneMode: MeshDataplaneMode.AMBIENT }));

  test('the namespace is labelled for ambient and writes no DestinationRule; L4 authorization is unchanged', () => {
    const { chart, web, api } = ambient();
    web.allowTo(api, Port.named('http'));
    const objects = synth(chart);
    const labels = one(objects, 'Namespace', 'shop').metadata.labels;
    expect(labels['istio.io/dataplane-mode']).toBe('ambient');
    expect(labels['istio-injection']).toBeUndefined();
    expect(ofKind(objects, 'DestinationRule')).toEqual([]);
    // 15008 is opened in the NetworkPolicy but is no authorization port.
    expect(authz(objects, 'api').spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { ports: ['8080'] } }] }]);
  });

  test('HBONE (15008) is open exactly where a connection is declared, both ends; kubelet probes come from 169.254.7.127', () => {
    const { chart, web, api, db } = ambient();
    web.allowTo(api, Port.named('http'));
    api.allowTo(db);
    const net = NetworkAnalysis.fromManifests([...synth(chart), ...outside]);
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', port: 15008 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/api', to: 'shop/db', port: 15008 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/db', port: 15008 })).toBe(false);
    expect(net.isAllowed({ from: 'monitoring/prometheus', to: 'shop/api', port: 15008 })).toBe(false);
    expect(net.isAllowed({ from: '169.254.7.127', to: 'shop/api', port: 8080 })).toBe(true);
    // ztunnel, not the pods, talks to istiod in ambient mode.
    expect(net.isAllowed({ from: 'shop/web', to: 'istio-system/istiod', port: 15012 })).toBe(false);
  });
});
