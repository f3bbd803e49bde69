import { ManifestIndex } from './manifest-index';
import { containersOf, PodTemplate, selectorMatches, TemplateIndex } from './pod-spec';
import { asArray, describeObject, namespaceOf, quotedPortMessage, Rule, ruleName, RuleFinding } from './rule';

/** A named targetPort must be a container port name of every pod the Service selects. */
const rule: Rule = {
  id: 'NET011',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Name a container port like the targetPort, or use a container port name the selected pods have.',
  explanation: 'A named targetPort resolves against the container ports of each selected pod; a pod without that name gets no traffic on that port.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    const index = TemplateIndex.of(objects);
    // The named container ports of a template, by protocol: computed once per template, not once per Service port.
    const namedPorts = new Map<PodTemplate, Map<string, string[]>>();
    const namesOf = (t: PodTemplate, protocol: string): string[] => {
      let byProtocol = namedPorts.get(t);
      if (!byProtocol) {
        byProtocol = new Map();
        namedPorts.set(t, byProtocol);
      }
      let names = byProtocol.get(protocol);
      if (!names) {
        names = [];
        for (const c of containersOf(t.spec)) {
          for (const p of asArray(c.container?.ports)) {
            if ((p?.protocol ?? 'TCP') === protocol && typeof p?.name === 'string') names.push(p.name);
          }
        }
        byProtocol.set(protocol, names);
      }
      return names;
    };
    for (const o of ManifestIndex.of(objects).ofKind('Service')) {
      const svc = o.object;
      // A quoted number is an IntOrString of type string: the API server checks it as a port name
      // (ValidatePortNumOrName, IsValidPortName: at least one letter) and rejects the Service.
      asArray(svc?.spec?.ports).forEach((port, i) => {
        const target = port?.targetPort;
        if (typeof target === 'string' && /^\d+$/.test(target)) {
          out.push({ object: o, field: `spec.ports[${i}].targetPort`, message: quotedPortMessage(`spec.ports[${i}].targetPort`, target) });
        }
      });
      const selector = svc?.spec?.selector;
      if (svc?.kind !== 'Service' || !selector || Object.keys(selector).length === 0) {
        continue;
      }
      const selected = index.candidates(namespaceOf(svc), Object.entries(selector).map(([k, v]) => [k, String(v)] as const))
        .filter((t) => selectorMatches(selector, t.labels));
      asArray(svc.spec?.ports).forEach((port, i) => {
        const target = port?.targetPort;
        if (typeof target !== 'string' || /^\d+$/.test(target)) {
          return;
        }
        const protocol = port.protocol ?? 'TCP';
        for (const t of selected) {
          const names = namesOf(t, protocol);
          if (!names.includes(target)) {
            out.push({
              object: o,
              field: `spec.ports[${i}].targetPort`,
              message: `spec.ports[${i}].targetPort "${target}" is not a ${protocol} container port of ${describeObject(t.owner.object)}`
                + ` (its named ports: ${names.length === 0 ? 'none' : names.join(', ')}); name the container port "${target}" or use one of those names.`,
            });
          }
        }
      });
    }
    return out;
  },
};
export default rule;
