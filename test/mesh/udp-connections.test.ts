/*
 * Meshes proxy TCP only: Linkerd "is capable of proxying all TCP traffic" (linkerd.io/2.16/features/protocol-detection;
 * linkerd-init redirects `-p tcp`), Istio ambient tunnels TCP connections over HBONE, TCP 15008
 * (istio.io/latest/docs/ambient/usage/networkpolicy; istio/istio tools/istio-iptables/pkg/capture/testdata/empty.golden
 * captures `-p tcp` only). A connection declared on UDP ports alone reaches the pod directly, so the
 * NetworkPolicy opens no proxy port for it: nothing beyond what was declared.
 */
import { NetworkAnalysis } from '../../src/analysis/network-analysis';
import { Port, Protocol } from '../../src/core/port';
import { MeshDataplaneMode, ServiceMesh } from '../../src/mesh';
import { DenyAllNamespace } from '../../src/namespace/deny-all-namespace';
import { SecureService } from '../../src/service/secure-service';
import { HeadlessStatefulEndpoint } from '../../src/stateful/headless-stateful-endpoint';
import { newChart, synth } from '../util/synth';

describe.each([
  ['Linkerd', ServiceMesh.linkerd(), 4143],
  ['Istio ambient', ServiceMesh.istio({ dataplaneMode: MeshDataplaneMode.AMBIENT }), 15008],
])('%s', (_, mesh, proxyPort) => {
  function shop() {
    const chart = newChart();
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop', mesh });
    const web = new SecureService(chart, 'Web', { namespace: ns, image: 'web:1', port: 8080 });
    const dns = new SecureService(chart, 'Dns', {
      namespace: ns, image: 'dns:1', ports: [{ name: 'web', port: 8080 }, { name: 'dns', port: 5353, protocol: Protocol.UDP }],
    });
    const gossip = new HeadlessStatefulEndpoint(chart, 'Gossip', {
      namespace: ns,
      name: 'gossip',
      image: 'g:1',
      replicas: 3,
      ports: [{ name: 'api', port: 8080 }, { name: 'gossip', port: 7946, protocol: Protocol.UDP }],
      peerPorts: [Port.udp(7946)],
    });
    return { chart, web, dns, gossip };
  }

  test('a UDP-only connection opens no proxy port, in either direction', () => {
    const { chart, web, dns, gossip } = shop();
    web.allowTo(dns, Port.udp(5353));
    const net = NetworkAnalysis.fromManifests(synth(chart));
    expect(net.allowedConnectionsBetween(web, dns)).toBe('UDP 5353');
    expect(net.isConnectionAllowed(web, dns, Port.tcp(proxyPort))).toBe(false);
    expect(net.allowedConnectionsBetween(gossip, gossip)).toBe('UDP 7946');
  });

  test('a connection with a TCP port still opens the proxy port', () => {
    const { chart, web, dns } = shop();
    web.allowTo(dns, Port.udp(5353), Port.tcp(8080));
    const net = NetworkAnalysis.fromManifests(synth(chart));
    expect(net.isConnectionAllowed(web, dns, Port.tcp(proxyPort))).toBe(true);
    expect(net.isConnectionAllowed(web, dns, Port.udp(5353))).toBe(true);
  });
});
