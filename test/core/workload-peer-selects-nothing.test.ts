/*
 * A Peer.workload whose workload selects no pods (issue #13). The selector is read when the policy
 * is written, because the workload may still get a selector after allowFrom/allowTo (kplus
 * Workload.select(), a JSON patch), and that counts. The failure names the construct and the call
 * the peer was given to (not the NetworkPolicy object), and comes before any YAML is written.
 * Written through the peer's own connections (`Peer.workload(x).connections.allowTo(api)`), it names
 * x, whose selector is empty, and the call, not api, on whose policy the rule is written.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DenyAllNamespace, Peer, Port, SecureService, WorkloadPolicy } from '../../src';
import { newChart, one, synth } from '../util/synth';

const IMAGE = 'ghcr.io/acme/app:1.0.0';
const EMPTY = 'Deployment legacy selects no pods (no selector labels); give it a selector, or use Peer.pods({ labels }) to name the pods.';

function app() {
  const chart = newChart('test', 'shop');
  const legacy = new ApiObject(chart, 'Legacy', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'legacy' }, spec: {} });
  const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080 });
  return { chart, legacy, api };
}

describe('a workload peer that selects no pods names the construct and the call it was given to', () => {
  test('SecureService.allowFrom', () => {
    const { chart, legacy, api } = app();
    api.allowFrom(Peer.workload(legacy), Port.tcp(8080));
    expect(() => synth(chart)).toThrow(new Error(`test/Api: allowFrom(other): Peer.workload(test/Legacy): ${EMPTY}`));
  });

  test('SecureService.allowTo', () => {
    const { chart, legacy, api } = app();
    api.allowTo(Peer.workload(legacy), Port.tcp(8080));
    expect(() => synth(chart)).toThrow(new Error(`test/Api: allowTo(other): Peer.workload(test/Legacy): ${EMPTY}`));
  });

  test('DenyAllNamespace.allowFrom', () => {
    const chart = newChart('test');
    const shop = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
    const legacy = new ApiObject(chart, 'Legacy', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'legacy', namespace: 'shop' } });
    shop.allowFrom(Peer.workload(legacy));
    expect(() => synth(chart)).toThrow(new Error(`test/Shop: allowFrom(other): Peer.workload(test/Legacy): ${EMPTY}`));
  });

  test('WorkloadPolicy.addIngressRule and addEgressRule', () => {
    for (const method of ['addIngressRule', 'addEgressRule'] as const) {
      const { chart, legacy } = app();
      const policy = new WorkloadPolicy(chart, 'Policy', { name: 'p', podSelector: { matchLabels: { app: 'a' } } });
      policy[method](Peer.workload(legacy), [Port.tcp(80)]);
      expect(() => synth(chart)).toThrow(new Error(`test/Policy: WorkloadPolicy.${method}: peer: Peer.workload(test/Legacy): ${EMPTY}`));
    }
  });

  // The rule is written on api's policy, but the call was made on the peer's own connections:
  // the error names the workload whose selector is empty, and the call.
  test("the peer's own connections.allowTo", () => {
    const { chart, legacy, api } = app();
    Peer.workload(legacy).connections.allowTo(api, Port.tcp(8080));
    expect(() => synth(chart)).toThrow(new Error(`test/Legacy: allowTo(other): Peer.workload(test/Legacy): ${EMPTY}`));
  });

  test("the peer's own connections.allowFrom", () => {
    const { chart, legacy, api } = app();
    Peer.workload(legacy).connections.allowFrom(api, Port.tcp(8080));
    expect(() => synth(chart)).toThrow(new Error(`test/Legacy: allowFrom(other): Peer.workload(test/Legacy): ${EMPTY}`));
  });

  test("the peer's own connections refuse other bad input from the workload too", () => {
    const { legacy, api } = app();
    expect(() => Peer.workload(legacy).connections.allowTo(api, Port.tcp(9999))).toThrow(new Error(
      'test/Legacy: allowTo(shop/api): SecureService shop/api does not listen on TCP 9999; its container ports are TCP 8080. '
      + 'NetworkPolicies match the pod port, not the Service port: use one of these or Port.named(...).'));
  });

  test("the peer's own connections, with a selector given afterwards, write the rule on the managed end", () => {
    const { chart, legacy, api } = app();
    Peer.workload(legacy).connections.allowTo(api, Port.tcp(8080));
    legacy.addJsonPatch(JsonPatch.add('/spec/template', { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'legacy', image: IMAGE }] } }));
    legacy.addJsonPatch(JsonPatch.add('/spec/selector', { matchLabels: { app: 'legacy' } }));
    expect(one(synth(chart), 'NetworkPolicy', 'api').spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: { app: 'legacy' } } }], ports: [{ port: 8080, protocol: 'TCP' }] });
  });

  test('a selector given after allowFrom counts (JSON patch on an ApiObject)', () => {
    const { chart, legacy, api } = app();
    api.allowFrom(Peer.workload(legacy), Port.tcp(8080));
    legacy.addJsonPatch(JsonPatch.add('/spec/template', { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'legacy', image: IMAGE }] } }));
    legacy.addJsonPatch(JsonPatch.add('/spec/selector', { matchLabels: { app: 'legacy' } }));
    expect(one(synth(chart), 'NetworkPolicy', 'api').spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: { app: 'legacy' } } }], ports: [{ port: 8080, protocol: 'TCP' }] });
  });

  test('a selector given after allowTo counts (cdk8s-plus Workload.select)', () => {
    const chart = newChart('test', 'shop');
    const legacy = new kplus.Deployment(chart, 'Legacy', { select: false, containers: [{ image: IMAGE, portNumber: 8080, securityContext: { ensureNonRoot: false } }] });
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080 });
    api.allowTo(Peer.workload(legacy), Port.tcp(8080));
    legacy.select(kplus.LabelSelector.of({ labels: { app: 'legacy' } }));
    expect(one(synth(chart), 'NetworkPolicy', 'api').spec.egress).toContainEqual({ to: [{ podSelector: { matchLabels: { app: 'legacy' } } }], ports: [{ port: 8080, protocol: 'TCP' }] });
  });
});
