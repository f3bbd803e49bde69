/**
 * Runs the rules of `cdk8s-net check` over manifests. A rule that throws
 * becomes a finding (as in cdk-nag) instead of stopping the run.
 */
import { describeObject, Level, Rule, RULES, SourcedObject } from './rules';

/** One finding of a rule, ready to print or to serialise as JSON. */
export interface CheckFinding {
  /** Stable rule id, e.g. `NET010`. */
  readonly ruleId: string;
  /** The rule name (its file name), e.g. `service-selector-matches-no-pods`. */
  readonly rule: string;
  readonly level: Level;
  /** `Kind namespace/name`, or `(input)` for findings about the whole input. */
  readonly resource: string;
  /** `file:line` of the object. */
  readonly source?: string;
  /** The field the finding is about. */
  readonly field?: string;
  readonly message: string;
}

/**
 * The annotation that turns one rule off for one object, as kube-linter's
 * `ignore-check.kube-linter.io/<check>`; its value says why. Honoured wherever the rules run
 * (`cdk8s-net check`, synth validation, the cdk8s-cli plugin).
 */
export const IGNORE_ANNOTATION_PREFIX = 'ignore-check.cdk8s-net.io/';

/** Whether `object` opts out of `rule` (by name or id) with the ignore annotation. */
function optedOut(object: any, rule: Rule): boolean {
  const annotations = object?.metadata?.annotations;
  if (!annotations || typeof annotations !== 'object') return false;
  return annotations[`${IGNORE_ANNOTATION_PREFIX}${rule.name}`] !== undefined || annotations[`${IGNORE_ANNOTATION_PREFIX}${rule.id}`] !== undefined;
}

/** Runs `rules` over `objects`; findings sorted by input order, then rule id. Objects opted out of a rule are skipped. */
export function runChecks(objects: readonly SourcedObject[], rules: readonly Rule[] = RULES): CheckFinding[] {
  // Input positions, for sorting; indexed only when there is a finding to sort.
  let order: Map<SourcedObject, number> | undefined;
  const positionOf = (o: SourcedObject) => (order ??= new Map(objects.map((x, i) => [x, i]))).get(o) ?? -1;
  const found: Array<CheckFinding & { readonly order: number }> = [];
  for (const rule of rules) {
    let findings;
    try {
      findings = rule.check(objects);
    } catch (e) {
      found.push({
        ruleId: rule.id,
        rule: rule.name,
        level: 'error',
        resource: '(input)',
        message: `rule threw an error during validation: ${(e as Error)?.message ?? String(e)}`,
        order: -1,
      });
      continue;
    }
    for (const f of findings) {
      if (f.object && optedOut(f.object.object, rule)) continue;
      found.push({
        ruleId: rule.id,
        rule: rule.name,
        level: f.level ?? rule.level,
        resource: f.object ? describeObject(f.object.object) : '(input)',
        source: f.object?.source,
        field: f.field,
        message: f.message,
        order: f.object ? positionOf(f.object) : -1,
      });
    }
  }
  return found
    .sort((a, b) => a.order - b.order || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
    .map(({ order: _order, ...f }) => f);
}
