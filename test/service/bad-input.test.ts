import { Chart } from 'cdk8s';
import { ExternalTrafficPolicy, SecureService, SecureServiceProps, ServiceType, SessionAffinity } from '../../src';
import { newChart, synth } from '../util/synth';

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const api = (props: Partial<SecureServiceProps>) => (chart: Chart) => {
  new SecureService(chart, 'Api', { image: IMAGE, port: 8080, ...props });
};
const ports = (...list: SecureServiceProps['ports'] & {}) => ({ port: undefined, ports: list });
const LETTERS = "it must consist of lower case alphanumeric characters or '-', start with a letter and end with an alphanumeric character";
const PORT_NAME = "a port name must consist of lower case alphanumeric characters or '-', must not start or end with '-' or contain '--'";
const LABEL = "it must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";

describe('SecureService refuses bad input when it is constructed', () => {
  test.each<[string, (chart: Chart) => void, string]>([
    ['a name that starts with a digit', api({ name: '1api' }),
      `test/Api: SecureService.name "1api" is not a valid Service name; ${LETTERS}.`],
    ['a name with upper case letters', api({ name: 'PaymentsApi' }),
      `test/Api: SecureService.name "PaymentsApi" is not a valid Service name; ${LETTERS}.`],
    ['a name longer than 63 characters', api({ name: 'a'.repeat(64) }),
      `test/Api: SecureService.name "${'a'.repeat(64)}" is not a valid Service name; it has 64 characters; at most 63 are allowed.`],
    ['an empty image', api({ image: '' }),
      "test/Api: SecureService.image \"\" is not an image reference; give e.g. 'ghcr.io/acme/api:1.4.2'."],
    ['a port name longer than 15 characters', api(ports({ name: 'metrics-exporter', port: 9090 })),
      'test/Api: SecureService.ports[0].name "metrics-exporter" is not a valid port name; it has 16 characters; a port name has at most 15.'],
    ['a port name with upper case letters', api(ports({ name: 'HTTP', port: 80 })),
      `test/Api: SecureService.ports[0].name "HTTP" is not a valid port name; ${PORT_NAME}.`],
    ["a port name with '--'", api(ports({ name: 'http--alt', port: 80 })),
      `test/Api: SecureService.ports[0].name "http--alt" is not a valid port name; ${PORT_NAME}.`],
    ['a port name without a letter', api(ports({ name: '8080', port: 8080 })),
      'test/Api: SecureService.ports[0].name "8080" is not a valid port name; a port name must contain at least one letter.'],
    ['a port above 65535', api(ports({ name: 'http', port: 80 }, { name: 'metrics', port: 70000 })),
      'test/Api: SecureService.ports[1].port is 70000; a port must be 1-65535. Use a port in that range.'],
    ['a port shorthand of 0', api({ port: 0 }),
      'test/Api: SecureService.port is 0; a port must be 1-65535. Use a port in that range.'],
    ['a fractional port', api(ports({ name: 'http', port: 80.5 })),
      'test/Api: SecureService.ports[0].port is 80.5; a port must be 1-65535. Use a port in that range.'],
    ['a targetPort above 65535', api(ports({ name: 'http', port: 80, targetPort: 70000 })),
      'test/Api: SecureService.ports[0].targetPort is 70000; a port must be 1-65535. Use a port in that range or omit it to use the Service port.'],
    ['two ports with one name', api(ports({ name: 'http', port: 80 }, { name: 'http', port: 81 })),
      'test/Api: SecureService.ports[1].name "http" is used by another port; port names must be unique.'],
    ['two ports with one number and protocol', api(ports({ name: 'http', port: 80 }, { name: 'alt', port: 80 })),
      'test/Api: SecureService.ports[1].port TCP 80 is used by another port; ports must be unique per protocol.'],
    ['two ports with one container port', api(ports({ name: 'http', port: 80, targetPort: 8080 }, { name: 'alt', port: 8080 })),
      'test/Api: SecureService.ports[1].port makes container port TCP 8080, which SecureService.ports[0] already uses; each port needs its own container port.'],
    ['both port and ports', api({ port: 80, ports: [{ name: 'http', port: 80 }] }),
      'test/Api: SecureService.port and SecureService.ports are both set; use one of them.'],
    ['neither port nor ports', api({ port: undefined }),
      'test/Api: SecureService.ports is empty; give at least one port (or SecureService.port).'],
    ['an empty ports list', api(ports()),
      'test/Api: SecureService.ports is empty; give at least one port (or SecureService.port).'],
    ['negative replicas', api({ replicas: -1 }),
      'test/Api: SecureService.replicas is -1; replicas must be a whole number >= 0.'],
    ['fractional replicas', api({ replicas: 1.5 }),
      'test/Api: SecureService.replicas is 1.5; replicas must be a whole number >= 0.'],
    ['a node port outside 30000-32767', api({ serviceType: ServiceType.NODE_PORT, ...ports({ name: 'http', port: 80, nodePort: 8080 }) }),
      'test/Api: SecureService.ports[0].nodePort is 8080; node ports must be 30000-32767 (the default --service-node-port-range).'],
    ['a node port on a ClusterIP Service', api(ports({ name: 'http', port: 80, nodePort: 30080 })),
      'test/Api: SecureService.ports[0].nodePort is set but SecureService.serviceType is ClusterIP; node ports need serviceType NODE_PORT or LOAD_BALANCER.'],
    ['a LoadBalancer without source ranges', api({ serviceType: ServiceType.LOAD_BALANCER }),
      'test/Api: SecureService.loadBalancerSourceRanges is empty for a LoadBalancer, which would accept the whole internet; list the client CIDRs, or set SecureService.allowLoadBalancerFromAnywhere to true.'],
    ['source ranges without a LoadBalancer', api({ serviceType: ServiceType.NODE_PORT, loadBalancerSourceRanges: ['203.0.113.0/24'] }),
      'test/Api: SecureService.loadBalancerSourceRanges is set but SecureService.serviceType is NodePort; source ranges apply to LOAD_BALANCER only.'],
    ['allowLoadBalancerFromAnywhere without a LoadBalancer', api({ allowLoadBalancerFromAnywhere: true }),
      'test/Api: SecureService.allowLoadBalancerFromAnywhere is set but SecureService.serviceType is ClusterIP; it applies to LOAD_BALANCER only.'],
    ['source ranges and allowLoadBalancerFromAnywhere together',
      api({ serviceType: ServiceType.LOAD_BALANCER, loadBalancerSourceRanges: ['203.0.113.0/24'], allowLoadBalancerFromAnywhere: true }),
      'test/Api: SecureService.allowLoadBalancerFromAnywhere and SecureService.loadBalancerSourceRanges are both set; use one.'],
    ['a source range that is not a CIDR', api({ serviceType: ServiceType.LOAD_BALANCER, loadBalancerSourceRanges: ['203.0.113.7'] }),
      'test/Api: SecureService.loadBalancerSourceRanges[0] "203.0.113.7" is not a CIDR; write e.g. 203.0.113.0/24.'],
    ['a source range of every address', api({ serviceType: ServiceType.LOAD_BALANCER, loadBalancerSourceRanges: ['0.0.0.0/0'] }),
      'test/Api: SecureService.loadBalancerSourceRanges[0] "0.0.0.0/0" is every address; set SecureService.allowLoadBalancerFromAnywhere to true instead.'],
    ['a source range with host bits set', api({ serviceType: ServiceType.LOAD_BALANCER, loadBalancerSourceRanges: ['10.0.0.1/8'] }),
      'test/Api: SecureService.loadBalancerSourceRanges[0] "10.0.0.1/8" has bits set after the prefix; did you mean 10.0.0.0/8?'],
    ['a source range listed twice', api({ serviceType: ServiceType.LOAD_BALANCER, loadBalancerSourceRanges: ['203.0.113.0/24', '203.0.113.0/24'] }),
      'test/Api: SecureService.loadBalancerSourceRanges[1] "203.0.113.0/24" repeats loadBalancerSourceRanges[0]; list each range once.'],
    ['a container port below 1024 without allowPrivilegedPorts', api(ports({ name: 'http', port: 80 })),
      'test/Api: SecureService: container port http is 80, below 1024, which the non-root container cannot bind; listen on a port >= 1024 (set targetPort, e.g. 8080) or set SecureService.allowPrivilegedPorts to true.'],
    ['two ports on one node port', api({ serviceType: ServiceType.NODE_PORT, ...ports({ name: 'a', port: 80, nodePort: 30001 }, { name: 'b', port: 81, nodePort: 30001 }) }),
      'test/Api: SecureService.ports[1].nodePort 30001 is also SecureService.ports[0].nodePort; each port needs its own node port.'],
    ['externalTrafficPolicy on a ClusterIP Service', api({ externalTrafficPolicy: ExternalTrafficPolicy.LOCAL }),
      'test/Api: SecureService.externalTrafficPolicy is set but SecureService.serviceType is ClusterIP; it applies to NODE_PORT and LOAD_BALANCER only.'],
    ['a session affinity timeout without ClientIP affinity', api({ sessionAffinityTimeoutSeconds: 600 }),
      'test/Api: SecureService.sessionAffinityTimeoutSeconds is set but SecureService.sessionAffinity is None; set sessionAffinity to SessionAffinity.CLIENT_IP.'],
    ['a session affinity timeout above a day', api({ sessionAffinity: SessionAffinity.CLIENT_IP, sessionAffinityTimeoutSeconds: 86401 }),
      'test/Api: SecureService.sessionAffinityTimeoutSeconds is 86401; it must be 1-86400.'],
    ['runAsUser 0 (root)', api({ runAsUser: 0 }),
      'test/Api: SecureService.runAsUser is 0; it must be a non-zero user/group id (0 is root).'],
    ['runAsGroup 0 (root)', api({ runAsGroup: 0 }),
      'test/Api: SecureService.runAsGroup is 0; it must be a non-zero user/group id (0 is root).'],
    ['a CPU limit below the request', api({ cpuRequestMillis: 200, cpuLimitMillis: 100 }),
      'test/Api: SecureService.cpuLimitMillis (100) is below cpuRequestMillis (200); a limit must be >= the request.'],
    ['a memory limit below the request', api({ memoryRequestMebibytes: 512 }),
      'test/Api: SecureService.memoryLimitMebibytes (256) is below memoryRequestMebibytes (512); a limit must be >= the request.'],
    ['a CPU request of 0', api({ cpuRequestMillis: 0 }),
      'test/Api: SecureService.cpuRequestMillis is 0; it must be a whole number >= 1.'],
    ['a label key with a space', api({ labels: { 'my team': 'payments' } }),
      'test/Api: SecureService.labels: label key "my team" is invalid; the name part must be at most 63 characters of alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric.'],
    ['a label value with a slash', api({ labels: { team: 'a/b' } }),
      `test/Api: SecureService.labels: label value "a/b" of "team" is invalid; ${LABEL}.`],
    ['a label that overrides the selector label', api({ labels: { 'app.kubernetes.io/name': 'other' } }),
      'test/Api: SecureService.labels sets "app.kubernetes.io/name", which selects this service\'s pods; set SecureService.name instead.'],
    ['a label that overrides the managed-by label', api({ labels: { 'app.kubernetes.io/managed-by': 'helm' } }),
      'test/Api: SecureService.labels sets "app.kubernetes.io/managed-by", which this library writes; remove it from SecureService.labels.'],
    ['a relative writable path', api({ writablePaths: ['tmp'] }),
      'test/Api: SecureService.writablePaths[0] "tmp" is not an absolute directory path below /.'],
    ['a writable path listed twice', api({ writablePaths: ['/tmp', '/tmp'] }),
      'test/Api: SecureService.writablePaths lists "/tmp" twice; list each path once.'],
    ['a relative health check path', api({ healthCheckPath: 'healthz' }),
      'test/Api: SecureService.healthCheckPath "healthz" is not an absolute HTTP path.'],
    ['an environment variable name with a space', api({ env: { 'LOG LEVEL': 'info' } }),
      'test/Api: SecureService.env: "LOG LEVEL" is not a valid environment variable name.'],
    ['a cluster domain with upper case letters', api({ clusterDomain: 'Cluster.Local' }),
      "test/Api: SecureService.clusterDomain \"Cluster.Local\" is not a DNS domain; it must consist of lower case alphanumeric characters, '-' or '.', and each label must start and end with an alphanumeric character."],
    ['fqdn without any namespace', (chart) => { void new SecureService(chart, 'Api', { image: IMAGE, port: 8080 }).fqdn; },
      'test/Api: SecureService.fqdn needs a namespace; set SecureService.namespace or the chart namespace.'],
  ])('%s', (_description, build, message) => {
    const chart = newChart();
    let constructed = false;
    let objects: any[] | undefined;
    expect(() => {
      build(chart);
      constructed = true;
      objects = synth(chart);
    }).toThrow(new Error(message));
    expect(constructed).toBe(false);
    expect(objects).toBeUndefined();
  });
});
