/*
 * Rendering the spec of an object whose spec this library builds itself (a WorkloadPolicy's
 * NetworkPolicy, a workload's PodDisruptionBudget) as JSON directly, instead of through cdk8s's
 * generic walk.
 *
 * cdk8s 2.70 renders an ApiObject by resolving every value of its props (for each value,
 * `resolve` asks `App.of(object)` for the app's resolvers, walking up the construct tree), copying
 * them again with sorted keys (`sanitizeValue`), applying the JSON patches, and, for a generated
 * class such as `KubeNetworkPolicy`, converting the result once more (`toJson_*`, which rebuilds
 * every struct key by key). For a spec of plain values (strings, numbers, booleans, plain objects
 * and arrays), with only cdk8s's own resolvers, no JSON patch and sorted keys, all of that returns
 * the same values with their keys sorted: here the library writes that JSON itself. When the
 * metadata is plain too (a name, a namespace, labels and annotations of plain values), it writes the
 * whole object (apiVersion, kind, metadata, spec); otherwise it leaves apiVersion, kind and metadata
 * to cdk8s. In every other case (a JSON patch, a resolver given to the App, CDK8S_DISABLE_SORT, a
 * value that is not plain JSON, an error) the object renders the cdk8s way, so the result is always
 * what cdk8s alone would give.
 * test/core/own-spec.test.ts compares the two renderings, key order included.
 */
import { ApiObject, ApiObjectMetadata, ApiObjectMetadataDefinition, App, DependencyGraph, IAnyProducer, ImplicitTokenResolver, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';

/** A value cdk8s would not render as it is. @internal */
export class NotPlain extends Error {}

/**
 * The `spec` of an object of this library: the props cdk8s renders, and the same spec as JSON.
 * @internal
 */
export class OwnSpec<T> implements IAnyProducer {
  /** Set while `render` lets cdk8s render everything but the spec. */
  private omitted = false;

  /**
   * @param props the spec as the generated class's props
   * @param json the spec as cdk8s would render `props()`, keys in the same order (use `leaf`,
   * `sortedMap` and `plainArray` for values that come from outside)
   */
  public constructor(private readonly props: () => T, private readonly json: () => any) {}

  /** The value of the object's `spec` prop (a Lazy whose producer is this object). */
  public lazy(): any {
    return Lazy.any(this);
  }

  /** The spec props, as cdk8s's LazyResolver asks for them; nothing while `render` writes the spec itself. */
  public produce(): T | undefined {
    return this.omitted ? undefined : this.props();
  }

  /**
   * Renders `obj` (whose `spec` prop is `lazy()`): `cdk8sRender` is the generated class's own
   * `toJson` (`super.toJson()`).
   */
  public render(obj: ApiObject, cdk8sRender: () => any): any {
    if (!rendersPlainValuesAsIs(obj)) return cdk8sRender();
    let spec: any;
    try {
      spec = this.json();
    } catch {
      return cdk8sRender();
    }
    // Plain metadata too: the whole object, in the order cdk8s writes it.
    const metadata = plainMetadataJson(obj.metadata);
    if (metadata !== undefined) return { apiVersion: obj.apiVersion, kind: obj.kind, metadata, spec };
    this.omitted = true;
    let json: any;
    try {
      json = cdk8sRender();
    } finally {
      this.omitted = false;
    }
    json.spec = spec;
    return json;
  }
}

/**
 * An object this library writes whole, every field after the metadata included (a SecureService's
 * Deployment, Service and ServiceAccount): `json(true)` gives those fields as cdk8s would render them
 * (keys sorted, plain values; it throws `NotPlain` when a value is not plain), `json(false)` the same
 * fields as the generated class's props for cdk8s to render (values cdk8s resolves, such as a metadata
 * definition's `toJson()`; IntOrString and Quantity values as `{ value }`). It renders
 * `{ apiVersion, kind, metadata, ...json(true) }` when cdk8s would render those plain values unchanged
 * (see `OwnSpec`) and its metadata is plain; otherwise the cdk8s way, so a JSON patch, a resolver or
 * metadata that is not plain renders as cdk8s alone would.
 * @internal
 */
export class OwnObject extends ApiObject {
  /**
   * @param convert the generated class's conversion of its resolved props (`toJson_KubeServiceProps`), which
   * cdk8s applies after the JSON patches: it writes each struct's keys in the schema's order and reads
   * IntOrString and Quantity values (`{ value }`), so `json(false)` gives those as `{ value }`
   */
  public constructor(scope: Construct, id: string, props: { apiVersion: string; kind: string; metadata: ApiObjectMetadata },
    fields: string[], private readonly json: (plain: boolean) => { [field: string]: unknown },
    private readonly convert: (resolved: any) => any) {
    const lazy: { [field: string]: unknown } = {};
    for (const f of fields) lazy[f] = Lazy.any({ produce: () => json(false)[f] });
    super(scope, id, { ...props, ...lazy });
  }

  public toJson(): any {
    if (rendersPlainValuesAsIs(this)) {
      const metadata = plainMetadataJson(this.metadata);
      if (metadata !== undefined) {
        try {
          return { apiVersion: this.apiVersion, kind: this.kind, metadata, ...this.json(true) };
        } catch (e) {
          if (!(e instanceof NotPlain)) throw e;
        }
      }
    }
    return { apiVersion: this.apiVersion, kind: this.kind, ...this.convert(super.toJson()) };
  }
}

/**
 * Replaces `own`, an object of this library under `scope`, by the object `make()` creates under the same id (a
 * cdk8s-plus object, asked for through an escape hatch), carrying over what was added to `own` since: its metadata
 * (labels, annotations, finalizers, owner references, other fields), its JSON patches and its dependencies. The
 * new object is the last child of `scope`; it is written where `own` was, since the object written after `own` then
 * depends on it (cdk8s writes an object after those it depends on, and otherwise in the order of the tree).
 * @internal
 */
export function replaceOwnObject<T extends IConstruct>(scope: Construct, own: ApiObject, make: () => T): T {
  // The objects of `scope` in the order cdk8s writes them (objects replaced earlier are where they were).
  const order = new DependencyGraph(scope.node).topology().filter((c): c is ApiObject => c instanceof ApiObject);
  const next = order[order.indexOf(own) + 1];
  const dependencies = own.node.dependencies;
  const patches = (own as unknown as { patches?: unknown[] }).patches ?? [];
  scope.node.tryRemoveChild(own.node.id);
  const made = make();
  const obj = ApiObject.of(made);
  copyMetadata(own.metadata, obj.metadata);
  for (const patch of patches) obj.addJsonPatch(patch as any);
  for (const d of dependencies) obj.node.addDependency(d);
  next?.node.addDependency(obj);
  return made;
}

/**
 * An object of a workload that this library writes itself (`own`) until its cdk8s-plus object is first asked for
 * (`get`), which `replace` then makes in its place (with `replaceOwnObject`); or the cdk8s-plus object, made from the
 * start.
 * @internal
 */
export class Replaceable<T extends IConstruct> {
  /** `own`, replaced by the object `replace` makes when `get` is first called. */
  public static own<T extends IConstruct>(own: ApiObject, replace: () => T): Replaceable<T> {
    return new Replaceable<T>(own, undefined, replace);
  }

  /** The cdk8s-plus object, made from the start. */
  public static made<T extends IConstruct>(made: T): Replaceable<T> {
    return new Replaceable<T>(undefined, made, () => made);
  }

  private constructor(private own: ApiObject | undefined, private made: T | undefined, private readonly replace: () => T) {}

  /** The cdk8s-plus object, made on the first call. */
  public get(): T {
    if (this.made === undefined) {
      this.made = this.replace();
      this.own = undefined;
    }
    return this.made;
  }

  /** The object written now: the own object, or the cdk8s-plus object's ApiObject once it is made. */
  public get object(): ApiObject {
    return this.made !== undefined ? ApiObject.of(this.made) : this.own!;
  }
}

/**
 * Adds what `from` holds to `to`: labels, annotations, finalizers, owner references and other fields (the name and
 * namespace are the same).
 * @internal
 */
export function copyMetadata(from: ApiObjectMetadataDefinition, to: ApiObjectMetadataDefinition): void {
  const json = from.toJson() as { [field: string]: any };
  for (const [field, value] of Object.entries(json)) {
    if (field === 'labels') for (const [k, v] of Object.entries(value)) to.addLabel(k, v as string);
    else if (field === 'annotations') for (const [k, v] of Object.entries(value)) to.addAnnotation(k, v as string);
    else if (field === 'finalizers') to.addFinalizers(...(value as string[]));
    else if (field === 'ownerReferences') for (const ref of value) to.addOwnerReference(ref);
    else if (field !== 'name' && field !== 'namespace') to.add(field, value);
  }
}

/**
 * A copy of a JSON value as cdk8s renders it: keys sorted at every level, null and undefined values
 * of objects left out; throws `NotPlain` at anything but strings, numbers, booleans, plain objects
 * and arrays.
 * @internal
 */
export function sortedJson(value: unknown): any {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(sortedJson);
  if (!isPlainObject(value)) throw new NotPlain();
  const out: { [key: string]: unknown } = {};
  for (const key of Object.keys(value).sort()) {
    const v = sortedJson(value[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** Whether cdk8s renders plain values of `obj` unchanged but for key order. @internal */
export function rendersPlainValuesAsIs(obj: ApiObject): boolean {
  const patches = (obj as unknown as { patches?: unknown }).patches;
  if (!Array.isArray(patches) || patches.length > 0 || process.env.CDK8S_DISABLE_SORT) return false;
  const resolvers = (App.of(obj) as Partial<App>).resolvers;
  return Array.isArray(resolvers)
    && resolvers.every((r) => r instanceof LazyResolver || r instanceof ImplicitTokenResolver || r instanceof NumberStringUnionResolver);
}

/**
 * The metadata as cdk8s renders it (ApiObjectMetadataDefinition.toJson, then the generated
 * `toJson_ObjectMeta`: annotations, labels, name, namespace, each map's keys sorted, empty maps left
 * out) when it holds only a name, a namespace, and labels and annotations of plain values; undefined
 * when it holds anything else (finalizers, owner references, attributes added with `add`, a value
 * cdk8s would resolve), which then renders the cdk8s way.
 * @internal
 */
export function plainMetadataJson(metadata: ApiObjectMetadataDefinition): any {
  const m = metadata as unknown as { [field: string]: unknown };
  // cdk8s keeps the options the metadata was made with (and `add`ed attributes) and writes those
  // not named below as they are.
  const extra = m._additionalAttributes;
  if (!isPlainObject(extra) || Object.keys(extra).some((k) => !METADATA_FIELDS.has(k))) return undefined;
  if (!isEmptyArray(m.finalizers) || !isEmptyArray(m.ownerReferences)) return undefined;
  try {
    const out: any = {};
    const annotations = sortedMap(m.annotations);
    if (Object.keys(annotations).length > 0) out.annotations = annotations;
    const labels = sortedMap(m.labels);
    if (Object.keys(labels).length > 0) out.labels = labels;
    if (m.name !== undefined && m.name !== null) out.name = leaf(m.name);
    if (m.namespace !== undefined && m.namespace !== null) out.namespace = leaf(m.namespace);
    return out;
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    throw e;
  }
}

/** The fields of metadata that cdk8s writes from the definition itself, over its options. */
const METADATA_FIELDS = new Set(['name', 'namespace', 'labels', 'annotations', 'finalizers', 'ownerReferences']);

function isEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

/** `value` when it is a string, a number or a boolean. @internal */
export function leaf(value: unknown): string | number | boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new NotPlain();
}

/** The value of an IntOrString when it is a string or a number (cdk8s renders others as objects, or fails). @internal */
export function intOrStringValue(value: unknown): string | number {
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new NotPlain();
}

/** A copy of a map of leaves with its keys sorted, null and undefined values left out. @internal */
export function sortedMap(map: unknown): { [key: string]: string | number | boolean } {
  if (!isPlainObject(map)) throw new NotPlain();
  const out: { [key: string]: string | number | boolean } = {};
  for (const key of Object.keys(map).sort()) {
    const v = map[key];
    if (v !== null && v !== undefined) out[key] = leaf(v);
  }
  return out;
}

/** A copy of a list of leaves. @internal */
export function plainArray(list: unknown): Array<string | number | boolean> {
  if (!Array.isArray(list)) throw new NotPlain();
  return list.map(leaf);
}

function isPlainObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
