/*
 * Port.allTraffic() next to other ports in one list (issue #13): all traffic would absorb the
 * others, so the user asked for two different things. It is refused at the call that took the
 * list, naming the construct path and the field, never narrowed or widened for them. Before this,
 * WorkloadPolicy.addIngressRule([Port.named('http'), Port.allTraffic()]) failed at synth with a
 * bare TypeError from the NetworkPolicy's serializer, and so did Port.allTraffic() alone there.
 */
import { ClusterDns, ClusterGuardrails, DenyAllNamespace, GuardrailAction, Peer, Port, SecureService, WorkloadPolicy } from '../../src';
import { HeadlessStatefulEndpoint } from '../../src/stateful/headless-stateful-endpoint';
import { expectRefusedAtConstruction } from '../util/bad-input';
import { newChart, one, synth } from '../util/synth';

const IMAGE = 'ghcr.io/acme/app:1.0.0';
const ADVICE = 'give Port.allTraffic() alone for every port, or leave it out to allow only';

function policy() {
  const chart = newChart('test', 'shop');
  const p = new WorkloadPolicy(chart, 'Policy', { name: 'p', podSelector: { matchLabels: { app: 'a' } } });
  return { chart, p };
}

describe('Port.allTraffic() next to other ports is refused at the call, with the construct path and the field', () => {
  test('WorkloadPolicy.addIngressRule', () => {
    const { p } = policy();
    expect(() => p.addIngressRule(Peer.namespace('ops'), [Port.named('http'), Port.allTraffic()])).toThrow(
      `test/Policy: WorkloadPolicy.addIngressRule: ports[1] is Port.allTraffic(), which allows every port of every protocol, next to TCP http; ${ADVICE} TCP http.`);
    expect(p.ingressRules).toEqual([]);
  });

  test('WorkloadPolicy.addEgressRule', () => {
    const { p } = policy();
    expect(() => p.addEgressRule(Peer.namespace('ops'), [Port.allTraffic(), Port.tcp(443), Port.udp(53)])).toThrow(
      `test/Policy: WorkloadPolicy.addEgressRule: ports[0] is Port.allTraffic(), which allows every port of every protocol, next to TCP 443, UDP 53; ${ADVICE} TCP 443, UDP 53.`);
    expect(p.egressRules).toEqual([]);
  });

  test('Port.allTraffic() alone, or [], still means every port (a rule without ports)', () => {
    const { chart, p } = policy();
    p.addIngressRule(Peer.namespace('ops'), [Port.allTraffic()]);
    p.addEgressRule(Peer.namespace('ops'), []);
    const spec = one(synth(chart), 'NetworkPolicy', 'p').spec;
    expect(spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }] }]);
    expect(spec.egress).toEqual([{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }] }]);
  });

  test('SecureService.allowFrom and allowTo', () => {
    const chart = newChart('test', 'shop');
    const web = new SecureService(chart, 'Web', { image: IMAGE, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
    expect(() => web.allowFrom(Peer.namespace('ops'), Port.named('http'), Port.allTraffic())).toThrow(
      `test/Web: allowFrom(ns:ops): ports[1] is Port.allTraffic(), which allows every port of every protocol, next to TCP http; ${ADVICE} TCP http.`);
    expect(() => web.allowTo(Peer.namespace('ops'), Port.allTraffic(), Port.tcp(443))).toThrow(
      `test/Web: allowTo(ns:ops): ports[0] is Port.allTraffic(), which allows every port of every protocol, next to TCP 443; ${ADVICE} TCP 443.`);
    expect(web.networkPolicy.ingressRules).toEqual([]);
    expect(web.networkPolicy.egressRules.map((r) => r.peer.peerId)).not.toContain('ns:ops');
  });

  test('HeadlessStatefulEndpoint.allowFrom/allowTo and peerPorts', () => {
    const chart = newChart('test');
    const shop = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
    const db = new HeadlessStatefulEndpoint(chart, 'Db', { namespace: shop, image: IMAGE, ports: [{ name: 'pg', port: 5432 }] });
    expect(() => db.allowFrom(Peer.namespace('ops'), Port.tcp(5432), Port.allTraffic())).toThrow(
      `test/Db: allowFrom(ns:ops): ports[1] is Port.allTraffic(), which allows every port of every protocol, next to TCP 5432; ${ADVICE} TCP 5432.`);
    expect(() => db.allowTo(Peer.namespace('ops'), Port.allTraffic(), Port.tcp(443))).toThrow(
      `test/Db: allowTo(ns:ops): ports[0] is Port.allTraffic(), which allows every port of every protocol, next to TCP 443; ${ADVICE} TCP 443.`);
    expect(() => new HeadlessStatefulEndpoint(chart, 'Db2', {
      namespace: shop, image: IMAGE, ports: [{ name: 'pg', port: 5432 }], peerPorts: [Port.named('pg'), Port.allTraffic()],
    })).toThrow(`test/Db2: HeadlessStatefulEndpoint.peerPorts[1] is Port.allTraffic(), which allows every port of every protocol, next to TCP pg; ${ADVICE} TCP pg.`);
  });

  test('DenyAllNamespace.allowFrom and allowTo', () => {
    const chart = newChart('test');
    const shop = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
    expect(() => shop.allowFrom(Peer.namespace('ops'), Port.allTraffic(), Port.udp(53))).toThrow(
      `test/Shop: allowFrom(ns:ops): ports[0] is Port.allTraffic(), which allows every port of every protocol, next to UDP 53; ${ADVICE} UDP 53.`);
    expect(() => shop.allowTo(Peer.namespace('ops'), Port.tcp(443), Port.allTraffic())).toThrow(
      `test/Shop: allowTo(ns:ops): ports[1] is Port.allTraffic(), which allows every port of every protocol, next to TCP 443; ${ADVICE} TCP 443.`);
  });

  test('ClusterGuardrails.dnsPorts and addIngressRule/addEgressRule ports', () => {
    const chart = newChart('test');
    expect(() => new ClusterGuardrails(chart, 'G1', { dnsPorts: [Port.DNS_UDP, Port.allTraffic()] })).toThrow(
      `test/G1: ClusterGuardrails.dnsPorts[1] is Port.allTraffic(), which allows every port of every protocol, next to UDP 53; ${ADVICE} UDP 53.`);
    const g = new ClusterGuardrails(chart, 'G2');
    for (const method of ['addIngressRule', 'addEgressRule'] as const) {
      expect(() => g[method]({ name: 'r', action: GuardrailAction.DENY, peers: [Peer.namespace('legacy')], ports: [Port.tcp(22), Port.allTraffic()] })).toThrow(
        `test/G2: ClusterGuardrails.${method}: ports[1] is Port.allTraffic(), which allows every port of every protocol, next to TCP 22; ${ADVICE} TCP 22.`);
    }
  });

  test('ClusterDns.kubeDns and nodeLocalDnsCache ports (refused where the value is used)', () => {
    for (const [call, dns, other] of [
      ['kubeDns', () => ClusterDns.kubeDns({ ports: [Port.DNS_UDP, Port.allTraffic()] }), 'UDP 53'],
      ['nodeLocalDnsCache', () => ClusterDns.nodeLocalDnsCache({ ports: [Port.allTraffic(), Port.DNS_TCP] }), 'TCP 53'],
    ] as const) {
      const i = call === 'kubeDns' ? 1 : 0;
      expectRefusedAtConstruction((chart) => new DenyAllNamespace(chart, 'Ns', { clusterDns: dns() }),
        `test/Ns: DenyAllNamespace.clusterDns: ClusterDns.${call}: ports[${i}] is Port.allTraffic(), which allows every port of every protocol, next to ${other}; ${ADVICE} ${other}.`);
    }
  });
});
