/**
 * The analyzer treats a Gateway's data-plane pods like an ingress controller's: the Gateway (with
 * its data plane named by cdk8s-net.io/gateway-data-plane) is an endpoint, and reach and graph
 * show its connections to the backends.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { shop } from './helpers';
import { ClusterDns, DenyAllNamespace, NetworkAnalysis, Port, SecureService } from '../../src';
import { reachLines } from '../../src/analysis/reach';
import { GatewayImplementation, IngressBackend, TlsCertificate, TlsGateway } from '../../src/ingress';
import { cli } from '../cli/run-cli';
import { newChart, one, synth } from '../util/synth';

function rendered(implementation: GatewayImplementation) {
  const s = shop();
  const gateway = new TlsGateway(s.chart, 'Public', {
    namespace: s.ns,
    implementation,
    certificate: TlsCertificate.secret('shop-tls'),
    rules: [{ host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(s.api, 'http') }],
  });
  return { ...s, gateway, objects: synth(s.chart) };
}

test('the Gateway names its data-plane pods; reach lists gateway => backend on the backend port only', () => {
  const { chart, objects } = rendered(GatewayImplementation.envoyGateway());
  const annotation = JSON.parse(one(objects, 'Gateway', 'public').metadata.annotations['cdk8s-net.io/gateway-data-plane']);
  expect(annotation.namespace).toBe('envoy-gateway-system');
  expect(annotation.labels['gateway.envoyproxy.io/owning-gateway-name']).toBe('public');
  const lines = reachLines(NetworkAnalysis.fromChart(chart), { from: 'envoy-gateway-system/public[Gateway]' }).map((l) => `${l.src} => ${l.dst} : ${l.conn}`);
  expect(lines).toContain('envoy-gateway-system/public[Gateway] => shop/api[Deployment] : TCP 8080');
  expect(lines.filter((l) => l.includes('shop/web'))).toEqual([]);
});

test('Istio: its data plane runs in the Gateway namespace; its NetworkPolicy admits clients on the listener ports and lets it reach istiod and the backends', () => {
  // istio/istio manifests/charts/istio-control/istio-discovery/files/kube-gateway.yaml (commit 03404d0f): the pod
  // template carries gateway.networking.k8s.io/gateway-name, binds the listener ports itself
  // (net.ipv4.ip_unprivileged_port_start=0) and reaches istiod on 15012 (CA_ADDR).
  const { chart, objects } = rendered(GatewayImplementation.istio());
  const policy = one(objects, 'NetworkPolicy', 'public-data-plane');
  expect(policy.spec.podSelector).toEqual({ matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } });
  expect(policy.spec.ingress.map((r: any) => r.ports)).toEqual([[{ port: 443, protocol: 'TCP' }, { port: 80, protocol: 'TCP' }], [{ port: 443, protocol: 'TCP' }, { port: 80, protocol: 'TCP' }]]);
  const net = NetworkAnalysis.fromChart(chart);
  expect(net.workloads().map((w) => w.id)).toContain('shop/public[Gateway]');
  expect(reachLines(net, { from: 'shop/public[Gateway]', to: 'shop/api[Deployment]' }).map((l) => l.conn)).toEqual(['TCP 8080']);
  expect(reachLines(net, { from: 'shop/public[Gateway]', to: 'shop/web[Deployment]' })).toEqual([]);
});

test('NGINX Gateway Fabric: its data plane policy admits clients on the listener ports and lets it reach its control plane (8443) and the backends', () => {
  // nginx/nginx-gateway-fabric v2.6.7 internal/controller/provisioner/objects.go (container ports from the listeners,
  // gateway-name label) and charts/nginx-gateway-fabric/templates/service.yaml (agent-grpc 443 -> 8443).
  const { chart, objects } = rendered(GatewayImplementation.nginxGatewayFabric());
  const policy = one(objects, 'NetworkPolicy', 'public-data-plane');
  expect(policy.spec.egress[1]).toEqual({
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'nginx-gateway' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nginx-gateway-fabric' } } }],
    ports: [{ port: 8443, protocol: 'TCP' }],
  });
  const net = NetworkAnalysis.fromChart(chart);
  expect(reachLines(net, { from: 'shop/public[Gateway]', to: 'shop/api[Deployment]' }).map((l) => l.conn)).toEqual(['TCP 8080']);
});

test.each([
  ['istio', GatewayImplementation.istio()],
  ['nginxGatewayFabric', GatewayImplementation.nginxGatewayFabric()],
])('%s: the data-plane policy lets the gateway pods resolve names (their proxy finds its control plane by DNS name)', (_n, implementation) => {
  // Istio's proxies dial discoveryAddress / CA_ADDR istiod.istio-system.svc:15012 (istio/istio mesh config default, and
  // the CA_ADDR of its injection templates); NGINX Gateway Fabric's agent dials its control plane Service by name. The
  // policy isolates their egress, so it carries the cluster DNS rule as every workload policy of this library does:
  // without a DenyAllNamespace (whose allow-dns would cover it) they could resolve nothing.
  const chart = newChart('test', 'shop');
  const api = new SecureService(chart, 'Api', { image: 'ghcr.io/acme/api:1.4.2', ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  new TlsGateway(chart, 'Public', {
    implementation, certificate: TlsCertificate.secret('shop-tls'), rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(api) }],
  });
  const egress = one(synth(chart), 'NetworkPolicy', 'public-data-plane').spec.egress;
  expect(egress[0]).toEqual({
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
  });
});

test("the data-plane policy follows its namespace's DNS: NodeLocal DNSCache, or none when the namespace turned DNS off", () => {
  for (const [props, first] of [
    [{ clusterDns: ClusterDns.nodeLocalDnsCache() }, { to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }],
    [{ allowDns: false }, { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }], ports: [{ port: 15012, protocol: 'TCP' }] }],
  ] as const) {
    const chart = newChart('test');
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop', ...props });
    const api = new SecureService(chart, 'Api', { namespace: ns, image: 'ghcr.io/acme/api:1.4.2', port: 8080 });
    new TlsGateway(chart, 'Public', {
      namespace: ns,
      implementation: GatewayImplementation.istio(),
      certificate: TlsCertificate.secret('shop-tls'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(api) }],
    });
    expect(one(synth(chart), 'NetworkPolicy', 'public-data-plane').spec.egress[0]).toEqual(first);
  }
});

test('isConnectionAllowed from the gateway\'s data plane (as for an ingress controller)', () => {
  const { chart, api, web, gateway } = rendered(GatewayImplementation.traefik());
  const dataPlane = gateway.dataPlane[0];
  const net = NetworkAnalysis.fromChart(chart);
  expect(net.isConnectionAllowed(dataPlane, api, Port.tcp(8080))).toBe(true);
  expect(net.isConnectionAllowed(dataPlane, web, Port.tcp(8080))).toBe(false);
});

test('cdk8s-net graph and reach on the manifests draw the gateway => backend edge', async () => {
  const { chart } = rendered(GatewayImplementation.envoyGateway());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-graph-'));
  fs.writeFileSync(path.join(dir, 'all.yaml'), chart.toJson().map((o) => YAML.stringify(o)).join('---\n'));
  const graph = await cli('graph', dir);
  expect(graph.stderr).toBe('');
  expect(graph.code).toBe(0);
  expect(graph.stdout).toContain('w0["public<br/><small>Gateway</small>"]');
  expect(graph.stdout).toContain('w0 -->|"TCP 8080"| w1');
  const reach = await cli('reach', dir, '--from', 'envoy-gateway-system/public[Gateway]', '--to', 'shop/api[Deployment]');
  expect(reach.stdout).toContain('envoy-gateway-system/public[Gateway] => shop/api[Deployment] : TCP 8080');
});
