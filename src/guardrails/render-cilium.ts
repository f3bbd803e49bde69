/*
 * Guardrails as CiliumClusterwideNetworkPolicy (cilium.io/v2, v1.18 schema), where Cilium can
 * say the same thing. Cilium has no priorities, no Pass and no "only where no NetworkPolicy
 * decides" tier; its deny rules win over every allow of every policy, and an allow rule adds to
 * the allows of the other policies (docs.cilium.io/en/stable/security/policy/deny/,
 * .../security/policy/intro/ "enableDefaultDeny"). So:
 * - an admin Allow is an allow rule with `enableDefaultDeny: false` (it must not isolate the pods);
 * - an admin Deny is an `ingressDeny`/`egressDeny` rule (also `enableDefaultDeny: false`);
 * - an admin Pass cannot be written; baseline rules cannot either, except the baseline
 *   default deny, which is a policy selecting the pods with an empty rule per direction: the pods
 *   are isolated and allowed only what some policy allows, as with BaselineAdminNetworkPolicy
 *   Deny-all under NetworkPolicies.
 */
import { GuardPeer, GuardPolicy, GuardPort, GuardRule, GuardSubject } from './guardrail-model';
import { GuardrailAction, GuardrailTier } from './guardrail-options';
import { ciliumEndpointSelector as endpointSelector, ciliumPortProtocol } from '../engine/cilium-selectors';

function subjectSelector(s: GuardSubject): any {
  return s.pods ? endpointSelector(s.pods.namespaceSelector, s.pods.podSelector) : endpointSelector(s.namespaces ?? {}, undefined);
}

/** Cilium `toPorts[].ports[]` of a guardrail port (see ciliumPortProtocol). */
function ciliumPort(p: GuardPort): any {
  return ciliumPortProtocol(p.protocol, p);
}

function ciliumRule(r: GuardRule, dir: 'from' | 'to'): any {
  const endpoints = r.peers.filter((p) => !p.networks).map((p: GuardPeer) =>
    (p.pods ? endpointSelector(p.pods.namespaceSelector, p.pods.podSelector) : endpointSelector(p.namespaces ?? {}, undefined)));
  const cidrs = r.peers.flatMap((p) => p.networks ?? []);
  return {
    ...(endpoints.length ? { [`${dir}Endpoints`]: endpoints } : {}),
    ...(cidrs.length ? { [`${dir}CIDR`]: cidrs } : {}),
    ...(r.ports.length ? { toPorts: [{ ports: r.ports.map(ciliumPort) }] } : {}),
  };
}

/** The spec of the CiliumClusterwideNetworkPolicy for `policy`, or why it cannot be written. @internal */
export function ciliumClusterwideSpec(policy: GuardPolicy, isBaselineDefaultDeny: boolean): any | string {
  const selector = subjectSelector(policy.subject);
  if (policy.tier === GuardrailTier.BASELINE) {
    if (!isBaselineDefaultDeny) {
      return 'Cilium has no baseline tier (rules that apply only where no NetworkPolicy decides): its allows add to every policy and its denies win over all of them. ' +
        'Write this rule as an admin rule, or use the kubernetes engine with AdminNetworkPolicy/ClusterNetworkPolicy';
    }
    return { endpointSelector: selector, enableDefaultDeny: { ingress: true, egress: true }, ingress: [{}], egress: [{}] };
  }
  const spec: any = { endpointSelector: selector, enableDefaultDeny: { ingress: false, egress: false } };
  for (const [list, dir, allowKey, denyKey] of [[policy.ingress, 'from', 'ingress', 'ingressDeny'], [policy.egress, 'to', 'egress', 'egressDeny']] as const) {
    for (const r of list) {
      if (r.action === GuardrailAction.PASS) {
        return `rule "${r.name}" is a Pass rule; Cilium has no Pass (no tiers to pass to). Use the kubernetes engine with AdminNetworkPolicy/ClusterNetworkPolicy for Pass rules`;
      }
      const key = r.action === GuardrailAction.ALLOW ? allowKey : denyKey;
      (spec[key] ??= []).push(ciliumRule(r, dir));
    }
  }
  return spec;
}
