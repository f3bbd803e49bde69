import { Testing } from 'cdk8s';
import { ExternalServices } from '../../examples/charts/external-services';
import { NetworkAnalysis } from '../../src';
import { ofKind, synth } from '../util/synth';

describe('example: external services (seed 05)', () => {
  const chart = new ExternalServices(Testing.app(), 'external-services');
  const objects = synth(chart);
  const net = NetworkAnalysis.fromManifests(objects);

  test('each dependency has its stable in-cluster name', () => {
    expect(chart.payments.fqdn).toBe('payments.orders.svc.cluster.local');
    expect(chart.ledgerDb.fqdn).toBe('ledger-db.orders.svc.cluster.local');
    expect(ofKind(objects, 'EndpointSlice').map((s) => s.metadata.name)).toEqual(['ledger-db-ipv4', 'ledger-db-ipv6']);
  });

  test('the api reaches exactly its dependencies on their ports', () => {
    expect(net.allowedConnections('orders/api', '203.0.113.0/24')).toBe('TCP 443');
    expect(net.allowedConnections('orders/api', '198.51.100.21')).toBe('TCP 443,5432'); // 443: geo may be any address;
    expect(net.isAllowed({ from: 'orders/api', to: '198.51.100.23', port: 5432 })).toBe(false);
    expect(net.allowedConnections('orders/api', 'orders/cache')).toBe('TCP 6379');
  });

  test('the cache members talk to each other; nobody else reaches them but the api', () => {
    expect(net.allowedConnections('orders/cache', 'orders/cache')).toBe('TCP 6379,16379');
    expect(net.isAllowed({ from: 'orders/cache', to: '203.0.113.1', port: 443 })).toBe(false);
  });
});
