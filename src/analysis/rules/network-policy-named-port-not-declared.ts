import { containersOf, TemplateIndex } from './pod-spec';
import { policySelections, selects } from './policies';
import { asArray, Rule, RuleFinding, ruleName } from './rule';
import { ianaSvcNameProblem } from '../../core/names';

/**
 * A named port of an ingress rule resolves against the container ports of the pods the policy
 * selects (networking/v1 NetworkPolicyPort.port: "If this is a string, it is a named port on the
 * pods"), with the rule's protocol. A name that no selected pod of the input declares opens nothing.
 *
 * Egress rules are left out: their named ports resolve against the pods their peers select, which
 * may be in namespaces or address ranges the input does not describe. A policy that selects no pod
 * template of the input is left out too (network-policy-selects-no-pods reports a non-empty
 * selector that selects none).
 */
const rule: Rule = {
  id: 'NET043',
  name: ruleName(__filename),
  level: 'warning',
  synth: true,
  fix: 'Name a container port of the selected pods like the policy port (with its protocol), or use a name or number those pods declare.',
  explanation: 'A named port of an ingress rule matches the container port of that name on the pods the policy selects; when none of them declares it, '
    + 'the rule admits nothing on that port. A warning, since pods the manifests do not contain may declare it.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    const index = TemplateIndex.of(objects);
    for (const p of policySelections(objects)) {
      const rules = asArray(p.policy.object?.spec?.ingress);
      const named = rules.some((r) => asArray(r?.ports).some((port) => typeof port?.port === 'string'));
      if (!named) continue;
      const selected = index.candidates(p.namespace, p.selector.matchLabels).filter((t) => selects(p, t, index));
      if (selected.length === 0) continue;
      // The container port names of the selected pods, each with the protocols it is declared with.
      const declared = new Map<string, Set<string>>();
      for (const t of selected) {
        for (const c of containersOf(t.spec)) {
          for (const cp of asArray(c.container?.ports)) {
            if (typeof cp?.name !== 'string') continue;
            const protocols = declared.get(cp.name) ?? new Set<string>();
            protocols.add(cp.protocol ?? 'TCP');
            declared.set(cp.name, protocols);
          }
        }
      }
      rules.forEach((r, i) => {
        asArray(r?.ports).forEach((port, j) => {
          const name = port?.port;
          const protocol = port.protocol ?? 'TCP';
          // An invalid name (a quoted number too), protocol or endPort: invalid-network-policy (NET005) reports it.
          if (typeof name !== 'string' || ianaSvcNameProblem(name) || !['TCP', 'UDP', 'SCTP'].includes(protocol) || port.endPort != null) return;
          if (declared.get(name)?.has(protocol)) return;
          const others = [...declared.get(name) ?? []];
          out.push({
            object: p.policy,
            field: `spec.ingress[${i}].ports[${j}].port`,
            message: `spec.ingress[${i}].ports[${j}].port "${name}" (${protocol}) is not a container port name of any of the ${selected.length} pod template(s) `
              + `the policy selects in namespace ${p.namespace}${others.length > 0 ? ` (they declare "${name}" as ${others.join(', ')} only)` : ''}, `
              + 'so the rule admits nothing on it; name a container port like it, or use a port those pods declare.',
          });
        });
      });
    }
    return out;
  },
};
export default rule;
