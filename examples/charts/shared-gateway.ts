import { App, Chart } from 'cdk8s';
import { DenyAllNamespace, GatewayImplementation, GatewayRoute, IngressBackend, SecureService, SharedGateway, TlsCertificate } from '../../src';

/** The charts of the shared-gateway example. */
export interface SharedGatewayCharts {
  readonly platform: Chart;
  readonly catalog: Chart;
  readonly checkout: Chart;
  readonly gateway: SharedGateway;
}

/**
 * The shared-gateway pattern: the platform team owns one Gateway in `edge` (Envoy Gateway, one
 * HTTPS listener for *.shop.example.com with a cert-manager wildcard certificate, and the
 * HTTP->HTTPS redirect); app teams attach routes from their own namespaces and charts. Only
 * namespaces labelled `gateway.example.com/edge: "true"` may attach. `team-catalog` routes
 * catalog.shop.example.com, `team-checkout` routes checkout.shop.example.com, and the Envoy pods
 * of `edge` may reach each app's service port, nothing else.
 */
export function sharedGatewayExample(app: App, prefix: string): SharedGatewayCharts {
  const chart = (name: string) => new Chart(app, `${prefix}-${name}`, { disableResourceNameHashes: true });
  const platform = chart('platform');
  const edge = new DenyAllNamespace(platform, 'Edge', { name: 'edge' });
  const gateway = new SharedGateway(platform, 'Gateway', {
    namespace: edge,
    name: 'edge',
    implementation: GatewayImplementation.envoyGateway(),
    hosts: ['*.shop.example.com'],
    certificate: TlsCertificate.certManagerCertificate({ clusterIssuer: 'letsencrypt-prod' }),
    allowedNamespaceLabels: { 'gateway.example.com/edge': 'true' },
  });

  const team = (name: string, image: string) => {
    const c = chart(name);
    // team-<name>: example 06 has a namespace catalog already, and one name is one namespace (NET020).
    const ns = new DenyAllNamespace(c, 'Ns', { name: `team-${name}`, labels: { 'gateway.example.com/edge': 'true' } });
    const svc = new SecureService(c, 'App', { namespace: ns, name, image, port: 8080 });
    new GatewayRoute(c, 'Routes', { namespace: ns, name, gateway, rules: [{ host: `${name}.shop.example.com`, backend: IngressBackend.fromSecureService(svc) }] });
    return c;
  };
  return { platform, gateway, catalog: team('catalog', 'ghcr.io/acme/catalog:3.1.0'), checkout: team('checkout', 'ghcr.io/acme/checkout:1.2.0') };
}
