/*
 * An IngressController is a value no construct owns: a refused call on its own connections starts
 * with the call the user made (`IngressController.haproxy().connections.allowTo(shop/api)`), not
 * with the path of the other end, as for Peer and NamespaceRef (test/core/connections.test.ts).
 */
import { IngressController, Port, SecureService } from '../../src';
import { newChart } from '../util/synth';

function api() {
  const chart = newChart('test', 'shop');
  return new SecureService(chart, 'Api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
}

describe("a refused call on an IngressController's own connections names that call and the field", () => {
  test.each<[string, (a: SecureService) => void, string]>([
    ['a port api does not listen on', (a) => IngressController.haproxy().connections.allowTo(a, Port.tcp(9999)),
      'IngressController.haproxy().connections.allowTo(shop/api): SecureService shop/api does not listen on TCP 9999; its container ports are TCP 8080. '
      + 'NetworkPolicies match the pod port, not the Service port: use one of these or Port.named(...).'],
    ['a port that is not a Port', (a) => IngressController.traefik().connections.allowTo(a, 8080 as any),
      'IngressController.traefik().connections.allowTo(shop/api): ports[0] is the number 8080; '
      + "pass Port values, e.g. Port.tcp(443) or Port.named('http'), or no port for every port."],
  ])('%s', (_description, call, message) => {
    const a = api();
    expect(() => call(a)).toThrow(new Error(message));
  });

  test('an allowed call writes the ingress rule on the managed end', () => {
    const a = api();
    expect(() => IngressController.haproxy().connections.allowTo(a, Port.tcp(8080))).not.toThrow();
    expect(a.networkPolicy.ingressRules.map((r) => r.peer.peerId)).toContain(IngressController.haproxy().peerId);
  });
});
