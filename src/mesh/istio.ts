/*
 * Istio rendering of the mesh options.
 *
 * Namespace: the injection label (`istio-injection: enabled`, `istio.io/rev`, or ambient's
 * `istio.io/dataplane-mode: ambient`), a namespace-wide PeerAuthentication (STRICT) and an
 * `allow-nothing` AuthorizationPolicy: like the `default-deny` NetworkPolicy, nothing is allowed
 * until a workload's own ALLOW policy says so (ALLOW policies are additive; a request is allowed
 * when any ALLOW policy of the workload matches it).
 *
 * Workload: an ALLOW AuthorizationPolicy whose rules mirror its ingress connections as sources
 * (principals, namespaces) and container ports, a DestinationRule (ISTIO_MUTUAL, outlier
 * detection, connection pool) and, when traffic options are set, a VirtualService (retries,
 * timeouts, canary weights, faults) for the traffic port.
 */
import { Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { MESH_TRAFFIC_OPTIONS, MeshNamespaceTarget, MeshRenderer, MeshWorkload, containerPort, duration, managedLabels, meshSourceOf, meshWorkloadOf, tcpPorts } from './common';
import type { ServiceMesh } from './mesh';
import { IstioEgressGateway, MeshDataplaneMode, MeshMtlsMode, MeshRetryOn, MeshRetryOptions } from './options';
import { fail, uniqueId } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { Peer } from '../core/peer';
import { allowsEveryPort, Port, Protocol } from '../core/port';
import { WorkloadPolicy } from '../core/workload-policy';
import type {
  DestinationRuleSpecTrafficPolicy, ServiceEntrySpecPorts, VirtualServiceSpecHttp, VirtualServiceSpecHttpRetries,
  VirtualServiceSpecHttpRoute,
} from '../imports/networking.istio.io';
import type { AuthorizationPolicySpecRules, PeerAuthenticationSpecMtlsMode } from '../imports/security.istio.io';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const istioSecurity = lazyModule((): typeof import('../imports/security.istio.io') => require('../imports/security.istio.io'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const istioNetworking = lazyModule((): typeof import('../imports/networking.istio.io') => require('../imports/networking.istio.io'));

/** istiod's xDS and certificate port. */
const ISTIOD_XDS = 15012;
/** HBONE: ambient mode tunnels every meshed connection to this port of the destination pod. */
const HBONE = 15008;
/** The source address ztunnel gives kubelet probes in ambient mode. */
const AMBIENT_PROBE_SOURCE = '169.254.7.127/32';
/**
 * The probe peers this renderer opens in NetworkPolicies of ambient workloads. ztunnel does not
 * capture probes, so they are no authorization sources.
 */
const PROBE_PEERS = new WeakSet<object>();

/** Ports the sidecar and ztunnel listen on. */
const ISTIO_PORTS = [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090];

/**
 * The sidecar's user and group id: istio-iptables returns, unredirected, outbound TCP of this uid
 * and of this gid (`-m owner --uid-owner 1337 -j RETURN`, `--gid-owner 1337`). Ambient mode
 * captures by packet mark, not by owner.
 */
const SIDECAR_ID = 1337;

/** Label keys that select injection; a namespace's own labels must not set them. */
const INJECTION_LABELS = ['istio-injection', 'istio.io/rev', 'istio.io/dataplane-mode'];

/** @internal */
export class IstioRenderer implements MeshRenderer {
  public readonly dataplanePort?: number;

  public constructor(private readonly mesh: ServiceMesh) {
    this.dataplanePort = mesh.dataplaneMode === MeshDataplaneMode.AMBIENT ? HBONE : undefined;
  }

  public reservedPorts = (port: number) => ISTIO_PORTS.includes(port);

  public get proxyIds() {
    return this.mesh.dataplaneMode === MeshDataplaneMode.SIDECAR ? { user: SIDECAR_ID, group: SIDECAR_ID } : {};
  }

  public validate(w: MeshWorkload): void {
    const o = w.options;
    const c = `${w.target.constructName}.mesh`;
    if (this.mesh.dataplaneMode === MeshDataplaneMode.AMBIENT) {
      const l7 = MESH_TRAFFIC_OPTIONS.find((k) => o[k] !== undefined);
      if (l7) {
        fail(w.target.scope, `${c}.${l7} needs an L7 proxy, which Istio ambient mode has only through a waypoint, and this library deploys no waypoint; ` +
          `use MeshDataplaneMode.SIDECAR for this namespace, or remove ${c}.${l7}.`);
      }
    }
    if (o.faultInjection && !this.mesh.allowFaultInjection) {
      fail(w.target.scope, `${c}.faultInjection delays or fails real requests, and this mesh does not allow it; fault injection is for test environments: ` +
        `set allowFaultInjection: true in ServiceMesh.istio() of the test environment, or remove ${c}.faultInjection.`);
    }
  }

  public renderNamespace(ns: MeshNamespaceTarget): void {
    for (const key of INJECTION_LABELS) {
      const existing = ns.metadata.getLabel(key);
      if (existing !== undefined) {
        fail(ns.scope, `DenyAllNamespace.labels sets "${key}" to "${existing}", which DenyAllNamespace.mesh writes; remove it from DenyAllNamespace.labels.`);
      }
    }
    for (const [k, v] of Object.entries(this.injectionLabels())) ns.metadata.addLabel(k, v);

    new istioSecurity.PeerAuthentication(ns.scope, 'IstioPeerAuthentication', {
      metadata: { name: 'default', namespace: ns.name, labels: managedLabels() },
      spec: { mtls: { mode: this.mtlsMode() } },
    });
    // `spec: {}` is Istio's allow-nothing: no workload of the namespace accepts a request
    // unless an ALLOW policy of its own matches it.
    new istioSecurity.AuthorizationPolicy(ns.scope, 'IstioAllowNothing', {
      metadata: { name: 'allow-nothing', namespace: ns.name, labels: managedLabels() },
      spec: {},
    });
    if (this.mesh.dataplaneMode === MeshDataplaneMode.SIDECAR) {
      const cp = new WorkloadPolicy(ns.scope, 'IstioControlPlane', {
        name: 'allow-istio-control-plane', namespace: ns.name, podSelector: {}, ingress: false, labels: managedLabels(),
      });
      cp.addEgressRule(this.istiod(), [Port.tcp(ISTIOD_XDS)]);
    } else {
      const probes = new WorkloadPolicy(ns.scope, 'IstioAmbientProbes', {
        name: 'allow-ambient-probes', namespace: ns.name, podSelector: {}, egress: false, labels: managedLabels(),
      });
      probes.addIngressRule(Peer.ipBlock(AMBIENT_PROBE_SOURCE), []);
    }
    // Namespace-wide ALLOW policies (no selector) next to the namespace-wide NetworkPolicies of
    // these props: every port of every workload, from the namespaces' mesh identities.
    const allowFrom = (id: string, name: string, namespaces: string[]) => new istioSecurity.AuthorizationPolicy(ns.scope, id, {
      metadata: { name, namespace: ns.name, labels: managedLabels() },
      spec: { action: istioSecurity.AuthorizationPolicySpecAction.ALLOW, rules: [{ from: [{ source: { namespaces } }] }] },
    });
    if (this.mesh.restrictOutboundToRegistry) {
      new istioNetworking.Sidecar(ns.scope, 'IstioSidecar', {
        metadata: { name: 'default', namespace: ns.name, labels: managedLabels() },
        spec: { outboundTrafficPolicy: { mode: istioNetworking.SidecarSpecOutboundTrafficPolicyMode.REGISTRY_UNDERSCORE_ONLY } },
      });
    }
    if (ns.allowWithinNamespace) allowFrom('IstioAllowWithinNamespace', 'allow-within-namespace', [ns.name]);
    if (ns.allowFromNamespaces.length > 0) allowFrom('IstioAllowFromNamespaces', 'allow-from-namespaces', [...ns.allowFromNamespaces]);
  }

  public renderWorkload(w: MeshWorkload): void {
    const t = w.target;
    const scope = t.scope;
    const metadata = { name: t.name, namespace: t.namespace, labels: managedLabels() };
    const selector = { matchLabels: { ...t.selectorLabels } };
    if (!w.namespaceCovered) {
      // Namespace made elsewhere: join the mesh pod by pod, and open what the namespace would.
      const podLabels: { [k: string]: string } = this.mesh.dataplaneMode === MeshDataplaneMode.AMBIENT
        ? { 'istio.io/dataplane-mode': 'ambient' }
        : this.mesh.revision !== undefined ? { 'istio.io/rev': this.mesh.revision } : { 'sidecar.istio.io/inject': 'true' };
      for (const [k, v] of Object.entries(podLabels)) t.podMetadata.addLabel(k, v);
      new istioSecurity.PeerAuthentication(scope, 'IstioPeerAuthentication', { metadata, spec: { selector, mtls: { mode: this.mtlsMode() } } });
      if (this.mesh.restrictOutboundToRegistry) {
        new istioNetworking.Sidecar(scope, 'IstioSidecar', {
          metadata,
          spec: {
            workloadSelector: { labels: { ...t.selectorLabels } },
            outboundTrafficPolicy: { mode: istioNetworking.SidecarSpecOutboundTrafficPolicyMode.REGISTRY_UNDERSCORE_ONLY },
          },
        });
      }
      if (this.mesh.dataplaneMode === MeshDataplaneMode.SIDECAR) {
        t.networkPolicy.addEgressRule(this.istiod(), [Port.tcp(ISTIOD_XDS)]);
      } else {
        const tcp = t.ports.filter((p) => (p.protocol ?? Protocol.TCP) === Protocol.TCP).map((p) => Port.tcp(containerPort(p)));
        const probes = Peer.ipBlock(AMBIENT_PROBE_SOURCE);
        PROBE_PEERS.add(probes);
        t.networkPolicy.addIngressRule(probes, tcp);
      }
    }

    new istioSecurity.AuthorizationPolicy(scope, 'IstioAuthorizationPolicy', {
      metadata,
      spec: { selector, action: istioSecurity.AuthorizationPolicySpecAction.ALLOW, rules: lazyRules(() => this.authorizationRules(w)) },
    });

    if (this.mesh.dataplaneMode === MeshDataplaneMode.AMBIENT) return;
    // External hosts go through the egress gateway: egress to a DNS name needs no address of the host.
    if (this.mesh._egressGateway) t.networkPolicy._externalHostsVia = `the Istio egress gateway (${this.mesh._egressGateway.namespace})`;
    new istioNetworking.DestinationRule(scope, 'IstioDestinationRule', { metadata, spec: { host: t.fqdn, trafficPolicy: this.trafficPolicy(w) } });
    const o = w.options;
    if (o.retries || o.requestTimeoutMillis !== undefined || o.routes?.length || o.canary || o.faultInjection) {
      new istioNetworking.VirtualService(scope, 'IstioVirtualService', { metadata, spec: { hosts: [t.fqdn], http: this.httpRoutes(w) } });
    }
  }

  public onIngressRule(): void {
    // The AuthorizationPolicy reads the workload's ingress rules at synth.
  }

  /**
   * Registers an external host in the client's namespace: a ServiceEntry (`MESH_EXTERNAL`,
   * `resolution: DNS`, or `NONE` for a wildcard, which DNS resolution cannot take), visible in
   * that namespace only (`exportTo: ['.']`), one per namespace and host, with the ports of every
   * connection to it. Under `REGISTRY_ONLY` the sidecar reaches only registered hosts.
   * Istio proxies TCP only: UDP and SCTP ports are left to the NetworkPolicy.
   * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
   */
  public onExternalHost(w: MeshWorkload, hostname: string, ports: Port[]): void {
    const gw = this.mesh._egressGateway;
    if (gw) checkGatewayRoute(w, hostname, ports);
    const chart = Chart.of(w.target.scope);
    const id = `IstioServiceEntry-${w.target.namespace}-${hostname}`;
    const existing = chart.node.tryFindChild(id) as ExternalHostEntry | undefined;
    (existing ?? new ExternalHostEntry(chart, id, w.target.namespace, hostname, gw)).add(ports);
    // Through the gateway, the pods connect to the gateway pods (their pod port behind 443), not to the host.
    if (gw) w.target.networkPolicy.addEgressRule(Peer.pods({ labels: gw.labels, namespace: gw.namespace }), [Port.tcp(gw.tlsPodPort)]);
  }

  /** One ALLOW rule per ingress connection: its source identity and its TCP container ports. */
  private authorizationRules(w: MeshWorkload): AuthorizationPolicySpecRules[] {
    const out: AuthorizationPolicySpecRules[] = [];
    for (const rule of w.target.networkPolicy.ingressRules) {
      if (PROBE_PEERS.has(rule.peer)) continue; // kubelet probes bypass ztunnel
      const source = meshSourceOf(rule.peer);
      if ('problem' in source) continue; // refused when the connection was declared
      const ports = tcpPorts(rule.ports, this.dataplanePort);
      if (ports && ports.length === 0) continue; // UDP/SCTP only: not proxied, the NetworkPolicy alone decides
      const from = source.kind === 'workload' ? { principals: [this.mesh.identityOf(source.serviceAccount, source.namespace)] }
        : source.kind === 'namespace' ? { namespaces: [source.namespace] }
          : source.kind === 'anyIdentity' ? { principals: ['*'] }
            : { ipBlocks: [source.cidr], notIpBlocks: source.except?.length ? [...source.except] : undefined };
      out.push({ from: [{ source: from }], to: ports ? [{ operation: { ports: ports.map(String) } }] : undefined });
    }
    return out;
  }

  private trafficPolicy(w: MeshWorkload): DestinationRuleSpecTrafficPolicy {
    const od = w.options.outlierDetection;
    const cp = w.options.connectionPool;
    return {
      tls: { mode: istioNetworking.DestinationRuleSpecTrafficPolicyTlsMode.ISTIO_UNDERSCORE_MUTUAL },
      outlierDetection: od ? {
        consecutive5XxErrors: od.consecutiveErrors,
        baseEjectionTime: `${od.baseEjectionSeconds ?? 30}s`,
        interval: od.intervalSeconds !== undefined ? `${od.intervalSeconds}s` : undefined,
        maxEjectionPercent: od.maxEjectionPercent,
      } : undefined,
      connectionPool: cp ? {
        tcp: cp.maxConnections !== undefined ? { maxConnections: cp.maxConnections } : undefined,
        http: cp.maxPendingRequests !== undefined || cp.maxConcurrentRequests !== undefined || cp.maxRequestsPerConnection !== undefined ? {
          http1MaxPendingRequests: cp.maxPendingRequests,
          http2MaxRequests: cp.maxConcurrentRequests,
          maxRequestsPerConnection: cp.maxRequestsPerConnection,
        } : undefined,
      } : undefined,
    };
  }

  /** The routes of the traffic port: one per path prefix, then the default route. */
  private httpRoutes(w: MeshWorkload): VirtualServiceSpecHttp[] {
    const o = w.options;
    const port = w.trafficPort.port;
    const route: VirtualServiceSpecHttpRoute[] = [{ destination: { host: w.target.fqdn, port: { number: port } } }];
    if (o.canary) {
      const canary = meshWorkloadOf(o.canary.service)!;
      const canaryPort = canary.target.ports.find((p) => p.name === w.trafficPort.name)!.port;
      route[0] = { ...route[0], weight: 100 - o.canary.weightPercent };
      route.push({ destination: { host: canary.target.fqdn, port: { number: canaryPort } }, weight: o.canary.weightPercent });
    }
    const f = o.faultInjection;
    const fault = f ? {
      delay: f.delayMillis !== undefined ? { fixedDelay: duration(f.delayMillis), percentage: { value: f.delayPercent ?? 100 } } : undefined,
      abort: f.abortHttpStatus !== undefined ? { httpStatus: f.abortHttpStatus, percentage: { value: f.abortPercent ?? 100 } } : undefined,
    } : undefined;
    type Entry = (name: string, prefix: string | undefined, retries: MeshRetryOptions | undefined, timeoutMillis: number | undefined)
    => VirtualServiceSpecHttp;
    const entry: Entry = (name, prefix, retries, timeout) => ({
      name,
      match: [{ uri: prefix !== undefined ? { prefix } : undefined, port }],
      route,
      retries: istioRetries(retries),
      timeout: timeout !== undefined ? duration(timeout) : undefined,
      fault,
    });
    return [
      ...(o.routes ?? []).map((r, i) => entry(`route-${i}`, r.pathPrefix, r.retries ?? o.retries, r.requestTimeoutMillis ?? o.requestTimeoutMillis)),
      entry('default', undefined, o.retries, o.requestTimeoutMillis),
    ];
  }

  private injectionLabels(): { [key: string]: string } {
    if (this.mesh.dataplaneMode === MeshDataplaneMode.AMBIENT) return { 'istio.io/dataplane-mode': 'ambient' };
    return this.mesh.revision !== undefined ? { 'istio.io/rev': this.mesh.revision } : { 'istio-injection': 'enabled' };
  }

  private mtlsMode(): PeerAuthenticationSpecMtlsMode {
    const mode = istioSecurity.PeerAuthenticationSpecMtlsMode;
    return this.mesh.mtls === MeshMtlsMode.STRICT ? mode.STRICT : mode.PERMISSIVE;
  }

  private istiod() {
    return Peer.pods({ labels: { app: 'istiod' }, namespace: this.mesh.controlPlaneNamespace });
  }
}

/**
 * Retries as VirtualService HTTPRetry (istio/api networking/v1alpha3/virtual_service.proto):
 * `attempts` are the retries after the first try (0 turns off Istio's default retries),
 * `perTryTimeout` each try's time, `retryOn` Envoy's conditions, comma-separated. Also renders the
 * retries of the Istio ingress profile (`TlsIngress`).
 * @internal
 */
export function istioRetries(r: MeshRetryOptions | undefined): VirtualServiceSpecHttpRetries | undefined {
  if (!r) return undefined;
  if (r.attempts === 0) return { attempts: 0 };
  return {
    attempts: r.attempts,
    perTryTimeout: r.perTryTimeoutMillis !== undefined ? duration(r.perTryTimeoutMillis) : undefined,
    retryOn: (r.retryOn ?? [MeshRetryOn.GATEWAY_ERROR]).join(','),
  };
}

/** A list produced at synth (cdk8s resolves `Lazy` values anywhere in props); empty is omitted. */
function lazyRules<T>(produce: () => T[]): T[] {
  return Lazy.any({ produce: () => { const v = produce(); return v.length ? v : undefined; } });
}

/**
 * Through an egress gateway this library routes TLS on 443 by SNI (passthrough), for exact names:
 * SNI matching needs the name, and a wildcard would need an SNI proxy.
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
 */
function checkGatewayRoute(w: MeshWorkload, hostname: string, ports: Port[]): void {
  const c = `${w.target.constructName}.mesh`;
  if (hostname.includes('*')) {
    fail(w.target.scope, `${c}: "${hostname}" is a wildcard; the egress gateway routes by SNI, which needs an exact name. Connect to each name, or remove egressGateway from ServiceMesh.istio().`);
  }
  const other = ports.find((p) => !(p.protocol === Protocol.TCP && p.portNumber === 443 && p.endPort === undefined));
  if (ports.length === 0 || other) {
    fail(w.target.scope, `${c}: the connection to "${hostname}" is on ${other ? String(other) : 'every port'}; through the egress gateway this library routes TLS on TCP 443 only ` +
      '(SNI passthrough). Connect on port 443, or remove egressGateway from ServiceMesh.istio().');
  }
}

/** The ServiceEntry of one external host in one namespace (and its route through the egress gateway, if any). */
class ExternalHostEntry extends Construct {
  private readonly ports: Port[] = [];

  constructor(scope: Construct, id: string, namespace: string, private readonly hostname: string, gw?: Required<IstioEgressGateway>) {
    super(scope, uniqueId(scope, id, new.target.name));
    const wildcard = hostname.includes('*');
    const host = hostname.replace(/\.$/, '');
    const name = `external-${hostname.replace(/^\*\./, 'any.').replace(/\.$/, '')}`.slice(0, 253);
    const metadata = { name, namespace, labels: managedLabels() };
    new istioNetworking.ServiceEntry(this, 'Resource', {
      metadata,
      spec: {
        hosts: [host],
        location: istioNetworking.ServiceEntrySpecLocation.MESH_UNDERSCORE_EXTERNAL,
        resolution: wildcard ? istioNetworking.ServiceEntrySpecResolution.NONE : istioNetworking.ServiceEntrySpecResolution.DNS,
        // The gateway must see the host too, to forward to it.
        exportTo: gw && gw.namespace !== namespace ? ['.', gw.namespace] : ['.'],
        ports: Lazy.any({ produce: () => this.entryPorts() }),
      },
    });
    if (!gw) return;
    // Istio "Egress Gateways" (HTTPS, passthrough): sidecars send the host's TLS to the gateway, which forwards it by SNI.
    new istioNetworking.Gateway(this, 'Gateway', {
      metadata,
      spec: {
        selector: { ...gw.labels },
        servers: [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: [host], tls: { mode: istioNetworking.GatewaySpecServersTlsMode.PASSTHROUGH } }],
      },
    });
    const gatewayService = `${gw.serviceName}.${gw.namespace}.svc.cluster.local`;
    new istioNetworking.VirtualService(this, 'VirtualService', {
      metadata,
      spec: {
        hosts: [host],
        gateways: ['mesh', name],
        tls: [
          { match: [{ gateways: ['mesh'], port: 443, sniHosts: [host] }], route: [{ destination: { host: gatewayService, port: { number: 443 } } }] },
          { match: [{ gateways: [name], port: 443, sniHosts: [host] }], route: [{ destination: { host, port: { number: 443 } } }] },
        ],
      },
    });
  }

  public add(ports: Port[]): void {
    const all = allowsEveryPort(ports);
    if (all || !ports.some((p) => p.protocol === Protocol.TCP && p.portNumber !== undefined)) {
      fail(this, `ServiceEntry for "${this.hostname}": the connection names no TCP port number (${all ? 'every port' : ports.map(String).join(', ')}); ` +
        'a ServiceEntry lists ports one by one, and Istio proxies TCP only. Connect on the dependency\'s TCP ports.');
    }
    for (const p of ports) if (!this.ports.some((q) => q.covers(p))) this.ports.push(p);
  }

  /** TCP ports: 443 as TLS (SNI routing), 80 as HTTP, others as TCP. */
  private entryPorts(): ServiceEntrySpecPorts[] {
    const tcp = this.ports.filter((p) => p.protocol === Protocol.TCP && p.portNumber !== undefined);
    const out: ServiceEntrySpecPorts[] = [];
    for (const p of tcp) {
      for (let n = p.portNumber!; n <= (p.endPort ?? p.portNumber!); n++) {
        if (out.some((o) => o.number === n)) continue;
        const protocol = n === 443 ? 'TLS' : n === 80 ? 'HTTP' : 'TCP';
        out.push({ number: n, name: `${protocol.toLowerCase()}-${n}`, protocol });
      }
    }
    return out.sort((a, b) => a.number - b.number);
  }
}
