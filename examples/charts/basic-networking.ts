import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DenyAllNamespace, Peer, Port, SecureService } from '../../src';

/**
 * Seed example 01, basic networking: pod-to-pod and pod-to-service communication.
 *
 * A frontend calls a backend through its Service DNS name (pod-to-service); the backend's pods
 * are also reachable directly by pod IP (pod-to-pod) — NetworkPolicies match the pod port in
 * both cases, so one statement (`frontend.allowTo(backend)`) covers both.
 */
export class BasicNetworking extends Chart {
  public readonly ns: DenyAllNamespace;
  public readonly frontend: SecureService;
  public readonly backend: SecureService;

  constructor(scope: Construct, id: string) {
    super(scope, id, { disableResourceNameHashes: true });
    this.ns = new DenyAllNamespace(this, 'Basic', { name: 'basic' });
    this.backend = new SecureService(this, 'Backend', {
      namespace: this.ns,
      image: 'ghcr.io/acme/backend:1.0.0',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      healthCheckPath: '/healthz',
    });
    this.frontend = new SecureService(this, 'Frontend', {
      namespace: this.ns,
      image: 'ghcr.io/acme/frontend:1.0.0',
      port: 3000,
      // Pod-to-service: the backend's stable DNS name, not a pod IP.
      env: { BACKEND_URL: `http://${this.backend.fqdn}` },
    });
    this.frontend.allowTo(this.backend, Port.named('http'));
    // Users reach the frontend through the cluster's ingress controller.
    this.frontend.allowFrom(Peer.namespace('ingress-nginx'), Port.named('http'));
  }
}
