/**
 * Shared by the Pod Security Standards rules: one finding per pod template
 * (or container) that violates a control.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
import { containersOf, ContainerRef, PodTemplate, podTemplates } from './pod-spec';
import { RuleFinding, SourcedObject } from './rule';

/** Runs `check` on every pod template; it returns `[field, message]` pairs. */
export function eachPod(objects: readonly SourcedObject[], check: (t: PodTemplate) => Array<[string, string]>): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const t of podTemplates(objects)) {
    for (const [field, message] of check(t)) {
      out.push({ object: t.owner, field: `${t.specPath}${field ? `.${field}` : ''}`, message });
    }
  }
  return out;
}

/** Runs `check` on every container of every pod template. */
export function eachContainer(objects: readonly SourcedObject[], check: (c: ContainerRef, t: PodTemplate) => Array<[string, string]>): RuleFinding[] {
  return eachPod(objects, (t) => containersOf(t.spec).flatMap((c) => check(c, t).map(([field, message]): [string, string] =>
    [`${c.path}${field ? `.${field}` : ''}`, `${containerName(c)}: ${message}`])));
}

function containerName(c: ContainerRef): string {
  return `container ${typeof c.container?.name === 'string' ? `"${c.container.name}"` : c.path}`;
}
