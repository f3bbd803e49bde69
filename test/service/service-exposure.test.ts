import { ExternalTrafficPolicy, Protocol, SecureService, ServiceType, SessionAffinity } from '../../src';
import { newChart, one, synth } from '../util/synth';

const IMAGE = 'ghcr.io/acme/api:1.4.2';

function synthService(props: Partial<ConstructorParameters<typeof SecureService>[2]> = {}) {
  const chart = newChart();
  new SecureService(chart, 'Api', { image: IMAGE, port: 8080, ...props });
  const objects = synth(chart);
  return {
    spec: one(objects, 'Service', 'api').spec,
    containerPorts: one(objects, 'Deployment', 'api').spec.template.spec.containers[0].ports,
  };
}

describe('SecureService Service', () => {
  test('is a ClusterIP Service by default, reachable inside the cluster only', () => {
    const { spec } = synthService();
    expect(spec.type).toBe('ClusterIP');
    expect(spec.ports.every((p: any) => p.nodePort === undefined)).toBe(true);
    expect(spec.loadBalancerSourceRanges).toBeUndefined();
    expect(spec.externalTrafficPolicy).toBeUndefined();
  });

  test('never sets externalIPs (CVE-2020-8554)', () => {
    expect(synthService().spec).not.toHaveProperty('externalIPs');
    const lb = synthService({ serviceType: ServiceType.LOAD_BALANCER, allowLoadBalancerFromAnywhere: true });
    expect(lb.spec).not.toHaveProperty('externalIPs');
  });

  test('selects its pods by app.kubernetes.io/name', () => {
    expect(synthService().spec.selector).toEqual({ 'app.kubernetes.io/name': 'api' });
  });

  test('the port shorthand is one TCP port named http whose target is the container port of the same name', () => {
    const { spec, containerPorts } = synthService();
    expect(spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http' }]);
    expect(containerPorts).toEqual([{ name: 'http', containerPort: 8080 }]);
  });

  test('every port is named, and targetPort is the port name, resolved by the named container port', () => {
    const { spec, containerPorts } = synthService({
      port: undefined,
      ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }, { name: 'gossip', port: 7946, protocol: Protocol.UDP }],
    });
    expect(spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([
      ['http', 80, 'http'], ['metrics', 9090, 'metrics'], ['gossip', 7946, 'gossip'],
    ]);
    expect(containerPorts.map((p: any) => [p.name, p.containerPort, p.protocol])).toEqual([
      ['http', 8080, undefined], ['metrics', 9090, undefined], ['gossip', 7946, 'UDP'],
    ]);
    expect(spec.ports[2].protocol).toBe('UDP');
  });

  test('NodePort is used only on request, with the node port asked for', () => {
    const { spec } = synthService({ port: undefined, serviceType: ServiceType.NODE_PORT, ports: [{ name: 'http', port: 8080, nodePort: 30080 }] });
    expect(spec.type).toBe('NodePort');
    expect(spec.ports[0].nodePort).toBe(30080);
  });

  test('a LoadBalancer admits only the listed source ranges', () => {
    const { spec } = synthService({ serviceType: ServiceType.LOAD_BALANCER, loadBalancerSourceRanges: ['203.0.113.0/24', '198.51.100.0/24'] });
    expect(spec.type).toBe('LoadBalancer');
    expect(spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24', '198.51.100.0/24']);
  });

  test('a LoadBalancer open to the internet needs allowLoadBalancerFromAnywhere and then lists no ranges', () => {
    const { spec } = synthService({ serviceType: ServiceType.LOAD_BALANCER, allowLoadBalancerFromAnywhere: true });
    expect(spec.type).toBe('LoadBalancer');
    expect(spec.loadBalancerSourceRanges).toBeUndefined();
  });

  test('externalTrafficPolicy Local keeps external traffic on the receiving node', () => {
    const { spec } = synthService({ serviceType: ServiceType.NODE_PORT, externalTrafficPolicy: ExternalTrafficPolicy.LOCAL });
    expect(spec.externalTrafficPolicy).toBe('Local');
  });

  test('sessionAffinity ClientIP pins clients, with the given timeout', () => {
    const { spec } = synthService({ sessionAffinity: SessionAffinity.CLIENT_IP, sessionAffinityTimeoutSeconds: 600 });
    expect(spec.sessionAffinity).toBe('ClientIP');
    expect(spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 600 } });
  });

  test("sessionAffinity ClientIP without a timeout leaves Kubernetes' default timeout", () => {
    const { spec } = synthService({ sessionAffinity: SessionAffinity.CLIENT_IP });
    expect(spec.sessionAffinity).toBe('ClientIP');
    expect(spec.sessionAffinityConfig).toBeUndefined();
  });

  test('no session affinity is written by default', () => {
    const { spec } = synthService();
    expect(spec.sessionAffinity).toBeUndefined();
    expect(spec.sessionAffinityConfig).toBeUndefined();
  });
});
