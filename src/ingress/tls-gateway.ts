import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { lazyModule } from '../core/lazy-module';
import { childName } from './controllers/render';
import { GatewayImplementation } from './gateway/implementation';
import { gatewayCertificate, httpsListenerName, redirectRoute } from './gateway/listeners';
import { admitDataPlane, checkGatewayExtras, checkGatewayRules, dataPlanePolicy, GatewayRule, grpcMatch, pathMatch, PlacedRule, renderGatewayRoutes, RouteRendering, runGatewayHandlers } from './gateway/route-rendering';
import { checkIngressRuleTypes, IngressRule } from './ingress-backend';
import { ICanaryPrimary, OPTION_KEYS, RoutingOptions } from './ingress-options';
import { resolveOptions } from './resolve-options';
import { TlsCertificate } from './tls-certificate';
import { fail, uniqueId } from '../core/errors';
import { optionalInstance, optionalNumber, optionalObject, optionalString, requirePeer, requireProps } from '../core/guards';
import { LabelKeys } from '../core/labels';
import { dns1123SubdomainProblem, nameFromId } from '../core/names';
import { IPeer } from '../core/peer';
import { WorkloadPolicy } from '../core/workload-policy';
import { INamespace } from '../dns/namespace-ref';
import type * as gw from '../imports/gateway.networking.k8s.io';
import { AppValidation } from '../validation/app-validation';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gwMod = lazyModule((): typeof gw => require('../imports/gateway.networking.k8s.io'));

/** Props of `TlsGateway`: the option set of `TlsIngress`, rendered by a Gateway API implementation. */
export interface TlsGatewayProps extends RoutingOptions {
  /**
   * The Gateway API implementation: its GatewayClass, its data-plane pods (which the backends
   * admit) and how it expresses each option.
   * @default - required, unless `gatewayClassName` and `dataPlane` are given (a generic implementation)
   */
  readonly implementation?: GatewayImplementation;
  /**
   * The GatewayClass, for a generic implementation; same as
   * `implementation: GatewayImplementation.generic(gatewayClassName, { dataPlane })`.
   * @default - the implementation's class
   */
  readonly gatewayClassName?: string;
  /**
   * The pods that forward requests to the backends, for a generic implementation (with `gatewayClassName`).
   * @default - the implementation's data plane
   */
  readonly dataPlane?: IPeer;
  /** Routing rules, as for TlsIngress. */
  readonly rules: IngressRule[];
  /**
   * Where the certificate comes from: a Secret, cert-manager's gateway-shim (annotations on the
   * Gateway) or a cert-manager Certificate.
   * @default - none; required, except for a canary, which is served by its primary's Gateway
   */
  readonly certificate?: TlsCertificate;
  /**
   * `metadata.name` of the Gateway; routes are named after it.
   * @default - derived from the construct id
   */
  readonly name?: string;
  /**
   * The namespace of the Gateway, its routes and the backends.
   * @default - the chart's namespace
   */
  readonly namespace?: INamespace;
  /**
   * The time the whole request may take, from the gateway receiving it to the end of the
   * response (HTTPRoute `timeouts.request`, Gateway API feature HTTPRouteRequestTimeout), in seconds.
   * @default - the implementation's default (none for most)
   */
  readonly requestTimeoutSeconds?: number;
  /**
   * A ConfigMap (key `ca.crt`) with the CA that signed the backends' certificates, for
   * `backendProtocol: HTTPS`: the BackendTLSPolicy verifies the backend as `<service>.<namespace>.svc`.
   * @default - none; required with `backendProtocol: HTTPS`
   */
  readonly backendCaConfigMap?: string;
}

/** The TlsGateway behind each `asCanaryPrimary`. */
const CANARY_PRIMARIES = new WeakMap<ICanaryPrimary, TlsGateway>();

/**
 * The routing of a TlsIngress as Gateway API (`gateway.networking.k8s.io/v1`): a Gateway with one
 * HTTPS listener per host (certificate refs to the TLS Secret), an HTTPRoute (GRPCRoute for gRPC
 * backends) per host, an HTTP listener whose route redirects to HTTPS, and what the option set
 * needs: HTTPRoute filters (HSTS, CORS), BackendTLSPolicy, weighted backendRefs for a canary, and
 * the implementation's policy resources (Envoy Gateway BackendTrafficPolicy/SecurityPolicy,
 * Traefik Middlewares). An option the implementation cannot express fails at synth, naming both.
 *
 * Listeners admit routes from the Gateway's namespace only (`allowedRoutes.namespaces.from:
 * Same`); backends must be in that namespace too. For a Gateway shared across namespaces, see
 * `SharedGateway`.
 *
 * @see https://gateway-api.sigs.k8s.io/
 * @example
 * new TlsGateway(chart, 'Public', {
 *   namespace: shop, implementation: GatewayImplementation.envoyGateway(),
 *   certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
 *   rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) }],
 * });
 */
export class TlsGateway extends Construct {
  /**
   * The Gateway.
   * @default - none for a canary (it is served by its primary's Gateway)
   */
  public readonly gateway?: ApiObject;
  /** The HTTPRoutes (or GRPCRoutes) that route to backends, one per host. */
  public readonly routes: ApiObject[] = [];
  /** The HTTPRoute that redirects HTTP to HTTPS, when `sslRedirect` is on. */
  public readonly redirectRoute?: ApiObject;
  /** The Gateway name. */
  public readonly gatewayName: string;
  /** The implementation. */
  public readonly implementation: GatewayImplementation;
  /**
   * The namespace of the Gateway and its routes.
   * @default - none (the chart has none)
   */
  public readonly gatewayNamespace?: string;
  /**
   * This TlsGateway as the primary of a canary: `canary: { primary: gateway.asCanaryPrimary, weightPercent: 10 }`.
   * The canary's backends are added to this TlsGateway's routes (weighted backendRefs, or a rule matching the header).
   */
  public readonly asCanaryPrimary: ICanaryPrimary;
  /**
   * The peers that connect to the backends (the Gateway's data-plane pods, or a cloud load
   * balancer's addresses), for reachability queries: `net.isConnectionAllowed(gateway.dataPlane[0], api)`.
   */
  public readonly dataPlane: IPeer[];
  /** @internal */
  public readonly _rules: PlacedRule[] = [];
  /** The NetworkPolicy of a data plane that runs in the Gateway's namespace (Istio, NGINX Gateway Fabric); its canaries add their backends to it. @internal */
  public readonly _dataPlanePolicy?: WorkloadPolicy;

  public constructor(scope: Construct, id: string, props: TlsGatewayProps) {
    super(scope, uniqueId(scope, id, new.target.name));
    const p = 'TlsGateway';
    requireProps(this, p, props, 'give TlsGatewayProps, e.g. { implementation: GatewayImplementation.envoyGateway(), certificate: ..., rules: [...] }');
    optionalInstance(this, `${p}.implementation`, props.implementation, GatewayImplementation, 'give GatewayImplementation.envoyGateway(), istio(), cilium(), traefik(), nginxGatewayFabric(), gke() or generic()');
    optionalString(this, `${p}.gatewayClassName`, props.gatewayClassName, "give a GatewayClass name such as 'eg'");
    if (props.dataPlane !== undefined) requirePeer(this, `${p}.dataPlane`, props.dataPlane, "give the data plane's pods, e.g. Peer.pods({ namespace: 'envoy-gateway-system', labels: { app: 'envoy' } })", true);
    checkIngressRuleTypes(this, `${p}.rules`, props.rules);
    optionalInstance(this, `${p}.certificate`, props.certificate, TlsCertificate, "give a TlsCertificate, e.g. TlsCertificate.secret('shop-tls')");
    optionalString(this, `${p}.name`, props.name, "give a DNS-1123 subdomain such as 'public'");
    optionalObject(this, `${p}.namespace`, props.namespace, "give a DenyAllNamespace or NamespaceRef.named('shop')");
    optionalNumber(this, `${p}.requestTimeoutSeconds`, props.requestTimeoutSeconds, 'give a whole number of seconds');
    optionalString(this, `${p}.backendCaConfigMap`, props.backendCaConfigMap, "give a ConfigMap name such as 'backend-ca'");
    AppValidation._register(this);

    const canary = props.canary;
    const primary = canary ? CANARY_PRIMARIES.get(canary.primary) : undefined;
    if (canary && !primary) {
      fail(this, `TlsGateway.canary.primary is ${canary.primary.ingressName}, which is not a TlsGateway; a TlsGateway canary splits the routes of a TlsGateway (give primary: gateway.asCanaryPrimary).`);
    }
    this.implementation = primary?.implementation ?? this.chooseImplementation(props);
    const name = props.name ?? nameFromId(id);
    this.gatewayName = primary ? primary.gatewayName : name;
    const nameProblem = dns1123SubdomainProblem(name);
    if (nameProblem) fail(this, `TlsGateway.name "${name}" is not a valid Gateway name; ${nameProblem}.`);
    const namespace = props.namespace?.namespaceName ?? Chart.of(this).namespace;
    this.gatewayNamespace = namespace;
    this.dataPlane = this.implementation._dataPlane(this.gatewayName, primary ? primary.gatewayNamespace : namespace);
    const options = resolveOptions(this, props, p);
    const rules = checkGatewayRules(this, p, props.rules, namespace, false);
    // A Gateway is no Ingress: nothing of it carries kubernetes.io/ingress.allow-http.
    this.asCanaryPrimary = {
      ingressName: this.gatewayName, ingressNamespace: namespace, routes: rules.map((r) => r.host + r.path), httpsOnly: false,
    };
    if (!canary) CANARY_PRIMARIES.set(this.asCanaryPrimary, this);
    const hosts = [...new Set(rules.map((r) => r.host))];

    const rendering: RouteRendering = {
      scope: this,
      construct: p,
      implementation: this.implementation,
      name,
      namespace,
      options,
      rules,
      parentRefs: (host) => [{ name, sectionName: httpsListenerName(host) }],
      gatewayName: this.gatewayName,
      gatewayNamespace: primary ? primary.gatewayNamespace : namespace,
      requestTimeoutSeconds: props.requestTimeoutSeconds,
      backendCaConfigMap: props.backendCaConfigMap,
      dataPlaneField: props.implementation || primary ? `${p}.implementation` : `${p}.dataPlane`,
    };
    const { ctx, sink } = runGatewayHandlers(rendering);
    checkGatewayExtras(rendering, ctx, sink);

    if (canary) {
      this.renderCanary(primary!, rules, canary.weightPercent, canary.header, canary.headerValue, props);
      // The primary's data plane forwards to the canary's backends too: its own policy lets it out to them.
      admitDataPlane(this, this.implementation, rules, name, primary!.gatewayName, primary!.gatewayNamespace, primary!._dataPlanePolicy, `${p}.canary.primary`);
      return;
    }

    if (!props.certificate) fail(this, 'TlsGateway.certificate is not set; give a TlsCertificate, e.g. TlsCertificate.secret(\'shop-tls\').');
    const { secretName, annotations } = gatewayCertificate(this, p, props.certificate, name, namespace, hosts);
    const labels = { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE };
    const allowedRoutes = { namespaces: { from: gwMod.GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } };
    this.gateway = new gwMod.Gateway(this, 'Resource', {
      metadata: { name, namespace, labels, annotations: { ...annotations, ...this.implementation._dataPlaneAnnotation(name, namespace) } },
      spec: {
        gatewayClassName: this.implementation.className,
        listeners: [
          ...hosts.map((host) => ({
            name: httpsListenerName(host),
            hostname: host,
            port: this.implementation._listenerPorts.https,
            protocol: 'HTTPS',
            allowedRoutes,
            tls: { mode: gwMod.GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: secretName }] },
          })),
          ...(sink.httpRedirect ? [{ name: 'http', port: this.implementation._listenerPorts.http, protocol: 'HTTP', allowedRoutes }] : []),
        ],
      },
    });
    const policy = dataPlanePolicy(this, this.implementation, name, namespace,
      [this.implementation._listenerPorts.https, ...(sink.httpRedirect ? [this.implementation._listenerPorts.http] : [])], props.namespace);
    this._dataPlanePolicy = policy;
    const { routes, placed } = renderGatewayRoutes({ ...rendering, dataPlanePolicy: policy }, ctx, sink);
    this.routes.push(...routes);
    this._rules.push(...placed);
    if (sink.httpRedirect) this.redirectRoute = redirectRoute(this, 'HttpRedirect', childName(name, 'http-redirect'), namespace, [{ name, sectionName: 'http' }], hosts);
  }

  private chooseImplementation(props: TlsGatewayProps): GatewayImplementation {
    if (props.implementation) {
      if (props.gatewayClassName !== undefined || props.dataPlane !== undefined) {
        fail(this, 'TlsGateway.gatewayClassName or dataPlane is set together with implementation; the implementation names both, so remove them.');
      }
      return props.implementation;
    }
    if (props.gatewayClassName === undefined || props.dataPlane === undefined) {
      fail(this, 'TlsGateway.implementation is not set; give GatewayImplementation.envoyGateway(), istio(), cilium(), traefik(), nginxGatewayFabric(), gke() or generic(className, { dataPlane }).');
    }
    return GatewayImplementation.generic(props.gatewayClassName, { dataPlane: props.dataPlane });
  }

  /** Adds this canary's backends to the primary's routes: weighted backendRefs, or a rule matching the header. */
  private renderCanary(primary: TlsGateway, rules: GatewayRule[], weight: number | undefined, header: string | undefined,
    headerValue: string | undefined, props: TlsGatewayProps): void {
    if (this.gatewayNamespace !== primary.gatewayNamespace) {
      fail(this, `TlsGateway.canary.primary is in namespace "${primary.gatewayNamespace}", but this canary is in "${this.gatewayNamespace}"; a canary must be in its primary's namespace.`);
    }
    if (props.certificate) fail(this, 'TlsGateway.certificate is set on a canary; a canary is served by its primary\'s Gateway and certificate, so remove it.');
    for (const k of OPTION_KEYS.filter((key) => key !== 'canary' && key !== 'sslRedirect' && key !== 'hsts')) {
      if ((props as any)[k] !== undefined) fail(this, `TlsGateway.${k} is set on a canary; a canary takes every option from its primary, so set it on ${primary.gatewayName}.`);
    }
    for (const r of rules) {
      const target = primary._rules.find((t) => t.host === r.host && t.path === r.path);
      if (!target) fail(this, `TlsGateway.canary: route ${r.host}${r.path} is not a route of the primary ${primary.gatewayName}; a canary can only shadow its primary's routes.`);
      const ref = { name: r.backend.serviceName, port: r.backend.servicePortNumber };
      const primaryRef = { name: target.backend.serviceName, port: target.backend.servicePortNumber };
      if (weight !== undefined) {
        target.route.addJsonPatch(JsonPatch.replace(`/spec/rules/${target.index}/backendRefs`,
          [{ ...primaryRef, weight: 100 - weight }, { ...ref, weight }]));
      }
      if (header !== undefined) {
        const match = target.route.kind === 'GRPCRoute'
          ? { ...(grpcMatch(this, 'TlsGateway', target, 0) ?? [{}])[0], headers: [{ name: header, value: headerValue ?? 'always' }] }
          : { path: pathMatch(target), headers: [{ name: header, value: headerValue ?? 'always' }] };
        target.route.addJsonPatch(JsonPatch.add('/spec/rules/-', { matches: [match], backendRefs: [ref] }));
      }
    }
  }
}
