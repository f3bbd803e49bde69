/**
 * Every place that takes a value made by a factory refuses one made from bad input, naming the
 * construct path and the field, then the factory's call and its message (src/core/value-checks.ts).
 */
import { Chart } from 'cdk8s';
import {
  ClusterDns, ClusterGuardrails, DenyAllNamespace, ExternalDependency, GatewayImplementation, GatewayRoute, HeadlessStatefulEndpoint, IngressBackend,
  IngressController, Peer, PolicyEngine, Port, SecureService, ServiceMesh, SharedGateway, TlsCertificate, TlsGateway, TlsIngress, WorkloadPolicy,
} from '../../src';
import { expectRefusedAtConstruction } from '../util/bad-input';

const IMAGE = 'ghcr.io/acme/app:1.0.0';
const BAD_PORT = 'Port.tcp(0): port 0 is not a port; a port must be an integer 1-65535.';
const BAD_CIDR = 'Peer.ipBlock(\'10.0.0.0/33\'): "10.0.0.0/33" is not a CIDR; write an address and a prefix length, e.g. 10.0.0.0/8 or 2001:db8::/32.';
const BAD_SECRET = 'TlsCertificate.secret(\'Shop_TLS\'): secretName "Shop_TLS" is not a Secret name; it must consist of lower case alphanumeric characters, \'-\' or \'.\', and each label must start and end with an alphanumeric character.';
const BAD_ENVOY = 'GatewayImplementation.envoyGateway: className "Not_A_Class" is not a GatewayClass name; it must consist of lower case alphanumeric characters, \'-\' or \'.\', and each label must start and end with an alphanumeric character.';
const BAD_MESH = 'ServiceMesh.istio: revision "1 30" is not a label value; use the revision name istiod was installed with (e.g. \'1-30\').';
const web = (c: Chart) => new SecureService(c, 'Web', { image: IMAGE, port: 8080 });
const rules = (c: Chart) => [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web(c)) }];

test.each<[string, (c: Chart) => unknown, string]>([
  ['a peer in WorkloadPolicy.addIngressRule', (c) => new WorkloadPolicy(c, 'Policy', { name: 'p', podSelector: {} }).addIngressRule(Peer.ipBlock('10.0.0.0/33'), []),
    `test/Policy: WorkloadPolicy.addIngressRule: peer: ${BAD_CIDR}`],
  ['a port in WorkloadPolicy.addEgressRule', (c) => new WorkloadPolicy(c, 'Policy', { name: 'p', podSelector: {} }).addEgressRule(Peer.namespace('ops'), [Port.tcp(0)]),
    `test/Policy: WorkloadPolicy.addEgressRule: ports[0]: ${BAD_PORT}`],
  ['a port in allowFrom', (c) => web(c).allowFrom(Peer.namespace('ops'), Port.tcp(0)), `test/Web: allowFrom(ns:ops): ports[0]: ${BAD_PORT}`],
  ['a peer in DenyAllNamespace.allowTo', (c) => new DenyAllNamespace(c, 'Ns').allowTo(Peer.ipBlock('10.0.0.0/33')), `test/Ns: allowTo(other): ${BAD_CIDR}`],
  ['a HeadlessStatefulEndpoint peer port', (c) => new HeadlessStatefulEndpoint(c, 'Db', { image: IMAGE, ports: [{ name: 'pg', port: 5432 }], peerPorts: [Port.tcp(0)] }),
    `test/Db: HeadlessStatefulEndpoint.peerPorts[0]: ${BAD_PORT}`],
  ['an ExternalDependency egressTo peer', (c) => new ExternalDependency(c, 'Dep', { hostname: 'api.example.com', ports: [{ name: 'https', port: 443 }], egressTo: [Peer.ipBlock('10.0.0.0/33')] }),
    `test/Dep: ExternalDependency.egressTo[0]: ${BAD_CIDR}`],
  ['a ClusterGuardrails monitoring port', (c) => new ClusterGuardrails(c, 'Guardrails').allowMonitoring({ namespace: 'monitoring', ports: [Port.tcp(0)] }),
    `test/Guardrails: ClusterGuardrails.allowMonitoring: ports[0]: ${BAD_PORT}`],
  ['a TlsIngress controller', (c) => new TlsIngress(c, 'Ing', { controller: IngressController.traefik({ podLabels: {} }), certificate: TlsCertificate.secret('tls'), rules: rules(c) }),
    'test/Ing: TlsIngress.controller: IngressController.traefik: podLabels is empty; an empty selector would name every pod of the namespace.'],
  ['a TlsIngress default backend', (c) => {
    const w = web(c);
    return new TlsIngress(c, 'Ing', {
      controller: IngressController.traefik(),
      certificate: TlsCertificate.secret('tls'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(w) }],
      defaultBackend: IngressBackend.fromSecureService(w, 'nope'),
    });
  }, 'test/Ing: TlsIngress.defaultBackend: IngressBackend.fromSecureService(web, \'nope\'): SecureService web has no port named "nope"; its ports are http.'],
  ['a TlsGateway certificate', (c) => new TlsGateway(c, 'Gw', { implementation: GatewayImplementation.envoyGateway(), certificate: TlsCertificate.secret('Shop_TLS'), rules: rules(c) }),
    `test/Gw: TlsGateway.certificate: ${BAD_SECRET}`],
  ['a TlsGateway data plane', (c) => new TlsGateway(c, 'Gw', { gatewayClassName: 'eg', dataPlane: Peer.ipBlock('10.0.0.0/33'), certificate: TlsCertificate.secret('tls'), rules: rules(c) }),
    `test/Gw: TlsGateway.dataPlane: ${BAD_CIDR}`],
  ['a SharedGateway implementation', (c) => new SharedGateway(c, 'Edge', { implementation: GatewayImplementation.envoyGateway({ className: 'Not_A_Class' }), hosts: ['a.example.com'], certificate: TlsCertificate.secret('tls') }),
    `test/Edge: SharedGateway.implementation: ${BAD_ENVOY}`],
  ['a SharedGateway certificate', (c) => new SharedGateway(c, 'Edge', { implementation: GatewayImplementation.envoyGateway(), hosts: ['a.example.com'], certificate: TlsCertificate.secret('Shop_TLS') }),
    `test/Edge: SharedGateway.certificate: ${BAD_SECRET}`],
  ['a GatewayRoute backend', (c) => new GatewayRoute(c, 'Routes', {
    gateway: new SharedGateway(c, 'Edge', { implementation: GatewayImplementation.envoyGateway(), hosts: ['a.example.com'], certificate: TlsCertificate.secret('tls') }),
    rules: [{ host: 'a.example.com', backend: IngressBackend.fromSecureService(web(c), 'nope') }],
  }), 'test/Routes: GatewayRoute.rules[0].backend: IngressBackend.fromSecureService(web, \'nope\'): SecureService web has no port named "nope"; its ports are http.'],
  ['the mesh of one workload', (c) => new SecureService(c, 'Api', { image: IMAGE, port: 8080, namespace: new DenyAllNamespace(c, 'Shop', { name: 'shop' }), mesh: { mesh: ServiceMesh.istio({ revision: '1 30' }) } }),
    `test/Api: SecureService.mesh.mesh: ${BAD_MESH}`],
  ['a policy engine', (c) => PolicyEngine.use(c, PolicyEngine.cilium({ dnsPort: 0 })),
    'test: PolicyEngine.use(engine): PolicyEngine.cilium: dnsPort 0 is not a port; give 1-65535.'],
  ['a cluster DNS port', (c) => new DenyAllNamespace(c, 'Ns', { clusterDns: ClusterDns.kubeDns({ ports: [Port.tcp(0)] }) }),
    `test/Ns: DenyAllNamespace.clusterDns: ClusterDns.kubeDns: ports[0]: ${BAD_PORT}`],
])('%s made from bad input is refused with the path and the field', (_n, build, message) => {
  expectRefusedAtConstruction(build, message);
});
