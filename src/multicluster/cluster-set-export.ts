import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, uniqueId } from '../core/errors';
import { invalid, isObject, optionalBoolean, optionalEnum, requireProps } from '../core/guards';
import { LabelKeys } from '../core/labels';
import { lazyModule } from '../core/lazy-module';
import { DnsNames } from '../dns/dns-names';
import type * as mcsTypes from '../imports/multicluster.x-k8s.io';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mcsApi = lazyModule((): typeof mcsTypes => require('../imports/multicluster.x-k8s.io'));

/**
 * A Service that can be exported to a cluster set: `SecureService`, `HeadlessStatefulEndpoint`.
 */
export interface IExportableService {
  /** The Service name (`metadata.name`). */
  readonly serviceName: string;
  /**
   * The namespace of the Service, when known. Under MCS namespace sameness, the same namespace
   * name means the same namespace in every cluster of the set.
   * @default - unknown (the chart has no namespace)
   */
  readonly namespaceName?: string;
  /** The Service object (annotations such as Cilium's global-service flag go on it). */
  readonly serviceObject: ApiObject;
}

/** The export of each exported service (keyed by the workload: its Service object may be replaced by the cdk8s-plus one when read): a Service is exported once. */
const EXPORTS = new WeakMap<object, Construct>();

/** Where Cilium ClusterMesh sends traffic of a global service. */
export enum CiliumServiceAffinity {
  /** Prefer endpoints in the local cluster; use remote ones when no local endpoint is healthy. */
  LOCAL = 'local',
  /** Prefer endpoints in remote clusters. */
  REMOTE = 'remote',
  /** No preference (the default behaviour of a global service). */
  NONE = 'none',
}

/** Props of `ClusterSetExport`. */
export interface ClusterSetExportProps {
  /** The Service to export (a `SecureService` or `HeadlessStatefulEndpoint`). */
  readonly service: IExportableService;
  /**
   * Write a Multi-Cluster Services API `ServiceExport` (`multicluster.x-k8s.io/v1beta1`), which
   * the cluster set's MCS implementation (GKE multi-cluster services, Submariner Lighthouse,
   * Cilium 1.17+ with MCS-API support, ...) turns into a ServiceImport in every cluster.
   * @default true
   */
  readonly serviceExport?: boolean;
  /**
   * Mark the Service as a Cilium ClusterMesh global service (`service.cilium.io/global: "true"`),
   * so Cilium load-balances it across the endpoints of every cluster that has a Service of the
   * same name and namespace marked global.
   * @default false
   */
  readonly ciliumGlobalService?: boolean;
  /**
   * Which endpoints Cilium prefers for the global service (`service.cilium.io/affinity`).
   * Needs `ciliumGlobalService`.
   * @default - no preference
   */
  readonly ciliumAffinity?: CiliumServiceAffinity;
}

/**
 * Exports a Service to the other clusters of a cluster set.
 *
 * Writes a Multi-Cluster Services API `ServiceExport` with the name and namespace of the Service
 * (that is how MCS pairs them), and optionally marks the Service as a Cilium ClusterMesh global
 * service. Clients anywhere in the set then reach it as `<service>.<namespace>.svc.clusterset.local`
 * (`clusterSetFqdn`); for a headless Service each pod also gets
 * `<hostname>.<cluster-id>.<service>.<namespace>.svc.clusterset.local` (`DnsNames.clusterSetPod`).
 *
 * The API version is `multicluster.x-k8s.io/v1beta1`, the version the MCS API serves today;
 * `v1alpha1` is the original version and is only still served for compatibility. Deploy the
 * MCS CRDs of v0.2 or later (or a provider that serves v1beta1).
 *
 * Exporting opens nothing: traffic from other clusters still has to pass the workload's
 * NetworkPolicy. Allow it with `Peer.ipBlock(...)` naming the remote clusters' pod CIDRs (with
 * Cilium ClusterMesh and other flat networks pod IPs are kept), or the addresses the traffic is
 * NATed to (gateways, as in Submariner with Globalnet):
 * `db.allowFrom(Peer.ipBlock('10.8.0.0/14'), Port.tcp(5432))`.
 *
 * @see https://multicluster.sigs.k8s.io/concepts/multicluster-services-api/
 * @see https://docs.cilium.io/en/stable/network/clustermesh/services/
 *
 * @example
 * new ClusterSetExport(chart, 'ExportApi', { service: api });
 * api.allowFrom(Peer.ipBlock('10.8.0.0/14'), Port.named('http')); // pods of cluster "east"
 */
export class ClusterSetExport extends Construct {
  /** The ServiceExport, when `serviceExport` is true. */
  public readonly serviceExport?: ApiObject;
  private readonly service: IExportableService;

  public constructor(scope: Construct, id: string, props: ClusterSetExportProps) {
    super(scope, uniqueId(scope, id, new.target.name));
    const p = 'ClusterSetExport';
    requireProps(this, p, props, 'give ClusterSetExportProps, e.g. { service: api }');
    const service: unknown = props.service;
    if (!isObject(service) || typeof service.serviceName !== 'string' || !(service.serviceObject instanceof ApiObject)) {
      invalid(this, `${p}.service`, service, 'give a SecureService or HeadlessStatefulEndpoint');
    }
    optionalBoolean(this, `${p}.serviceExport`, props.serviceExport, 'give true or false');
    optionalBoolean(this, `${p}.ciliumGlobalService`, props.ciliumGlobalService, 'give true or false');
    optionalEnum(this, `${p}.ciliumAffinity`, props.ciliumAffinity, Object.values(CiliumServiceAffinity), 'CiliumServiceAffinity');
    this.service = props.service;
    const earlier = EXPORTS.get(props.service);
    if (earlier) {
      fail(this, `${p}.service ${props.service.serviceName} is already exported by ${earlier.node.path}; export a Service once ` +
        '(one ClusterSetExport can write both the ServiceExport and the Cilium annotation).');
    }
    const mcs = props.serviceExport ?? true;
    const cilium = props.ciliumGlobalService ?? false;
    if (!mcs && !cilium) {
      fail(this, `${p}.serviceExport and ${p}.ciliumGlobalService are both false, so nothing would be exported; set one of them.`);
    }
    if (props.ciliumAffinity !== undefined && !cilium) {
      fail(this, `${p}.ciliumAffinity is set but ${p}.ciliumGlobalService is false; affinity applies to Cilium global services only, so set ciliumGlobalService to true.`);
    }
    EXPORTS.set(props.service, this);
    if (mcs) {
      this.serviceExport = new mcsApi.ServiceExportV1Beta1(this, 'Resource', {
        metadata: {
          name: props.service.serviceName,
          namespace: props.service.namespaceName,
          labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE },
        },
      });
    }
    if (cilium) {
      const svc = props.service.serviceObject;
      svc.metadata.addAnnotation('service.cilium.io/global', 'true');
      if (props.ciliumAffinity !== undefined) svc.metadata.addAnnotation('service.cilium.io/affinity', props.ciliumAffinity);
    }
  }

  /** The cluster-set name, `<service>.<namespace>.svc.clusterset.local`. Needs a known namespace. */
  public get clusterSetFqdn(): string {
    if (this.service.namespaceName === undefined) {
      fail(this, 'ClusterSetExport.clusterSetFqdn needs the namespace of the exported Service; set its namespace or the chart namespace.');
    }
    return DnsNames.clusterSetService(this.service.serviceName, this.service.namespaceName);
  }
}
