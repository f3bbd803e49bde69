/**
 * One pass over the manifests of a run, shared by every rule of it: the objects by kind (in input
 * order) and the namespaces the input has. The rules of a run receive the same array, so the index
 * is built once per array (`ManifestIndex.of`), and each rule visits only the kinds it checks
 * instead of scanning every object. What several rules derive from it (the Services by name, the
 * Gateway API objects, the pod templates) is built on first use and kept with it.
 */
import { namespaceOf, SourcedObject } from './rule';

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

  /** Names of the Namespace objects (string names only). */
  public readonly namespaceNames = new Set<string>();
  /** `metadata.namespace` (strings) of every object that is not a Namespace object with a string name. */
  public readonly objectNamespaces = new Set<string>();
  /** `metadata.namespace` (strings) of Namespace objects with a string name (a cdk8s chart's namespace lands there). */
  public readonly namespacesOfNamespaceObjects = new Set<string>();

  /** The objects of each kind (string kinds), in input order, with their positions in the input. */
  private readonly kinds = new Map<string, { readonly objects: SourcedObject[]; readonly positions: number[] }>();
  /** Derived lookups, built on first use. */
  private readonly derived = new Map<string, unknown>();

  private constructor(objects: readonly SourcedObject[]) {
    objects.forEach((o, i) => {
      const obj = o.object;
      const kind = obj?.kind;
      if (typeof kind === 'string') {
        let entry = this.kinds.get(kind);
        if (!entry) {
          entry = { objects: [], positions: [] };
          this.kinds.set(kind, entry);
        }
        entry.objects.push(o);
        entry.positions.push(i);
      }
      const name = obj?.metadata?.name;
      const ns = obj?.metadata?.namespace;
      if (kind === 'Namespace' && typeof name === 'string') {
        this.namespaceNames.add(name);
        if (typeof ns === 'string') this.namespacesOfNamespaceObjects.add(ns);
      } else if (typeof ns === 'string') {
        this.objectNamespaces.add(ns);
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

  /** Whether the input has namespace `ns`: a Namespace object of that name, or an object in it. */
  public hasNamespace(ns: string): boolean {
    return this.namespaceNames.has(ns) || this.objectNamespaces.has(ns);
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
