/**
 * Validation of the neutral option set and its defaults, before any profile sees it.
 * @internal
 */
import { IConstruct } from 'constructs';
import { CanaryOptions, CircuitBreakerOptions, CorsOptions, HstsOptions, ResolvedOptions, ResolvedRetries, RetryOn, RetryOptions, RoutingOptions } from './ingress-options';
import { HTTP_METHODS, cidrProblem, headerNameProblem, originProblem, urlProblem } from './safety';
import { fail } from '../core/errors';
import { dns1123SubdomainProblem } from '../core/names';

function wholeNumber(scope: IConstruct, field: string, v: number | undefined, min: number, max: number, construct = 'TlsIngress'): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < min || v > max) fail(scope, `${construct}.${field} is ${v}; it must be a whole number ${min}-${max}.`);
}

/**
 * HSTS options with their defaults, checked (`construct` names the props in messages).
 * @internal
 */
export function resolveHsts(scope: IConstruct, h: HstsOptions, construct: string): Required<HstsOptions> {
  const hsts = {
    enabled: h.enabled ?? true,
    maxAgeSeconds: h.maxAgeSeconds ?? 31536000,
    includeSubdomains: h.includeSubdomains ?? true,
    preload: h.preload ?? false,
  };
  wholeNumber(scope, 'hsts.maxAgeSeconds', h.maxAgeSeconds, 0, 63072000, construct);
  if (hsts.preload && (!hsts.includeSubdomains || hsts.maxAgeSeconds < 31536000)) {
    fail(scope, `${construct}.hsts.preload is true, but preload lists require includeSubdomains and a maxAgeSeconds of at least 31536000; set both or leave preload unset.`);
  }
  if (!hsts.enabled && (h.maxAgeSeconds !== undefined || h.includeSubdomains !== undefined || h.preload !== undefined)) {
    fail(scope, `${construct}.hsts.enabled is false, but other hsts fields are set; remove them or enable hsts.`);
  }
  return hsts;
}

/**
 * Validates the option set and applies its defaults. `construct` names the props in messages
 * (`TlsIngress`, `TlsGateway`).
 * @internal
 */
export function resolveOptions(scope: IConstruct, p: RoutingOptions, construct = 'TlsIngress'): ResolvedOptions {
  const h = p.hsts ?? {};
  const hsts = resolveHsts(scope, h, construct);
  const r = p.rateLimit;
  if (r) {
    if (r.requestsPerSecond === undefined && r.connections === undefined) {
      fail(scope, `${construct}.rateLimit sets neither requestsPerSecond nor connections; set one or leave rateLimit unset.`);
    }
    wholeNumber(scope, 'rateLimit.requestsPerSecond', r.requestsPerSecond, 1, 1000000, construct);
    wholeNumber(scope, 'rateLimit.burst', r.burst, 1, 1000000, construct);
    wholeNumber(scope, 'rateLimit.connections', r.connections, 1, 1000000, construct);
    if (r.burst !== undefined && r.requestsPerSecond === undefined) {
      fail(scope, `${construct}.rateLimit.burst is set without requestsPerSecond; a burst is an allowance above a rate, so set requestsPerSecond too.`);
    }
  }
  const t = p.timeouts;
  if (t) {
    if (t.connectSeconds === undefined && t.readSeconds === undefined && t.sendSeconds === undefined && t.responseSeconds === undefined) {
      fail(scope, `${construct}.timeouts sets no timeout; set connectSeconds, readSeconds, sendSeconds or responseSeconds, or leave timeouts unset.`);
    }
    for (const k of ['connectSeconds', 'readSeconds', 'sendSeconds', 'responseSeconds'] as const) wholeNumber(scope, `timeouts.${k}`, t[k], 1, 86400, construct);
  }
  wholeNumber(scope, 'maxRequestBodyBytes', p.maxRequestBodyBytes, 1, 2 ** 40, construct);
  if (p.allowSourceRanges !== undefined) {
    if (p.allowSourceRanges.length === 0) fail(scope, `${construct}.allowSourceRanges is empty, which would admit no client; list CIDRs or leave it unset to admit every client.`);
    p.allowSourceRanges.forEach((c, i) => {
      const problem = cidrProblem(c);
      if (problem) fail(scope, `${construct}.allowSourceRanges[${i}] "${c}" is refused; ${problem}.`);
    });
  }
  if (p.basicAuthSecret !== undefined) {
    const problem = dns1123SubdomainProblem(p.basicAuthSecret);
    if (problem) fail(scope, `${construct}.basicAuthSecret "${p.basicAuthSecret}" is not a Secret name; ${problem}.`);
  }
  if (p.externalAuthUrl !== undefined) {
    const problem = urlProblem(p.externalAuthUrl);
    if (problem) fail(scope, `${construct}.externalAuthUrl "${p.externalAuthUrl}" is refused; ${problem}.`);
  }
  if (p.basicAuthSecret !== undefined && p.externalAuthUrl !== undefined) {
    fail(scope, `${construct}.basicAuthSecret and ${construct}.externalAuthUrl are both set; controllers apply one authentication per route, so choose one.`);
  }
  return {
    sslRedirect: p.sslRedirect ?? true,
    hsts,
    hstsExplicit: { ...h },
    rateLimit: r,
    timeouts: t,
    maxRequestBodyBytes: p.maxRequestBodyBytes,
    allowSourceRanges: p.allowSourceRanges ? [...p.allowSourceRanges] : undefined,
    basicAuthSecret: p.basicAuthSecret,
    externalAuthUrl: p.externalAuthUrl,
    backendProtocol: p.backendProtocol,
    cors: p.cors ? resolveCors(scope, p.cors, construct) : undefined,
    retries: p.retries ? resolveRetries(scope, p.retries, construct) : undefined,
    circuitBreaker: p.circuitBreaker ? checkCircuitBreaker(scope, p.circuitBreaker, construct) : undefined,
    canary: p.canary ? checkCanary(scope, p.canary, construct) : undefined,
  };
}

function resolveCors(scope: IConstruct, c: CorsOptions, construct: string): NonNullable<ResolvedOptions['cors']> {
  if (c.allowOrigins.length === 0) fail(scope, `${construct}.cors.allowOrigins is empty; list the origins allowed to call these hosts.`);
  c.allowOrigins.forEach((o, i) => {
    const problem = originProblem(o);
    if (problem) fail(scope, `${construct}.cors.allowOrigins[${i}] "${o}" is not an origin; ${problem}.`);
  });
  const credentials = c.allowCredentials ?? false;
  if (credentials && c.allowOrigins.includes('*')) {
    fail(scope, `${construct}.cors.allowOrigins contains "*" while allowCredentials is true; browsers refuse that combination, so list the origins.`);
  }
  const methods = c.allowMethods ?? ['GET', 'POST', 'OPTIONS'];
  methods.forEach((m, i) => {
    if (!HTTP_METHODS.includes(m)) fail(scope, `${construct}.cors.allowMethods[${i}] "${m}" is not one of ${HTTP_METHODS.join(', ')}.`);
  });
  (c.allowHeaders ?? []).forEach((hdr, i) => {
    const problem = headerNameProblem(hdr);
    if (problem) fail(scope, `${construct}.cors.allowHeaders[${i}] "${hdr}" is refused; ${problem}.`);
  });
  wholeNumber(scope, 'cors.maxAgeSeconds', c.maxAgeSeconds, 0, 86400, construct);
  return {
    allowOrigins: [...c.allowOrigins],
    allowMethods: [...methods],
    allowHeaders: c.allowHeaders ? [...c.allowHeaders] : undefined,
    allowCredentials: credentials,
    maxAgeSeconds: c.maxAgeSeconds,
  };
}

function resolveRetries(scope: IConstruct, r: RetryOptions, construct: string): ResolvedRetries {
  if (r.attempts === undefined) fail(scope, `${construct}.retries.attempts is not set; give the number of retries after the first try (1-10).`);
  wholeNumber(scope, 'retries.attempts', r.attempts, 1, 10, construct);
  wholeNumber(scope, 'retries.perTryTimeoutSeconds', r.perTryTimeoutSeconds, 1, 3600, construct);
  const retryOn = r.retryOn ?? [RetryOn.CONNECTION_ERROR];
  if (retryOn.length === 0) fail(scope, `${construct}.retries.retryOn is empty, so no failure would be retried; list RetryOn values or leave retryOn unset (connection errors).`);
  const known = Object.values(RetryOn) as string[];
  retryOn.forEach((c, i) => {
    if (!known.includes(c)) fail(scope, `${construct}.retries.retryOn[${i}] "${c}" is not one of ${known.join(', ')}.`);
  });
  if (new Set(retryOn).size !== retryOn.length) fail(scope, `${construct}.retries.retryOn lists a condition twice; list each once.`);
  return { attempts: r.attempts, perTryTimeoutSeconds: r.perTryTimeoutSeconds, retryOn: [...retryOn] };
}

function checkCircuitBreaker(scope: IConstruct, c: CircuitBreakerOptions, construct: string): CircuitBreakerOptions {
  const keys = ['maxConnections', 'maxPendingRequests', 'maxParallelRequests'] as const;
  if (keys.every((k) => c[k] === undefined)) {
    fail(scope, `${construct}.circuitBreaker sets no limit; set maxConnections, maxPendingRequests or maxParallelRequests, or leave circuitBreaker unset.`);
  }
  for (const k of keys) wholeNumber(scope, `circuitBreaker.${k}`, c[k], 1, 1000000, construct);
  return { ...c };
}

function checkCanary(scope: IConstruct, c: CanaryOptions, construct: string): CanaryOptions {
  if (c.weightPercent === undefined && c.header === undefined) fail(scope, `${construct}.canary sets neither weightPercent nor header; set one to say which requests the canary gets.`);
  wholeNumber(scope, 'canary.weightPercent', c.weightPercent, 0, 100, construct);
  if (c.header !== undefined) {
    const problem = headerNameProblem(c.header);
    if (problem) fail(scope, `${construct}.canary.header "${c.header}" is refused; ${problem}.`);
  }
  if (c.headerValue !== undefined) {
    if (c.header === undefined) fail(scope, `${construct}.canary.headerValue is set without header; name the header too.`);
    if (!/^[A-Za-z0-9._~-]{1,128}$/.test(c.headerValue)) fail(scope, `${construct}.canary.headerValue "${c.headerValue}" is refused; use letters, digits and . _ ~ - only.`);
  }
  return c;
}
