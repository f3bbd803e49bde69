/**
 * HAProxy Kubernetes Ingress Controller by HAProxy Technologies (`haproxy.org/*`, class
 * `haproxy`, controller `haproxy.org/ingress-controller/haproxy`).
 *
 * Rate limits count per client IP in each controller replica's stick table. Its redirect port
 * defaults to 8443, so the redirect writes port 443 explicitly.
 *
 * It reads `haproxy.org/x`, `haproxy.com/x` and `ingress.kubernetes.io/x` as the same annotation,
 * so raw annotations are compared under all three prefixes.
 *
 * CORS: a `cors-allow-origin` other than `*` is matched as an unanchored regular expression
 * against the request's Origin (`var(txn.cors_origin) -m reg <value>`), and a match is echoed
 * back as `Access-Control-Allow-Origin`. A plain `https://app.example.com` would also admit
 * `https://app.example.com.evil.net` (and `https://appXexample.com`), with credentials if they
 * are allowed. So the profile writes an anchored regex with every `.` escaped
 * (`^https://app\.example\.com$`), built only from an origin that passed validation; HAProxy's
 * configuration parser keeps `\.` as is and expands `$` only inside double quotes, so the regex
 * reaches the ACL unchanged. Wildcard origins (`https://*.example.com`) are refused.
 *
 * @see https://github.com/haproxytech/kubernetes-ingress/blob/master/documentation/annotations.md
 * @internal
 */
import { BackendProtocol, CORS_SAFELISTED_HEADERS, hstsHeaderValue } from '../ingress-options';
import { exactOriginRegex } from '../safety';
import { OverrideRule, ProfileRenderer, RenderContext, refuseResponseTimeout, seconds, unsupported } from './render';
import { VersionTable } from './versions';

const A = 'haproxy.org/';

const SRC = 'haproxytech/kubernetes-ingress pkg/annotations/annotations.go';

/**
 * From which release HAProxy reads each key (haproxytech/kubernetes-ingress, `v*` tags).
 * @internal
 */
export const HAPROXY_VERSIONS: VersionTable = {
  newest: '3.2',
  oldest: '1.7',
  oldestReason: 'the first release with the annotation set this profile writes (controller/annotations/annotations.go @ v1.7.0: response-set-header, ssl-redirect-port)',
  keys: {
    [`${A}allow-list`]: { since: '1.11', older: `${A}whitelist`, source: `${SRC} @ v1.11.0 (whitelist stays a deprecated alias, pkg/annotations/ingress/accessControl.go)` },
    [`${A}timeout-server`]: { since: '1.11', source: `${SRC} @ v1.11.0 (service.NewTimeoutServer; before, timeout-server was a ConfigMap key only)` },
    [`${A}cors-respond-to-options`]: { since: '3.2', source: `${SRC} @ v3.2.0` },
  },
};

/**
 * Raw annotations that undo a rendered option (haproxytech/kubernetes-ingress @ v3.2.11:
 * documentation/annotations.md; pkg/annotations/ingress/accessControl.go keeps `whitelist` as the
 * deprecated name of `allow-list`). Every key is also read under `haproxy.com/` and `ingress.kubernetes.io/`.
 * @internal
 */
export const HAPROXY_OVERRIDES: OverrideRule[] = [
  {
    renders: [`${A}allow-list`, `${A}whitelist`],
    keys: {
      [`${A}allow-list`]: 'HAProxy reads it as the source allow list',
      [`${A}whitelist`]: 'HAProxy reads it as the deprecated name of allow-list',
      [`${A}src-ip-header`]: 'it takes the client address from a request header the client can forge',
    },
    setting: 'the source allow list',
    instead: 'TlsIngress.allowSourceRanges',
  },
  {
    renders: [`${A}rate-limit-requests`],
    keys: {
      [`${A}rate-limit-whitelist`]: 'it exempts the listed clients from the rate limit',
      [`${A}src-ip-header`]: 'it takes the client address from a request header the client can forge',
    },
    setting: 'the rate limit',
    instead: 'TlsIngress.rateLimit',
  },
];

/** @internal */
export const HAPROXY_DEFAULTS = {
  displayName: 'HAProxy Kubernetes Ingress Controller',
  className: 'haproxy',
  controllerName: 'haproxy.org/ingress-controller/haproxy',
  namespace: 'haproxy-controller',
  podLabels: { 'app.kubernetes.io/name': 'kubernetes-ingress' },
};

/** The rate-limit periods (ms) already used in each app, so each TlsIngress gets its own stick table. */
const usedPeriods = new WeakMap<object, Set<number>>();

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * HAProxy names its rate-limit stick table after the period (`RateLimit-<period in ms>`,
 * pkg/annotations/ingress/reqRateLimit.go @ v3.2.11) and keys it by client address, so every
 * Ingress with the same period shares one count per client. Each TlsIngress in the app gets a
 * period of its own, never the default 1s that hand-written Ingresses use: the smallest period
 * above one second in which the rate is a whole number of requests (10/s: 11 requests per
 * 1100ms). The sustained rate is exact; the window is slightly longer than one second.
 * @internal
 */
export function ownRateLimitTable(ctx: RenderContext, perSecond: number): { requests: number; periodMs: number } {
  const root = ctx.scope.node.root;
  let used = usedPeriods.get(root);
  if (!used) usedPeriods.set(root, used = new Set());
  const step = 1000 / gcd(perSecond, 1000);
  let periodMs = 1000 + step;
  while (used.has(periodMs)) periodMs += step;
  used.add(periodMs);
  return { requests: perSecond * periodMs / 1000, periodMs };
}

/** @internal */
export function haproxyRenderer(): ProfileRenderer {
  return {
    certificateKinds: ['secret', 'cert-manager', 'cert-manager-certificate'],
    versions: HAPROXY_VERSIONS,
    overrides: HAPROXY_OVERRIDES,
    certificateAdvice: 'HAProxy serves certificates from Secrets: use TlsCertificate.secret(), certManager() or certManagerCertificate()',
    annotationPrefixAliases: [A, 'haproxy.com/', 'ingress.kubernetes.io/'],
    handlers: {
      sslRedirect: (_ctx, sink, on) => {
        sink.annotate(`${A}ssl-redirect`, on ? 'true' : 'false', 'sslRedirect');
        if (!on) {
          sink.markHttpsOnly = false; // plain HTTP is served
          return;
        }
        // 301 is the only permanent code it accepts (301, 302, 303); its port default is 8443.
        sink.annotate(`${A}ssl-redirect-code`, '301', 'sslRedirect');
        sink.annotate(`${A}ssl-redirect-port`, '443', 'sslRedirect');
      },
      hsts: (_ctx, sink, h) => {
        if (!h.enabled) return;
        sink.annotate(`${A}response-set-header`, `Strict-Transport-Security "${hstsHeaderValue(h)}"`, 'hsts', true);
      },
      rateLimit: (ctx, sink, r) => {
        if (r.burst !== undefined) {
          unsupported(ctx, 'rateLimit.burst', r.burst, 'it counts requests per period with no burst allowance',
            'leave burst unset (a longer period is the closest equivalent)');
        }
        if (r.connections !== undefined) {
          unsupported(ctx, 'rateLimit.connections', r.connections, 'its pod-maxconn limits connections to each backend pod, not per client',
            'leave connections unset');
        }
        if (r.requestsPerSecond !== undefined) {
          const { requests, periodMs } = ownRateLimitTable(ctx, r.requestsPerSecond);
          sink.annotate(`${A}rate-limit-requests`, String(requests), 'rateLimit.requestsPerSecond');
          sink.annotate(`${A}rate-limit-period`, `${periodMs}ms`, 'rateLimit.requestsPerSecond');
          sink.annotate(`${A}rate-limit-status-code`, '429', 'rateLimit.requestsPerSecond');
        }
      },
      timeouts: (ctx, sink, t) => {
        refuseResponseTimeout(ctx, t.responseSeconds, 'its timeout-server is an inactivity timeout, not a whole-response timeout');
        if (t.connectSeconds !== undefined) {
          unsupported(ctx, 'timeouts.connectSeconds', t.connectSeconds, 'timeout-connect is set only in its ConfigMap', 'set timeout-connect in the controller ConfigMap');
        }
        // `timeout server` is the inactivity timeout on the server side, in both directions.
        if (t.sendSeconds !== undefined && t.sendSeconds !== t.readSeconds) {
          unsupported(ctx, 'timeouts.sendSeconds', t.sendSeconds, 'its one server-side timeout (timeout-server) covers reads and sends alike',
            'set sendSeconds equal to readSeconds, or leave it unset');
        }
        const server = t.readSeconds ?? t.sendSeconds;
        if (server !== undefined) sink.annotate(`${A}timeout-server`, seconds(server), 'timeouts.readSeconds');
      },
      maxRequestBodyBytes: (ctx, _sink, n) => unsupported(ctx, 'maxRequestBodyBytes', n, 'it has no body-size annotation (only a backend-config-snippet could, and snippets are refused)',
        'enforce the limit in the application'),
      allowSourceRanges: (_ctx, sink, ranges) => sink.annotate(`${A}allow-list`, ranges.join(', '), 'allowSourceRanges'),
      basicAuthSecret: (_ctx, sink, secret) => {
        sink.annotate(`${A}auth-type`, 'basic-auth', 'basicAuthSecret');
        sink.annotate(`${A}auth-secret`, secret, 'basicAuthSecret');
      },
      externalAuthUrl: (ctx, _sink, v) => unsupported(ctx, 'externalAuthUrl', v, 'it has no external-auth annotation', 'authenticate in the application or use another controller'),
      backendProtocol: (_ctx, sink, p) => {
        if (p === BackendProtocol.HTTPS) sink.annotate(`${A}server-ssl`, 'true', 'backendProtocol');
        if (p === BackendProtocol.GRPC) sink.annotate(`${A}server-proto`, 'h2', 'backendProtocol');
      },
      cors: (ctx, sink, c) => {
        if (c.allowOrigins.length !== 1) {
          unsupported(ctx, 'cors.allowOrigins', c.allowOrigins, 'cors-allow-origin takes one origin (or a regular expression, which is refused here)',
            'list exactly one origin');
        }
        const origin = c.allowOrigins[0];
        // Anything but `*` is an unanchored regex to HAProxy: anchor it and escape the dots.
        const regex = origin === '*' ? undefined : exactOriginRegex(origin);
        if (origin !== '*' && regex === undefined) {
          unsupported(ctx, 'cors.allowOrigins', c.allowOrigins, 'cors-allow-origin is a regular expression, and this profile writes only an anchored one that matches exactly one origin',
            'list the exact origin (https://app.example.com) instead of a wildcard');
        }
        sink.annotate(`${A}cors-enable`, 'true', 'cors');
        if (regex === undefined) sink.annotate(`${A}cors-allow-origin`, origin, 'cors.allowOrigins');
        else sink.annotateExactOriginRegex(`${A}cors-allow-origin`, regex, 'cors.allowOrigins');
        sink.annotate(`${A}cors-allow-methods`, c.allowMethods.join(', '), 'cors.allowMethods');
        // Its own default is "*": unset, the safelisted headers are written explicitly.
        sink.annotate(`${A}cors-allow-headers`, (c.allowHeaders ?? CORS_SAFELISTED_HEADERS).join(', '), 'cors.allowHeaders');
        sink.annotate(`${A}cors-allow-credentials`, String(c.allowCredentials), 'cors.allowCredentials');
        if (c.maxAgeSeconds !== undefined) sink.annotate(`${A}cors-max-age`, seconds(c.maxAgeSeconds), 'cors.maxAgeSeconds');
        // Answer preflights (OPTIONS with a matching Origin) at the proxy with 204, instead of passing them to the
        // backend (pkg/annotations/ingress/resSetCORS.go and pkg/haproxy/rules/reqReturnStatus.go @ v3.2.0).
        sink.annotate(`${A}cors-respond-to-options`, 'true', 'cors');
      },
      retries: (ctx, _sink, v) => unsupported(ctx, 'retries', v, 'this profile writes no retry annotations for it', 'leave retries unset, or choose ingressNginx(), traefik() or istio()'),
      circuitBreaker: (ctx, _sink, v) => unsupported(ctx, 'circuitBreaker', v, 'this profile writes no backend connection limits', 'leave circuitBreaker unset, or use TlsGateway with GatewayImplementation.envoyGateway()'),
      canary: (ctx, _sink, v) => unsupported(ctx, 'canary', v, 'it has no traffic-splitting annotation', 'use TlsGateway or another controller'),
    },
  };
}
