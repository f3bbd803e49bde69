import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DenyAllNamespace, MeshRetryOn, MeshWorkloadOptions, Peer, Port, SecureService, ServiceMesh } from '../../src';

/** One shop in one mesh: the ingress gateway -> web -> api (with a 10% canary) -> db. */
export interface MeshShop {
  readonly namespace: DenyAllNamespace;
  readonly web: SecureService;
  readonly api: SecureService;
  readonly apiCanary: SecureService;
  readonly db: SecureService;
}

/**
 * The seed's service-mesh section, once per mesh: mutual TLS required, authorization that
 * mirrors the declared connections (identities, not IPs), retries and timeouts on the api,
 * circuit breaking, and 10% of the api's requests going to a canary version.
 *
 * `shop-istio` runs Istio (sidecar mode) and also limits the api's connection pool, which
 * Linkerd cannot express; `shop-linkerd` runs Linkerd.
 *
 * web's client is the ingress in front of the shop: Istio's ingress gateway (namespace
 * `istio-ingress`) and, for Linkerd, a meshed ingress-nginx (namespace `ingress-nginx`), which
 * reach web with their mesh identity.
 */
export class ServiceMeshShops extends Chart {
  public readonly istio: MeshShop;
  public readonly linkerd: MeshShop;

  constructor(scope: Construct, id: string) {
    super(scope, id, { disableResourceNameHashes: true });

    // Retries only on 502/503/504, 3 at most, 500 ms each, within a 2 s budget.
    const resilience: MeshWorkloadOptions = {
      retries: { attempts: 3, perTryTimeoutMillis: 500, retryOn: [MeshRetryOn.GATEWAY_ERROR] },
      requestTimeoutMillis: 2000,
      routes: [{ pathPrefix: '/api/checkout', requestTimeoutMillis: 5000, retries: { attempts: 0 } }],
      outlierDetection: { consecutiveErrors: 5, baseEjectionSeconds: 30 },
    };

    this.istio = shop(this, 'Istio', 'shop-istio', ServiceMesh.istio(), 'istio-ingress', {
      ...resilience,
      outlierDetection: { ...resilience.outlierDetection!, maxEjectionPercent: 50 },
      connectionPool: { maxConnections: 100, maxPendingRequests: 50 },
    });
    this.linkerd = shop(this, 'Linkerd', 'shop-linkerd', ServiceMesh.linkerd(), 'ingress-nginx', resilience);
  }
}

function shop(scope: Construct, id: string, name: string, mesh: ServiceMesh, ingressNamespace: string, apiTraffic: MeshWorkloadOptions): MeshShop {
  const namespace = new DenyAllNamespace(scope, `${id}Shop`, { name, mesh });
  const web = new SecureService(scope, `${id}Web`, { namespace, name: 'web', image: 'ghcr.io/acme/web:2.0.0', port: 8080, writablePaths: ['/tmp'] });
  const ports = [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }];
  const apiCanary = new SecureService(scope, `${id}ApiCanary`, { namespace, name: 'api-v2', image: 'ghcr.io/acme/api:1.5.0-rc.1', ports, replicas: 1 });
  const api = new SecureService(scope, `${id}Api`, {
    namespace,
    name: 'api',
    image: 'ghcr.io/acme/api:1.4.2',
    ports,
    replicas: 3,
    mesh: { ...apiTraffic, canary: { service: apiCanary, weightPercent: 10 } },
  });
  const db = new SecureService(scope, `${id}Db`, {
    namespace,
    name: 'db',
    image: 'postgres:16.4',
    ports: [{ name: 'pg', port: 5432 }],
    replicas: 1,
    writablePaths: ['/var/lib/postgresql/data', '/var/run/postgresql'],
    runAsUser: 999,
    runAsGroup: 999,
  });

  web.allowFrom(Peer.namespace(ingressNamespace), Port.named('http'));
  // Both api versions take the same callers and make the same calls.
  for (const version of [api, apiCanary]) {
    web.allowTo(version, Port.named('http'));
    version.allowTo(db);
    version.allowFrom(Peer.namespace('monitoring'), Port.named('metrics'));
  }
  return { namespace, web, api, apiCanary, db };
}
