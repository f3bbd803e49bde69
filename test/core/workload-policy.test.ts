import { Peer, Port, WorkloadPolicy } from '../../src';
import { newChart, one, synth } from '../util/synth';

describe('WorkloadPolicy', () => {
  test('selects the given pods and isolates them for ingress and egress with no rules by default', () => {
    const chart = newChart('test', 'shop');
    new WorkloadPolicy(chart, 'Policy', { name: 'api', namespace: 'shop', podSelector: { matchLabels: { app: 'api' } } });
    expect(one(synth(chart), 'NetworkPolicy', 'api')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] },
    });
  });

  test('ingress: false lists only Egress and writes no ingress key', () => {
    const chart = newChart();
    const policy = new WorkloadPolicy(chart, 'Policy', { name: 'p', podSelector: {}, ingress: false });
    policy.addEgressRule(Peer.namespace('ops'), [Port.tcp(443)]);
    const spec = one(synth(chart), 'NetworkPolicy', 'p').spec;
    expect(spec.policyTypes).toEqual(['Egress']);
    expect(spec).not.toHaveProperty('ingress');
    expect(spec.podSelector).toEqual({});
  });

  test('egress: false lists only Ingress and writes no egress key', () => {
    const chart = newChart();
    new WorkloadPolicy(chart, 'Policy', { name: 'p', podSelector: {}, egress: false });
    const spec = one(synth(chart), 'NetworkPolicy', 'p').spec;
    expect(spec.policyTypes).toEqual(['Ingress']);
    expect(spec).not.toHaveProperty('egress');
  });

  test('rules to one peer merge; ports already covered are not repeated', () => {
    const chart = newChart();
    const policy = new WorkloadPolicy(chart, 'Policy', { name: 'p', podSelector: {} });
    const ops = Peer.namespace('ops');
    policy.addIngressRule(ops, [Port.tcpRange(8000, 8100)]);
    policy.addIngressRule(Peer.namespace('ops'), [Port.tcp(8080), Port.udp(53)]);
    expect(policy.ingressRules.map((r) => [r.peer.peerId, r.ports.map(String)])).toEqual([['ns:ops', ['TCP 8000-8100', 'UDP 53']]]);
    expect(one(synth(chart), 'NetworkPolicy', 'p').spec.ingress[0].ports).toEqual([
      { protocol: 'TCP', port: 8000, endPort: 8100 }, { protocol: 'UDP', port: 53 },
    ]);
  });
});
