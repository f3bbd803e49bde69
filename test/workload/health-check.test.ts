/**
 * HealthCheck: readiness and liveness checks that name no cdk8s-plus class, so an app on
 * cdk8s-plus-33 (what `cdk8s init` installs) can set them. The keys asserted are those of the
 * Kubernetes Probe API: k8s.io/api core/v1 types.go (`Probe`: `ProbeHandler` with `exec.command`,
 * `httpGet.path`/`port`, `tcpSocket.port`; `initialDelaySeconds`, `timeoutSeconds`,
 * `periodSeconds`, `successThreshold`, `failureThreshold`), as documented at
 * kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe.
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HeadlessStatefulEndpoint, HealthCheck, Protocol, SecureService, SecureServiceProps } from '../../src';
import { expectRefusedAtConstruction } from '../util/bad-input';
import { newChart, one, synth } from '../util/synth';

const IMAGE = 'ghcr.io/acme/api:1.4.2';

function container(props: Partial<SecureServiceProps>): any {
  const chart = newChart('test', 'shop');
  new SecureService(chart, 'Api', { image: IMAGE, ports: [{ name: 'http', port: 8080 }, { name: 'admin', port: 9000 }], ...props });
  return one(synth(chart), 'Deployment', 'api').spec.template.spec.containers[0];
}

describe('HealthCheck factories render the Probe keys the kubelet reads', () => {
  test('httpGet: httpGet.path on the first TCP port, with the timing given', () => {
    const c = container({
      readinessCheck: HealthCheck.httpGet('/ready', { periodSeconds: 5, timeoutSeconds: 2, initialDelaySeconds: 3, failureThreshold: 4, successThreshold: 2 }),
      livenessCheck: HealthCheck.httpGet('/live'),
    });
    expect(c.readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' },
      periodSeconds: 5,
      timeoutSeconds: 2,
      initialDelaySeconds: 3,
      failureThreshold: 4,
      successThreshold: 2,
    });
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/live', port: 8080, scheme: 'HTTP' }, failureThreshold: 3 });
  });

  test('tcpSocket: tcpSocket.port, the first TCP port unless a port is given', () => {
    const c = container({
      port: undefined,
      ports: [{ name: 'stun', port: 3478, protocol: Protocol.UDP }, { name: 'http', port: 8080 }, { name: 'admin', port: 9000 }],
      readinessCheck: HealthCheck.tcpSocket(),
      livenessCheck: HealthCheck.tcpSocket({ port: 9000 }),
    });
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 9000 });
  });

  test('exec: exec.command, no port', () => {
    const c = container({ readinessCheck: HealthCheck.exec(['/bin/ready', '--quick']) });
    expect(c.readinessProbe).toEqual({ exec: { command: ['/bin/ready', '--quick'] }, failureThreshold: 3 });
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 8080 }); // the default is unchanged
  });

  test.each<[string, HealthCheck, kplus.Probe]>([
    ['httpGet', HealthCheck.httpGet('/healthz', { periodSeconds: 5, failureThreshold: 2 }),
      kplus.Probe.fromHttpGet('/healthz', { periodSeconds: Duration.seconds(5), failureThreshold: 2 })],
    ['tcpSocket with a port', HealthCheck.tcpSocket({ port: 9000, timeoutSeconds: 3 }), kplus.Probe.fromTcpSocket({ port: 9000, timeoutSeconds: Duration.seconds(3) })],
    ['exec', HealthCheck.exec(['/bin/check'], { initialDelaySeconds: 0 }), kplus.Probe.fromCommand(['/bin/check'], { initialDelaySeconds: Duration.seconds(0) })],
  ])('%s renders the same manifest as the equivalent cdk8s-plus-28 Probe', (_n, check, probe) => {
    const chart = newChart('test', 'shop');
    new SecureService(chart, 'A', { name: 'a', image: IMAGE, port: 8080, readinessCheck: check, livenessCheck: check });
    new SecureService(chart, 'B', { name: 'b', image: IMAGE, port: 8080, readiness: probe, liveness: probe });
    const objects = synth(chart);
    const spec = (name: string) => one(objects, 'Deployment', name).spec.template.spec.containers[0];
    expect(spec('a').readinessProbe).toEqual(spec('b').readinessProbe);
    expect(spec('a').livenessProbe).toEqual(spec('b').livenessProbe);
  });

  test('HeadlessStatefulEndpoint takes the checks too', () => {
    const chart = newChart('test', 'shop');
    new HeadlessStatefulEndpoint(chart, 'Db', { image: 'postgres:16.4', ports: [{ name: 'pg', port: 5432 }], readinessCheck: HealthCheck.exec(['pg_isready']) });
    const c = one(synth(chart), 'StatefulSet', 'db').spec.template.spec.containers[0];
    expect(c.readinessProbe.exec).toEqual({ command: ['pg_isready'] });
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 5432 });
  });
});

describe('bad checks are refused with the construct path and the field', () => {
  test.each<[string, () => HealthCheck, string]>([
    ['a period of 0', () => HealthCheck.httpGet('/healthz', { periodSeconds: 0 }),
      'SecureService.readinessCheck: HealthCheck.httpGet("/healthz"): options.periodSeconds is 0; it must be a whole number >= 1.'],
    ['a negative initial delay', () => HealthCheck.tcpSocket({ initialDelaySeconds: -1 }),
      'SecureService.readinessCheck: HealthCheck.tcpSocket(): options.initialDelaySeconds is -1; it must be a whole number >= 0.'],
    ['a fractional timeout', () => HealthCheck.tcpSocket({ timeoutSeconds: 1.5 }),
      'SecureService.readinessCheck: HealthCheck.tcpSocket(): options.timeoutSeconds is 1.5; it must be a whole number >= 1.'],
    ['a failure threshold given as a string', () => HealthCheck.tcpSocket({ failureThreshold: '3' as any }),
      'SecureService.readinessCheck: HealthCheck.tcpSocket(): options.failureThreshold is the string "3"; give a whole number >= 1.'],
    ['a success threshold of 0', () => HealthCheck.exec(['/bin/check'], { successThreshold: 0 }),
      'SecureService.readinessCheck: HealthCheck.exec(): options.successThreshold is 0; it must be a whole number >= 1.'],
    ['port 70000', () => HealthCheck.httpGet('/healthz', { port: 70000 }),
      'SecureService.readinessCheck: HealthCheck.httpGet("/healthz"): options.port is 70000; a port must be a whole number 1-65535.'],
    ['a relative path', () => HealthCheck.httpGet('healthz'),
      'SecureService.readinessCheck: HealthCheck.httpGet("healthz"): path "healthz" is not an absolute HTTP path; give e.g. \'/healthz\'.'],
    ['an empty command', () => HealthCheck.exec([]),
      "SecureService.readinessCheck: HealthCheck.exec(): command is empty; give the program and its arguments, e.g. ['/bin/healthcheck']."],
    ['a port on a command check', () => HealthCheck.exec(['/bin/check'], { port: 8080 }),
      'SecureService.readinessCheck: HealthCheck.exec(): options.port is set, but a command check uses no port; leave it out.'],
  ])('%s', (_n, make, message) => {
    expectRefusedAtConstruction((chart) => new SecureService(chart, 'Api', { image: IMAGE, port: 8080, readinessCheck: make() }), `test/Api: ${message}`);
  });

  test('a liveness check with successThreshold other than 1 (the API server accepts only 1 on a liveness probe)', () => {
    // k8s.io/api core/v1 types.go, Probe.SuccessThreshold: "Must be 1 for liveness and startup."
    expectRefusedAtConstruction((chart) => new SecureService(chart, 'Api', { image: IMAGE, port: 8080, livenessCheck: HealthCheck.tcpSocket({ successThreshold: 2 }) }),
      'test/Api: SecureService.livenessCheck successThreshold is 2; the API server accepts only 1 on a liveness probe; leave it out or give 1.');
  });

  test('a cdk8s-plus-28 liveness Probe with a success threshold other than 1 is refused too; 1 and a readiness threshold are not', () => {
    // k8s.io/api core/v1 types.go, Probe.SuccessThreshold: "Must be 1 for liveness and startup."
    expectRefusedAtConstruction((chart) => new SecureService(chart, 'Api', {
      image: IMAGE, port: 8080, liveness: kplus.Probe.fromTcpSocket({ successThreshold: 3 }),
    }), 'test/Api: SecureService.liveness successThreshold is 3; the API server accepts only 1 on a liveness probe; leave it out or give 1.');
    const chart = newChart();
    new SecureService(chart, 'Api', {
      image: IMAGE,
      port: 8080,
      liveness: kplus.Probe.fromTcpSocket({ successThreshold: 1 }),
      readiness: kplus.Probe.fromTcpSocket({ successThreshold: 3 }),
    });
    const main = synth(chart).find((o) => o.kind === 'Deployment').spec.template.spec.containers[0];
    expect([main.livenessProbe.successThreshold, main.readinessProbe.successThreshold]).toEqual([1, 3]);
  });

  test('both forms of one probe are refused, naming both fields', () => {
    expectRefusedAtConstruction((chart) => new SecureService(chart, 'Api', {
      image: IMAGE, port: 8080, readiness: kplus.Probe.fromTcpSocket(), readinessCheck: HealthCheck.tcpSocket(),
    }), 'test/Api: SecureService.readiness and SecureService.readinessCheck are both set; give one of them (readinessCheck works with any cdk8s-plus version).');
  });

  test('a check with no port on a workload with no TCP port is refused', () => {
    expectRefusedAtConstruction((chart) => new SecureService(chart, 'Api', {
      image: IMAGE,
      ports: [{ name: 'syslog', port: 5514, protocol: Protocol.UDP }],
      readinessCheck: HealthCheck.tcpSocket(),
      livenessCheck: HealthCheck.exec(['/bin/live']),
    }), "test/Api: SecureService.readinessCheck names no port, and SecureService has no TCP port to check (its ports are UDP 5514); give the check a port ({ port: 8080 }), or use HealthCheck.exec(['/bin/healthcheck']).");
  });

  // cdk8s-plus-28 lib/_action.js fills a probe's missing port with `options.port ?? container.portNumber ?? 80`; these
  // containers leave portNumber unset, so a portless Probe on a UDP-only workload would check TCP port 80, which nothing serves.
  test('a Probe with no port on a workload with no TCP port is refused (SecureService, readiness)', () => {
    expectRefusedAtConstruction((chart) => new SecureService(chart, 'Api', {
      image: IMAGE,
      ports: [{ name: 'syslog', port: 5514, protocol: Protocol.UDP }],
      readiness: kplus.Probe.fromHttpGet('/healthz'),
      livenessCheck: HealthCheck.exec(['/bin/live']),
    }), "test/Api: SecureService.readiness names no port, and SecureService has no TCP port to check (its ports are UDP 5514); give the probe a port ({ port: 8080 }), or use Probe.fromCommand(['/bin/healthcheck']).");
  });

  test('a Probe with no port on a workload with no TCP port is refused (HeadlessStatefulEndpoint, liveness)', () => {
    expectRefusedAtConstruction((chart) => new HeadlessStatefulEndpoint(chart, 'Db', {
      image: IMAGE,
      ports: [{ name: 'gossip', port: 7946, protocol: Protocol.UDP }],
      readinessCheck: HealthCheck.exec(['/bin/ready']),
      liveness: kplus.Probe.fromTcpSocket(),
    }), "test/Db: HeadlessStatefulEndpoint.liveness names no port, and HeadlessStatefulEndpoint has no TCP port to check (its ports are UDP 7946); give the probe a port ({ port: 8080 }), or use Probe.fromCommand(['/bin/healthcheck']).");
  });

  test('a Probe that names its port, or runs a command, still works on a workload with no TCP port', () => {
    const chart = newChart('test', 'shop');
    new SecureService(chart, 'Api', {
      image: IMAGE,
      ports: [{ name: 'syslog', port: 5514, protocol: Protocol.UDP }],
      readiness: kplus.Probe.fromHttpGet('/healthz', { port: 8081 }),
      liveness: kplus.Probe.fromCommand(['/bin/live']),
    });
    const c = one(synth(chart), 'Deployment', 'api').spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8081, scheme: 'HTTP' });
    expect(c.livenessProbe.exec).toEqual({ command: ['/bin/live'] });
  });

  test('a plain object where a HealthCheck is expected', () => {
    expectRefusedAtConstruction((chart) => new SecureService(chart, 'Api', { image: IMAGE, port: 8080, livenessCheck: { path: '/x' } as any }),
      "test/Api: SecureService.livenessCheck is an object; give a HealthCheck, e.g. HealthCheck.httpGet('/healthz').");
  });
});
