import { routeAttachments } from './gateway-model';
import { ManifestIndex } from './manifest-index';
import { Rule, ruleName, RuleFinding } from './rule';

/**
 * A route's parentRef must name a Gateway of the input (and, with sectionName, one of its
 * listeners). A Gateway in a namespace the input does not contain may be the platform team's,
 * declared outside the app (`SharedGateway.fromAttributes`): it is not reported.
 */
const rule: Rule = {
  id: 'NET021',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Attach the route to a Gateway (and listener) of the app, or declare the platform\'s Gateway with SharedGateway.fromAttributes in its own namespace.',
  explanation: 'A route whose parentRef names no Gateway, or no listener of it, is attached to nothing: its hosts are not served.',
  check: (objects) => {
    const index = ManifestIndex.of(objects);
    const out: RuleFinding[] = [];
    for (const { route: o, ref, gateway, listeners } of routeAttachments(objects)) {
      const field = `spec.parentRefs[${ref.index}]`;
      if (!gateway) {
        if (index.hasNamespace(ref.namespace)) out.push({ object: o, field, message: `${field} names Gateway ${ref.namespace}/${ref.name}, which is not in the manifests; create it, fix the name, or attach to a Gateway that exists.` });
        continue;
      }
      if (ref.sectionName !== undefined && listeners.length === 0) {
        out.push({ object: o, field, message: `${field}.sectionName "${ref.sectionName}" names no listener of Gateway ${ref.namespace}/${ref.name}; use one of its listener names.` });
      }
    }
    return out;
  },
};
export default rule;
