import { Rule, ruleName, RuleFinding } from './rule';
import { builtInCatalogue } from '../schema';

/**
 * Objects of built-in kinds must fit the Kubernetes schema: no unknown fields (the API server's
 * strict field validation, the default of `kubectl apply`, rejects them) and values of the right
 * type (integers for replicas and ports, strings for names, labels and env values, booleans, lists
 * and maps where the schema has them; a named port is a string only where the field is IntOrString).
 *
 * The field catalogue is that of Kubernetes 1.28, read from cdk8s-plus-28 (a peer dependency; see
 * `src/analysis/schema.ts`), plus a few later fields (`securityContext.appArmorProfile`, ...). Kinds
 * it does not know (custom resources) are not checked. Without cdk8s-plus-28 the rule reports that
 * once instead of checking.
 */
const rule: Rule = {
  id: 'NET006',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Remove the unknown field, or give the value the type the Kubernetes schema requires.',
  explanation: 'The API server rejects objects with unknown fields (strict field validation) or values of the wrong type '
    + '(checked against the Kubernetes 1.28 schema of cdk8s-plus-28).',
  check: (objects) => {
    const catalogue = builtInCatalogue();
    if (!catalogue) {
      return [{ message: 'the schema was not checked: cdk8s-plus-28 (which holds the field catalogue) is not installed; install it next to cdk8s-net.' }];
    }
    const out: RuleFinding[] = [];
    for (const o of objects) {
      if (o.object === null || typeof o.object !== 'object' || Array.isArray(o.object)) continue;
      for (const p of catalogue.check(o.object) ?? []) {
        const fix = p.message.startsWith('unknown field') ? 'remove it or fix its spelling (the API server rejects unknown fields)' : 'the API server rejects the object';
        out.push({ object: o, field: p.field, message: `${p.field}: ${p.message}; ${fix}.` });
      }
    }
    return out;
  },
};
export default rule;
