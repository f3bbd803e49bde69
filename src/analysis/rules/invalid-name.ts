import { Rule, ruleName, RuleFinding } from './rule';
import { dns1035LabelProblem, dns1123LabelProblem, dns1123SubdomainProblem } from '../../core/names';

/** Kinds whose names are DNS-1123 labels (they become host names or label values). */
const LABEL_NAMED = ['Namespace'];
/** Kinds whose names are DNS-1035 labels (a Service name becomes a DNS name and must start with a letter). */
const DNS1035_NAMED = ['Service'];

/** metadata.name and metadata.namespace must be valid names for the kind. */
const rule: Rule = {
  id: 'NET002',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Give the object (and its namespace) a name of the form the message states: lowercase letters, digits and -, as its kind requires.',
  explanation: 'The API server rejects names that are not DNS names of the form the kind requires.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    for (const o of objects) {
      const obj = o.object;
      const name = obj?.metadata?.name;
      if (typeof name === 'string' && name !== '') {
        const kind = String(obj.kind);
        const problem = DNS1035_NAMED.includes(kind) ? dns1035LabelProblem(name)
          : LABEL_NAMED.includes(kind) ? dns1123LabelProblem(name) : dns1123SubdomainProblem(name);
        if (problem) {
          out.push({ object: o, field: 'metadata.name', message: `metadata.name "${name}" is not a valid ${kind} name; ${problem}.` });
        }
      }
      const ns = obj?.metadata?.namespace;
      if (ns !== undefined && ns !== null) {
        const problem = typeof ns === 'string' ? dns1123LabelProblem(ns) : 'it is not a string';
        if (problem) {
          out.push({ object: o, field: 'metadata.namespace', message: `metadata.namespace "${ns}" is not a namespace name; ${problem}.` });
        }
      }
    }
    return out;
  },
};
export default rule;
