import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DenyAllNamespace, GatewayImplementation, IngressBackend, SecureService, TlsCertificate, TlsGateway } from '../../src';

/** Props of `BasicGateway`. */
export interface BasicGatewayProps {
  /**
   * The namespace. The examples app uses its own, so that it does not collide with example 03's;
   * the migration test renders both into `my-app` and compares their route tables.
   * @default 'my-app-gateway'
   */
  readonly namespace?: string;
}

/**
 * Example 03 ("Basic Ingress") through Gateway API: the same routing (my-app.example.com, /api to
 * the api service, / to the web service, TLS from example-tls-secret) as a Gateway with an HTTPS
 * listener and an HTTPRoute, on Envoy Gateway. The HTTP->HTTPS redirect is a redirect-only
 * HTTPRoute on the plain-HTTP listener; HSTS a ResponseHeaderModifier filter. The Envoy pods of
 * this Gateway (in envoy-gateway-system) may reach the two services' container ports, and
 * nothing else may. `RouteTable.expectSame` proves it routes exactly as example 03.
 */
export class BasicGateway extends Chart {
  public readonly gateway: TlsGateway;

  constructor(scope: Construct, id: string, props: BasicGatewayProps = {}) {
    super(scope, id, { disableResourceNameHashes: true });
    const ns = new DenyAllNamespace(this, 'MyApp', { name: props.namespace ?? 'my-app-gateway' });
    const api = new SecureService(this, 'Api', {
      namespace: ns, name: 'api-service', image: 'ghcr.io/acme/api:1.4.2', ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    });
    const web = new SecureService(this, 'Web', {
      namespace: ns, name: 'web-service', image: 'ghcr.io/acme/web:2.0.0', ports: [{ name: 'http', port: 80, targetPort: 8080 }], writablePaths: ['/tmp'],
    });
    this.gateway = new TlsGateway(this, 'Example', {
      namespace: ns,
      name: 'example-gateway',
      implementation: GatewayImplementation.envoyGateway(),
      certificate: TlsCertificate.secret('example-tls-secret'),
      rules: [
        { host: 'my-app.example.com', path: '/api', backend: IngressBackend.fromSecureService(api) },
        { host: 'my-app.example.com', path: '/', backend: IngressBackend.fromSecureService(web) },
      ],
    });
  }
}
