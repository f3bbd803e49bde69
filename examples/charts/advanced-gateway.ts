import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DenyAllNamespace, GatewayImplementation, IngressBackend, IngressPathType, SecureService, TlsCertificate, TlsGateway } from '../../src';

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
    const traefik = GatewayImplementation.traefik();
    const web = new SecureService(this, 'Web', { namespace: ns, image: 'ghcr.io/acme/web:2.0.0', port: 8080, writablePaths: ['/tmp'] });
    const api = new SecureService(this, 'Api', {
      namespace: ns, image: 'ghcr.io/acme/api:1.4.2', ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }], replicas: 3,
    });
    const admin = new SecureService(this, 'Admin', { namespace: ns, image: 'ghcr.io/acme/admin:0.9.1', port: 8080, replicas: 1 });
    const certificate = TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' });

    this.public = new TlsGateway(this, 'Public', {
      namespace: ns,
      implementation: traefik,
      certificate,
      rules: [
        { host: 'shop.example.com', path: '/', backend: IngressBackend.fromSecureService(web) },
        { host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(api, 'http') },
        { host: 'api.example.com', path: '/', backend: IngressBackend.fromSecureService(api, 'http') },
        { host: 'api.example.com', path: '/v1/health', pathType: IngressPathType.EXACT, backend: IngressBackend.fromSecureService(api, 'http') },
      ],
      rateLimit: { requestsPerSecond: 20, burst: 40, connections: 20 },
      maxRequestBodyBytes: 8 * 1024 * 1024,
      cors: { allowOrigins: ['https://shop.example.com'], allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'], allowHeaders: ['Authorization', 'Content-Type'], maxAgeSeconds: 600 },
    });

    this.admin = new TlsGateway(this, 'AdminGateway', {
      namespace: ns,
      name: 'admin',
      implementation: traefik,
      certificate,
      rules: [{ host: 'admin.example.com', backend: IngressBackend.fromSecureService(admin) }],
      basicAuthSecret: 'admin-users',
      allowSourceRanges: ['198.51.100.0/24'],
      rateLimit: { requestsPerSecond: 5, burst: 10 },
    });

    this.partners = new TlsGateway(this, 'Partners', {
      namespace: ns,
      implementation: traefik,
      certificate,
      rules: [{ host: 'partners.example.com', path: '/api', backend: IngressBackend.fromSecureService(api, 'http') }],
      externalAuthUrl: 'http://authz.auth.svc.cluster.local:8080/verify',
      rateLimit: { requestsPerSecond: 50, burst: 100 },
    });
  }
}
