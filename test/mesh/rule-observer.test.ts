/*
 * The observer hook of WorkloadPolicy (`_addRuleObserver`), through which the mesh sees every
 * connection: it may add ports to a rule and refuse it before anything is written.
 */
import { Peer } from '../../src/core/peer';
import { Port } from '../../src/core/port';
import { WorkloadPolicy, WorkloadPolicyRuleObserver } from '../../src/core/workload-policy';
import { ServiceMesh } from '../../src/mesh';
import { DenyAllNamespace } from '../../src/namespace/deny-all-namespace';
import { SecureService } from '../../src/service/secure-service';
import { HeadlessStatefulEndpoint } from '../../src/stateful/headless-stateful-endpoint';
import { newChart, synth } from '../util/synth';

function policy() {
  return new WorkloadPolicy(newChart(), 'P', { name: 'p', namespace: 'a', podSelector: { matchLabels: { app: 'p' } } });
}
const rules = (p: WorkloadPolicy, dir: 'ingressRules' | 'egressRules') => p[dir].map((r) => [r.peer.peerId, r.ports.map(String)]);

describe('WorkloadPolicy rule observers', () => {
  test('ports an observer returns are written next to the requested ones, in both directions', () => {
    const p = policy();
    p._addRuleObserver({ beforeRule: () => [Port.tcp(4143)] });
    p.addIngressRule(Peer.namespace('mon'), [Port.tcp(8080)]);
    p.addEgressRule(Peer.namespace('db'), [Port.tcp(5432)]);
    expect(rules(p, 'ingressRules')).toEqual([['ns:mon', ['TCP 8080', 'TCP 4143']]]);
    expect(rules(p, 'egressRules')).toEqual([['ns:db', ['TCP 5432', 'TCP 4143']]]);
  });

  test('a rule for every port stays a rule for every port', () => {
    const p = policy();
    p._addRuleObserver({ beforeRule: () => [Port.tcp(4143)] });
    p.addIngressRule(Peer.namespace('mon'), []);
    expect(rules(p, 'ingressRules')).toEqual([['ns:mon', []]]);
  });

  test('an observer that throws refuses the rule: nothing is written and later observers are not told', () => {
    const p = policy();
    const after = jest.fn();
    p._addRuleObserver({ beforeRule: (_dir, peer) => { if (peer.peerId === 'ns:bad') throw new Error('refused'); return []; } });
    p._addRuleObserver({ beforeRule: () => [], afterRule: after });
    expect(() => p.addIngressRule(Peer.namespace('bad'), [Port.tcp(80)])).toThrow('refused');
    expect(p.ingressRules).toEqual([]);
    expect(after).not.toHaveBeenCalled();
  });

  test('afterRule is told after the rule is written, with the requested ports only', () => {
    const p = policy();
    const seen: any[] = [];
    const observer: WorkloadPolicyRuleObserver = {
      beforeRule: () => [Port.tcp(15008)],
      afterRule: (dir, peer, ports) => seen.push([dir, peer.peerId, ports.map(String), rules(p, dir === 'ingress' ? 'ingressRules' : 'egressRules').length]),
    };
    p._addRuleObserver(observer);
    p.addIngressRule(Peer.namespace('mon'), [Port.tcp(9090)]);
    p.addEgressRule(Peer.allPodsInCluster(), [Port.tcp(443)]);
    expect(seen).toEqual([['ingress', 'ns:mon', ['TCP 9090'], 1], ['egress', 'ns:*', ['TCP 443'], 1]]);
  });

  test('rules added before the observer are not replayed', () => {
    const p = policy();
    p.addIngressRule(Peer.namespace('early'), [Port.tcp(80)]);
    const before = jest.fn(() => []);
    p._addRuleObserver({ beforeRule: before });
    expect(before).not.toHaveBeenCalled();
    expect(rules(p, 'ingressRules')).toEqual([['ns:early', ['TCP 80']]]);
  });

  test('the mesh uses the hook: the policies of meshed workloads keep their own methods', () => {
    const chart = newChart();
    const n = new DenyAllNamespace(chart, 'A', { name: 'a', mesh: ServiceMesh.linkerd() });
    const api = new SecureService(chart, 'Api', { namespace: n, name: 'api', image: 'x:1', port: 8080 });
    const db = new HeadlessStatefulEndpoint(chart, 'Db', { namespace: n, name: 'db', image: 'x:1', ports: [{ name: 'pg', port: 5432 }] });
    for (const p of [api.networkPolicy, db.networkPolicy]) {
      expect(Object.prototype.hasOwnProperty.call(p, 'addIngressRule')).toBe(false);
      expect(Object.prototype.hasOwnProperty.call(p, 'addEgressRule')).toBe(false);
    }
    api.allowTo(db);
    expect(rules(db.networkPolicy, 'ingressRules')).toContainEqual(['a/api', ['TCP 5432', 'TCP 4143']]);
    expect(rules(api.networkPolicy, 'egressRules')).toContainEqual(['a/db', ['TCP 5432', 'TCP 4143']]);
    expect(() => synth(chart)).not.toThrow();
  });
});
