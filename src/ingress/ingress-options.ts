/**
 * The controller-neutral option set of a `TlsIngress`. Each controller profile renders it in its
 * own words (annotations, Middleware objects, FrontendConfig, ...) or refuses an option it cannot
 * express; an option is never dropped silently.
 */

import { MeshRetryOn, MeshRetryOptions } from '../mesh/options';

/** The protocol the controller speaks to the backend pods. */
export enum BackendProtocol {
  /** Plain HTTP/1.1. */
  HTTP = 'HTTP',
  /** HTTP over TLS: the backend terminates TLS itself. */
  HTTPS = 'HTTPS',
  /** gRPC (HTTP/2). */
  GRPC = 'GRPC',
}

/**
 * HTTP Strict Transport Security: tells browsers to use HTTPS only for this host.
 *
 * @see https://datatracker.ietf.org/doc/html/rfc6797
 */
export interface HstsOptions {
  /**
   * Send the `Strict-Transport-Security` header.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * `max-age`, in seconds.
   * @default 31536000 (one year; ingress-nginx's ConfigMap default)
   */
  readonly maxAgeSeconds?: number;
  /**
   * Add `includeSubDomains`: every subdomain must serve HTTPS too.
   * @default true (ingress-nginx's ConfigMap default)
   */
  readonly includeSubdomains?: boolean;
  /**
   * Add `preload`: consent to be listed in browsers' preload lists. Hard to undo.
   *
   * F5 NGINX always sends `preload` on Ingresses, so with that controller the default is true and
   * false is refused.
   * @default false (F5 NGINX: true)
   */
  readonly preload?: boolean;
}

/**
 * Request rate limits, per client IP.
 *
 * Most controllers count per controller replica (ingress-nginx, Traefik, HAProxy): with N
 * replicas a client may get up to N times the limit. Each profile documents how it counts.
 */
export interface RateLimitOptions {
  /**
   * Sustained requests per second.
   * @default - no request rate limit
   */
  readonly requestsPerSecond?: number;
  /**
   * Requests allowed above the sustained rate in a burst. Needs `requestsPerSecond`.
   * @default - the controller's default burst
   */
  readonly burst?: number;
  /**
   * Concurrent connections (or in-flight requests) per client.
   * @default - no connection limit
   */
  readonly connections?: number;
}

/** Timeouts between the controller and the backend. */
export interface TimeoutOptions {
  /**
   * Time to establish a connection to the backend, in seconds.
   * @default - the controller's default
   */
  readonly connectSeconds?: number;
  /**
   * Time to wait between two reads of the backend's response, in seconds.
   * @default - the controller's default
   */
  readonly readSeconds?: number;
  /**
   * Time to wait between two writes of the request to the backend, in seconds.
   * @default - the controller's default
   */
  readonly sendSeconds?: number;
  /**
   * Time the backend has to send its whole response, from the request on, in seconds (a
   * WebSocket connection is closed after this time too). Rendered where the controller has such a
   * timeout: GKE (BackendConfig `timeoutSec`) and Istio (VirtualService route `timeout`); the
   * nginx- and HAProxy-based controllers only time out between two reads (`readSeconds`).
   * @default - the controller's default (GKE: 30 seconds; Istio: none)
   */
  readonly responseSeconds?: number;
}

/** A failure after which the controller tries the request again (on another backend pod where it can). */
export enum RetryOn {
  /**
   * The connection to the backend failed, was reset, or timed out before a response header
   * arrived (Envoy `connect-failure` + `reset`; nginx `error timeout`; Traefik's network-error retry).
   */
  CONNECTION_ERROR = 'CONNECTION_ERROR',
  /** The backend answered 502, 503 or 504 (Envoy `gateway-error`; nginx `http_502 http_503 http_504`). */
  GATEWAY_ERROR = 'GATEWAY_ERROR',
}

/**
 * Retries of failed requests by the controller or gateway.
 *
 * Envoy-based targets (Envoy Gateway, Istio) retry requests of every method on the chosen
 * failures; ingress-nginx does not retry a non-idempotent request (POST, LOCK, PATCH) once it
 * was sent to a backend, unless its ConfigMap sets `retry-non-idempotent: "true"`.
 */
export interface RetryOptions {
  /**
   * Retries after the first try, 1-10 (Envoy `numRetries`, Istio `attempts`; ingress-nginx
   * `proxy-next-upstream-tries` and Traefik `attempts` count the first try too, so they get
   * `attempts + 1`).
   */
  readonly attempts: number;
  /**
   * Time each try has, in seconds (Envoy Gateway `perRetry.timeout`, Istio `perTryTimeout`).
   * Refused where the controller has no per-try timeout (ingress-nginx, Traefik).
   * @default - the route's own timeouts
   */
  readonly perTryTimeoutSeconds?: number;
  /**
   * The failures that are retried.
   * @default [RetryOn.CONNECTION_ERROR]
   */
  readonly retryOn?: RetryOn[];
}

/**
 * Limits on the traffic the gateway sends to the backends, past which it fails fast (503)
 * instead of queueing: Envoy circuit breakers.
 *
 * Each Envoy replica counts on its own (the counters are not shared), and each backend of a
 * route rule has its own counters. Envoy's default for each limit is 1024.
 */
export interface CircuitBreakerOptions {
  /**
   * Connections to a backend at once.
   * @default - the proxy's default (Envoy: 1024)
   */
  readonly maxConnections?: number;
  /**
   * Requests waiting for a connection; past it, requests get 503.
   * @default - the proxy's default (Envoy: 1024)
   */
  readonly maxPendingRequests?: number;
  /**
   * Requests in flight to a backend at once.
   * @default - the proxy's default (Envoy: 1024)
   */
  readonly maxParallelRequests?: number;
}

/**
 * Cross-Origin Resource Sharing: which other origins' pages may call these hosts.
 *
 * @see https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS
 */
export interface CorsOptions {
  /**
   * Origins allowed, each `https://host[:port]` (or `http://`).
   *
   * `*` is refused with credentials. HAProxy takes exactly one origin and no `*.` wildcard (it is
   * written as an anchored regular expression).
   */
  readonly allowOrigins: string[];
  /**
   * Methods allowed.
   * @default ['GET', 'POST', 'OPTIONS']
   */
  readonly allowMethods?: string[];
  /**
   * Request headers allowed.
   *
   * Unset, controllers whose own default is wider (ingress-nginx, HAProxy `*`) are given the
   * safelisted `Accept, Accept-Language, Content-Language` explicitly; list `Content-Type` to allow
   * JSON bodies and `Authorization` to allow credentials in headers.
   * @default - the CORS-safelisted headers only
   */
  readonly allowHeaders?: string[];
  /**
   * Allow credentials (cookies, authorization headers).
   * @default false
   */
  readonly allowCredentials?: boolean;
  /**
   * How long browsers may cache a preflight answer, in seconds.
   * @default - the controller's default
   */
  readonly maxAgeSeconds?: number;
}

/**
 * Makes a `TlsIngress` the canary of another: the same hosts and paths, served by other backends
 * for a share of the requests (by weight) or for requests that carry a header.
 */
export interface CanaryOptions {
  /** The primary TlsIngress whose routes this one shadows. */
  readonly primary: ICanaryPrimary;
  /**
   * Share of requests sent to the canary, 0-100.
   * @default - route by header only
   */
  readonly weightPercent?: number;
  /**
   * Send requests with this header to the canary (with `headerValue`, only that value).
   * @default - route by weight only
   */
  readonly header?: string;
  /**
   * The header value that selects the canary.
   * @default - the value `always` selects the canary, `never` the primary (ingress-nginx)
   */
  readonly headerValue?: string;
}

/**
 * What a canary shadows: a `TlsIngress`, a `TlsGateway`'s `asCanaryPrimary`, or an Ingress the app
 * made (`CanaryPrimary.fromIngress`).
 */
export interface ICanaryPrimary {
  /** The Ingress name. */
  readonly ingressName: string;
  /**
   * The Ingress namespace, when known.
   * @default - no namespace (the chart has none)
   */
  readonly ingressNamespace?: string;
  /** The routes, as `host + path`. */
  readonly routes: string[];
  /**
   * The secret that holds the TLS certificate of the primary, when it uses one.
   * @default - `<ingressName>-tls`
   */
  readonly tlsSecretName?: string;
  /**
   * The class of the primary's Ingress, when known: a canary's controller must be of that class.
   * @default - not checked
   */
  readonly ingressClassName?: string;
  /**
   * Whether the primary serves HTTPS only: its Ingress carries
   * `kubernetes.io/ingress.allow-http: "false"`. A `TlsIngress` canary of it then carries the
   * annotation too, since a canary serves plain HTTP as its primary does (ingress-gce reads the
   * annotation; policy tools such as Kyverno require-ingress-https check every Ingress).
   * @default false
   */
  readonly httpsOnly?: boolean;
}

/**
 * The controller-neutral routing options that `TlsIngress`, `TlsGateway` and a `SharedGateway`
 * route share (their props extend this interface).
 *
 * The controller profile or Gateway API implementation renders each set option in its own terms
 * (annotations, Middleware objects, FrontendConfig, policy objects, ...), or refuses it at synth
 * with an error that names the target; an option is never dropped silently. Being one type, one
 * option set can be written once and given to an Ingress and to a Gateway alike (in TypeScript,
 * spread it into `TlsIngressProps` or `TlsGatewayProps`).
 */
export interface RoutingOptions {
  /**
   * Redirect plain-HTTP requests to HTTPS (permanently).
   *
   * False leaves plain HTTP unanswered where the controller allows it (ALB: no HTTP listener;
   * GKE: `kubernetes.io/ingress.allow-http: "false"`) or served without a redirect.
   *
   * The Ingress carries `kubernetes.io/ingress.allow-http: "false"` (Kyverno
   * require-ingress-https) whenever plain HTTP is redirected or not served: with every profile
   * while this is true, and with ALB and Traefik (HTTPS entry point only) when it is false. Only
   * ingress-gce reads the annotation; GKE with the redirect leaves it unset, because the
   * FrontendConfig redirect is served by the plain-HTTP frontend that `"false"` would remove.
   * @default true
   */
  readonly sslRedirect?: boolean;
  /**
   * HTTP Strict Transport Security, in the controller's terms (annotation, middleware, response
   * header). ingress-nginx sets HSTS only in its ConfigMap, so there the values must equal the
   * ConfigMap defaults (or an `IngressNginxConfig`'s); F5 NGINX always adds `preload`, so there `preload` defaults
   * to true and false is refused. Controller-wide settings that can undo it: the ingress-nginx ConfigMap
   * `hsts*` keys (write them with `IngressNginxConfig`), F5 NGINX ConfigMap `hsts-behind-proxy`.
   * @default - enabled: max-age 31536000, includeSubDomains, no preload
   */
  readonly hsts?: HstsOptions;
  /**
   * Request rate and connection limits per client IP.
   *
   * Most controllers count per replica; see each controller profile. Controller-wide settings that
   * can undo it: the client-address settings listed under `allowSourceRanges` (a forged address is a
   * new client).
   * @default - no rate limit
   */
  readonly rateLimit?: RateLimitOptions;
  /**
   * Timeouts between the controller and the backends.
   * @default - the controller's defaults
   */
  readonly timeouts?: TimeoutOptions;
  /**
   * Largest request body accepted, in bytes; larger requests get 413.
   * @default - the controller's default (ingress-nginx and F5 NGINX: 1 MiB; Traefik and HAProxy: no limit)
   */
  readonly maxRequestBodyBytes?: number;
  /**
   * Client CIDRs allowed to connect (an allow list); other clients get 403.
   *
   * The controller must see the client address (no SNAT in front of it, or PROXY protocol).
   *
   * Controller-wide settings that can undo it: ingress-nginx `use-forwarded-headers`/`enable-real-ip`
   * and F5 NGINX `real-ip-header` (the address then comes from a header a client may forge);
   * HAProxy ConfigMap `src-ip-header`; Traefik entry point `forwardedHeaders.insecure`; ALB
   * IngressClassParams `inboundCIDRs` (replaces the ranges) and `security-groups` on any Ingress of
   * the group; Istio gateway `numTrustedProxies` (the address `remoteIpBlocks` sees); F5 NGINX
   * `-enable-custom-resources=false` (its Policy is ignored).
   * @default - every client is allowed
   */
  readonly allowSourceRanges?: string[];
  /**
   * Name of a Secret in the Ingress namespace with htpasswd users; requests need HTTP basic
   * authentication against it.
   *
   * The Secret's type and key depend on the controller (F5 NGINX: type `nginx.org/htpasswd`, key
   * `htpasswd`; ingress-nginx: key `auth`; Traefik: key `users`; HAProxy: one key per user name
   * whose value is a crypt(3) hash, e.g. from `openssl passwd -6`, plain-text passwords refused).
   * @default - no basic authentication
   */
  readonly basicAuthSecret?: string;
  /**
   * An http(s) URL the controller calls for each request (forward auth); a 2xx answer admits
   * the request. Exclusive with `basicAuthSecret`.
   * @default - no external authentication
   */
  readonly externalAuthUrl?: string;
  /**
   * The protocol the controller speaks to the backends.
   * @default - the controller's default, plain HTTP
   */
  readonly backendProtocol?: BackendProtocol;
  /**
   * Answer CORS preflights and add CORS headers for the listed origins.
   * @default - no CORS headers: browsers refuse cross-origin calls that need them
   */
  readonly cors?: CorsOptions;
  /**
   * Retry failed requests: how often, on which failures, and how long each try may take.
   *
   * Rendered by ingress-nginx (`proxy-next-upstream*`), Traefik (a `retry` Middleware), Istio
   * (VirtualService `retries`) and Envoy Gateway (BackendTrafficPolicy `retry`); refused elsewhere.
   * Controller-wide settings that change it: ingress-nginx ConfigMap `retry-non-idempotent`.
   * @default - the controller's default (ingress-nginx: 3 tries on `error timeout`; Istio: 2 retries; others: none)
   */
  readonly retries?: RetryOptions;
  /**
   * Circuit breaking: limits on connections and requests to the backends, past which the gateway
   * answers 503 at once. Rendered by Envoy Gateway (BackendTrafficPolicy `circuitBreaker`);
   * refused elsewhere. Each Envoy replica counts on its own.
   * @default - the controller's defaults (Envoy: 1024 for each limit)
   */
  readonly circuitBreaker?: CircuitBreakerOptions;
  /**
   * Make this route the canary of another one (same hosts and paths), by weight or header: a
   * TlsIngress of a TlsIngress or of an Ingress the app made (`CanaryPrimary.fromIngress`), a
   * TlsGateway of a TlsGateway (`primary: gateway.asCanaryPrimary`); a GatewayRoute refuses it.
   *
   * A canary takes its certificate and every other option from its primary.
   * @default - not a canary
   */
  readonly canary?: CanaryOptions;
}

/**
 * The option set after defaults, as controller profiles see it. Only set options are present.
 * @internal
 */
export interface ResolvedOptions {
  readonly sslRedirect: boolean;
  readonly hsts: Required<HstsOptions>;
  /** Whether the user set any hsts field (so a profile may tell defaults from requests). */
  readonly hstsExplicit: HstsOptions;
  readonly rateLimit?: RateLimitOptions;
  readonly timeouts?: TimeoutOptions;
  readonly maxRequestBodyBytes?: number;
  readonly allowSourceRanges?: string[];
  readonly basicAuthSecret?: string;
  readonly externalAuthUrl?: string;
  readonly backendProtocol?: BackendProtocol;
  readonly cors?: Required<Omit<CorsOptions, 'maxAgeSeconds' | 'allowHeaders'>> & Pick<CorsOptions, 'maxAgeSeconds' | 'allowHeaders'>;
  readonly retries?: ResolvedRetries;
  readonly circuitBreaker?: CircuitBreakerOptions;
  readonly canary?: CanaryOptions;
}

/** Retries after defaults. @internal */
export interface ResolvedRetries {
  readonly attempts: number;
  readonly perTryTimeoutSeconds?: number;
  readonly retryOn: RetryOn[];
}

/** The names of the options, as fields of `TlsIngressProps`. @internal */
export type OptionKey = 'sslRedirect' | 'hsts' | 'rateLimit' | 'timeouts' | 'maxRequestBodyBytes' | 'allowSourceRanges'
| 'basicAuthSecret' | 'externalAuthUrl' | 'backendProtocol' | 'cors' | 'retries' | 'circuitBreaker' | 'canary';

/** Every option, in the order profiles render them. @internal */
export const OPTION_KEYS: OptionKey[] = ['sslRedirect', 'hsts', 'rateLimit', 'timeouts', 'maxRequestBodyBytes',
  'allowSourceRanges', 'basicAuthSecret', 'externalAuthUrl', 'backendProtocol', 'cors', 'retries', 'circuitBreaker', 'canary'];

/**
 * The request headers a CORS answer allows when `CorsOptions.allowHeaders` is unset, written
 * explicitly for controllers whose own default is wider (ingress-nginx allows Authorization and
 * more, HAProxy `*`): the CORS-safelisted request headers, which browsers send without asking.
 * @internal
 */
export const CORS_SAFELISTED_HEADERS = ['Accept', 'Accept-Language', 'Content-Language'];

/**
 * The Envoy retry conditions (`x-envoy-retry-on`) that an edge condition stands for, named by
 * `MeshRetryOn`, whose values are Envoy's tokens: one vocabulary of retry conditions for the mesh
 * and the edge, which Envoy Gateway `retryOn.triggers` and Istio `retryOn` read.
 * `RetryOn.CONNECTION_ERROR` is `connect-failure` + `reset`; `RetryOn.GATEWAY_ERROR` is `gateway-error`.
 * @internal
 */
export function envoyRetryOn(on: RetryOn[]): MeshRetryOn[] {
  return on.flatMap((c) => (c === RetryOn.CONNECTION_ERROR ? [MeshRetryOn.CONNECT_FAILURE, MeshRetryOn.RESET] : [MeshRetryOn.GATEWAY_ERROR]));
}

/**
 * Edge retries in the mesh's retry model (`MeshRetryOptions`: milliseconds, Envoy conditions), so
 * that a target both render (an Istio VirtualService) is written by one renderer.
 * @internal
 */
export function meshRetries(r: ResolvedRetries): MeshRetryOptions {
  return {
    attempts: r.attempts,
    perTryTimeoutMillis: r.perTryTimeoutSeconds === undefined ? undefined : r.perTryTimeoutSeconds * 1000,
    retryOn: envoyRetryOn(r.retryOn),
  };
}

/** The HSTS header value. @internal */
export function hstsHeaderValue(h: Required<HstsOptions>): string {
  return `max-age=${h.maxAgeSeconds}${h.includeSubdomains ? '; includeSubDomains' : ''}${h.preload ? '; preload' : ''}`;
}
