/**
 * Label selectors as the API server reads them and as they match labels
 * (k8s.io/apimachinery pkg/apis/meta/v1 LabelSelector). Used by every policy compiler
 * (NetworkPolicy, network-policy-api, Cilium) and by the checks. Internal to `src/analysis`.
 */
import { asArray, labelsOf, Report, throwFirst } from './manifest-fields';
import { LabelSelector, SelectorRequirement } from './model';

type Json = any;

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * A label selector as the API server reads it. Invalid requirements are reported (and left out):
 * an unknown operator, `In`/`NotIn` without values, `Exists`/`DoesNotExist` with values
 * (k8s.io/apimachinery pkg/apis/meta/v1/validation, ValidateLabelSelectorRequirement).
 */
export function parseSelector(selector: Json, path: string, policyId: string, report: Report = throwFirst): LabelSelector {
  const matchLabels = Object.entries(labelsOf(selector?.matchLabels));
  const where = policyId === '' ? '' : ` in policy ${policyId}`;
  const matchExpressions: SelectorRequirement[] = asArray(selector?.matchExpressions).flatMap((e, i) => {
    const problem = selectorRequirementProblem(e);
    if (problem) {
      report(`${path}.matchExpressions[${i}].${problem.field}${where} ${problem.message}.`);
      return [];
    }
    return [{ key: String(e.key), operator: e.operator as SelectorRequirement['operator'], values: asArray(e.values).map(String) }];
  });
  return { matchLabels, matchExpressions };
}

/**
 * Why the API server refuses a `matchExpressions` entry (the field, after the entry's path, and
 * what is wrong with it), or undefined.
 */
export function selectorRequirementProblem(e: Json): { field: string; message: string } | undefined {
  const operator = String(e?.operator);
  if (!OPERATORS.includes(operator)) {
    return { field: `operator "${operator}"`, message: 'is not In, NotIn, Exists or DoesNotExist' };
  }
  const values = asArray(e?.values);
  if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
    return { field: 'values', message: `is empty; operator ${operator} needs at least one value (key "${String(e?.key)}")` };
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
    return { field: 'values', message: `must be empty with operator ${operator} (key "${String(e?.key)}" has ${values.length}); remove them` };
  }
  return undefined;
}

/** Label selector semantics: every matchLabels pair and every expression must hold. */
export function matchesSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of selector.matchLabels) {
    if (labels[k] !== v) {
      return false;
    }
  }
  for (const e of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.includes(labels[e.key])) {
          return false;
        }
        break;
      case 'NotIn':
        // NotIn also matches objects that do not have the key at all.
        if (has && e.values.includes(labels[e.key])) {
          return false;
        }
        break;
      case 'Exists':
        if (!has) {
          return false;
        }
        break;
      case 'DoesNotExist':
        if (has) {
          return false;
        }
        break;
    }
  }
  return true;
}
