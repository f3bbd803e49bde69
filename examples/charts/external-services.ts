import { Chart, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { DenyAllNamespace, ExternalDependency, HeadlessStatefulEndpoint, Peer, Port, SecureService } from '../../src';

/**
 * Seed example 05, "External Services": workloads reach things outside the cluster by stable
 * in-cluster names, and their egress is open exactly to those things.
 *
 * - `payments`: a SaaS API known by DNS name -> ExternalName Service. NetworkPolicy cannot match
 *   names, so the provider's published range is given as `egressTo`.
 * - `ledger-db`: a database outside the cluster known by IP -> selector-less Service plus
 *   EndpointSlices (IPv4 and IPv6); egress to exactly those addresses.
 * - `geo`: a CDN-backed API whose addresses change -> ExternalName with the explicit
 *   `allowEgressToAnyAddress` opt-in, limited to TCP 443.
 * - `cache`: an in-cluster stateful set that the api also uses, for contrast.
 */
export class ExternalServices extends Chart {
  public readonly orders: DenyAllNamespace;
  public readonly api: SecureService;
  public readonly payments: ExternalDependency;
  public readonly ledgerDb: ExternalDependency;
  public readonly geo: ExternalDependency;
  public readonly cache: HeadlessStatefulEndpoint;

  constructor(scope: Construct, id: string) {
    super(scope, id, { disableResourceNameHashes: true });
    this.orders = new DenyAllNamespace(this, 'Orders', { name: 'orders' });

    this.api = new SecureService(this, 'Api', {
      namespace: this.orders,
      image: 'ghcr.io/acme/orders-api:3.1.0',
      port: 8080,
      writablePaths: ['/tmp'],
    });

    this.payments = new ExternalDependency(this, 'Payments', {
      namespace: this.orders,
      hostname: 'api.payments.example',
      ports: [{ name: 'https', port: 443 }],
      egressTo: [Peer.ipBlock('203.0.113.0/24'), Peer.ipBlock('2001:db8:443::/48')],
    });
    this.ledgerDb = new ExternalDependency(this, 'LedgerDb', {
      namespace: this.orders,
      addresses: ['198.51.100.21', '198.51.100.22', '2001:db8:5432::21'],
      ports: [{ name: 'pg', port: 5432 }],
    });
    this.geo = new ExternalDependency(this, 'Geo', {
      namespace: this.orders,
      hostname: 'geo.cdn.example',
      ports: [{ name: 'https', port: 443 }],
      allowEgressToAnyAddress: true,
    });
    this.cache = new HeadlessStatefulEndpoint(this, 'Cache', {
      namespace: this.orders,
      image: 'ghcr.io/acme/valkey:8.0',
      ports: [{ name: 'redis', port: 6379 }, { name: 'bus', port: 16379 }],
      replicas: 3,
      storage: { size: Size.gibibytes(5) },
      clientService: true,
    });

    // The web store (another team's namespace, which this app does not create) calls the orders api.
    // Not example 04's `storefront`: this app isolates that one for egress and none of its pods is
    // allowed out to the orders api, so the call could never be made (NET044).
    this.api.allowFrom(Peer.namespace('web-store'), Port.named('http'));
    this.api.allowTo(this.payments);
    this.api.allowTo(this.ledgerDb);
    this.api.allowTo(this.geo);
    this.api.allowTo(this.cache, Port.named('redis'));
  }
}
