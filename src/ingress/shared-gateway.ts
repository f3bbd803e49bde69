import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { lazyModule } from '../core/lazy-module';
import { childName } from './controllers/render';
import { GatewayImplementation } from './gateway/implementation';
import { gatewayCertificate, httpsListenerName, redirectRoute } from './gateway/listeners';
import { checkGatewayExtras, checkGatewayRules, dataPlanePolicy, renderGatewayRoutes, RouteRendering, runGatewayHandlers } from './gateway/route-rendering';
import { checkIngressRuleTypes, IngressRule } from './ingress-backend';
import { RoutingOptions } from './ingress-options';
import { resolveOptions } from './resolve-options';
import { hostProblem } from './safety';
import { TlsCertificate } from './tls-certificate';
import { fail, failCall, raise, uniqueId, Where } from '../core/errors';
import {
  optionalBoolean, optionalInstance, optionalNumber, optionalObject, optionalString, optionalStringArray, optionalStringMap,
  requireArray, requireInstance, requireObject, requireProps, requireString,
} from '../core/guards';
import { LabelKeys } from '../core/labels';
import { dns1123LabelProblem, dns1123SubdomainProblem, hostCovered, labelProblem, nameFromId } from '../core/names';
import { IPeer } from '../core/peer';
import { checkedValue } from '../core/value-checks';
import { WorkloadPolicy } from '../core/workload-policy';
import { INamespace } from '../dns/namespace-ref';
import type * as gw from '../imports/gateway.networking.k8s.io';
import { AppValidation } from '../validation/app-validation';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gwMod = lazyModule((): typeof gw => require('../imports/gateway.networking.k8s.io'));

/** A Gateway that routes of other namespaces (or charts) attach to: a `SharedGateway`, or one declared with `SharedGateway.fromAttributes()`. */
export interface ISharedGateway {
  /** `metadata.name` of the Gateway. */
  readonly gatewayName: string;
  /**
   * Its namespace.
   * @default - none (the chart has none)
   */
  readonly gatewayNamespace?: string;
  /** The implementation that serves it. */
  readonly implementation: GatewayImplementation;
  /** The hostnames of its HTTPS listeners (one listener per host or wildcard, named `https.<host>`). */
  readonly listenerHosts: string[];
  /** Whether its plain-HTTP listener redirects every host to HTTPS. */
  readonly redirectsHttp: boolean;
  /**
   * Namespaces whose routes it admits, by name.
   * @default - not restricted by name
   */
  readonly allowedNamespaces?: string[];
  /**
   * Labels a namespace needs for its routes to be admitted.
   * @default - not restricted by labels
   */
  readonly allowedNamespaceLabels?: { [key: string]: string };
}

/** A Gateway made elsewhere (another app, the platform's repository), for `SharedGateway.fromAttributes()`. */
export interface SharedGatewayAttributes {
  /** `metadata.name` of the Gateway. */
  readonly gatewayName: string;
  /** Its namespace. */
  readonly gatewayNamespace: string;
  /** The implementation that serves it. */
  readonly implementation: GatewayImplementation;
  /** The hostnames of its HTTPS listeners, which must be named `https.<host>` (`https.wildcard.<domain>` for `*.<domain>`). */
  readonly listenerHosts: string[];
  /**
   * Whether its plain-HTTP listener redirects every host to HTTPS.
   * @default true
   */
  readonly redirectsHttp?: boolean;
  /**
   * Namespaces whose routes it admits, by name.
   * @default - not restricted by name
   */
  readonly allowedNamespaces?: string[];
  /**
   * Labels a namespace needs for its routes to be admitted.
   * @default - not restricted by labels
   */
  readonly allowedNamespaceLabels?: { [key: string]: string };
}

/** Props of `SharedGateway`. */
export interface SharedGatewayProps {
  /** The implementation that serves the Gateway. */
  readonly implementation: GatewayImplementation;
  /** The hosts it serves: one HTTPS listener per host or wildcard (`*.example.com`). */
  readonly hosts: string[];
  /** The certificate of the listeners (one Secret covering every host): a Secret, cert-manager's gateway-shim or a cert-manager Certificate. */
  readonly certificate: TlsCertificate;
  /**
   * Namespaces whose routes may attach, by name (`kubernetes.io/metadata.name`).
   * @default - no restriction by name
   */
  readonly allowedNamespaces?: string[];
  /**
   * Labels a namespace needs for its routes to attach (`allowedRoutes.namespaces.selector`).
   * @default - no restriction by labels
   */
  readonly allowedNamespaceLabels?: { [key: string]: string };
  /**
   * `metadata.name` of the Gateway.
   * @default - derived from the construct id
   */
  readonly name?: string;
  /**
   * The namespace of the Gateway (the platform's).
   * @default - the chart's namespace
   */
  readonly namespace?: INamespace;
  /**
   * A plain-HTTP listener whose only route (owned by the Gateway's namespace) redirects every host to HTTPS.
   * @default true
   */
  readonly sslRedirect?: boolean;
}

/**
 * A Gateway owned by a platform team and shared by app teams: one HTTPS listener per host or
 * wildcard with a cert-manager (or Secret) certificate, and `allowedRoutes` admitting the routes
 * of the namespaces named or labelled. Only routes from the Gateway's own namespace are admitted
 * when neither is given. App teams attach `GatewayRoute`s to it from their namespaces (same or
 * another chart), or to a Gateway declared with `SharedGateway.fromAttributes()`.
 *
 * The plain-HTTP listener admits only the Gateway's own redirect route, so no app route is ever
 * served without TLS.
 *
 * @example
 * const edge = new SharedGateway(platform, 'Edge', {
 *   namespace: NamespaceRef.named('edge'), implementation: GatewayImplementation.envoyGateway(),
 *   hosts: ['*.example.com'], certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
 *   allowedNamespaceLabels: { 'example.com/edge': 'true' },
 * });
 */
export class SharedGateway extends Construct implements ISharedGateway {
  /** A Gateway made elsewhere that routes of this app attach to (declared external, so checks know it). */
  public static fromAttributes(attrs: SharedGatewayAttributes): ISharedGateway {
    return checkedValue(Object.prototype, () => {
      const call = 'SharedGateway.fromAttributes';
      requireObject(call, 'attrs', attrs as unknown, 'give { gatewayName, gatewayNamespace, implementation, listenerHosts }');
      requireInstance(call, 'implementation', attrs.implementation, GatewayImplementation, 'give GatewayImplementation.envoyGateway(), ...');
      for (const [field, v] of [['gatewayName', attrs.gatewayName], ['gatewayNamespace', attrs.gatewayNamespace]] as const) {
        const problem = field === 'gatewayName' ? dns1123SubdomainProblem(v ?? '') : dns1123LabelProblem(v ?? '');
        if (problem) failCall(call, `${field} "${v}" is not a valid name; ${problem}.`);
      }
      checkHosts(call, 'listenerHosts', attrs.listenerHosts);
      checkAllowed(call, '', attrs.allowedNamespaces, attrs.allowedNamespaceLabels);
      const external: ISharedGateway = {
        gatewayName: attrs.gatewayName,
        gatewayNamespace: attrs.gatewayNamespace,
        implementation: attrs.implementation,
        listenerHosts: [...attrs.listenerHosts],
        redirectsHttp: attrs.redirectsHttp ?? true,
        allowedNamespaces: attrs.allowedNamespaces ? [...attrs.allowedNamespaces] : undefined,
        allowedNamespaceLabels: attrs.allowedNamespaceLabels ? { ...attrs.allowedNamespaceLabels } : undefined,
      };
      return external;
    });
  }

  /** The Gateway. */
  public readonly gateway: ApiObject;
  /** The HTTPRoute that redirects HTTP to HTTPS, when `sslRedirect` is on. */
  public readonly redirectRoute?: ApiObject;
  public readonly gatewayName: string;
  public readonly gatewayNamespace?: string;
  public readonly implementation: GatewayImplementation;
  public readonly listenerHosts: string[];
  public readonly redirectsHttp: boolean;
  public readonly allowedNamespaces?: string[];
  public readonly allowedNamespaceLabels?: { [key: string]: string };
  /** The peers that connect to the backends of the routes attached to it (its data plane), for reachability queries. */
  public readonly dataPlane: IPeer[];
  /** The data plane's NetworkPolicy, when this library writes it (Istio). @internal */
  public readonly _dataPlanePolicy?: WorkloadPolicy;

  public constructor(scope: Construct, id: string, props: SharedGatewayProps) {
    super(scope, uniqueId(scope, id, new.target.name));
    const p = 'SharedGateway';
    requireProps(this, p, props, "give SharedGatewayProps, e.g. { implementation: GatewayImplementation.envoyGateway(), hosts: ['*.example.com'], certificate: ... }");
    requireInstance(this, `${p}.implementation`, props.implementation, GatewayImplementation, 'give GatewayImplementation.envoyGateway(), istio(), cilium(), traefik(), nginxGatewayFabric(), gke() or generic()');
    requireInstance(this, `${p}.certificate`, props.certificate, TlsCertificate, "give a TlsCertificate, e.g. TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' })");
    optionalString(this, `${p}.name`, props.name, "give a DNS-1123 subdomain such as 'edge'");
    optionalObject(this, `${p}.namespace`, props.namespace, "give a DenyAllNamespace or NamespaceRef.named('edge')");
    optionalBoolean(this, `${p}.sslRedirect`, props.sslRedirect, 'give true or false');
    optionalStringArray(this, `${p}.allowedNamespaces`, props.allowedNamespaces, "give namespace names, e.g. ['shop']", 'a namespace name');
    requireArray(this, `${p}.hosts`, props.hosts, "give the hosts it serves, e.g. ['*.example.com']", (h, f) => requireString(this, f, h, "give a host such as 'shop.example.com'"));
    optionalStringMap(this, `${p}.allowedNamespaceLabels`, props.allowedNamespaceLabels, "give labels, e.g. { 'example.com/edge': 'true' }", 'give a label value');
    AppValidation._register(this);
    checkHosts(this, `${p}.hosts`, props.hosts);
    checkAllowed(this, `${p}.`, props.allowedNamespaces, props.allowedNamespaceLabels);
    const name = props.name ?? nameFromId(id);
    const nameProblem = dns1123SubdomainProblem(name);
    if (nameProblem) fail(this, `SharedGateway.name "${name}" is not a valid Gateway name; ${nameProblem}.`);
    const namespace = props.namespace?.namespaceName ?? Chart.of(this).namespace;
    this.gatewayName = name;
    this.gatewayNamespace = namespace;
    this.implementation = props.implementation;
    this.listenerHosts = [...props.hosts];
    this.redirectsHttp = props.sslRedirect ?? true;
    this.allowedNamespaces = props.allowedNamespaces ? [...props.allowedNamespaces] : undefined;
    this.allowedNamespaceLabels = props.allowedNamespaceLabels ? { ...props.allowedNamespaceLabels } : undefined;
    this.dataPlane = this.implementation._dataPlane(name, namespace);

    const { secretName, annotations } = gatewayCertificate(this, p, props.certificate, name, namespace, this.listenerHosts);
    const selector: gw.GatewaySpecListenersAllowedRoutesNamespacesSelector | undefined = this.allowedNamespaces || this.allowedNamespaceLabels
      ? {
        matchLabels: this.allowedNamespaceLabels,
        matchExpressions: this.allowedNamespaces
          ? [{ key: LabelKeys.NAMESPACE_NAME, operator: 'In', values: [...this.allowedNamespaces] }] : undefined,
      }
      : undefined;
    const appRoutes = selector
      ? { namespaces: { from: gwMod.GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR, selector } }
      : { namespaces: { from: gwMod.GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } };
    this.gateway = new gwMod.Gateway(this, 'Resource', {
      metadata: {
        name,
        namespace,
        labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE },
        annotations: { ...annotations, ...this.implementation._dataPlaneAnnotation(name, namespace) },
      },
      spec: {
        gatewayClassName: this.implementation.className,
        listeners: [
          ...this.listenerHosts.map((host) => ({
            name: httpsListenerName(host),
            hostname: host,
            port: this.implementation._listenerPorts.https,
            protocol: 'HTTPS',
            allowedRoutes: { ...appRoutes, kinds: [{ kind: 'HTTPRoute' }, { kind: 'GRPCRoute' }] },
            tls: { mode: gwMod.GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: secretName }] },
          })),
          ...(this.redirectsHttp ? [{ name: 'http', port: this.implementation._listenerPorts.http, protocol: 'HTTP', allowedRoutes: { namespaces: { from: gwMod.GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } } }] : []),
        ],
      },
    });
    this._dataPlanePolicy = dataPlanePolicy(this, this.implementation, name, namespace,
      [this.implementation._listenerPorts.https, ...(this.redirectsHttp ? [this.implementation._listenerPorts.http] : [])], props.namespace);
    if (this.redirectsHttp) {
      this.redirectRoute = redirectRoute(this, 'HttpRedirect', childName(name, 'http-redirect'), namespace, [{ name, sectionName: 'http' }], this.listenerHosts);
    }
  }
}

/**
 * Checks the hosts of a Gateway's listeners: `field` names them as the caller was given them
 * (`SharedGateway.hosts` on a construct, `listenerHosts` of `SharedGateway.fromAttributes`).
 */
function checkHosts(where: Where, field: string, hosts: string[]): void {
  if (!Array.isArray(hosts) || hosts.length === 0) raise(where, `${field} is empty; list the hosts (or wildcards such as *.example.com) it serves.`);
  const seen = new Set<string>();
  hosts.forEach((h, i) => {
    const problem = hostProblem(h ?? '');
    if (problem) raise(where, `${field}[${i}] "${h}" is not a host; ${problem}.`);
    if (seen.has(h)) raise(where, `${field}[${i}] "${h}" is listed twice; one listener per host.`);
    seen.add(h);
  });
}

/**
 * Checks which namespaces may attach routes; `prefix` starts each field (`SharedGateway.` on a
 * construct, nothing for `SharedGateway.fromAttributes`, whose call starts the message).
 */
function checkAllowed(where: Where, prefix: string, names?: string[], labels?: { [key: string]: string }): void {
  if (names !== undefined && names.length === 0) raise(where, `${prefix}allowedNamespaces is empty, which admits no namespace; list namespaces or leave it unset.`);
  (names ?? []).forEach((n, i) => {
    const problem = dns1123LabelProblem(n);
    if (problem) raise(where, `${prefix}allowedNamespaces[${i}] "${n}" is not a namespace name; ${problem}.`);
  });
  if (labels !== undefined && Object.keys(labels).length === 0) raise(where, `${prefix}allowedNamespaceLabels is empty, which would admit every namespace; give labels or leave it unset.`);
  for (const [k, v] of Object.entries(labels ?? {})) {
    const problem = labelProblem(k, v);
    if (problem) raise(where, `${prefix}allowedNamespaceLabels: ${problem}.`);
  }
}

/** Props of `GatewayRoute`: the option set, rendered for the shared Gateway's implementation on this route. */
export interface GatewayRouteProps extends RoutingOptions {
  /** The shared Gateway to attach to. */
  readonly gateway: ISharedGateway;
  /** Routing rules; every host must be served by a listener of the Gateway. Backends may be in other namespaces (a ReferenceGrant is written there). */
  readonly rules: IngressRule[];
  /**
   * `metadata.name` prefix of the routes.
   * @default - derived from the construct id
   */
  readonly name?: string;
  /**
   * The namespace of the routes (the app's).
   * @default - the chart's namespace
   */
  readonly namespace?: INamespace;
  /**
   * The time the whole request may take (HTTPRoute `timeouts.request`), in seconds.
   * @default - the implementation's default
   */
  readonly requestTimeoutSeconds?: number;
  /**
   * A ConfigMap (key `ca.crt`) with the CA of the backends' certificates, for `backendProtocol: HTTPS`.
   * @default - none; required with `backendProtocol: HTTPS`
   */
  readonly backendCaConfigMap?: string;
}

/**
 * An app team's routes, attached to a `SharedGateway` from its own namespace (and chart): one
 * HTTPRoute (GRPCRoute for gRPC) per host, with `parentRefs` naming the Gateway's listener for
 * that host. At synth it checks that every host is served by a listener and that the Gateway
 * admits the route's namespace (by name); backends in other namespaces get a ReferenceGrant; the
 * backends admit the Gateway's data plane.
 */
export class GatewayRoute extends Construct {
  /** The routes, one per host. */
  public readonly routes: ApiObject[];

  public constructor(scope: Construct, id: string, props: GatewayRouteProps) {
    super(scope, uniqueId(scope, id, new.target.name));
    const p = 'GatewayRoute';
    requireProps(this, p, props, 'give GatewayRouteProps, e.g. { gateway: edge, rules: [...] }');
    requireObject(this, `${p}.gateway`, props.gateway as unknown, 'give a SharedGateway or SharedGateway.fromAttributes(...)');
    optionalInstance(this, `${p}.gateway.implementation`, props.gateway.implementation, GatewayImplementation, 'give a SharedGateway or SharedGateway.fromAttributes(...)');
    checkIngressRuleTypes(this, `${p}.rules`, props.rules);
    optionalString(this, `${p}.name`, props.name, "give a DNS-1123 subdomain such as 'shop'");
    optionalObject(this, `${p}.namespace`, props.namespace, "give a DenyAllNamespace or NamespaceRef.named('shop')");
    optionalNumber(this, `${p}.requestTimeoutSeconds`, props.requestTimeoutSeconds, 'give a whole number of seconds');
    optionalString(this, `${p}.backendCaConfigMap`, props.backendCaConfigMap, "give a ConfigMap name such as 'backend-ca'");
    AppValidation._register(this);
    const g = props.gateway;
    const name = props.name ?? nameFromId(id);
    const nameProblem = dns1123SubdomainProblem(name);
    if (nameProblem) fail(this, `GatewayRoute.name "${name}" is not a valid route name; ${nameProblem}.`);
    const namespace = props.namespace?.namespaceName ?? Chart.of(this).namespace;
    const options = resolveOptions(this, props, p);
    if (options.canary) fail(this, 'GatewayRoute.canary is set; a GatewayRoute splits traffic with weighted backends of a TlsGateway canary only, so use TlsGateway for canaries.');
    if (options.sslRedirect && !g.redirectsHttp) {
      fail(this, `GatewayRoute.sslRedirect is true, but Gateway ${g.gatewayName} has no HTTP redirect; enable sslRedirect on the SharedGateway or set sslRedirect: false here.`);
    }
    if (!options.sslRedirect && g.redirectsHttp) {
      fail(this, `GatewayRoute.sslRedirect is false, but Gateway ${g.gatewayName} redirects every host to HTTPS; leave sslRedirect unset.`);
    }
    if (namespace !== g.gatewayNamespace) {
      if (!g.allowedNamespaces && !g.allowedNamespaceLabels) {
        fail(this, `GatewayRoute.namespace "${namespace ?? '(none)'}" is not admitted by Gateway ${g.gatewayNamespace}/${g.gatewayName}, which admits routes of its own namespace only; add "${namespace}" to its allowedNamespaces or allowedNamespaceLabels.`);
      }
      if (g.allowedNamespaces && (namespace === undefined || !g.allowedNamespaces.includes(namespace))) {
        fail(this, `GatewayRoute.namespace "${namespace ?? '(none)'}" is not admitted by Gateway ${g.gatewayNamespace}/${g.gatewayName} (allowedNamespaces: ${g.allowedNamespaces.join(', ')}); add it there.`);
      }
    }
    const rules = checkGatewayRules(this, p, props.rules, namespace, true);
    const listenerOf = (host: string, i: number): string => {
      const exact = g.listenerHosts.find((l) => l === host);
      const covering = exact ?? g.listenerHosts.find((l) => hostCovered(l, host));
      if (!covering) {
        fail(this, `GatewayRoute.rules[${i}].host "${host}" is served by no listener of Gateway ${g.gatewayName} (listener hosts: ${g.listenerHosts.join(', ')}); add a listener for it on the SharedGateway or route a host it serves.`);
      }
      return httpsListenerName(covering);
    };
    const listeners = new Map<string, string>();
    rules.forEach((r, i) => listeners.set(r.host, listenerOf(r.host, i)));
    const rendering: RouteRendering = {
      scope: this,
      construct: p,
      implementation: g.implementation,
      name,
      namespace,
      options,
      rules,
      parentRefs: (host) => [{
        name: g.gatewayName, namespace: g.gatewayNamespace !== namespace ? g.gatewayNamespace : undefined, sectionName: listeners.get(host),
      }],
      gatewayName: g.gatewayName,
      gatewayNamespace: g.gatewayNamespace,
      requestTimeoutSeconds: props.requestTimeoutSeconds,
      backendCaConfigMap: props.backendCaConfigMap,
      dataPlanePolicy: g instanceof SharedGateway ? g._dataPlanePolicy : undefined,
      dataPlaneField: `${p}.gateway`,
    };
    const { ctx, sink } = runGatewayHandlers(rendering);
    checkGatewayExtras(rendering, ctx, sink);
    this.routes = renderGatewayRoutes(rendering, ctx, sink).routes;
  }
}
