/*
 * The user and group ids and ports a mesh's proxy owns cannot be given to the application.
 *
 * Istio sidecar mode: istio-iptables returns (does not redirect) outbound TCP of the proxy's
 * user and group, 1337 (istio/istio tools/istio-iptables/pkg/capture/testdata/empty.golden:
 * `-m owner --uid-owner 1337 -j RETURN`, `-m owner --gid-owner 1337 -j RETURN`; istio.io
 * "Application Requirements": "Ensure your pods do not run applications as a user with the user
 * ID (UID) value of 1337"). An application running as 1337 would connect around its sidecar:
 * no mTLS, no identity, no REGISTRY_ONLY or egress gateway.
 *
 * Linkerd: linkerd-init is run with `--proxy-uid 2102` (linkerd/linkerd2 version-2.16,
 * charts/partials/templates/_proxy-init.tpl and charts/linkerd-control-plane/values.yaml
 * `proxy.uid: 2102`, `proxy.gid: -1` = no group rule), and the proxy listens on its control port
 * 4190 on every address (`LINKERD2_PROXY_CONTROL_LISTEN_ADDR: [::]:4190`,
 * charts/partials/templates/_proxy.tpl; `proxy.ports.control: 4190`).
 */
import { Size } from 'cdk8s';
import { NamespaceRef } from '../../src/dns/namespace-ref';
import { MeshDataplaneMode, ServiceMesh } from '../../src/mesh';
import { DenyAllNamespace } from '../../src/namespace/deny-all-namespace';
import { SecureService } from '../../src/service/secure-service';
import { HeadlessStatefulEndpoint } from '../../src/stateful/headless-stateful-endpoint';
import { newChart, synth } from '../util/synth';

const istio = ServiceMesh.istio();
const linkerd = ServiceMesh.linkerd();
const ops = NamespaceRef.named('ops');

describe('the proxy\'s user and group ids are refused for meshed pods', () => {
  test.each<[string, () => unknown, string]>([
    ['Istio sidecar: runAsUser 1337', () => new SecureService(newChart(), 'Api', { namespace: ops, image: 'a:1', port: 8080, runAsUser: 1337, mesh: { mesh: istio } }),
      'test/Api: SecureService.runAsUser is 1337, the user id of the Istio proxy; the proxy\'s iptables rules do not redirect the outbound traffic of that id, ' +
      'so the pods would connect around their proxy (no mutual TLS, no mesh identity). Choose another user id.'],
    ['Istio sidecar: runAsGroup 1337', () => new SecureService(newChart(), 'Api', { namespace: ops, image: 'a:1', port: 8080, runAsGroup: 1337, mesh: { mesh: istio } }),
      'test/Api: SecureService.runAsGroup is 1337, the group id of the Istio proxy; the proxy\'s iptables rules do not redirect the outbound traffic of that id, ' +
      'so the pods would connect around their proxy (no mutual TLS, no mesh identity). Choose another group id.'],
    ['Istio sidecar through the namespace, for a stateful set', () => {
      const chart = newChart();
      const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop', mesh: istio });
      return new HeadlessStatefulEndpoint(chart, 'Db', {
        namespace: ns, image: 'pg:16', ports: [{ name: 'pg', port: 5432 }], runAsUser: 1337, storage: { size: Size.gibibytes(1) },
      });
    }, 'test/Db: HeadlessStatefulEndpoint.runAsUser is 1337, the user id of the Istio proxy; the proxy\'s iptables rules do not redirect the outbound traffic of that id, ' +
      'so the pods would connect around their proxy (no mutual TLS, no mesh identity). Choose another user id.'],
    ['Linkerd: runAsUser 2102', () => new SecureService(newChart(), 'Api', { namespace: ops, image: 'a:1', port: 8080, runAsUser: 2102, mesh: { mesh: linkerd } }),
      'test/Api: SecureService.runAsUser is 2102, the user id of the Linkerd proxy; the proxy\'s iptables rules do not redirect the outbound traffic of that id, ' +
      'so the pods would connect around their proxy (no mutual TLS, no mesh identity). Choose another user id.'],
  ])('%s', (_, make, message) => {
    expect(make).toThrow(new Error(message));
  });

  test('ids the proxy does not own stay allowed: Istio ambient has no uid rule, Linkerd no group rule, and no mesh none', () => {
    const ambient = ServiceMesh.istio({ dataplaneMode: MeshDataplaneMode.AMBIENT });
    const chart = newChart();
    new SecureService(chart, 'A', { namespace: ops, image: 'a:1', port: 8080, runAsUser: 1337, runAsGroup: 1337, mesh: { mesh: ambient } });
    new SecureService(chart, 'L', { namespace: ops, image: 'a:1', port: 8080, runAsUser: 2103, runAsGroup: 2102, mesh: { mesh: linkerd } });
    new SecureService(chart, 'P', { namespace: ops, image: 'a:1', port: 8080, runAsUser: 1337, runAsGroup: 1337 });
    expect(() => synth(chart)).not.toThrow();
  });
});

describe('the Linkerd proxy\'s control port is reserved', () => {
  test('a container port 4190 is refused', () => {
    expect(() => new SecureService(newChart(), 'Api', { namespace: ops, image: 'a:1', port: 4190, mesh: { mesh: linkerd } })).toThrow(new Error(
      'test/Api: SecureService.ports: container port 4190 ("http") is used by the Linkerd proxy; choose another container port.'));
  });
});
