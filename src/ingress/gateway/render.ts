/**
 * The contract between `TlsGateway` and the Gateway API implementation profiles: like the
 * Ingress controller profiles, a table with one handler per neutral option (the compiler checks
 * that none is missing), which renders the option into standard Gateway API fields, the
 * implementation's policy resources, or an error naming the implementation and the option.
 *
 * @internal
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { GatewayImplementationInfo } from './implementation';
import { fail } from '../../core/errors';
import { LabelKeys } from '../../core/labels';
import { lazyModule } from '../../core/lazy-module';
import type * as btp from '../../imports/btp-gateway.envoyproxy.io';
import type * as gw from '../../imports/gateway.networking.k8s.io';
import type * as sp from '../../imports/sp-gateway.envoyproxy.io';
import type * as traefik from '../../imports/traefik.io';
import { childName, show } from '../controllers/render';
import { traefikMiddlewareSpecs } from '../controllers/traefik';
import { BackendProtocol, CanaryOptions, OptionKey, ResolvedOptions, envoyRetryOn, hstsHeaderValue } from '../ingress-options';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gwMod = lazyModule((): typeof gw => require('../../imports/gateway.networking.k8s.io'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const btpMod = lazyModule((): typeof btp => require('../../imports/btp-gateway.envoyproxy.io'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const spMod = lazyModule((): typeof sp => require('../../imports/sp-gateway.envoyproxy.io'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const traefikMod = lazyModule((): typeof traefik => require('../../imports/traefik.io'));

/** The implementation profiles. @internal */
export type GatewayProfileName = 'envoy-gateway' | 'istio' | 'cilium' | 'traefik' | 'nginx-gateway-fabric' | 'gke' | 'generic';

/** Everything a Gateway profile renders from. @internal */
export interface GatewayRenderContext {
  readonly scope: Construct;
  readonly impl: GatewayImplementationInfo;
  /** Name of the TlsGateway (objects are named after it). */
  readonly name: string;
  /** Namespace of the routes and policies. */
  readonly namespace?: string;
  readonly options: ResolvedOptions;
  /** The construct name used in messages (`TlsGateway`). */
  readonly construct: string;
}

/** What the option handlers produce. @internal */
export class GatewaySink {
  /** Filters added to every routing rule, in order. */
  public readonly filters: gw.HttpRouteSpecRulesFilters[] = [];
  /** Whether an HTTP listener with a redirect-only route is written. */
  public httpRedirect = false;
  /** BackendTrafficPolicy spec fields (Envoy Gateway). */
  public readonly backendTraffic: { [key: string]: any } = {};
  /** SecurityPolicy spec fields (Envoy Gateway). */
  public readonly security: { [key: string]: any } = {};
  /** Objects the SecurityPolicy references in other namespaces (they need ReferenceGrants). */
  public readonly securityRefs: Array<{ namespace: string; service: string }> = [];
  /** The backends speak TLS: a BackendTLSPolicy per backend Service. */
  public backendTls = false;
  /** The backends speak gRPC: GRPCRoutes instead of HTTPRoutes. */
  public grpc = false;
  /** HTTPRoute `timeouts.backendRequest`, in seconds (`timeouts.responseSeconds`). */
  public backendRequestTimeoutSeconds?: number;
  /** This TlsGateway is the canary of another. */
  public canary?: CanaryOptions;
}

/** A handler renders one option or throws. @internal */
export type GatewayOptionHandlers = {
  [K in OptionKey]: (ctx: GatewayRenderContext, sink: GatewaySink, value: NonNullable<ResolvedOptions[K]>) => void
};

/** A Gateway profile's renderer. @internal */
export interface GatewayProfileRenderer {
  readonly handlers: GatewayOptionHandlers;
  /** Writes the policy objects, once the routes exist. */
  finish?(ctx: GatewayRenderContext, sink: GatewaySink, routes: ApiObject[]): void;
}

/**
 * Throws the error for an option an implementation cannot express:
 * `<path>: TlsGateway.<field> is <value>, but <implementation> cannot express it: <why>; <what to do>.`
 * @internal
 */
export function gatewayUnsupported(ctx: GatewayRenderContext, field: string, value: unknown, why: string, instead: string): never {
  return fail(ctx.scope, `${ctx.construct}.${field} is ${show(value)}, but ${ctx.impl.displayName} (Gateway API) cannot express it: ${why}; ${instead}.`);
}

function hasFeature(ctx: GatewayRenderContext, feature: string): boolean {
  return ctx.impl.features.includes(feature);
}

const NO_POLICY = (ctx: GatewayRenderContext) => ctx.impl.profile === 'generic'
  ? 'a generic implementation renders standard Gateway API resources only'
  : `Gateway API has no standard field for it and ${ctx.impl.displayName}'s policy resources are not available to this library`;

const refuse = (field: OptionKey, instead: string) => (ctx: GatewayRenderContext, _sink: GatewaySink, value: unknown) =>
  gatewayUnsupported(ctx, field, value, NO_POLICY(ctx), instead);

const TIMEOUT_WHY = 'Gateway API bounds whole requests (HTTPRoute timeouts.request, timeouts.backendRequest), not the connect, read and send phases';

/**
 * `timeouts.responseSeconds` is HTTPRoute `timeouts.backendRequest`: the time from the request being
 * sent to the backend to its full response (Gateway API feature HTTPRouteBackendTimeout).
 */
function responseTimeout(ctx: GatewayRenderContext, sink: GatewaySink, seconds: number | undefined): void {
  if (seconds === undefined) return;
  if (!hasFeature(ctx, 'HTTPRouteBackendTimeout')) {
    gatewayUnsupported(ctx, 'timeouts.responseSeconds', seconds, 'its conformance report does not list HTTPRoute backend timeouts (HTTPRouteBackendTimeout)', 'leave it unset');
  }
  sink.backendRequestTimeoutSeconds = seconds;
}

/** The handlers every profile shares: standard Gateway API fields, refusals for the rest. @internal */
export function standardHandlers(): GatewayOptionHandlers {
  return {
    sslRedirect: (_ctx, sink, on) => { sink.httpRedirect = on; },
    hsts: (_ctx, sink, h) => {
      if (!h.enabled) return;
      sink.filters.push({
        type: gwMod.HttpRouteSpecRulesFiltersType.RESPONSE_HEADER_MODIFIER,
        responseHeaderModifier: { set: [{ name: 'Strict-Transport-Security', value: hstsHeaderValue(h) }] },
      });
    },
    cors: (ctx, sink, c) => {
      if (!hasFeature(ctx, 'HTTPRouteCORS')) {
        gatewayUnsupported(ctx, 'cors', c, 'its conformance report does not list the HTTPRoute CORS filter (HTTPRouteCORS)', 'answer CORS in the application, or choose an implementation that supports it');
      }
      sink.filters.push({
        type: gwMod.HttpRouteSpecRulesFiltersType.CORS,
        cors: {
          allowOrigins: [...c.allowOrigins],
          allowMethods: c.allowMethods as gw.HttpRouteSpecRulesFiltersCorsAllowMethods[],
          allowHeaders: c.allowHeaders ? [...c.allowHeaders] : undefined,
          allowCredentials: c.allowCredentials,
          maxAge: c.maxAgeSeconds,
        },
      });
    },
    timeouts: (ctx, sink, t) => {
      if (t.connectSeconds !== undefined || t.readSeconds !== undefined || t.sendSeconds !== undefined) {
        gatewayUnsupported(ctx, 'timeouts', t, TIMEOUT_WHY, 'set only timeouts.responseSeconds (HTTPRoute timeouts.backendRequest), or leave timeouts unset');
      }
      responseTimeout(ctx, sink, t.responseSeconds);
    },
    rateLimit: refuse('rateLimit', 'rate-limit in front of the gateway, or choose GatewayImplementation.envoyGateway() or traefik()'),
    maxRequestBodyBytes: refuse('maxRequestBodyBytes', 'limit the body size in the application, or choose GatewayImplementation.envoyGateway() or traefik()'),
    allowSourceRanges: refuse('allowSourceRanges', 'restrict clients at the load balancer, or choose GatewayImplementation.envoyGateway() or traefik()'),
    basicAuthSecret: refuse('basicAuthSecret', 'authenticate in the application, or choose GatewayImplementation.envoyGateway() or traefik()'),
    externalAuthUrl: refuse('externalAuthUrl', 'authenticate in the application, or choose GatewayImplementation.envoyGateway() or traefik()'),
    backendProtocol: (ctx, sink, p) => {
      if (p === BackendProtocol.HTTPS) {
        if (!hasFeature(ctx, 'BackendTLSPolicy')) gatewayUnsupported(ctx, 'backendProtocol', p, 'it does not support BackendTLSPolicy', 'serve plain HTTP to the gateway');
        sink.backendTls = true;
      } else if (p === BackendProtocol.GRPC) {
        if (!hasFeature(ctx, 'GRPCRoute')) gatewayUnsupported(ctx, 'backendProtocol', p, 'its conformance report has no GRPCRoute (GATEWAY-GRPC) profile', 'choose an implementation that routes gRPC');
        sink.grpc = true;
      }
    },
    // HTTPRoute `retry` (HTTPRouteRetry) is in Gateway API's experimental channel only (apis/v1/httproute_types.go
    // @ v1.4.1, +<gateway:experimental>); the standard-channel CRDs this library writes against have no such field.
    retries: (ctx, _sink, r) => gatewayUnsupported(ctx, 'retries', r,
      ctx.impl.profile === 'generic' ? 'a generic implementation renders standard Gateway API resources only, and HTTPRoute retry is experimental-channel only'
        : `HTTPRoute retry is in Gateway API's experimental channel only, and ${ctx.impl.displayName}'s retry policy is not available to this library`,
      'leave retries unset, or choose GatewayImplementation.envoyGateway() or traefik()'),
    circuitBreaker: refuse('circuitBreaker', 'leave circuitBreaker unset, or choose GatewayImplementation.envoyGateway()'),
    canary: (_ctx, sink, c) => { sink.canary = c; },
  };
}

/** `targetRefs` naming the routes. */
function routeTargets(routes: ApiObject[]): Array<{ group: string; kind: string; name: string }> {
  return routes.map((r) => ({ group: 'gateway.networking.k8s.io', kind: r.kind, name: r.name }));
}

/**
 * Envoy Gateway v1.9.0: BackendTrafficPolicy and SecurityPolicy (`gateway.envoyproxy.io/v1alpha1`)
 * attached to the routes with `targetRefs`.
 */
function envoyGatewayRenderer(): GatewayProfileRenderer {
  const std = standardHandlers();
  return {
    handlers: {
      ...std,
      rateLimit: (ctx, sink, r) => {
        if (r.connections !== undefined) {
          gatewayUnsupported(ctx, 'rateLimit.connections', r.connections, 'its connection limits (circuitBreaker.maxConnections) count per backend, not per client',
            'leave rateLimit.connections unset');
        }
        if (r.burst !== undefined) {
          gatewayUnsupported(ctx, 'rateLimit.burst', r.burst, 'its per-client rate limit (global, with Distinct source CIDRs) counts requests per unit of time and has no burst',
            'leave rateLimit.burst unset');
        }
        // Local rate limits cannot count per client (site/content/en/latest/tasks/traffic/local-rate-limit.md @ v1.9.0:
        // "Local rate limiting does not support distinct matching"), so this is a global limit: one counter per
        // client address across all Envoy replicas, kept by Envoy Gateway's rate limit service (Redis).
        const rule = (cidr: string) => ({
          clientSelectors: [{
            sourceCidr: { type: btpMod.BackendTrafficPolicySpecRateLimitGlobalRulesClientSelectorsSourceCidrType.DISTINCT, value: cidr },
          }],
          limit: { requests: r.requestsPerSecond!, unit: btpMod.BackendTrafficPolicySpecRateLimitGlobalRulesLimitUnit.SECOND },
        });
        sink.backendTraffic.rateLimit = { global: { rules: [rule('0.0.0.0/0'), rule('::/0')] } };
      },
      timeouts: (ctx, sink, t) => {
        if (t.readSeconds !== undefined || t.sendSeconds !== undefined) {
          gatewayUnsupported(ctx, 'timeouts', t, `${TIMEOUT_WHY}; only the connect timeout has a field (BackendTrafficPolicy timeout.tcp.connectTimeout)`,
            'set timeouts.connectSeconds and timeouts.responseSeconds only');
        }
        if (t.connectSeconds !== undefined) sink.backendTraffic.timeout = { tcp: { connectTimeout: `${t.connectSeconds}s` } };
        responseTimeout(ctx, sink, t.responseSeconds);
      },
      maxRequestBodyBytes: (_ctx, sink, n) => {
        // BackendTrafficPolicy requestBuffer.limit: larger requests are rejected with 413.
        sink.backendTraffic.requestBuffer = { limit: btpMod.BackendTrafficPolicySpecRequestBufferLimit.fromNumber(n) };
      },
      allowSourceRanges: (_ctx, sink, ranges) => {
        sink.security.authorization = {
          defaultAction: spMod.SecurityPolicySpecAuthorizationDefaultAction.DENY,
          rules: [{ action: spMod.SecurityPolicySpecAuthorizationRulesAction.ALLOW, principal: { clientCidRs: [...ranges] } }],
        };
      },
      basicAuthSecret: (_ctx, sink, secret) => {
        // The Secret holds the htpasswd users under the key `.htpasswd` (SHA hashes only).
        sink.security.basicAuth = { users: { name: secret } };
      },
      retries: (_ctx, sink, r) => {
        // api/v1alpha1/retry_types.go @ envoyproxy/gateway v1.9.0: numRetries (retries after the first try),
        // perRetry.timeout, retryOn.triggers (Envoy's retry conditions).
        sink.backendTraffic.retry = {
          numRetries: r.attempts,
          perRetry: r.perTryTimeoutSeconds !== undefined ? { timeout: `${r.perTryTimeoutSeconds}s` } : undefined,
          retryOn: { triggers: envoyRetryOn(r.retryOn).map((t) => t as string as btp.BackendTrafficPolicySpecRetryRetryOnTriggers) },
        };
      },
      circuitBreaker: (_ctx, sink, c) => {
        // BackendTrafficPolicy circuitBreaker (api/v1alpha1/circuitbreaker_types.go @ envoyproxy/gateway v1.9.0):
        // maxConnections, maxPendingRequests, maxParallelRequests, counted per backendRef and per Envoy replica.
        sink.backendTraffic.circuitBreaker = {
          maxConnections: c.maxConnections, maxPendingRequests: c.maxPendingRequests, maxParallelRequests: c.maxParallelRequests,
        };
      },
      externalAuthUrl: (ctx, sink, url) => {
        const svc = inClusterService(url);
        if (!svc) {
          gatewayUnsupported(ctx, 'externalAuthUrl', url, 'its external authorization calls a Service (backendRefs), not a URL',
            'give an in-cluster URL such as http://auth.auth-system.svc.cluster.local:8080/verify');
        }
        sink.security.extAuth = { http: { backendRefs: [{ name: svc.service, namespace: svc.namespace, port: svc.port }], path: svc.path } };
        if (svc.namespace !== ctx.namespace) sink.securityRefs.push({ namespace: svc.namespace, service: svc.service });
      },
    },
    finish: (ctx, sink, routes) => {
      if (sink.grpc && sink.backendTraffic.requestBuffer) {
        // envoyproxy/gateway v1.9.0 api/v1alpha1/backendtrafficpolicy_types.go RequestBuffer: incompatible with
        // streaming APIs such as gRPC streaming; requests can hang.
        gatewayUnsupported(ctx, 'maxRequestBodyBytes', ctx.options.maxRequestBodyBytes, 'its request body limit buffers whole requests, which breaks gRPC streaming',
          'limit message sizes in the gRPC server, or leave maxRequestBodyBytes unset');
      }
      const labels = { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE };
      const metadata = (concern: string) => ({ name: childName(ctx.name, concern), namespace: ctx.namespace, labels });
      if (Object.keys(sink.backendTraffic).length > 0) {
        new btpMod.BackendTrafficPolicy(ctx.scope, 'BackendTrafficPolicy', { metadata: metadata('traffic'), spec: { targetRefs: routeTargets(routes), ...sink.backendTraffic } });
      }
      if (Object.keys(sink.security).length > 0) {
        new spMod.SecurityPolicy(ctx.scope, 'SecurityPolicy', { metadata: metadata('security'), spec: { targetRefs: routeTargets(routes), ...sink.security } });
        for (const ref of sink.securityRefs) {
          new gwMod.ReferenceGrant(ctx.scope, `ExtAuthGrant${ref.namespace}`, {
            metadata: { name: childName(ctx.name, ctx.namespace ?? '', 'ext-auth'), namespace: ref.namespace, labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE } },
            spec: {
              from: [{ group: 'gateway.envoyproxy.io', kind: 'SecurityPolicy', namespace: ctx.namespace ?? 'default' }],
              to: [{ group: '', kind: 'Service', name: ref.service }],
            },
          });
        }
      }
    },
  };
}

/** `http://svc.ns.svc[.cluster.local][:port]/path` as a Service reference. */
function inClusterService(url: string): { service: string; namespace: string; port: number; path: string } | undefined {
  const m = /^(https?):\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?(?::(\d+))?(\/[^?#]*)?$/.exec(url);
  if (!m) return undefined;
  return { service: m[2], namespace: m[3], port: m[4] ? Number(m[4]) : (m[1] === 'https' ? 443 : 80), path: m[5] ?? '/' };
}

/**
 * Traefik v3.7: `traefik.io/v1alpha1` Middlewares referenced from the route rules through
 * `ExtensionRef` filters (group `traefik.io`, kind `Middleware`), which Traefik's Gateway API
 * provider reads (doc.traefik.io/traefik/routing/providers/kubernetes-gateway/, "ExtensionRef").
 */
function traefikGatewayRenderer(): GatewayProfileRenderer {
  const use = (ctx: GatewayRenderContext, sink: GatewaySink, concern: string, spec: traefik.MiddlewareSpec) => {
    const name = childName(ctx.name, concern);
    new traefikMod.Middleware(ctx.scope, `Middleware${concern.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}`, {
      metadata: { name, namespace: ctx.namespace, labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE } },
      spec,
    });
    sink.filters.push({ type: gwMod.HttpRouteSpecRulesFiltersType.EXTENSION_REF, extensionRef: { group: 'traefik.io', kind: 'Middleware', name } });
  };
  const m = traefikMiddlewareSpecs;
  return {
    handlers: {
      ...standardHandlers(),
      rateLimit: (ctx, sink, r) => {
        if (r.requestsPerSecond !== undefined) use(ctx, sink, 'rate-limit', m.rateLimit(r.requestsPerSecond, r.burst));
        if (r.connections !== undefined) use(ctx, sink, 'in-flight', m.inFlight(r.connections));
      },
      maxRequestBodyBytes: (ctx, sink, n) => use(ctx, sink, 'body-size', m.bodySize(n)),
      allowSourceRanges: (ctx, sink, ranges) => use(ctx, sink, 'allow-list', m.allowList(ranges)),
      basicAuthSecret: (ctx, sink, secret) => use(ctx, sink, 'basic-auth', m.basicAuth(secret)),
      externalAuthUrl: (ctx, sink, url) => use(ctx, sink, 'forward-auth', m.forwardAuth(url)),
      cors: (ctx, sink, c) => use(ctx, sink, 'cors', { headers: m.corsHeaders(c) }),
      retries: (ctx, sink, r) => use(ctx, sink, 'retry', m.retry(ctx.scope, ctx.construct, `${ctx.impl.displayName} (Gateway API)`, r)),
    },
  };
}

/** The renderer of a profile. @internal */
export function gatewayRenderer(profile: GatewayProfileName): GatewayProfileRenderer {
  switch (profile) {
    case 'envoy-gateway': return envoyGatewayRenderer();
    case 'traefik': return traefikGatewayRenderer();
    default: return { handlers: standardHandlers() };
  }
}
