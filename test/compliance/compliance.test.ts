import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { complianceFindings, ComplianceFinding } from './checks';
import { documentedPolicyExceptions } from './exceptions';
import { AdvancedGateway } from '../../examples/charts/advanced-gateway';
import { AdvancedIngress } from '../../examples/charts/advanced-ingress';
import { BasicGateway } from '../../examples/charts/basic-gateway';
import { BasicIngress } from '../../examples/charts/basic-ingress';
import { BasicNetworking } from '../../examples/charts/basic-networking';
import { ExternalServices } from '../../examples/charts/external-services';
import { MultiCluster } from '../../examples/charts/multi-cluster';
import { ServiceMeshShops } from '../../examples/charts/service-mesh';
import { ZeroTrustShop } from '../../examples/charts/zero-trust-shop';
import {
  DenyAllNamespace, ExternalDependency, HeadlessStatefulEndpoint, IngressBackend, IngressController, Port, SecureService, TlsCertificate, TlsIngress,
} from '../../src';
import { synth } from '../util/synth';

/**
 * Findings of our output that are known and not yet fixed, each with the reason and the file
 * whose owner must change. The tests below require the findings to be exactly these: a new
 * finding fails, and so does a fixed one that is still listed (remove it then). None at present:
 * the documented exceptions (docs/compliance.md) carry the tools' own opt-outs, and Kyverno's,
 * a PolicyException, is applied below as a cluster admin would.
 */
interface Gap {
  readonly check: string;
  readonly resource: string;
  readonly why: string;
}

const EXAMPLES: Array<[string, (app: App) => Chart, Gap[]]> = [
  ['01 basic networking', (app) => new BasicNetworking(app, '01'), []],
  ['02 network policies', (app) => new ZeroTrustShop(app, '02'), []],
  ['03 basic ingress', (app) => new BasicIngress(app, '03'), []],
  ['04 advanced ingress', (app) => new AdvancedIngress(app, '04'), []],
  ['03 basic ingress through Gateway API', (app) => new BasicGateway(app, '03-gw'), []],
  ['04 advanced ingress through Gateway API', (app) => new AdvancedGateway(app, '04-gw'), []],
  ['05 external services', (app) => new ExternalServices(app, '05'), []],
  ['06 multi-cluster', (app) => new MultiCluster(app, '06'), []],
  ['07 service mesh', (app) => new ServiceMeshShops(app, '07'), []],
];

function key(f: { check: string; resource: string }): string {
  return `${f.check} ${f.resource}`;
}

function expectOnly(found: ComplianceFinding[], gaps: Gap[]) {
  const unexpected = found.filter((f) => !gaps.some((g) => key(g) === key(f)));
  expect(unexpected).toEqual([]);
  const fixed = gaps.filter((g) => !found.some((f) => key(f) === key(g)));
  expect(fixed).toEqual([]);
}

/** The Kyverno PolicyException docs/compliance.md documents for the Traefik redirect Ingress. */
const EXCEPTIONS = documentedPolicyExceptions();

describe('every example passes PSS restricted, kube-linter, Polaris and Kyverno', () => {
  test.each(EXAMPLES)('%s', (_name, build, gaps) => {
    const chart = build(Testing.app());
    expectOnly(complianceFindings([...synth(chart), ...EXCEPTIONS]), gaps);
  });

  test('the documented PolicyException is needed only for the Traefik redirect Ingresses of example 04', () => {
    expect(EXCEPTIONS.map((e) => e.metadata.name)).toEqual(['traefik-http-redirect']);
    const without = complianceFindings(synth(new AdvancedIngress(Testing.app(), '04')));
    expect([...new Set(without.map((f) => `${f.check} ${f.resource}`))].sort()).toEqual(['admin', 'partners', 'public']
      .flatMap((n) => ['kyverno/ingress-host-match-tls', 'kyverno/require-ingress-https'].map((c) => `${c} Ingress storefront/${n}-http-redirect`)).sort());
    for (const build of [BasicIngress, BasicNetworking, ExternalServices, MultiCluster, ServiceMeshShops, ZeroTrustShop]) {
      expect(complianceFindings(synth(new build(Testing.app(), 'x')))).toEqual([]);
    }
  });
});

/** A shop per namespace: web behind a TLS Ingress -> api -> db (StatefulSet), api -> an external database. */
class LargeApp extends Chart {
  constructor(scope: Construct, id: string, shops: number) {
    super(scope, id, { disableResourceNameHashes: true });
    const nginx = IngressController.ingressNginx();
    for (let i = 0; i < shops; i++) {
      const ns = new DenyAllNamespace(this, `Shop${i}`, { name: `shop-${i}` });
      const web = new SecureService(this, `Web${i}`, { namespace: ns, name: 'web', image: 'ghcr.io/acme/web:2.0.0', port: 8080, writablePaths: ['/tmp'] });
      const api = new SecureService(this, `Api${i}`, {
        namespace: ns,
        name: 'api',
        image: 'ghcr.io/acme/api:1.4.2',
        replicas: 3,
        ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'grpc', port: 9000 }],
        healthCheckPath: '/healthz',
      });
      const db = new HeadlessStatefulEndpoint(this, `Db${i}`, { namespace: ns, name: 'db', image: 'postgres:16.4', ports: [{ name: 'pg', port: 5432 }], replicas: 3, runAsUser: 999, runAsGroup: 999 });
      const ledger = new ExternalDependency(this, `Ledger${i}`, { namespace: ns, name: 'ledger', addresses: [`198.51.100.${i + 1}`], ports: [{ name: 'pg', port: 5432 }] });
      web.allowTo(api, Port.named('http'));
      api.allowTo(db);
      api.allowTo(ledger);
      new TlsIngress(this, `Public${i}`, {
        namespace: ns,
        controller: nginx,
        name: 'public',
        certificate: TlsCertificate.secret(`shop-${i}-tls`),
        rules: [
          { host: `shop-${i}.example.com`, backend: IngressBackend.fromSecureService(web) },
          { host: `api.shop-${i}.example.com`, path: '/v1', backend: IngressBackend.fromSecureService(api, 'http') },
        ],
      });
    }
  }
}

describe('a large generated app', () => {
  test('40 namespaces of shops: zero findings', () => {
    const shops = 40;
    const objects = synth(new LargeApp(Testing.app(), 'large', shops));
    expect(objects.length).toBeGreaterThan(shops * 20);
    expectOnly(complianceFindings(objects), []);
    // The README names the size of this app.
    expect(fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ')).toContain(`a generated ${shops}-namespace app`);
  });
});
