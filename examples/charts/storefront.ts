import { Chart } from 'cdk8s';
import { DenyAllNamespace, IngressBackend, IngressPathType, IngressRule, RoutingOptions, SecureService, TlsCertificate } from '../../src';

/**
 * The routing of one hostname group of the storefront: its rules and the options it sets, in the
 * option set that TlsIngressProps and TlsGatewayProps share.
 */
export interface StorefrontRoute extends RoutingOptions {
  readonly rules: IngressRule[];
}

/** The storefront of example 04: its certificate and one routing spec for either target. */
export interface Storefront {
  readonly certificate: TlsCertificate;
  /** shop.example.com and api.example.com: rate limited, 8 MiB bodies, CORS for the storefront origin. */
  readonly public: StorefrontRoute;
  /** admin.example.com: basic auth, open only to the office range. */
  readonly admin: StorefrontRoute;
  /** partners.example.com: authenticated by an external auth service. */
  readonly partners: StorefrontRoute;
}

/**
 * Example 04's services (in `ns`) and routing spec, written once: `AdvancedIngress` renders it as
 * Ingresses and `AdvancedGateway` as Gateway API, and the migration test proves they route alike.
 */
export function storefront(chart: Chart, ns: DenyAllNamespace): Storefront {
  const web = new SecureService(chart, 'Web', { namespace: ns, image: 'ghcr.io/acme/web:2.0.0', port: 8080, writablePaths: ['/tmp'] });
  const api = new SecureService(chart, 'Api', {
    namespace: ns, image: 'ghcr.io/acme/api:1.4.2', ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }], replicas: 3,
  });
  const admin = new SecureService(chart, 'Admin', { namespace: ns, image: 'ghcr.io/acme/admin:0.9.1', port: 8080, replicas: 1 });
  return {
    certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
    public: {
      rules: [
        { host: 'shop.example.com', path: '/', backend: IngressBackend.fromSecureService(web) },
        { host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(api, 'http') },
        { host: 'api.example.com', path: '/', backend: IngressBackend.fromSecureService(api, 'http') },
        { host: 'api.example.com', path: '/v1/health', pathType: IngressPathType.EXACT, backend: IngressBackend.fromSecureService(api, 'http') },
      ],
      rateLimit: { requestsPerSecond: 20, burst: 40, connections: 20 },
      maxRequestBodyBytes: 8 * 1024 * 1024,
      cors: { allowOrigins: ['https://shop.example.com'], allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'], allowHeaders: ['Authorization', 'Content-Type'], maxAgeSeconds: 600 },
    },
    admin: {
      rules: [{ host: 'admin.example.com', backend: IngressBackend.fromSecureService(admin) }],
      basicAuthSecret: 'admin-users',
      allowSourceRanges: ['198.51.100.0/24'],
      rateLimit: { requestsPerSecond: 5, burst: 10 },
    },
    partners: {
      rules: [{ host: 'partners.example.com', path: '/api', backend: IngressBackend.fromSecureService(api, 'http') }],
      externalAuthUrl: 'http://authz.auth.svc.cluster.local:8080/verify',
      rateLimit: { requestsPerSecond: 50, burst: 100 },
    },
  };
}
