import { ApiObject, ApiObjectMetadataDefinition, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parseCidr, parseIp } from '../core/cidr';
import { fail, uniqueId } from '../core/errors';
import { optionalEnum, optionalLabels, optionalNumber, optionalObject, optionalPortSpecs, optionalString, optionalStringArray, requireProps } from '../core/guards';
import { LabelKeys } from '../core/labels';
import { Replaceable, sortedMap } from '../core/own-spec';
import { Protocol } from '../core/port';
import { ServicePortSpec, validateServicePorts } from '../core/service-port';
import { INamespace } from '../dns/namespace-ref';
import { MeshWorkloadOptions } from '../mesh/options';
import { checkHardenedPodPropTypes, checkReplicas, HardenedPodProps, hardenPod } from '../workload/hardened-pod';
import { SecureWorkload } from '../workload/secure-workload';

/** How the Service is exposed. */
export enum ServiceType {
  /** Reachable inside the cluster only. */
  CLUSTER_IP = 'ClusterIP',
  /** Also on a port of every node: NetworkPolicies cannot restrict who reaches node ports. */
  NODE_PORT = 'NodePort',
  /** Also through a cloud load balancer. */
  LOAD_BALANCER = 'LoadBalancer',
}

/** Session affinity of a Service. */
export enum SessionAffinity {
  /** No affinity. */
  NONE = 'None',
  /** Requests from one client IP go to the same pod. */
  CLIENT_IP = 'ClientIP',
}

/** How external traffic is routed to pods. */
export enum ExternalTrafficPolicy {
  /** To any ready pod in the cluster (the client IP is lost to SNAT). */
  CLUSTER = 'Cluster',
  /** Only to pods on the node that received it (preserves the client IP). */
  LOCAL = 'Local',
}

/** Props of `SecureService`. */
export interface SecureServiceProps extends HardenedPodProps {
  /**
   * `metadata.name` of every object this construct creates (a DNS-1035 label).
   * @default - derived from the construct id without a hash (`PaymentsApi` -> `payments-api`)
   */
  readonly name?: string;
  /**
   * The namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: INamespace;
  /**
   * One TCP port named `http`; shorthand for `ports: [{ name: 'http', port }]`.
   * @default - use `ports`
   */
  readonly port?: number;
  /**
   * The ports, each named.
   * @default - use `port`; one of the two is required
   */
  readonly ports?: ServicePortSpec[];
  /**
   * Number of pods.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Extra labels on the pods and objects.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * How the Service is exposed. NodePort and LoadBalancer widen exposure beyond the cluster.
   *
   * The pods' NetworkPolicy still admits only declared peers: traffic arriving through a node port
   * or load balancer must be allowed too, e.g. `allowFrom(Peer.ipBlock(clientCidr))` (with
   * `externalTrafficPolicy: LOCAL` so the client IP survives SNAT; what a CNI sees otherwise
   * depends on the CNI).
   * @default ServiceType.CLUSTER_IP
   */
  readonly serviceType?: ServiceType;
  /**
   * Client CIDRs allowed through the load balancer. Required for LoadBalancer unless
   * `allowLoadBalancerFromAnywhere` is set.
   * @default - none
   */
  readonly loadBalancerSourceRanges?: string[];
  /**
   * Accept a LoadBalancer open to every address on the internet.
   * @default false
   */
  readonly allowLoadBalancerFromAnywhere?: boolean;
  /**
   * External traffic policy, for NodePort and LoadBalancer.
   * @default - Kubernetes' default (Cluster)
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /**
   * Session affinity.
   * @default SessionAffinity.NONE
   */
  readonly sessionAffinity?: SessionAffinity;
  /**
   * Session affinity timeout (1-86400 s), with `SessionAffinity.CLIENT_IP`.
   * @default - Kubernetes' default (10800)
   */
  readonly sessionAffinityTimeoutSeconds?: number;
  /**
   * The cluster domain used in `fqdn`.
   * @default - the namespace's cluster DNS domain, `cluster.local`
   */
  readonly clusterDomain?: string;
  /**
   * Service-mesh options: the mesh (when the namespace names none), retries, timeouts, circuit
   * breaking, canary, faults. In a namespace with a mesh the workload joins it even without this.
   *
   * An option the mesh cannot express fails at construction; `MeshWorkloadOptions` lists them per mesh.
   * @default - the namespace's mesh, if any, with no traffic options
   */
  readonly mesh?: MeshWorkloadOptions;
}

/**
 * A workload behind a ClusterIP Service, hardened and isolated.
 *
 * Creates a Deployment (cdk8s-plus-28) whose pods meet the Pod Security Standards
 * *restricted* profile (non-root, seccomp RuntimeDefault, no privilege escalation, read-only
 * root filesystem, all capabilities dropped), a dedicated ServiceAccount that mounts no token,
 * a Service whose ports are all named (targetPort by name), a PodDisruptionBudget when
 * replicas > 1, and a NetworkPolicy that selects exactly its pods with both policyTypes: it
 * admits only the connections declared with `allowFrom`/`allowTo` (plus egress to the cluster
 * DNS). Every object is named `name`.
 *
 * The Deployment, Service and ServiceAccount are the objects cdk8s-plus-28 writes; the library writes
 * them itself until `deployment`, `service` or `serviceAccount` is read, which makes the cdk8s-plus-28
 * object in their place.
 *
 * @example
 * const api = new SecureService(chart, 'Api', { namespace: ns, image: 'ghcr.io/acme/api:1.4.2', port: 8080 });
 * web.allowTo(api);
 */
export class SecureService extends SecureWorkload {
  /**
   * The Deployment and Service, which this library writes itself until their cdk8s-plus-28 objects (the same objects)
   * are asked for (unless made from the start).
   */
  private readonly _deployment: Replaceable<kplus.Deployment>;
  private readonly _service: Replaceable<kplus.Service>;

  public constructor(scope: Construct, id: string, props: SecureServiceProps) {
    super(scope, uniqueId(scope, id, new.target.name));
    const p = 'SecureService';
    checkPropTypes(this, props);
    this._initIdentity(p, id, props);

    this._initPorts(this.validatePorts(props));
    const replicas = props.replicas ?? 2;
    checkReplicas(this, p, replicas, props.allowLargeReplicaCount);
    const serviceType = props.serviceType ?? ServiceType.CLUSTER_IP;
    // Plain-JS callers can pass any string; an unknown one must not fall through to LoadBalancer below.
    if (!SERVICE_TYPES.includes(serviceType)) fail(this, `${p}.serviceType "${serviceType}" is not ClusterIP, NodePort or LoadBalancer; use a ServiceType value.`);
    this.validateExposure(props, serviceType);
    this._checkLabels(props.labels, "this service's pods", true);

    const pod = hardenPod(this, props, {
      construct: p,
      ports: this._podPorts(),
      selectorLabels: this.selectorLabels,
    });
    const { labels, metadata } = this._metadata(props.labels);

    const makeDeployment = (serviceAccount: kplus.IServiceAccount) => {
      const deployment = new kplus.Deployment(this, 'Resource', {
        metadata,
        podMetadata: { labels },
        // Select by our stable label, not cdk8s-plus's path-derived `cdk8s.io/metadata.addr`: spec.selector is
        // immutable, so a selector that changes when the construct tree is refactored breaks `kubectl apply`.
        select: false,
        replicas,
        serviceAccount,
        automountServiceAccountToken: false,
        securityContext: pod.securityContext,
        containers: [pod.kplusContainer()],
        dns: pod.dns,
      });
      deployment.select(kplus.LabelSelector.of({ labels: this.selectorLabels }));
      pod.applyPatches(ApiObject.of(deployment));
      return deployment;
    };
    const makeService = () => {
      const service = new kplus.Service(this, 'Service', {
        metadata,
        type: serviceType === ServiceType.CLUSTER_IP ? kplus.ServiceType.CLUSTER_IP
          : serviceType === ServiceType.NODE_PORT ? kplus.ServiceType.NODE_PORT : kplus.ServiceType.LOAD_BALANCER,
        ports: this._servicePorts(),
        loadBalancerSourceRanges: props.loadBalancerSourceRanges,
      });
      service.selectLabel(LabelKeys.NAME, this.name);
      const serviceObj = this._patchService(service);
      if (props.sessionAffinity) serviceObj.addJsonPatch(JsonPatch.add('/spec/sessionAffinity', props.sessionAffinity));
      if (props.sessionAffinityTimeoutSeconds !== undefined) {
        serviceObj.addJsonPatch(JsonPatch.add('/spec/sessionAffinityConfig', { clientIp: { timeoutSeconds: props.sessionAffinityTimeoutSeconds } }));
      }
      if (props.externalTrafficPolicy) serviceObj.addJsonPatch(JsonPatch.add('/spec/externalTrafficPolicy', props.externalTrafficPolicy));
      return service;
    };

    let podMetadata: ApiObjectMetadataDefinition;
    if (pod.ownRenderable) {
      // The objects cdk8s-plus-28 would write, written by this library (much less work per object); the
      // cdk8s-plus objects are made when `deployment`, `service` or `serviceAccount` is first read.
      this._initOwnServiceAccount(metadata);
      const deployment = this._initOwnWorkload('Deployment', metadata, labels, (plain) => pod.podSpecJson(this.name, plain),
        (template, plain) => deploymentSpecJson(replicas, this.selectorLabels, template, plain), kplus.k8s.toJson_KubeDeploymentProps);
      this._deployment = Replaceable.own(deployment.object, () => this._replaceOwnWorkload(deployment, makeDeployment));
      this._service = this._initOwnService(metadata,
        (plain) => serviceSpecJson(this._servicePortsJson(plain), this.selectorLabels, serviceType, props, plain), makeService);
      podMetadata = deployment.podMetadata;
    } else {
      const serviceAccount = this._initServiceAccount(metadata);
      this._deployment = Replaceable.made(makeDeployment(serviceAccount));
      this._service = Replaceable.made(makeService());
      podMetadata = this.deployment.podMetadata;
    }

    this._initDisruptionBudget(replicas, metadata);
    this._initNetworkPolicy(labels, props.namespace, pod.dnsEgress);
    this._initConnections();
    this._joinMesh(props.namespace, props.mesh, {
      podMetadata,
      runAsUser: pod.user,
      runAsGroup: pod.group,
      serviceName: this.name,
      serviceMetadata: this.serviceObject.metadata,
      fqdn: () => this.fqdn,
      canaryVersion: true,
    });
  }

  /**
   * The Deployment (escape hatch), a cdk8s-plus-28 object. It is made when first read and writes
   * the same object as before, with anything added to the Deployment's metadata until then.
   */
  public get deployment(): kplus.Deployment {
    return this._deployment.get();
  }

  /**
   * The Service (escape hatch), a cdk8s-plus-28 object. It is made when first read and writes the
   * same object as before, with the annotations, labels and JSON patches added to `serviceObject` until then.
   */
  public get service(): kplus.Service {
    return this._service.get();
  }

  /** The Service object (escape hatch for annotations, e.g. multi-cluster export). */
  public get serviceObject(): ApiObject {
    return this._service.object;
  }

  private validatePorts(props: SecureServiceProps): ServicePortSpec[] {
    const p = 'SecureService';
    if (props.port !== undefined && props.ports !== undefined) fail(this, `${p}.port and ${p}.ports are both set; use one of them.`);
    const ports = props.ports ?? (props.port !== undefined ? [{ name: 'http', port: props.port }] : undefined);
    const nodePorts = new Map<string, number>();
    return validateServicePorts(this, ports, {
      construct: p,
      emptyAdvice: `give at least one port (or ${p}.port).`,
      shorthand: props.ports === undefined,
      rangeAdvice: true,
      uniqueContainerPorts: true,
      each: (sp, f, i) => {
        if (sp.nodePort === undefined) return;
        if (props.serviceType !== ServiceType.NODE_PORT && props.serviceType !== ServiceType.LOAD_BALANCER) {
          fail(this, `${f}.nodePort is set but ${p}.serviceType is ${props.serviceType ?? 'ClusterIP'}; node ports need serviceType NODE_PORT or LOAD_BALANCER.`);
        }
        if (!Number.isInteger(sp.nodePort) || sp.nodePort < 30000 || sp.nodePort > 32767) {
          fail(this, `${f}.nodePort is ${sp.nodePort}; node ports must be 30000-32767 (the default --service-node-port-range).`);
        }
        const nodeKey = `${sp.protocol ?? 'TCP'}/${sp.nodePort}`;
        const before = nodePorts.get(nodeKey);
        if (before !== undefined) fail(this, `${f}.nodePort ${sp.nodePort} is also ${p}.ports[${before}].nodePort; each port needs its own node port.`);
        nodePorts.set(nodeKey, i);
      },
    });
  }

  private validateExposure(props: SecureServiceProps, type: ServiceType) {
    const p = 'SecureService';
    const ranges = props.loadBalancerSourceRanges;
    if (ranges !== undefined && type !== ServiceType.LOAD_BALANCER) {
      fail(this, `${p}.loadBalancerSourceRanges is set but ${p}.serviceType is ${type}; source ranges apply to LOAD_BALANCER only.`);
    }
    if (props.allowLoadBalancerFromAnywhere && type !== ServiceType.LOAD_BALANCER) {
      fail(this, `${p}.allowLoadBalancerFromAnywhere is set but ${p}.serviceType is ${type}; it applies to LOAD_BALANCER only.`);
    }
    if (type === ServiceType.LOAD_BALANCER) {
      if ((ranges === undefined || ranges.length === 0) && !props.allowLoadBalancerFromAnywhere) {
        fail(this, `${p}.loadBalancerSourceRanges is empty for a LoadBalancer, which would accept the whole internet; list the client CIDRs, or set ${p}.allowLoadBalancerFromAnywhere to true.`);
      }
      if (ranges && ranges.length > 0 && props.allowLoadBalancerFromAnywhere) {
        fail(this, `${p}.allowLoadBalancerFromAnywhere and ${p}.loadBalancerSourceRanges are both set; use one.`);
      }
      const seen = new Map<string, number>();
      (ranges ?? []).forEach((r, i) => {
        const c = parseCidr(r);
        if (!c) fail(this, `${p}.loadBalancerSourceRanges[${i}] "${r}" is not a CIDR; write e.g. 203.0.113.0/24.`);
        if (c.prefix === 0) fail(this, `${p}.loadBalancerSourceRanges[${i}] "${r}" is every address; set ${p}.allowLoadBalancerFromAnywhere to true instead.`);
        if (parseIp(r.split('/')[0])?.value !== c.network) {
          fail(this, `${p}.loadBalancerSourceRanges[${i}] "${r}" has bits set after the prefix; did you mean ${c.normalized}?`);
        }
        const before = seen.get(c.normalized);
        if (before !== undefined) fail(this, `${p}.loadBalancerSourceRanges[${i}] "${r}" repeats loadBalancerSourceRanges[${before}]; list each range once.`);
        seen.set(c.normalized, i);
      });
    }
    if (props.externalTrafficPolicy !== undefined && type === ServiceType.CLUSTER_IP) {
      fail(this, `${p}.externalTrafficPolicy is set but ${p}.serviceType is ClusterIP; it applies to NODE_PORT and LOAD_BALANCER only.`);
    }
    const timeout = props.sessionAffinityTimeoutSeconds;
    if (timeout !== undefined) {
      if (props.sessionAffinity !== SessionAffinity.CLIENT_IP) {
        fail(this, `${p}.sessionAffinityTimeoutSeconds is set but ${p}.sessionAffinity is ${props.sessionAffinity ?? 'None'}; set sessionAffinity to SessionAffinity.CLIENT_IP.`);
      }
      if (!Number.isInteger(timeout) || timeout < 1 || timeout > 86400) {
        fail(this, `${p}.sessionAffinityTimeoutSeconds is ${timeout}; it must be 1-86400.`);
      }
    }
  }
}

/** Types first (for callers outside TypeScript): nothing below may meet a null, a string for a number or a string for a list. */
/** The values of the enums the props take, for the checks of each construction. */
const SERVICE_TYPES: string[] = Object.values(ServiceType);
const PROTOCOLS: string[] = Object.values(Protocol);
const EXTERNAL_TRAFFIC_POLICIES: string[] = Object.values(ExternalTrafficPolicy);
const SESSION_AFFINITIES: string[] = Object.values(SessionAffinity);

function checkPropTypes(scope: Construct, props: SecureServiceProps) {
  const p = 'SecureService';
  requireProps(scope, p, props, "give SecureServiceProps, e.g. { image: 'ghcr.io/acme/api:1.4.2', port: 8080 }");
  optionalString(scope, `${p}.name`, props.name, "give a DNS-1035 label such as 'api'");
  optionalObject(scope, `${p}.namespace`, props.namespace, "give a DenyAllNamespace or NamespaceRef.named('shop')");
  optionalNumber(scope, `${p}.port`, props.port, 'give a port number 1-65535');
  optionalPortSpecs(scope, `${p}.ports`, props.ports, PROTOCOLS);
  optionalNumber(scope, `${p}.replicas`, props.replicas, 'give a whole number >= 0');
  optionalLabels(scope, `${p}.labels`, props.labels);
  optionalStringArray(scope, `${p}.loadBalancerSourceRanges`, props.loadBalancerSourceRanges, "give a list of CIDRs, e.g. ['203.0.113.0/24']", 'give a CIDR such as 203.0.113.0/24');
  optionalEnum(scope, `${p}.externalTrafficPolicy`, props.externalTrafficPolicy, EXTERNAL_TRAFFIC_POLICIES, 'ExternalTrafficPolicy');
  optionalEnum(scope, `${p}.sessionAffinity`, props.sessionAffinity, SESSION_AFFINITIES, 'SessionAffinity');
  optionalNumber(scope, `${p}.sessionAffinityTimeoutSeconds`, props.sessionAffinityTimeoutSeconds, 'give a whole number of seconds 1-86400');
  optionalString(scope, `${p}.clusterDomain`, props.clusterDomain, "give a DNS domain such as 'cluster.local'");
  optionalObject(scope, `${p}.mesh`, props.mesh, 'give MeshWorkloadOptions, e.g. { requestTimeoutMillis: 5000 }');
  checkHardenedPodPropTypes(scope, p, props);
}

/**
 * The spec of the Deployment cdk8s-plus-28 writes for a SecureService (lib/deployment.js `_toKube`, with its defaults:
 * minReadySeconds 0, progressDeadlineSeconds 600, a RollingUpdate strategy of 25% / 25%), keys in the order cdk8s
 * writes them (`plain`), or as the props of the generated KubeDeployment (IntOrStrings as `{ value }`).
 * test/service/own-objects.test.ts compares it with cdk8s-plus-28's rendering.
 */
function deploymentSpecJson(replicas: number, selectorLabels: { [key: string]: string }, template: unknown, plain: boolean): unknown {
  const percent = (v: string) => (plain ? v : { value: v });
  return {
    minReadySeconds: 0,
    progressDeadlineSeconds: 600,
    replicas,
    selector: { matchLabels: sortedMap(selectorLabels) },
    strategy: { rollingUpdate: { maxSurge: percent('25%'), maxUnavailable: percent('25%') }, type: 'RollingUpdate' },
    template,
  };
}

/**
 * The spec of the Service cdk8s-plus-28 writes for a SecureService (lib/service.js `_toKube`) with the corrections
 * of `_patchService` and the session and traffic settings, keys in the order cdk8s writes them (`plain`), or as the
 * props of the generated KubeService; `ports` is `_servicePortsJson(plain)`.
 */
function serviceSpecJson(ports: unknown[], selectorLabels: { [key: string]: string }, type: ServiceType,
  props: SecureServiceProps, plain: boolean): unknown {
  const spec: { [key: string]: unknown } = {};
  if (props.externalTrafficPolicy) spec.externalTrafficPolicy = props.externalTrafficPolicy;
  if (props.loadBalancerSourceRanges !== undefined) spec.loadBalancerSourceRanges = [...props.loadBalancerSourceRanges];
  spec.ports = ports;
  spec.selector = sortedMap(selectorLabels);
  if (props.sessionAffinity) spec.sessionAffinity = props.sessionAffinity;
  // The generated SessionAffinityConfig props call it clientIp (toJson_SessionAffinityConfig writes clientIP).
  if (props.sessionAffinityTimeoutSeconds !== undefined) spec.sessionAffinityConfig = { [plain ? 'clientIP' : 'clientIp']: { timeoutSeconds: props.sessionAffinityTimeoutSeconds } };
  spec.type = type;
  return spec;
}
