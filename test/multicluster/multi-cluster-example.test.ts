import { Testing } from 'cdk8s';
import { MultiCluster } from '../../examples/charts/multi-cluster';
import { NetworkAnalysis } from '../../src';
import { DnsNames } from '../../src/dns/dns-names';
import { ofKind, one, synth } from '../util/synth';

describe('example: multi-cluster networking (seed 06)', () => {
  const chart = new MultiCluster(Testing.app(), 'multi-cluster', { clusterId: 'west', remotePodCidrs: ['10.8.0.0/14'] });
  const objects = synth(chart);
  const net = NetworkAnalysis.fromManifests(objects);

  test('both Services are exported with the MCS API under their cluster-set names', () => {
    expect(ofKind(objects, 'ServiceExport').map((e) => `${e.metadata.namespace}/${e.metadata.name}`)).toEqual(['catalog/catalog-api', 'catalog/search']);
    expect(chart.apiExport.clusterSetFqdn).toBe('catalog-api.catalog.svc.clusterset.local');
    expect(DnsNames.clusterSetPod('search-0', 'west', chart.search.serviceName, 'catalog')).toBe('search-0.west.search.catalog.svc.clusterset.local');
    expect(one(objects, 'Service', 'search').metadata.annotations).toEqual({ 'service.cilium.io/global': 'true', 'service.cilium.io/affinity': 'local' });
  });

  test('remote pods reach the api and the search transport, nothing else', () => {
    expect(net.allowedConnections('10.8.0.0/14', 'catalog/catalog-api')).toBe('TCP 8080');
    expect(net.allowedConnections('10.8.0.0/14', 'catalog/search')).toBe('TCP 9300');
    expect(net.allowedConnections('catalog/search', '10.8.0.0/14')).toBe('TCP 9300');
    expect(net.isAllowed({ from: '10.16.0.1', to: 'catalog/catalog-api', port: 8080 })).toBe(false);
  });
});
