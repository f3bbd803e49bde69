import { ApiObject } from 'cdk8s';
import { DenyAllNamespace, NetworkAnalysis, Peer, Port, SecureService } from '../../src';
import { CiliumServiceAffinity, ClusterSetExport } from '../../src/multicluster/cluster-set-export';
import { HeadlessStatefulEndpoint } from '../../src/stateful/headless-stateful-endpoint';
import { newChart, ofKind, one, synth } from '../util/synth';

function shop() {
  const chart = newChart();
  const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
  const db = new HeadlessStatefulEndpoint(chart, 'Db', { namespace: ns, image: 'postgres:16.4', ports: [{ name: 'pg', port: 5432 }], replicas: 3 });
  return { chart, ns, db };
}

describe('ClusterSetExport', () => {
  test('writes an MCS v1beta1 ServiceExport with the name and namespace of the exported Service', () => {
    const { chart, db } = shop();
    const exp = new ClusterSetExport(chart, 'ExportDb', { service: db });
    const objects = synth(chart);
    expect(one(objects, 'ServiceExport', 'db')).toEqual({
      apiVersion: 'multicluster.x-k8s.io/v1beta1',
      kind: 'ServiceExport',
      metadata: { name: 'db', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-secure-networking' } },
    });
    expect(exp.clusterSetFqdn).toBe('db.shop.svc.clusterset.local');
    // Exporting changes nothing on the Service itself.
    expect(one(objects, 'Service', 'db').metadata.annotations).toBeUndefined();
  });

  test('Cilium ClusterMesh: the Service is marked global, with an optional affinity, and the MCS export can be left out', () => {
    const { chart, db } = shop();
    new ClusterSetExport(chart, 'ExportDb', { service: db, serviceExport: false, ciliumGlobalService: true, ciliumAffinity: CiliumServiceAffinity.LOCAL });
    const objects = synth(chart);
    expect(one(objects, 'Service', 'db').metadata.annotations).toEqual({ 'service.cilium.io/global': 'true', 'service.cilium.io/affinity': 'local' });
    expect(ofKind(objects, 'ServiceExport')).toEqual([]);
  });

  test('peers in other clusters are allowed by CIDR through the connection model', () => {
    const { chart, db } = shop();
    new ClusterSetExport(chart, 'ExportDb', { service: db });
    db.allowFrom(Peer.ipBlock('10.8.0.0/14'), Port.named('pg'));
    const net = NetworkAnalysis.fromManifests(synth(chart));
    expect(net.allowedConnections('10.8.0.0/14', 'shop/db')).toBe('TCP 5432');
    expect(net.isAllowed({ from: '10.12.0.1', to: 'shop/db', port: 5432 })).toBe(false);
  });

  test.each([
    ['nothing to export', { serviceExport: false }, 'test/Export: ClusterSetExport.serviceExport and ClusterSetExport.ciliumGlobalService are both false, so nothing would be exported; set one of them.'],
    ['an affinity without a global service', { ciliumAffinity: CiliumServiceAffinity.REMOTE }, 'test/Export: ClusterSetExport.ciliumAffinity is set but ClusterSetExport.ciliumGlobalService is false; affinity applies to Cilium global services only, so set ciliumGlobalService to true.'],
  ])('%s is refused', (_d, props, message) => {
    const { chart, db } = shop();
    expect(() => new ClusterSetExport(chart, 'Export', { service: db, ...props })).toThrow(new Error(message));
  });

  // MCS pairs a ServiceExport with the Service of the same name and namespace (multicluster.sigs.k8s.io
  // concepts/multicluster-services-api): a second export of one Service would write a second
  // ServiceExport with the same name, which the API server holds once (the last applied wins).
  test('a Service exported twice is refused, naming both exports', () => {
    const { chart, db } = shop();
    new ClusterSetExport(chart, 'ExportDb', { service: db });
    expect(() => new ClusterSetExport(chart, 'ExportDbAgain', { service: db, ciliumGlobalService: true })).toThrow(new Error(
      'test/ExportDbAgain: ClusterSetExport.service db is already exported by test/ExportDb; export a Service once (one ClusterSetExport can write both the ServiceExport and the Cilium annotation).'));
  });

  test('the cluster-set name needs the namespace of the Service', () => {
    const chart = newChart();
    const db = new HeadlessStatefulEndpoint(chart, 'Db', { image: 'postgres:16.4', ports: [{ name: 'pg', port: 5432 }] });
    const exp = new ClusterSetExport(chart, 'Export', { service: db });
    expect(() => exp.clusterSetFqdn).toThrow(new Error(
      'test/Export: ClusterSetExport.clusterSetFqdn needs the namespace of the exported Service; set its namespace or the chart namespace.'));
  });

  test('any Service with a name, namespace and object can be exported (SecureService once it implements IExportableService)', () => {
    const chart = newChart('test', 'shop');
    const api = new SecureService(chart, 'Api', { image: 'api:1', port: 8080 });
    const exp = new ClusterSetExport(chart, 'ExportApi', { service: { serviceName: api.serviceName, namespaceName: api.namespaceName, serviceObject: ApiObject.of(api.service) } });
    expect(exp.clusterSetFqdn).toBe('api.shop.svc.clusterset.local');
    expect(one(synth(chart), 'ServiceExport', 'api').metadata.namespace).toBe('shop');
  });
});
