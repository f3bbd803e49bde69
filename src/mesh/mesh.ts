import {
  MeshNamespaceTarget, MeshRenderer, MeshTarget, MeshTargetProps, MeshWorkload, containerPort, meshWorkloadOf, namespaceMeshOf, observeConnections,
  registerNamespaceMesh, registerWorkload,
} from './common';
import { IstioRenderer } from './istio';
import { LinkerdRenderer } from './linkerd';
import {
  IstioEgressGateway, IstioMeshOptions, LinkerdMeshOptions, MeshDataplaneMode, MeshMtlsMode, MeshRetryOn, MeshRetryOptions,
  MeshWorkloadOptions,
} from './options';
import { fail, failCall } from '../core/errors';
import { optionalBoolean, optionalEnum, optionalLabels, optionalNumber, optionalString, requireObject, requirePeer } from '../core/guards';
import { dns1123LabelProblem, dns1123SubdomainProblem, labelProblem } from '../core/names';
import { isPortNumber, Protocol } from '../core/port';
import { checkedValue, requireUsable } from '../core/value-checks';
import { INamespace } from '../dns/namespace-ref';

/** The service meshes this library renders for. */
export enum ServiceMeshKind {
  /** Istio (sidecar or ambient). */
  ISTIO = 'istio',
  /** Linkerd 2.16 or later. */
  LINKERD = 'linkerd',
}

/**
 * The service mesh a namespace or workload is in, and how its options are rendered.
 *
 * Put it on a namespace (`DenyAllNamespace.mesh`) and every `SecureService` and
 * `HeadlessStatefulEndpoint` in it joins the mesh: mutual TLS is required, and each workload
 * admits only the identities of the peers declared with `allowFrom`/`allowTo` (service accounts,
 * namespaces; a stateful set also its own service account on its `peerPorts`).
 * `DenyAllNamespace.allowFromNamespaces` and `allowWithinNamespace` become namespace-wide
 * authorizations of those namespaces' identities (Istio: an ALLOW AuthorizationPolicy without
 * selector; Linkerd: an AuthorizationPolicy targeting the Namespace, which covers every Server
 * in it). Traffic options (the workloads' `mesh` prop: retries, timeouts, circuit breaking,
 * canary, faults) are rendered for this mesh; those it cannot express fail at construction,
 * naming the mesh and the option (listed on `MeshWorkloadOptions`).
 *
 * NetworkPolicies stay in place (defense in depth) and open what the mesh needs:
 * - Istio sidecar: egress to istiod (`app: istiod` in the control-plane namespace) on TCP 15012
 *   (xDS and certificates). The injection webhook (15017) is called by the API server, not by
 *   pods, so it crosses no policy of these namespaces.
 * - Istio ambient: HBONE, TCP 15008, next to every in-cluster connection with a TCP port (both ends), and
 *   ingress from 169.254.7.127/32, the address ztunnel gives kubelet probes.
 * - Linkerd: egress to the destination/policy controller (TCP 8086, 8090) and identity
 *   (TCP 8080) in the control-plane namespace, and the proxy's inbound port TCP 4143 next to
 *   every in-cluster connection with a TCP port (opaque-port traffic is sent there directly).
 *   Meshes proxy TCP only: a connection on UDP or SCTP ports alone opens no proxy port.
 *
 * A meshed pod may not run as the proxy's user or group id, whose outbound traffic the proxy's
 * iptables rules let through unredirected: Istio sidecar uid and gid 1337, Linkerd uid 2102.
 *
 * Sidecar injection under Pod Security `restricted` needs the mesh's CNI plugin (istio-cni,
 * linkerd-cni); without it the injected init container needs NET_ADMIN and is refused.
 *
 * @example
 * const shop = new DenyAllNamespace(chart, 'Shop', { mesh: ServiceMesh.istio() });
 */
export class ServiceMesh {
  /** Istio; sidecar mode unless `dataplaneMode` says ambient. */
  public static istio(options: IstioMeshOptions = {}): ServiceMesh {
    return checkedValue(ServiceMesh.prototype, () => {
      const call = 'ServiceMesh.istio';
      checkOptionTypes(call, options);
      optionalString(call, 'revision', options.revision, "give the revision name istiod was installed with, e.g. '1-30'");
      optionalEnum(call, 'dataplaneMode', options.dataplaneMode, Object.values(MeshDataplaneMode), 'MeshDataplaneMode');
      optionalBoolean(call, 'allowFaultInjection', options.allowFaultInjection, 'give true or false');
      optionalBoolean(call, 'restrictOutboundToRegistry', options.restrictOutboundToRegistry, 'give true or false');
      const ns = options.controlPlaneNamespace ?? 'istio-system';
      checkNamespace(call, ns);
      const trustDomain = options.trustDomain ?? 'cluster.local';
      checkTrustDomain(call, trustDomain);
      if (options.revision !== undefined) {
        const problem = labelProblem('istio.io/rev', options.revision);
        if (problem || options.revision === '') failCall(call, `revision "${options.revision}" is not a label value; use the revision name istiod was installed with (e.g. '1-30').`);
      }
      const mode = options.dataplaneMode ?? MeshDataplaneMode.SIDECAR;
      const egressGateway = checkEgressGateway(call, options.egressGateway, ns, mode);
      if (options.restrictOutboundToRegistry && mode === MeshDataplaneMode.AMBIENT) {
        failCall(call, 'restrictOutboundToRegistry is set with dataplaneMode AMBIENT; the outbound traffic policy is a setting of the Sidecar resource, ' +
          'which ambient mode does not use. Use MeshDataplaneMode.SIDECAR, or remove restrictOutboundToRegistry.');
      }
      const mesh = new ServiceMesh(ServiceMeshKind.ISTIO, mode === MeshDataplaneMode.AMBIENT ? 'Istio (ambient)' : 'Istio', ns, trustDomain,
        options.mtls ?? MeshMtlsMode.STRICT, mode, options.allowFaultInjection ?? false, options.revision,
        options.restrictOutboundToRegistry ?? false, egressGateway);
      return mesh;
    });
  }

  /** Linkerd 2.16 or later (retry and timeout annotations, HTTPRoute `policy.linkerd.io/v1beta3`). */
  public static linkerd(options: LinkerdMeshOptions = {}): ServiceMesh {
    return checkedValue(ServiceMesh.prototype, () => {
      const call = 'ServiceMesh.linkerd';
      checkOptionTypes(call, options);
      const ns = options.controlPlaneNamespace ?? 'linkerd';
      checkNamespace(call, ns);
      const trustDomain = options.trustDomain ?? 'cluster.local';
      checkTrustDomain(call, trustDomain);
      return new ServiceMesh(ServiceMeshKind.LINKERD, 'Linkerd', ns, trustDomain, options.mtls ?? MeshMtlsMode.STRICT,
        MeshDataplaneMode.SIDECAR, false, undefined, false, undefined);
    });
  }

  /** Which mesh. */
  public readonly kind: ServiceMeshKind;
  /** The mesh's name in messages (`Istio`, `Istio (ambient)`, `Linkerd`). */
  public readonly displayName: string;
  /** The control-plane namespace. */
  public readonly controlPlaneNamespace: string;
  /** The trust domain of identities. */
  public readonly trustDomain: string;
  /** Whether plaintext is refused. */
  public readonly mtls: MeshMtlsMode;
  /** Sidecar or ambient. */
  public readonly dataplaneMode: MeshDataplaneMode;
  /** Whether workloads may inject faults. */
  public readonly allowFaultInjection: boolean;
  /** The Istio revision, if any. */
  public readonly revision?: string;
  /** Whether sidecars reach only registered hosts (Istio `REGISTRY_ONLY`). */
  public readonly restrictOutboundToRegistry: boolean;
  /**
   * The egress gateway external hosts are reached through, with its defaults filled in.
   * @internal
   */
  public readonly _egressGateway?: Required<IstioEgressGateway>;
  /** @internal */
  public readonly _renderer: MeshRenderer;

  private constructor(kind: ServiceMeshKind, displayName: string, controlPlaneNamespace: string, trustDomain: string, mtls: MeshMtlsMode,
    dataplaneMode: MeshDataplaneMode, allowFaultInjection: boolean, revision: string | undefined, restrictOutboundToRegistry: boolean,
    egressGateway: Required<IstioEgressGateway> | undefined) {
    this.kind = kind;
    this.displayName = displayName;
    this.controlPlaneNamespace = controlPlaneNamespace;
    this.trustDomain = trustDomain;
    this.mtls = mtls;
    this.dataplaneMode = dataplaneMode;
    this.allowFaultInjection = allowFaultInjection;
    this.revision = revision;
    this.restrictOutboundToRegistry = restrictOutboundToRegistry;
    this._egressGateway = egressGateway;
    this._renderer = kind === ServiceMeshKind.ISTIO ? new IstioRenderer(this) : new LinkerdRenderer(this);
  }

  /**
   * The identity the mesh gives pods running as a service account:
   * `cluster.local/ns/<ns>/sa/<sa>` (Istio principal) or
   * `<sa>.<ns>.serviceaccount.identity.linkerd.cluster.local` (Linkerd).
   */
  public identityOf(serviceAccountName: string, namespaceName: string): string {
    return this.kind === ServiceMeshKind.ISTIO
      ? `${this.trustDomain}/ns/${namespaceName}/sa/${serviceAccountName}`
      : `${serviceAccountName}.${namespaceName}.serviceaccount.identity.${this.controlPlaneNamespace}.${this.trustDomain}`;
  }

  /**
   * Puts a namespace in this mesh. Called by `DenyAllNamespace`, which describes itself as a
   * `MeshNamespaceTarget` (the mesh knows no namespace construct).
   * @internal
   */
  public _applyToNamespace(ns: MeshNamespaceTarget): void {
    registerNamespaceMesh(ns.scope, this);
    this._renderer.renderNamespace(ns);
  }

  /** Whether two meshes are the same installation (same kind, control plane and trust domain). @internal */
  public _sameAs(other: ServiceMesh): boolean {
    return other.kind === this.kind && other.controlPlaneNamespace === this.controlPlaneNamespace && other.trustDomain === this.trustDomain &&
      other.dataplaneMode === this.dataplaneMode && other.restrictOutboundToRegistry === this.restrictOutboundToRegistry &&
      JSON.stringify(other._egressGateway) === JSON.stringify(this._egressGateway);
  }
}

function checkEgressGateway(call: string, gw: IstioEgressGateway | undefined, controlPlane: string,
  mode: MeshDataplaneMode): Required<IstioEgressGateway> | undefined {
  if (gw === undefined) return undefined;
  requireObject(call, 'egressGateway', gw as unknown, "give { namespace: 'istio-system', labels: { istio: 'egressgateway' } } or {}");
  optionalString(call, 'egressGateway.namespace', gw.namespace, "give a namespace name such as 'istio-system'");
  optionalLabels(call, 'egressGateway.labels', gw.labels);
  optionalString(call, 'egressGateway.serviceName', gw.serviceName, "give the gateway Service's name, e.g. 'istio-egressgateway'");
  optionalNumber(call, 'egressGateway.tlsPodPort', gw.tlsPodPort, 'give the container port behind port 443, e.g. 8443');
  if (mode === MeshDataplaneMode.AMBIENT) {
    failCall(call, 'egressGateway is set with dataplaneMode AMBIENT; routing through an egress gateway needs the sidecar (ambient needs a waypoint, which this library does not deploy). Use MeshDataplaneMode.SIDECAR, or remove egressGateway.');
  }
  const out = {
    namespace: gw.namespace ?? controlPlane,
    labels: { ...(gw.labels ?? { istio: 'egressgateway' }) },
    serviceName: gw.serviceName ?? 'istio-egressgateway',
    tlsPodPort: gw.tlsPodPort ?? 8443,
  };
  checkNamespace(call, out.namespace);
  if (Object.keys(out.labels).length === 0) failCall(call, 'egressGateway.labels is empty; give the labels of the gateway pods, e.g. { istio: \'egressgateway\' }.');
  const svcProblem = dns1123LabelProblem(out.serviceName);
  if (svcProblem) failCall(call, `egressGateway.serviceName "${out.serviceName}" is not a Service name; ${svcProblem}.`);
  if (!isPortNumber(out.tlsPodPort)) failCall(call, `egressGateway.tlsPodPort ${out.tlsPodPort} is not a port; give 1-65535.`);
  return out;
}

function checkNamespace(call: string, ns: string) {
  const problem = dns1123LabelProblem(ns);
  if (problem) failCall(call, `controlPlaneNamespace "${ns}" is not a namespace name; ${problem}.`);
}

function checkTrustDomain(call: string, domain: string) {
  const problem = dns1123SubdomainProblem(domain);
  if (problem) failCall(call, `trustDomain "${domain}" is not a DNS domain; ${problem}.`);
}

/**
 * Puts a workload (`SecureService`, `HeadlessStatefulEndpoint`) in the mesh of its namespace or
 * of `options.mesh`, when there is one. Called once, at the end of its constructor, with the
 * workload's own description of itself.
 * @internal
 */
export function applyServiceMesh(workload: MeshTargetProps, namespace: INamespace | undefined, options: MeshWorkloadOptions | undefined): void {
  const c = workload.constructName;
  const scope = workload.scope;
  requireUsable(scope, `${c}.mesh.mesh`, options?.mesh);
  const nsMesh = namespaceMeshOf(namespace);
  const mesh = options?.mesh ?? nsMesh;
  if (!mesh) {
    if (options) fail(scope, `${c}.mesh is set but neither ${c}.mesh.mesh nor the namespace names a mesh; set ${c}.mesh.mesh or DenyAllNamespace.mesh.`);
    return;
  }
  if (nsMesh && options?.mesh && !nsMesh._sameAs(options.mesh)) {
    fail(scope, `${c}.mesh.mesh is ${options.mesh.displayName} (${options.mesh.controlPlaneNamespace}), but namespace ${workload.namespace} is in ` +
      `${nsMesh.displayName} (${nsMesh.controlPlaneNamespace}); a pod is in one mesh only. Omit ${c}.mesh.mesh to use the namespace's mesh.`);
  }
  if (workload.namespace === undefined) fail(scope, `${c}.mesh needs a namespace, because mesh identities include it; set ${c}.namespace or the chart namespace.`);
  const target: MeshTarget = { ...workload, namespace: workload.namespace, selectorLabels: { ...workload.selectorLabels }, fqdn: workload.fqdn() };
  const opts = options ?? {};
  const w: MeshWorkload = {
    target,
    mesh,
    options: opts,
    trafficPort: trafficPortOf(target, opts),
    namespaceCovered: nsMesh !== undefined,
  };
  validateOptions(w);
  mesh._renderer.validate(w);
  registerWorkload(w);
  // Render first: the mesh's own rules (control plane, probes) are not connections to check.
  mesh._renderer.renderWorkload(w);
  observeConnections(w, mesh._renderer);
}

function trafficPortOf(t: MeshTarget, o: MeshWorkloadOptions) {
  const c = t.constructName;
  // The first TCP port: meshes route TCP only (a set may list a UDP gossip port first).
  if (o.trafficPort === undefined) return t.ports.find((p) => (p.protocol ?? Protocol.TCP) === Protocol.TCP) ?? t.ports[0];
  const found = t.ports.find((p) => p.name === o.trafficPort);
  if (!found) fail(t.scope, `${c}.mesh.trafficPort "${o.trafficPort}" is not a port of ${t.name}; its ports are ${t.ports.map((p) => p.name).join(', ')}.`);
  return found;
}

const isInt = (n: number, min: number, max = Number.MAX_SAFE_INTEGER) => Number.isInteger(n) && n >= min && n <= max;

/** Checks that hold whatever the mesh. */
function validateOptions(w: MeshWorkload): void {
  const t = w.target;
  const o = w.options;
  const c = `${t.constructName}.mesh`;
  const bad: (field: string, msg: string) => never = (field, msg) => fail(t.scope, `${c}.${field} ${msg}`);
  for (const [field, why] of Object.entries(t.refusedOptions ?? {})) {
    if ((o as { [k: string]: unknown })[field] !== undefined) bad(field, `is set, but ${why}`);
  }
  for (const [field, kind, id, proxyId] of [
    ['runAsUser', 'user', t.runAsUser, w.mesh._renderer.proxyIds.user],
    ['runAsGroup', 'group', t.runAsGroup, w.mesh._renderer.proxyIds.group],
  ] as const) {
    if (proxyId !== undefined && id === proxyId) {
      fail(t.scope, `${t.constructName}.${field} is ${id}, the ${kind} id of the ${w.mesh.displayName} proxy; the proxy's iptables rules do not redirect ` +
        `the outbound traffic of that id, so the pods would connect around their proxy (no mutual TLS, no mesh identity). Choose another ${kind} id.`);
    }
  }
  for (const p of t.ports) {
    const n = containerPort(p);
    if (w.mesh._renderer.reservedPorts(n)) {
      fail(t.scope, `${t.constructName}.ports: container port ${n} ("${p.name}") is used by the ${w.mesh.displayName} proxy; choose another container port.`);
    }
  }
  if (w.trafficPort.protocol !== undefined && w.trafficPort.protocol !== Protocol.TCP) {
    bad('trafficPort', `"${w.trafficPort.name}" is ${w.trafficPort.protocol}; meshes route TCP (HTTP) traffic only. Name a TCP port.`);
  }
  if (o.retries) checkRetries(o.retries, 'retries', bad);
  if (o.requestTimeoutMillis !== undefined && !isInt(o.requestTimeoutMillis, 1)) bad('requestTimeoutMillis', `is ${o.requestTimeoutMillis}; it must be a whole number of milliseconds >= 1.`);
  checkPerTry(o.retries, o.requestTimeoutMillis, '', bad);
  const prefixes: string[] = [];
  (o.routes ?? []).forEach((r, i) => {
    const f = `routes[${i}]`;
    if (!/^\/[A-Za-z0-9/._~%!$&'()*+,;=:@-]*$/.test(r.pathPrefix ?? '') || r.pathPrefix === '/') {
      bad(`${f}.pathPrefix`, `"${r.pathPrefix}" is not a path prefix; it must start with / and name a path below / (other requests use ${c}.retries and requestTimeoutMillis).`);
    }
    if (prefixes.includes(r.pathPrefix)) bad(`${f}.pathPrefix`, `"${r.pathPrefix}" is used by another route; list each prefix once.`);
    prefixes.push(r.pathPrefix);
    if (r.retries) checkRetries(r.retries, `${f}.retries`, bad);
    if (r.requestTimeoutMillis !== undefined && !isInt(r.requestTimeoutMillis, 1)) bad(`${f}.requestTimeoutMillis`, `is ${r.requestTimeoutMillis}; it must be a whole number of milliseconds >= 1.`);
    if (!r.retries && r.requestTimeoutMillis === undefined) bad(f, `("${r.pathPrefix}") sets neither retries nor requestTimeoutMillis; set one or remove the route.`);
    checkPerTry(r.retries ?? o.retries, r.requestTimeoutMillis ?? o.requestTimeoutMillis, `${f}.`, bad);
  });
  const od = o.outlierDetection;
  if (od) {
    if (!isInt(od.consecutiveErrors, 1, 1000)) bad('outlierDetection.consecutiveErrors', `is ${od.consecutiveErrors}; it must be a whole number 1-1000.`);
    if (od.baseEjectionSeconds !== undefined && !isInt(od.baseEjectionSeconds, 1, 86400)) bad('outlierDetection.baseEjectionSeconds', `is ${od.baseEjectionSeconds}; it must be 1-86400.`);
    if (od.intervalSeconds !== undefined && !isInt(od.intervalSeconds, 1, 86400)) bad('outlierDetection.intervalSeconds', `is ${od.intervalSeconds}; it must be 1-86400.`);
    if (od.maxEjectionPercent !== undefined && !isInt(od.maxEjectionPercent, 1, 100)) bad('outlierDetection.maxEjectionPercent', `is ${od.maxEjectionPercent}; it must be 1-100.`);
  }
  const cp = o.connectionPool;
  if (cp) {
    const fields = ['maxConnections', 'maxPendingRequests', 'maxConcurrentRequests', 'maxRequestsPerConnection'] as const;
    for (const k of fields) if (cp[k] !== undefined && !isInt(cp[k]!, 1)) bad(`connectionPool.${k}`, `is ${cp[k]}; it must be a whole number >= 1.`);
    if (fields.every((k) => cp[k] === undefined)) bad('connectionPool', 'sets no limit; set at least one or remove it.');
  }
  const canary = o.canary;
  if (canary !== undefined) {
    const example = 'e.g. canary: { service: apiV2, weightPercent: 10 }';
    requireObject(t.scope, `${c}.canary`, canary as unknown, `give the canary version and its share of requests, ${example}`);
    requirePeer(t.scope, `${c}.canary.service`, canary.service, `give the canary version's SecureService, ${example}`);
    if (!isInt(canary.weightPercent, 0, 100)) bad('canary.weightPercent', `is ${canary.weightPercent}; it must be a whole number 0-100.`);
    const other = meshWorkloadOf(canary.service);
    if ((canary.service as unknown) === t.peer) bad('canary.service', `is ${t.name} itself; the canary must be a second SecureService.`);
    if (!other) bad('canary.service', `${canary.service.peerId} is not in the mesh; put it in ${w.mesh.displayName} too (same namespace).`);
    if (!other.target.canaryVersion) bad('canary.service', `${canary.service.peerId} is not a SecureService; the canary must be a second SecureService.`);
    if (other.target.namespace !== t.namespace) bad('canary.service', `${canary.service.peerId} is in namespace ${other.target.namespace}, not ${t.namespace}; the versions must share a namespace.`);
    if (!other.mesh._sameAs(w.mesh)) bad('canary.service', `${canary.service.peerId} is in ${other.mesh.displayName}, not ${w.mesh.displayName}; both versions must be in one mesh.`);
    if (!other.target.ports.some((p) => p.name === w.trafficPort.name)) {
      bad('canary.service', `${canary.service.peerId} has no port named "${w.trafficPort.name}"; give it the same port names as ${t.name}.`);
    }
    // Both NetworkPolicy and mesh authorization are per version: a caller allowed on one only
    // would see its share of requests fail. Checked at synth, when all connections are known.
    // cdk8s puts the construct path in front of a validation message (`[test/Api] ...`).
    const canaryTarget = other.target;
    t.scope.node.addValidation({
      validate: () => {
        const allowed = new Set(canaryTarget.networkPolicy.ingressRules.map((r) => r.peer.peerId));
        return t.networkPolicy.ingressRules.filter((r) => !allowed.has(r.peer.peerId)).map((r) =>
          `${c}.canary.service ${canary.service.peerId} gets ${canary.weightPercent}% of ${t.name}'s requests, but ${r.peer.peerId} ` +
          `may reach ${t.name} and not ${canaryTarget.name}; allow it on ${canaryTarget.name} too (${canaryTarget.name}.allowFrom(...)).`);
      },
    });
  }
  const fault = o.faultInjection;
  if (fault) {
    if (fault.delayMillis === undefined && fault.abortHttpStatus === undefined) bad('faultInjection', 'sets neither delayMillis nor abortHttpStatus; set one or remove it.');
    if (fault.delayMillis !== undefined && !isInt(fault.delayMillis, 1)) bad('faultInjection.delayMillis', `is ${fault.delayMillis}; it must be a whole number of milliseconds >= 1.`);
    if (fault.abortHttpStatus !== undefined && !isInt(fault.abortHttpStatus, 200, 599)) bad('faultInjection.abortHttpStatus', `is ${fault.abortHttpStatus}; it must be an HTTP status 200-599.`);
    for (const k of ['delayPercent', 'abortPercent'] as const) {
      const v = fault[k];
      if (v !== undefined && !(typeof v === 'number' && v > 0 && v <= 100)) bad(`faultInjection.${k}`, `is ${v}; it must be more than 0 and at most 100.`);
    }
  }
}

function checkRetries(r: MeshRetryOptions, field: string, bad: (field: string, msg: string) => never) {
  if (!isInt(r.attempts, 0, 10)) bad(`${field}.attempts`, `is ${r.attempts}; it must be a whole number 0-10 (retries multiply load on a failing service).`);
  if (r.perTryTimeoutMillis !== undefined && !isInt(r.perTryTimeoutMillis, 1)) bad(`${field}.perTryTimeoutMillis`, `is ${r.perTryTimeoutMillis}; it must be a whole number of milliseconds >= 1.`);
  const on = r.retryOn ?? [MeshRetryOn.GATEWAY_ERROR];
  if (on.length === 0) bad(`${field}.retryOn`, 'is empty; list at least one condition, or set attempts to 0.');
  const twice = on.find((x, i) => on.indexOf(x) !== i);
  if (twice !== undefined) bad(`${field}.retryOn`, `lists "${twice}" twice; list each condition once.`);
}

function checkPerTry(r: MeshRetryOptions | undefined, timeout: number | undefined, at: string, bad: (field: string, msg: string) => never) {
  if (r?.perTryTimeoutMillis !== undefined && timeout !== undefined && r.perTryTimeoutMillis > timeout) {
    bad(`${at}retries.perTryTimeoutMillis`, `(${r.perTryTimeoutMillis}) is longer than the request timeout (${timeout}), so no retry could happen; make it shorter.`);
  }
}

/** The types of the options both meshes share, for callers outside TypeScript. */
function checkOptionTypes(call: string, options: LinkerdMeshOptions) {
  requireObject(call, 'options', options as unknown, "give the mesh options, e.g. { controlPlaneNamespace: 'istio-system' }, or nothing");
  optionalString(call, 'controlPlaneNamespace', options.controlPlaneNamespace, 'give a namespace name');
  optionalString(call, 'trustDomain', options.trustDomain, "give a trust domain such as 'cluster.local'");
  optionalEnum(call, 'mtls', options.mtls, Object.values(MeshMtlsMode), 'MeshMtlsMode');
}
