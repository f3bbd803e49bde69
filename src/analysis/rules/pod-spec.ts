/**
 * Where pod specs live in workload manifests, shared by the pod rules.
 */
import { ManifestIndex } from './manifest-index';
import { asArray, namespaceOf, SourcedObject } from './rule';

/** A pod spec of a Pod or a workload's pod template. */
export interface PodTemplate {
  readonly owner: SourcedObject;
  /** Path of the pod spec in the owner (`spec`, `spec.template.spec`, `spec.jobTemplate.spec.template.spec`). */
  readonly specPath: string;
  readonly spec: any;
  /** Labels of the pods. */
  readonly labels: Record<string, string>;
}

/** A container of a pod spec, with its path. */
export interface ContainerRef {
  readonly container: any;
  /** `containers[0]`, `initContainers[1]`, `ephemeralContainers[0]`. */
  readonly path: string;
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];

/** The pod spec of a Pod or workload object, if it has one. */
export function podTemplateOf(o: SourcedObject): PodTemplate | undefined {
  const obj = o.object;
  if (obj?.kind === 'Pod') {
    return { owner: o, specPath: 'spec', spec: obj.spec ?? {}, labels: obj.metadata?.labels ?? {} };
  }
  if (obj?.kind === 'CronJob') {
    const t = obj.spec?.jobTemplate?.spec?.template;
    return { owner: o, specPath: 'spec.jobTemplate.spec.template.spec', spec: t?.spec ?? {}, labels: t?.metadata?.labels ?? {} };
  }
  if (WORKLOAD_KINDS.includes(obj?.kind)) {
    const t = obj.spec?.template;
    return { owner: o, specPath: 'spec.template.spec', spec: t?.spec ?? {}, labels: t?.metadata?.labels ?? {} };
  }
  return undefined;
}

/** Every pod spec of the input. */
export function podTemplates(objects: readonly SourcedObject[]): readonly PodTemplate[] {
  const index = ManifestIndex.of(objects);
  return index.memo('podTemplates', () => index.ofKinds(['Pod', ...WORKLOAD_KINDS]).map(podTemplateOf).filter((t): t is PodTemplate => t !== undefined));
}

/** Containers, init containers and ephemeral containers. */
export function containersOf(spec: any): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of CONTAINER_FIELDS) {
    const list = asArray(spec?.[field]);
    for (let i = 0; i < list.length; i++) out.push(new Container(list[i], field, i));
  }
  return out;
}

const CONTAINER_FIELDS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** A `ContainerRef` whose path is written only when a rule reads it (most rules find nothing). */
class Container implements ContainerRef {
  public constructor(public readonly container: any, private readonly field: string, private readonly i: number) {}

  public get path(): string {
    return `${this.field}[${this.i}]`;
  }
}

/**
 * Custom resources whose controllers create pods (so a Service may select pods that no pod
 * template of the manifests shows), by API group: the Prometheus Operator labels the pods of a
 * `Prometheus` with `app.kubernetes.io/name: prometheus` and `prometheus: <name>`, which the
 * Services of kube-prometheus select.
 */
const POD_CREATING_KINDS: ReadonlyArray<{ readonly group: string; readonly kinds: readonly string[] }> = [
  { group: 'monitoring.coreos.com', kinds: ['Prometheus', 'PrometheusAgent', 'Alertmanager', 'ThanosRuler'] },
  { group: 'argoproj.io', kinds: ['Rollout'] },
  { group: 'k8s.elastic.co', kinds: ['Elasticsearch', 'Kibana', 'ApmServer', 'EnterpriseSearch', 'Beat', 'Agent', 'Logstash'] },
  { group: 'kafka.strimzi.io', kinds: ['Kafka', 'KafkaConnect', 'KafkaMirrorMaker2', 'KafkaBridge', 'KafkaNodePool'] },
  { group: 'postgresql.cnpg.io', kinds: ['Cluster', 'Pooler'] },
  { group: 'acid.zalan.do', kinds: ['postgresql'] },
  { group: 'rabbitmq.com', kinds: ['RabbitmqCluster'] },
  { group: 'serving.knative.dev', kinds: ['Service'] },
  { group: 'opentelemetry.io', kinds: ['OpenTelemetryCollector'] },
  { group: 'jaegertracing.io', kinds: ['Jaeger'] },
  { group: 'grafana.integreatly.org', kinds: ['Grafana'] },
  { group: 'keda.sh', kinds: ['ScaledJob'] },
];

/** The pod-creating custom resources of each namespace, as `Kind namespace/name, ...` (at most three named). */
export function podCreators(objects: readonly SourcedObject[]): ReadonlyMap<string, string> {
  const index = ManifestIndex.of(objects);
  return index.memo('podCreators', () => findPodCreators(index.ofKinds(POD_CREATING_KIND_NAMES)));
}

const POD_CREATING_KIND_NAMES = [...new Set(POD_CREATING_KINDS.flatMap((k) => k.kinds))];

function findPodCreators(objects: readonly SourcedObject[]): Map<string, string> {
  const byNs = new Map<string, string[]>();
  for (const o of objects) {
    const obj = o.object;
    const apiVersion = obj?.apiVersion;
    if (typeof apiVersion !== 'string' || !apiVersion.includes('/')) continue;
    const group = apiVersion.split('/')[0];
    if (!POD_CREATING_KINDS.some((k) => k.group === group && k.kinds.includes(obj.kind))) continue;
    const ns = namespaceOf(obj);
    const list = byNs.get(ns) ?? [];
    list.push(`${obj.kind} ${ns}/${String(obj.metadata?.name)}`);
    byNs.set(ns, list);
  }
  const out = new Map<string, string>();
  for (const [ns, list] of byNs) {
    out.set(ns, list.length > 3 ? `${list.slice(0, 3).join(', ')} and ${list.length - 3} more` : list.join(', '));
  }
  return out;
}

/** Whether a label selector (`matchLabels` form, as Services use) matches `labels`; an empty selector matches nothing for Services. */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const k of Object.keys(selector)) {
    if (labels?.[k] !== selector[k]) return false;
  }
  return true;
}

/**
 * The pod templates of an input, indexed by namespace and by label, so that matching every
 * Service or policy selector against the templates stays near-linear instead of comparing every
 * selector with every template. Built once per input array.
 */
export class TemplateIndex {
  /** The index of `objects` (cached per array). */
  public static of(objects: readonly SourcedObject[]): TemplateIndex {
    let index = TemplateIndex.cache.get(objects);
    if (!index) {
      index = new TemplateIndex(objects);
      TemplateIndex.cache.set(objects, index);
    }
    return index;
  }

  private static readonly cache = new WeakMap<readonly SourcedObject[], TemplateIndex>();

  public readonly templates: readonly PodTemplate[];
  private readonly namespaces = new Map<PodTemplate, string>();
  private readonly labels = new Map<PodTemplate, Record<string, string>>();
  private readonly byNamespace = new Map<string, PodTemplate[]>();
  /** Templates by namespace, label key and label value (nested maps: no key string is built per label). */
  private readonly byLabel = new Map<string, Map<string, Map<string, PodTemplate[]>>>();

  private constructor(objects: readonly SourcedObject[]) {
    this.templates = podTemplates(objects);
    for (const t of this.templates) {
      const ns = namespaceOf(t.owner.object);
      const labels: Record<string, string> = {};
      let byKey = this.byLabel.get(ns);
      if (!byKey) this.byLabel.set(ns, byKey = new Map());
      const source = t.labels ?? {};
      for (const k of Object.keys(source)) {
        const v = String(source[k]);
        labels[k] = v;
        let byValue = byKey.get(k);
        if (!byValue) byKey.set(k, byValue = new Map());
        push(byValue, v, t);
      }
      this.namespaces.set(t, ns);
      this.labels.set(t, labels);
      push(this.byNamespace, ns, t);
    }
  }

  /** The namespace of a template's pods (`default` when unset). */
  public namespaceOf(t: PodTemplate): string {
    return this.namespaces.get(t) ?? namespaceOf(t.owner.object);
  }

  /** A template's labels with string values. */
  public stringLabels(t: PodTemplate): Record<string, string> {
    return this.labels.get(t) ?? {};
  }

  /**
   * The templates of `namespace` that can match a selector with these `matchLabels`: those
   * carrying its rarest label, or every template of the namespace when it has none. Callers still
   * apply the whole selector.
   */
  public candidates(namespace: string, matchLabels: ReadonlyArray<readonly [string, string]>): PodTemplate[] {
    let best = this.byNamespace.get(namespace) ?? [];
    const byKey = this.byLabel.get(namespace);
    for (const [k, v] of matchLabels) {
      const list = byKey?.get(k)?.get(String(v)) ?? [];
      if (list.length < best.length) best = list;
      if (best.length === 0) break;
    }
    return best;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
