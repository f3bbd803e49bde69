/**
 * Shared by the Pod Security Standards rules: one finding per pod template
 * (or container) that violates a control.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
import { containersOf, ContainerRef, PodTemplate, podTemplates } from './pod-spec';
import { FieldFinding, RuleFinding, SourcedObject } from './rule';

/** Runs `check` on every pod template; it returns `FieldFinding`s (field relative to the pod spec, message). */
export function eachPod(objects: readonly SourcedObject[], check: (t: PodTemplate) => FieldFinding[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const t of podTemplates(objects)) {
    for (const [field, message] of check(t)) {
      out.push({ object: t.owner, field: `${t.specPath}${field ? `.${field}` : ''}`, message });
    }
  }
  return out;
}

/** Runs `check` on every container of every pod template. */
export function eachContainer(objects: readonly SourcedObject[], check: (c: ContainerRef, t: PodTemplate) => FieldFinding[]): RuleFinding[] {
  return eachPod(objects, (t) => containersOf(t.spec).flatMap((c) => check(c, t).map(([field, message]): FieldFinding =>
    [`${c.path}${field ? `.${field}` : ''}`, `${containerName(c)}: ${message}`])));
}

function containerName(c: ContainerRef): string {
  return `container ${typeof c.container?.name === 'string' ? `"${c.container.name}"` : c.path}`;
}

/** The annotations of the pods of a template (`metadata.annotations` of the pod or of the pod template). */
export function podAnnotations(t: PodTemplate): Record<string, unknown> {
  const obj = t.owner.object;
  const meta = obj?.kind === 'Pod' ? obj.metadata
    : obj?.kind === 'CronJob' ? obj.spec?.jobTemplate?.spec?.template?.metadata
      : obj?.spec?.template?.metadata;
  const annotations = meta?.annotations;
  return annotations && typeof annotations === 'object' ? annotations : {};
}

/** The security contexts of a pod: the pod's (`securityContext`) and each container's (`containers[0].securityContext`). */
export function securityContexts(t: PodTemplate): Array<{ readonly path: string; readonly context: any; readonly who: string }> {
  const out = [{ path: 'securityContext', context: t.spec?.securityContext, who: 'the pod' }];
  for (const c of containersOf(t.spec)) {
    out.push({ path: `${c.path}.securityContext`, context: c.container?.securityContext, who: containerName(c) });
  }
  return out.filter((s) => s.context && typeof s.context === 'object');
}
