/**
 * Examples 03 and 04 rendered through Gateway API, and the shared-gateway example: what they mean
 * (routes, options, who reaches whom), a snapshot each, and the migration proof — the Gateway
 * API rendering routes exactly as the Ingress one (RouteTable.expectSame).
 */
import { App, Testing } from 'cdk8s';
import { AdvancedGateway } from '../../examples/charts/advanced-gateway';
import { AdvancedIngress } from '../../examples/charts/advanced-ingress';
import { addExamples } from '../../examples/charts/all-examples';
import { BasicGateway } from '../../examples/charts/basic-gateway';
import { BasicIngress } from '../../examples/charts/basic-ingress';
import { sharedGatewayExample } from '../../examples/charts/shared-gateway';
import { NetworkAnalysis, RouteTable } from '../../src';
import { reachLines } from '../../src/analysis/reach';
import { ofKind, one, synth, validateManifests } from '../util/synth';

describe('example 03 through Gateway API', () => {
  test('an HTTPS listener for my-app.example.com with example-tls-secret, /api and / as PathPrefix rules, the redirect route', () => {
    const objects = synth(new BasicGateway(Testing.app(), '03-basic-gateway'));
    const gw = one(objects, 'Gateway', 'example-gateway');
    expect(gw.spec.listeners[0]).toEqual(expect.objectContaining({
      hostname: 'my-app.example.com',
      port: 443,
      protocol: 'HTTPS',
      tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'example-tls-secret' }] },
    }));
    const route = one(objects, 'HTTPRoute', 'example-gateway-my-app-example-com');
    expect(route.spec.rules.map((r: any) => [r.matches[0].path.value, r.backendRefs[0].name])).toEqual([['/api', 'api-service'], ['/', 'web-service']]);
    expect(one(objects, 'HTTPRoute', 'example-gateway-http-redirect').spec.rules[0].filters[0].requestRedirect.scheme).toBe('https');
  });

  test('only the Envoy pods of this Gateway reach the services, on 8080', () => {
    const chart = new BasicGateway(Testing.app(), '03-basic-gateway');
    const lines = reachLines(NetworkAnalysis.fromChart(chart), { to: 'my-app-gateway/api-service[Deployment]' }).map((l) => `${l.src} : ${l.conn}`);
    expect(lines).toEqual(['envoy-gateway-system/example-gateway[Gateway] : TCP 8080']);
  });

  test('migration proof: it routes exactly as example 03 (same namespace)', () => {
    const ingress = new BasicIngress(Testing.app(), '03');
    const gateway = new BasicGateway(Testing.app(), '03-gw', { namespace: 'my-app' });
    expect(() => RouteTable.expectSame(ingress, gateway)).not.toThrow();
    expect(RouteTable.fromChart(gateway).entries.filter((r) => r.tls).map((r) => `${r.host}${r.path} ${r.pathType} ${r.backend}`)).toEqual([
      'my-app.example.com/ Prefix my-app/web-service:80', 'my-app.example.com/api Prefix my-app/api-service:80',
    ]);
  });

  test('snapshot', () => {
    expect(synth(new BasicGateway(new App(), '03-basic-gateway'))).toMatchSnapshot();
  });
});

describe('example 04 through Gateway API (Traefik)', () => {
  test('the options as Traefik Middlewares referenced by ExtensionRef filters, on the entry point ports', () => {
    const objects = synth(new AdvancedGateway(Testing.app(), '04-advanced-gateway'));
    const refs = (route: string) => one(objects, 'HTTPRoute', route).spec.rules[0].filters.filter((f: any) => f.type === 'ExtensionRef').map((f: any) => f.extensionRef.name);
    expect(refs('public-shop-example-com')).toEqual(['public-rate-limit', 'public-in-flight', 'public-body-size', 'public-cors']);
    expect(refs('admin-admin-example-com')).toEqual(['admin-rate-limit', 'admin-allow-list', 'admin-basic-auth']);
    expect(refs('partners-partners-example-com')).toEqual(['partners-rate-limit', 'partners-forward-auth']);
    expect(one(objects, 'Middleware', 'admin-allow-list').spec).toEqual({ ipAllowList: { sourceRange: ['198.51.100.0/24'] } });
    expect(one(objects, 'Middleware', 'partners-forward-auth').spec).toEqual({ forwardAuth: { address: 'http://authz.auth.svc.cluster.local:8080/verify' } });
    expect(one(objects, 'Gateway', 'public').spec.listeners.map((l: any) => l.port)).toEqual([8443, 8443, 8000]);
    const health = one(objects, 'HTTPRoute', 'public-api-example-com').spec.rules.find((r: any) => r.matches[0].path.value === '/v1/health');
    expect(health.matches[0].path.type).toBe('Exact');
  });

  test('migration proof: it routes exactly as example 04 (same namespace)', () => {
    const ingress = new AdvancedIngress(Testing.app(), '04');
    const gateway = new AdvancedGateway(Testing.app(), '04-gw', { namespace: 'storefront' });
    expect(() => RouteTable.expectSame(ingress, gateway)).not.toThrow();
    expect(RouteTable.fromChart(gateway).entries.filter((r) => r.tls)).toHaveLength(6);
  });

  test('snapshot', () => {
    expect(synth(new AdvancedGateway(new App(), '04-advanced-gateway'))).toMatchSnapshot();
  });
});

describe('shared-gateway example: a platform namespace and two app namespaces', () => {
  function rendered() {
    const app = Testing.app();
    const charts = sharedGatewayExample(app, '11');
    const objects = [charts.platform, charts.catalog, charts.checkout].flatMap((c) => Testing.synth(c));
    validateManifests(objects);
    return { app, charts, objects };
  }

  test('one Gateway in edge admits labelled namespaces; each team\'s HTTPRoute attaches to its wildcard listener from its own namespace', () => {
    const { objects } = rendered();
    expect(ofKind(objects, 'Gateway')).toHaveLength(1);
    const gw = one(objects, 'Gateway', 'edge');
    expect(gw.spec.listeners[0].allowedRoutes.namespaces).toEqual({ from: 'Selector', selector: { matchLabels: { 'gateway.example.com/edge': 'true' } } });
    for (const team of ['catalog', 'checkout']) {
      const route = one(objects, 'HTTPRoute', `${team}-${team}-shop-example-com`);
      expect(route.metadata.namespace).toBe(`team-${team}`);
      expect(route.spec.parentRefs).toEqual([{ name: 'edge', namespace: 'edge', sectionName: 'https.wildcard.shop.example.com' }]);
    }
    expect(one(objects, 'Certificate', 'edge-tls').spec.dnsNames).toEqual(['*.shop.example.com']);
  });

  test('the Envoy pods of edge reach each team\'s service port and nothing else; the teams do not reach each other', () => {
    const { objects } = rendered();
    const net = NetworkAnalysis.fromManifests(objects);
    // envoy-gateway-system has no policy in these manifests, so its egress to addresses outside them is open.
    const lines = reachLines(net, { from: 'envoy-gateway-system/edge[Gateway]' }).filter((l) => !l.dst.endsWith('[External]')).map((l) => `${l.dst} : ${l.conn}`);
    expect(lines).toEqual(['team-catalog/catalog[Deployment] : TCP 8080', 'team-checkout/checkout[Deployment] : TCP 8080']);
    expect(net.isAllowed({ from: 'team-catalog/catalog', to: 'team-checkout/checkout', port: 8080 })).toBe(false);
  });

  test('routes table of the three charts', () => {
    const { app } = rendered();
    expect(RouteTable.fromApp(app).entries.filter((r) => r.tls).map((r) => `${r.host}${r.path} -> ${r.backend}`)).toEqual([
      'catalog.shop.example.com/ -> team-catalog/catalog:8080', 'checkout.shop.example.com/ -> team-checkout/checkout:8080',
    ]);
  });

  test('snapshot', () => {
    expect(rendered().objects).toMatchSnapshot();
  });
});

test('the examples app, every chart of examples/main.ts in one app, passes synth validation (no duplicate namespaces, every route admitted)', () => {
  const app = Testing.app();
  addExamples(app);
  expect(() => app.synth()).not.toThrow();
});
