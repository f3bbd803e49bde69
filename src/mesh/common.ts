/*
 * Internals shared by the Istio and Linkerd renderers: what a meshed workload looks like to
 * them, who has a mesh identity, and how a connection peer becomes an authorization source.
 * Nothing here is exported from the package.
 */
import { ApiObjectMetadataDefinition } from 'cdk8s';
import { Construct } from 'constructs';
import type { ServiceMesh } from './mesh';
import { MeshWorkloadOptions } from './options';
import type { RuleOrigin } from '../core/connections';
import { fail, failCall } from '../core/errors';
import { LabelKeys } from '../core/labels';
import { _peerMeshIdentity } from '../core/mesh-identity';
import { dnsNameOfPeer, IPeer } from '../core/peer';
import { allowsEveryPort, Port, Protocol } from '../core/port';
import { ServicePortSpec } from '../core/service-port';
import { WorkloadPolicy, WorkloadPolicyRuleObserver } from '../core/workload-policy';

/**
 * The traffic options of `MeshWorkloadOptions`: those that need a proxy that routes requests of
 * the Service (L7). Written once, for every refusal that lists them: Istio ambient mode without a
 * waypoint, and the headless Service of a `HeadlessStatefulEndpoint` (clients connect to pods).
 * In the order they are checked (the first one set is named in the error).
 * @internal
 */
export const MESH_TRAFFIC_OPTIONS: ReadonlyArray<keyof MeshWorkloadOptions> =
  ['retries', 'requestTimeoutMillis', 'routes', 'outlierDetection', 'connectionPool', 'canary', 'faultInjection'];

/**
 * A workload as the renderers see it. Every workload construct of the library
 * (`SecureService`, `HeadlessStatefulEndpoint`) describes itself this way and hands it to
 * `applyServiceMesh`; nothing in the mesh depends on which construct it is.
 * @internal
 */
export interface MeshTarget {
  /** The construct; generated objects are its children and errors name its path. */
  readonly scope: Construct;
  /** `SecureService`, `HeadlessStatefulEndpoint`: for messages. */
  readonly constructName: string;
  /** The name of the workload and of the objects generated for it. */
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** The user id of its container processes (`runAsUser`). */
  readonly runAsUser: number;
  /** The group id of its container processes (`runAsGroup`). */
  readonly runAsGroup: number;
  readonly selectorLabels: { [key: string]: string };
  /** Its ports; each container port is named after its port. */
  readonly ports: ServicePortSpec[];
  /** The NetworkPolicy of its pods: its ingress rules are the connections to authorize. */
  readonly networkPolicy: WorkloadPolicy;
  readonly podMetadata: ApiObjectMetadataDefinition;
  /** The Service that clients' traffic options (retries, timeouts, routes, canary) apply to. */
  readonly serviceName: string;
  readonly serviceMetadata: ApiObjectMetadataDefinition;
  /** `<service name>.<ns>.svc.<cluster domain>`. */
  readonly fqdn: string;
  readonly peer: IPeer;
  /**
   * Options this workload cannot honour, by field of `MeshWorkloadOptions`, with the reason and
   * what to do (`canary` -> `'...; remove it.'`). Asking for them fails, whatever the mesh.
   * @default - none refused
   */
  readonly refusedOptions?: { [field: string]: string };
  /**
   * Whether it may be the canary version of another workload (`MeshCanaryOptions.service`).
   * @default false
   */
  readonly canaryVersion?: boolean;
}

/**
 * A `MeshTarget` as a construct describes it, before its namespace is known to be set (the
 * DNS name is asked for only once it is).
 * @internal
 */
export type MeshTargetProps = Omit<MeshTarget, 'namespace' | 'fqdn'> & { readonly namespace?: string; readonly fqdn: () => string };

/** A workload in a mesh, with its options. @internal */
export interface MeshWorkload {
  readonly target: MeshTarget;
  readonly mesh: ServiceMesh;
  readonly options: MeshWorkloadOptions;
  /** The traffic port (`options.trafficPort` or the first port). */
  readonly trafficPort: ServicePortSpec;
  /** Whether its namespace is a `DenyAllNamespace` of the same mesh (which writes the namespace-wide objects). */
  readonly namespaceCovered: boolean;
}

/** The namespace-level view a renderer needs of a `DenyAllNamespace`. @internal */
export interface MeshNamespaceTarget {
  readonly scope: Construct;
  readonly name: string;
  readonly metadata: ApiObjectMetadataDefinition;
  /** Namespaces whose pods may reach every pod of this one (`DenyAllNamespace.allowFromNamespaces`). */
  readonly allowFromNamespaces: string[];
  /** Whether the pods of the namespace may reach each other (`DenyAllNamespace.allowWithinNamespace`). */
  readonly allowWithinNamespace: boolean;
}

/** What a mesh implementation does. @internal */
export interface MeshRenderer {
  /** The port meshed traffic arrives on at the destination pod, when it is not the application port. */
  readonly dataplanePort?: number;
  /** Ports the proxy itself listens on; workloads must not use them. */
  readonly reservedPorts: (port: number) => boolean;
  /**
   * The user and group ids whose outbound traffic the proxy's traffic capture lets through
   * unredirected (its own); workloads must not run as them.
   */
  readonly proxyIds: { readonly user?: number; readonly group?: number };
  /** Refuses options this mesh cannot express (throws). */
  validate(w: MeshWorkload): void;
  /** Writes the namespace-wide objects. */
  renderNamespace(ns: MeshNamespaceTarget): void;
  /** Writes the workload's objects. */
  renderWorkload(w: MeshWorkload): void;
  /** Called for each ingress rule added to a meshed workload (after it was checked and written). */
  onIngressRule(w: MeshWorkload, peer: IPeer, ports: Port[]): void;
  /** Called before an egress rule of a meshed workload to a host outside the cluster known by DNS name. */
  onExternalHost?(w: MeshWorkload, hostname: string, ports: Port[]): void;
}

/** A source of traffic as a mesh authorizes it. @internal */
export type MeshSource =
  | { readonly kind: 'workload'; readonly namespace: string; readonly serviceAccount: string }
  | { readonly kind: 'namespace'; readonly namespace: string }
  | { readonly kind: 'anyIdentity' }
  | { readonly kind: 'ipBlock'; readonly cidr: string; readonly except?: string[] };

const identities = new WeakMap<object, MeshWorkload>();
const namespaceMeshes = new WeakMap<object, ServiceMesh>();

/** @internal */
export function registerWorkload(w: MeshWorkload): void {
  identities.set(w.target.peer, w);
}

/** The meshed workload behind a peer, if any. @internal */
export function meshWorkloadOf(peer: object): MeshWorkload | undefined {
  return identities.get(peer);
}

/** @internal */
export function registerNamespaceMesh(ns: object, mesh: ServiceMesh): void {
  namespaceMeshes.set(ns, mesh);
}

/** The mesh a `DenyAllNamespace` was put in, if any. @internal */
export function namespaceMeshOf(ns: object | undefined): ServiceMesh | undefined {
  return ns ? namespaceMeshes.get(ns) : undefined;
}

/** A namespace no policy can be in: peers name themselves from "elsewhere". */
const ELSEWHERE = ' ';

/**
 * How a mesh can authorize traffic from `peer`, or why it cannot.
 *
 * Identities come from service accounts (`SecureService`), namespaces become namespace-wide
 * sources, and `Peer.allPodsInCluster()` becomes "any mesh identity". Label selectors
 * (`Peer.pods`, `Peer.namespaces`) name no identity, and IP blocks have none.
 * @internal
 */
export function meshSourceOf(peer: IPeer): MeshSource | { readonly problem: string } {
  const w = meshWorkloadOf(peer);
  if (w) return { kind: 'workload', namespace: w.target.namespace, serviceAccount: w.target.serviceAccountName };
  const declared = _peerMeshIdentity(peer);
  if (declared) return { kind: 'workload', namespace: declared.namespace, serviceAccount: declared.serviceAccount };
  const specs = peer.toPeerSpecs(ELSEWHERE);
  if (specs.length !== 1) {
    return { problem: 'it stands for several address blocks, which name no mesh identity. Allow each block with Peer.ipBlock under PERMISSIVE mTLS' };
  }
  const spec = specs[0];
  if (spec.ipBlock) return { kind: 'ipBlock', cidr: spec.ipBlock.cidr, except: spec.ipBlock.except };
  const nsLabels = spec.namespaceSelector?.matchLabels ?? {};
  const pods = spec.podSelector;
  const podSelectorEmpty = !pods || (Object.keys(pods.matchLabels ?? {}).length === 0 && !(pods.matchExpressions ?? []).length);
  if (spec.namespaceSelector && podSelectorEmpty && !(spec.namespaceSelector.matchExpressions ?? []).length) {
    const keys = Object.keys(nsLabels);
    if (keys.length === 0) return { kind: 'anyIdentity' };
    if (keys.length === 1 && keys[0] === LabelKeys.NAMESPACE_NAME) return { kind: 'namespace', namespace: nsLabels[LabelKeys.NAMESPACE_NAME] };
  }
  if (peer.connections.isManaged) {
    return { problem: 'it is not in the mesh, so its connections carry no mesh identity. Put it in the mesh (DenyAllNamespace.mesh, or the mesh.mesh prop of the workload)' };
  }
  return {
    problem: 'it selects pods by labels, and labels name no mesh identity. ' +
      'Connect the workload itself (a SecureService or HeadlessStatefulEndpoint in the mesh) or its namespace (Peer.namespace)',
  };
}

/**
 * Has the mesh see every connection of a workload as it is declared, through the observer hook
 * of its NetworkPolicy: ingress peers are checked for a mesh identity at the
 * `allowFrom`/`allowTo` call, the dataplane port is opened next to the application ports, and
 * the renderer is told of each ingress rule.
 * @internal
 */
export function observeConnections(w: MeshWorkload, renderer: MeshRenderer): void {
  w.target.networkPolicy._addRuleObserver(meshRuleObserver(w, renderer));
}

/** The observer `observeConnections` adds. @internal */
export function meshRuleObserver(w: MeshWorkload, renderer: MeshRenderer): WorkloadPolicyRuleObserver {
  const dp = renderer.dataplanePort;
  return {
    beforeRule: (direction, peer, ports, origin) => {
      if (direction === 'ingress') checkIngressPeer(w, peer, origin);
      const host = direction === 'egress' ? dnsNameOfPeer(peer) : undefined;
      if (host !== undefined) renderer.onExternalHost?.(w, host, ports);
      // IP blocks are outside the mesh: no proxy talks to them on its dataplane port. Meshes proxy
      // TCP only: a connection on UDP or SCTP ports alone goes straight to the pod.
      if (dp === undefined || peer.toPeerSpecs(ELSEWHERE).some((spec) => spec.ipBlock)) return [];
      return allowsEveryPort(ports) || ports.some((p) => p.protocol === Protocol.TCP) ? [Port.tcp(dp)] : [];
    },
    afterRule: (direction, peer, ports) => {
      if (direction === 'ingress') renderer.onIngressRule(w, peer, ports);
    },
  };
}

/**
 * Refuses an ingress rule from `peer` that the mesh of `w` cannot authorize. From `w` (its path,
 * `SecureService.mesh: ...`) when a construct asked for the rule; from the call when it was asked
 * on a value no construct owns (`Peer.ipBlock('10.0.0.0/8').connections.allowTo(shop/api): ...`),
 * which names `w` and its mesh instead.
 */
function checkIngressPeer(w: MeshWorkload, peer: IPeer, origin: RuleOrigin): void {
  const source = meshSourceOf(peer);
  const c = w.target.constructName;
  const mesh = w.mesh.displayName;
  const refuse = (why: string): never => (origin.call === undefined
    ? fail(w.target.scope, `${c}.mesh: ingress from ${peer.peerId} cannot be authorized by ${mesh}: ${why}`)
    : failCall(origin.call, `ingress from ${peer.peerId} cannot be authorized by ${mesh}, the mesh of ${c} ${w.target.namespace}/${w.target.name}: ${why}`));
  if ('problem' in source) refuse(`${source.problem}.`);
  const declared = _peerMeshIdentity(peer);
  if (declared && (declared.mesh !== w.mesh.kind || declared.controlPlaneNamespace !== w.mesh.controlPlaneNamespace)) {
    refuse(`it is ${declared.description} (identity ${declared.serviceAccount} in ${declared.namespace}), whose identities ${mesh} ` +
      `(${w.mesh.controlPlaneNamespace}) does not trust. Put both in one mesh, or route through a gateway of this mesh.`);
  }
  const other = meshWorkloadOf(peer);
  if (other && !other.mesh._sameAs(w.mesh)) {
    refuse(`${peer.peerId} is in ${other.mesh.displayName} (${other.mesh.controlPlaneNamespace}), whose identities ${mesh} does not trust. Put both in one mesh.`);
  }
  if (!('problem' in source) && source.kind === 'ipBlock' && w.mesh.mtls === 'STRICT') {
    refuse('an IP block has no mesh identity, and STRICT mTLS refuses its plaintext. ' +
      'Route it through a meshed gateway, or use mtls: MeshMtlsMode.PERMISSIVE for this mesh.');
  }
}

/** TCP port numbers of the rule ports (the mesh proxies TCP only); undefined means every port. @internal */
export function tcpPorts(ports: Port[], dataplanePort: number | undefined): number[] | undefined {
  if (allowsEveryPort(ports)) return undefined;
  const out: number[] = [];
  for (const p of ports) {
    if (p.protocol !== Protocol.TCP) continue;
    if (p.portNumber === undefined) return undefined; // every TCP port
    if (p.portNumber === dataplanePort && p.endPort === undefined) continue;
    for (let n = p.portNumber; n <= (p.endPort ?? p.portNumber); n++) if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** The container port of a service port (one definition, in core). @internal */
export { containerPort } from '../core/service-port';

/** Every identity of a namespace, as Linkerd names it. @internal */
export function linkerdNamespaceIdentity(mesh: ServiceMesh, namespace: string): string {
  return `*.${namespace}.serviceaccount.identity.${mesh.controlPlaneNamespace}.${mesh.trustDomain}`;
}

/** `1500` -> `1500ms`, `2000` -> `2s`: the duration format both meshes accept. @internal */
export function duration(millis: number): string {
  return millis % 1000 === 0 ? `${millis / 1000}s` : `${millis}ms`;
}

/** The managed-by label every generated object carries. @internal */
export function managedLabels(): { [key: string]: string } {
  return { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE };
}
