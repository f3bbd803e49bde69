/*
 * A HeadlessStatefulEndpoint writes its StatefulSet, headless Service and ServiceAccount itself
 * (src/workload/hardened-pod.ts `podSpecJson`, src/workload/secure-workload.ts `_initOwnWorkload`,
 * src/stateful/headless-stateful-endpoint.ts) and makes the cdk8s-plus-28 objects only when `statefulSet`,
 * `headlessService` or `serviceAccount` is read. These tests hold the two renderings to each other: for each set of
 * props, the app whose escape hatches are read at once (cdk8s-plus-28 renders every object, as before) and the app
 * whose escape hatches are never read (the library renders them) write the same manifests, key order included.
 */
import { ApiObject, Chart, Size, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ClusterSetExport, DenyAllNamespace, DnsPolicy, HeadlessStatefulEndpoint, HeadlessStatefulEndpointProps, HealthCheck,
  PodManagementPolicy, Port, Protocol, SecureService, ServiceMesh, StorageAccessMode,
} from '../../src';
import { addToServiceObject, expectAddedToService, renderWorkloads, testOwnObjects } from '../util/own-objects';

const IMAGE = 'postgres:16.4';

type Hatch = 'statefulSet' | 'headlessService' | 'serviceAccount';
type Build = (chart: Chart) => HeadlessStatefulEndpoint[];

/** The manifests of `build`, with (`read`) or without reading the escape hatches, in that order. */
function render(build: Build, read: Hatch[] = []): string {
  return renderWorkloads(build, read);
}

function one(props: Partial<HeadlessStatefulEndpointProps>, ns?: (chart: Chart) => DenyAllNamespace): Build {
  return (chart) => [new HeadlessStatefulEndpoint(chart, 'Db', { image: IMAGE, ports: [{ name: 'pg', port: 5432 }], namespace: ns?.(chart), ...props })];
}

const shop = (chart: Chart) => new DenyAllNamespace(chart, 'Ns', { name: 'shop' });

const CASES: Array<[string, Build]> = [
  ['the defaults', one({}, shop)],
  ['no namespace at all', one({})],
  ['storage with its defaults', one({ storage: { size: Size.gibibytes(10) } }, shop)],
  ['storage with every option and writable paths', one({
    storage: { size: Size.mebibytes(512), mountPath: '/var/lib/postgresql/data', storageClassName: 'fast-ssd', accessMode: StorageAccessMode.READ_WRITE_ONCE_POD, name: 'pgdata' },
    writablePaths: ['/tmp', '/run/postgresql'],
  }, shop)],
  ['storage with labels (the claim template keeps their order)', one({
    storage: { size: Size.gibibytes(1) },
    labels: { tier: 'db', app: 'orders', zeta: 'z' },
  }, shop)],
  ['labels without storage', one({ labels: { team: 'payments', tier: 'db' } }, shop)],
  ['a client Service', one({ clientService: true, replicas: 3 }, shop)],
  ['a client Service with its own name', one({ clientService: true, clientServiceName: 'db-read' }, shop)],
  ['publishNotReadyAddresses false', one({ publishNotReadyAddresses: false }, shop)],
  ['parallel pod management and replicas', one({ podManagementPolicy: PodManagementPolicy.PARALLEL, replicas: 5 }, shop)],
  ['ordered pod management given', one({ podManagementPolicy: PodManagementPolicy.ORDERED_READY }, shop)],
  ['no pods and one pod', (chart) => [
    new HeadlessStatefulEndpoint(chart, 'None', { image: IMAGE, ports: [{ name: 'pg', port: 5432 }], replicas: 0 }),
    new HeadlessStatefulEndpoint(chart, 'One', { image: IMAGE, ports: [{ name: 'pg', port: 5432 }], replicas: 1 }),
  ]],
  ['an HTTP health check path', one({ healthCheckPath: '/healthz' }, shop)],
  ['HealthCheck probes with every option', one({
    readinessCheck: HealthCheck.httpGet('/ready', { port: 9000, initialDelaySeconds: 2, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 4, successThreshold: 2 }),
    livenessCheck: HealthCheck.exec(['/bin/check', '--live']),
    ports: [{ name: 'pg', port: 5432 }, { name: 'admin', port: 9000 }],
  }, shop)],
  ['a TCP HealthCheck without a port', one({ readinessCheck: HealthCheck.tcpSocket(), livenessCheck: HealthCheck.tcpSocket({ port: 5432 }) }, shop)],
  ['env, command and args', one({ env: { Z_LAST: 'z', A_FIRST: 'a', EMPTY: '' }, command: ['/usr/local/bin/postgres'], args: ['-c', 'fsync=on'] }, shop)],
  ['privileged ports', one({ ports: [{ name: 'dns', port: 53 }], allowPrivilegedPorts: true }, shop)],
  ['zones, resources and ids', one({
    spreadAcrossZones: true,
    cpuRequestMillis: 250,
    cpuLimitMillis: 1000,
    memoryRequestMebibytes: 64,
    memoryLimitMebibytes: 2048,
    runAsUser: 2000,
    runAsGroup: 3000,
    replicas: 3,
  }, shop)],
  ['pod DNS', one({ dns: { policy: DnsPolicy.NONE, nameservers: ['10.0.0.10'], searches: ['corp.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }, shop)],
  ['pod DNS options only', one({ dns: { options: [{ name: 'ndots', value: '1' }] } }, shop)],
  ['UDP and TCP ports with target ports and peer ports', one({
    ports: [{ name: 'gossip', port: 7946, targetPort: 17946, protocol: Protocol.UDP }, { name: 'pg', port: 5432, targetPort: 15432, protocol: Protocol.TCP }],
    peerPorts: [Port.named('gossip', Protocol.UDP)],
  }, shop)],
  ['Istio sidecars', one({ replicas: 3 }, (chart) => new DenyAllNamespace(chart, 'Ns', { name: 'shop', mesh: ServiceMesh.istio() }))],
  ['Linkerd with a client Service and traffic options', one({ clientService: true, mesh: { requestTimeoutMillis: 2000, retries: { attempts: 2 } } },
    (chart) => new DenyAllNamespace(chart, 'Ns', { name: 'shop', mesh: ServiceMesh.linkerd() }))],
  ['connections and a multi-cluster export', (chart) => {
    const ns = shop(chart);
    const db = new HeadlessStatefulEndpoint(chart, 'Db', { image: IMAGE, ports: [{ name: 'pg', port: 5432 }], namespace: ns, replicas: 3, storage: { size: Size.gibibytes(5) } });
    const cache = new HeadlessStatefulEndpoint(chart, 'Cache', { image: 'redis:7.2', ports: [{ name: 'redis', port: 6379 }], namespace: ns, clientService: true });
    const api = new SecureService(chart, 'Api', { image: 'ghcr.io/acme/api:1.4.2', port: 8080, namespace: ns });
    api.allowTo(db);
    api.allowTo(cache);
    db.allowTo(cache);
    new ClusterSetExport(chart, 'Export', { service: db, ciliumGlobalService: true });
    return [db, cache];
  }],
];

testOwnObjects('HeadlessStatefulEndpoint', CASES, ['statefulSet', 'headlessService', 'serviceAccount']);

describe('the cdk8s-plus-28 objects are made when asked for', () => {
  const kplusObject = (c: unknown) => c instanceof kplus.StatefulSet || c instanceof kplus.Service || c instanceof kplus.ServiceAccount;

  test('no cdk8s-plus object is made until an escape hatch is read; then it is the object under the same id', () => {
    const chart = new Chart(Testing.app(), 'test');
    const db = new HeadlessStatefulEndpoint(chart, 'Db', { image: IMAGE, ports: [{ name: 'pg', port: 5432 }], storage: { size: Size.gibibytes(1) } });
    expect(db.node.findAll().some(kplusObject)).toBe(false);
    expect(db.serviceObject).toBe(db.node.findChild('Service'));
    expect(db.statefulSet).toBeInstanceOf(kplus.StatefulSet);
    expect(db.node.findChild('Resource')).toBe(db.statefulSet);
    // cdk8s-plus-28's StatefulSet is made with the headless Service and the ServiceAccount.
    expect(db.statefulSet.service).toBe(db.headlessService);
    expect(db.node.findChild('Service')).toBe(db.headlessService);
    expect(db.statefulSet.serviceAccount).toBe(db.serviceAccount);
    expect(db.node.findChild('ServiceAccount')).toBe(db.serviceAccount);
    expect(db.statefulSet).toBe(db.statefulSet);
    expect(db.serviceObject).toBe(ApiObject.of(db.headlessService));
  });

  test('reading the headless Service alone makes no StatefulSet', () => {
    const chart = new Chart(Testing.app(), 'test');
    const db = new HeadlessStatefulEndpoint(chart, 'Db', { image: IMAGE, ports: [{ name: 'pg', port: 5432 }] });
    expect(db.headlessService).toBeInstanceOf(kplus.Service);
    expect(db.serviceObject).toBe(ApiObject.of(db.headlessService));
    expect(db.node.findAll().some((c) => c instanceof kplus.StatefulSet || c instanceof kplus.ServiceAccount)).toBe(false);
  });

  test('a cdk8s-plus-28 Probe in the props: cdk8s-plus-28 renders the objects from the start', () => {
    const chart = new Chart(Testing.app(), 'test');
    const db = new HeadlessStatefulEndpoint(chart, 'Db', { image: IMAGE, ports: [{ name: 'pg', port: 5432 }], liveness: kplus.Probe.fromTcpSocket() });
    expect(db.node.findChild('Resource')).toBeInstanceOf(kplus.StatefulSet);
    expect(db.node.findChild('Service')).toBeInstanceOf(kplus.Service);
    expect(db.node.findChild('ServiceAccount')).toBeInstanceOf(kplus.ServiceAccount);
    expect(db.serviceObject).toBe(ApiObject.of(db.headlessService));
  });

  test('what was added to serviceObject before `headlessService` is read is kept: annotations, labels and JSON patches', () => {
    const build: Build = (chart) => {
      const db = new HeadlessStatefulEndpoint(chart, 'Db', { image: IMAGE, ports: [{ name: 'pg', port: 5432 }] });
      addToServiceObject(db.serviceObject);
      return [db];
    };
    const own = render(build);
    expect(render(build, ['headlessService'])).toBe(own);
    expect(render(build, ['statefulSet'])).toBe(own);
    expectAddedToService(own);
  });

  test('a change made through the escape hatch is written, after the storage mount', () => {
    const chart = new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
    const db = new HeadlessStatefulEndpoint(chart, 'Db', { image: IMAGE, ports: [{ name: 'pg', port: 5432 }], storage: { size: Size.gibibytes(1) } });
    db.statefulSet.metadata.addAnnotation('example.com/backup', 'daily');
    db.statefulSet.containers[0].env.addVariable('EXTRA', kplus.EnvValue.fromValue('1'));
    const set = Testing.synth(chart).find((o) => o.kind === 'StatefulSet');
    expect(set.metadata.annotations).toEqual({ 'example.com/backup': 'daily' });
    expect(set.spec.template.spec.containers[0].env).toEqual([{ name: 'EXTRA', value: '1' }]);
    expect(set.spec.template.spec.containers[0].volumeMounts).toEqual([{ mountPath: '/data', name: 'data' }]);
  });

  test('a second ClusterSetExport of the set is refused after its cdk8s-plus Service was made', () => {
    const chart = new Chart(Testing.app(), 'test');
    const db = new HeadlessStatefulEndpoint(chart, 'Db', { image: IMAGE, ports: [{ name: 'pg', port: 5432 }], namespace: shop(chart) });
    new ClusterSetExport(chart, 'One', { service: db });
    void db.statefulSet;
    expect(() => new ClusterSetExport(chart, 'Two', { service: db })).toThrow(/ClusterSetExport\.service db is already exported by test\/One/);
  });

  test('no object is written twice in one manifest (the YAML writer would write an anchor and an alias)', () => {
    const chart = new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
    new HeadlessStatefulEndpoint(chart, 'Db', {
      image: IMAGE, ports: [{ name: 'pg', port: 5432 }], spreadAcrossZones: true, writablePaths: ['/tmp'], storage: { size: Size.gibibytes(1) }, labels: { tier: 'db' },
    });
    const yaml = Yaml.stringify(...Testing.synth(chart));
    expect(yaml).not.toMatch(/[&*]a\d+/);
  });
});
