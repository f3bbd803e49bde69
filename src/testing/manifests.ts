import { App, Chart } from 'cdk8s';
import { appManifests, chartManifests } from '../analysis/from-chart';
import { namespaceOf } from '../analysis/manifest-fields';
import { isClusterScoped } from '../core/cluster-scoped';

/** Which synthesized objects to find. Every field that is set must match. */
export interface ManifestFilter {
  /**
   * The kind, e.g. `NetworkPolicy`.
   * @default - any kind
   */
  readonly kind?: string;
  /**
   * `metadata.name`.
   * @default - any name
   */
  readonly name?: string;
  /**
   * `metadata.namespace`; objects without one are in `default`. A cluster-scoped object (a
   * Namespace, ClusterRole, IngressClass, GatewayClass, ClusterIssuer, AdminNetworkPolicy, ...)
   * is in no namespace, even when it carries one (a Chart's namespace lands on every object; the
   * API server clears it), so it never matches a `namespace` filter.
   * @default - any namespace
   */
  readonly namespace?: string;
  /**
   * The apiVersion, e.g. `networking.k8s.io/v1`.
   * @default - any apiVersion
   */
  readonly apiVersion?: string;
  /**
   * Labels the object must carry (in `metadata.labels`).
   * @default - no label constraint
   */
  readonly labels?: { [key: string]: string };
}

/**
 * The objects a chart or app synthesizes to, for unit tests: find them by kind, name,
 * namespace and labels, and count them.
 *
 * Synthesis is that of `Testing.synth(chart)`: validations run, lazy values and JSON patches
 * are applied.
 *
 * @example
 * const manifests = Manifests.fromChart(chart);
 * manifests.count({ kind: 'NetworkPolicy', namespace: 'shop' }); // 5
 * manifests.findOne({ kind: 'Service', name: 'api' }).spec.ports;
 */
export class Manifests {
  /** The objects of one chart. */
  public static fromChart(chart: Chart): Manifests {
    return new Manifests(chartManifests(chart));
  }

  /** The objects of every chart of an app. */
  public static fromApp(app: App): Manifests {
    return new Manifests(appManifests(app));
  }

  /** Objects that are already synthesized or parsed (e.g. from YAML). */
  public static fromObjects(objects: any[]): Manifests {
    return new Manifests([...objects]);
  }

  /** Every object, in synthesis order. */
  public readonly objects: any[];

  private constructor(objects: any[]) {
    this.objects = objects;
  }

  /** The objects that match the filter, in synthesis order. */
  public find(filter: ManifestFilter = {}): any[] {
    return this.objects.filter((o) => matches(o, filter));
  }

  /** How many objects match the filter. */
  public count(filter: ManifestFilter = {}): number {
    return this.find(filter).length;
  }

  /**
   * The one object that matches the filter.
   *
   * @throws when none or several match; the message lists the objects there are
   */
  public findOne(filter: ManifestFilter): any {
    const found = this.find(filter);
    if (found.length === 1) {
      return found[0];
    }
    const near = filter.kind === undefined ? this.objects : this.objects.filter((o) => o?.kind === filter.kind);
    const list = near.length === 0 ? 'none' : near.map(describe).join(', ');
    throw new Error(`Manifests.findOne(${JSON.stringify(filter)}): ${found.length === 0 ? 'no object matches' : `${found.length} objects match (${found.map(describe).join(', ')})`}; `
      + `${filter.kind === undefined ? 'objects' : `${filter.kind} objects`}: ${list}.`);
  }

  /** Whether some object matches the filter. */
  public has(filter: ManifestFilter): boolean {
    return this.objects.some((o) => matches(o, filter));
  }

  /** The kinds present, sorted, each once. */
  public kinds(): string[] {
    return [...new Set(this.objects.map((o) => String(o?.kind)))].sort();
  }
}

function matches(o: any, filter: ManifestFilter): boolean {
  if (filter.kind !== undefined && o?.kind !== filter.kind) return false;
  if (filter.apiVersion !== undefined && o?.apiVersion !== filter.apiVersion) return false;
  if (filter.name !== undefined && o?.metadata?.name !== filter.name) return false;
  if (filter.namespace !== undefined) {
    if (namespaceIn(o) !== filter.namespace) return false;
  }
  for (const [k, v] of Object.entries(filter.labels ?? {})) {
    if (o?.metadata?.labels?.[k] !== v) return false;
  }
  return true;
}

/**
 * The namespace the object is in once applied: none for a cluster-scoped kind, whatever
 * `metadata.namespace` says (k8s.io/apiserver pkg/registry/rest/meta.go,
 * `EnsureObjectNamespaceMatchesRequestNamespace`, "cluster-scoped, clear namespace"); `default`
 * for a namespaced object without one.
 */
function namespaceIn(o: any): string | undefined {
  return isClusterScoped(o?.kind) ? undefined : namespaceOf(o);
}

function describe(o: any): string {
  const ns = isClusterScoped(o?.kind) ? undefined : o?.metadata?.namespace;
  return `${o?.kind}/${ns ? `${ns}/` : ''}${o?.metadata?.name}`;
}
