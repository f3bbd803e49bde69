import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { storefront } from './storefront';
import { DenyAllNamespace, GatewayImplementation, TlsGateway } from '../../src';

/** Props of `AdvancedGateway`. */
export interface AdvancedGatewayProps {
  /**
   * The namespace (the migration test renders example 04 and this into `storefront`).
   * @default 'storefront-gateway'
   */
  readonly namespace?: string;
}

/**
 * Example 04 ("Advanced Ingress") through Gateway API, on Traefik's Gateway API provider: the same
 * hosts, paths (an Exact /v1/health), rate limits (20 r/s, burst 40, 20 in flight), body limit,
 * CORS, basic auth with an office allow list, and external auth, as three Gateways with HTTPRoutes
 * whose rules reference Traefik Middlewares through ExtensionRef filters. Listeners are on Traefik's
 * entry point ports (8443, 8000). Every route is TLS with HSTS and an HTTP->HTTPS redirect; the
 * Traefik pods may reach the three services' container ports and nothing else may.
 */
export class AdvancedGateway extends Chart {
  public readonly public: TlsGateway;
  public readonly admin: TlsGateway;
  public readonly partners: TlsGateway;

  constructor(scope: Construct, id: string, props: AdvancedGatewayProps = {}) {
    super(scope, id, { disableResourceNameHashes: true });
    const ns = new DenyAllNamespace(this, 'Shop', { name: props.namespace ?? 'storefront-gateway' });
    const shop = storefront(this, ns);
    const target = { namespace: ns, implementation: GatewayImplementation.traefik(), certificate: shop.certificate };

    this.public = new TlsGateway(this, 'Public', { ...target, ...shop.public });
    this.admin = new TlsGateway(this, 'AdminGateway', { ...target, name: 'admin', ...shop.admin });
    this.partners = new TlsGateway(this, 'Partners', { ...target, ...shop.partners });
  }
}
