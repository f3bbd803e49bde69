/**
 * Reading fields of parsed manifests, which may be malformed (an analyzer reads what a user wrote,
 * not what the API server stored): absent lists are empty, an unset namespace is `default`, label
 * values are strings. And how the compilers report a problem of a policy. Internal to
 * `src/analysis`.
 */

type Json = any;

/**
 * Receives a problem of a policy (a message without the `NetworkAnalysis: ` prefix). `compile`
 * throws at the first; `networkPolicyProblems` collects them all, the compiler going on with the
 * rest of the policy (the faulty field left out).
 */
export type Report = (message: string) => void;

/** The `Report` that throws at the first problem (what `compile` does). */
export const throwFirst: Report = (message) => {
  throw new Error(`NetworkAnalysis: ${message}`);
};

/** The namespace of a namespaced object (`default` when unset, as the API server defaults it). */
export function namespaceOf(obj: Json): string {
  const ns = obj?.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

/** A labels map with string values (`null` as `''`); empty when absent. */
export function labelsOf(labels: Json): Record<string, string> {
  const out: Record<string, string> = {};
  if (labels && typeof labels === 'object') {
    for (const [k, v] of Object.entries(labels)) {
      out[k] = v === null || v === undefined ? '' : String(v);
    }
  }
  return out;
}

/** A list field, empty when absent or not a list. */
export function asArray(value: Json): Json[] {
  return Array.isArray(value) ? value : [];
}

/** Whether an object is of the Gateway API (`gateway.networking.k8s.io/<version>`). */
export function isGatewayApi(obj: Json): boolean {
  return String(obj?.apiVersion ?? '').startsWith('gateway.networking.k8s.io/');
}

/**
 * The finding for a port field (IntOrString) holding a quoted number such as "8080": to the API
 * server it is a port name, which needs a letter (IsValidPortName), so the object is rejected.
 */
export function quotedPortMessage(field: string, value: string): string {
  return `${field} "${value}" is a quoted number, which the API server reads as a port name and rejects (a port name must contain at least one letter); `
    + `write ${value} without quotes.`;
}
