/**
 * Property tests: random valid props always synthesize schema-valid output that passes the
 * compliance suite; random invalid props always raise our validation error (a plain Error whose
 * message starts with the construct path), never a TypeError, and never produce manifests.
 */
import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import {
  DenyAllNamespace, ExternalDependency, HeadlessStatefulEndpoint, IngressBackend, IngressController, Peer, PodSecurityLevel, Port, SecureService,
  TlsCertificate, TlsIngress,
} from '../../src';
import { complianceFindings } from '../compliance/checks';
import { documentedPolicyExceptions } from '../compliance/exceptions';
import { newChart, synth } from '../util/synth';

const RUNS = { numRuns: 50 };
const INVALID_RUNS = { numRuns: 100 };
const IMAGE = 'ghcr.io/acme/app:1.0.0';

// ---------------------------------------------------------------------------------------------
// Generators of valid values.
// ---------------------------------------------------------------------------------------------
const LETTER = 'abcdefghijklmnopqrstuvwxyz';
const lower = fc.constantFrom(...LETTER.split(''));
const alnum = fc.constantFrom(...`${LETTER}0123456789`.split(''));
/** A DNS-1035 label of 1..max characters. */
const dns1035 = (max: number) => fc.tuple(lower, fc.array(fc.oneof(alnum, fc.constant('-')), { maxLength: max - 2 }), alnum)
  .map(([a, mid, z]) => `${a}${mid.join('')}${z}`.replace(/-+/g, '-'))
  .filter((s) => s.length <= max);
const namespaceName = dns1035(30).filter((n) => n !== 'default' && !n.startsWith('kube-'));
/** IANA service names (≤ 15 characters, a letter, no double or edge dashes). */
const portName = fc.constantFrom('http', 'https', 'grpc', 'metrics', 'admin', 'pg', 'redis', 'amqp', 'web-alt', 'h2c', 'api', 'health');
/** Unprivileged container ports: a non-root process cannot bind below 1024 (kube-linter privileged-ports). */
const containerPort = fc.integer({ min: 1024, max: 65535 });

const servicePorts = fc.uniqueArray(portName, { minLength: 1, maxLength: 3 }).chain((names) => fc.tuple(
  fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: names.length, maxLength: names.length }),
  fc.uniqueArray(containerPort, { minLength: names.length, maxLength: names.length }),
  fc.boolean(),
).map(([ports, targets, same]) => names.map((name, i) => (same && ports[i] >= 1024 && !targets.includes(ports[i])
  ? { name, port: ports[i] }
  : { name, port: ports[i], targetPort: targets[i] }))));

const host = fc.tuple(dns1035(12), dns1035(12)).map(([a, b]) => `${a}.${b}.example.com`);
const path = fc.array(dns1035(8), { maxLength: 3 }).map((p) => `/${p.join('/')}`);

/** Findings the compliance suite documents as known gaps of ingress rendering (test/compliance/compliance.test.ts). */
/** The Kyverno PolicyException docs/compliance.md documents for the Traefik redirect Ingress. */
const EXCEPTIONS = documentedPolicyExceptions();

function compliant(chart: Chart): void {
  const objects = synth(chart);
  expect(complianceFindings([...objects, ...EXCEPTIONS])).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Valid props.
// ---------------------------------------------------------------------------------------------
describe('random valid props synthesize schema-valid, compliant output', () => {
  test('SecureService', () => {
    fc.assert(fc.property(dns1035(40), servicePorts, fc.integer({ min: 0, max: 5 }), fc.boolean(), (name, ports, replicas, health) => {
      const chart = newChart();
      const ns = new DenyAllNamespace(chart, 'Ns', { name: 'shop' });
      const svc = new SecureService(chart, 'Svc', { namespace: ns, name, image: IMAGE, ports, replicas, healthCheckPath: health ? '/healthz' : undefined });
      // Polaris wants a policy with ingress and egress rules: give the workload a client.
      svc.allowFrom(Peer.namespace('clients'), Port.named(ports[0].name));
      compliant(chart);
    }), RUNS);
  });

  test('DenyAllNamespace', () => {
    const level = fc.constantFrom(...Object.values(PodSecurityLevel));
    fc.assert(fc.property(namespaceName, level, fc.boolean(), fc.boolean(), fc.uniqueArray(namespaceName, { maxLength: 3 }),
      (name, podSecurity, allowDns, allowWithinNamespace, from) => {
        const chart = newChart();
        new DenyAllNamespace(chart, 'Ns', { name, podSecurity, allowDns, allowWithinNamespace, allowFromNamespaces: from.filter((n) => n !== name) });
        compliant(chart);
      }), RUNS);
  });

  test('HeadlessStatefulEndpoint', () => {
    const replicasOf = fc.integer({ min: 1, max: 5 });
    fc.assert(fc.property(dns1035(40), servicePorts, replicasOf, fc.boolean(), fc.boolean(), (name, ports, replicas, clientService, notReady) => {
      const chart = newChart();
      const ns = new DenyAllNamespace(chart, 'Ns', { name: 'data' });
      const db = new HeadlessStatefulEndpoint(chart, 'Db', {
        namespace: ns,
        name,
        image: IMAGE,
        ports: ports.map((p) => ({ ...p, targetPort: undefined, port: p.targetPort ?? p.port })),
        replicas,
        clientService,
        clientServiceName: clientService ? `${name.slice(0, 30)}-client` : undefined,
        publishNotReadyAddresses: notReady,
      });
      db.allowFrom(Peer.namespace('clients'));
      compliant(chart);
    }), RUNS);
  });

  test('ExternalDependency (by hostname or by addresses), used by a client', () => {
    const byHost = fc.record({ hostname: host, any: fc.boolean() });
    const byAddresses = fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1, max: 254 })).map(([a, b]) => `203.0.${a}.${b}`), { minLength: 1, maxLength: 4 });
    fc.assert(fc.property(dns1035(40), servicePorts, fc.oneof(byHost, byAddresses), (name, ports, where) => {
      const chart = newChart();
      const ns = new DenyAllNamespace(chart, 'Ns', { name: 'shop' });
      const dep = Array.isArray(where)
        ? new ExternalDependency(chart, 'Dep', { namespace: ns, name, addresses: where, ports })
        : new ExternalDependency(chart, 'Dep', {
          namespace: ns,
          name,
          hostname: where.hostname,
          ports: ports.map((p) => ({ name: p.name, port: p.port })),
          egressTo: where.any ? undefined : [Peer.ipBlock('198.51.100.0/24')],
          allowEgressToAnyAddress: where.any ? true : undefined,
        });
      const client = new SecureService(chart, 'Client', { namespace: ns, name: name === 'client' ? 'caller' : 'client', image: IMAGE, port: 8080 });
      client.allowFrom(Peer.namespace('users'));
      client.allowTo(dep);
      compliant(chart);
    }), RUNS);
  });

  test('TlsIngress (on ingress-nginx, F5 NGINX, Traefik and HAProxy)', () => {
    const controller = fc.constantFrom(
      () => IngressController.ingressNginx(), () => IngressController.nginxInc(),
      () => IngressController.traefik(), () => IngressController.haproxy(),
    );
    const rules = fc.uniqueArray(fc.tuple(host, path), { minLength: 1, maxLength: 4, selector: ([h, p]) => h + p });
    fc.assert(fc.property(controller, rules, fc.boolean(), (makeController, routes, certManager) => {
      const chart = newChart();
      const ns = new DenyAllNamespace(chart, 'Ns', { name: 'shop' });
      const web = new SecureService(chart, 'Web', { namespace: ns, name: 'web', image: IMAGE, port: 8080 });
      web.allowTo(Peer.namespace('backends'));
      const profile = makeController();
      new TlsIngress(chart, 'Public', {
        namespace: ns,
        controller: profile,
        // F5 NGINX always sends HSTS preload, so a TlsIngress on it must accept preload explicitly.
        hsts: profile.controllerName === 'nginx.org/ingress-controller' ? { preload: true } : undefined,
        name: 'public',
        certificate: certManager ? TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }) : TlsCertificate.secret('public-tls'),
        rules: routes.map(([h, p]) => ({ host: h, path: p, backend: IngressBackend.fromSecureService(web) })),
      });
      compliant(chart);
    }), RUNS);
  });
});

// ---------------------------------------------------------------------------------------------
// Invalid props.
// ---------------------------------------------------------------------------------------------
/** Runs `build`; it must throw our error for `path` before anything is synthesized. */
function refuses(build: (chart: Chart) => void, constructPath: string): void {
  const chart = newChart();
  let objects: any[] | undefined;
  let error: unknown;
  try {
    build(chart);
    objects = synth(chart);
  } catch (e) {
    error = e;
  }
  expect(objects).toBeUndefined();
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).constructor).toBe(Error);
  expect((error as Error).message.startsWith(`${constructPath}: `)).toBe(true);
}

const badPort = fc.oneof(
  fc.integer({ max: 0 }), fc.integer({ min: 65536 }), fc.double({ min: 1, max: 65535, noInteger: true }), fc.constant(Number.NaN),
);
/** Not a DNS-1035 label (Service names). */
const badName = fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 80 }).filter((s) => !/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(s)));
/** Not a DNS-1123 label (namespace names may start with a digit). */
const badNamespace = fc.string({ minLength: 1, maxLength: 80 }).filter((s) => !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(s));

describe('random invalid props raise our validation error, never a TypeError, never YAML', () => {
  test('SecureService: a bad name, port, targetPort or replicas', () => {
    const bad = fc.oneof(
      badName.map((name) => ({ name, port: 8080 })),
      badPort.map((port) => ({ port })),
      badPort.map((targetPort) => ({ ports: [{ name: 'http', port: 80, targetPort }] })),
      fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 9.9, noInteger: true })).map((replicas) => ({ port: 8080, replicas })),
    );
    fc.assert(fc.property(bad, (props) => refuses((chart) => new SecureService(chart, 'Svc', { image: IMAGE, ...props } as any), 'test/Svc')), INVALID_RUNS);
  });

  test('DenyAllNamespace: a bad or system name, a bad allowFromNamespaces entry', () => {
    const bad = fc.oneof(
      badNamespace.map((name) => ({ name })),
      fc.constantFrom('default', 'kube-system', 'kube-public').map((name) => ({ name })),
      badNamespace.map((n) => ({ name: 'shop', allowFromNamespaces: [n] })),
    );
    fc.assert(fc.property(bad, (props) => refuses((chart) => new DenyAllNamespace(chart, 'Ns', props), 'test/Ns')), INVALID_RUNS);
  });

  test('HeadlessStatefulEndpoint: a name over 52 characters, a bad port, no ports', () => {
    const bad = fc.oneof(
      fc.integer({ min: 53, max: 63 }).map((n) => ({ name: 'a'.repeat(n), ports: [{ name: 'pg', port: 5432 }] })),
      badPort.map((port) => ({ ports: [{ name: 'pg', port }] })),
      fc.constant({ ports: [] }),
    );
    fc.assert(fc.property(bad, (props) => refuses((chart) => new HeadlessStatefulEndpoint(chart, 'Db', { image: IMAGE, ...props } as any), 'test/Db')), INVALID_RUNS);
  });

  test('ExternalDependency: both or neither of hostname and addresses, bad addresses, an IP as hostname', () => {
    const ports = [{ name: 'https', port: 443 }];
    const bad = fc.oneof(
      fc.constant({ ports, hostname: 'api.example.com', addresses: ['203.0.113.1'] }),
      fc.constant({ ports }),
      fc.constantFrom('127.0.0.1', '169.254.1.1', '0.0.0.0', '::1', 'not-an-ip', '10.0.0.0/8').map((a) => ({ ports, addresses: [a] })),
      fc.tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1, max: 254 })).map(([a, b]) => ({ ports, hostname: `10.0.${a}.${b}`, allowEgressToAnyAddress: true })),
    );
    fc.assert(fc.property(bad, (props) => refuses((chart) => new ExternalDependency(chart, 'Dep', props as any), 'test/Dep')), INVALID_RUNS);
  });

  test('TlsIngress: an IP, empty, upper-case or wildcard-in-the-middle host, an unsafe path', () => {
    const badHost = fc.oneof(fc.constant(''), fc.constant('10.0.0.1'), fc.constant('Shop.Example.com'), fc.constant('a.*.example.com'), fc.constant('shop_example.com'));
    const badPath = fc.constantFrom('api', '/a b', '/a;b', '/$1', '/a/../b', '/a//b', '/%2e');
    const bad = fc.oneof(badHost.map((h) => ({ host: h, path: '/' })), badPath.map((p) => ({ host: 'shop.example.com', path: p })));
    fc.assert(fc.property(bad, (rule) => refuses((chart) => {
      const web = new SecureService(chart, 'Web', { image: IMAGE, port: 8080 });
      new TlsIngress(chart, 'Public', {
        controller: IngressController.ingressNginx(),
        certificate: TlsCertificate.secret('tls'),
        rules: [{ ...rule, backend: IngressBackend.fromSecureService(web) }],
      });
    }, 'test/Public')), INVALID_RUNS);
  });
});
