import { ApiObject, ApiObjectMetadataDefinition, JsonPatch, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IConnectable } from '../core/connections';
import { fail, uniqueId } from '../core/errors';
import {
  optionalArray, optionalEnum, optionalLabels, optionalNumber, optionalObject, optionalPortSpecs, optionalString,
  requireInstance, requireObject, requireProps,
} from '../core/guards';
import { dns1035LabelProblem, dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names';
import { Replaceable, sortedMap } from '../core/own-spec';
import { Port, Protocol, requireAllTrafficAlone } from '../core/port';
import { ServicePortSpec, validateServicePorts } from '../core/service-port';
import { DnsNames } from '../dns/dns-names';
import { INamespace } from '../dns/namespace-ref';
import { MESH_TRAFFIC_OPTIONS } from '../mesh/common';
import { MeshWorkloadOptions } from '../mesh/options';
import { checkHardenedPodPropTypes, checkReplicas, hardenPod, HardenedPodProps } from '../workload/hardened-pod';
import { SecureWorkload } from '../workload/secure-workload';

/** How the StatefulSet creates and deletes its pods (`spec.podManagementPolicy`). */
export enum PodManagementPolicy {
  /** One pod at a time, in order, each waiting for the previous one to be ready (the Kubernetes default). */
  ORDERED_READY = 'OrderedReady',
  /** All pods at once: for sets whose members find each other and need no start order. */
  PARALLEL = 'Parallel',
}

/** Access modes of a persistent volume. */
export enum StorageAccessMode {
  /** Mounted read-write by one node. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Mounted read-write by one pod (needs CSI support). */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
  /** Mounted read-only by many nodes. */
  READ_ONLY_MANY = 'ReadOnlyMany',
  /** Mounted read-write by many nodes. */
  READ_WRITE_MANY = 'ReadWriteMany',
}

/** A persistent volume per pod (a `volumeClaimTemplates` entry of the StatefulSet). */
export interface StatefulStorage {
  /** The size of each pod's volume. */
  readonly size: Size;
  /**
   * Where the volume is mounted in the container.
   * @default '/data'
   */
  readonly mountPath?: string;
  /**
   * The StorageClass.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * The access mode.
   * @default StorageAccessMode.READ_WRITE_ONCE
   */
  readonly accessMode?: StorageAccessMode;
  /**
   * The claim template name; each pod's claim is `<name>-<set>-<ordinal>`.
   * @default 'data'
   */
  readonly name?: string;
}

/** Props of `HeadlessStatefulEndpoint`. */
export interface HeadlessStatefulEndpointProps extends HardenedPodProps {
  /**
   * The ports, each named. They are the container ports, the ports of the headless Service and of
   * the client Service.
   */
  readonly ports: ServicePortSpec[];
  /**
   * `metadata.name` of the StatefulSet, its headless Service, ServiceAccount, NetworkPolicy and
   * PodDisruptionBudget (a DNS-1035 label of at most 52 characters).
   * @default - derived from the construct id without a hash (`OrdersDb` -> `orders-db`)
   */
  readonly name?: string;
  /**
   * The namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: INamespace;
  /**
   * Number of pods.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Publish DNS records of pods that are not ready yet
   * (`publishNotReadyAddresses` of the headless Service). Members of a set usually need to find
   * each other before any of them is ready (quorum, replication bootstrap).
   * @default true
   */
  readonly publishNotReadyAddresses?: boolean;
  /**
   * The ports on which the pods of the set may connect to each other (ingress and egress between
   * its own pods). An empty list allows no traffic between them.
   * @default - all of its ports
   */
  readonly peerPorts?: Port[];
  /**
   * Also create an ordinary ClusterIP Service for clients, which load-balances over ready pods.
   * @default false
   */
  readonly clientService?: boolean;
  /**
   * The name of the client Service.
   * @default - `<name>-client`
   */
  readonly clientServiceName?: string;
  /**
   * A persistent volume per pod.
   * @default - no persistent storage
   */
  readonly storage?: StatefulStorage;
  /**
   * How pods are created and deleted.
   * @default PodManagementPolicy.ORDERED_READY
   */
  readonly podManagementPolicy?: PodManagementPolicy;
  /**
   * Extra labels on the pods and objects.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * The cluster domain used in the DNS names.
   * @default - the namespace's cluster DNS domain, `cluster.local`
   */
  readonly clusterDomain?: string;
  /**
   * Service-mesh options: the mesh (when the namespace names none), and traffic options for
   * clients. In a namespace with a mesh the set joins it even without this: mutual TLS, and
   * authorization of the callers declared with `allowFrom`/`allowTo` and of its own pods on
   * `peerPorts` (its own service account), like `SecureService`.
   *
   * Refused here whatever the mesh: `canary` (the pods of a set are members with their own
   * identity and storage, not interchangeable versions). Refused without `clientService`:
   * `retries`, `requestTimeoutMillis`, `routes`, `outlierDetection`, `connectionPool` and
   * `faultInjection`, because clients of the headless Service connect to pod addresses, which
   * no service-level routing covers; with `clientService` they apply to requests through the
   * client Service. What each mesh refuses besides: see `MeshWorkloadOptions`.
   * @default - the namespace's mesh, if any, with no traffic options
   */
  readonly mesh?: MeshWorkloadOptions;
}

/**
 * A StatefulSet behind a headless Service: stable per-pod DNS names, hardened pods, its own
 * NetworkPolicy.
 *
 * Creates:
 * - a StatefulSet (the object cdk8s-plus-28 writes; `statefulSet` gives the cdk8s-plus-28 object) whose pods are
 *   hardened exactly like `SecureService`'s (Pod Security Standards *restricted*), with an optional volume claim
 *   template per pod;
 * - one headless Service (`clusterIP: None`) with named ports, `publishNotReadyAddresses` on by
 *   default, which `spec.serviceName` names, so pod `i` is `<name>-<i>.<name>.<ns>.svc.<domain>`;
 * - optionally a ClusterIP Service for clients (`<name>-client`);
 * - a ServiceAccount that mounts no token, a PodDisruptionBudget (`maxUnavailable: 1`) when
 *   replicas > 1;
 * - a NetworkPolicy selecting exactly its pods with both policyTypes: DNS egress, traffic
 *   between its own pods on `peerPorts`, and whatever `allowFrom`/`allowTo` declare.
 *
 * Kubernetes behaviour relied on: the StatefulSet controller sets each pod's `hostname` to the
 * pod name and `subdomain` to `spec.serviceName`, and the cluster DNS publishes
 * `<hostname>.<subdomain>` records for pods selected by that headless Service.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id
 *
 * @example
 * const db = new HeadlessStatefulEndpoint(chart, 'Db', {
 *   namespace: ns, name: 'db', image: 'postgres:16.4', ports: [{ name: 'pg', port: 5432 }], replicas: 3,
 *   storage: { size: Size.gibibytes(10), mountPath: '/var/lib/postgresql/data' },
 * });
 * api.allowTo(db);
 * db.podDnsName(0); // 'db-0.db.shop.svc.cluster.local'
 */
export class HeadlessStatefulEndpoint extends SecureWorkload {
  /** The client ClusterIP Service, when `clientService` is true. */
  public readonly clientService?: ApiObject;
  /** The client Service name, when `clientService` is true. */
  public readonly clientServiceName?: string;
  /** The number of pods. */
  public readonly replicas: number;
  /** The ports its pods may use to reach each other. */
  public readonly peerPorts: Port[];
  /**
   * The StatefulSet and headless Service, which this library writes itself until their cdk8s-plus-28 objects (the
   * same objects) are asked for (unless made from the start).
   */
  private readonly _statefulSet: Replaceable<kplus.StatefulSet>;
  private readonly _headlessService: Replaceable<kplus.Service>;

  public constructor(scope: Construct, id: string, props: HeadlessStatefulEndpointProps) {
    super(scope, uniqueId(scope, id, new.target.name));
    const p = 'HeadlessStatefulEndpoint';
    checkPropTypes(this, props);
    // Pods carry `controller-revision-hash: <name>-<hash>`, a label value of at most 63 characters.
    this._initIdentity(p, id, props, (name) => (name.length > 52
      ? `${p}.name "${name}" has ${name.length} characters; a StatefulSet name has at most 52, because its pods carry the label controller-revision-hash: <name>-<10-character hash>.`
      : undefined));

    this._initPorts(validateServicePorts(this, props.ports, {
      construct: p,
      emptyAdvice: "give at least one named port, e.g. [{ name: 'pg', port: 5432 }].",
      rangeAdvice: true,
      refuseNodePort: 'a headless Service has no node ports (clusterIP None). Omit nodePort.',
      uniqueContainerPorts: true,
    }));
    this.replicas = props.replicas ?? 1;
    checkReplicas(this, p, this.replicas, props.allowLargeReplicaCount);
    this._checkLabels(props.labels, "this endpoint's pods", false);
    if (props.clientServiceName !== undefined && !props.clientService) {
      fail(this, `${p}.clientServiceName is set but ${p}.clientService is false; set clientService to true to create the client Service.`);
    }
    if (props.clientService) {
      this.clientServiceName = props.clientServiceName ?? `${this.name}-client`;
      const problem = dns1035LabelProblem(this.clientServiceName);
      if (problem) fail(this, `${p}.clientServiceName "${this.clientServiceName}" is not a valid Service name; ${problem}.`);
      if (this.clientServiceName === this.name) {
        fail(this, `${p}.clientServiceName "${this.clientServiceName}" is the name of the headless Service; give the client Service another name.`);
      }
    }

    this.peerPorts = this.resolvePeerPorts(props.peerPorts);
    const storage = this.validateStorage(props);

    const { labels, metadata } = this._metadata(props.labels);

    const pod = hardenPod(this, props, {
      construct: p,
      ports: this._podPorts(),
      selectorLabels: this.selectorLabels,
      // Volumes can be large: change their ownership only when the root of the volume is wrong.
      fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
    });
    if (storage && (props.writablePaths ?? []).includes(storage.mountPath)) {
      fail(this, `${p}.storage.mountPath "${storage.mountPath}" is also in ${p}.writablePaths; a path is either persistent storage or a scratch emptyDir, so remove it from writablePaths.`);
    }

    const publishNotReadyAddresses = props.publishNotReadyAddresses ?? true;
    const podManagementPolicy = props.podManagementPolicy ?? PodManagementPolicy.ORDERED_READY;
    // The controller adds the pod volume named after the claim template; only the mount is ours.
    const mounts = storage ? [{ mountPath: storage.mountPath, name: storage.name }] : [];

    const makeHeadlessService = () => {
      const service = new kplus.Service(this, 'Service', {
        metadata,
        clusterIP: 'None',
        publishNotReadyAddresses,
        ports: this._servicePorts(),
      });
      const svcObj = this._patchService(service);
      // Select by the same label as the NetworkPolicy and the client Service (cdk8s-plus selects by its address label).
      svcObj.addJsonPatch(JsonPatch.replace('/spec/selector', { ...this.selectorLabels }));
      return service;
    };
    const makeStatefulSet = (serviceAccount: kplus.IServiceAccount) => {
      // cdk8s-plus-28's StatefulSet always needs a Service (it creates one when none is given,
      // cdk8s#2893), so the headless Service is made first and handed to it: exactly one is written.
      const set = new kplus.StatefulSet(this, 'Resource', {
        metadata,
        podMetadata: { labels },
        // Select by our stable label, not the path-derived `cdk8s.io/metadata.addr` (spec.selector is immutable).
        select: false,
        replicas: this.replicas,
        service: this.headlessService,
        podManagementPolicy: podManagementPolicy as unknown as kplus.PodManagementPolicy,
        serviceAccount,
        automountServiceAccountToken: false,
        securityContext: pod.securityContext,
        dns: pod.dns,
        containers: [pod.kplusContainer()],
      });
      set.select(kplus.LabelSelector.of({ labels: this.selectorLabels }));
      const setObj = ApiObject.of(set);
      pod.applyPatches(setObj);
      if (storage) {
        // cdk8s-plus-28 has no volumeClaimTemplates (JSON patches apply to the L1 props, hence Quantity).
        setObj.addJsonPatch(JsonPatch.add('/spec/volumeClaimTemplates', [{
          metadata: { name: storage.name, labels },
          spec: {
            accessModes: [storage.accessMode],
            storageClassName: storage.storageClassName,
            resources: { requests: { storage: kplus.k8s.Quantity.fromString(storage.size) } },
          },
        }]));
        const mount = { name: storage.name, mountPath: storage.mountPath };
        setObj.addJsonPatch((props.writablePaths ?? []).length > 0
          ? JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', mount)
          : JsonPatch.add('/spec/template/spec/containers/0/volumeMounts', [mount]));
      }
      return set;
    };

    let podMetadata: ApiObjectMetadataDefinition;
    if (pod.ownRenderable) {
      // The objects cdk8s-plus-28 would write, written by this library (much less work per object); the cdk8s-plus
      // objects are made when `statefulSet`, `headlessService` or `serviceAccount` is first read.
      this._initOwnServiceAccount(metadata);
      this._headlessService = this._initOwnService(metadata,
        (plain) => headlessServiceSpecJson(this._servicePortsJson(plain), this.selectorLabels, publishNotReadyAddresses, plain), makeHeadlessService);
      const spec = { replicas: this.replicas, podManagementPolicy, serviceName: this.name, selectorLabels: this.selectorLabels, labels, storage };
      const set = this._initOwnWorkload('StatefulSet', metadata, labels, (plain) => pod.podSpecJson(this.name, plain, mounts),
        (template, plain) => statefulSetSpecJson(spec, template, plain),
        (resolved) => claimLabelsInOrder(kplus.k8s.toJson_KubeStatefulSetProps(resolved), labels));
      this._statefulSet = Replaceable.own(set.object, () => {
        // cdk8s-plus-28's StatefulSet is made with its Service: that one first, in its own place.
        void this.headlessService;
        return this._replaceOwnWorkload(set, makeStatefulSet);
      });
      podMetadata = set.podMetadata;
    } else {
      const serviceAccount = this._initServiceAccount(metadata);
      this._headlessService = Replaceable.made(makeHeadlessService());
      this._statefulSet = Replaceable.made(makeStatefulSet(serviceAccount));
      podMetadata = this.statefulSet.podMetadata;
    }

    if (this.clientServiceName) {
      this.clientService = new kplus.k8s.KubeService(this, 'ClientService', {
        metadata: { ...metadata, name: this.clientServiceName },
        spec: {
          type: 'ClusterIP',
          selector: { ...this.selectorLabels },
          ports: this.ports.map((sp) => ({
            name: sp.name,
            port: sp.port,
            targetPort: kplus.k8s.IntOrString.fromString(sp.name),
            protocol: sp.protocol ?? Protocol.TCP,
          })),
        },
      });
    }

    this._initDisruptionBudget(this.replicas, metadata);
    this._initNetworkPolicy(labels, props.namespace, pod.dnsEgress);
    this._initConnections();

    // Traffic options need a load-balancing Service; the headless one hands out pod addresses.
    const routing = 'clients of the headless Service connect to pod addresses, which no service-level routing covers; ' +
      `set ${p}.clientService to true (the option then applies to requests through the client Service), or remove ${p}.mesh.`;
    const refusedOptions: { [field: string]: string } = {
      canary: `the pods of a StatefulSet are members with their own identity and storage, not interchangeable versions; remove ${p}.mesh.canary ` +
        '(a weighted canary is for SecureService).',
    };
    if (!this.clientServiceName) {
      for (const field of MESH_TRAFFIC_OPTIONS) {
        if (field !== 'canary') refusedOptions[field] = `${routing}${field}.`;
      }
    }
    this._joinMesh(props.namespace, props.mesh, {
      podMetadata,
      runAsUser: pod.user,
      runAsGroup: pod.group,
      serviceName: this.clientServiceName ?? this.name,
      serviceMetadata: this.clientService ? this.clientService.metadata : this.serviceObject.metadata,
      fqdn: () => (this.clientServiceName ? this.clientFqdn : this.fqdn),
      refusedOptions,
    });

    // After joining the mesh, so its own traffic is authorized (its service account) and gets the
    // dataplane port like any other connection.
    if (this.peerPorts.length > 0) {
      // Both directions: the set's pods are isolated for ingress and egress by this very policy
      // (which writes Port.allTraffic() as a rule without ports).
      this.networkPolicy.addIngressRule(this, this.peerPorts);
      this.networkPolicy.addEgressRule(this, this.peerPorts);
    }
  }

  /**
   * The StatefulSet (escape hatch: `ApiObject.of(endpoint.statefulSet)`), a cdk8s-plus-28 object. It is made when
   * first read (with the headless Service, which cdk8s-plus-28's StatefulSet needs) and writes the same object as
   * before, with anything added to the StatefulSet's metadata until then.
   */
  public get statefulSet(): kplus.StatefulSet {
    return this._statefulSet.get();
  }

  /**
   * The headless Service (escape hatch), a cdk8s-plus-28 object. It is made when first read and writes the same
   * object as before, with the annotations, labels and JSON patches added to `serviceObject` until then.
   */
  public get headlessService(): kplus.Service {
    return this._headlessService.get();
  }

  /** The headless Service object (for `ClusterSetExport`). */
  public get serviceObject(): ApiObject {
    return this._headlessService.object;
  }

  /** The client Service's DNS name, `<name>-client.<namespace>.svc.<cluster domain>`. Needs `clientService`. */
  public get clientFqdn(): string {
    if (!this.clientServiceName) {
      fail(this, 'HeadlessStatefulEndpoint.clientFqdn needs a client Service; set HeadlessStatefulEndpoint.clientService to true.');
    }
    return DnsNames.service(this.clientServiceName, this._requireNamespace('clientFqdn'), this.clusterDomain);
  }

  /**
   * The stable DNS name of pod `ordinal`: `<name>-<ordinal>.<name>.<namespace>.svc.<cluster domain>`.
   *
   * @param ordinal the pod ordinal, 0 to replicas - 1
   */
  public podDnsName(ordinal: number): string {
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= this.replicas) {
      fail(this, `HeadlessStatefulEndpoint.podDnsName(${ordinal}): ordinal ${ordinal} is not a pod of this set; ` +
        (this.replicas === 0 ? 'replicas is 0, so there are none.' : `use 0-${this.replicas - 1} (replicas is ${this.replicas}).`));
    }
    return DnsNames.statefulSetPod({
      statefulSet: this.name,
      ordinal,
      serviceName: this.name,
      namespace: this._requireNamespace(`podDnsName(${ordinal})`),
      clusterDomain: this.clusterDomain,
    });
  }

  /** The stable DNS names of all its pods, in ordinal order. */
  public podDnsNames(): string[] {
    return Array.from({ length: this.replicas }, (_, i) => this.podDnsName(i));
  }

  /**
   * A set is not connected to itself with allowFrom/allowTo: its pods reach each other on `peerPorts`.
   * @internal
   */
  protected _refuseConnection(method: string, other: IConnectable): void {
    if (other.connections === this.connections) {
      fail(this, `HeadlessStatefulEndpoint.${method}(${this.peerId}): a set is not connected to itself this way; ` +
        'its pods reach each other on HeadlessStatefulEndpoint.peerPorts, so set that prop instead.');
    }
  }

  private resolvePeerPorts(requested: Port[] | undefined): Port[] {
    const p = 'HeadlessStatefulEndpoint';
    const { containerPorts: own, namedPorts: named } = this._containerPorts();
    if (requested === undefined) return [...own];
    requireAllTrafficAlone(this, `${p}.peerPorts`, requested);
    const out: Port[] = [];
    requested.forEach((port, i) => {
      const f = `${p}.peerPorts[${i}]`;
      if (port.isAllTraffic) {
        out.push(port);
        return;
      }
      if (port.name !== undefined) {
        const target = named[port.name];
        if (!target || target.protocol !== port.protocol) {
          fail(this, `${f} is ${port}, which is not one of its ports; its port names are ${Object.keys(named).join(', ')}.`);
        }
        out.push(target);
        return;
      }
      if (!own.some((o) => o.covers(port))) {
        fail(this, `${f} is ${port}, which its pods do not listen on (container ports ${own.map(String).join(', ')}); add it to ${p}.ports or use one of those.`);
      }
      out.push(port);
    });
    return out;
  }

  private validateStorage(props: HeadlessStatefulEndpointProps) {
    const s = props.storage;
    if (!s) return undefined;
    const f = 'HeadlessStatefulEndpoint.storage';
    const kib = s.size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
    if (!(kib >= 1)) fail(this, `${f}.size is ${s.size.asString()}; a volume needs at least 1Ki, e.g. Size.gibibytes(10).`);
    const mountPath = s.mountPath ?? '/data';
    if (!mountPath.startsWith('/') || mountPath === '/') fail(this, `${f}.mountPath "${mountPath}" is not an absolute directory path below /.`);
    const name = s.name ?? 'data';
    const nameProblem = dns1123LabelProblem(name);
    if (nameProblem) fail(this, `${f}.name "${name}" is not a valid claim template name; ${nameProblem}.`);
    if (/^writable-\d+$/.test(name)) fail(this, `${f}.name "${name}" is the name of a writable-path volume; choose another name.`);
    if (s.storageClassName !== undefined) {
      const problem = dns1123SubdomainProblem(s.storageClassName);
      if (problem) fail(this, `${f}.storageClassName "${s.storageClassName}" is not a StorageClass name; ${problem}.`);
    }
    const accessMode = s.accessMode ?? StorageAccessMode.READ_WRITE_ONCE;
    if (!Object.values(StorageAccessMode).includes(accessMode)) {
      fail(this, `${f}.accessMode is "${accessMode}"; use StorageAccessMode.* (${Object.values(StorageAccessMode).join(', ')}).`);
    }
    return { name, mountPath, storageClassName: s.storageClassName, accessMode, size: s.size.asString() };
  }
}

/** Types first (for callers outside TypeScript): nothing below may meet a null, a string for a number or a string for a list. */
function checkPropTypes(scope: Construct, props: HeadlessStatefulEndpointProps) {
  const p = 'HeadlessStatefulEndpoint';
  requireProps(scope, p, props, "give HeadlessStatefulEndpointProps, e.g. { image: 'postgres:16.4', ports: [{ name: 'pg', port: 5432 }] }");
  optionalString(scope, `${p}.name`, props.name, "give a DNS-1035 label such as 'db'");
  optionalObject(scope, `${p}.namespace`, props.namespace, "give a DenyAllNamespace or NamespaceRef.named('shop')");
  optionalPortSpecs(scope, `${p}.ports`, props.ports, Object.values(Protocol));
  optionalNumber(scope, `${p}.replicas`, props.replicas, 'give a whole number >= 0');
  optionalArray(scope, `${p}.peerPorts`, props.peerPorts, 'give a list of Port values, e.g. [Port.named(\'pg\')]',
    (item, f) => requireInstance(scope, f, item, Port, "give a Port, e.g. Port.named('pg')"));
  optionalString(scope, `${p}.clientServiceName`, props.clientServiceName, "give a DNS-1035 label such as 'db-client'");
  if (props.storage !== undefined) {
    const f = `${p}.storage`;
    requireObject(scope, f, props.storage, 'give StatefulStorage, e.g. { size: Size.gibibytes(10) }');
    requireInstance(scope, `${f}.size`, props.storage.size, Size, 'give a Size, e.g. Size.gibibytes(10)');
    optionalString(scope, `${f}.mountPath`, props.storage.mountPath, "give an absolute path such as '/data'");
    optionalString(scope, `${f}.storageClassName`, props.storage.storageClassName, 'give a StorageClass name');
    optionalString(scope, `${f}.name`, props.storage.name, "give a DNS-1123 label such as 'data'");
  }
  optionalEnum(scope, `${p}.podManagementPolicy`, props.podManagementPolicy, Object.values(PodManagementPolicy), 'PodManagementPolicy');
  optionalLabels(scope, `${p}.labels`, props.labels);
  optionalString(scope, `${p}.clusterDomain`, props.clusterDomain, "give a DNS domain such as 'cluster.local'");
  optionalObject(scope, `${p}.mesh`, props.mesh, 'give MeshWorkloadOptions, e.g. { requestTimeoutMillis: 5000 }');
  checkHardenedPodPropTypes(scope, p, props);
}

/** A validated `storage`. */
interface Storage {
  readonly name: string;
  readonly mountPath: string;
  readonly storageClassName?: string;
  readonly accessMode: StorageAccessMode;
  readonly size: string;
}

/**
 * The spec of the StatefulSet cdk8s-plus-28 writes for a HeadlessStatefulEndpoint (lib/stateful-set.js `_toKube`, with
 * its defaults: minReadySeconds 0, a RollingUpdate strategy of partition 0) with the claim template of `storage` (the
 * JSON patch of `_makeStatefulSet`), keys in the order cdk8s writes them (`plain`, the generated `toJson_StatefulSetSpec`),
 * or as the props of the generated KubeStatefulSet (Quantity values as `{ value }`).
 * test/stateful/own-objects.test.ts compares it with cdk8s-plus-28's rendering.
 */
function statefulSetSpecJson(x: {
  replicas: number;
  podManagementPolicy: string;
  serviceName: string;
  selectorLabels: { [key: string]: string };
  labels: { [key: string]: string };
  storage?: Storage;
}, template: unknown, plain: boolean): unknown {
  const spec: { [key: string]: unknown } = {
    minReadySeconds: 0,
    podManagementPolicy: x.podManagementPolicy,
    replicas: x.replicas,
    selector: { matchLabels: sortedMap(x.selectorLabels) },
    serviceName: x.serviceName,
    template,
    updateStrategy: { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' },
  };
  const s = x.storage;
  if (s) {
    const claimSpec: { [key: string]: unknown } = {
      accessModes: [s.accessMode],
      resources: { requests: { storage: plain ? s.size : { value: s.size } } },
    };
    if (s.storageClassName !== undefined) claimSpec.storageClassName = s.storageClassName;
    // The labels in the order the patch gives them (cdk8s applies patches after sorting the keys).
    spec.volumeClaimTemplates = [{ metadata: { labels: { ...x.labels }, name: s.name }, spec: claimSpec }];
  }
  return spec;
}

/**
 * The StatefulSet as cdk8s renders it (the generated conversion), with the labels of its claim template in the order
 * cdk8s-plus-28's StatefulSet writes them: there, the claim template comes in by a JSON patch, which cdk8s applies
 * after sorting the keys, so the labels keep the order of `labels`; the own object's props are sorted.
 */
function claimLabelsInOrder(json: any, labels: { [key: string]: string }): any {
  for (const claim of json?.spec?.volumeClaimTemplates ?? []) {
    const given = claim?.metadata?.labels;
    if (given === undefined) continue;
    const ordered: { [key: string]: unknown } = {};
    for (const key of [...Object.keys(labels), ...Object.keys(given)]) if (key in given && !(key in ordered)) ordered[key] = given[key];
    claim.metadata.labels = ordered;
  }
  return json;
}

/**
 * The spec of the headless Service cdk8s-plus-28 writes for a HeadlessStatefulEndpoint (lib/service.js `_toKube`) with
 * the corrections of `_patchService` and the `/spec/selector` patch, keys in the order cdk8s writes them (`plain`), or
 * as the props of the generated KubeService; `ports` is `_servicePortsJson(plain)`.
 */
function headlessServiceSpecJson(ports: unknown[], selectorLabels: { [key: string]: string }, publishNotReadyAddresses: boolean,
  plain: boolean): unknown {
  return {
    // The generated ServiceSpec props call it clusterIp (toJson_ServiceSpec writes clusterIP).
    [plain ? 'clusterIP' : 'clusterIp']: 'None',
    ports,
    publishNotReadyAddresses,
    selector: { ...selectorLabels },
    type: 'ClusterIP',
  };
}
