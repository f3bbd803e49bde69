/**
 * Community ingress-nginx (`nginx.ingress.kubernetes.io/*`).
 *
 * Retired: best-effort maintenance ended in March 2026 and the project recommends Gateway API
 * (see `TlsGateway`) or another controller (F5 NGINX, Traefik, HAProxy). Supported here because
 * many clusters still run it; pin v1.12.1 or later (CVE-2025-1974 "IngressNightmare").
 *
 * @internal
 */
import { BackendProtocol, CORS_SAFELISTED_HEADERS, HstsOptions, RetryOn, hstsHeaderValue } from '../ingress-options';
import { OverrideRule, ProfileRenderer, nginxSize, refuseResponseTimeout, unsupported } from './render';
import { VersionTable } from './versions';

const A = 'nginx.ingress.kubernetes.io/';

/** ingress-nginx ConfigMap defaults for HSTS; only these can be honoured without a snippet. */
const CONFIGMAP_HSTS: Required<HstsOptions> = { enabled: true, maxAgeSeconds: 31536000, includeSubdomains: true, preload: false };

/**
 * From which release ingress-nginx reads each key (kubernetes/ingress-nginx, `controller-v*` tags).
 * @internal
 */
export const INGRESS_NGINX_VERSIONS: VersionTable = {
  newest: '1.15',
  oldest: '1.0',
  oldestReason: 'the first release that reads networking.k8s.io/v1 Ingresses and IngressClasses',
  keys: {
    [`${A}allowlist-source-range`]: {
      since: '1.9.1',
      older: `${A}whitelist-source-range`,
      source: 'kubernetes/ingress-nginx internal/ingress/annotations/ipallowlist/main.go @ controller-v1.9.1 (whitelist-source-range stays an alias)',
    },
  },
};

/**
 * Raw annotations that undo a rendered option (kubernetes/ingress-nginx @ controller-v1.15.1:
 * internal/ingress/annotations/rewrite/main.go, ipallowlist/main.go, ratelimit/main.go, satisfy/main.go).
 * @internal
 */
export const INGRESS_NGINX_OVERRIDES: OverrideRule[] = [
  {
    renders: [`${A}ssl-redirect`],
    keys: { [`${A}force-ssl-redirect`]: 'ingress-nginx reads it beside ssl-redirect for the same redirect' },
    setting: 'the HTTP-to-HTTPS redirect',
    instead: 'TlsIngress.sslRedirect',
  },
  {
    renders: [`${A}allowlist-source-range`, `${A}whitelist-source-range`],
    keys: {
      [`${A}allowlist-source-range`]: 'ingress-nginx reads it as the source allow list',
      [`${A}whitelist-source-range`]: 'ingress-nginx reads it as an alias of allowlist-source-range',
      [`${A}satisfy`]: '"any" admits a request that either the allow list or authentication admits',
    },
    setting: 'the source allow list',
    instead: 'TlsIngress.allowSourceRanges',
  },
  {
    renders: [`${A}auth-type`, `${A}auth-url`],
    keys: { [`${A}satisfy`]: '"any" admits a request that either the allow list or authentication admits' },
    setting: 'the authentication',
    instead: 'TlsIngress.basicAuthSecret or TlsIngress.externalAuthUrl',
  },
  {
    renders: [`${A}limit-rps`, `${A}limit-connections`],
    keys: {
      [`${A}limit-allowlist`]: 'it exempts the listed clients from the rate limit',
      [`${A}limit-whitelist`]: 'it exempts the listed clients from the rate limit (alias of limit-allowlist)',
    },
    setting: 'the rate limit',
    instead: 'TlsIngress.rateLimit',
  },
];

/** @internal */
export const INGRESS_NGINX_DEFAULTS = {
  displayName: 'ingress-nginx',
  className: 'nginx',
  controllerName: 'k8s.io/ingress-nginx',
  namespace: 'ingress-nginx',
  podLabels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
};

/** The HSTS of an `IngressNginxConfig` the app writes, and its construct path. @internal */
export interface IngressNginxConfigHsts {
  readonly hsts: Required<HstsOptions>;
  readonly path: string;
}

/** @internal */
export function ingressNginxRenderer(config?: IngressNginxConfigHsts): ProfileRenderer {
  return {
    certificateKinds: ['secret', 'cert-manager', 'cert-manager-certificate'],
    versions: INGRESS_NGINX_VERSIONS,
    certificateAdvice: 'ingress-nginx serves certificates from Secrets: use TlsCertificate.secret(), certManager() or certManagerCertificate()',
    overrides: INGRESS_NGINX_OVERRIDES,
    handlers: {
      sslRedirect: (ctx, sink, on) => {
        if (ctx.isCanary) return; // inherited from the primary Ingress
        // Without the redirect, plain HTTP is served: no "HTTPS only" marker for policy tools.
        if (!on) sink.markHttpsOnly = false;
        // Default true when the Ingress has TLS; written explicitly so a changed ConfigMap default cannot turn it off.
        sink.annotate(`${A}ssl-redirect`, on ? 'true' : 'false', 'sslRedirect');
      },
      hsts: (ctx, _sink) => {
        if (ctx.isCanary) return;
        // HSTS is set only in the controller ConfigMap (hsts, hsts-max-age, hsts-include-subdomains,
        // hsts-preload); per-Ingress it would need a configuration-snippet, which we never write. So the
        // Ingress gets the ConfigMap's HSTS: the IngressNginxConfig the app writes, or the controller defaults.
        // Fields the TlsIngress sets must equal it; unset fields mean "the ConfigMap's".
        const cm = config?.hsts ?? CONFIGMAP_HSTS;
        const e = ctx.options.hstsExplicit;
        const differs = (Object.keys(e) as Array<keyof HstsOptions>).some((k) => e[k] !== undefined && e[k] !== cm[k]);
        if (!differs) return;
        const want = { ...cm, ...Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) } as Required<HstsOptions>;
        unsupported(ctx, 'hsts', want.enabled ? hstsHeaderValue(want) : 'disabled',
          config
            ? `it sets HSTS only in its controller ConfigMap, and IngressNginxConfig ${config.path} sets ${cm.enabled ? `"${hstsHeaderValue(cm)}"` : 'no HSTS'}`
            : 'it sets HSTS only in its controller ConfigMap (hsts, hsts-max-age, hsts-include-subdomains, hsts-preload), whose defaults are "max-age=31536000; includeSubDomains"',
          config
            ? 'set the HSTS in the IngressNginxConfig and leave TlsIngress.hsts unset'
            : 'write the ConfigMap with IngressNginxConfig and pass it as IngressController.ingressNginx({ config }), then leave TlsIngress.hsts unset');
      },
      rateLimit: (ctx, sink, r) => {
        // Counted per client IP and per controller replica (N replicas allow N times the rate).
        if (r.requestsPerSecond !== undefined) {
          sink.annotate(`${A}limit-rps`, String(r.requestsPerSecond), 'rateLimit.requestsPerSecond');
          if (r.burst !== undefined) {
            if (r.burst % r.requestsPerSecond !== 0) {
              unsupported(ctx, 'rateLimit.burst', r.burst, `it sets the burst as a whole multiple of the rate (limit-burst-multiplier), and ${r.burst} is not a multiple of ${r.requestsPerSecond}`,
                `use a burst of ${Math.max(1, Math.round(r.burst / r.requestsPerSecond)) * r.requestsPerSecond}`);
            }
            sink.annotate(`${A}limit-burst-multiplier`, String(r.burst / r.requestsPerSecond), 'rateLimit.burst');
          }
        }
        if (r.connections !== undefined) sink.annotate(`${A}limit-connections`, String(r.connections), 'rateLimit.connections');
      },
      timeouts: (ctx, sink, t) => {
        refuseResponseTimeout(ctx, t.responseSeconds, 'nginx has no whole-response timeout; proxy-read-timeout is the time between two reads');
        if (t.connectSeconds !== undefined) {
          // nginx caps proxy_connect_timeout at 75 seconds.
          if (t.connectSeconds > 75) unsupported(ctx, 'timeouts.connectSeconds', t.connectSeconds, 'nginx caps proxy_connect_timeout at 75 seconds', 'use 75 or less');
          sink.annotate(`${A}proxy-connect-timeout`, String(t.connectSeconds), 'timeouts.connectSeconds');
        }
        if (t.readSeconds !== undefined) sink.annotate(`${A}proxy-read-timeout`, String(t.readSeconds), 'timeouts.readSeconds');
        if (t.sendSeconds !== undefined) sink.annotate(`${A}proxy-send-timeout`, String(t.sendSeconds), 'timeouts.sendSeconds');
      },
      maxRequestBodyBytes: (_ctx, sink, n) => sink.annotate(`${A}proxy-body-size`, nginxSize(n), 'maxRequestBodyBytes'),
      allowSourceRanges: (_ctx, sink, ranges) => sink.annotate(`${A}allowlist-source-range`, ranges.join(','), 'allowSourceRanges'),
      basicAuthSecret: (_ctx, sink, secret) => {
        sink.annotate(`${A}auth-type`, 'basic', 'basicAuthSecret');
        sink.annotate(`${A}auth-secret`, secret, 'basicAuthSecret');
      },
      externalAuthUrl: (_ctx, sink, url) => sink.annotate(`${A}auth-url`, url, 'externalAuthUrl'),
      backendProtocol: (_ctx, sink, p) => {
        sink.annotate(`${A}backend-protocol`, p === BackendProtocol.GRPC ? 'GRPC' : p === BackendProtocol.HTTPS ? 'HTTPS' : 'HTTP', 'backendProtocol');
      },
      cors: (_ctx, sink, c) => {
        sink.annotate(`${A}enable-cors`, 'true', 'cors');
        sink.annotate(`${A}cors-allow-origin`, c.allowOrigins.join(', '), 'cors.allowOrigins');
        sink.annotate(`${A}cors-allow-methods`, c.allowMethods.join(', '), 'cors.allowMethods');
        // Its own default allows Authorization and more: unset, the safelisted headers are written explicitly.
        sink.annotate(`${A}cors-allow-headers`, (c.allowHeaders ?? CORS_SAFELISTED_HEADERS).join(', '), 'cors.allowHeaders');
        sink.annotate(`${A}cors-allow-credentials`, String(c.allowCredentials), 'cors.allowCredentials');
        if (c.maxAgeSeconds !== undefined) sink.annotate(`${A}cors-max-age`, String(c.maxAgeSeconds), 'cors.maxAgeSeconds');
      },
      retries: (ctx, sink, r) => {
        // internal/ingress/annotations/proxy/main.go @ controller-v1.15.1: proxy-next-upstream (nginx proxy_next_upstream
        // conditions), proxy-next-upstream-tries (every try, the first included). proxy-next-upstream-timeout bounds all
        // tries together, not each one, so a per-try timeout has no key.
        if (r.perTryTimeoutSeconds !== undefined) {
          unsupported(ctx, 'retries.perTryTimeoutSeconds', r.perTryTimeoutSeconds, 'nginx bounds all tries together (proxy-next-upstream-timeout), not each try',
            'bound each try with timeouts.connectSeconds and timeouts.readSeconds, or leave perTryTimeoutSeconds unset');
        }
        const conditions = r.retryOn.flatMap((c) => (c === RetryOn.CONNECTION_ERROR ? ['error', 'timeout'] : ['http_502', 'http_503', 'http_504']));
        sink.annotate(`${A}proxy-next-upstream`, conditions.join(' '), 'retries.retryOn');
        sink.annotate(`${A}proxy-next-upstream-tries`, String(r.attempts + 1), 'retries.attempts');
      },
      circuitBreaker: (ctx, _sink, v) => unsupported(ctx, 'circuitBreaker', v, 'it has no annotation for backend connection or request limits',
        'leave circuitBreaker unset, or use TlsGateway with GatewayImplementation.envoyGateway()'),
      canary: (_ctx, sink, c) => {
        sink.annotate(`${A}canary`, 'true', 'canary');
        if (c.weightPercent !== undefined) sink.annotate(`${A}canary-weight`, String(c.weightPercent), 'canary.weightPercent');
        if (c.header !== undefined) sink.annotate(`${A}canary-by-header`, c.header, 'canary.header');
        if (c.headerValue !== undefined) sink.annotate(`${A}canary-by-header-value`, c.headerValue, 'canary.headerValue');
      },
    },
  };
}
