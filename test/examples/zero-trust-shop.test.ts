import { Testing } from 'cdk8s';
import { ZeroTrustShop } from '../../examples/charts/zero-trust-shop';
import { NetworkAnalysis } from '../../src/analysis';
import { one, synth } from '../util/synth';

const objects = synth(new ZeroTrustShop(Testing.app(), 'zero-trust-shop'));

/** A Prometheus in namespace monitoring and a tool in namespace ops, so traffic from outside `shop` can be asked about. */
const outsiders = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops' } },
  ...[['monitoring', 'prometheus'], ['ops', 'toolbox']].map(([namespace, name]) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } },
    },
  })),
];
const net = NetworkAnalysis.fromManifests([...objects, ...outsiders]);
const allowed = (from: string, to: string, port?: number) => net.isAllowed({ from, to, port });

describe('the zero-trust shop example', () => {
  test('creates the shop namespace closed by default-deny, with DNS allowed', () => {
    expect(one(objects, 'Namespace', 'shop').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(one(objects, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(one(objects, 'NetworkPolicy', 'allow-dns').spec.policyTypes).toEqual(['Egress']);
  });

  test('web may reach api on its http container port 8080 only (not the Service port 80, not metrics)', () => {
    expect(allowed('shop/web', 'shop/api', 8080)).toBe(true);
    expect(allowed('shop/web', 'shop/api', 80)).toBe(false);
    expect(allowed('shop/web', 'shop/api', 9090)).toBe(false);
  });

  test('api may reach db on 5432', () => {
    expect(allowed('shop/api', 'shop/db', 5432)).toBe(true);
  });

  test('db admits nothing but api, on any port', () => {
    for (const from of ['shop/web', 'monitoring/prometheus', 'ops/toolbox']) {
      expect([from, allowed(from, 'shop/db')]).toEqual([from, false]);
    }
    expect(one(objects, 'NetworkPolicy', 'db').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }], ports: [{ protocol: 'TCP', port: 5432 }] },
    ]);
  });

  test('the monitoring namespace may reach api on metrics 9090 only; other namespaces may not', () => {
    expect(allowed('monitoring/prometheus', 'shop/api', 9090)).toBe(true);
    expect(allowed('monitoring/prometheus', 'shop/api', 8080)).toBe(false);
    expect(allowed('monitoring/prometheus', 'shop/web')).toBe(false);
    expect(allowed('ops/toolbox', 'shop/api')).toBe(false);
  });

  test('api may call 203.0.113.0/24 on 443 and no other address or port', () => {
    expect(allowed('shop/api', '203.0.113.7', 443)).toBe(true);
    expect(allowed('shop/api', '203.0.113.7', 80)).toBe(false);
    expect(allowed('shop/api', '198.51.100.7', 443)).toBe(false);
    expect(allowed('shop/web', '203.0.113.7', 443)).toBe(false);
  });

  test('nothing flows backwards: db and api cannot open connections to web, db cannot reach api', () => {
    expect(allowed('shop/api', 'shop/web')).toBe(false);
    expect(allowed('shop/db', 'shop/web')).toBe(false);
    expect(allowed('shop/db', 'shop/api')).toBe(false);
  });

  test('manifests match the snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});
