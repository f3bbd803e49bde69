import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { ZeroTrustShop } from '../../examples/charts/zero-trust-shop';
import { NetworkAnalysis, Peer, Port } from '../../src';
import { ExpectConnection, Manifests } from '../../src/testing';
import { connectivityChanges } from '../../src/testing/jest';

const app = Testing.app();
const shop = new ZeroTrustShop(app, 'zero-trust-shop');
const { web, api, db } = shop;

describe('Manifests', () => {
  const manifests = Manifests.fromChart(shop);

  test('finds synthesized objects by kind, name, namespace and labels', () => {
    expect(manifests.find({ kind: 'NetworkPolicy', namespace: 'shop' }).map((o) => o.metadata.name))
      .toEqual(['default-deny', 'allow-dns', 'web', 'api', 'db']);
    expect(manifests.findOne({ kind: 'Service', name: 'api' }).spec.ports.map((p: any) => p.targetPort)).toEqual(['http', 'metrics']);
    expect(manifests.count({ kind: 'Deployment', labels: { 'app.kubernetes.io/name': 'db' } })).toBe(1);
    expect(manifests.has({ kind: 'Namespace', name: 'shop' })).toBe(true);
    expect(manifests.count({ kind: 'Namespace', namespace: 'default' })).toBe(0);
    expect(manifests.kinds()).toEqual(['Deployment', 'Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
  });

  test('findOne says what there is when nothing or several match', () => {
    expect(() => manifests.findOne({ kind: 'Service', name: 'cache' })).toThrow(
      'Manifests.findOne({"kind":"Service","name":"cache"}): no object matches; Service objects: Service/shop/web, Service/shop/api, Service/shop/db.');
    expect(() => manifests.findOne({ kind: 'Deployment' })).toThrow(/^Manifests.findOne\({"kind":"Deployment"}\): 3 objects match \(Deployment\/shop\/web, /);
  });

  describe('a cluster-scoped object is in no namespace, even when it carries one', () => {
    // A Chart's namespace lands on every object (cdk8s#1558); the API server clears it on a
    // cluster-scoped one (k8s.io/apiserver pkg/registry/rest/meta.go,
    // EnsureObjectNamespaceMatchesRequestNamespace: "cluster-scoped, clear namespace").
    const chart = new Chart(Testing.app(), 'scoped', { namespace: 'shop' });
    new ApiObject(chart, 'Class', { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'eg' } });
    new ApiObject(chart, 'Issuer', { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'letsencrypt' } });
    new ApiObject(chart, 'Anp', { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'guard' } });
    new ApiObject(chart, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
    const scoped = Manifests.fromChart(chart);

    test('the objects do carry the chart namespace', () => {
      expect(scoped.objects.map((o) => o.metadata.namespace)).toEqual(['shop', 'shop', 'shop', 'shop']);
    });

    test('a namespace filter matches only the namespaced object', () => {
      expect(scoped.find({ namespace: 'shop' }).map((o) => o.kind)).toEqual(['ConfigMap']);
      expect(scoped.count({ kind: 'GatewayClass', namespace: 'shop' })).toBe(0);
      expect(scoped.has({ kind: 'ClusterIssuer', namespace: 'shop' })).toBe(false);
      expect(scoped.count({ kind: 'AdminNetworkPolicy', namespace: 'default' })).toBe(0);
    });

    test('without a namespace filter they match as before', () => {
      expect(scoped.findOne({ kind: 'GatewayClass', name: 'eg' }).metadata.name).toBe('eg');
      expect(scoped.count({ apiVersion: 'cert-manager.io/v1' })).toBe(1);
    });

    test('findOne names them without the namespace', () => {
      expect(() => scoped.findOne({ kind: 'ClusterIssuer', namespace: 'shop' })).toThrow(
        'Manifests.findOne({"kind":"ClusterIssuer","namespace":"shop"}): no object matches; ClusterIssuer objects: ClusterIssuer/letsencrypt.');
      expect(() => scoped.findOne({ kind: 'ConfigMap', name: 'other' })).toThrow('ConfigMap objects: ConfigMap/shop/settings.');
    });

    test('a namespaced object without a namespace, or with an empty one, is in default', () => {
      const loose = Manifests.fromObjects([
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: '' } },
        { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'traefik' } },
      ]);
      expect(loose.find({ namespace: 'default' }).map((o) => o.metadata.name)).toEqual(['a', 'b']);
    });
  });

  test('fromApp and fromObjects see the same objects', () => {
    expect(Manifests.fromApp(app).count()).toBe(manifests.count());
    expect(Manifests.fromObjects(manifests.objects).count({ kind: 'Service' })).toBe(3);
  });
});

describe('ExpectConnection', () => {
  const expectConnection = ExpectConnection.inChart(shop);

  test('passes silently when the expectation holds', () => {
    expectConnection.from(web).to(api).onPort(Port.tcp(8080)).isAllowed();
    expectConnection.from(web).to(api).onPort(Port.named('http')).isAllowed();
    expectConnection.from(web).to(db).isDenied();
    expectConnection.from(api).to(Peer.ipBlock('203.0.113.0/24')).onPort(Port.HTTPS).isAllowed();
    expect(expectConnection.from(api).to(db).verdict().connections).toBe('TCP 5432');
  });

  test('fails with the explanation', () => {
    expect(() => expectConnection.from(web).to(db).onPort(Port.tcp(5432)).isAllowed()).toThrow(
      'Expected the connection shop/web => shop/db on TCP 5432 to be allowed, but it is denied: shop/web is isolated for egress by policies '
      + 'shop/default-deny, shop/allow-dns, shop/web; no egress rule admits shop/db on TCP 5432; shop/db is isolated for ingress by policies '
      + 'shop/default-deny, shop/db; no ingress rule admits shop/web on TCP 5432');
    expect(() => expectConnection.from(api).to(db).isDenied()).toThrow(
      'Expected the connection shop/api => shop/db on any port to be denied, but it is allowed: egress from shop/api admitted by policy shop/api rule 1; '
      + 'ingress to shop/db admitted by policy shop/db rule 0');
  });

  test('builders are immutable: a shared prefix can be reused', () => {
    const fromWeb = expectConnection.from(web);
    fromWeb.to(api).isAllowed();
    fromWeb.to(db).isDenied();
  });

  test('an incomplete assertion says what is missing', () => {
    expect(() => expectConnection.from(web).isAllowed()).toThrow('ExpectConnection.isAllowed(): say which connection first, e.g. .from(web).to(api).isAllowed().');
  });

  test('inApp and inAnalysis give the same answers', () => {
    ExpectConnection.inApp(app).from(api).to(db).onPort(Port.tcp(5432)).isAllowed();
    ExpectConnection.inAnalysis(NetworkAnalysis.fromChart(shop)).from(db).to(api).isDenied();
  });
});

describe('jest matchers (src/testing/jest.ts)', () => {
  test('toAllowConnection and toDenyConnection take a Chart, an App or an analysis', () => {
    expect(shop).toAllowConnection(web, api, Port.tcp(8080));
    expect(app).toDenyConnection(web, db, Port.tcp(5432));
    expect(NetworkAnalysis.fromChart(shop)).not.toAllowConnection(db, web);
  });

  test('a failing matcher prints the explanation', () => {
    expect(() => expect(shop).toAllowConnection(web, db, Port.tcp(5432))).toThrow(
      /^expected the connection shop\/web => shop\/db on TCP 5432 to be allowed, but it is denied: shop\/web is isolated for egress/);
    expect(() => expect(shop).not.toAllowConnection(web, api)).toThrow(
      /^expected the connection shop\/web => shop\/api on any port not to be allowed, but it is allowed: /);
    expect(() => expect('chart').toAllowConnection(web, api)).toThrow('expected a Chart, an App or a NetworkAnalysis, got string');
  });

  test('toAllowSameConnectionsAs: a refactor that changes no connectivity passes; a change lists the connections added and removed', () => {
    const again = new ZeroTrustShop(Testing.app(), 'zero-trust-shop');
    expect(again).toAllowSameConnectionsAs(shop);
    expect(connectivityChanges(shop, again)).toEqual({ added: [], removed: [] });
    const other = new ZeroTrustShop(Testing.app(), 'zero-trust-shop');
    other.node.findAll().map((c) => c as any).filter((c) => c.kind === 'NetworkPolicy' && c.name.includes('db')).forEach((c) => c.addJsonPatch(JsonPatch.replace('/spec/ingress', [])));
    expect(() => expect(other).toAllowSameConnectionsAs(shop)).toThrow(
      'expected the same connections; compared with the other, the subject\nremoves:\n  - shop/api[Deployment] => shop/db[Deployment] : TCP 5432\n      denied: ');
    expect(() => expect(again).not.toAllowSameConnectionsAs(shop)).toThrow('expected the connections to differ, but both allow exactly the same connections');
  });
});
