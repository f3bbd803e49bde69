import { App, Chart, Testing } from 'cdk8s';
import { ZeroTrustShop } from '../../examples/charts/zero-trust-shop';
import { DenyAllNamespace, NetworkAnalysis, Peer, Port, SecureService } from '../../src';
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

  test('two ipBlocks cannot be queried against each other', () => {
    expect(() => net.isConnectionAllowed(Peer.ipBlock('10.0.0.0/8'), Peer.ipBlock('192.168.0.0/16'))).toThrow(/both IP addresses/);
  });

  test('fromApp sees every chart of the app', () => {
    const app = new App();
    const a = new Chart(app, 'a', { disableResourceNameHashes: true });
    const b = new Chart(app, 'b', { disableResourceNameHashes: true });
    new SecureService(a, 'One', { image: 'x:1', port: 80 });
    new SecureService(b, 'Two', { image: 'x:1', port: 80 });
    expect(NetworkAnalysis.fromApp(app).workloads().map((w) => w.id)).toEqual(['default/one[Deployment]', 'default/two[Deployment]']);
    expect(NetworkAnalysis.fromChart(a).workloads().map((w) => w.id)).toEqual(['default/one[Deployment]']);
  });
});
