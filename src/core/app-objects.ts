/*
 * Objects the app made itself, read without depending on how they were made: a Service or a
 * workload of any cdk8s-plus version (28, 33, ...), or a plain `ApiObject` / generated L1 class
 * (`KubeService`, `KubeDeployment`). Entry points take them as `IConstruct` and read only what they
 * need (name, namespace, kind, selector labels, ports) through the small structural views below,
 * so no cdk8s-plus class of a particular version appears in the public API.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { failCall } from './errors';
import { describeValue, isObject } from './guards';
import type { LabelSelectorSpec } from './peer';

/** A Service port as the library reads it. @internal */
export interface AppServicePort {
  readonly port: number;
  readonly name?: string;
  readonly protocol?: string;
  /** The pods' port it forwards to: a number or a container port name (unset: the same number). */
  readonly targetPort?: number | string;
}

/**
 * What every cdk8s-plus Service (all versions) exposes: its ports, as a getter.
 * @internal
 */
interface PlusServiceView {
  readonly ports: Array<{ readonly port: number; readonly name?: string; readonly protocol?: string; readonly targetPort?: number }>;
}

/**
 * What every cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, Job; all versions) exposes:
 * its pod selector, as getters.
 * @internal
 */
interface PlusWorkloadView {
  readonly matchLabels: { [key: string]: string };
  readonly matchExpressions: Array<{ readonly key: string; readonly operator: string; readonly values?: string[] }>;
}

/** Kinds whose `spec.selector` is a LabelSelector selecting their pods. */
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

/**
 * The ApiObject behind `value`: the value itself, or the default child of a cdk8s-plus resource
 * (or of any construct whose default child is an ApiObject). `kinds` limits what is accepted.
 * @internal
 */
export function appApiObject(call: string, field: string, value: unknown, kinds: string[], advice: string): ApiObject {
  const construct = isObject(value) && isObject(value.node) ? value as unknown as IConstruct : undefined;
  if (!construct) failCall(call, `${field} is ${describeValue(value)}; ${advice}.`);
  let api: ApiObject | undefined;
  if (construct instanceof ApiObject) {
    api = construct;
  } else {
    let child: IConstruct | undefined = construct.node.defaultChild;
    while (child && !(child instanceof ApiObject)) child = child.node.defaultChild;
    api = child as ApiObject | undefined;
  }
  if (!api) failCall(call, `${field} (${construct.node.path}) has no Kubernetes object as its default child; ${advice}.`);
  if (!kinds.includes(api.kind)) failCall(call, `${field} (${construct.node.path}) is ${article(api.kind)}, not ${article(kinds.join(' or '))}; ${advice}.`);
  return api;
}

/** `a Service`, `an Ingress`. */
function article(kind: string): string {
  return `${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}`;
}

/**
 * The ports of a Service the app made: read from a cdk8s-plus Service's `ports`, else from the
 * object's manifest (`spec.ports`).
 * @internal
 */
export function appServicePorts(value: IConstruct, api: ApiObject): AppServicePort[] {
  const view = value as unknown as Partial<PlusServiceView>;
  if (!(value instanceof ApiObject) && Array.isArray(view.ports)) {
    return view.ports.map((p) => ({ port: p.port, name: p.name, protocol: p.protocol, targetPort: p.targetPort }));
  }
  const ports = api.toJson()?.spec?.ports;
  return Array.isArray(ports) ? ports.map((p: any) => ({ port: p?.port, name: p?.name, protocol: p?.protocol, targetPort: p?.targetPort })) : [];
}

/**
 * The pod selector of a workload (or Service, or Pod) the app made, read when it is needed (at
 * synth, so labels added after the call count): a cdk8s-plus workload's `matchLabels` and
 * `matchExpressions`; else the manifest's `spec.selector` (workloads: a LabelSelector; Service: a
 * label map) or, for a Pod, its labels, or, for a CronJob, its pod template's labels. Undefined when the object selects nothing.
 * @internal
 */
export function appPodSelector(value: IConstruct, api: ApiObject): LabelSelectorSpec | undefined {
  // A CronJob has no selector: its pods are those of the Jobs it creates, labelled from its pod
  // template (batch/v1 CronJobSpec.JobTemplate -> JobTemplateSpec.Spec -> JobSpec.Template). A
  // cdk8s-plus CronJob's matchLabels are empty (it is made with select: false) and written nowhere.
  if (api.kind === 'CronJob') return nonEmpty({ matchLabels: { ...api.toJson()?.spec?.jobTemplate?.spec?.template?.metadata?.labels } });
  const view = value as unknown as Partial<PlusWorkloadView>;
  if (!(value instanceof ApiObject) && isObject(view.matchLabels)) {
    const expressions = Array.isArray(view.matchExpressions) ? view.matchExpressions : [];
    return nonEmpty({
      matchLabels: { ...view.matchLabels },
      matchExpressions: expressions.length > 0 ? expressions.map((e) => ({ key: e.key, operator: e.operator, values: e.values })) : undefined,
    });
  }
  const json = api.toJson();
  if (api.kind === 'Pod') return nonEmpty({ matchLabels: { ...json?.metadata?.labels } });
  if (api.kind === 'Service') return nonEmpty({ matchLabels: { ...json?.spec?.selector } });
  const selector = json?.spec?.selector;
  return nonEmpty({
    matchLabels: { ...selector?.matchLabels },
    matchExpressions: Array.isArray(selector?.matchExpressions) ? selector.matchExpressions : undefined,
  });
}

/** The kinds `Peer.workload` accepts. @internal */
export const PEER_WORKLOAD_KINDS = [...WORKLOAD_KINDS, 'CronJob', 'Pod', 'Service'];

function nonEmpty(s: LabelSelectorSpec): LabelSelectorSpec | undefined {
  const labels = Object.keys(s.matchLabels ?? {}).length;
  const expressions = s.matchExpressions?.length ?? 0;
  if (labels === 0 && expressions === 0) return undefined;
  return { matchLabels: labels > 0 ? s.matchLabels : undefined, matchExpressions: expressions > 0 ? s.matchExpressions : undefined };
}

/** An Ingress the app made, as the library reads it. @internal */
export interface AppIngress {
  readonly name: string;
  readonly namespace?: string;
  /** `spec.ingressClassName`, else the `kubernetes.io/ingress.class` annotation; undefined when neither is set. */
  readonly className?: string;
  /** `host + path` of each rule path (path `/` when a path has none), in rule order. */
  readonly routes: Array<{ readonly host: string; readonly path: string }>;
  /** `spec.tls`, as written. */
  readonly tls: Array<{ readonly hosts: string[]; readonly secretName?: string }>;
  readonly annotations: { [key: string]: string };
}

/**
 * An Ingress the app made, read from its manifest (a cdk8s-plus Ingress of any version renders
 * the same `networking.k8s.io/v1` object as a plain `KubeIngress`), at the time of the call.
 * @internal
 */
export function appIngress(api: ApiObject): AppIngress {
  const json = api.toJson() ?? {};
  const spec = isObject(json.spec) ? json.spec : {};
  const annotations: { [key: string]: string } = { ...(isObject(json.metadata?.annotations) ? json.metadata.annotations : {}) };
  const rules: any[] = Array.isArray(spec.rules) ? spec.rules : [];
  const routes = rules.flatMap((r) => {
    const host = typeof r?.host === 'string' ? r.host : '';
    const paths: any[] = Array.isArray(r?.http?.paths) ? r.http.paths : [];
    return paths.map((p) => ({ host, path: typeof p?.path === 'string' ? p.path : '/' }));
  });
  const tls: any[] = Array.isArray(spec.tls) ? spec.tls : [];
  const className = typeof spec.ingressClassName === 'string' ? spec.ingressClassName : annotations['kubernetes.io/ingress.class'];
  return {
    name: api.name,
    namespace: api.metadata.namespace,
    className,
    routes,
    tls: tls.map((t) => ({ hosts: Array.isArray(t?.hosts) ? t.hosts.filter((h: unknown) => typeof h === 'string') : [], secretName: typeof t?.secretName === 'string' ? t.secretName : undefined })),
    annotations,
  };
}
