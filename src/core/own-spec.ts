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
import { ApiObject, ApiObjectMetadataDefinition, App, IAnyProducer, ImplicitTokenResolver, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';

/** A value cdk8s would not render as it is. */
class NotPlain extends Error {}

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

/** Whether cdk8s renders plain values of `obj` unchanged but for key order. */
function rendersPlainValuesAsIs(obj: ApiObject): boolean {
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
 */
function plainMetadataJson(metadata: ApiObjectMetadataDefinition): any {
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
