/**
 * F5 NGINX Ingress Controller (`nginx.org/*`, class `nginx`, controller `nginx.org/ingress-controller`).
 *
 * Source ranges, CORS and external auth are `k8s.nginx.org/v1` Policy resources (accessControl,
 * cors, externalAuth) in the Ingress namespace, referenced by `nginx.org/policies` (read on
 * Ingresses from 5.4; externalAuth from 5.5). Connection limits and canaries live only in its
 * VirtualServer resources; they are refused here.
 *
 * - HSTS: its Ingress template always appends `preload` to the header, so with this profile
 *   `hsts.preload` defaults to true; an explicit `preload: false` would be a promise the header
 *   breaks, and is refused.
 * - gRPC backends (`nginx.org/grpc-services`) work only when HTTP/2 is enabled in the controller
 *   ConfigMap (`http2: "true"`); the Ingress cannot turn it on.
 * - Basic auth (`nginx.org/basic-auth-secret`) reads a Secret of type `nginx.org/htpasswd` with
 *   the key `htpasswd`; the controller ignores Secrets of other types.
 *
 * @see https://docs.nginx.com/nginx-ingress-controller/configuration/ingress-resources/advanced-configuration-with-annotations/
 * @internal
 */
import { OverrideRule, ProfileRenderer, RenderContext, RenderSink, childName, nginxSize, refuseResponseTimeout, requireVersion, seconds, unsupported } from './render';
import { VersionTable } from './versions';
import { fail } from '../../core/errors';
import { LabelKeys } from '../../core/labels';
import { lazyModule } from '../../core/lazy-module';
import type * as nginx from '../../imports/nginxpolicy-k8s.nginx.org';
import { BackendProtocol, CORS_SAFELISTED_HEADERS } from '../ingress-options';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nginxMod = lazyModule((): typeof nginx => require('../../imports/nginxpolicy-k8s.nginx.org'));

const A = 'nginx.org/';
const USE_CRDS = 'use F5 NGINX\'s VirtualServer and Policy resources for it, or leave the option unset';

const SRC = 'nginx/kubernetes-ingress internal/configs/annotations.go';

/**
 * From which release F5 NGINX reads each key (nginx/kubernetes-ingress, `v*` tags).
 * @internal
 */
export const NGINX_INC_VERSIONS: VersionTable = {
  newest: '5.5',
  oldest: '2.0',
  oldestReason: 'the first release that reads networking.k8s.io/v1 Ingresses',
  keys: {
    // 5.4 reads nginx.org/ssl-redirect first and falls back to the legacy key.
    [`${A}ssl-redirect`]: { since: '5.4', older: 'ingress.kubernetes.io/ssl-redirect', source: `${SRC} @ v5.4.0 (SSLRedirectAnnotation)` },
    [`${A}basic-auth-secret`]: { since: '2.3', source: 'nginx/kubernetes-ingress internal/configs/annotations.go @ v2.3.0' },
    [`${A}limit-req-rate`]: { since: '3.5', source: `${SRC} @ v3.5.0` },
    [`${A}limit-req-burst`]: { since: '3.5', source: `${SRC} @ v3.5.0` },
    [`${A}limit-req-scale`]: { since: '3.6', source: `${SRC} @ v3.6.0` },
    // PoliciesAnnotation on Ingress; AccessControl (#9280) and CORS (#9292) policies @ v5.4.0, ExternalAuth (#9521) @ v5.5.0.
    [`${A}policies`]: { since: '5.4', source: `${SRC} @ v5.4.0 (PoliciesAnnotation)` },
  },
};

/**
 * Raw annotations that undo a rendered option (nginx/kubernetes-ingress @ v5.5.4:
 * internal/configs/annotations.go and internal/configs/version1/nginx.ingress.tmpl).
 * @internal
 */
export const NGINX_INC_OVERRIDES: OverrideRule[] = [
  {
    renders: [`${A}ssl-redirect`, 'ingress.kubernetes.io/ssl-redirect'],
    keys: {
      [`${A}ssl-redirect`]: 'F5 NGINX reads it for the redirect from 5.4 on, before the legacy key',
      'ingress.kubernetes.io/ssl-redirect': 'F5 NGINX reads this legacy key for the same redirect',
    },
    setting: 'the HTTP-to-HTTPS redirect',
    instead: 'TlsIngress.sslRedirect',
  },
  {
    renders: [`${A}hsts`],
    keys: { [`${A}hsts-behind-proxy`]: 'it sends the header only when the request carries X-Forwarded-Proto: https, so clients that connect directly get none' },
    setting: 'HSTS',
    instead: 'TlsIngress.hsts',
  },
  {
    renders: [`${A}limit-req-rate`],
    keys: {
      [`${A}limit-req-dry-run`]: 'it only logs requests above the limit and lets them through',
      [`${A}limit-req-key`]: 'it changes what is counted (the client address by default), so a per-request key limits nothing',
    },
    setting: 'the rate limit',
    instead: 'TlsIngress.rateLimit',
  },
  {
    renders: [`${A}policies`],
    keys: { 'nginx.com/policies': 'F5 NGINX merges its Policies with nginx.org/policies, so it can replace the rendered ones' },
    setting: 'the Policy resources (source ranges, CORS, external auth)',
    instead: 'TlsIngress.allowSourceRanges, cors or externalAuthUrl',
  },
];

/** @internal */
export const NGINX_INC_DEFAULTS = {
  displayName: 'F5 NGINX Ingress Controller',
  className: 'nginx',
  controllerName: 'nginx.org/ingress-controller',
  namespace: 'nginx-ingress',
  podLabels: { 'app.kubernetes.io/name': 'nginx-ingress' },
};

/**
 * A `k8s.nginx.org/v1` Policy for this Ingress, in its namespace and for its class, listed in
 * `nginx.org/policies` (written by `finish`).
 */
function policy(ctx: RenderContext, sink: RenderSink, field: string, concern: string, spec: nginx.PolicySpec): void {
  const name = childName(ctx.ingressName, concern);
  new nginxMod.Policy(ctx.scope, `Policy${concern.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}`, {
    metadata: { name, namespace: ctx.namespace, labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE } },
    spec: { ingressClassName: ctx.controller.className, ...spec },
  });
  sink.state.policies ??= [];
  sink.state.policies.push(name);
  sink.state.policyFields ??= [];
  sink.state.policyFields.push(field);
}

/**
 * The Service an in-cluster URL names (`http(s)://<service>.<namespace>.svc[.cluster.local][:port]/path`),
 * as an externalAuth Policy takes it, or undefined for any other URL.
 * @internal
 */
export function externalAuthService(url: string): nginx.PolicySpecExternalAuth | undefined {
  const u = new URL(url);
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?$/.exec(u.hostname);
  if (!m || u.search) return undefined;
  return {
    authServiceName: `${m[3]}/${m[1]}`,
    authUri: u.pathname,
    authServicePorts: u.port ? [Number(u.port)] : undefined,
    sslEnabled: u.protocol === 'https:' ? true : undefined,
  };
}

/** @internal */
export function nginxIncRenderer(): ProfileRenderer {
  return {
    certificateKinds: ['secret', 'cert-manager', 'cert-manager-certificate'],
    versions: NGINX_INC_VERSIONS,
    overrides: NGINX_INC_OVERRIDES,
    certificateAdvice: 'F5 NGINX serves certificates from Secrets: use TlsCertificate.secret(), certManager() or certManagerCertificate()',
    handlers: {
      sslRedirect: (_ctx, sink, on) => {
        // From 5.4 it reads nginx.org/ssl-redirect before the legacy key; older releases read
        // ingress.kubernetes.io/ssl-redirect only (the version table picks the one to write).
        sink.annotate(`${A}ssl-redirect`, on ? 'true' : 'false', 'sslRedirect');
        if (!on) sink.markHttpsOnly = false; // plain HTTP is served
      },
      hsts: (ctx, sink, h) => {
        sink.annotate(`${A}hsts`, h.enabled ? 'true' : 'false', 'hsts.enabled');
        if (!h.enabled) return;
        // Its Ingress template always appends `preload` to the header
        // (internal/configs/version1/nginx.ingress.tmpl: "max-age=...; includeSubDomains; preload").
        // So the profile's default is preload (see HstsOptions.preload); only an explicit false is refused.
        if (ctx.options.hstsExplicit.preload === false) {
          fail(ctx.scope, `TlsIngress.hsts.preload is false, but ${ctx.controller.displayName} cannot express it: F5 NGINX always adds preload to its Strict-Transport-Security header; ` +
            'leave hsts.preload unset (or true) to accept preload (which lets the domain and its subdomains be submitted to browsers\' HTTPS-only preload lists), or set hsts.enabled to false and send the header from the application.');
        }
        sink.annotate(`${A}hsts-max-age`, String(h.maxAgeSeconds), 'hsts.maxAgeSeconds');
        sink.annotate(`${A}hsts-include-subdomains`, h.includeSubdomains ? 'true' : 'false', 'hsts.includeSubdomains');
      },
      rateLimit: (ctx, sink, r) => {
        if (r.connections !== undefined) {
          unsupported(ctx, 'rateLimit.connections', r.connections, 'it has no per-Ingress connection limit annotation', USE_CRDS);
        }
        if (r.requestsPerSecond !== undefined) {
          sink.annotate(`${A}limit-req-rate`, `${r.requestsPerSecond}r/s`, 'rateLimit.requestsPerSecond');
          // Divide the rate by the number of controller pods, so the limit holds cluster-wide.
          sink.annotate(`${A}limit-req-scale`, 'true', 'rateLimit.requestsPerSecond');
          if (r.burst !== undefined) sink.annotate(`${A}limit-req-burst`, String(r.burst), 'rateLimit.burst');
        }
      },
      timeouts: (ctx, sink, t) => {
        refuseResponseTimeout(ctx, t.responseSeconds, 'nginx has no whole-response timeout; proxy-read-timeout is the time between two reads');
        if (t.connectSeconds !== undefined) sink.annotate(`${A}proxy-connect-timeout`, seconds(t.connectSeconds), 'timeouts.connectSeconds');
        if (t.readSeconds !== undefined) sink.annotate(`${A}proxy-read-timeout`, seconds(t.readSeconds), 'timeouts.readSeconds');
        if (t.sendSeconds !== undefined) sink.annotate(`${A}proxy-send-timeout`, seconds(t.sendSeconds), 'timeouts.sendSeconds');
      },
      maxRequestBodyBytes: (_ctx, sink, n) => sink.annotate(`${A}client-max-body-size`, nginxSize(n), 'maxRequestBodyBytes'),
      allowSourceRanges: (ctx, sink, ranges) => {
        requireVersion(ctx, 'allowSourceRanges', 'a Policy with accessControl (nginx.org/policies)', '5.4');
        policy(ctx, sink, 'allowSourceRanges', 'access-control', { accessControl: { allow: [...ranges] } });
      },
      basicAuthSecret: (_ctx, sink, secret) => sink.annotate(`${A}basic-auth-secret`, secret, 'basicAuthSecret'),
      externalAuthUrl: (ctx, sink, url) => {
        requireVersion(ctx, 'externalAuthUrl', 'a Policy with externalAuth (nginx.org/policies)', '5.5');
        const externalAuth = externalAuthService(url);
        if (!externalAuth) {
          unsupported(ctx, 'externalAuthUrl', url, 'its externalAuth Policy calls a Kubernetes Service (authServiceName, authURI), not an arbitrary URL',
            'give the in-cluster URL of the auth Service, http(s)://<service>.<namespace>.svc[.cluster.local][:port]/<path>, without a query');
        }
        policy(ctx, sink, 'externalAuthUrl', 'external-auth', { externalAuth });
      },
      backendProtocol: (ctx, sink, p) => {
        const services = [...new Set(ctx.backends.map((b) => b.serviceName))].sort().join(',');
        if (p === BackendProtocol.HTTPS) sink.annotate(`${A}ssl-services`, services, 'backendProtocol');
        if (p === BackendProtocol.GRPC) sink.annotate(`${A}grpc-services`, services, 'backendProtocol');
      },
      cors: (ctx, sink, c) => {
        // Its Ingress template answers OPTIONS preflights with 204 and the CORS headers (nginx.ingress.tmpl @ v5.4.0, CORSEnabled).
        requireVersion(ctx, 'cors', 'a Policy with cors (nginx.org/policies)', '5.4');
        policy(ctx, sink, 'cors', 'cors', {
          cors: {
            allowOrigin: [...c.allowOrigins],
            allowMethods: [...c.allowMethods],
            allowHeaders: [...c.allowHeaders ?? CORS_SAFELISTED_HEADERS],
            allowCredentials: c.allowCredentials,
            maxAge: c.maxAgeSeconds,
          },
        });
      },
      retries: (ctx, _sink, v) => unsupported(ctx, 'retries', v, 'this profile writes no retry annotations for it', USE_CRDS),
      circuitBreaker: (ctx, _sink, v) => unsupported(ctx, 'circuitBreaker', v, 'it has no per-Ingress connection or request limits towards the backends', USE_CRDS),
      canary: (ctx, _sink, v) => unsupported(ctx, 'canary', v, 'it splits traffic only in VirtualServer resources', USE_CRDS),
    },
    finish: (_ctx, sink) => {
      if (sink.state.policies) sink.annotate(`${A}policies`, sink.state.policies.join(','), sink.state.policyFields.join(', '));
    },
  };
}
