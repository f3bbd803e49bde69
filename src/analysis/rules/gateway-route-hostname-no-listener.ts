import { hostnamesIntersect, routeAttachments } from './gateway-model';
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
    const out: RuleFinding[] = [];
    for (const { route: o, ref, listeners } of routeAttachments(objects)) {
      if (listeners.length === 0) continue;
      const hosts = asArray(o.object.spec?.hostnames).filter((h) => typeof h === 'string');
      if (!listeners.some((l) => hostnamesIntersect(hosts, l?.hostname))) {
        const listenerHosts = listeners.map((l) => l?.hostname).filter((h) => h !== undefined);
        out.push({
          object: o,
          field: 'spec.hostnames',
          message: `spec.hostnames ${hosts.join(', ')} intersect no hostname of Gateway ${ref.namespace}/${ref.name}${ref.sectionName ? ` listener ${ref.sectionName}` : ''} (${listenerHosts.join(', ')}); route a host the listener serves, or add a listener for it.`,
        });
      }
    }
    return out;
  },
};
export default rule;
