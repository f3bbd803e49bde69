import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DenyAllNamespace, Peer, Port, SecureService } from '../../src';

/**
 * A namespace that starts closed, with web -> api -> db traffic and nothing else:
 * monitoring may scrape the api's metrics port, and the api may call a payment provider.
 */
export class ZeroTrustShop extends Chart {
  public readonly shop: DenyAllNamespace;
  public readonly web: SecureService;
  public readonly api: SecureService;
  public readonly db: SecureService;

  constructor(scope: Construct, id: string) {
    super(scope, id, { disableResourceNameHashes: true });

    this.shop = new DenyAllNamespace(this, 'Shop', { name: 'shop' });

    this.web = new SecureService(this, 'Web', {
      namespace: this.shop,
      image: 'ghcr.io/acme/web:2.0.0',
      port: 8080,
      writablePaths: ['/tmp'],
    });
    this.api = new SecureService(this, 'Api', {
      namespace: this.shop,
      image: 'ghcr.io/acme/api:1.4.2',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }],
      replicas: 3,
      healthCheckPath: '/healthz',
    });
    this.db = new SecureService(this, 'Db', {
      namespace: this.shop,
      image: 'postgres:16.4',
      ports: [{ name: 'pg', port: 5432 }],
      replicas: 1,
      writablePaths: ['/var/lib/postgresql/data', '/var/run/postgresql'],
      runAsUser: 999,
      runAsGroup: 999,
    });

    this.web.allowTo(this.api, Port.named('http'));
    // Shoppers reach web through the cluster's ingress controller.
    this.web.allowFrom(Peer.namespace('ingress-nginx'), Port.named('http'));
    this.api.allowTo(this.db);
    this.api.allowFrom(Peer.namespace('monitoring'), Port.named('metrics'));
    this.api.allowTo(Peer.ipBlock('203.0.113.0/24'), Port.HTTPS);
  }
}
