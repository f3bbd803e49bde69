/**
 * Input checks that keep user text out of controller configuration.
 *
 * Ingress controllers turn annotations and paths into proxy configuration (nginx.conf,
 * haproxy.cfg). Free text there has been a steady source of injection CVEs in ingress-nginx:
 * CVE-2021-25742 (snippets), CVE-2021-25746 (annotation values), CVE-2025-24514 (`auth-url`),
 * CVE-2025-1097/1098 (`auth-tls-match-cn`, `mirror-*`), CVE-2026-24512 (`path`). So:
 * paths use a safe character set, URLs and CIDRs must parse, and no value we write contains
 * `; { } ' " $ #`, a backslash or a line break.
 *
 * @internal
 */
import { parseCidr, parseIp } from '../core/cidr';
import { dns1123SubdomainProblem } from '../core/names';

/** Moved to core/names (the analyzer uses it too); re-exported for the ingress constructs. @internal */
export { hostCovered } from '../core/names';
/** Moved to core/annotations (the analyzer's NET041 uses it too); re-exported for the ingress constructs. @internal */
export { dangerousAnnotationReason } from '../core/annotations';

/** Characters that are never written into an annotation value (nginx/haproxy syntax). @internal */
export const UNSAFE_VALUE_CHARS = /[;{}'"$#\\\n\r`]/;

/**
 * The shape of the one value allowed to contain `^`, `\` and `$`: an anchored regular expression
 * that matches exactly one origin, every `.` escaped (`^https://app\.example\.com$`). HAProxy
 * matches `cors-allow-origin` as an unanchored regex (`-m reg`) and echoes the request's Origin,
 * so the plain origin would also admit `https://app.example.com.evil.net`.
 */
const EXACT_ORIGIN_REGEX = /^\^https?:\/\/[a-z0-9-]+(\\\.[a-z0-9-]+)*(:\d{1,5})?\$$/;

/**
 * The anchored, escaped regular expression that matches exactly `origin`
 * (`https://app.example.com` -> `^https://app\.example\.com$`), or undefined when `origin` is
 * not one exact origin (`*`, a `*.` wildcard, or anything `originProblem` refuses).
 * @internal
 */
export function exactOriginRegex(origin: string): string | undefined {
  if (origin.includes('*') || originProblem(origin)) return undefined;
  const regex = `^${origin.replace(/\./g, '\\.')}$`;
  return EXACT_ORIGIN_REGEX.test(regex) ? regex : undefined;
}

/**
 * Why `value` may not be an annotation value, or undefined. With `allow` set to
 * `'exact-origin-regex'`, `^ \ $` are accepted, but only in the shape `exactOriginRegex` builds.
 * @internal
 */
export function annotationValueProblem(value: string, allow?: 'exact-origin-regex'): string | undefined {
  if (allow === 'exact-origin-regex') {
    if (!EXACT_ORIGIN_REGEX.test(value)) return 'it is not an anchored regular expression for exactly one origin, such as ^https://app\\.example\\.com$';
    return value.length > 4096 ? `it has ${value.length} characters; at most 4096 are allowed` : undefined;
  }
  const m = UNSAFE_VALUE_CHARS.exec(value);
  if (m) {
    const shown = m[0] === '\n' ? '\\n' : m[0] === '\r' ? '\\r' : m[0];
    return `it contains "${shown}"; annotation values must not contain ; { } ' " $ # \` \\ or line breaks, which controllers copy into their configuration`;
  }
  if (value.length > 4096) return `it has ${value.length} characters; at most 4096 are allowed`;
  return undefined;
}

/** Why `key` is not a valid annotation key (qualified name with optional DNS prefix), or undefined. @internal */
export function annotationKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && dns1123SubdomainProblem(prefix)) return 'its prefix must be a DNS subdomain';
  if (name.length === 0 || name.length > 63 || !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name)) {
    return 'its name part must be at most 63 characters of alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric';
  }
  return undefined;
}

/**
 * Why `host` is not an Ingress host, or undefined: a DNS-1123 subdomain, or `*.` followed by
 * one (the wildcard covers exactly one label); never an IP address.
 * @internal
 */
export function hostProblem(host: string): string | undefined {
  if (host.length === 0) return 'it is empty; every rule needs a host (an Ingress without host answers every name)';
  if (parseIp(host)) return 'it is an IP address; Ingress hosts must be DNS names';
  const url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/:?#]*)/.exec(host);
  if (url) return `it is a URL; give the host only ("${url[1]}"), without scheme, port or path`;
  if (host.includes('/')) return `it contains a path; give the host only ("${host.slice(0, host.indexOf('/'))}") and put the path in the rule's path`;
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  if (bare.includes('*')) return 'a wildcard is allowed only as the whole first label ("*.example.com")';
  const problem = dns1123SubdomainProblem(bare);
  if (problem) return problem;
  if (!bare.includes('.')) return 'it has a single label; use a fully qualified name such as shop.example.com';
  return undefined;
}

/**
 * Why `path` is not a safe Ingress path, or undefined. Mirrors API-server validation for
 * Prefix/Exact and the allowlist ingress-nginx recommends since CVE-2026-24512.
 * @internal
 */
export function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'it must start with "/"';
  if (/^\/[A-Za-z0-9/._~-]*\*+$/.test(path)) {
    const prefix = path.replace(/\/?\*+$/, '') || '/';
    return `"*" is not a wildcard in an Ingress path: a Prefix path already matches everything below it, so write "${prefix}" (pathType Prefix)`;
  }
  if (!/^\/[A-Za-z0-9/._~-]*$/.test(path)) return 'it may contain only letters, digits and / . _ ~ - (no regular expressions, percent-encoding, spaces or quotes)';
  if (path.includes('//')) return 'it contains "//"';
  if (/(^|\/)\.\.?(\/|$)/.test(path)) return 'it contains a "." or ".." segment';
  if (path.length > 1024) return `it has ${path.length} characters; at most 1024 are allowed`;
  return undefined;
}

/** Why `url` is not an http(s) URL safe to hand to a controller, or undefined. @internal */
export function urlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'it is not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `its scheme is "${parsed.protocol.replace(':', '')}"; use https:// (or http:// for an in-cluster service)`;
  if (parsed.username || parsed.password) return 'it contains credentials; put them in a Secret';
  if (parsed.hash) return 'it contains a fragment (#)';
  const v = annotationValueProblem(url);
  if (v) return v;
  if (/\s/.test(url)) return 'it contains white space';
  return undefined;
}

/** Why `cidr` is not a CIDR, or undefined. Bare addresses are accepted as /32 or /128. @internal */
export function cidrProblem(cidr: string): string | undefined {
  const text = cidr.includes('/') ? cidr : `${cidr}/${cidr.includes(':') ? 128 : 32}`;
  const c = parseCidr(text);
  if (!c) return 'it is not a CIDR (write e.g. 203.0.113.0/24)';
  const written = parseCidr(`${text.split('/')[0]}/${c.version === 4 ? 32 : 128}`)!;
  if (written.network !== c.network) return `it has bits set after the prefix; write ${c.normalized}`;
  if (c.prefix === 0) return 'it is every address; leave the allow list unset to allow every client';
  return undefined;
}

/** Why `name` is not an HTTP header name (RFC 9110 token), or undefined. @internal */
export function headerNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/.test(name)) return 'it must be letters, digits and "-" (an HTTP header name), at most 128 characters';
  return undefined;
}

/** Why `origin` is not a CORS origin, or undefined. @internal */
export function originProblem(origin: string): string | undefined {
  if (origin === '*') return undefined;
  const m = /^(https?):\/\/([a-z0-9.-]+|\*\.[a-z0-9.-]+)(:\d{1,5})?$/.exec(origin);
  if (!m) return 'it must be scheme://host[:port] with no path, e.g. https://app.example.com';
  const host = m[2].startsWith('*.') ? m[2].slice(2) : m[2];
  if (dns1123SubdomainProblem(host) && !parseIp(host)) return 'its host is not a DNS name';
  return undefined;
}

/** HTTP methods CORS may allow. @internal */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
