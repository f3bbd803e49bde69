/**
 * Istio ingress gateway, rendered as `networking.istio.io/v1` Gateway + VirtualService (not as
 * an Ingress: Istio's Ingress support has no annotations for redirects, headers or CORS).
 *
 * The Gateway is created in the gateway's namespace (default `istio-system`) because Istio reads
 * its TLS Secret (`credentialName`) from the namespace of the gateway workload; cert-manager
 * Certificates are created there too, and `TlsCertificate.secret()` must name a Secret there.
 * One VirtualService per host, in the TlsIngress namespace, binds the routes to it.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/secure-ingress/
 * @internal
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { ProfileRenderer, RenderContext, ResolvedRule, childName, unsupported } from './render';
import { VersionTable } from './versions';
import { fail } from '../../core/errors';
import { LabelKeys } from '../../core/labels';
import { lazyModule } from '../../core/lazy-module';
import type * as istio from '../../imports/networking.istio.io';
import type * as security from '../../imports/security.istio.io';
import { istioRetries } from '../../mesh/istio';
import { IngressPathType } from '../ingress-backend';
import { BackendProtocol, CanaryOptions, hstsHeaderValue, meshRetries } from '../ingress-options';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const securityMod = lazyModule((): typeof security => require('../../imports/security.istio.io'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const istioMod = lazyModule((): typeof istio => require('../../imports/networking.istio.io'));

/**
 * Istio releases (istio/istio, istio/api). The objects written here are networking.istio.io/v1
 * and security.istio.io/v1.
 * @internal
 */
export const ISTIO_VERSIONS: VersionTable = {
  newest: '1.30',
  oldest: '1.22',
  oldestReason: 'the first release that serves the networking.istio.io/v1 and security.istio.io/v1 APIs written here',
  keys: {},
};

/** @internal */
export const ISTIO_DEFAULTS = {
  displayName: 'Istio',
  className: 'istio',
  controllerName: 'istio.io/ingress-controller',
  namespace: 'istio-system',
  podLabels: { istio: 'ingressgateway' },
};

const LABELS = { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE };
const NOT_ON_GATEWAY = 'use an EnvoyFilter or AuthorizationPolicy on the gateway yourself, or leave it unset';

/** Ingress Prefix matches whole path elements; an Istio prefix is a string prefix. */
function matches(r: ResolvedRule): istio.VirtualServiceSpecHttpMatch[] {
  if (r.pathType === IngressPathType.EXACT) return [{ uri: { exact: r.path } }];
  if (r.path === '/') return [{ uri: { prefix: '/' } }];
  const p = r.path.replace(/\/$/, '');
  return [{ uri: { exact: p } }, { uri: { prefix: `${p}/` } }];
}

function destinationHost(ctx: RenderContext, r: ResolvedRule): string {
  const ns = r.backend.namespace ?? ctx.namespace;
  return r.backend.fqdn ?? `${r.backend.serviceName}.${ns}.svc.cluster.local`;
}

/** The routes an Istio TlsIngress rendered, per host: its VirtualService and the wire form of its http routes. */
interface RenderedRoutes {
  readonly hosts: Map<string, { vs: ApiObject; http: any[]; keys: string[] }>;
}

/** The routes of each Istio TlsIngress (keyed by the TlsIngress), for its canaries. */
const renderedRoutes = new WeakMap<object, RenderedRoutes>();

function routeKey(r: ResolvedRule): string {
  return `${r.path}|${r.pathType}`;
}

/**
 * A canary as VirtualService routes of its primary: a header route to the canary before the
 * primary's route, and/or weighted destinations (HTTPRoute.route[].weight, summing to 100).
 */
function mergeCanary(ctx: RenderContext, c: CanaryOptions): void {
  const primary = renderedRoutes.get(c.primary);
  if (!primary) {
    unsupported(ctx, 'canary.primary', c.primary.ingressName, 'Istio splits traffic in the primary\'s VirtualService, and the primary is not an Istio TlsIngress of this app rendered before the canary',
      'give a TlsIngress with IngressController.istio() as primary, created before this canary');
  }
  const touched = new Set<string>();
  for (const r of ctx.rules) {
    const host = primary.hosts.get(r.host);
    const index = host?.keys.indexOf(routeKey(r)) ?? -1;
    if (!host || index < 0) fail(ctx.scope, `TlsIngress.canary: route ${r.host}${r.path} (${r.pathType}) is not a route of the primary ${c.primary.ingressName}; a canary can only shadow its primary's routes.`);
    const entry = host.http[index];
    if (entry.route.length > 1 || host.keys.includes(`canary:${routeKey(r)}`)) {
      fail(ctx.scope, `TlsIngress.canary: route ${r.host}${r.path} of ${c.primary.ingressName} already has a canary; give each route one canary.`);
    }
    const destination = { host: destinationHost(ctx, r), port: { number: r.backend.servicePortNumber } };
    if (c.weightPercent !== undefined) {
      entry.route = [{ ...entry.route[0], weight: 100 - c.weightPercent }, { destination, weight: c.weightPercent }];
    }
    if (c.header !== undefined) {
      // Istio header matches take lower-case names; without a value the header's presence selects the canary.
      const headerMatch = { [c.header.toLowerCase()]: c.headerValue !== undefined ? { exact: c.headerValue } : { regex: '.+' } };
      host.http.splice(index, 0, { ...entry, match: entry.match.map((m: any) => ({ ...m, headers: headerMatch })), route: [{ destination }] });
      host.keys.splice(index, 0, `canary:${routeKey(r)}`);
    }
    touched.add(r.host);
  }
  for (const h of touched) {
    const host = primary.hosts.get(h)!;
    host.vs.addJsonPatch(JsonPatch.replace('/spec/http', host.http));
  }
}

/**
 * Source ranges as a DENY AuthorizationPolicy on the gateway workload, scoped to this TlsIngress's
 * hosts and paths: a request for them from a client outside the ranges gets 403. DENY, not ALLOW:
 * an ALLOW policy on the shared gateway would deny every other host's traffic too.
 * `remoteIpBlocks` is the client address the gateway derives from X-Forwarded-For (its
 * `numTrustedProxies`) or the PROXY protocol; without either it is the load balancer's address.
 */
function sourceRangePolicy(ctx: RenderContext, ranges: string[]): void {
  const rules: security.AuthorizationPolicySpecRules[] = ctx.hosts.map((host) => {
    const hostRules = ctx.rules.filter((r) => r.host === host);
    const everything = hostRules.some((r) => r.pathType === IngressPathType.PREFIX && r.path === '/');
    const paths = everything ? undefined : hostRules.flatMap((r) => (r.pathType === IngressPathType.EXACT ? [r.path] : [r.path.replace(/\/$/, ''), `${r.path.replace(/\/$/, '')}/*`]));
    // The Host header may carry a port: match both forms.
    return { from: [{ source: { notRemoteIpBlocks: [...ranges] } }], to: [{ operation: { hosts: [host, `${host}:*`], paths } }] };
  });
  new securityMod.AuthorizationPolicy(ctx.scope, 'SourceRanges', {
    metadata: { name: childName(ctx.namespace!, ctx.ingressName, 'source-ranges'), namespace: ctx.controller.namespace, labels: LABELS },
    spec: { selector: { matchLabels: { ...ctx.controller.podLabels } }, action: securityMod.AuthorizationPolicySpecAction.DENY, rules },
  });
}

/** @internal */
export function istioRenderer(): ProfileRenderer {
  return {
    certificateKinds: ['secret', 'cert-manager', 'cert-manager-certificate'],
    versions: ISTIO_VERSIONS,
    secretInControllerNamespace: true,
    defaultBackendProblem: 'a VirtualService routes named hosts only',
    certificateAdvice: 'the Istio gateway reads certificates from Secrets in its own namespace: use TlsCertificate.secret(), certManager() or certManagerCertificate()',
    prepare: (ctx, sink) => {
      sink.renderIngress = false;
      if (ctx.namespace === undefined) {
        fail(ctx.scope, 'TlsIngress.namespace is not set, but the Istio Gateway lives in the gateway namespace and must name the routes\' namespace; set TlsIngress.namespace or the chart namespace.');
      }
      sink.state.http = {};
    },
    handlers: {
      sslRedirect: (_ctx, sink, on) => { sink.state.redirect = on; },
      hsts: (_ctx, sink, h) => {
        if (h.enabled) sink.state.http.headers = { response: { set: { 'Strict-Transport-Security': hstsHeaderValue(h) } } };
      },
      rateLimit: (ctx, _s, v) => unsupported(ctx, 'rateLimit', v, 'Istio rate-limits only through EnvoyFilters on the gateway', NOT_ON_GATEWAY),
      timeouts: (ctx, sink, t) => {
        // A VirtualService route timeout (HTTPRoute.timeout) covers the whole request and response.
        for (const k of ['connectSeconds', 'readSeconds', 'sendSeconds'] as const) {
          if (t[k] !== undefined) {
            unsupported(ctx, `timeouts.${k}`, t[k], 'a VirtualService has one timeout, for the whole request and response (HTTPRoute.timeout), not connect/read/send timeouts',
              'set timeouts.responseSeconds instead');
          }
        }
        if (t.responseSeconds !== undefined) sink.state.http.timeout = `${t.responseSeconds}s`;
      },
      maxRequestBodyBytes: (ctx, _s, v) => unsupported(ctx, 'maxRequestBodyBytes', v, 'Istio limits request bodies only through EnvoyFilters', NOT_ON_GATEWAY),
      allowSourceRanges: (_ctx, sink, ranges) => { sink.state.sourceRanges = ranges; },
      basicAuthSecret: (ctx, _s, v) => unsupported(ctx, 'basicAuthSecret', v, 'Istio has no basic authentication', 'use a RequestAuthentication (JWT) or an external authorizer'),
      externalAuthUrl: (ctx, _s, v) => unsupported(ctx, 'externalAuthUrl', v, 'Istio calls external authorizers registered in the mesh config (extensionProviders), not URLs',
        'register the authorizer as an extension provider and write a CUSTOM AuthorizationPolicy'),
      backendProtocol: (ctx, _s, p) => {
        if (p !== BackendProtocol.HTTP) {
          unsupported(ctx, 'backendProtocol', p, 'Istio takes the upstream protocol from the Service port (appProtocol or a grpc-/https- name prefix) and upstream TLS from a DestinationRule',
            'set appProtocol on the Service port');
        }
      },
      cors: (_ctx, sink, c) => {
        sink.state.http.corsPolicy = {
          allowOrigins: c.allowOrigins.map((o) => ({ exact: o })),
          allowMethods: [...c.allowMethods],
          allowHeaders: c.allowHeaders ? [...c.allowHeaders] : undefined,
          allowCredentials: c.allowCredentials,
          maxAge: c.maxAgeSeconds !== undefined ? `${c.maxAgeSeconds}s` : undefined,
        };
      },
      retries: (_ctx, sink, r) => {
        // VirtualService HTTPRetry, written by the mesh's Istio renderer (one renderer for both).
        sink.state.http.retries = istioRetries(meshRetries(r));
      },
      circuitBreaker: (ctx, _s, v) => unsupported(ctx, 'circuitBreaker', v,
        'its connection limits live in a DestinationRule (trafficPolicy.connectionPool), which applies to every client of the Service in the mesh, not only to the gateway',
        'write a DestinationRule yourself, or leave circuitBreaker unset'),
      canary: (ctx, _s, c) => mergeCanary(ctx, c),
    },
    finish: (ctx, sink) => {
      if (ctx.isCanary) return; // merged into the primary's VirtualServices
      const gwNs = ctx.controller.namespace;
      const gwName = childName(ctx.namespace!, ctx.ingressName);
      const secretName = ctx.tlsSecretName!;
      if (ctx.certificate._kind === 'cert-manager' || ctx.certificate._kind === 'cert-manager-certificate') {
        // cert-manager's ingress-shim does not watch Istio Gateways: always an explicit Certificate.
        ctx.certificate._renderCertificate(ctx.scope, 'Certificate', secretName, gwNs, secretName, ctx.hosts);
      }
      const hosts = ctx.hosts.map((h) => `${ctx.namespace}/${h}`);
      const servers: istio.GatewaySpecServers[] = [{
        name: 'https',
        port: { number: 443, name: 'https', protocol: 'HTTPS' },
        hosts,
        tls: {
          mode: istioMod.GatewaySpecServersTlsMode.SIMPLE,
          credentialName: secretName,
          minProtocolVersion: istioMod.GatewaySpecServersTlsMinProtocolVersion.TLSV1_UNDERSCORE_2,
        },
      }];
      if (sink.state.redirect) {
        servers.push({ name: 'http', port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts, tls: { httpsRedirect: true } });
      }
      new istioMod.Gateway(ctx.scope, 'Gateway', {
        metadata: { name: gwName, namespace: gwNs, labels: LABELS },
        spec: { selector: { ...ctx.controller.podLabels }, servers },
      });
      // Istio evaluates routes in order: exact before prefix, longer paths first.
      const ordered = [...ctx.rules].sort((a, b) => (a.pathType === b.pathType
        ? b.path.length - a.path.length
        : a.pathType === IngressPathType.EXACT ? -1 : 1));
      const routes: RenderedRoutes = { hosts: new Map() };
      for (const host of ctx.hosts) {
        const rules = ordered.filter((r) => r.host === host);
        const http: istio.VirtualServiceSpecHttp[] = rules.map((r) => ({
          match: matches(r),
          route: [{ destination: { host: destinationHost(ctx, r), port: { number: r.backend.servicePortNumber } } }],
          ...sink.state.http,
        }));
        const vs = new istioMod.VirtualService(ctx.scope, `VirtualService${host.replace(/\*/g, 'Wildcard')}`, {
          metadata: { name: childName(ctx.ingressName, host.replace(/^\*\./, 'wildcard.')), namespace: ctx.namespace, labels: LABELS },
          spec: { hosts: [host], gateways: [`${gwNs}/${gwName}`], http },
        });
        routes.hosts.set(host, { vs, http: http.map((h) => istioMod.toJson_VirtualServiceSpecHttp(h)), keys: rules.map(routeKey) });
      }
      renderedRoutes.set(ctx.scope, routes);
      if (sink.state.sourceRanges) sourceRangePolicy(ctx, sink.state.sourceRanges);
    },
  };
}
