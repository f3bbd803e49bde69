import { describeObject, namespaceOf, Rule, ruleName, RuleFinding, SourcedObject } from './rule';
import { isClusterScoped } from '../../core/cluster-scoped';

/**
 * No two objects of the input are the same Kubernetes object: the same API group, kind,
 * namespace and name (cluster-scoped kinds, `CLUSTER_SCOPED_KINDS` of core/cluster-scoped.ts:
 * group, kind and name, whatever `namespace` says, as the API server ignores it). The version is not part of
 * the key (`autoscaling/v1` and `autoscaling/v2` HorizontalPodAutoscalers are one object); the
 * group is (Istio's and Linkerd's AuthorizationPolicy are different objects). Namespaced objects
 * without a namespace are in `default`, as kubectl applies them.
 *
 * The second object is reported, naming the first and where it comes from; nested Maps, so the rule
 * is linear in the number of objects.
 */
const rule: Rule = {
  id: 'NET020',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Give one of the two objects another name (the construct\'s name prop) or namespace, or remove the duplicate construct.',
  explanation: 'Two objects with the same API group, kind, namespace and name are one object in the cluster: applying the manifests keeps only the last, '
    + 'so the first is silently replaced (two SecureServices named api in one namespace write one Deployment, not two).',
  check: (objects) => {
    const out: RuleFinding[] = [];
    // group -> kind -> namespace -> name -> the first object (no key string is built per object).
    const seen = new Map<string, Map<string, Map<string, Map<string, SourcedObject>>>>();
    const groups = new Map<string, string>();
    for (const o of objects) {
      const obj = o.object;
      const kind = obj?.kind;
      const name = obj?.metadata?.name;
      if (typeof kind !== 'string' || typeof name !== 'string' || kind === '' || name === '') continue; // NET001 reports those
      const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
      const known = groups.get(apiVersion);
      const group = known ?? (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');
      if (known === undefined) groups.set(apiVersion, group);
      const clusterScoped = isClusterScoped(kind);
      const names = level(level(level(seen, group), kind), clusterScoped ? '' : namespaceOf(obj));
      const first = names.get(name);
      if (first === undefined) {
        names.set(name, o);
        continue;
      }
      out.push({
        object: o,
        field: 'metadata.name',
        message: `${describeObject(obj)}${group ? ` (${group})` : ''} is the same object as ${describeObject(first.object)} of ${first.source}`
          + `${clusterScoped ? ` (${kind} is cluster-scoped: the name alone identifies it)` : ''}; applying both keeps only the last. `
          + 'Give one of them another name (or namespace), or remove the duplicate.',
      });
    }
    return out;
  },
};
export default rule;

/** The map under `key` in `map`, created when missing. */
function level<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let next = map.get(key);
  if (next === undefined) {
    next = new Map();
    map.set(key, next);
  }
  return next;
}
