/**
 * The route table (`cdk8s-net routes`, RouteTable): Ingresses and Gateway API routes read alike,
 * so one routing spec rendered as TlsIngress and as TlsGateway gives equal tables.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { RouteTable } from '../../src';
import { GatewayImplementation, IngressBackend, IngressController, TlsCertificate, TlsGateway, TlsIngress } from '../../src/ingress';
import { cli } from '../cli/run-cli';
import { shop } from '../ingress/helpers';
import { newChart } from '../util/synth';

/** The same routing rendered as Ingress (ingress-nginx) and as Gateway API (Envoy Gateway), in two charts. */
function bothWays(gatewayRules?: (s: ReturnType<typeof shop>) => any[]) {
  const a = shop(newChart('ingress'));
  new TlsIngress(a.chart, 'Public', {
    namespace: a.ns,
    controller: IngressController.traefik(),
    certificate: TlsCertificate.secret('shop-tls'),
    rules: [
      { host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(a.api, 'http') },
      { host: 'shop.example.com', backend: IngressBackend.fromSecureService(a.web) },
    ],
  });
  const b = shop(newChart('gateway'));
  new TlsGateway(b.chart, 'Public', {
    namespace: b.ns,
    implementation: GatewayImplementation.envoyGateway(),
    certificate: TlsCertificate.secret('shop-tls'),
    rules: gatewayRules ? gatewayRules(b) : [
      { host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(b.api, 'http') },
      { host: 'shop.example.com', backend: IngressBackend.fromSecureService(b.web) },
    ],
  });
  return { ingress: a.chart, gateway: b.chart };
}

test('an Ingress and its Gateway API rendering give the same HTTPS route table (PathPrefix reads as Prefix; named ports resolve to numbers)', () => {
  const { ingress, gateway } = bothWays();
  const tls = (c: Chart) => RouteTable.fromChart(c).entries.filter((r) => r.tls).map(({ kind: _k, name: _n, ...rest }) => rest);
  expect(tls(ingress)).toEqual([
    { host: 'shop.example.com', path: '/', pathType: 'Prefix', backend: 'shop/web:8080', tls: true },
    { host: 'shop.example.com', path: '/api', pathType: 'Prefix', backend: 'shop/api:80', tls: true },
  ]);
  expect(tls(gateway)).toEqual(tls(ingress));
  expect(() => RouteTable.expectSame(ingress, gateway)).not.toThrow();
});

test('expectSame names the routes that differ', () => {
  const { ingress, gateway } = bothWays((b) => [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(b.web) }]);
  expect(() => RouteTable.expectSame(ingress, gateway)).toThrow('- shop.example.com/api (Prefix) -> shop/api:80 [tls]');
});

test('the Gateway redirect route reads as redirect https without a backend', () => {
  const { gateway } = bothWays();
  expect(RouteTable.fromChart(gateway).entries.filter((r) => r.redirect)).toEqual([
    { kind: 'HTTPRoute', name: 'shop/public-http-redirect', host: 'shop.example.com', path: '/', pathType: 'Prefix', redirect: 'https', tls: false },
  ]);
});

test('cdk8s-net routes FILES --json prints the table of both kinds in the issue\'s shape', async () => {
  const { ingress, gateway } = bothWays();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'routes-'));
  fs.writeFileSync(path.join(dir, 'ingress.yaml'), ingress.toJson().map((o) => YAML.stringify(o)).join('---\n'));
  fs.writeFileSync(path.join(dir, 'gateway.yaml'), gateway.toJson().map((o) => YAML.stringify(o)).join('---\n'));
  const r = await cli('routes', dir, '--json');
  expect(r.code).toBe(0);
  const routes = JSON.parse(r.stdout).routes;
  expect(routes).toContainEqual({ kind: 'Ingress', name: 'shop/public', host: 'shop.example.com', path: '/api', pathType: 'Prefix', backend: 'shop/api:80', tls: true });
  expect(routes).toContainEqual({ kind: 'HTTPRoute', name: 'shop/public-shop-example-com', host: 'shop.example.com', path: '/api', pathType: 'Prefix', backend: 'shop/api:80', tls: true });
  expect(routes).toContainEqual({ kind: 'HTTPRoute', name: 'shop/public-http-redirect', host: 'shop.example.com', path: '/', pathType: 'Prefix', redirect: 'https', tls: false });
  const text = await cli('routes', path.join(dir, 'gateway.yaml'));
  expect(text.stdout).toContain('shop.example.com/api (Prefix) -> shop/api:80 [tls]  HTTPRoute shop/public-shop-example-com\n');
  expect((await cli('routes')).code).toBe(2);
});

test('Exact paths, weighted canary backends and header rules', () => {
  const objects = [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'shop' },
      spec: {
        hostnames: ['a.example.com'],
        rules: [
          { matches: [{ path: { type: 'Exact', value: '/x' } }], backendRefs: [{ name: 'web', port: 80, weight: 90 }, { name: 'canary', port: 80, weight: 10 }] },
          { matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'X-Canary', value: 'always' }] }], backendRefs: [{ name: 'canary', port: 80 }] },
        ],
      },
    },
  ];
  expect(RouteTable.fromManifests(objects).entries.map((r) => [r.path, r.pathType, r.backend, r.weight])).toEqual([
    ['/', 'Prefix+header(X-Canary=always)', 'shop/canary:80', undefined],
    ['/x', 'Exact', 'shop/canary:80', 10],
    ['/x', 'Exact', 'shop/web:80', 90],
  ]);
});

test('a Traefik redirect Ingress (redirectScheme Middleware) reads as redirect https, not as plain-HTTP backends', () => {
  const { ingress } = bothWays();
  const plain = RouteTable.fromChart(ingress).entries.filter((r) => !r.tls);
  expect(plain).toEqual([
    { kind: 'Ingress', name: 'shop/public-http-redirect', host: 'shop.example.com', path: '/', pathType: 'Prefix', redirect: 'https', tls: false },
    { kind: 'Ingress', name: 'shop/public-http-redirect', host: 'shop.example.com', path: '/api', pathType: 'Prefix', redirect: 'https', tls: false },
  ]);
});

// ParentReference kind defaults to Gateway; kind Service (group "") is a GAMMA mesh attachment
// (kubernetes-sigs/gateway-api v1.6.1 apis/v1/shared_types.go, ParentReference).
test('only parentRefs to Gateways give a route its listeners: a mesh (GAMMA) parentRef to a Service of a Gateway\'s name is no HTTPS listener', () => {
  const gw = 'gateway.networking.k8s.io/v1';
  const route = (parentRef: any) => RouteTable.fromManifests([
    { apiVersion: gw, kind: 'Gateway', metadata: { name: 'edge', namespace: 'shop' }, spec: { listeners: [{ name: 'https', protocol: 'HTTPS', port: 443 }] } },
    { apiVersion: gw, kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'shop' }, spec: { parentRefs: [parentRef], rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] } },
  ]).entries.map((r) => r.tls);
  expect(route({ name: 'edge' })).toEqual([true]);
  expect(route({ group: '', kind: 'Service', name: 'edge' })).toEqual([false]);
});
