/*
 * Ingress annotation keys that put free text into a controller's configuration or were the vector
 * of a published injection advisory. TlsIngress refuses them in its raw escape hatch (unless
 * `dangerouslyAllowUnsafeAnnotations`), and the analyzer (NET041) finds them on any Ingress,
 * including one changed through `ApiObject.of(...)` after construction.
 */

/**
 * Annotation keys refused in the raw escape hatch: they put free text into the controller's
 * configuration (snippets), or were the vector of a published injection advisory.
 * @internal
 */
export function dangerousAnnotationReason(key: string): string | undefined {
  const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
  if (/snippets?$/.test(name)) return 'snippet annotations copy free text into the proxy configuration (CVE-2021-25742)';
  const advisories: { [name: string]: string } = {
    'auth-tls-match-cn': 'CVE-2025-1097',
    'mirror-target': 'CVE-2025-1098',
    'mirror-host': 'CVE-2025-1098',
    'mirror-uri': 'CVE-2025-1098',
    'auth-proxy-set-headers': 'CVE-2025-15566',
    'auth-url': 'CVE-2025-24514; use TlsIngress.externalAuthUrl, which validates the URL',
    'auth-snippet': 'CVE-2021-25742',
    'rewrite-target': 'it takes regular-expression captures ($1) that reach nginx.conf',
    'use-regex': 'regular-expression paths bypass the safe path check',
    'nginx.org/rewrites': 'it writes proxy_pass arguments',
    'rewrites': 'it writes proxy_pass arguments',
    'path-regex': 'regular-expression paths bypass the safe path check',
    'server-alias': 'it adds hosts that bypass the host checks and TLS coverage',
    'ssl-passthrough': 'it bypasses TLS termination, so none of the TLS guarantees hold',
    'plugin': 'it configures arbitrary plugins',
  };
  for (const [k, why] of Object.entries(advisories)) {
    if (name === k || key === k) return why;
  }
  return undefined;
}

