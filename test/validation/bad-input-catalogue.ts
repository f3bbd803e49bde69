/**
 * A catalogue of invalid input across the library, with the inputs that jsii callers (Python,
 * Java, Go, .NET) and plain JavaScript can pass but TypeScript's types would stop: missing
 * required props, null, NaN, wrong types. Each case names where the error must come from: the
 * construct path (`test/Svc`) or the call (`Port.tcp(...)`).
 */
import { Chart } from 'cdk8s';
import {
  ClusterDns, DenyAllNamespace, ExternalDependency, HeadlessStatefulEndpoint, IngressBackend, IngressController, NamespaceRef, Peer, Port,
  SecureService, TlsCertificate, TlsIngress, WorkloadPolicy,
} from '../../src';

export interface BadInput {
  readonly description: string;
  readonly build: (chart: Chart) => unknown;
  /** The start of the message: the construct path or the call. */
  readonly from: string;
  /**
   * Set while the input still escapes our checks (a TypeError, or output is produced): the
   * catalogue test then requires it to fail, so fixing it turns the test red until this is removed.
   */
  readonly openDefect?: true;
}

const IMAGE = 'ghcr.io/acme/app:1.0.0';
const any = (v: unknown) => v as any;
const web = (chart: Chart) => new SecureService(chart, 'Web', { image: IMAGE, port: 8080 });

export const BAD_INPUTS: BadInput[] = [
  // SecureService
  { description: 'SecureService with an empty props object', build: (c) => new SecureService(c, 'Svc', any({})), from: 'test/Svc' },
  { description: 'SecureService without an image', build: (c) => new SecureService(c, 'Svc', any({ port: 8080 })), from: 'test/Svc' },
  { description: 'SecureService with a null image', build: (c) => new SecureService(c, 'Svc', any({ image: null, port: 8080 })), from: 'test/Svc' },
  { description: 'SecureService with a port given as a string', build: (c) => new SecureService(c, 'Svc', any({ image: IMAGE, port: '8080' })), from: 'test/Svc' },
  { description: 'SecureService with NaN as port', build: (c) => new SecureService(c, 'Svc', { image: IMAGE, port: Number.NaN }), from: 'test/Svc' },
  { description: 'SecureService with a port entry without a name', build: (c) => new SecureService(c, 'Svc', any({ image: IMAGE, ports: [{ port: 80 }] })), from: 'test/Svc' },
  { description: 'SecureService with a null port entry', build: (c) => new SecureService(c, 'Svc', any({ image: IMAGE, ports: [null] })), from: 'test/Svc', openDefect: true },
  { description: 'SecureService with replicas as a string', build: (c) => new SecureService(c, 'Svc', any({ image: IMAGE, port: 8080, replicas: '2' })), from: 'test/Svc' },
  { description: 'SecureService with a label value that is a number', build: (c) => new SecureService(c, 'Svc', any({ image: IMAGE, port: 8080, labels: { tier: 1 } })), from: 'test/Svc', openDefect: true },
  { description: 'SecureService with an unknown serviceType', build: (c) => new SecureService(c, 'Svc', any({ image: IMAGE, port: 8080, serviceType: 'ExternalName' })), from: 'test/Svc' },
  { description: 'SecureService with writablePaths as a string', build: (c) => new SecureService(c, 'Svc', any({ image: IMAGE, port: 8080, writablePaths: '/tmp' })), from: 'test/Svc', openDefect: true },
  { description: 'SecureService with a null environment value', build: (c) => new SecureService(c, 'Svc', any({ image: IMAGE, port: 8080, env: { A: null } })), from: 'test/Svc', openDefect: true },
  // DenyAllNamespace
  { description: 'DenyAllNamespace with a numeric name', build: (c) => new DenyAllNamespace(c, 'Ns', any({ name: 42 })), from: 'test/Ns', openDefect: true },
  { description: 'DenyAllNamespace with an unknown podSecurity level', build: (c) => new DenyAllNamespace(c, 'Ns', any({ podSecurity: 'strict' })), from: 'test/Ns' },
  { description: 'DenyAllNamespace with allowFromNamespaces as a string', build: (c) => new DenyAllNamespace(c, 'Ns', any({ allowFromNamespaces: 'ops' })), from: 'test/Ns', openDefect: true },
  { description: 'DenyAllNamespace with a null allowFromNamespaces entry', build: (c) => new DenyAllNamespace(c, 'Ns', any({ allowFromNamespaces: [null] })), from: 'test/Ns', openDefect: true },
  // HeadlessStatefulEndpoint
  { description: 'HeadlessStatefulEndpoint with an empty props object', build: (c) => new HeadlessStatefulEndpoint(c, 'Db', any({})), from: 'test/Db' },
  { description: 'HeadlessStatefulEndpoint without ports', build: (c) => new HeadlessStatefulEndpoint(c, 'Db', any({ image: IMAGE })), from: 'test/Db' },
  { description: 'HeadlessStatefulEndpoint with replicas NaN', build: (c) => new HeadlessStatefulEndpoint(c, 'Db', { image: IMAGE, ports: [{ name: 'pg', port: 5432 }], replicas: Number.NaN }), from: 'test/Db' },
  { description: 'HeadlessStatefulEndpoint with storage but no size', build: (c) => new HeadlessStatefulEndpoint(c, 'Db', any({ image: IMAGE, ports: [{ name: 'pg', port: 5432 }], storage: {} })), from: 'test/Db', openDefect: true },
  // ExternalDependency
  { description: 'ExternalDependency with an empty props object', build: (c) => new ExternalDependency(c, 'Dep', any({})), from: 'test/Dep' },
  { description: 'ExternalDependency with addresses as a string', build: (c) => new ExternalDependency(c, 'Dep', any({ addresses: '203.0.113.1', ports: [{ name: 'https', port: 443 }] })), from: 'test/Dep', openDefect: true },
  { description: 'ExternalDependency with a null address', build: (c) => new ExternalDependency(c, 'Dep', any({ addresses: [null], ports: [{ name: 'https', port: 443 }] })), from: 'test/Dep', openDefect: true },
  { description: 'ExternalDependency with a numeric hostname', build: (c) => new ExternalDependency(c, 'Dep', any({ hostname: 42, ports: [{ name: 'https', port: 443 }], allowEgressToAnyAddress: true })), from: 'test/Dep', openDefect: true },
  { description: 'ExternalDependency with a null egressTo peer', build: (c) => new ExternalDependency(c, 'Dep', any({ hostname: 'api.example.com', ports: [{ name: 'https', port: 443 }], egressTo: [null] })), from: 'test/Dep', openDefect: true },
  // TlsIngress
  { description: 'TlsIngress with an empty props object', build: (c) => new TlsIngress(c, 'Public', any({})), from: 'test/Public' },
  { description: 'TlsIngress without rules', build: (c) => new TlsIngress(c, 'Public', any({ controller: IngressController.ingressNginx(), certificate: TlsCertificate.secret('tls') })), from: 'test/Public' },
  { description: 'TlsIngress with a rule without backend', build: (c) => new TlsIngress(c, 'Public', any({ controller: IngressController.ingressNginx(), certificate: TlsCertificate.secret('tls'), rules: [{ host: 'a.example.com' }] })), from: 'test/Public', openDefect: true },
  { description: 'TlsIngress with a null rule', build: (c) => new TlsIngress(c, 'Public', any({ controller: IngressController.ingressNginx(), certificate: TlsCertificate.secret('tls'), rules: [null] })), from: 'test/Public', openDefect: true },
  { description: 'TlsIngress with a numeric host', build: (c) => new TlsIngress(c, 'Public', any({ controller: IngressController.ingressNginx(), certificate: TlsCertificate.secret('tls'), rules: [{ host: 42, backend: IngressBackend.fromSecureService(web(c)) }] })), from: 'test/Public', openDefect: true },
  // WorkloadPolicy
  { description: 'WorkloadPolicy without a name', build: (c) => new WorkloadPolicy(c, 'Policy', any({ podSelector: {} })), from: 'test/Policy', openDefect: true },
  // Connections
  { description: 'allowFrom(undefined)', build: (c) => web(c).allowFrom(any(undefined)), from: 'test/Web', openDefect: true },
  { description: 'allowTo(null)', build: (c) => web(c).allowTo(any(null)), from: 'test/Web', openDefect: true },
  { description: 'allowTo with a null port', build: (c) => web(c).allowTo(Peer.namespace('ops'), any(null)), from: 'test/Web', openDefect: true },
  // Value classes
  { description: 'Port.tcp with a string', build: () => Port.tcp(any('80')), from: 'Port.tcp(80)' },
  { description: 'Port.named with a number', build: () => Port.named(any(80)), from: 'Port.named(80)', openDefect: true },
  { description: 'Peer.ipBlock(undefined)', build: () => Peer.ipBlock(any(undefined)), from: "Peer.ipBlock('undefined')" },
  { description: 'Peer.namespace with a number', build: () => Peer.namespace(any(7)), from: "Peer.namespace('7')", openDefect: true },
  { description: 'Peer.pods without labels', build: () => Peer.pods(any({ namespace: 'ops' })), from: 'Peer.pods', openDefect: true },
  { description: 'NamespaceRef.named(null)', build: () => NamespaceRef.named(any(null)), from: "NamespaceRef.named('null')", openDefect: true },
  { description: 'TlsCertificate.secret(undefined)', build: () => TlsCertificate.secret(any(undefined)), from: 'TlsCertificate.secret', openDefect: true },
  { description: 'IngressBackend.fromSecureService(undefined)', build: () => IngressBackend.fromSecureService(any(undefined)), from: 'IngressBackend.fromSecureService', openDefect: true },
  { description: 'ClusterDns.kubeDns with ports as a string', build: () => ClusterDns.kubeDns(any({ ports: 'udp' })), from: 'ClusterDns.kubeDns', openDefect: true },
];
