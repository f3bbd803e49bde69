import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { storefront } from './storefront';
import { DenyAllNamespace, IngressClass, IngressController, TlsIngress } from '../../src';

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
    const shop = storefront(this, ns);
    const target = { namespace: ns, controller: traefik, certificate: shop.certificate };

    this.public = new TlsIngress(this, 'Public', { ...target, ...shop.public });
    this.admin = new TlsIngress(this, 'AdminIngress', { ...target, name: 'admin', ...shop.admin });
    this.partners = new TlsIngress(this, 'Partners', { ...target, ...shop.partners });
  }
}
