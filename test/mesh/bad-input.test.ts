import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Peer } from '../../src/core/peer';
import { Port, Protocol } from '../../src/core/port';
import { NamespaceRef } from '../../src/dns/namespace-ref';
import { MeshDataplaneMode, MeshRetryOn, MeshWorkloadOptions, ServiceMesh } from '../../src/mesh';
import { DenyAllNamespace } from '../../src/namespace/deny-all-namespace';
import { SecureService } from '../../src/service/secure-service';
import { errorWhereUsed } from '../util/bad-input';
import { newChart, synth } from '../util/synth';

const LABEL = 'it must consist of lower case alphanumeric characters or \'-\', and start and end with an alphanumeric character';
const SUBDOMAIN = 'it must consist of lower case alphanumeric characters, \'-\' or \'.\', and each label must start and end with an alphanumeric character';

describe('ServiceMesh factories refuse bad values where the mesh is used', () => {
  test.each<[string, () => unknown, string]>([
    ['control-plane namespace', () => ServiceMesh.istio({ controlPlaneNamespace: 'Istio_System' }),
      `test/Ns: DenyAllNamespace.mesh: ServiceMesh.istio: controlPlaneNamespace "Istio_System" is not a namespace name; ${LABEL}.`],
    ['trust domain', () => ServiceMesh.linkerd({ trustDomain: 'bad_domain' }),
      `test/Ns: DenyAllNamespace.mesh: ServiceMesh.linkerd: trustDomain "bad_domain" is not a DNS domain; ${SUBDOMAIN}.`],
    ['revision', () => ServiceMesh.istio({ revision: '1 30' }),
      'test/Ns: DenyAllNamespace.mesh: ServiceMesh.istio: revision "1 30" is not a label value; use the revision name istiod was installed with (e.g. \'1-30\').'],
  ])('%s', (_, make, message) => {
    expect(errorWhereUsed(make)).toBe(message);
  });
});

/** An `api` SecureService (ports http 80->8080, metrics 9090) in namespace `shop` of `mesh`, with `options`. */
type Extra = (chart: Chart, ns: DenyAllNamespace) => Partial<MeshWorkloadOptions>;
function newApi(mesh: ServiceMesh, options: MeshWorkloadOptions, extra: Extra = () => ({})) {
  const chart = newChart();
  const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop', mesh });
  return new SecureService(chart, 'Api', {
    namespace: ns,
    image: 'api:1',
    ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }],
    mesh: { ...options, ...extra(chart, ns) },
  });
}

const istio = ServiceMesh.istio();
const linkerd = ServiceMesh.linkerd();
const P = 'test/Api: SecureService.mesh';

describe('workload mesh options are refused with the field, the value and what to do', () => {
  test.each<[string, ServiceMesh, MeshWorkloadOptions, string]>([
    ['too many retries', istio, { retries: { attempts: 20 } },
      `${P}.retries.attempts is 20; it must be a whole number 0-10 (retries multiply load on a failing service).`],
    ['no retry condition', istio, { retries: { attempts: 2, retryOn: [] } },
      `${P}.retries.retryOn is empty; list at least one condition, or set attempts to 0.`],
    ['a retry condition twice', istio, { retries: { attempts: 2, retryOn: [MeshRetryOn.SERVER_ERROR, MeshRetryOn.SERVER_ERROR] } },
      `${P}.retries.retryOn lists "5xx" twice; list each condition once.`],
    ['a try longer than the request', istio, { retries: { attempts: 2, perTryTimeoutMillis: 3000 }, requestTimeoutMillis: 1000 },
      `${P}.retries.perTryTimeoutMillis (3000) is longer than the request timeout (1000), so no retry could happen; make it shorter.`],
    ['a zero timeout', istio, { requestTimeoutMillis: 0 },
      `${P}.requestTimeoutMillis is 0; it must be a whole number of milliseconds >= 1.`],
    ['the root as a route', istio, { routes: [{ pathPrefix: '/', requestTimeoutMillis: 10 }] },
      `${P}.routes[0].pathPrefix "/" is not a path prefix; it must start with / and name a path below / (other requests use SecureService.mesh.retries and requestTimeoutMillis).`],
    ['a prefix twice', istio, { routes: [{ pathPrefix: '/a', requestTimeoutMillis: 10 }, { pathPrefix: '/a', requestTimeoutMillis: 20 }] },
      `${P}.routes[1].pathPrefix "/a" is used by another route; list each prefix once.`],
    ['a route that sets nothing', istio, { routes: [{ pathPrefix: '/a' }] },
      `${P}.routes[0] ("/a") sets neither retries nor requestTimeoutMillis; set one or remove the route.`],
    ['a route try longer than its request', istio, { routes: [{ pathPrefix: '/a', requestTimeoutMillis: 100, retries: { attempts: 1, perTryTimeoutMillis: 200 } }] },
      `${P}.routes[0].retries.perTryTimeoutMillis (200) is longer than the request timeout (100), so no retry could happen; make it shorter.`],
    ['no consecutive errors', istio, { outlierDetection: { consecutiveErrors: 0 } },
      `${P}.outlierDetection.consecutiveErrors is 0; it must be a whole number 1-1000.`],
    ['an ejection percentage over 100', istio, { outlierDetection: { consecutiveErrors: 5, maxEjectionPercent: 150 } },
      `${P}.outlierDetection.maxEjectionPercent is 150; it must be 1-100.`],
    ['an empty connection pool', istio, { connectionPool: {} },
      `${P}.connectionPool sets no limit; set at least one or remove it.`],
    ['a negative pool limit', istio, { connectionPool: { maxConnections: -1 } },
      `${P}.connectionPool.maxConnections is -1; it must be a whole number >= 1.`],
    ['a fault that does nothing', ServiceMesh.istio({ allowFaultInjection: true }), { faultInjection: {} },
      `${P}.faultInjection sets neither delayMillis nor abortHttpStatus; set one or remove it.`],
    ['a fault at 0%', ServiceMesh.istio({ allowFaultInjection: true }), { faultInjection: { abortHttpStatus: 503, abortPercent: 0 } },
      `${P}.faultInjection.abortPercent is 0; it must be more than 0 and at most 100.`],
    ['an abort status that is no HTTP status', ServiceMesh.istio({ allowFaultInjection: true }), { faultInjection: { abortHttpStatus: 42 } },
      `${P}.faultInjection.abortHttpStatus is 42; it must be an HTTP status 200-599.`],
    ['an unknown traffic port', istio, { trafficPort: 'grpc' },
      `${P}.trafficPort "grpc" is not a port of api; its ports are http, metrics.`],

    // Istio
    ['fault injection without the test-environment opt-in', istio, { faultInjection: { delayMillis: 100 } },
      `${P}.faultInjection delays or fails real requests, and this mesh does not allow it; fault injection is for test environments: ` +
      'set allowFaultInjection: true in ServiceMesh.istio() of the test environment, or remove SecureService.mesh.faultInjection.'],
    ['L7 options in ambient mode', ServiceMesh.istio({ dataplaneMode: MeshDataplaneMode.AMBIENT }), { retries: { attempts: 2 } },
      `${P}.retries needs an L7 proxy, which Istio ambient mode has only through a waypoint, and this library deploys no waypoint; ` +
      'use MeshDataplaneMode.SIDECAR for this namespace, or remove SecureService.mesh.retries.'],

    // Linkerd cannot express these
    ['Linkerd: connection-pool limits', linkerd, { connectionPool: { maxConnections: 10 } },
      `${P}.connectionPool is set, but Linkerd has no connection-pool limits; remove it, or use ServiceMesh.istio().`],
    ['Linkerd: max ejection percent', linkerd, { outlierDetection: { consecutiveErrors: 5, maxEjectionPercent: 50 } },
      `${P}.outlierDetection.maxEjectionPercent is set, but Linkerd's circuit breaker (consecutive failure accrual) has no limit on the share of ejected endpoints; ` +
      'remove it, or use ServiceMesh.istio().'],
    ['Linkerd: evaluation interval', linkerd, { outlierDetection: { consecutiveErrors: 5, intervalSeconds: 10 } },
      `${P}.outlierDetection.intervalSeconds is set, but Linkerd's circuit breaker has no evaluation interval (it probes an ejected endpoint once its penalty ends); ` +
      'remove it, or use ServiceMesh.istio().'],
    ['Linkerd: fault injection', linkerd, { faultInjection: { delayMillis: 100 } },
      `${P}.faultInjection is set, but Linkerd cannot inject faults; remove it, or use ServiceMesh.istio().`],
    ['Linkerd: retry on connect failure', linkerd, { retries: { attempts: 2, retryOn: [MeshRetryOn.CONNECT_FAILURE] } },
      `${P}.retries.retryOn lists "connect-failure", but Linkerd retries on HTTP statuses and gRPC codes only; remove it, or use ServiceMesh.istio().`],
    ['Linkerd: gRPC retries on an HTTPRoute', linkerd, { routes: [{ pathPrefix: '/a', retries: { attempts: 1, retryOn: [MeshRetryOn.GRPC_UNAVAILABLE] } }] },
      `${P}.routes[0].retries.retryOn lists the gRPC condition "unavailable", but with routes or a canary Linkerd reads retries from HTTPRoutes, ` +
      'where retry.linkerd.io/grpc is not valid; remove the gRPC conditions, or drop routes and canary so retries go on the Service.'],
  ])('%s', (_, mesh, options, message) => {
    expect(() => newApi(mesh, options)).toThrow(new Error(message));
  });

  test.each<[string, (chart: Chart, ns: DenyAllNamespace) => Partial<MeshWorkloadOptions>, string]>([
    ['a canary outside the mesh', (chart) => ({ canary: { service: new SecureService(chart, 'V2', { image: 'api:2', port: 8080, namespace: NamespaceRef.named('shop') }), weightPercent: 10 } }),
      `${P}.canary.service shop/v2 is not in the mesh; put it in Istio too (same namespace).`],
    ['a canary without the traffic port', (chart, ns) => ({ canary: { service: new SecureService(chart, 'V2', { image: 'api:2', ports: [{ name: 'web', port: 8080 }], namespace: ns }), weightPercent: 10 } }),
      `${P}.canary.service shop/v2 has no port named "http"; give it the same port names as api.`],
    ['a canary weight over 100', (chart, ns) => ({ canary: { service: new SecureService(chart, 'V2', { image: 'api:2', port: 8080, namespace: ns }), weightPercent: 101 } }),
      `${P}.canary.weightPercent is 101; it must be a whole number 0-100.`],
    ['a canary in another namespace', (chart) => ({
      canary: { service: new SecureService(chart, 'V2', { image: 'api:2', port: 8080, namespace: new DenyAllNamespace(chart, 'Other', { mesh: istio }) }), weightPercent: 10 },
    }), `${P}.canary.service other/v2 is in namespace other, not shop; the versions must share a namespace.`],
    ['a canary that is null', () => ({ canary: null as any }),
      `${P}.canary is null; give the canary version and its share of requests, e.g. canary: { service: apiV2, weightPercent: 10 }.`],
    ['a canary without a service', () => ({ canary: { weightPercent: 10 } as any }),
      `${P}.canary.service is not set; give the canary version's SecureService, e.g. canary: { service: apiV2, weightPercent: 10 }.`],
    ['a canary service that is a string', () => ({ canary: { service: 'api-v2' as any, weightPercent: 10 } }),
      `${P}.canary.service is the string "api-v2"; give the canary version's SecureService, e.g. canary: { service: apiV2, weightPercent: 10 }.`],
  ])('%s', (_, extra, message) => {
    expect(() => newApi(istio, {}, extra)).toThrow(new Error(message));
  });
});

describe('mesh membership is refused when it contradicts itself', () => {
  test.each<[string, () => unknown, string]>([
    ['traffic options with no mesh anywhere', () => new SecureService(newChart(), 'Api', { namespace: NamespaceRef.named('ops'), image: 'a:1', port: 8080, mesh: { requestTimeoutMillis: 10 } }),
      'test/Api: SecureService.mesh is set but neither SecureService.mesh.mesh nor the namespace names a mesh; set SecureService.mesh.mesh or DenyAllNamespace.mesh.'],
    ['a second mesh for a meshed namespace', () => {
      const chart = newChart();
      const ns = new DenyAllNamespace(chart, 'Shop', { mesh: istio });
      return new SecureService(chart, 'Api', { namespace: ns, image: 'a:1', port: 8080, mesh: { mesh: linkerd } });
    }, 'test/Api: SecureService.mesh.mesh is Linkerd (linkerd), but namespace shop is in Istio (istio-system); a pod is in one mesh only. Omit SecureService.mesh.mesh to use the namespace\'s mesh.'],
    ['no namespace', () => new SecureService(newChart(), 'Api', { image: 'a:1', port: 8080, mesh: { mesh: istio } }),
      'test/Api: SecureService.mesh needs a namespace, because mesh identities include it; set SecureService.namespace or the chart namespace.'],
    ['a container port of the Istio proxy', () => new SecureService(newChart(), 'Api', { namespace: NamespaceRef.named('ops'), image: 'a:1', port: 15001, mesh: { mesh: istio } }),
      'test/Api: SecureService.ports: container port 15001 ("http") is used by the Istio proxy; choose another container port.'],
    ['a container port of the Linkerd proxy', () => new SecureService(newChart(), 'Api', { namespace: NamespaceRef.named('ops'), image: 'a:1', port: 4143, mesh: { mesh: linkerd } }),
      'test/Api: SecureService.ports: container port 4143 ("http") is used by the Linkerd proxy; choose another container port.'],
    ['a UDP traffic port', () => new SecureService(newChart(), 'Dns', {
      namespace: NamespaceRef.named('ops'),
      image: 'a:1',
      ports: [{ name: 'dns', port: 5353, protocol: Protocol.UDP }],
      mesh: { mesh: istio },
      // A UDP-only workload needs probes of its own (the kubelet probes TCP only).
      readiness: kplus.Probe.fromCommand(['/bin/ready']),
      liveness: kplus.Probe.fromCommand(['/bin/live']),
    }), 'test/Dns: SecureService.mesh.trafficPort "dns" is UDP; meshes route TCP (HTTP) traffic only. Name a TCP port.'],
    ['an injection label the mesh writes', () => new DenyAllNamespace(newChart(), 'Shop', { mesh: istio, labels: { 'istio-injection': 'disabled' } }),
      'test/Shop: DenyAllNamespace.labels sets "istio-injection" to "disabled", which DenyAllNamespace.mesh writes; remove it from DenyAllNamespace.labels.'],
  ])('%s', (_, make, message) => {
    expect(make).toThrow(new Error(message));
  });
});

describe('connections a mesh cannot authorize are refused at the allowFrom/allowTo call', () => {
  function meshed(mesh: ServiceMesh) {
    const chart = newChart();
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop', mesh });
    const api = new SecureService(chart, 'Api', { namespace: ns, image: 'api:1', port: 8080 });
    return { chart, ns, api };
  }
  test.each<[string, ServiceMesh, (s: ReturnType<typeof meshed>) => void, string]>([
    ['a workload outside the mesh (Istio)', istio, ({ chart, api }) => {
      const plain = new SecureService(chart, 'Batch', { namespace: new DenyAllNamespace(chart, 'Jobs'), image: 'b:1', port: 8080 });
      plain.allowTo(api);
    }, 'test/Api: SecureService.mesh: ingress from jobs/batch cannot be authorized by Istio: it is not in the mesh, so its connections carry no mesh identity. ' +
      'Put it in the mesh (DenyAllNamespace.mesh, or the mesh.mesh prop of the workload).'],
    ['pods chosen by labels (Linkerd)', linkerd, ({ api }) => api.allowFrom(Peer.pods({ labels: { app: 'x' } })),
      'test/Api: SecureService.mesh: ingress from /app=x cannot be authorized by Linkerd: it selects pods by labels, and labels name no mesh identity. ' +
      'Connect the workload itself (a SecureService or HeadlessStatefulEndpoint in the mesh) or its namespace (Peer.namespace).'],
    ['namespaces chosen by labels', istio, ({ api }) => api.allowFrom(Peer.namespaces({ labels: { team: 'a' } })),
      'test/Api: SecureService.mesh: ingress from ns:team=a cannot be authorized by Istio: it selects pods by labels, and labels name no mesh identity. ' +
      'Connect the workload itself (a SecureService or HeadlessStatefulEndpoint in the mesh) or its namespace (Peer.namespace).'],
    ['an IP block under STRICT mTLS', istio, ({ api }) => api.allowFrom(Peer.ipBlock('10.0.0.0/8'), Port.tcp(8080)),
      'test/Api: SecureService.mesh: ingress from 10.0.0.0/8 cannot be authorized by Istio: an IP block has no mesh identity, and STRICT mTLS refuses its plaintext. ' +
      'Route it through a meshed gateway, or use mtls: MeshMtlsMode.PERMISSIVE for this mesh.'],
    ['a workload of another mesh', istio, ({ chart, api }) => {
      const other = new SecureService(chart, 'Web', { namespace: new DenyAllNamespace(chart, 'L5d', { mesh: linkerd }), image: 'w:1', port: 8080 });
      other.allowTo(api);
    }, 'test/Api: SecureService.mesh: ingress from l5d/web cannot be authorized by Istio: l5d/web is in Linkerd (linkerd), whose identities Istio does not trust. Put both in one mesh.'],
  ])('%s', (_, mesh, connect, message) => {
    const s = meshed(mesh);
    expect(() => connect(s)).toThrow(new Error(message));
  });

  // No construct owns a Peer or a NamespaceRef: when the mesh refuses a call on its own
  // connections, the message starts with that call (as core's refusals do since 8448683), not
  // with the path of the meshed workload the user did not call.
  const STRICT = 'an IP block has no mesh identity, and STRICT mTLS refuses its plaintext. '
    + 'Route it through a meshed gateway, or use mtls: MeshMtlsMode.PERMISSIVE for this mesh.';
  const LABELS = 'it selects pods by labels, and labels name no mesh identity. '
    + 'Connect the workload itself (a SecureService or HeadlessStatefulEndpoint in the mesh) or its namespace (Peer.namespace).';
  test.each<[string, ServiceMesh, (api: SecureService) => void, string]>([
    ['Peer.ipBlock under STRICT mTLS', istio, (api) => Peer.ipBlock('10.0.0.0/8').connections.allowTo(api, Port.tcp(8080)),
      `Peer.ipBlock('10.0.0.0/8').connections.allowTo(shop/api): ingress from 10.0.0.0/8 cannot be authorized by Istio, the mesh of SecureService shop/api: ${STRICT}`],
    ['Peer.ipBlock with except under STRICT mTLS', istio, (api) => Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']).connections.allowTo(api),
      `Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']).connections.allowTo(shop/api): ingress from 10.0.0.0/8 except 10.1.0.0/16 cannot be authorized by Istio, the mesh of SecureService shop/api: ${STRICT}`],
    ['Peer.anyIpv4 under STRICT mTLS', istio, (api) => Peer.anyIpv4().connections.allowTo(api),
      `Peer.anyIpv4().connections.allowTo(shop/api): ingress from 0.0.0.0/0 cannot be authorized by Istio, the mesh of SecureService shop/api: ${STRICT}`],
    ['Peer.pods (Linkerd)', linkerd, (api) => Peer.pods({ labels: { app: 'x' }, namespace: 'jobs' }).connections.allowTo(api, Port.tcp(8080)),
      `Peer.pods({ labels: { app: 'x' }, namespace: 'jobs' }).connections.allowTo(shop/api): ingress from jobs/app=x cannot be authorized by Linkerd, the mesh of SecureService shop/api: ${LABELS}`],
    ['Peer.namespaces (Istio)', istio, (api) => Peer.namespaces({ labels: { team: 'a' } }).connections.allowTo(api),
      `Peer.namespaces({ labels: { team: 'a' } }).connections.allowTo(shop/api): ingress from ns:team=a cannot be authorized by Istio, the mesh of SecureService shop/api: ${LABELS}`],
  ])("a refused call on a Peer's own connections names that call: %s", (_, mesh, connect, message) => {
    const { api } = meshed(mesh);
    expect(() => connect(api)).toThrow(new Error(message));
  });

  test("a NamespaceRef's own connections to a meshed workload are authorized namespace-wide", () => {
    const { chart, api } = meshed(istio);
    NamespaceRef.named('ops').connections.allowTo(api, Port.tcp(8080));
    expect(() => synth(chart)).not.toThrow();
  });

  test('egress to a peer without identity is fine: only the destination authorizes', () => {
    const { chart, api } = meshed(istio);
    api.allowTo(Peer.ipBlock('203.0.113.0/24'), Port.HTTPS);
    expect(() => synth(chart)).not.toThrow();
  });
});

describe('a canary must take the same callers as the stable version (checked at synth)', () => {
  test('a caller allowed on api only is reported', () => {
    const chart = newChart();
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop', mesh: istio });
    const v2 = new SecureService(chart, 'ApiV2', { namespace: ns, image: 'api:2', port: 8080 });
    const api = new SecureService(chart, 'Api', { namespace: ns, image: 'api:1', port: 8080, mesh: { canary: { service: v2, weightPercent: 10 } } });
    const web = new SecureService(chart, 'Web', { namespace: ns, image: 'web:1', port: 8080 });
    web.allowTo(api);
    // cdk8s names the construct path once, in front: `[test/Api] <message>`.
    expect(() => synth(chart)).toThrow(new Error('Validation failed with the following errors:\n  [test/Api] SecureService.mesh.canary.service shop/api-v2 '
      + 'gets 10% of api\'s requests, but shop/web may reach api and not api-v2; allow it on api-v2 too (api-v2.allowFrom(...)).'));
    web.allowTo(v2);
    expect(() => synth(chart)).not.toThrow();
  });
});
