/*
 * The checks that app-wide synth validation and the cdk8s-cli plugin run, and the runner that
 * applies them to manifests: the pure rules of `src/analysis/rules` (the same ids as
 * `cdk8s-net check`), a per-object opt-out annotation, and skipped rules. Not exported from the
 * package.
 */
import { CheckFinding, runChecks } from '../analysis/check';
import { Rule, RULES, rules as ruleList, SourcedObject } from '../analysis/rules';

/** Every rule (those of `cdk8s-net check`, which are all of them), each id once. */
export function allRules(): Rule[] {
  return [...RULES];
}

/** The ids of the rules synth validation runs (those whose file sets `synth: true`), in id order. */
export const SYNTH_RULE_IDS: readonly string[] = RULES.filter((r) => r.synth).map((r) => r.id);

/** Kept where it was exported from; the opt-out itself is applied by `runChecks` (cdk8s-net check too). */
export { IGNORE_ANNOTATION_PREFIX } from '../analysis/check';

/** Options of `checkManifests`. */
export interface CheckManifestsOptions {
  /** Namespaces the app does not create but connections may name (NET019). */
  readonly externalNamespaces?: readonly string[];
  /** Rule ids not to run. */
  readonly skipRules?: readonly string[];
  /** Run every rule of `cdk8s-net check`, not only the synth rules. */
  readonly allRules?: boolean;
  /** Keep findings about these objects only (the rules still see every object). */
  readonly isSubject?: (o: SourcedObject) => boolean;
}

/**
 * The rules `options` select, with NET019 knowing the declared namespaces. The Pod Security
 * Standards controls of the restricted profile only (PSS001-PSS004, PSS009) are warnings here, so
 * that the plugin's `allRules` reports them without failing the synth; `cdk8s-net check` makes
 * them errors unless `--pss baseline`.
 */
export function selectRules(options: CheckManifestsOptions = {}): Rule[] {
  const skip = new Set(options.skipRules ?? []);
  const all = ruleList({ externalNamespaces: options.externalNamespaces, pss: 'baseline' });
  const byId = new Map(all.map((r) => [r.id, r]));
  const ids = options.allRules ? all.map((r) => r.id) : SYNTH_RULE_IDS;
  return ids.filter((id) => !skip.has(id)).map((id) => byId.get(id)!);
}

/** Runs the selected rules over `objects` (opted-out objects are skipped by `runChecks`); drops findings on non-subject objects. */
export function checkManifests(objects: readonly SourcedObject[], options: CheckManifestsOptions = {}): CheckFinding[] {
  const rules = selectRules(options);
  const found = runChecks(objects, rules);
  if (found.length === 0) return found;
  const bySource = new Map(objects.map((o) => [o.source, o]));
  return found.filter((f) => {
    const o = f.source !== undefined ? bySource.get(f.source) : undefined;
    if (!o) return true;
    return !(options.isSubject && !options.isSubject(o));
  });
}
