/**
 * Traefik (class `traefik`, controller `traefik.io/ingress-controller`): router annotations plus
 * `traefik.io/v1alpha1` Middleware objects for what Traefik has no annotation for.
 *
 * Rate limits and in-flight limits count per Traefik instance. HTTP->HTTPS redirect is a second
 * Ingress on the `web` entry point with a redirectScheme Middleware, unless the entry point
 * redirects already (`TraefikOptions.redirectAtEntryPoint`).
 *
 * That redirect Ingress has no `spec.tls` and cannot have one: Traefik turns an Ingress's
 * `spec.tls` into router TLS, and a TLS router ignores plain-HTTP requests. Policy checks that
 * demand `spec.tls` on every Ingress (Polaris tlsSettingsMissing, Kyverno require-ingress-https)
 * therefore flag it: it carries Polaris' `polaris.fairwinds.com/tlsSettingsMissing-exempt: "true"`,
 * and docs/compliance.md has the Kyverno PolicyException for it. The alternative is the entry-point redirect in Traefik's static
 * configuration (`entryPoints.web.http.redirections.entryPoint.to=websecure`,
 * `scheme=https`, `permanent=true`; Helm: `ports.web.redirections.entryPoint`) with
 * `redirectAtEntryPoint: true`, which writes no plain-HTTP Ingress at all.
 *
 * @see https://doc.traefik.io/traefik/routing/providers/kubernetes-ingress/
 * @internal
 */
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { ProfileRenderer, RenderContext, RenderSink, annotateService, childName, unsupported } from './render';
import { VersionTable } from './versions';
import { fail } from '../../core/errors';
import { LabelKeys } from '../../core/labels';
import { lazyModule } from '../../core/lazy-module';
import type * as traefik from '../../imports/traefik.io';
import { BackendProtocol, ResolvedOptions, ResolvedRetries, RetryOn } from '../ingress-options';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const traefikMod = lazyModule((): typeof traefik => require('../../imports/traefik.io'));

const R = 'traefik.ingress.kubernetes.io/router.';

/**
 * Traefik releases (traefik/traefik, `v*` tags). Every router annotation written here predates 3.0.
 * @internal
 */
export const TRAEFIK_VERSIONS: VersionTable = {
  newest: '3.7',
  oldest: '3.0',
  // pkg/config/dynamic/middlewares.go @ v3.0.0 renames IPWhiteList to IPAllowList.
  oldestReason: 'the first release with the ipAllowList Middleware, which 2.x calls ipWhiteList',
  keys: {},
};

/** @internal */
export const TRAEFIK_DEFAULTS = {
  displayName: 'Traefik',
  className: 'traefik',
  controllerName: 'traefik.io/ingress-controller',
  namespace: 'traefik',
  podLabels: { 'app.kubernetes.io/name': 'traefik' },
};

/** @internal */
export interface TraefikSettings {
  readonly httpsEntryPoint: string;
  readonly httpEntryPoint: string;
  readonly redirectAtEntryPoint: boolean;
}

/**
 * The Middleware specs of the neutral options, shared by the Ingress profile and the Gateway API
 * profile (which references them through ExtensionRef filters).
 * @internal
 */
export const traefikMiddlewareSpecs = {
  rateLimit: (requestsPerSecond: number, burst?: number): traefik.MiddlewareSpec =>
    ({ rateLimit: { average: requestsPerSecond, period: traefikMod.MiddlewareSpecRateLimitPeriod.fromString('1s'), burst } }),
  inFlight: (connections: number): traefik.MiddlewareSpec =>
    ({ inFlightReq: { amount: connections, sourceCriterion: { ipStrategy: { depth: 0 } } } }),
  bodySize: (bytes: number): traefik.MiddlewareSpec => ({ buffering: { maxRequestBodyBytes: bytes } }),
  allowList: (ranges: string[]): traefik.MiddlewareSpec => ({ ipAllowList: { sourceRange: [...ranges] } }),
  basicAuth: (secret: string): traefik.MiddlewareSpec => ({ basicAuth: { secret } }),
  forwardAuth: (url: string): traefik.MiddlewareSpec => ({ forwardAuth: { address: url } }),
  retry: (scope: IConstruct, construct: string, displayName: string, r: ResolvedRetries): traefik.MiddlewareSpec => {
    // The retry Middleware (doc.traefik.io/traefik/v3.0/middlewares/http/retry/): `attempts` counts every try, and it
    // retries only when the backend does not answer; status-based retries (`status`) came later and are not written.
    if (r.perTryTimeoutSeconds !== undefined) {
      fail(scope, `${construct}.retries.perTryTimeoutSeconds is ${r.perTryTimeoutSeconds}, but ${displayName} cannot express it: its retry Middleware has no per-try timeout; leave perTryTimeoutSeconds unset.`);
    }
    if (r.retryOn.includes(RetryOn.GATEWAY_ERROR)) {
      fail(scope, `${construct}.retries.retryOn contains "GATEWAY_ERROR", but ${displayName} cannot express it: its retry Middleware retries only when the backend does not answer (3.0); retry on RetryOn.CONNECTION_ERROR only.`);
    }
    return { retry: { attempts: r.attempts + 1 } };
  },
  corsHeaders: (c: NonNullable<ResolvedOptions['cors']>): { [key: string]: any } => ({
    accessControlAllowOriginList: [...c.allowOrigins],
    accessControlAllowMethods: [...c.allowMethods],
    accessControlAllowHeaders: c.allowHeaders ? [...c.allowHeaders] : undefined,
    accessControlAllowCredentials: c.allowCredentials,
    accessControlMaxAge: c.maxAgeSeconds,
    addVaryHeader: true,
  }),
};

function headers(sink: RenderSink): { [key: string]: any } {
  sink.state.headers ??= {};
  return sink.state.headers;
}

function middleware(ctx: RenderContext, concern: string, spec: traefik.MiddlewareSpec): string {
  if (ctx.namespace === undefined) {
    fail(ctx.scope, 'TlsIngress.namespace is not set, but Traefik refers to Middlewares as <namespace>-<name>@kubernetescrd; set TlsIngress.namespace or the chart namespace.');
  }
  const name = childName(ctx.ingressName, concern);
  new traefikMod.Middleware(ctx.scope, `Middleware${concern.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}`, {
    metadata: { name, namespace: ctx.namespace, labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE } },
    spec,
  });
  return `${ctx.namespace}-${name}@kubernetescrd`;
}

function use(sink: RenderSink, ref: string) {
  sink.state.middlewares ??= [];
  sink.state.middlewares.push(ref);
}

const S = 'traefik.ingress.kubernetes.io/service.';

/** @internal */
export function traefikRenderer(settings: TraefikSettings): ProfileRenderer {
  return {
    certificateKinds: ['secret', 'cert-manager', 'cert-manager-certificate'],
    versions: TRAEFIK_VERSIONS,
    certificateAdvice: 'Traefik serves certificates from Secrets: use TlsCertificate.secret(), certManager() or certManagerCertificate()',
    prepare: (_ctx, sink) => {
      sink.annotate(`${R}entrypoints`, settings.httpsEntryPoint, 'controller');
      sink.annotate(`${R}tls`, 'true', 'controller');
    },
    handlers: {
      sslRedirect: (_ctx, sink, on) => { sink.state.redirect = on; },
      hsts: (_ctx, sink, h) => {
        if (!h.enabled) return;
        Object.assign(headers(sink), { stsSeconds: h.maxAgeSeconds, stsIncludeSubdomains: h.includeSubdomains, stsPreload: h.preload });
      },
      rateLimit: (ctx, sink, r) => {
        if (r.requestsPerSecond !== undefined) use(sink, middleware(ctx, 'rate-limit', traefikMiddlewareSpecs.rateLimit(r.requestsPerSecond, r.burst)));
        if (r.connections !== undefined) use(sink, middleware(ctx, 'in-flight', traefikMiddlewareSpecs.inFlight(r.connections)));
      },
      timeouts: (ctx, _sink, t) => {
        // ServersTransport forwardingTimeouts (traefik.io/v1alpha1): dialTimeout is the connect timeout; responseHeaderTimeout waits
        // for the response headers only, idleConnTimeout is for pooled idle connections: none is a read, send or whole-response timeout.
        for (const k of ['readSeconds', 'sendSeconds', 'responseSeconds'] as const) {
          if (t[k] !== undefined) {
            unsupported(ctx, `timeouts.${k}`, t[k], 'its ServersTransport times out connecting (dialTimeout) and waiting for response headers (responseHeaderTimeout), ' +
              'not between reads or writes, nor over the whole response', 'leave it unset (timeouts.connectSeconds is rendered as dialTimeout)');
          }
        }
        if (ctx.namespace === undefined) {
          fail(ctx.scope, 'TlsIngress.namespace is not set, but Traefik refers to ServersTransports as <namespace>-<name>@kubernetescrd; set TlsIngress.namespace or the chart namespace.');
        }
        const name = childName(ctx.ingressName, 'transport');
        new traefikMod.ServersTransport(ctx.scope, 'ServersTransport', {
          metadata: { name, namespace: ctx.namespace, labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE } },
          spec: { forwardingTimeouts: { dialTimeout: traefikMod.ServersTransportSpecForwardingTimeoutsDialTimeout.fromString(`${t.connectSeconds}s`) } },
        });
        // The backend Service names the transport (pkg/provider/kubernetes/ingress annotations, service.serverstransport).
        for (const b of ctx.backends) annotateService(ctx, b, `${S}serverstransport`, `${ctx.namespace}-${name}@kubernetescrd`, 'timeouts');
      },
      maxRequestBodyBytes: (ctx, sink, n) => use(sink, middleware(ctx, 'body-size', traefikMiddlewareSpecs.bodySize(n))),
      allowSourceRanges: (ctx, sink, ranges) => use(sink, middleware(ctx, 'allow-list', traefikMiddlewareSpecs.allowList(ranges))),
      basicAuthSecret: (ctx, sink, secret) => use(sink, middleware(ctx, 'basic-auth', traefikMiddlewareSpecs.basicAuth(secret))),
      externalAuthUrl: (ctx, sink, url) => use(sink, middleware(ctx, 'forward-auth', traefikMiddlewareSpecs.forwardAuth(url))),
      backendProtocol: (ctx, _sink, p) => {
        // service.serversscheme on the backend Service: http, https or h2c (cleartext HTTP/2, which gRPC uses here).
        const scheme = p === BackendProtocol.HTTPS ? 'https' : p === BackendProtocol.GRPC ? 'h2c' : 'http';
        for (const b of ctx.backends) annotateService(ctx, b, `${S}serversscheme`, scheme, 'backendProtocol');
      },
      cors: (_ctx, sink, c) => Object.assign(headers(sink), traefikMiddlewareSpecs.corsHeaders(c)),
      circuitBreaker: (ctx, _sink, v) => unsupported(ctx, 'circuitBreaker', v, 'its circuitBreaker Middleware trips on an error-ratio or latency expression, not on connection or request counts',
        'leave circuitBreaker unset, or use TlsGateway with GatewayImplementation.envoyGateway()'),
      retries: (ctx, sink, r) => use(sink, middleware(ctx, 'retry', traefikMiddlewareSpecs.retry(ctx.scope, 'TlsIngress', ctx.controller.displayName, r))),
      canary: (ctx, _sink, v) => unsupported(ctx, 'canary', v, 'Traefik splits traffic with weighted TraefikServices, which an Ingress cannot reference',
        'use an IngressRoute with a weighted TraefikService, or TlsGateway'),
    },
    finish: (ctx, sink) => {
      if (sink.state.headers) sink.state.middlewares = [middleware(ctx, 'headers', { headers: sink.state.headers }), ...sink.state.middlewares ?? []];
      if (sink.state.middlewares?.length) sink.annotate(`${R}middlewares`, sink.state.middlewares.join(','), 'controller');
      if (sink.state.redirect && !settings.redirectAtEntryPoint) {
        // A router on the plain-HTTP entry point whose only job is the permanent redirect. It names
        // the class too, or another controller watching class-less Ingresses could take it. It has
        // no spec.tls on purpose: Traefik makes the router of an Ingress with spec.tls TLS-only,
        // so it would never see the plain-HTTP requests it exists to redirect.
        const redirect = middleware(ctx, 'redirect-https', { redirectScheme: { scheme: 'https', permanent: true } });
        const spec = ctx.ingressSpec();
        new k8s.KubeIngress(ctx.scope, 'HttpRedirect', {
          metadata: {
            name: childName(ctx.ingressName, 'http-redirect'),
            namespace: ctx.namespace,
            labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE },
            annotations: {
              [`${R}entrypoints`]: settings.httpEntryPoint,
              [`${R}middlewares`]: redirect,
              // Polaris' own opt-out; Kyverno has none (docs/compliance.md: a PolicyException).
              'polaris.fairwinds.com/tlsSettingsMissing-exempt': 'true',
              // And ours (NET040 ingress-without-tls), read by synth validation, the plugin and cdk8s-net check.
              'ignore-check.cdk8s-net.io/ingress-without-tls': 'plain-HTTP router that only redirects to HTTPS (TlsIngress, Traefik profile)',
            },
          },
          spec: { ...spec, ingressClassName: ctx.controller.className, tls: undefined },
        });
      }
    },
  };
}
