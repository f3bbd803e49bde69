/*
 * A SecureService writes its Deployment, Service and ServiceAccount itself (src/workload/hardened-pod.ts
 * `podSpecJson`, src/service/secure-service.ts) and makes the cdk8s-plus-28 objects only when `deployment`,
 * `service` or `serviceAccount` is read. These tests hold the two renderings to each other: for each set of props,
 * the app whose escape hatches are read at once (cdk8s-plus-28 renders every object, as before) and the app whose
 * escape hatches are never read (the library renders them) write the same manifests, key order included.
 */
import { ApiObject, Chart, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ClusterSetExport, DenyAllNamespace, DnsPolicy, ExternalTrafficPolicy, HealthCheck, Protocol, SecureService,
  SecureServiceProps, ServiceMesh, ServiceType, SessionAffinity,
} from '../../src';
import { rendersAsInstalledCdk8sPlus } from '../../src/workload/pod-spec-json';
import { addToServiceObject, expectAddedToService, renderWorkloads, testOwnObjects } from '../util/own-objects';

const IMAGE = 'ghcr.io/acme/api:1.4.2';

type Build = (chart: Chart) => SecureService[];

/** The manifests of `build`, with (`read`) or without reading the escape hatches, in `order`. */
function render(build: Build, read: Array<'deployment' | 'service' | 'serviceAccount'> = []): string {
  return renderWorkloads(build, read);
}

function one(props: Partial<SecureServiceProps>, ns?: (chart: Chart) => DenyAllNamespace): Build {
  const port = props.port === undefined && props.ports === undefined ? { port: 8080 } : {};
  return (chart) => [new SecureService(chart, 'Api', { image: IMAGE, ...port, namespace: ns?.(chart), ...props })];
}

const shop = (chart: Chart) => new DenyAllNamespace(chart, 'Ns', { name: 'shop' });

const CASES: Array<[string, Build]> = [
  ['the defaults', one({}, shop)],
  ['no namespace at all', one({})],
  ['an HTTP health check path', one({ healthCheckPath: '/healthz' }, shop)],
  ['HealthCheck probes with every option', one({
    readinessCheck: HealthCheck.httpGet('/ready', { port: 9000, initialDelaySeconds: 2, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 4, successThreshold: 2 }),
    livenessCheck: HealthCheck.exec(['/bin/check', '--live']),
    ports: [{ name: 'http', port: 8080 }, { name: 'admin', port: 9000 }],
  }, shop)],
  ['a TCP HealthCheck without a port', one({ readinessCheck: HealthCheck.tcpSocket(), livenessCheck: HealthCheck.tcpSocket({ port: 8080 }) }, shop)],
  ['env, command and args', one({ env: { Z_LAST: 'z', A_FIRST: 'a', EMPTY: '' }, command: ['/app/server'], args: ['--port', '8080'] }, shop)],
  ['empty command and args', one({ command: [], args: [] }, shop)],
  ['writable paths', one({ writablePaths: ['/tmp', '/var/cache'] }, shop)],
  ['privileged ports', one({ port: 80, allowPrivilegedPorts: true }, shop)],
  ['zones, resources and ids', one({
    spreadAcrossZones: true,
    cpuRequestMillis: 250,
    cpuLimitMillis: 1000,
    memoryRequestMebibytes: 64,
    memoryLimitMebibytes: 2048,
    runAsUser: 2000,
    runAsGroup: 3000,
    replicas: 5,
  }, shop)],
  ['one replica (no budget) and none', (chart) => [
    new SecureService(chart, 'One', { image: IMAGE, port: 8080, replicas: 1 }),
    new SecureService(chart, 'None', { image: IMAGE, port: 8080, replicas: 0 }),
  ]],
  ['pod DNS', one({ dns: { policy: DnsPolicy.NONE, nameservers: ['10.0.0.10'], searches: ['corp.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }, shop)],
  ['pod DNS options only', one({ dns: { options: [{ name: 'ndots', value: '1' }] } }, shop)],
  ['labels', one({ labels: { team: 'payments', tier: 'api' } }, shop)],
  ['UDP and TCP ports with target ports', one({
    ports: [{ name: 'dns', port: 53, targetPort: 5353, protocol: Protocol.UDP }, { name: 'http', port: 80, targetPort: 8080, protocol: Protocol.TCP }],
  }, shop)],
  ['a NodePort Service', one({ serviceType: ServiceType.NODE_PORT, ports: [{ name: 'http', port: 8080, nodePort: 30080 }], externalTrafficPolicy: ExternalTrafficPolicy.LOCAL }, shop)],
  ['a LoadBalancer with source ranges and session affinity', one({
    serviceType: ServiceType.LOAD_BALANCER,
    loadBalancerSourceRanges: ['203.0.113.0/24', '198.51.100.0/24'],
    sessionAffinity: SessionAffinity.CLIENT_IP,
    sessionAffinityTimeoutSeconds: 600,
  }, shop)],
  ['a LoadBalancer open to anywhere with an empty range list', one({ serviceType: ServiceType.LOAD_BALANCER, allowLoadBalancerFromAnywhere: true, loadBalancerSourceRanges: [] }, shop)],
  ['Istio sidecars', one({}, (chart) => new DenyAllNamespace(chart, 'Ns', { name: 'shop', mesh: ServiceMesh.istio() }))],
  ['Linkerd with traffic options', one({ mesh: { requestTimeoutMillis: 2000, retries: { attempts: 2 } } },
    (chart) => new DenyAllNamespace(chart, 'Ns', { name: 'shop', mesh: ServiceMesh.linkerd() }))],
  ['connections and a multi-cluster export', (chart) => {
    const ns = shop(chart);
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080, namespace: ns });
    const web = new SecureService(chart, 'Web', { image: IMAGE, port: 8080, namespace: ns });
    web.allowTo(api);
    new ClusterSetExport(chart, 'Export', { service: api, ciliumGlobalService: true });
    return [api, web];
  }],
];

testOwnObjects('SecureService', CASES, ['deployment', 'service', 'serviceAccount']);

describe('the cdk8s-plus-28 objects are made when asked for', () => {
  test('the library writes the objects itself only with the cdk8s-plus-28 release they are those of (2.5.6, its last)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require('cdk8s-plus-28/package.json').version).toBe('2.5.6');
    expect(rendersAsInstalledCdk8sPlus()).toBe(true);
  });

  test('no cdk8s-plus object is made until an escape hatch is read; then it is the object under the same id', () => {
    const chart = new Chart(Testing.app(), 'test');
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080 });
    const kplusObject = (c: unknown) => c instanceof kplus.Deployment || c instanceof kplus.Service || c instanceof kplus.ServiceAccount;
    expect(api.node.findAll().some(kplusObject)).toBe(false);
    expect(api.deployment).toBeInstanceOf(kplus.Deployment);
    expect(api.node.findChild('Resource')).toBe(api.deployment);
    expect(api.deployment.serviceAccount).toBe(api.serviceAccount);
    expect(api.node.findChild('ServiceAccount')).toBe(api.serviceAccount);
    expect(api.service).toBe(api.service);
    expect(api.serviceObject).toBe(ApiObject.of(api.service));
  });

  test('a cdk8s-plus-28 Probe in the props: cdk8s-plus-28 renders the objects from the start', () => {
    const chart = new Chart(Testing.app(), 'test');
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080, readiness: kplus.Probe.fromHttpGet('/ready') });
    expect(api.node.findChild('Resource')).toBeInstanceOf(kplus.Deployment);
    expect(api.node.findChild('Service')).toBeInstanceOf(kplus.Service);
    expect(api.node.findChild('ServiceAccount')).toBeInstanceOf(kplus.ServiceAccount);
  });

  test('what was added to serviceObject before `service` is read is kept: annotations, labels and JSON patches', () => {
    const build: Build = (chart) => {
      const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080 });
      addToServiceObject(api.serviceObject);
      return [api];
    };
    const own = render(build);
    expect(render(build, ['service'])).toBe(own);
    expectAddedToService(own);
  });

  test('a change made through the escape hatch is written', () => {
    const chart = new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080 });
    api.deployment.metadata.addAnnotation('example.com/rollout', 'canary');
    api.deployment.containers[0].env.addVariable('EXTRA', kplus.EnvValue.fromValue('1'));
    const deployment = Testing.synth(chart).find((o) => o.kind === 'Deployment');
    expect(deployment.metadata.annotations).toEqual({ 'example.com/rollout': 'canary' });
    expect(deployment.spec.template.spec.containers[0].env).toEqual([{ name: 'EXTRA', value: '1' }]);
  });

  test('a second ClusterSetExport of a Service is refused after its cdk8s-plus Service was made', () => {
    const chart = new Chart(Testing.app(), 'test');
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080, namespace: shop(chart) });
    new ClusterSetExport(chart, 'One', { service: api });
    void api.service;
    expect(() => new ClusterSetExport(chart, 'Two', { service: api })).toThrow(/ClusterSetExport\.service api is already exported by test\/One/);
  });

  test('no object is written twice in one manifest (the YAML writer would write an anchor and an alias)', () => {
    const chart = new Chart(Testing.app(), 'test', { disableResourceNameHashes: true });
    new SecureService(chart, 'Api', { image: IMAGE, port: 8080, spreadAcrossZones: true, writablePaths: ['/tmp'] });
    const yaml = Yaml.stringify(...Testing.synth(chart));
    expect(yaml).not.toMatch(/[&*]a\d+/);
  });
});
