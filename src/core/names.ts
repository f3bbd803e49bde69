/**
 * Name formats of the Kubernetes API server (k8s.io/apimachinery/pkg/util/validation).
 * @internal
 */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** @internal */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** @internal */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** IANA_SVC_NAME: at most 15 characters, [-a-z0-9], at least one letter, no leading, trailing or double '-'. @internal */
export const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9]|-(?=[a-z0-9]))*$/;

/** Why `name` is not a DNS-1123 label, or undefined when it is one. @internal */
export function dns1123LabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 63) return `it has ${name.length} characters; at most 63 are allowed`;
  if (!DNS1123_LABEL.test(name)) return 'it must consist of lower case alphanumeric characters or \'-\', and start and end with an alphanumeric character';
  return undefined;
}

/** Why `name` is not a DNS-1035 label (Service names), or undefined. @internal */
export function dns1035LabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 63) return `it has ${name.length} characters; at most 63 are allowed`;
  if (!DNS1035_LABEL.test(name)) return 'it must consist of lower case alphanumeric characters or \'-\', start with a letter and end with an alphanumeric character';
  return undefined;
}

/** Why `name` is not a DNS-1123 subdomain, or undefined. @internal */
export function dns1123SubdomainProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 253) return `it has ${name.length} characters; at most 253 are allowed`;
  if (!DNS1123_SUBDOMAIN.test(name)) return 'it must consist of lower case alphanumeric characters, \'-\' or \'.\', and each label must start and end with an alphanumeric character';
  return undefined;
}

/**
 * Why `name` is not a valid path segment name, or undefined: the names of RBAC objects (Role,
 * ClusterRole and their bindings), which may hold `:` (`system:aggregated-metrics-reader`) and
 * upper case; only `.`, `..` and names containing `/` or `%` are refused
 * (k8s.io/apimachinery/pkg/api/validation/path/name.go, IsValidPathSegmentName). @internal
 */
export function pathSegmentNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name === '.' || name === '..') return `it may not be "${name}"`;
  for (const c of ['/', '%']) {
    if (name.includes(c)) return `it may not contain "${c}"`;
  }
  return undefined;
}

/** Why `name` is not an IANA service name (named ports), or undefined. @internal */
export function ianaSvcNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 15) return `it has ${name.length} characters; a port name has at most 15`;
  if (!IANA_SVC_NAME.test(name)) return 'a port name must consist of lower case alphanumeric characters or \'-\', must not start or end with \'-\' or contain \'--\'';
  if (!/[a-z]/.test(name)) return 'a port name must contain at least one letter';
  return undefined;
}

/**
 * A Kubernetes-style name derived from a construct id, without a hash: `PaymentsApi` -> `payments-api`.
 * @internal
 */
export function nameFromId(id: string): string {
  // Transliterate accented Latin letters (`Café` -> `cafe`) rather than dropping them.
  return id.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Why a label key/value pair is invalid, or undefined. @internal */
export function labelProblem(key: string, value: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && dns1123SubdomainProblem(prefix)) return `label key "${key}" has an invalid prefix; it must be a DNS subdomain`;
  if (!/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name) || name.length > 63) {
    return `label key "${key}" is invalid; the name part must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`;
  }
  if (value.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value)) {
    return `label value "${value}" of "${key}" is invalid; it must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`;
  }
  return undefined;
}

/** Whether the certificate name `pattern` (maybe `*.x`) covers `host`. @internal */
export function hostCovered(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (pattern.startsWith('*.') && !host.startsWith('*.')) {
    const dot = host.indexOf('.');
    return dot > 0 && host.slice(dot + 1) === pattern.slice(2);
  }
  return false;
}

/**
 * `default` and the `kube-*` namespaces (kube-system, kube-public, kube-node-lease): every cluster
 * has them, or reserves the prefix for itself.
 * @internal
 */
export function isSystemNamespace(name: string): boolean {
  return name === 'default' || name.startsWith('kube-');
}
