/**
 * Where pod specs live in workload manifests, shared by the pod rules.
 */
import { asArray, SourcedObject } from './rule';

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
export function podTemplates(objects: readonly SourcedObject[]): PodTemplate[] {
  return objects.map(podTemplateOf).filter((t): t is PodTemplate => t !== undefined);
}

/** Containers, init containers and ephemeral containers. */
export function containersOf(spec: any): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    asArray(spec?.[field]).forEach((container, i) => out.push({ container, path: `${field}[${i}]` }));
  }
  return out;
}

/** Whether a label selector (`matchLabels` form, as Services use) matches `labels`; an empty selector matches nothing for Services. */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}
