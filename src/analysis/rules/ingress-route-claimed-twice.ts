import { ManifestIndex } from './manifest-index';
import { asArray, describeObject, Rule, ruleName, RuleFinding } from './rule';

const CANARY = 'nginx.ingress.kubernetes.io/canary';
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const TRAEFIK_ENTRYPOINTS = 'traefik.ingress.kubernetes.io/router.entrypoints';

/**
 * Two Ingresses must not claim the same host and path (Kyverno's unique-ingress-host-and-path).
 *
 * Exact definition: a *claim* is a `spec.rules[].http.paths[]` entry, keyed by the rule's `host`
 * (`*` when unset), the path's `path` (`/` when unset) and whether its `pathType` is `Exact` (an
 * `Exact` path and a `Prefix` or `ImplementationSpecific` path of the same text are different
 * routes, as in one Ingress); the IngressClass is NOT part of the key,
 * since one public host served by two controllers is the same conflict for its clients (split-horizon
 * setups that serve one host from two classes on purpose opt out with the annotation
 * `ignore-check.cdk8s-net.io/ingress-route-claimed-twice`). Two claims with one key conflict,
 * except when the controllers keep them apart:
 *
 * - an ingress-nginx canary (`nginx.ingress.kubernetes.io/canary: "true"`) shadows a route on
 *   purpose and claims nothing;
 * - Traefik binds an Ingress to the entrypoints of `traefik.ingress.kubernetes.io/router.entrypoints`
 *   (comma-separated), and to every entrypoint without it. Two Ingresses that both name entrypoints,
 *   with no entrypoint in common (the `web` HTTP->HTTPS redirect Ingress and the `websecure` main
 *   Ingress), never serve the same request and do not conflict.
 *
 * Each conflicting claim is reported once, on the later Ingress, naming the first.
 */
const rule: Rule = {
  id: 'NET017',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Route each host and path from one Ingress per class (use a canary Ingress to shadow a route on purpose).',
  explanation: 'When two Ingresses claim one host and path (whatever their class), the controller silently picks one of them and the other route never serves; '
    + 'ingress-nginx canaries and Ingresses bound to disjoint Traefik entrypoints (router.entrypoints) do not conflict.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    /** host+path -> the Ingresses that claimed it so far, with their entrypoints. */
    const claimed = new Map<string, Array<{ readonly owner: string; readonly cls: string; readonly entrypoints?: ReadonlySet<string> }>>();
    for (const o of ManifestIndex.of(objects).ofKind('Ingress')) {
      const obj = o.object;
      const annotations = obj?.metadata?.annotations ?? {};
      if (annotations[CANARY] === 'true') continue;
      const entrypoints = entrypointsOf(annotations[TRAEFIK_ENTRYPOINTS]);
      const cls = String(obj.spec?.ingressClassName ?? annotations[CLASS_ANNOTATION] ?? '');
      const mine = new Set<string>();
      asArray(obj.spec?.rules).forEach((r, i) => asArray(r?.http?.paths).forEach((p, j) => {
        const route = `${r?.host ?? '*'}${p?.path ?? '/'}${p?.pathType === 'Exact' ? ' (Exact)' : ''}`;
        if (mine.has(route)) return;
        mine.add(route);
        const earlier = claimed.get(route) ?? [];
        const other = earlier.find((c) => !disjoint(c.entrypoints, entrypoints));
        if (other !== undefined) {
          const otherClass = other.cls !== cls && other.cls !== '' ? ` (class "${other.cls}")` : '';
          out.push({
            object: o,
            field: `spec.rules[${i}].http.paths[${j}]`,
            message: `spec.rules[${i}].http.paths[${j}] routes ${route}${cls ? ` for class "${cls}"` : ''}, which ${other.owner}${otherClass} already routes; `
              + 'route each host and path from one Ingress.',
          });
        }
        claimed.set(route, [...earlier, { owner: describeObject(obj), cls, entrypoints }]);
      }));
    }
    return out;
  },
};
export default rule;

/** The Traefik entrypoints an annotation value names; `undefined` when unset (every entrypoint). */
function entrypointsOf(value: unknown): ReadonlySet<string> | undefined {
  if (typeof value !== 'string') return undefined;
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return names.length === 0 ? undefined : new Set(names);
}

/** Whether two entrypoint sets share none; an unset side means every entrypoint. */
function disjoint(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  for (const x of a) if (b.has(x)) return false;
  return true;
}
