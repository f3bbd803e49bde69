import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { BackendInfo, checkIngressRuleTypes, IngressPathType, IngressRule } from './ingress-backend';
import { CorsOptions, HstsOptions, hstsHeaderValue } from './ingress-options';
import { resolveOptions } from './resolve-options';
import { hostCovered, hostProblem, pathProblem } from './safety';
import { TlsCertificate } from './tls-certificate';
import { fail } from '../core/errors';
import { optionalBoolean, optionalObject, optionalString, requireInstance, requirePeer, requireProps, requireString } from '../core/guards';
import { LabelKeys } from '../core/labels';
import { dns1123SubdomainProblem, nameFromId } from '../core/names';
import { IPeer } from '../core/peer';
import { INamespace } from '../dns/namespace-ref';
import * as gw from '../imports/gateway.networking.k8s.io';
import { childName } from './controllers/render';
import { AppValidation } from '../validation/app-validation';

/** Props of `TlsGateway`. */
export interface TlsGatewayProps {
  /** The GatewayClass that implements the Gateway (`eg`, `istio`, `gke-l7-global-external-managed`, ...). */
  readonly gatewayClassName: string;
  /**
   * The pods that forward requests to the backends (the Gateway's data plane), e.g.
   * `Peer.pods({ namespace: 'envoy-gateway-system', labels: { 'gateway.envoyproxy.io/owning-gateway-name': 'public' } })`.
   * The backends admit them on their target ports.
   */
  readonly dataPlane: IPeer;
  /** Routing rules, as for TlsIngress. */
  readonly rules: IngressRule[];
  /** Where the certificate comes from: a Secret, cert-manager's gateway-shim (annotations on the Gateway) or a cert-manager Certificate. */
  readonly certificate: TlsCertificate;
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
   * Add an HTTP listener whose only route redirects to HTTPS (301). Without it, there is no HTTP listener.
   * @default true
   */
  readonly sslRedirect?: boolean;
  /**
   * HSTS, set with a ResponseHeaderModifier filter on every route.
   * @default - enabled, max-age one year, includeSubDomains
   */
  readonly hsts?: HstsOptions;
  /**
   * CORS, with the Gateway API CORS filter (Gateway API v1.5+ standard channel).
   * @default - no CORS
   */
  readonly cors?: CorsOptions;
}

/**
 * The routing of a TlsIngress as Gateway API (`gateway.networking.k8s.io/v1`), for teams moving
 * off Ingress: a Gateway with one HTTPS listener per host (certificate refs to the TLS Secret),
 * an HTTPRoute per host, and an HTTP listener whose route redirects to HTTPS.
 *
 * Listeners admit routes from the Gateway's namespace only (`allowedRoutes.namespaces.from: Same`).
 * Backends must be in that namespace too, so no ReferenceGrant is needed.
 *
 * @see https://gateway-api.sigs.k8s.io/
 * @example
 * new TlsGateway(chart, 'Public', {
 *   namespace: shop, gatewayClassName: 'eg', dataPlane: Peer.pods({ namespace: 'envoy-gateway-system', labels: { app: 'envoy' } }),
 *   certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
 *   rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) }],
 * });
 */
export class TlsGateway extends Construct {
  /** The Gateway. */
  public readonly gateway: ApiObject;
  /** The HTTPRoutes that route to backends, one per host. */
  public readonly routes: ApiObject[] = [];
  /** The HTTPRoute that redirects HTTP to HTTPS, when `sslRedirect` is on. */
  public readonly redirectRoute?: ApiObject;
  /** The Gateway name. */
  public readonly gatewayName: string;

  public constructor(scope: Construct, id: string, props: TlsGatewayProps) {
    super(scope, id);
    const p = 'TlsGateway';
    requireProps(this, p, props, "give TlsGatewayProps, e.g. { gatewayClassName: 'eg', dataPlane: Peer.pods(...), certificate: ..., rules: [...] }");
    requireString(this, `${p}.gatewayClassName`, props.gatewayClassName, "give a GatewayClass name such as 'eg'");
    requirePeer(this, `${p}.dataPlane`, props.dataPlane, "give the data plane's pods, e.g. Peer.pods({ namespace: 'envoy-gateway-system', labels: { app: 'envoy' } })", true);
    checkIngressRuleTypes(this, `${p}.rules`, props.rules);
    requireInstance(this, `${p}.certificate`, props.certificate, TlsCertificate, "give a TlsCertificate, e.g. TlsCertificate.secret('shop-tls')");
    optionalString(this, `${p}.name`, props.name, "give a DNS-1123 subdomain such as 'public'");
    optionalObject(this, `${p}.namespace`, props.namespace, "give a DenyAllNamespace or NamespaceRef.named('shop')");
    optionalBoolean(this, `${p}.sslRedirect`, props.sslRedirect, 'give true or false');
    AppValidation._register(this);
    const name = props.name ?? nameFromId(id);
    this.gatewayName = name;
    const nameProblem = dns1123SubdomainProblem(name);
    if (nameProblem) fail(this, `TlsGateway.name "${name}" is not a valid Gateway name; ${nameProblem}.`);
    const classProblem = dns1123SubdomainProblem(props.gatewayClassName);
    if (classProblem) fail(this, `TlsGateway.gatewayClassName "${props.gatewayClassName}" is not a GatewayClass name; ${classProblem}.`);
    const namespace = props.namespace?.namespaceName ?? Chart.of(this).namespace;
    const options = resolveOptions(this, { sslRedirect: props.sslRedirect, hsts: props.hsts, cors: props.cors });
    if (!props.rules || props.rules.length === 0) fail(this, 'TlsGateway.rules is empty; give at least one rule (host, path and backend).');

    const seen = new Set<string>();
    const rules = props.rules.map((r, i) => {
      const hp = hostProblem(r.host ?? '');
      if (hp) fail(this, `TlsGateway.rules[${i}].host "${r.host ?? ''}" is not a host; ${hp}.`);
      const path = r.path ?? '/';
      const pp = pathProblem(path);
      if (pp) fail(this, `TlsGateway.rules[${i}].path "${path}" is refused; ${pp}.`);
      if (seen.has(r.host + path)) fail(this, `TlsGateway.rules[${i}] routes ${r.host}${path} twice; route each host and path once.`);
      seen.add(r.host + path);
      const b = r.backend._info;
      if ((b.namespace ?? Chart.of(this).namespace) !== namespace) {
        fail(this, `TlsGateway.rules[${i}].backend is Service ${b.serviceName} in namespace "${b.namespace ?? '(none)'}", but the Gateway is in "${namespace ?? '(none)'}"; ` +
          'put the TlsGateway in the backend\'s namespace (cross-namespace routing needs a ReferenceGrant, which TlsGateway does not write).');
      }
      return { host: r.host, path, pathType: r.pathType ?? IngressPathType.PREFIX, backend: b };
    });
    const hosts = [...new Set(rules.map((r) => r.host))];

    const cert = props.certificate;
    if (cert._kind === 'acm' || cert._kind === 'gke-managed') {
      fail(this, `TlsGateway.certificate is ${cert._description}, which a Gateway cannot reference; use TlsCertificate.secret(), certManager() or certManagerCertificate().`);
    }
    const uncovered = cert._spec.hosts ? hosts.filter((h) => !cert._spec.hosts!.some((n) => hostCovered(n, h))) : [];
    if (uncovered.length > 0) fail(this, `TlsGateway.certificate covers ${cert._spec.hosts!.join(', ')}, which does not cover ${uncovered.join(', ')}; every host must be covered.`);
    const secretName = cert._spec.secretName ?? childName(name, 'tls');
    if (cert._kind === 'cert-manager-certificate') cert._renderCertificate(this, 'Certificate', secretName, namespace, secretName, hosts);

    const listener = (host: string) => `https.${host.replace(/^\*\./, 'wildcard.')}`;
    const labels = { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE };
    const allowedRoutes = { namespaces: { from: gw.GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } };
    this.gateway = new gw.Gateway(this, 'Resource', {
      // cert-manager's gateway-shim reads the same annotations as its ingress-shim.
      metadata: { name, namespace, labels, annotations: cert._kind === 'cert-manager' ? cert._shimAnnotations() : undefined },
      spec: {
        gatewayClassName: props.gatewayClassName,
        listeners: [
          ...hosts.map((host) => ({
            name: listener(host),
            hostname: host,
            port: 443,
            protocol: 'HTTPS',
            allowedRoutes,
            tls: { mode: gw.GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: secretName }] },
          })),
          ...(options.sslRedirect ? [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes }] : []),
        ],
      },
    });

    const filters: gw.HttpRouteSpecRulesFilters[] = [];
    if (options.hsts.enabled) {
      filters.push({
        type: gw.HttpRouteSpecRulesFiltersType.RESPONSE_HEADER_MODIFIER,
        responseHeaderModifier: { set: [{ name: 'Strict-Transport-Security', value: hstsHeaderValue(options.hsts) }] },
      });
    }
    if (options.cors) {
      const c = options.cors;
      filters.push({
        type: gw.HttpRouteSpecRulesFiltersType.CORS,
        cors: {
          allowOrigins: [...c.allowOrigins],
          allowMethods: c.allowMethods as gw.HttpRouteSpecRulesFiltersCorsAllowMethods[],
          allowHeaders: c.allowHeaders ? [...c.allowHeaders] : undefined,
          allowCredentials: c.allowCredentials,
          maxAge: c.maxAgeSeconds,
        },
      });
    }
    for (const host of hosts) {
      this.routes.push(new gw.HttpRoute(this, `Route${host.replace(/\*/g, 'Wildcard')}`, {
        metadata: { name: childName(name, host.replace(/^\*\./, 'wildcard.')), namespace, labels },
        spec: {
          parentRefs: [{ name, sectionName: listener(host) }],
          hostnames: [host],
          rules: rules.filter((r) => r.host === host).map((r) => ({
            matches: [{
              path: {
                type: r.pathType === IngressPathType.EXACT ? gw.HttpRouteSpecRulesMatchesPathType.EXACT
                  : gw.HttpRouteSpecRulesMatchesPathType.PATH_PREFIX,
                value: r.path,
              },
            }],
            backendRefs: [{ name: r.backend.serviceName, port: r.backend.servicePortNumber }],
            filters: filters.length > 0 ? filters : undefined,
          })),
        },
      }));
    }
    if (options.sslRedirect) {
      this.redirectRoute = new gw.HttpRoute(this, 'HttpRedirect', {
        metadata: { name: childName(name, 'http-redirect'), namespace, labels },
        spec: {
          parentRefs: [{ name, sectionName: 'http' }],
          hostnames: [...hosts],
          rules: [{
            filters: [{
              type: gw.HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
              requestRedirect: {
                scheme: gw.HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
                statusCode: gw.HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
              },
            }],
          }],
        },
      });
    }

    const done: BackendInfo[] = [];
    for (const r of rules) {
      const b = r.backend;
      if (done.includes(b)) continue;
      done.push(b);
      if (b.connectable && b.allowPort) b.connectable.connections.allowFrom(props.dataPlane, b.allowPort);
    }
  }
}
