import { GatewayProfileRenderer, GatewayProfileName, gatewayRenderer } from './render';
import { failCall } from '../../core/errors';
import { LabelKeys } from '../../core/labels';
import { _declarePeerMeshIdentity } from '../../core/mesh-identity';
import { dns1123LabelProblem, dns1123SubdomainProblem, labelProblem } from '../../core/names';
import { IPeer, Peer } from '../../core/peer';
import { isPortNumber } from '../../core/port';
import { checkedValue } from '../../core/value-checks';
import { GOOGLE_FRONT_END_RANGES } from '../controllers/gce';
import { TRAEFIK_DEFAULTS } from '../controllers/traefik';
import { cidrProblem } from '../safety';

/** Where an implementation's data-plane pods run and what its GatewayClass is called. */
export interface GatewayImplementationOptions {
  /**
   * The GatewayClass name the Gateways use.
   * @default - the class the implementation's installation creates (`eg`, `istio`, `cilium`, `traefik`, `nginx`)
   */
  readonly className?: string;
  /**
   * The namespace of the data-plane pods, for implementations that run them in one namespace
   * (Envoy Gateway, Traefik). Istio and NGINX Gateway Fabric deploy them next to each Gateway.
   * @default - the namespace of the implementation's Helm chart (`envoy-gateway-system`, `traefik`)
   */
  readonly namespace?: string;
  /**
   * Labels that select the data-plane pods, for implementations that run them in one namespace.
   * @default - the labels the implementation puts on the pods of each Gateway (see each profile)
   */
  readonly podLabels?: { [key: string]: string };
}

/** Options of `GatewayImplementation.istio()`. */
export interface IstioGatewayOptions {
  /**
   * The GatewayClass name.
   * @default 'istio'
   */
  readonly className?: string;
  /**
   * The namespace of istiod, which the gateway pods fetch their configuration and certificates
   * from (TCP 15012).
   * @default 'istio-system'
   */
  readonly controlPlaneNamespace?: string;
}

/** Options of `GatewayImplementation.nginxGatewayFabric()`. */
export interface NginxGatewayFabricOptions {
  /**
   * The GatewayClass name.
   * @default 'nginx'
   */
  readonly className?: string;
  /**
   * The namespace of the NGINX Gateway Fabric control plane, which the NGINX pods' agent connects to.
   * @default 'nginx-gateway' (the namespace of its installation guide)
   */
  readonly controlPlaneNamespace?: string;
}

/** Options of `GatewayImplementation.traefik()`. */
export interface TraefikGatewayOptions extends GatewayImplementationOptions {
  /**
   * The port of Traefik's HTTPS entry point: Traefik binds a Gateway listener to the entry point
   * with the same port, so the HTTPS listeners use it (clients still connect to the Service's 443).
   * @default 8443 (the Traefik Helm chart's `websecure` entry point)
   */
  readonly httpsPort?: number;
  /**
   * The port of Traefik's plain-HTTP entry point (the redirect listener).
   * @default 8000 (the Traefik Helm chart's `web` entry point)
   */
  readonly httpPort?: number;
}

/** Options of `GatewayImplementation.gke()`. */
export interface GkeGatewayOptions {
  /**
   * The GKE GatewayClass.
   * @default 'gke-l7-global-external-managed'
   */
  readonly className?: string;
  /**
   * The region's proxy-only subnet, where regional and internal load balancers
   * (`gke-l7-rilb`, `gke-l7-regional-external-managed`) connect from. Required with those classes.
   * @default - none (global load balancers connect from Google's front-end ranges)
   */
  readonly proxyOnlySubnetCidr?: string;
}

/** Options of `GatewayImplementation.generic()`. */
export interface GenericGatewayOptions {
  /** The pods (or addresses) that forward requests to the backends: the backends admit them. */
  readonly dataPlane: IPeer;
  /**
   * The controller name of the GatewayClass (`example.com/gateway-controller`).
   * @default - unknown; the profile checks nothing against GatewayClasses
   */
  readonly controllerName?: string;
  /**
   * Name used in messages.
   * @default - `Gateway API implementation of class <className>`
   */
  readonly displayName?: string;
}

/** What a Gateway profile knows about itself. @internal */
export interface GatewayImplementationInfo {
  readonly profile: GatewayProfileName;
  readonly displayName: string;
  readonly className: string;
  readonly controllerName?: string;
  readonly call: string;
  /** Gateway API conformance features the implementation reports as supported. */
  readonly features: readonly string[];
}

/**
 * Gateway API features (conformance feature names) each implementation reports as supported in the
 * GATEWAY-HTTP profile of its conformance report, kubernetes-sigs/gateway-api
 * `conformance/reports/` (commit 4564255a): Envoy Gateway v1.9.0 (v1.6), Istio 1.30 (v1.5),
 * Cilium v1.20.0 standard (v1.6), Traefik v3.7.10 (v1.6), NGINX Gateway Fabric 2.6.0 (v1.5),
 * GKE 1.36 (v1.6). Only the features this library renders are listed. GRPCRoute: the report has
 * a GATEWAY-GRPC profile.
 * @internal
 */
export const GATEWAY_FEATURES: { [profile in GatewayProfileName]: readonly string[] } = {
  'envoy-gateway': ['HTTPRouteSchemeRedirect', 'HTTPRouteResponseHeaderModification', 'HTTPRouteCORS', 'HTTPRouteRequestTimeout',
    'HTTPRouteBackendTimeout', 'BackendTLSPolicy', 'GRPCRoute'],
  'istio': ['HTTPRouteSchemeRedirect', 'HTTPRouteResponseHeaderModification', 'HTTPRouteCORS', 'HTTPRouteRequestTimeout',
    'HTTPRouteBackendTimeout', 'BackendTLSPolicy', 'GRPCRoute'],
  'cilium': ['HTTPRouteSchemeRedirect', 'HTTPRouteResponseHeaderModification', 'HTTPRouteCORS', 'HTTPRouteRequestTimeout',
    'HTTPRouteBackendTimeout', 'BackendTLSPolicy', 'GRPCRoute'],
  'traefik': ['HTTPRouteSchemeRedirect', 'HTTPRouteResponseHeaderModification', 'BackendTLSPolicy', 'GRPCRoute'],
  'nginx-gateway-fabric': ['HTTPRouteSchemeRedirect', 'HTTPRouteResponseHeaderModification', 'HTTPRouteCORS', 'BackendTLSPolicy', 'GRPCRoute'],
  'gke': ['HTTPRouteSchemeRedirect', 'HTTPRouteResponseHeaderModification', 'BackendTLSPolicy'],
  'generic': ['HTTPRouteSchemeRedirect', 'HTTPRouteResponseHeaderModification'],
};

/**
 * A Gateway API implementation: its GatewayClass and controller name, where its data-plane pods
 * run (so backends admit exactly them), and how it expresses the neutral option set of
 * `TlsIngress` / `TlsGateway`: standard Gateway API resources first (HTTPRoute filters,
 * timeouts, weighted backendRefs, BackendTLSPolicy, GRPCRoute), the implementation's own policy
 * resources for the rest, and an error naming the implementation and the option for what it
 * cannot express. An enum-like class: use the static factories.
 *
 * @example
 * GatewayImplementation.envoyGateway();
 * GatewayImplementation.istio({ className: 'istio' });
 * GatewayImplementation.generic('acme-lb', { dataPlane: Peer.pods({ namespace: 'acme', labels: { app: 'acme-proxy' } }) });
 */
export class GatewayImplementation {
  /**
   * Envoy Gateway (controller `gateway.envoyproxy.io/gatewayclass-controller`, class `eg`).
   *
   * Data plane: the Envoy pods it deploys per Gateway in `envoy-gateway-system`, labelled
   * `app.kubernetes.io/name: envoy`, `app.kubernetes.io/component: proxy`,
   * `app.kubernetes.io/managed-by: envoy-gateway`, `gateway.envoyproxy.io/owning-gateway-name`
   * and `gateway.envoyproxy.io/owning-gateway-namespace`.
   *
   * Options beyond the standard go into `gateway.envoyproxy.io/v1alpha1` policies attached to the
   * routes: BackendTrafficPolicy (rate limit: a global, per-client-IP limit, which needs Envoy
   * Gateway's rate limit service; connect timeout; request body limit), SecurityPolicy (basic
   * auth, external auth to an in-cluster Service, client IP allow list).
   *
   * @see https://gateway.envoyproxy.io/docs/
   */
  public static envoyGateway(options: GatewayImplementationOptions = {}): GatewayImplementation {
    return checkedValue(GatewayImplementation.prototype, () => {
      return new GatewayImplementation('GatewayImplementation.envoyGateway', 'envoy-gateway', 'Envoy Gateway', 'eg',
        'gateway.envoyproxy.io/gatewayclass-controller', options, true);
    });
  }

  /**
   * Istio (controller `istio.io/gateway-controller`, class `istio`). Its gateway pods run next to
   * each Gateway, in the Gateway's namespace, labelled `gateway.networking.k8s.io/gateway-name`,
   * listening on the listener ports themselves. A NetworkPolicy `<gateway>-data-plane` lets them
   * accept clients on the listener ports, reach the cluster DNS, istiod (TCP 15012) and the backends' ports,
   * since a default-deny policy of the namespace isolates them too. Only standard resources are rendered.
   *
   * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/
   */
  public static istio(options: IstioGatewayOptions = {}): GatewayImplementation {
    return checkedValue(GatewayImplementation.prototype, () => {
      const call = 'GatewayImplementation.istio';
      const cp = options.controlPlaneNamespace ?? 'istio-system';
      const problem = dns1123LabelProblem(cp);
      if (problem) failCall(call, `controlPlaneNamespace "${cp}" is not a namespace name; ${problem}.`);
      const impl = new GatewayImplementation(call, 'istio', 'Istio', 'istio', 'istio.io/gateway-controller', { className: options.className }, false);
      impl._controlPlane = { peer: Peer.pods({ namespace: cp, labels: { app: 'istiod' } }), port: 15012 };
      return impl;
    });
  }

  /**
   * Cilium (controller `io.cilium/gateway-controller`, class `cilium`). Its data plane is the
   * per-node Envoy, whose connections to backends carry Cilium's reserved `ingress` identity: a
   * Kubernetes NetworkPolicy cannot select it, so each backend gets a CiliumNetworkPolicy
   * admitting `fromEntities: [ingress]` on its port. Only standard resources are rendered.
   *
   * @see https://docs.cilium.io/en/stable/network/servicemesh/gateway-api/gateway-api/
   */
  public static cilium(options: GatewayImplementationOptions = {}): GatewayImplementation {
    return checkedValue(GatewayImplementation.prototype, () => {
      if (options.namespace !== undefined || options.podLabels !== undefined) {
        failCall('GatewayImplementation.cilium', 'namespace or podLabels is set, but Cilium\'s data plane is the per-node Envoy with the reserved ingress identity, not pods; remove them.');
      }
      return new GatewayImplementation('GatewayImplementation.cilium', 'cilium', 'Cilium', 'cilium', 'io.cilium/gateway-controller', options, false);
    });
  }

  /**
   * Traefik (controller `traefik.io/gateway-controller`, class `traefik`), pods in `traefik`
   * labelled `app.kubernetes.io/name: traefik`. Listeners use the entry point ports (8443,
   * 8000: Traefik binds a listener to the entry point of the same port). Options beyond the
   * standard are `traefik.io` Middlewares referenced from the routes through `ExtensionRef` filters.
   *
   * @see https://doc.traefik.io/traefik/routing/providers/kubernetes-gateway/
   */
  public static traefik(options: TraefikGatewayOptions = {}): GatewayImplementation {
    return checkedValue(GatewayImplementation.prototype, () => {
      const call = 'GatewayImplementation.traefik';
      const impl = new GatewayImplementation(call, 'traefik', 'Traefik', 'traefik', 'traefik.io/gateway-controller', options, true);
      for (const [field, v] of [['httpsPort', options.httpsPort], ['httpPort', options.httpPort]] as const) {
        if (v !== undefined && !isPortNumber(v)) failCall(call, `${field} is ${v}; it must be a port 1-65535.`);
      }
      // doc.traefik.io/traefik/routing/providers/kubernetes-gateway/ ("Listener ports"): listener ports must match the
      // entry point ports; the Helm chart's entry points are web :8000 and websecure :8443.
      impl._listenerPorts = { http: options.httpPort ?? 8000, https: options.httpsPort ?? 8443 };
      return impl;
    });
  }

  /**
   * NGINX Gateway Fabric (controller `gateway.nginx.org/nginx-gateway-controller`, class `nginx`).
   * It provisions NGINX pods per Gateway in the Gateway's namespace, labelled
   * `gateway.networking.k8s.io/gateway-name`, listening on the listener ports; their agent
   * connects to the control plane (`app.kubernetes.io/name: nginx-gateway-fabric`, container port
   * 8443). A NetworkPolicy `<gateway>-data-plane` lets them accept clients on the listener ports
   * and reach the control plane and the backends. Its policy CRDs are not among the imported ones,
   * so only standard resources are rendered and options that would need them are refused.
   *
   * @see https://docs.nginx.com/nginx-gateway-fabric/
   */
  public static nginxGatewayFabric(options: NginxGatewayFabricOptions = {}): GatewayImplementation {
    return checkedValue(GatewayImplementation.prototype, () => {
      const call = 'GatewayImplementation.nginxGatewayFabric';
      if ((options as GatewayImplementationOptions).namespace !== undefined || (options as GatewayImplementationOptions).podLabels !== undefined) {
        failCall(call, 'namespace or podLabels is set, but NGINX Gateway Fabric provisions the data plane in each Gateway\'s namespace; remove them.');
      }
      const cp = options.controlPlaneNamespace ?? 'nginx-gateway';
      const problem = dns1123LabelProblem(cp);
      if (problem) failCall(call, `controlPlaneNamespace "${cp}" is not a namespace name; ${problem}.`);
      const impl = new GatewayImplementation(call, 'nginx-gateway-fabric', 'NGINX Gateway Fabric', 'nginx',
        'gateway.nginx.org/nginx-gateway-controller', { className: options.className }, false);
      // nginx/nginx-gateway-fabric v2.6.7 charts/nginx-gateway-fabric/templates/service.yaml and deployment.yaml: the
      // control plane Service agent-grpc 443 -> container port 8443, pods selected by app.kubernetes.io/name (the chart name).
      impl._controlPlane = { peer: Peer.pods({ namespace: cp, labels: { 'app.kubernetes.io/name': 'nginx-gateway-fabric' } }), port: 8443 };
      return impl;
    });
  }

  /**
   * GKE Gateway (controller `networking.gke.io/gateway`). Backends admit Google's front-end
   * ranges (130.211.0.0/22, 35.191.0.0/16) or, for regional classes, the proxy-only subnet. Its
   * policy CRDs (GCPBackendPolicy, ...) are not among the imported ones: only standard resources.
   *
   * @see https://cloud.google.com/kubernetes-engine/docs/concepts/gateway-api
   */
  public static gke(options: GkeGatewayOptions = {}): GatewayImplementation {
    return checkedValue(GatewayImplementation.prototype, () => {
      const call = 'GatewayImplementation.gke';
      const className = options.className ?? 'gke-l7-global-external-managed';
      const regional = /-(rilb|regional-)/.test(className);
      if (regional && options.proxyOnlySubnetCidr === undefined) {
        failCall(call, `className "${className}" is a regional load balancer; give proxyOnlySubnetCidr, which it connects to the backends from.`);
      }
      if (!regional && options.proxyOnlySubnetCidr !== undefined) failCall(call, `proxyOnlySubnetCidr is set, but className "${className}" is a global load balancer; remove it.`);
      if (options.proxyOnlySubnetCidr !== undefined) {
        const p = cidrProblem(options.proxyOnlySubnetCidr);
        if (p) failCall(call, `proxyOnlySubnetCidr "${options.proxyOnlySubnetCidr}" is not a CIDR; ${p}.`);
      }
      const impl = new GatewayImplementation(call, 'gke', 'GKE Gateway', className, 'networking.gke.io/gateway', { className }, false);
      impl.sourceCidrs = options.proxyOnlySubnetCidr ? [options.proxyOnlySubnetCidr] : [...GOOGLE_FRONT_END_RANGES];
      return impl;
    });
  }

  /**
   * Any implementation, with standard resources only (HTTP->HTTPS redirect and response
   * headers); every other option is refused by name.
   */
  public static generic(className: string, options: GenericGatewayOptions): GatewayImplementation {
    return checkedValue(GatewayImplementation.prototype, () => {
      const call = 'GatewayImplementation.generic';
      if (!options || !options.dataPlane || typeof options.dataPlane.toPeerSpecs !== 'function') {
        failCall(call, 'options.dataPlane is not a peer; give the pods that forward requests, e.g. Peer.pods({ namespace: \'gw\', labels: { app: \'proxy\' } }).');
      }
      const impl = new GatewayImplementation(call, 'generic', options.displayName ?? `Gateway API implementation of class ${className}`, className,
        options.controllerName, { className }, false);
      impl.fixedDataPlane = options.dataPlane;
      return impl;
    });
  }

  /** Name used in messages (`Envoy Gateway`). */
  public readonly displayName: string;
  /** The GatewayClass name its Gateways use. */
  public readonly className: string;
  /**
   * The controller name of its GatewayClass (`spec.controllerName`).
   * @default - unknown (generic implementations without one)
   */
  public readonly controllerName?: string;
  /** @internal */
  public readonly _renderer: GatewayProfileRenderer;
  /** @internal */
  public readonly _info: GatewayImplementationInfo;
  /** The control plane its in-namespace data plane must reach (Istio: istiod on 15012). @internal */
  public _controlPlane?: { readonly peer: IPeer; readonly port: number };
  /** The ports of the plain-HTTP and HTTPS listeners. @internal */
  public _listenerPorts: { readonly http: number; readonly https: number } = { http: 80, https: 443 };
  /** Whether its data plane runs next to each Gateway, in the Gateway's namespace (Istio, NGINX Gateway Fabric). @internal */
  public readonly _dataPlaneInGatewayNamespace: boolean;
  private readonly namespace?: string;
  private readonly podLabels?: { [key: string]: string };
  private sourceCidrs?: string[];
  private fixedDataPlane?: IPeer;

  private constructor(call: string, profile: GatewayProfileName, displayName: string, defaultClass: string, controllerName: string | undefined,
    options: GatewayImplementationOptions, podsInOwnNamespace: boolean) {
    this.displayName = displayName;
    this.className = options.className ?? defaultClass;
    this.controllerName = controllerName;
    const classProblem = dns1123SubdomainProblem(this.className);
    if (classProblem) failCall(call, `className "${this.className}" is not a GatewayClass name; ${classProblem}.`);
    if (controllerName !== undefined && (!/^[a-z0-9.-]+\/[A-Za-z0-9/._-]+$/.test(controllerName) || controllerName.length > 253)) {
      failCall(call, `controllerName "${controllerName}" is not a controller name (a domain-prefixed path such as example.com/gateway-controller).`);
    }
    if (podsInOwnNamespace) {
      this.namespace = options.namespace ?? (profile === 'traefik' ? TRAEFIK_DEFAULTS.namespace : 'envoy-gateway-system');
      const nsProblem = dns1123LabelProblem(this.namespace);
      if (nsProblem) failCall(call, `namespace "${this.namespace}" is not a namespace name; ${nsProblem}.`);
      if (options.podLabels !== undefined) {
        if (Object.keys(options.podLabels).length === 0) failCall(call, 'podLabels is empty; an empty selector would name every pod of the namespace.');
        for (const [k, v] of Object.entries(options.podLabels)) {
          const p = labelProblem(k, v);
          if (p) failCall(call, `podLabels: ${p}.`);
        }
        this.podLabels = { ...options.podLabels };
      }
    } else if (options.namespace !== undefined || options.podLabels !== undefined) {
      failCall(call, `namespace or podLabels is set, but ${displayName} runs its data plane next to each Gateway; remove them.`);
    }
    this._info = { profile, displayName, className: this.className, controllerName, call, features: GATEWAY_FEATURES[profile] };
    this._renderer = gatewayRenderer(profile);
    this._dataPlaneInGatewayNamespace = profile === 'istio' || profile === 'nginx-gateway-fabric';
  }

  /**
   * The annotation naming the data-plane pods of one Gateway (`LabelKeys.GATEWAY_DATA_PLANE`),
   * when they are pods of one namespace, so the analyzer shows the gateway's connections.
   * @internal
   */
  public _dataPlaneAnnotation(gatewayName: string, gatewayNamespace: string | undefined): { [key: string]: string } {
    const peers = this._dataPlane(gatewayName, gatewayNamespace);
    const peer = peers.length === 1 ? peers[0] : undefined;
    const namespace = peer?.peerNamespace;
    const labels = namespace !== undefined ? peer!.toPeerSpecs(namespace)[0]?.podSelector?.matchLabels : undefined;
    if (namespace === undefined || !labels || Object.keys(labels).length === 0) return {};
    return { [LabelKeys.GATEWAY_DATA_PLANE]: JSON.stringify({ namespace, labels }) };
  }

  /**
   * The peers that open connections to the backends of one Gateway.
   * @internal
   */
  public _dataPlane(gatewayName: string, gatewayNamespace: string | undefined): IPeer[] {
    if (this.fixedDataPlane) return [this.fixedDataPlane];
    if (this.sourceCidrs) return this.sourceCidrs.map((c) => Peer.ipBlock(c));
    switch (this._info.profile) {
      case 'envoy-gateway':
        // envoyproxy/gateway v1.9.0 internal/infrastructure/kubernetes/proxy/resource.go EnvoyAppLabel()
        // and internal/gatewayapi/translator.go OwningGatewayNameLabel / OwningGatewayNamespaceLabel.
        return [Peer.pods({
          namespace: this.namespace,
          labels: this.podLabels ?? {
            'app.kubernetes.io/name': 'envoy',
            'app.kubernetes.io/component': 'proxy',
            'app.kubernetes.io/managed-by': 'envoy-gateway',
            'gateway.envoyproxy.io/owning-gateway-name': gatewayName,
            ...(gatewayNamespace ? { 'gateway.envoyproxy.io/owning-gateway-namespace': gatewayNamespace } : {}),
          },
        })];
      case 'traefik':
        return [Peer.pods({ namespace: this.namespace, labels: this.podLabels ?? { ...TRAEFIK_DEFAULTS.podLabels } })];
      case 'istio':
      case 'nginx-gateway-fabric': {
        // Istio: the gateway-name label of its automated deployment (istio.io/latest/docs/reference/config/labels).
        // NGINX Gateway Fabric v2.6.7 internal/controller/provisioner/objects.go buildLabelsAndAnnotations(): the
        // label is set when the Gateway name is at most 63 characters (MaxServiceNameLen).
        const pods = Peer.pods({ namespace: gatewayNamespace, labels: { 'gateway.networking.k8s.io/gateway-name': gatewayName } });
        if (this._info.profile === 'istio' && gatewayNamespace !== undefined) {
          // Istio runs them as ServiceAccount <gateway>-<class>, their mesh identity (istio/istio
          // pilot/pkg/config/kube/gateway/deploymentcontroller.go configureIstioGateway: gatewaySA := defaultName).
          _declarePeerMeshIdentity(pods, {
            mesh: 'istio',
            controlPlaneNamespace: this._controlPlane!.peer.peerNamespace!,
            namespace: gatewayNamespace,
            serviceAccount: `${gatewayName}-${this.className}`,
            description: 'the data plane of an Istio gateway',
          });
        }
        return [pods];
      }
      default:
        return [];
    }
  }
}
