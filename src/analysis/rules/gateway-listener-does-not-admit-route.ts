import { gatewayInput, listenerAdmits, routeAttachments } from './gateway-model';
import { namespaceOf, Rule, ruleName, RuleFinding } from './rule';

/**
 * The listeners a route attaches to must admit its namespace (`allowedRoutes.namespaces`:
 * Same by default, All, or a Selector on the namespace's labels) and its kind.
 */
const rule: Rule = {
  id: 'NET022',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Admit the route\'s namespace on the Gateway listener (allowedNamespaces / allowedNamespaceLabels of SharedGateway), or attach to a listener that admits it.',
  explanation: 'A listener that does not admit the route\'s namespace (or kind) refuses the attachment (Accepted: False, NotAllowedByListeners): the route serves nothing.',
  check: (objects) => {
    const input = gatewayInput(objects);
    const out: RuleFinding[] = [];
    for (const { route: o, ref, gateway, listeners } of routeAttachments(objects)) {
      if (!gateway || listeners.length === 0) continue;
      const ns = namespaceOf(o.object);
      if (!listeners.some((l) => listenerAdmits(input, gateway.object, l, o.object.kind, ns))) {
        const which = ref.sectionName !== undefined ? `listener ${ref.sectionName}` : 'no listener';
        out.push({
          object: o,
          field: `spec.parentRefs[${ref.index}]`,
          message: `Gateway ${ref.namespace}/${ref.name}: ${which} ${ref.sectionName !== undefined ? 'does not admit' : 'admits'} ${o.object.kind}s from namespace ${ns} (allowedRoutes); admit the namespace on the Gateway (from: Selector, or its labels) or attach to a listener that does.`,
        });
      }
    }
    return out;
  },
};
export default rule;
