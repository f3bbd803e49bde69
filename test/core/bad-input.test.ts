import { Chart } from 'cdk8s';
import { ClusterDns, Connections, DenyAllNamespace, IPeer, NamespaceRef, Peer, Port, Protocol, SecureService, WorkloadPolicy } from '../../src';
import { errorOfUnusedValue, errorWhereUsed, expectRefusedAtConstruction } from '../util/bad-input';
import { newChart, synth } from '../util/synth';

const IMAGE = 'ghcr.io/acme/app:1.0.0';
const PORT_NAME = "a port name must consist of lower case alphanumeric characters or '-', must not start or end with '-' or contain '--'";
const NS_NAME = "it must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character";

/** web and api in the chart; api listens on http (Service 80 -> pod 8080). */
function pair(chart: Chart) {
  const web = new SecureService(chart, 'Web', { image: IMAGE, port: 8080 });
  const api = new SecureService(chart, 'Api', { image: IMAGE, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  return { web, api };
}

describe('a value made from bad input is refused where it is used, with the construct path and the field', () => {
  test.each<[string, () => unknown, string]>([
    ['Port.tcp(0)', () => Port.tcp(0), 'test/Web: allowTo(ns:ops): ports[0]: Port.tcp(0): port 0 is not a port; a port must be an integer 1-65535.'],
    ['Port.udp above 65535', () => Port.udp(65536), 'test/Web: allowTo(ns:ops): ports[0]: Port.udp(65536): port 65536 is not a port; a port must be an integer 1-65535.'],
    ['a fractional Port.sctp', () => Port.sctp(1.5), 'test/Web: allowTo(ns:ops): ports[0]: Port.sctp(1.5): port 1.5 is not a port; a port must be an integer 1-65535.'],
    ['Port.tcpRange(90, 80)', () => Port.tcpRange(90, 80), 'test/Web: allowTo(ns:ops): ports[0]: Port.tcpRange(90, 80): the range ends before it starts; give the lower port first (80, 90).'],
    ['Port.udpRange starting at 0', () => Port.udpRange(0, 10), 'test/Web: allowTo(ns:ops): ports[0]: Port.udpRange(0, 10): from 0 is not a port; a port must be an integer 1-65535.'],
    ['Port.range ending above 65535', () => Port.range(Protocol.SCTP, 1, 70000), 'test/Web: allowTo(ns:ops): ports[0]: Port.range(Protocol.SCTP, 1, 70000): to 70000 is not a port; a port must be an integer 1-65535.'],
    ["Port.named('HTTP')", () => Port.named('HTTP'), `test/Web: allowTo(ns:ops): ports[0]: Port.named('HTTP'): "HTTP" is not a port name; ${PORT_NAME}.`],
    ['Port.named with a trailing dash', () => Port.named('http-'), `test/Web: allowTo(ns:ops): ports[0]: Port.named('http-'): "http-" is not a port name; ${PORT_NAME}.`],
    ['Port.named longer than 15', () => Port.named('prometheus-metrics'),
      "test/Web: allowTo(ns:ops): ports[0]: Port.named('prometheus-metrics'): \"prometheus-metrics\" is not a port name; it has 18 characters; a port name has at most 15."],
    ['Port.named without a letter', () => Port.named('8080'), "test/Web: allowTo(ns:ops): ports[0]: Port.named('8080'): \"8080\" is not a port name; a port name must contain at least one letter."],
    ['Peer.ipBlock of an address', () => Peer.ipBlock('10.0.0.1'),
      "test/Web: allowFrom(other): Peer.ipBlock('10.0.0.1'): \"10.0.0.1\" is not a CIDR; write an address and a prefix length, e.g. 10.0.0.0/8 or 2001:db8::/32."],
    ['Peer.ipBlock with a prefix above 32', () => Peer.ipBlock('10.0.0.0/33'),
      "test/Web: allowFrom(other): Peer.ipBlock('10.0.0.0/33'): \"10.0.0.0/33\" is not a CIDR; write an address and a prefix length, e.g. 10.0.0.0/8 or 2001:db8::/32."],
    ['Peer.ipBlock with host bits set', () => Peer.ipBlock('10.1.2.3/8'),
      "test/Web: allowFrom(other): Peer.ipBlock('10.1.2.3/8'): \"10.1.2.3/8\" has bits set after the prefix; did you mean 10.0.0.0/8?"],
    ['Peer.ipBlock in a non-canonical IPv6 spelling', () => Peer.ipBlock('2001:DB8::/32'),
      "test/Web: allowFrom(other): Peer.ipBlock('2001:DB8::/32'): \"2001:DB8::/32\" is not in canonical form; write it as 2001:db8::/32."],
    ['Peer.ipBlock of every IPv4 address', () => Peer.ipBlock('0.0.0.0/0'),
      "test/Web: allowFrom(other): Peer.ipBlock('0.0.0.0/0'): \"0.0.0.0/0\" is every address; use Peer.anyIpv4() to open the whole internet explicitly."],
    ['Peer.ipBlock of every IPv6 address', () => Peer.ipBlock('::/0'),
      "test/Web: allowFrom(other): Peer.ipBlock('::/0'): \"::/0\" is every address; use Peer.anyIpv6() to open the whole internet explicitly."],
    ['an except outside the block', () => Peer.ipBlock('10.0.0.0/8', ['192.168.0.0/16']),
      "test/Web: allowFrom(other): Peer.ipBlock('10.0.0.0/8', ['192.168.0.0/16']): except \"192.168.0.0/16\" is not strictly inside 10.0.0.0/8; each except must be a smaller block within the CIDR."],
    ['an except with host bits set', () => Peer.ipBlock('10.0.0.0/8', ['10.1.0.1/16']),
      "test/Web: allowFrom(other): Peer.ipBlock('10.0.0.0/8', ['10.1.0.1/16']): except \"10.1.0.1/16\" has bits set after the prefix; did you mean 10.1.0.0/16?"],
    ['an except listed twice', () => Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16', '10.1.0.0/16']),
      "test/Web: allowFrom(other): Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16', '10.1.0.0/16']): except lists 10.1.0.0/16 twice; list each block once."],
    ['an except equal to the block', () => Peer.ipBlock('10.0.0.0/8', ['10.0.0.0/8']),
      "test/Web: allowFrom(other): Peer.ipBlock('10.0.0.0/8', ['10.0.0.0/8']): except \"10.0.0.0/8\" is not strictly inside 10.0.0.0/8; each except must be a smaller block within the CIDR."],
    ['an except that is not a CIDR', () => Peer.ipBlock('10.0.0.0/8', ['10.1.0.0']),
      "test/Web: allowFrom(other): Peer.ipBlock('10.0.0.0/8', ['10.1.0.0']): except \"10.1.0.0\" is not a CIDR."],
    ['an IPv6 except of Peer.anyIpv4', () => Peer.anyIpv4(['fd00::/8']),
      'test/Web: allowFrom(other): Peer.anyIpv4: except "fd00::/8" is an IPv6 block, but 0.0.0.0/0 is IPv4; one ipBlock covers one address family, so give each family its own peer (Peer.anyIpv6([...]) for IPv6).'],
    ['Peer.namespace with upper case letters', () => Peer.namespace('Monitoring'),
      `test/Web: allowFrom(other): Peer.namespace('Monitoring'): "Monitoring" is not a namespace name; ${NS_NAME}.`],
    ['Peer.namespaces without labels', () => Peer.namespaces({ labels: {} }),
      'test/Web: allowFrom(other): Peer.namespaces: labels is empty; give at least one label (an empty selector selects everything).'],
    ['Peer.pods with a bad label value', () => Peer.pods({ labels: { app: 'a b' } }),
      "test/Web: allowFrom(other): Peer.pods: label value \"a b\" of \"app\" is invalid; it must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric."],
    ['Peer.pods in a namespace with an underscore', () => Peer.pods({ labels: { app: 'prom' }, namespace: 'ops_tools' }),
      `test/Web: allowFrom(other): Peer.pods: namespace "ops_tools" is not a namespace name; ${NS_NAME}.`],
    ['NamespaceRef.named with upper case letters', () => NamespaceRef.named('Ops'),
      `test/Svc: SecureService.namespace: NamespaceRef.named('Ops'): "Ops" is not a namespace name; ${NS_NAME}.`],
    ['a cluster DNS namespace with a space', () => ClusterDns.kubeDns({ namespace: 'kube system' }),
      `test/Ns: DenyAllNamespace.clusterDns: ClusterDns.kubeDns: namespace "kube system" is not a namespace name; ${NS_NAME}.`],
    ['a cluster DNS without ports', () => ClusterDns.kubeDns({ ports: [] }),
      'test/Ns: DenyAllNamespace.clusterDns: ClusterDns.kubeDns: ports is empty; DNS needs at least one port (usually UDP and TCP 53).'],
    ['a cluster domain with a trailing dot', () => ClusterDns.kubeDns({ clusterDomain: 'cluster.local.' }),
      "test/Ns: DenyAllNamespace.clusterDns: ClusterDns.kubeDns: clusterDomain \"cluster.local.\" is not a DNS domain; it must consist of lower case alphanumeric characters, '-' or '.', and each label must start and end with an alphanumeric character."],
    ['a NodeLocal DNSCache address that is not an address', () => ClusterDns.nodeLocalDnsCache({ address: 'node-local' }),
      'test/Ns: DenyAllNamespace.clusterDns: ClusterDns.nodeLocalDnsCache: address "node-local" is not an IP address.'],
  ])('%s', (_description, make, message) => {
    expect(errorWhereUsed(make)).toBe(message);
  });
});

describe('connections refuse bad input when they are made', () => {
  test.each<[string, (chart: Chart) => void, string]>([
    ['a TCP port the destination does not listen on (its Service port)', (chart) => { const { web, api } = pair(chart); web.allowTo(api, Port.tcp(80)); },
      'test/Web: allowTo(api): SecureService api does not listen on TCP 80; its container ports are TCP 8080. NetworkPolicies match the pod port, not the Service port: use one of these or Port.named(...).'],
    ["Port.named('nope') for a destination without it", (chart) => { const { web, api } = pair(chart); api.allowFrom(web, Port.named('nope')); },
      'test/Api: allowFrom(web): SecureService api has no TCP port named "nope"; its ports are http.'],
    ['a named port of the wrong protocol', (chart) => { const { web, api } = pair(chart); web.allowTo(api, Port.named('http', Protocol.UDP)); },
      'test/Web: allowTo(api): SecureService api has no UDP port named "http"; its ports are http.'],
    ['connecting across namespaces when one side has no namespace', (chart) => {
      const { api } = pair(chart);
      const shop = new DenyAllNamespace(chart, 'Shop');
      const db = new SecureService(chart, 'Db', { image: IMAGE, port: 5432, namespace: shop });
      api.allowTo(db);
    }, 'test/Api: allowTo(shop/db): api has no namespace while the other end is in namespace "shop"; set the namespace of both so the rules can name each other across namespaces.'],
    ['a WorkloadPolicy without any direction', (chart) => new WorkloadPolicy(chart, 'Policy', { name: 'p', podSelector: {}, ingress: false, egress: false }),
      'test/Policy: WorkloadPolicy.ingress and WorkloadPolicy.egress are both false; a policy needs at least one direction.'],
    ['an ingress rule on an egress-only WorkloadPolicy', (chart) => {
      new WorkloadPolicy(chart, 'Policy', { name: 'p', podSelector: {}, ingress: false }).addIngressRule(Peer.namespace('ops'), []);
    }, 'test/Policy: cannot add an ingress rule from ns:ops: this policy does not cover ingress (WorkloadPolicy.ingress is false).'],
    ['a WorkloadPolicy name with upper case letters', (chart) => new WorkloadPolicy(chart, 'Policy', { name: 'P', podSelector: {} }),
      "test/Policy: WorkloadPolicy.name \"P\" is not a valid NetworkPolicy name; it must consist of lower case alphanumeric characters, '-' or '.', and each label must start and end with an alphanumeric character."],
    ['connecting two ends that no policy manages', () => Peer.namespace('a').connections.allowTo(Peer.ipBlock('10.0.0.0/8')),
      "Peer.namespace('a').connections.allowTo(10.0.0.0/8): neither end is managed by this library, so there is no policy to write the rule into."],
  ])('%s', (_description, build, message) => {
    expectRefusedAtConstruction(build, message);
  });
});

describe('a value made from bad input never renders', () => {
  test('made and given to no construct, it fails the synth of the app, before anything is written', () => {
    expect(errorOfUnusedValue(() => Peer.ipBlock('nonsense'))).toBe(
      'bad input to a value factory; no construct of this library was given the value, so no construct path can be named:\n'
      + '  Peer.ipBlock(\'nonsense\'): "nonsense" is not a CIDR; write an address and a prefix length, e.g. 10.0.0.0/8 or 2001:db8::/32.');
  });

  test('every unused bad value is listed, each once: a second synth passes', () => {
    const chart = newChart();
    new DenyAllNamespace(chart, 'Ns');
    Port.tcp(0);
    ClusterDns.kubeDns({ ports: [] });
    expect(() => synth(chart)).toThrow(new Error(
      'bad input to a value factory; no construct of this library was given the value, so no construct path can be named:\n'
      + '  Port.tcp(0): port 0 is not a port; a port must be an integer 1-65535.\n'
      + '  ClusterDns.kubeDns: ports is empty; DNS needs at least one port (usually UDP and TCP 53).'));
    expect(() => synth(chart)).not.toThrow();
  });

  test('a value refused where it was used is not reported again at synth', () => {
    const chart = newChart();
    const web = new SecureService(chart, 'Web', { image: IMAGE, port: 8080 });
    const bad = Peer.ipBlock('10.0.0.0/33');
    expect(() => web.allowFrom(bad)).toThrow(/^test\/Web: allowFrom\(other\): Peer.ipBlock/);
    expect(() => synth(chart)).not.toThrow();
  });

  test('a bad value inside a peer of the app\'s own making throws its message when rendered, and synth fails first', () => {
    const chart = newChart();
    const web = new SecureService(chart, 'Web', { image: IMAGE, port: 8080 });
    const bad = Peer.ipBlock('10.0.0.0/33');
    const wrapped: IPeer = { peerId: 'wrapped', get connections() { return new Connections({ peer: wrapped }); }, toPeerSpecs: (ns) => bad.toPeerSpecs(ns) };
    web.allowFrom(wrapped);
    expect(() => synth(chart)).toThrow(/^bad input to a value factory; .*\n  Peer.ipBlock\('10.0.0.0\/33'\): "10.0.0.0\/33" is not a CIDR/);
    expect(() => bad.toPeerSpecs()).toThrow(new Error('Peer.ipBlock(\'10.0.0.0/33\'): "10.0.0.0/33" is not a CIDR; write an address and a prefix length, e.g. 10.0.0.0/8 or 2001:db8::/32.'));
  });

  test('in messages an invalid value reads as its call', () => {
    const bad = Port.tcp(0);
    expect(`${bad}`).toBe('Port.tcp(0)');
    expect(bad).toBeInstanceOf(Port);
    expect(() => bad.portNumber).toThrow('Port.tcp(0): port 0 is not a port');
  });
});
