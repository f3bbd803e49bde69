/*
 * What every hardened workload of this library has, whatever controller runs its pods (after
 * cdk8s-plus's AbstractPod -> Workload): a checked name and namespace, a ServiceAccount that
 * mounts no token, a PodDisruptionBudget when it has more than one pod, a NetworkPolicy that
 * isolates its pods both ways and admits DNS, its `Connections` and peer accessors,
 * `allowFrom`/`allowTo`, and its entry into a service mesh.
 *
 * A subclass (SecureService, HeadlessStatefulEndpoint) creates its own objects between these
 * steps, in the order its manifest lists them:
 *   identity (`_initIdentity`) -> its checks -> `_initServiceAccount` -> its controller and
 *   Services -> `_initDisruptionBudget` -> `_initNetworkPolicy` -> `_initConnections` -> `_joinMesh`.
 */
import { ApiObject, ApiObjectMetadata, ApiObjectMetadataDefinition, Chart, JsonPatch, Names } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import type { HardenedPodPort } from './hardened-pod';
import { allowConnection, Connections, IConnectable } from '../core/connections';
import { fail } from '../core/errors';
import { LabelKeys } from '../core/labels';
import { dns1035LabelProblem, dns1123SubdomainProblem, labelProblem, nameFromId } from '../core/names';
import { copyMetadata, NotPlain, OwnObject, OwnSpec, plainMetadataJson, Replaceable, replaceOwnObject, sortedMap } from '../core/own-spec';
import { IPeer, NetworkPolicyPeerSpec, podsPeerSpec } from '../core/peer';
import { Port } from '../core/port';
import { containerPort, portOf, ServicePortSpec } from '../core/service-port';
import { WorkloadPolicy } from '../core/workload-policy';
import { ClusterDns } from '../dns/cluster-dns';
import { DnsNames } from '../dns/dns-names';
import { INamespace } from '../dns/namespace-ref';
import { applyServiceMesh } from '../mesh/mesh';
import { MeshWorkloadOptions } from '../mesh/options';
import { IExportableService } from '../multicluster/cluster-set-export';
import { AppValidation } from '../validation/app-validation';

/** The props every workload reads in `_initIdentity`. @internal */
export interface WorkloadIdentityProps {
  readonly name?: string;
  readonly namespace?: INamespace;
  readonly clusterDomain?: string;
}

/** How a subclass joins a mesh: what differs between workloads. @internal */
export interface WorkloadMeshEntry {
  readonly podMetadata: ApiObjectMetadataDefinition;
  /** The user and group ids of its container processes. */
  readonly runAsUser: number;
  readonly runAsGroup: number;
  /** The Service clients' traffic options apply to. */
  readonly serviceName: string;
  readonly serviceMetadata: ApiObjectMetadataDefinition;
  readonly fqdn: () => string;
  /** Mesh options this workload cannot honour, with the reason. */
  readonly refusedOptions?: { [field: string]: string };
  /** Whether it may be the canary version of another workload. */
  readonly canaryVersion?: boolean;
}

/**
 * A Deployment or StatefulSet this library writes itself (until its cdk8s-plus-28 object is asked for), and the
 * metadata of its pods (the mesh adds to it).
 * @internal
 */
export interface OwnWorkload {
  readonly object: OwnObject;
  readonly podMetadata: ApiObjectMetadataDefinition;
}

/**
 * A hardened workload of this library: pods that meet the Pod Security Standards *restricted*
 * profile, isolated by their own NetworkPolicy (both policyTypes), reachable only on the
 * connections declared with `allowFrom`/`allowTo`.
 *
 * What it creates besides its controller and Services: a ServiceAccount that mounts no token,
 * a PodDisruptionBudget (`maxUnavailable: 1`) when replicas > 1, and the NetworkPolicy, which
 * always allows egress to the cluster DNS (unless the namespace was created with `allowDns`
 * false) and to the nameservers named in `dns`.
 *
 * Extended by `SecureService` and `HeadlessStatefulEndpoint`; not meant to be extended outside
 * this library.
 */
export abstract class SecureWorkload extends Construct implements IConnectable, IPeer, IExportableService {
  private _name!: string;
  private _namespaceName?: string;
  private _clusterDomain!: string;
  private _clusterDns!: ClusterDns;
  private _selectorLabels!: { [key: string]: string };
  private _ports!: ServicePortSpec[];
  /** The ServiceAccount, which this library writes itself until `serviceAccount` is read (unless made from the start). */
  private _serviceAccount!: Replaceable<kplus.ServiceAccount>;
  private _networkPolicy!: WorkloadPolicy;
  private _podDisruptionBudget?: ApiObject;
  private _connections!: Connections;
  private _constructName!: string;
  /** `peerId`, written once its name and namespace are known (a connection reads it several times). */
  private _peerId!: string;

  /** The name of its objects (and of its Service). */
  public get name(): string {
    return this._name;
  }

  /** The namespace, when known. */
  public get namespaceName(): string | undefined {
    return this._namespaceName;
  }

  /** The cluster domain of its DNS names. */
  public get clusterDomain(): string {
    return this._clusterDomain;
  }

  /** Labels that select its pods. */
  public get selectorLabels(): { [key: string]: string } {
    return this._selectorLabels;
  }

  /** The ports. */
  public get ports(): ServicePortSpec[] {
    return this._ports;
  }

  /**
   * The ServiceAccount (escape hatch), a cdk8s-plus-28 object. It is made when first read and writes the same
   * object as before.
   */
  public get serviceAccount(): kplus.ServiceAccount {
    return this._serviceAccount.get();
  }

  /** The NetworkPolicy of its pods. */
  public get networkPolicy(): WorkloadPolicy {
    return this._networkPolicy;
  }

  /**
   * The PodDisruptionBudget, when replicas > 1.
   * @default - none (one replica or none)
   */
  public get podDisruptionBudget(): ApiObject | undefined {
    return this._podDisruptionBudget;
  }

  /** The connections of its pods. */
  public get connections(): Connections {
    return this._connections;
  }

  /** Stable id of its pods as a peer (`shop/api`, or `api` when the namespace is unknown). */
  public get peerId(): string {
    return this._peerId;
  }

  /**
   * The namespace of its pods, when known.
   * @default - unknown (the chart has no namespace)
   */
  public get peerNamespace(): string | undefined {
    return this._namespaceName;
  }

  /** The name of its Service (the headless one for a stateful set). */
  public get serviceName(): string {
    return this._name;
  }

  /** Its Service object (escape hatch for annotations, e.g. multi-cluster export). */
  public abstract get serviceObject(): ApiObject;

  /** Its Service's DNS name, `<name>.<namespace>.svc.<cluster domain>`. Needs a known namespace. */
  public get fqdn(): string {
    return DnsNames.service(this._name, this._requireNamespace('fqdn'), this._clusterDomain);
  }

  /** How a NetworkPolicy in `policyNamespace` names its pods. */
  public toPeerSpecs(policyNamespace?: string): NetworkPolicyPeerSpec[] {
    return [podsPeerSpec(this._selectorLabels, this._namespaceName, policyNamespace)];
  }

  /**
   * Allows connections from `other` to its pods.
   * @param other the source
   * @param ports destination ports; default: all of its ports
   */
  public allowFrom(other: IConnectable, ...ports: Port[]): void {
    allowConnection(this, this._connections, 'allowFrom', other, ports, (o) => this._refuseConnection('allowFrom', o));
  }

  /**
   * Allows connections from its pods to `other`.
   * @param other the destination
   * @param ports destination ports; default: all of the destination's ports
   */
  public allowTo(other: IConnectable, ...ports: Port[]): void {
    allowConnection(this, this._connections, 'allowTo', other, ports, (o) => this._refuseConnection('allowTo', o));
  }

  /**
   * Throws when this workload refuses a connection with `other` (called after the arguments
   * are checked, before anything is written). Accepts every connection here.
   * @internal
   */
  protected _refuseConnection(_method: string, _other: IConnectable): void {
    return;
  }

  /**
   * Resolves and checks the name, the namespace and the cluster domain.
   * @internal
   */
  protected _initIdentity(construct: string, id: string, props: WorkloadIdentityProps, maxNameLength?: (name: string) => string | undefined): void {
    const p = construct;
    this._constructName = p;
    this._name = props.name ?? nameFromId(id);
    const nameProblem = dns1035LabelProblem(this._name);
    if (nameProblem) fail(this, `${p}.name "${this._name}" is not a valid Service name; ${nameProblem}.`);
    const tooLong = maxNameLength?.(this._name);
    if (tooLong) fail(this, tooLong);
    this._namespaceName = props.namespace?.namespaceName ?? Chart.of(this).namespace;
    this._peerId = this._namespaceName === undefined ? this._name : `${this._namespaceName}/${this._name}`;
    this._clusterDns = props.namespace?.clusterDns ?? ClusterDns.kubeDns();
    this._clusterDomain = props.clusterDomain ?? this._clusterDns.clusterDomain;
    const domainProblem = dns1123SubdomainProblem(this._clusterDomain);
    if (domainProblem) fail(this, `${p}.clusterDomain "${this._clusterDomain}" is not a DNS domain; ${domainProblem}.`);
    this._selectorLabels = { [LabelKeys.NAME]: this._name };
  }

  /** @internal */
  protected _initPorts(ports: ServicePortSpec[]): void {
    this._ports = ports;
  }

  /**
   * The container ports of the pods: one per Service port, with its name.
   * @internal
   */
  protected _podPorts(): HardenedPodPort[] {
    return this._ports.map((sp) => ({ name: sp.name, port: containerPort(sp), protocol: sp.protocol }));
  }

  /**
   * The ports of a cdk8s-plus Service of this workload, each to its container port.
   * @internal
   */
  protected _servicePorts(): kplus.ServicePort[] {
    return this._ports.map((sp) => ({
      name: sp.name,
      port: sp.port,
      targetPort: containerPort(sp),
      protocol: sp.protocol as unknown as kplus.Protocol,
      nodePort: sp.nodePort,
    }));
  }

  /**
   * Corrects what cdk8s-plus-28 writes on a Service of this workload, and returns its ApiObject:
   * it always writes `externalIPs: []`, which we never set (CVE-2020-8554); and it writes numeric
   * targetPorts, which become the container port's name, so that the Service follows the container
   * port by name. (JSON patches apply to the L1 props, so the value is an IntOrString.)
   * @internal
   */
  protected _patchService(service: kplus.Service): ApiObject {
    const obj = ApiObject.of(service);
    obj.addJsonPatch(JsonPatch.remove('/spec/externalIPs'));
    this._ports.forEach((sp, i) => obj.addJsonPatch(JsonPatch.add(`/spec/ports/${i}/targetPort`, kplus.k8s.IntOrString.fromString(sp.name))));
    return obj;
  }

  /**
   * The ports of a Service of this workload as cdk8s-plus-28 writes them (lib/service.js `_toKube`) with the
   * targetPorts of `_patchService` (the port's name), keys in the order cdk8s writes them (`plain`), or as the props
   * of the generated KubeService (`targetPort` as an IntOrString, `{ value }`).
   * @internal
   */
  protected _servicePortsJson(plain: boolean): unknown[] {
    return this._ports.map((sp) => {
      const port: { [key: string]: unknown } = { name: sp.name };
      if (sp.nodePort !== undefined) port.nodePort = sp.nodePort;
      port.port = sp.port;
      if (sp.protocol !== undefined) port.protocol = sp.protocol;
      port.targetPort = plain ? sp.name : { value: sp.name };
      return port;
    });
  }

  /**
   * Its Service (`Service`) as the object cdk8s-plus-28's Service writes, with the spec `spec(plain)` (see
   * `OwnObject`), written by this library until the cdk8s-plus object, which `make` makes, is asked for.
   * @internal
   */
  protected _initOwnService(metadata: ApiObjectMetadata, spec: (plain: boolean) => unknown, make: () => kplus.Service): Replaceable<kplus.Service> {
    const object = new OwnObject(this, 'Service', { apiVersion: 'v1', kind: 'Service', metadata }, ['spec'], (plain) => ({ spec: spec(plain) }),
      kplus.k8s.toJson_KubeServiceProps);
    return Replaceable.own(object, () => replaceOwnObject(this, object, make));
  }

  /**
   * Its workload object (`Resource`, a Deployment or a StatefulSet) as the object cdk8s-plus-28 writes, written by
   * this library until the cdk8s-plus object is asked for: `spec(template, plain)` is its spec around the pod template
   * (see `OwnObject`), whose spec is `podSpec(plain)` and whose metadata are the pods' `labels` with cdk8s-plus-28's
   * address label (lib/workload.js: `Names.toLabelValue` of the workload construct, which is at the same path).
   * @internal
   */
  protected _initOwnWorkload(kind: string, metadata: ApiObjectMetadata, labels: { [key: string]: string },
    podSpec: (plain: boolean) => unknown, spec: (template: unknown, plain: boolean) => unknown,
    convert: (resolved: any) => any): OwnWorkload {
    let podMetadata: ApiObjectMetadataDefinition | undefined;
    const object = new OwnObject(this, 'Resource', { apiVersion: 'apps/v1', kind, metadata }, ['spec'], (plain) => {
      const templateMetadata = plain ? plainMetadataJson(podMetadata!) : podMetadata!.toJson();
      // Pod metadata that is not plain: the object renders the cdk8s way.
      if (templateMetadata === undefined) throw new NotPlain();
      return { spec: spec({ metadata: templateMetadata, spec: podSpec(plain) }, plain) };
    }, convert);
    podMetadata = new ApiObjectMetadataDefinition({
      apiObject: object,
      labels: { ...labels, [kplus.Pod.ADDRESS_LABEL]: Names.toLabelValue(object) },
    });
    return { object, podMetadata };
  }

  /**
   * Replaces its own workload object by the cdk8s-plus-28 object `make` creates (with the ServiceAccount, made first),
   * with what was added to the own object and to its pods' metadata.
   * @internal
   */
  protected _replaceOwnWorkload<T extends IConstruct & { readonly podMetadata: ApiObjectMetadataDefinition }>(own: OwnWorkload,
    make: (serviceAccount: kplus.IServiceAccount) => T): T {
    const serviceAccount = this.serviceAccount;
    return replaceOwnObject(this, own.object, () => {
      const workload = make(serviceAccount);
      copyMetadata(own.podMetadata, workload.podMetadata);
      return workload;
    });
  }

  /**
   * Checks the user's extra labels: valid, and not one this workload selects its pods by.
   * @internal
   */
  protected _checkLabels(labels: { [key: string]: string } | undefined, pods: string, refuseManagedBy: boolean): void {
    const p = this._constructName;
    for (const [k, v] of Object.entries(labels ?? {})) {
      const problem = labelProblem(k, v);
      if (problem) fail(this, `${p}.labels: ${problem}.`);
      if (k === LabelKeys.NAME) fail(this, `${p}.labels sets "${k}", which selects ${pods}; set ${p}.name instead.`);
      if (refuseManagedBy && k === LabelKeys.MANAGED_BY) fail(this, `${p}.labels sets "${k}", which this library writes; remove it from ${p}.labels.`);
    }
  }

  /** The labels and metadata of every object it creates. @internal */
  protected _metadata(labels: { [key: string]: string } | undefined): { labels: { [key: string]: string }; metadata: ApiObjectMetadata } {
    const all = { ...labels, ...this._selectorLabels, [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE };
    return { labels: all, metadata: { name: this._name, namespace: this._namespaceName, labels: all } };
  }

  /**
   * The ServiceAccount as the object cdk8s-plus-28's ServiceAccount writes (lib/service-account.js: the generated
   * KubeServiceAccount with `automountServiceAccountToken: false`), written by this library; the cdk8s-plus object is
   * made when `serviceAccount` is first read.
   * @internal
   */
  protected _initOwnServiceAccount(metadata: ApiObjectMetadata): void {
    const object = new OwnObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata },
      ['automountServiceAccountToken'], () => ({ automountServiceAccountToken: false }), kplus.k8s.toJson_KubeServiceAccountProps);
    this._serviceAccount = Replaceable.own(object, () => replaceOwnObject(this, object, () => this.makeServiceAccount(metadata)));
  }

  /** @internal */
  protected _initServiceAccount(metadata: ApiObjectMetadata): kplus.ServiceAccount {
    this._serviceAccount = Replaceable.made(this.makeServiceAccount(metadata));
    return this._serviceAccount.get();
  }

  private makeServiceAccount(metadata: ApiObjectMetadata): kplus.ServiceAccount {
    return new kplus.ServiceAccount(this, 'ServiceAccount', { metadata, automountToken: false });
  }

  /** @internal */
  protected _initDisruptionBudget(replicas: number, metadata: ApiObjectMetadata): void {
    if (replicas <= 1) return;
    this._podDisruptionBudget = new WorkloadDisruptionBudget(this, 'PodDisruptionBudget', metadata, { ...this._selectorLabels });
  }

  /**
   * The NetworkPolicy of its pods, with egress to the cluster DNS (unless the namespace turned
   * DNS off) and to the nameservers its pods name (`dnsEgress`).
   * @internal
   */
  protected _initNetworkPolicy(labels: { [key: string]: string }, namespace: INamespace | undefined,
    dnsEgress: Array<{ peer: IPeer; ports: Port[] }>): void {
    this._networkPolicy = new WorkloadPolicy(this, 'NetworkPolicy', {
      name: this._name,
      namespace: this._namespaceName,
      podSelector: { matchLabels: { ...this._selectorLabels } },
      labels,
    });
    // A namespace created with allowDns false gives its pods no cluster DNS.
    if (namespace?.dnsAllowed ?? true) {
      for (const rule of this._clusterDns._rules) this._networkPolicy.addEgressRule(rule.peer, rule.ports);
    }
    // Nameservers named in `dns` (dnsPolicy None or extra resolvers) need their own egress.
    for (const rule of dnsEgress) this._networkPolicy.addEgressRule(rule.peer, rule.ports);
  }

  /**
   * Its connections: incoming connections land on its container ports, named after its ports.
   * @internal
   */
  protected _initConnections(): void {
    const { containerPorts, namedPorts } = this._containerPorts();
    // A construct with managed connections is one of this library's: its objects get the app-wide checks.
    AppValidation._register(this);
    this._connections = new Connections({
      peer: this,
      policy: this._networkPolicy,
      ports: containerPorts,
      namedPorts,
      scope: this,
      description: `${this._constructName} ${this.peerId}`,
    });
  }

  /** Its container ports, in the order of its ports, and by port name. @internal */
  protected _containerPorts(): { containerPorts: Port[]; namedPorts: { [name: string]: Port } } {
    const containerPorts = this._ports.map((sp) => portOf(sp));
    return { containerPorts, namedPorts: Object.fromEntries(this._ports.map((sp, i) => [sp.name, containerPorts[i]])) };
  }

  /** Puts it in the mesh of its namespace or of `options.mesh`, if any. @internal */
  protected _joinMesh(namespace: INamespace | undefined, options: MeshWorkloadOptions | undefined, entry: WorkloadMeshEntry): void {
    applyServiceMesh({
      scope: this,
      constructName: this._constructName,
      name: this._name,
      namespace: this._namespaceName,
      serviceAccountName: this._name,
      selectorLabels: this._selectorLabels,
      ports: this._ports,
      networkPolicy: this._networkPolicy,
      peer: this,
      ...entry,
    }, namespace, options);
  }

  /** The namespace, or an error naming `what` needs it. @internal */
  protected _requireNamespace(what: string): string {
    const p = this._constructName;
    if (this._namespaceName === undefined) {
      fail(this, `${p}.${what} needs a namespace; set ${p}.namespace or the chart namespace.`);
    }
    return this._namespaceName;
  }
}

/**
 * A workload's PodDisruptionBudget (`maxUnavailable: 1`): its spec is written as JSON by the
 * library when cdk8s would write it unchanged (core/own-spec.ts).
 */
class WorkloadDisruptionBudget extends kplus.k8s.KubePodDisruptionBudget {
  private readonly ownSpec: OwnSpec<kplus.k8s.PodDisruptionBudgetSpec>;

  public constructor(scope: Construct, id: string, metadata: ApiObjectMetadata, matchLabels: { [key: string]: string }) {
    // AlwaysAllow: a crash-looping pod must not block node drains (kube-linter pdb-unhealthy-pod-eviction-policy).
    // The props are made when cdk8s renders them (a spec with a JSON patch, or another resolver), not kept with every budget.
    const ownSpec = new OwnSpec(() => ({
      maxUnavailable: kplus.k8s.IntOrString.fromNumber(1),
      selector: { matchLabels },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    }), () => ({
      maxUnavailable: 1,
      selector: { matchLabels: sortedMap(matchLabels) },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    }));
    super(scope, id, { metadata, spec: ownSpec.lazy() });
    this.ownSpec = ownSpec;
  }

  public toJson(): any {
    return this.ownSpec.render(this, () => super.toJson());
  }
}
