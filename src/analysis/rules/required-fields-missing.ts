import { Rule, ruleName, RuleFinding } from './rule';

/** Every object needs apiVersion, kind and metadata.name (or generateName); the API server rejects it otherwise. */
const rule: Rule = {
  id: 'NET001',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Set apiVersion, kind and metadata.name on every object, and make each document a mapping.',
  explanation: 'The API server rejects objects without apiVersion, kind or metadata.name.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    for (const o of objects) {
      const obj = o.object;
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
        out.push({ object: o, message: `the document is ${Array.isArray(obj) ? 'a list' : `a ${typeof obj}`}, not a Kubernetes object; each document must be a mapping with apiVersion, kind and metadata.` });
        continue;
      }
      for (const field of ['apiVersion', 'kind']) {
        if (typeof obj[field] !== 'string' || obj[field] === '') {
          out.push({ object: o, field, message: `${field} is missing; every Kubernetes object needs one.` });
        }
      }
      const name = obj.metadata?.name;
      if ((typeof name !== 'string' || name === '') && typeof obj.metadata?.generateName !== 'string') {
        out.push({ object: o, field: 'metadata.name', message: 'metadata.name is missing; give the object a name.' });
      }
    }
    return out;
  },
};
export default rule;
