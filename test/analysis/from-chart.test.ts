import { App, Chart, Testing } from 'cdk8s';
import { ZeroTrustShop } from '../../examples/charts/zero-trust-shop';
import { DenyAllNamespace, IngressController, NetworkAnalysis, Peer, Port, SecureService } from '../../src';
import { newChart } from '../util/synth';

/**
 * The examples chart: shop is a DenyAllNamespace; web -> api on its named port http (8080),
 * api -> db (5432), monitoring -> api metrics (9090), api -> 203.0.113.0/24 on 443.
 */
const shop = new ZeroTrustShop(Testing.app(), 'zero-trust-shop');
const net = NetworkAnalysis.fromChart(shop);
const { web, api, db } = shop;

describe('NetworkAnalysis.fromChart', () => {
  test('web can reach api on the container port behind its named Service port', () => {
    expect(net.isConnectionAllowed(web, api, Port.tcp(8080))).toBe(true);
    expect(net.isConnectionAllowed(web, api, Port.named('http'))).toBe(true);
  });

  test('web cannot reach db, and the explanation names the isolating policy', () => {
    expect(net.isConnectionAllowed(web, db, Port.tcp(5432))).toBe(false);
    expect(net.explainConnection(web, db, Port.tcp(5432)).text).toBe(
      'denied: shop/web is isolated for egress by policies shop/default-deny, shop/allow-dns, shop/web; no egress rule admits shop/db on TCP 5432; '
      + 'shop/db is isolated for ingress by policies shop/default-deny, shop/db; no ingress rule admits shop/web on TCP 5432');
  });

  test('an allowed connection names the admitting rule on each side', () => {
    const verdict = net.explainConnection(api, db, Port.tcp(5432));
    expect(verdict.allowed).toBe(true);
    expect(verdict.from).toBe('shop/api[Deployment]');
    expect(verdict.to).toBe('shop/db[Deployment]');
    expect(verdict.egress.admittingRules.map((r) => r.policy)).toEqual(['shop/api']);
    expect(verdict.ingress.admittingRules.map((r) => r.policy)).toEqual(['shop/db']);
  });

  test('api may only use the ports it was given towards db', () => {
    expect(net.isConnectionAllowed(api, db, Port.tcp(5433))).toBe(false);
    expect(net.allowedConnectionsBetween(api, db)).toBe('TCP 5432');
    expect(net.isConnectionAllowed(api, db)).toBe(true);
  });

  test('a named port the destination does not have is denied with that reason', () => {
    expect(net.explainConnection(web, api, Port.named('grpc')).text).toBe('denied: shop/api has no TCP container port named "grpc"');
  });

  test('an ipBlock peer is its CIDR: api reaches the payment range on 443 only', () => {
    const payments = Peer.ipBlock('203.0.113.0/24');
    expect(net.isConnectionAllowed(api, payments, Port.HTTPS)).toBe(true);
    expect(net.isConnectionAllowed(api, payments, Port.HTTP)).toBe(false);
    expect(net.isConnectionAllowed(web, payments, Port.HTTPS)).toBe(false);
    expect(net.explainConnection(api, Peer.ipBlock('203.0.112.0/23'), Port.HTTPS).text).toMatch(/^denied: shop\/api is isolated for egress .* no egress rule admits all of 203\.0\.112\.0\/23 on TCP 443/);
  });

  test('a namespace peer stands for every workload of it: allowed only if all are', () => {
    expect(net.workloadsOf(shop.shop).map((w) => w.id)).toEqual(['shop/api[Deployment]', 'shop/db[Deployment]', 'shop/web[Deployment]']);
    const verdict = net.explainConnection(shop.shop, db, Port.tcp(5432));
    expect(verdict.allowed).toBe(false);
    // db's own pods are part of the namespace, and they are isolated from each other too.
    expect(verdict.text).toBe('2 of 3 pairs denied (ns:shop => shop/db); first denied: denied: '
      + 'shop/db is isolated for egress by policies shop/default-deny, shop/allow-dns, shop/db; no egress rule admits shop/db on TCP 5432; '
      + 'shop/db is isolated for ingress by policies shop/default-deny, shop/db; no ingress rule admits shop/db on TCP 5432');
    expect(net.isConnectionAllowed(api, shop.shop)).toBe(false);
    expect(net.isConnectionAllowed(Peer.pods({ namespace: 'shop', labels: { 'app.kubernetes.io/name': 'api' } }), db, Port.tcp(5432))).toBe(true);
  });

  test('monitoring reaches the metrics port through a namespace peer', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
    const mon = new DenyAllNamespace(chart, 'Monitoring', { name: 'monitoring' });
    const svc = new SecureService(chart, 'Api', { namespace: ns, image: 'a:1', ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }] });
    const scraper = new SecureService(chart, 'Scraper', { namespace: mon, image: 's:1', port: 9000 });
    svc.allowFrom(scraper, Port.named('metrics'));
    const n = NetworkAnalysis.fromApp(app);
    expect(n.isConnectionAllowed(scraper, svc, Port.named('metrics'))).toBe(true);
    expect(n.isConnectionAllowed(scraper, svc, Port.named('http'))).toBe(false);
    expect(n.isConnectionAllowed(Peer.namespace('monitoring'), svc, Port.tcp(9090))).toBe(true);
  });

  test('a peer that selects nothing is an error that lists the workloads', () => {
    const other = new SecureService(newChart(), 'Cache', { image: 'r:1', port: 6379 });
    expect(() => net.isConnectionAllowed(web, other)).toThrow(
      'NetworkAnalysis: to cache selects no workload of the manifests (it selects {"podSelector":{"matchLabels":{"app.kubernetes.io/name":"cache"}}}). '
      + 'Known workloads: shop/api[Deployment], shop/db[Deployment], shop/web[Deployment].');
  });

  test('a controller whose pods are not in the chart is queried as a hypothetical pod with its labels in its namespace', () => {
    const nginx = IngressController.ingressNginx();
    // web admits the controller on its port; api does not.
    const toWeb = net.explainConnection(nginx, web, Port.tcp(8080));
    expect(toWeb.allowed).toBe(true);
    expect(toWeb.from).toBe('ingress-nginx/hypothetical-pod[Pod]');
    expect(toWeb.text).toBe('allowed: egress from ingress-nginx/hypothetical-pod is not isolated; ingress to shop/web admitted by policy shop/web rule 0. '
      + 'Hypothetical: ingress-nginx/app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/component=controller selects no pod of the manifests; '
      + 'the pod ingress-nginx/hypothetical-pod with labels app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/component=controller stands for it, '
      + 'in namespace ingress-nginx (not in the manifests, labelled kubernetes.io/metadata.name=ingress-nginx)');
    const toApi = net.explainConnection(nginx, api, Port.tcp(8080));
    expect(toApi.allowed).toBe(false);
    expect(toApi.text).toMatch(/^denied: shop\/api is isolated for ingress by policies shop\/default-deny, shop\/api; no ingress rule admits ingress-nginx\/hypothetical-pod on TCP 8080\. Hypothetical: /);
    // The query does not change the analysis: the controller is still not one of its workloads.
    expect(net.workloads().map((w) => w.id)).not.toContain('ingress-nginx/hypothetical-pod[Pod]');
    expect(() => net.workloadsOf(nginx)).toThrow(/selects no workload of the manifests/);
  });

  test('Peer.namespace of a namespace without workloads is a hypothetical pod without labels there', () => {
    const monitoring = Peer.namespace('monitoring');
    expect(net.isConnectionAllowed(monitoring, api, Port.tcp(9090))).toBe(true);
    expect(net.isConnectionAllowed(monitoring, api, Port.tcp(8080))).toBe(false);
    const v = net.explainConnection(api, monitoring, Port.tcp(9090));
    expect(v.allowed).toBe(false);
    expect(v.to).toBe('monitoring/hypothetical-pod[Pod]');
    expect(v.text).toMatch(/\. Hypothetical: ns:monitoring selects no pod of the manifests; the pod monitoring\/hypothetical-pod without labels stands for it, in namespace monitoring \(not in the manifests, labelled kubernetes\.io\/metadata\.name=monitoring\)$/);
  });

  test('a hypothetical pod in a namespace of the manifests is isolated by its policies', () => {
    // shop is a DenyAllNamespace: a pod there with other labels is denied by the default-deny policy.
    const stranger = Peer.pods({ namespace: 'shop', labels: { app: 'stranger' } });
    const v = net.explainConnection(stranger, api, Port.tcp(8080));
    expect(v.allowed).toBe(false);
    expect(v.egress.isolatingPolicies).toEqual(['shop/default-deny', 'shop/allow-dns']);
    expect(v.text).toMatch(/in namespace shop of the manifests$/);
  });

  test('two ipBlocks cannot be queried against each other', () => {
    expect(() => net.isConnectionAllowed(Peer.ipBlock('10.0.0.0/8'), Peer.ipBlock('192.168.0.0/16'))).toThrow(/both IP addresses/);
  });

  test('fromApp sees every chart of the app', () => {
    const app = new App();
    const a = new Chart(app, 'a', { disableResourceNameHashes: true });
    const b = new Chart(app, 'b', { disableResourceNameHashes: true });
    new SecureService(a, 'One', { image: 'x:1', port: 8080 });
    new SecureService(b, 'Two', { image: 'x:1', port: 8080 });
    expect(NetworkAnalysis.fromApp(app).workloads().map((w) => w.id)).toEqual(['default/one[Deployment]', 'default/two[Deployment]']);
    expect(NetworkAnalysis.fromChart(a).workloads().map((w) => w.id)).toEqual(['default/one[Deployment]']);
  });
});
