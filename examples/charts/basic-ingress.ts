import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DenyAllNamespace, IngressBackend, IngressController, SecureService, TlsCertificate, TlsIngress } from '../../src';

/**
 * The seed document's "Basic Ingress" (examples/03-basic-ingress.yaml): my-app.example.com with
 * /api to the api service and / to the web service, TLS from the secret example-tls-secret.
 *
 * Differences from the seed, on purpose:
 * - The seed's `nginx.ingress.kubernetes.io/rewrite-target: /` is left out: it rewrote /api/x to
 *   /x for the api, and rewrite targets are refused (regular-expression captures reach nginx.conf).
 *   The api serves its routes under /api instead.
 * - ingress-nginx is retired (March 2026); this reproduces the seed on it. Swap in
 *   `IngressController.nginxInc()`, `.traefik()` or `.haproxy()`, or `TlsGateway`, to move off it.
 * - The HTTP->HTTPS redirect is explicit, every host is in spec.tls, and the controller's pods
 *   may reach the two services' container ports (8080) and nothing else may.
 */
export class BasicIngress extends Chart {
  public readonly ingress: TlsIngress;

  constructor(scope: Construct, id: string) {
    super(scope, id, { disableResourceNameHashes: true });
    const ns = new DenyAllNamespace(this, 'MyApp', { name: 'my-app' });
    const api = new SecureService(this, 'Api', {
      namespace: ns, name: 'api-service', image: 'ghcr.io/acme/api:1.4.2', ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    });
    const web = new SecureService(this, 'Web', {
      namespace: ns, name: 'web-service', image: 'ghcr.io/acme/web:2.0.0', ports: [{ name: 'http', port: 80, targetPort: 8080 }], writablePaths: ['/tmp'],
    });
    this.ingress = new TlsIngress(this, 'Example', {
      namespace: ns,
      name: 'example-ingress',
      controller: IngressController.ingressNginx(),
      certificate: TlsCertificate.secret('example-tls-secret'),
      rules: [
        { host: 'my-app.example.com', path: '/api', backend: IngressBackend.fromSecureService(api) },
        { host: 'my-app.example.com', path: '/', backend: IngressBackend.fromSecureService(web) },
      ],
    });
  }
}
