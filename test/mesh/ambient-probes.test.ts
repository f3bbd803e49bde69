/*
 * Istio ambient mode: kubelet probes reach a pod from 169.254.7.127, which the istio-cni node
 * agent SNATs them to, and ztunnel lets them through without capture, so they are a matter for
 * the NetworkPolicy only, never for an AuthorizationPolicy (istio.io/latest/docs/ambient/usage/networkpolicy,
 * "Ambient, health probes, and Kubernetes NetworkPolicy"). The workload's AuthorizationPolicy
 * admits exactly the declared peers, by identity.
 */
import { NamespaceRef } from '../../src/dns/namespace-ref';
import { MeshDataplaneMode, ServiceMesh } from '../../src/mesh';
import { SecureService } from '../../src/service/secure-service';
import { newChart, one, synth } from '../util/synth';

describe('Istio ambient, namespace made elsewhere', () => {
  const ambient = ServiceMesh.istio({ dataplaneMode: MeshDataplaneMode.AMBIENT });

  test('the probe source is opened in the NetworkPolicy but is no authorization source', () => {
    const chart = newChart();
    const ops = NamespaceRef.named('ops');
    const web = new SecureService(chart, 'Web', { namespace: ops, image: 'web:1', port: 8080, mesh: { mesh: ambient } });
    const api = new SecureService(chart, 'Api', { namespace: ops, image: 'api:1', port: 8080, mesh: { mesh: ambient } });
    web.allowTo(api);
    const objects = synth(chart);
    expect(one(objects, 'AuthorizationPolicy', 'api').spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/ops/sa/web'] } }], to: [{ operation: { ports: ['8080'] } }] },
    ]);
    // With no declared caller, the ALLOW policy has no rule at all (it admits nothing).
    expect(one(objects, 'AuthorizationPolicy', 'web').spec.rules).toBeUndefined();
    expect(one(objects, 'NetworkPolicy', 'api').spec.ingress).toContainEqual(
      { from: [{ ipBlock: { cidr: '169.254.7.127/32' } }], ports: [{ port: 8080, protocol: 'TCP' }] });
  });
});
