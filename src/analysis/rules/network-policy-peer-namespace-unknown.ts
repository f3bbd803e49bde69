import { ManifestIndex } from './manifest-index';
import { asArray, Rule, ruleName, RuleFinding } from './rule';
import { DECLARED_NAMESPACES_ANNOTATION } from '../../core/declared-peers';
import { isSystemNamespace } from '../../core/names';

const NAMESPACE_NAME = 'kubernetes.io/metadata.name';

/**
 * A NetworkPolicy peer that names pods of a namespace by name (`namespaceSelector` on
 * `kubernetes.io/metadata.name` together with a `podSelector`) must name a namespace the
 * manifests know: one they create or put objects in, or one declared external. A misspelt
 * namespace matches nothing, so the rule silently allows nothing.
 *
 * Known without declaration: `default` and every `kube-*` namespace (`kube-system`, `kube-public`,
 * `kube-node-lease`, ...). Known from the manifests: a Namespace object, or the namespace of any
 * object of a namespaced kind (`default` for one without `metadata.namespace`, none for a
 * cluster-scoped one: `ManifestIndex.hasNamespace`). What counts as declared: a peer that selects
 * a whole namespace by name
 * (`Peer.namespace('x')`, `NamespaceRef.named('x')`, `DenyAllNamespace.allowFromNamespaces`) is
 * itself the declaration that the namespace exists outside the app, and the names passed to
 * `networkPolicyPeerNamespaceUnknown(declared, howToDeclare)` (`AppValidation.declareExternalNamespaces`, the
 * `externalNamespaces` property of the cdk8s-cli plugin, `cdk8s-net check --external-namespaces a,b`), and
 * the namespaces a policy lists in its `cdk8s-secure-networking/declared-namespaces` annotation,
 * which this library writes when one of its own profiles named them (an ingress controller's
 * namespace, a Gateway data plane, a mesh control plane, `Peer.pods` with a namespace).
 * Any other namespace is unknown: the CLI sees only the manifests it is given, so a namespace
 * created elsewhere (by another chart, Helm release or the platform) must be named with
 * `--external-namespaces`.
 */
export function networkPolicyPeerNamespaceUnknown(declared: readonly string[] = [], howToDeclare?: (ns: string) => string): Rule {
  return {
    id: 'NET019',
    name: ruleName(__filename),
    level: 'error',
    synth: true,
    fix: 'Fix the namespace of the peer, or declare the namespace external (AppValidation.declareExternalNamespaces, or the externalNamespaces plugin property).',
    explanation: 'A policy peer in a namespace that does not exist matches no pod, so the connection it was written for stays blocked.',
    check: (objects) => {
      const index = ManifestIndex.of(objects);
      // Known: declared, a whole-namespace peer's, defined by the input (ManifestIndex.hasNamespace), or on every cluster.
      const known = new Set<string>(declared);
      const isKnown = (ns: string) => known.has(ns) || index.hasNamespace(ns) || isSystemNamespace(ns);
      // Where each peer is, as parts: its field is written only for a finding.
      const peers: Array<{ o: typeof objects[number]; dir: string; side: string; i: number; j: number; ns: string[]; declared: string[] }> = [];
      for (const o of index.ofKind('NetworkPolicy')) {
        const obj = o.object;
        if (obj?.kind !== 'NetworkPolicy') continue;
        const annotation = obj.metadata?.annotations?.[DECLARED_NAMESPACES_ANNOTATION];
        const declaredHere = typeof annotation === 'string' ? annotation.split(',').map((n) => n.trim()).filter((n) => n) : [];
        for (const [dir, side] of DIRECTIONS) {
          const rules = asArray(obj.spec?.[dir]);
          for (let i = 0; i < rules.length; i++) {
            const list = asArray(rules[i]?.[side]);
            for (let j = 0; j < list.length; j++) {
              const peer = list[j];
              const names = namespaceNames(peer?.namespaceSelector);
              if (names.length === 0) continue;
              if (peer.podSelector === undefined || peer.podSelector === null) {
                names.forEach((n) => known.add(n));
              } else {
                peers.push({ o, dir, side, i, j, ns: names, declared: declaredHere });
              }
            }
          }
        }
      }
      const out: RuleFinding[] = [];
      for (const p of peers) {
        for (const ns of p.ns.filter((n) => !isKnown(n) && !p.declared.includes(n))) {
          const field = `spec.${p.dir}[${p.i}].${p.side}[${p.j}].namespaceSelector`;
          out.push({
            object: p.o,
            field,
            message: `${field} names pods in namespace "${ns}", which the manifests neither create nor use and which is not declared external; `
              + `fix the namespace, or declare it (${howToDeclare ? howToDeclare(ns) : `AppValidation.of(this).declareExternalNamespaces('${ns}'), or connect to Peer.namespace('${ns}')`}).`,
          });
        }
      }
      return out;
    },
  };
}

/** The rule lists of a NetworkPolicy and their peer field (one array for every policy). */
const DIRECTIONS = [['ingress', 'from'], ['egress', 'to']] as const;

/** The namespace names a selector pins with `kubernetes.io/metadata.name` (matchLabels or `In`). */
function namespaceNames(selector: any): string[] {
  if (!selector || typeof selector !== 'object') return [];
  const label = selector.matchLabels?.[NAMESPACE_NAME];
  if (typeof label === 'string') return [label];
  const expr = asArray(selector.matchExpressions).find((e) => e?.key === NAMESPACE_NAME && e?.operator === 'In');
  return expr ? asArray(expr.values).filter((v): v is string => typeof v === 'string') : [];
}

const rule: Rule = networkPolicyPeerNamespaceUnknown();
export default rule;
