import { gatewayInput, gatewayRoutes, gatewayParentRefs, hostnamesIntersect, selectedListeners } from './gateway-model';
import { asArray, Rule, ruleName, RuleFinding } from './rule';

/** The route's hostnames must intersect the hostname of a listener it attaches to. */
const rule: Rule = {
  id: 'NET023',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Route hosts that a listener of the Gateway serves, or add a listener for the host.',
  explanation: 'A route whose hostnames intersect no hostname of the listeners it attaches to is not accepted (NoMatchingListenerHostname): none of its hosts is served.',
  check: (objects) => {
    const input = gatewayInput(objects);
    const out: RuleFinding[] = [];
    for (const o of gatewayRoutes(objects)) {
      const hosts = asArray(o.object.spec?.hostnames).filter((h) => typeof h === 'string');
      for (const ref of gatewayParentRefs(o.object)) {
        const gw = input.gateways.get(`${ref.namespace}/${ref.name}`);
        const listeners = gw ? selectedListeners(gw.object, ref.sectionName) : [];
        if (listeners.length === 0) continue;
        if (!listeners.some((l) => hostnamesIntersect(hosts, l?.hostname))) {
          const listenerHosts = listeners.map((l) => l?.hostname).filter((h) => h !== undefined);
          out.push({
            object: o,
            field: 'spec.hostnames',
            message: `spec.hostnames ${hosts.join(', ')} intersect no hostname of Gateway ${ref.namespace}/${ref.name}${ref.sectionName ? ` listener ${ref.sectionName}` : ''} (${listenerHosts.join(', ')}); route a host the listener serves, or add a listener for it.`,
          });
        }
      }
    }
    return out;
  },
};
export default rule;
