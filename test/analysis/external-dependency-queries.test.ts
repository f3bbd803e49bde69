/*
 * An ExternalDependency is something a connection names (README: "an ExternalDependency | one ipBlock per address"), so
 * the unit-test entry points take it like a SecureService: NetworkAnalysis.isConnectionAllowed / explainConnection /
 * allowedConnectionsBetween, ExpectConnection and the jest matchers. It stands for its addresses (or egressTo blocks),
 * or, for a DNS name that only a DNS-aware engine allows (Cilium toFQDNs), for that name (`<host>[FQDN]`). Before: a
 * TypeScript error, and in JavaScript "peer.toPeerSpecs is not a function".
 */
import { ExpectConnection, ExternalDependency, NetworkAnalysis, Peer, PolicyEngine, Port } from '../../src';
import { DenyAllNamespace } from '../../src/namespace/deny-all-namespace';
import { SecureService } from '../../src/service/secure-service';
import { newChart } from '../util/synth';

function shop(engine?: PolicyEngine) {
  const chart = newChart();
  if (engine) PolicyEngine.use(chart, engine);
  const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
  const api = new SecureService(chart, 'Api', { namespace: ns, image: 'ghcr.io/acme/api:1.4.2', port: 8080 });
  const web = new SecureService(chart, 'Web', { namespace: ns, image: 'ghcr.io/acme/web:2.0.0', port: 8080 });
  return { chart, ns, api, web };
}

describe('an ExternalDependency as a query endpoint', () => {
  test('by addresses: exactly its addresses on its ports', () => {
    const { chart, ns, api, web } = shop();
    const ledger = new ExternalDependency(chart, 'Ledger', { namespace: ns, addresses: ['198.51.100.21', '2001:db8::21'], ports: [{ name: 'pg', port: 5432 }] });
    api.allowTo(ledger);
    const net = NetworkAnalysis.fromChart(chart);
    expect(net.isConnectionAllowed(api, ledger, Port.tcp(5432))).toBe(true);
    expect(net.isConnectionAllowed(api, ledger, Port.tcp(443))).toBe(false);
    expect(net.isConnectionAllowed(web, ledger, Port.tcp(5432))).toBe(false);
    expect(net.allowedConnectionsBetween(api, ledger)).toBe('TCP 5432');
    expect(() => ExpectConnection.inChart(chart).from(api).to(ledger).onPort(Port.tcp(5432)).isAllowed()).not.toThrow();
    expect(() => ExpectConnection.inChart(chart).from(web).to(ledger).isDenied()).not.toThrow();
  });

  test('by DNS name with egressTo: the blocks it resolves to', () => {
    const { chart, ns, api } = shop();
    const pay = new ExternalDependency(chart, 'Pay', {
      namespace: ns, hostname: 'api.payments.example', ports: [{ name: 'https', port: 443 }], egressTo: [Peer.ipBlock('203.0.113.0/24')],
    });
    api.allowTo(pay);
    expect(NetworkAnalysis.fromChart(chart).isConnectionAllowed(api, pay, Port.tcp(443))).toBe(true);
  });

  test('by DNS name under Cilium (toFQDNs): the name itself', () => {
    const { chart, ns, api, web } = shop(PolicyEngine.cilium());
    const pay = new ExternalDependency(chart, 'Pay', { namespace: ns, hostname: 'api.payments.example', ports: [{ name: 'https', port: 443 }] });
    api.allowTo(pay);
    const net = NetworkAnalysis.fromChart(chart);
    expect(net.isConnectionAllowed(api, pay, Port.tcp(443))).toBe(true);
    expect(net.isConnectionAllowed(web, pay, Port.tcp(443))).toBe(false);
    expect(net.isAllowed({ from: 'shop/api', to: 'api.payments.example[FQDN]', port: 443 })).toBe(true);
  });

  test('something that is neither a construct of this library nor a peer is refused by name', () => {
    const { chart, api } = shop();
    expect(() => NetworkAnalysis.fromChart(chart).isConnectionAllowed(api, 'shop/db' as any)).toThrow(
      'NetworkAnalysis.explainConnection: to is the string "shop/db"; give a construct of this library (SecureService, ExternalDependency, ...) or a Peer, or query by name with isAllowed({ from, to }).');
  });
});
