import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterGuardrails, DenyAllNamespace, ExternalDependency, Peer, PolicyEngine, Port, SecureService, ServiceMesh } from '../../src';

/**
 * Example 08, egress by DNS name under Cilium: the billing api calls a SaaS API and S3 buckets
 * whose addresses change. With the Cilium policy engine, `allowTo` opens exactly those names
 * (a CiliumNetworkPolicy with toFQDNs and the DNS proxy rule), no address range.
 */
export class EgressByNameCilium extends Chart {
  public readonly billing: DenyAllNamespace;
  public readonly api: SecureService;
  public readonly payments: ExternalDependency;
  public readonly buckets: ExternalDependency;

  constructor(scope: Construct, id: string) {
    super(scope, id, { disableResourceNameHashes: true });
    PolicyEngine.use(this, PolicyEngine.cilium());
    this.billing = new DenyAllNamespace(this, 'Billing', { name: 'billing' });
    this.api = new SecureService(this, 'Api', { namespace: this.billing, image: 'ghcr.io/acme/billing-api:2.3.0', port: 8080 });
    this.payments = new ExternalDependency(this, 'Payments', {
      namespace: this.billing, hostname: 'api.payments.example', ports: [{ name: 'https', port: 443 }],
    });
    this.buckets = new ExternalDependency(this, 'Buckets', {
      namespace: this.billing, hostname: '*.s3.amazonaws.com', ports: [{ name: 'https', port: 443 }],
    });
    this.api.allowTo(this.payments);
    this.api.allowTo(this.buckets);
  }
}

/**
 * Example 09, the same dependency in an Istio mesh: the host becomes a ServiceEntry in the
 * client's namespace, and the namespace's sidecars reach only registered hosts (REGISTRY_ONLY).
 * The policy engine is the default (NetworkPolicy), so the provider's published range is still
 * given for the NetworkPolicy: mesh and CNI both hold.
 */
export class EgressByNameIstio extends Chart {
  public readonly billing: DenyAllNamespace;
  public readonly api: SecureService;
  public readonly payments: ExternalDependency;

  constructor(scope: Construct, id: string) {
    super(scope, id, { disableResourceNameHashes: true });
    this.billing = new DenyAllNamespace(this, 'Billing', {
      name: 'billing-mesh', mesh: ServiceMesh.istio({ restrictOutboundToRegistry: true }),
    });
    this.api = new SecureService(this, 'Api', { namespace: this.billing, image: 'ghcr.io/acme/billing-api:2.3.0', port: 8080 });
    this.payments = new ExternalDependency(this, 'Payments', {
      namespace: this.billing,
      hostname: 'api.payments.example',
      ports: [{ name: 'https', port: 443 }],
      egressTo: [Peer.ipBlock('203.0.113.0/24')],
    });
    this.api.allowTo(this.payments);
  }
}

/**
 * Example 10, cluster guardrails (cluster-scoped, so the chart has no namespace): no pod reaches
 * the cloud metadata endpoint except the node agent's, DNS always works, monitoring may always
 * scrape the metrics port, and pods of namespaces without NetworkPolicies get nothing else.
 */
export class Guardrails extends Chart {
  public readonly guardrails: ClusterGuardrails;

  constructor(scope: Construct, id: string) {
    super(scope, id, { disableResourceNameHashes: true });
    this.guardrails = new ClusterGuardrails(this, 'Guardrails', { cloudMetadataAllowedNamespaces: ['node-agent'] });
    this.guardrails.allowMonitoring({ namespace: 'monitoring', ports: [Port.tcp(9090)] });
  }
}
