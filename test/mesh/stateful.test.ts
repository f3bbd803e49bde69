/*
 * HeadlessStatefulEndpoint is a mesh workload like SecureService: it joins the mesh of its
 * namespace, its declared callers and its own pods (on peerPorts) are authorized by identity,
 * and its NetworkPolicy opens the dataplane port next to every connection.
 */
import { outsideWorkloads } from './helpers';
import { NetworkAnalysis } from '../../src/analysis';
import { Peer } from '../../src/core/peer';
import { Port, Protocol } from '../../src/core/port';
import { NamespaceRef } from '../../src/dns/namespace-ref';
import { MeshDataplaneMode, MeshWorkloadOptions, ServiceMesh } from '../../src/mesh';
import { DenyAllNamespace } from '../../src/namespace/deny-all-namespace';
import { SecureService } from '../../src/service/secure-service';
import { HeadlessStatefulEndpoint, HeadlessStatefulEndpointProps } from '../../src/stateful/headless-stateful-endpoint';
import { newChart, ofKind, one, synth } from '../util/synth';

const outside = outsideWorkloads([
  { namespace: 'istio-system', name: 'istiod', labels: { app: 'istiod' } },
  { namespace: 'linkerd', name: 'linkerd-destination', labels: { 'linkerd.io/control-plane-component': 'destination' } },
  { namespace: 'linkerd', name: 'linkerd-identity', labels: { 'linkerd.io/control-plane-component': 'identity' } },
  { namespace: 'mon', name: 'prometheus', labels: { app: 'prometheus' } },
]);

/** The brief's repro: api -> db (a 3-pod set on pg 5432) in a meshed namespace `a`. */
function repro(mesh: ServiceMesh, db: Partial<HeadlessStatefulEndpointProps> = {}) {
  const chart = newChart();
  const n = new DenyAllNamespace(chart, 'A', { name: 'a', mesh });
  const api = new SecureService(chart, 'Api', { namespace: n, name: 'api', image: 'x:1', port: 8080 });
  const set = new HeadlessStatefulEndpoint(chart, 'Db', { namespace: n, name: 'db', image: 'x:1', ports: [{ name: 'pg', port: 5432 }], replicas: 3, ...db });
  api.allowTo(set);
  return { chart, n, api, db: set };
}

const reach = (objects: any[]) => {
  const net = NetworkAnalysis.fromManifests([...objects, ...outside]);
  return (from: string, to: string, port: number) => net.isAllowed({ from, to, port });
};

const linkerdObjects = (objects: any[], kind: string, name?: string) =>
  objects.filter((o) => o.apiVersion.startsWith('policy.linkerd.io') && o.kind === kind && (name === undefined || o.metadata.name === name));
const istioAuthz = (objects: any[], name: string) =>
  objects.find((o) => o.kind === 'AuthorizationPolicy' && o.apiVersion.startsWith('security.istio.io') && o.metadata.name === name);

describe('HeadlessStatefulEndpoint in Linkerd', () => {
  const identity = (sa: string) => ServiceMesh.linkerd().identityOf(sa, 'a');

  test('every TCP port is a Server, authorized for its declared callers and for its own pods', () => {
    const objects = synth(repro(ServiceMesh.linkerd()).chart);
    expect(linkerdObjects(objects, 'Server', 'db-pg')[0].spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } }, port: 'pg', accessPolicy: 'deny',
    });
    expect(one(objects, 'MeshTLSAuthentication', 'db-pg').spec.identities).toEqual([identity('db'), identity('api')]);
    expect(linkerdObjects(objects, 'AuthorizationPolicy', 'db-pg')[0].spec).toEqual({
      targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'db-pg' },
      requiredAuthenticationRefs: [{ group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: 'db-pg' }],
    });
  });

  test('its NetworkPolicy opens the proxy port 4143 to its callers and between its own pods, and the control plane', () => {
    const allowed = reach(synth(repro(ServiceMesh.linkerd()).chart));
    expect(allowed('a/api', 'a/db', 5432)).toBe(true);
    expect(allowed('a/api', 'a/db', 4143)).toBe(true);
    expect(allowed('a/db', 'a/db', 5432)).toBe(true);
    expect(allowed('a/db', 'a/db', 4143)).toBe(true);
    expect(allowed('mon/prometheus', 'a/db', 4143)).toBe(false);
    expect(allowed('mon/prometheus', 'a/db', 5432)).toBe(false);
    expect(allowed('a/db', 'linkerd/linkerd-destination', 8086)).toBe(true);
    expect(allowed('a/db', 'linkerd/linkerd-identity', 8080)).toBe(true);
  });

  test('the set may call meshed workloads (it has a mesh identity)', () => {
    const { chart, api, db } = repro(ServiceMesh.linkerd());
    expect(() => db.allowTo(api)).not.toThrow();
    const objects = synth(chart);
    expect(one(objects, 'MeshTLSAuthentication', 'api-http').spec.identities).toEqual([identity('db')]);
    expect(reach(objects)('a/db', 'a/api', 4143)).toBe(true);
  });

  test('no peerPorts: its own pods are not authorized on the mesh either', () => {
    const objects = synth(repro(ServiceMesh.linkerd(), { peerPorts: [] }).chart);
    expect(one(objects, 'MeshTLSAuthentication', 'db-pg').spec.identities).toEqual([identity('api')]);
    expect(reach(objects)('a/db', 'a/db', 4143)).toBe(false);
  });

  test('peerPorts on one of two ports: its own identity on that Server only (api may use both)', () => {
    const objects = synth(repro(ServiceMesh.linkerd(), {
      ports: [{ name: 'pg', port: 5432 }, { name: 'repl', port: 5433 }], peerPorts: [Port.named('repl')],
    }).chart);
    expect(one(objects, 'MeshTLSAuthentication', 'db-repl').spec.identities).toEqual([identity('db'), identity('api')]);
    expect(one(objects, 'MeshTLSAuthentication', 'db-pg').spec.identities).toEqual([identity('api')]);
  });

  test('UDP ports get no Server (the proxy does not carry them); the traffic port is the first TCP port', () => {
    const chart = newChart();
    const n = new DenyAllNamespace(chart, 'A', { name: 'a', mesh: ServiceMesh.linkerd() });
    new HeadlessStatefulEndpoint(chart, 'Db', {
      namespace: n,
      name: 'db',
      image: 'x:1',
      clientService: true,
      ports: [{ name: 'gossip', port: 7946, protocol: Protocol.UDP }, { name: 'http', port: 8080 }],
      mesh: { requestTimeoutMillis: 1000 },
    });
    const objects = synth(chart);
    expect(linkerdObjects(objects, 'Server').map((s) => s.metadata.name)).toEqual(['db-http']);
  });

  test('with a client Service, retries, timeouts and circuit breaking are annotations of the client Service', () => {
    const objects = synth(repro(ServiceMesh.linkerd(), {
      clientService: true,
      mesh: { retries: { attempts: 2 }, requestTimeoutMillis: 3000, outlierDetection: { consecutiveErrors: 5 } },
    }).chart);
    expect(one(objects, 'Service', 'db-client').metadata.annotations).toEqual({
      'retry.linkerd.io/http': 'gateway-error',
      'retry.linkerd.io/limit': '2',
      'timeout.linkerd.io/request': '3s',
      'balancer.linkerd.io/failure-accrual': 'consecutive',
      'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '5',
      'balancer.linkerd.io/failure-accrual-consecutive-min-penalty': '30s',
      'balancer.linkerd.io/failure-accrual-consecutive-max-penalty': '60s',
    });
    expect(one(objects, 'Service', 'db').metadata.annotations).toBeUndefined();
  });

  test('with a client Service and routes, the HTTPRoutes attach to the client Service', () => {
    const objects = synth(repro(ServiceMesh.linkerd(), {
      clientService: true, mesh: { routes: [{ pathPrefix: '/slow', requestTimeoutMillis: 9000 }] },
    }).chart);
    const route = linkerdObjects(objects, 'HTTPRoute', 'db')[0];
    expect(route.spec.parentRefs).toEqual([{ group: 'core', kind: 'Service', name: 'db-client', port: 5432 }]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'db-client', port: 5432 }]);
  });

  test('in a namespace made elsewhere, the pod template is annotated and its own policy opens the control plane', () => {
    const chart = newChart();
    new HeadlessStatefulEndpoint(chart, 'Db', {
      namespace: NamespaceRef.named('ops'), name: 'db', image: 'x:1', ports: [{ name: 'pg', port: 5432 }], mesh: { mesh: ServiceMesh.linkerd() },
    });
    const objects = synth(chart);
    expect(one(objects, 'StatefulSet', 'db').spec.template.metadata.annotations).toEqual({
      'linkerd.io/inject': 'enabled', 'config.linkerd.io/default-inbound-policy': 'deny',
    });
    const allowed = reach([...objects, ...outsideWorkloads([{ namespace: 'ops', name: 'x', labels: { a: 'b' } }])]);
    expect(allowed('ops/db', 'linkerd/linkerd-destination', 8086)).toBe(true);
    expect(one(objects, 'MeshTLSAuthentication', 'db-pg').spec.identities).toEqual(['db.ops.serviceaccount.identity.linkerd.cluster.local']);
  });
});

describe('HeadlessStatefulEndpoint in Istio', () => {
  const principal = (sa: string) => `cluster.local/ns/a/sa/${sa}`;

  test('an ALLOW AuthorizationPolicy admits its own service account on peerPorts and its declared callers', () => {
    const objects = synth(repro(ServiceMesh.istio()).chart);
    expect(istioAuthz(objects, 'db').spec).toEqual({
      action: 'ALLOW',
      selector: { matchLabels: { 'app.kubernetes.io/name': 'db' } },
      rules: [
        { from: [{ source: { principals: [principal('db')] } }], to: [{ operation: { ports: ['5432'] } }] },
        { from: [{ source: { principals: [principal('api')] } }], to: [{ operation: { ports: ['5432'] } }] },
      ],
    });
    expect(one(objects, 'DestinationRule', 'db').spec).toEqual({ host: 'db.a.svc.cluster.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } });
    expect(ofKind(objects, 'VirtualService')).toEqual([]);
  });

  test('sidecar: the NetworkPolicies admit the connection and istiod; nothing else', () => {
    const allowed = reach(synth(repro(ServiceMesh.istio()).chart));
    expect(allowed('a/api', 'a/db', 5432)).toBe(true);
    expect(allowed('a/db', 'a/db', 5432)).toBe(true);
    expect(allowed('a/db', 'istio-system/istiod', 15012)).toBe(true);
    expect(allowed('a/api', 'a/db', 15008)).toBe(false);
  });

  test('ambient: HBONE 15008 is open to its callers and between its own pods', () => {
    const objects = synth(repro(ServiceMesh.istio({ dataplaneMode: MeshDataplaneMode.AMBIENT })).chart);
    const allowed = reach(objects);
    expect(allowed('a/api', 'a/db', 15008)).toBe(true);
    expect(allowed('a/db', 'a/db', 15008)).toBe(true);
    expect(allowed('mon/prometheus', 'a/db', 15008)).toBe(false);
    expect(allowed('169.254.7.127', 'a/db', 5432)).toBe(true);
    expect(istioAuthz(objects, 'db').spec.rules.map((r: any) => r.from[0].source.principals[0])).toEqual([principal('db'), principal('api')]);
  });

  test('the set may call meshed workloads', () => {
    const { chart, api, db } = repro(ServiceMesh.istio());
    db.allowTo(api);
    expect(istioAuthz(synth(chart), 'api').spec.rules[0].from).toEqual([{ source: { principals: [principal('db')] } }]);
  });

  test('with a client Service, the VirtualService and DestinationRule are for the client Service host', () => {
    const objects = synth(repro(ServiceMesh.istio(), {
      clientService: true,
      mesh: { retries: { attempts: 2, perTryTimeoutMillis: 500 }, requestTimeoutMillis: 2000, connectionPool: { maxConnections: 50 } },
    }).chart);
    expect(one(objects, 'VirtualService', 'db').spec).toEqual({
      hosts: ['db-client.a.svc.cluster.local'],
      http: [{
        name: 'default',
        match: [{ port: 5432 }],
        route: [{ destination: { host: 'db-client.a.svc.cluster.local', port: { number: 5432 } } }],
        retries: { attempts: 2, perTryTimeout: '500ms', retryOn: 'gateway-error' },
        timeout: '2s',
      }],
    });
    expect(one(objects, 'DestinationRule', 'db').spec).toEqual({
      host: 'db-client.a.svc.cluster.local',
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, connectionPool: { tcp: { maxConnections: 50 } } },
    });
  });

  test('a connection from outside the mesh is refused at the call, naming the set', () => {
    const { chart, db } = repro(ServiceMesh.istio());
    const plain = new SecureService(chart, 'Batch', { namespace: new DenyAllNamespace(chart, 'Jobs'), image: 'b:1', port: 8080 });
    expect(() => plain.allowTo(db)).toThrow(new Error('test/Db: HeadlessStatefulEndpoint.mesh: ingress from jobs/batch cannot be authorized by Istio: ' +
      'it is not in the mesh, so its connections carry no mesh identity. Put it in the mesh (DenyAllNamespace.mesh, or the mesh.mesh prop of the workload).'));
    expect(() => db.allowFrom(Peer.namespace('mon'))).not.toThrow();
  });
});

describe('HeadlessStatefulEndpoint mesh options that make no sense for a StatefulSet are refused', () => {
  const P = 'test/Db: HeadlessStatefulEndpoint.mesh';
  const routing = 'clients of the headless Service connect to pod addresses, which no service-level routing covers; ' +
    'set HeadlessStatefulEndpoint.clientService to true (the option then applies to requests through the client Service), or remove HeadlessStatefulEndpoint.mesh.';
  type Options = (chart: ReturnType<typeof newChart>, n: DenyAllNamespace) => MeshWorkloadOptions;
  const make = (mesh: ServiceMesh, options: Options, clientService = false) => () => {
    const chart = newChart();
    const n = new DenyAllNamespace(chart, 'A', { name: 'a', mesh });
    new HeadlessStatefulEndpoint(chart, 'Db', { namespace: n, name: 'db', image: 'x:1', ports: [{ name: 'pg', port: 5432 }], clientService, mesh: options(chart, n) });
  };

  test.each<[string, ServiceMesh, MeshWorkloadOptions, string]>([
    ['retries without a client Service', ServiceMesh.istio(), { retries: { attempts: 2 } }, `${P}.retries is set, but ${routing}retries.`],
    ['a timeout without a client Service', ServiceMesh.linkerd(), { requestTimeoutMillis: 100 }, `${P}.requestTimeoutMillis is set, but ${routing}requestTimeoutMillis.`],
    ['circuit breaking without a client Service', ServiceMesh.linkerd(), { outlierDetection: { consecutiveErrors: 3 } },
      `${P}.outlierDetection is set, but ${routing}outlierDetection.`],
    ['routes without a client Service', ServiceMesh.istio(), { routes: [{ pathPrefix: '/a', requestTimeoutMillis: 5 }] }, `${P}.routes is set, but ${routing}routes.`],
  ])('%s', (_, mesh, options, message) => {
    expect(make(mesh, () => options)).toThrow(new Error(message));
  });

  test('a canary, even with a client Service', () => {
    expect(make(ServiceMesh.istio(), (chart, n) => ({
      canary: { service: new SecureService(chart, 'V2', { namespace: n, image: 'x:2', ports: [{ name: 'pg', port: 5432 }] }), weightPercent: 10 },
    }), true)).toThrow(new Error(`${P}.canary is set, but the pods of a StatefulSet are members with their own identity and storage, not interchangeable versions; ` +
      'remove HeadlessStatefulEndpoint.mesh.canary (a weighted canary is for SecureService).'));
  });

  test('what a mesh cannot express is still refused by the mesh, naming the set', () => {
    expect(make(ServiceMesh.linkerd(), () => ({ connectionPool: { maxConnections: 10 } }), true))
      .toThrow(new Error(`${P}.connectionPool is set, but Linkerd has no connection-pool limits; remove it, or use ServiceMesh.istio().`));
  });

  test('membership contradictions use its name', () => {
    expect(() => new HeadlessStatefulEndpoint(newChart(), 'Db', {
      namespace: NamespaceRef.named('ops'), image: 'x:1', ports: [{ name: 'pg', port: 4143 }], mesh: { mesh: ServiceMesh.linkerd() },
    })).toThrow(new Error('test/Db: HeadlessStatefulEndpoint.ports: container port 4143 ("pg") is used by the Linkerd proxy; choose another container port.'));
    expect(() => new HeadlessStatefulEndpoint(newChart(), 'Db', {
      namespace: NamespaceRef.named('ops'), image: 'x:1', ports: [{ name: 'pg', port: 5432 }], mesh: { requestTimeoutMillis: 5 },
    })).toThrow(new Error('test/Db: HeadlessStatefulEndpoint.mesh is set but neither HeadlessStatefulEndpoint.mesh.mesh nor the namespace names a mesh; ' +
      'set HeadlessStatefulEndpoint.mesh.mesh or DenyAllNamespace.mesh.'));
  });

  test('without a mesh anywhere, nothing changes', () => {
    const chart = newChart();
    const set = new HeadlessStatefulEndpoint(chart, 'Db', { namespace: new DenyAllNamespace(chart, 'A', { name: 'a' }), image: 'x:1', ports: [{ name: 'pg', port: 5432 }] });
    const objects = synth(chart);
    expect(objects.filter((o) => /istio\.io|linkerd\.io/.test(o.apiVersion))).toEqual([]);
    expect(set.networkPolicy.ingressRules.map((r) => [r.peer.peerId, r.ports.map(String)])).toEqual([['a/db', ['TCP 5432']]]);
  });
});
