/**
 * One pass over the manifests of a run, shared by every rule of it: the objects by kind (in input
 * order) and the namespaces the input defines (`hasNamespace`, the one test of that for every rule). The rules of a run receive the same array, so the index
 * is built once per array (`ManifestIndex.of`), and each rule visits only the kinds it checks
 * instead of scanning every object. What several rules derive from it (the Services by name, the
 * Gateway API objects, the pod templates) is built on first use and kept with it.
 */
import { namespaceOf, SourcedObject } from './rule';
import { isClusterScoped } from '../../core/cluster-scoped';

export class ManifestIndex {
  /** The index of `objects` (built once per array). */
  public static of(objects: readonly SourcedObject[]): ManifestIndex {
    let index = ManifestIndex.cache.get(objects);
    if (!index) {
      index = new ManifestIndex(objects);
      ManifestIndex.cache.set(objects, index);
    }
    return index;
  }

  private static readonly cache = new WeakMap<readonly SourcedObject[], ManifestIndex>();

  /** The namespaces the input defines (see `hasNamespace`). */
  private readonly namespaces = new Set<string>();

  /** The objects of each kind (string kinds), in input order, with their positions in the input. */
  private readonly kinds = new Map<string, { readonly objects: SourcedObject[]; readonly positions: number[] }>();
  /** Derived lookups, built on first use. */
  private readonly derived = new Map<string, unknown>();

  private constructor(objects: readonly SourcedObject[]) {
    objects.forEach((o, i) => {
      const obj = o.object;
      const kind = obj?.kind;
      if (typeof kind !== 'string') return;
      let entry = this.kinds.get(kind);
      if (!entry) {
        entry = { objects: [], positions: [] };
        this.kinds.set(kind, entry);
      }
      entry.objects.push(o);
      entry.positions.push(i);
      if (!isClusterScoped(kind)) {
        this.namespaces.add(namespaceOf(obj));
      } else if (kind === 'Namespace' && typeof obj.metadata?.name === 'string' && obj.metadata.name !== '') {
        this.namespaces.add(obj.metadata.name);
      }
    });
  }

  /** The objects of `kind`, in input order. */
  public ofKind(kind: string): readonly SourcedObject[] {
    return this.kinds.get(kind)?.objects ?? [];
  }

  /** The objects of any of `kinds`, in input order. */
  public ofKinds(kinds: readonly string[]): readonly SourcedObject[] {
    const entries = kinds.map((k) => this.kinds.get(k)).filter((e) => e !== undefined && e.objects.length > 0);
    if (entries.length === 0) return [];
    if (entries.length === 1) return entries[0]!.objects;
    const merged: Array<[number, SourcedObject]> = [];
    for (const e of entries) e!.objects.forEach((o, i) => merged.push([e!.positions[i], o]));
    return merged.sort((a, b) => a[0] - b[0]).map(([, o]) => o);
  }

  /**
   * Whether the input defines namespace `ns`: a Namespace object of that name, or an object of a
   * namespaced kind in it. As the API server applies them:
   * - an object without `metadata.namespace` (or with `''`) lands in the namespace of the request,
   *   which kubectl takes from its context; like every rule (`namespaceOf`), the index takes that
   *   to be `default`, so such an object defines `default`;
   * - a cluster-scoped object (`CLUSTER_SCOPED_KINDS`, core/cluster-scoped.ts) is in no namespace, whatever its
   *   `metadata.namespace` says (the API server clears it: k8s.io/apiserver
   *   pkg/registry/rest/meta.go, `EnsureObjectNamespaceMatchesRequestNamespace`, "cluster-scoped,
   *   clear namespace"); a cdk8s chart's namespace lands there, on a Namespace object too, and
   *   defines nothing;
   * - an object without a string kind is not applied at all and defines nothing.
   *
   * Namespaces every cluster has (`default`, `kube-system`, ..., `isSystemNamespace`) exist
   * without being defined here: whether a rule also takes them is the rule's question (NET019
   * does, as a peer there matches pods; NET015 and the Gateway rules do not, as a Service or
   * Gateway there is not the input's).
   */
  public hasNamespace(ns: string): boolean {
    return this.namespaces.has(ns);
  }

  /** The Services by `namespace/name` (the last of two with one name). */
  public get servicesByName(): ReadonlyMap<string, any> {
    return this.memo('services', () => {
      const services = new Map<string, any>();
      for (const o of this.ofKind('Service')) services.set(`${namespaceOf(o.object)}/${o.object.metadata?.name}`, o.object);
      return services;
    });
  }

  /** A lookup derived from the input, built by `build` on first use and kept with the index. */
  public memo<T>(key: string, build: () => T): T {
    if (!this.derived.has(key)) this.derived.set(key, build());
    return this.derived.get(key) as T;
  }
}
