import { Chart, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { CiliumServiceAffinity, ClusterSetExport, DenyAllNamespace, HeadlessStatefulEndpoint, Peer, Port, SecureService } from '../../src';

/** Props of `MultiCluster`. */
export interface MultiClusterProps {
  /** This cluster's id in the cluster set (`cluster.clusterset.k8s.io`). */
  readonly clusterId: string;
  /** Pod CIDRs of the other clusters of the set. */
  readonly remotePodCidrs: string[];
}

/**
 * Seed example 06, "Multi-Cluster Networking": the same chart is deployed to every cluster of a
 * cluster set (namespace sameness: `catalog` is the same namespace everywhere).
 *
 * - `catalog-api` is exported with the MCS API: clients anywhere use
 *   `catalog-api.catalog.svc.clusterset.local`.
 * - `search` (a StatefulSet) is exported headless: each pod is also
 *   `search-0.<cluster-id>.search.catalog.svc.clusterset.local`, and it is a Cilium ClusterMesh
 *   global service that prefers local endpoints.
 * - Traffic from the other clusters arrives from their pod CIDRs (ClusterMesh keeps pod IPs), so
 *   it is allowed by CIDR through the connection model, on the named ports only.
 */
export class MultiCluster extends Chart {
  public readonly catalog: DenyAllNamespace;
  public readonly api: SecureService;
  public readonly search: HeadlessStatefulEndpoint;
  public readonly apiExport: ClusterSetExport;
  public readonly searchExport: ClusterSetExport;

  constructor(scope: Construct, id: string, props: MultiClusterProps = { clusterId: 'west', remotePodCidrs: ['10.8.0.0/14', '10.12.0.0/14'] }) {
    super(scope, id, { disableResourceNameHashes: true });
    this.catalog = new DenyAllNamespace(this, 'Catalog', { name: 'catalog' });

    this.api = new SecureService(this, 'CatalogApi', {
      namespace: this.catalog,
      image: 'ghcr.io/acme/catalog-api:5.2.0',
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      replicas: 3,
      env: { CLUSTER_ID: props.clusterId },
    });
    this.search = new HeadlessStatefulEndpoint(this, 'Search', {
      namespace: this.catalog,
      name: 'search',
      image: 'ghcr.io/acme/search:9.1.0',
      ports: [{ name: 'http', port: 9200 }, { name: 'transport', port: 9300 }],
      peerPorts: [Port.named('transport')],
      replicas: 3,
      storage: { size: Size.gibibytes(50), storageClassName: 'fast-ssd' },
      clientService: true,
    });
    this.api.allowTo(this.search, Port.named('http'));

    this.apiExport = new ClusterSetExport(this, 'ExportCatalogApi', { service: this.api });
    this.searchExport = new ClusterSetExport(this, 'ExportSearch', {
      service: this.search,
      ciliumGlobalService: true,
      ciliumAffinity: CiliumServiceAffinity.LOCAL,
    });

    for (const cidr of props.remotePodCidrs) {
      const remote = Peer.ipBlock(cidr);
      this.api.allowFrom(remote, Port.named('http'));
      // Search members in other clusters form one cluster with these.
      this.search.allowFrom(remote, Port.named('transport'));
      this.search.allowTo(remote, Port.tcp(9300));
    }
  }
}
