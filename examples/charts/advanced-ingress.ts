import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DenyAllNamespace, IngressBackend, IngressClass, IngressController, IngressPathType, SecureService, TlsCertificate, TlsIngress } from '../../src';

/**
 * The seed document's "Advanced Ingress" (examples/04-advanced-ingress.yaml): complex routing,
 * rate limiting and authentication, on Traefik (a maintained controller), with certificates from
 * cert-manager.
 *
 * - `public`: shop.example.com and api.example.com; / to web, /api (prefix) and /v1/health
 *   (exact) to api. Rate limited per client IP (20 r/s, burst 40, 20 in flight), request bodies
 *   up to 8 MiB, CORS for the storefront origin. Traefik counts limits per instance.
 * - `admin`: admin.example.com to the admin service, behind basic auth and open only to the
 *   office range.
 * - `partners`: partners.example.com to the api, authenticated by an external auth service
 *   (Traefik forwardAuth).
 * Every hostname is on TLS with HSTS and an HTTP->HTTPS redirect; the Traefik pods may reach
 * the three services' container ports and nothing else may.
 */
export class AdvancedIngress extends Chart {
  public readonly public: TlsIngress;
  public readonly admin: TlsIngress;
  public readonly partners: TlsIngress;

  constructor(scope: Construct, id: string) {
    super(scope, id, { disableResourceNameHashes: true });
    // Not `shop`: example 02 creates that namespace with its own web and api in the same app, and
    // two objects of one name are one object in the cluster (NET020 duplicate-object).
    const ns = new DenyAllNamespace(this, 'Shop', { name: 'storefront' });
    const traefik = IngressController.traefik();
    new IngressClass(this, 'Traefik', { controller: traefik, isDefault: true });

    const web = new SecureService(this, 'Web', { namespace: ns, image: 'ghcr.io/acme/web:2.0.0', port: 8080, writablePaths: ['/tmp'] });
    const api = new SecureService(this, 'Api', {
      namespace: ns, image: 'ghcr.io/acme/api:1.4.2', ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }], replicas: 3,
    });
    const admin = new SecureService(this, 'Admin', { namespace: ns, image: 'ghcr.io/acme/admin:0.9.1', port: 8080, replicas: 1 });
    const certificate = TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' });

    this.public = new TlsIngress(this, 'Public', {
      namespace: ns,
      controller: traefik,
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

    this.admin = new TlsIngress(this, 'AdminIngress', {
      namespace: ns,
      name: 'admin',
      controller: traefik,
      certificate,
      rules: [{ host: 'admin.example.com', backend: IngressBackend.fromSecureService(admin) }],
      basicAuthSecret: 'admin-users',
      allowSourceRanges: ['198.51.100.0/24'],
      rateLimit: { requestsPerSecond: 5, burst: 10 },
    });

    this.partners = new TlsIngress(this, 'Partners', {
      namespace: ns,
      controller: traefik,
      certificate,
      rules: [{ host: 'partners.example.com', path: '/api', backend: IngressBackend.fromSecureService(api, 'http') }],
      externalAuthUrl: 'http://authz.auth.svc.cluster.local:8080/verify',
      rateLimit: { requestsPerSecond: 50, burst: 100 },
    });
  }
}
