/*
 * Two peers that name the same pods (Peer.workload of a Deployment and of the Service in front of
 * it, whose selector is the Deployment's labels) used to write two identical rules: rules are kept
 * per peer id, and the two ids differ. Each distinct rule (same peer specs, same ports) is now
 * written once, where it first appeared; the reachability engine sees the same connections.
 */
import * as kplus from 'cdk8s-plus-28';
import { Peer, Port, SecureService, WorkloadPolicy } from '../../src';
import { NetworkAnalysis } from '../../src/analysis';
import { newChart, one, synth } from '../util/synth';

const IMAGE = 'ghcr.io/acme/app:1.0.0';

function app() {
  const chart = newChart('test', 'shop');
  const legacy = new kplus.Deployment(chart, 'Legacy', {
    metadata: { name: 'legacy' },
    containers: [{ image: IMAGE, portNumber: 8080, securityContext: { ensureNonRoot: false } }],
  });
  const service = legacy.exposeViaService({ name: 'legacy', ports: [{ port: 8080 }] });
  const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080 });
  return { chart, legacy, service, api };
}

describe('a rule named twice is written once', () => {
  test('Peer.workload of a Deployment and of its Service: one ingress rule, and legacy still reaches api', () => {
    const { chart, legacy, service, api } = app();
    api.allowFrom(Peer.workload(legacy), Port.tcp(8080));
    api.allowFrom(Peer.workload(service), Port.tcp(8080));
    const objects = synth(chart);
    const ingress = one(objects, 'NetworkPolicy', 'api').spec.ingress;
    expect(ingress).toHaveLength(1);
    expect(ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    const net = NetworkAnalysis.fromManifests(objects);
    expect(net.isAllowed({ from: 'shop/legacy', to: 'shop/api', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/legacy', to: 'shop/api', port: 9090 })).toBe(false);
  });

  test('the same egress twice through two peer objects: one egress rule to them (besides DNS), the connection unchanged', () => {
    const { chart, legacy, service, api } = app();
    api.allowTo(Peer.workload(service), Port.tcp(8080));
    api.allowTo(Peer.workload(legacy), Port.tcp(8080));
    const objects = synth(chart);
    const toLegacy = one(objects, 'NetworkPolicy', 'api').spec.egress.filter((r: any) => r.ports?.[0]?.port === 8080);
    expect(toLegacy).toEqual([{ to: [{ podSelector: { matchLabels: expect.any(Object) } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    const net = NetworkAnalysis.fromManifests(objects);
    expect(net.isAllowed({ from: 'shop/api', to: 'shop/legacy', port: 8080 })).toBe(true);
  });

  test('same pods on other ports stay a rule of their own, and the order of first appearance is kept', () => {
    const chart = newChart('test', 'shop');
    const policy = new WorkloadPolicy(chart, 'Policy', { name: 'p', namespace: 'shop', podSelector: {} });
    policy.addIngressRule(Peer.pods({ labels: { app: 'a' } }), [Port.tcp(80)]);
    policy.addIngressRule(Peer.namespace('ops'), [Port.tcp(80)]);
    policy.addIngressRule(Peer.pods({ labels: { app: 'a' }, namespace: 'shop' }), [Port.tcp(80)]);
    policy.addIngressRule(Peer.pods({ labels: { app: 'a' }, namespace: 'shop' }), [Port.tcp(80)]);
    policy.addIngressRule(Peer.pods({ labels: { app: 'b' } }), [Port.tcp(443)]);
    const ingress = one(synth(chart), 'NetworkPolicy', 'p').spec.ingress;
    expect(ingress.map((r: any) => [r.from, r.ports])).toEqual([
      [[{ podSelector: { matchLabels: { app: 'a' } } }], [{ protocol: 'TCP', port: 80 }]],
      [[{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }], [{ protocol: 'TCP', port: 80 }]],
      [[{ podSelector: { matchLabels: { app: 'b' } } }], [{ protocol: 'TCP', port: 443 }]],
    ]);
  });
});
