import { ManifestIndex } from './manifest-index';
import { asArray, Rule, ruleName, RuleFinding } from './rule';

/**
 * A NetworkPolicy rule with no `from` (ingress) or `to` (egress), or an empty list, admits every
 * source or destination: every pod of every namespace and every address outside the cluster
 * (kubernetes.io/docs/concepts/services-networking/network-policies: "If this field is empty or
 * missing, this rule matches all sources"). This library never writes one (opening to everything
 * takes `Peer.anyIpv4()` and `Peer.allPodsInCluster()`, which name what they open); this finds
 * one written by hand or widened through an escape hatch. Synth validation fails on it; in `cdk8s-net
 * check` it is a warning, since committed manifests of real projects open a direction on purpose this
 * way (kube-prometheus's `egress: [{}]`, Argo CD's argocd-server ingress).
 */
/** The rule lists of a NetworkPolicy, their peer field and what a peer is (one array for every policy). */
const DIRECTIONS = [['ingress', 'from', 'source'], ['egress', 'to', 'destination']] as const;

const rule: Rule = {
  id: 'NET042',
  name: ruleName(__filename),
  level: 'warning',
  synth: true,
  fix: 'Name the peers of the rule (from/to), or use Peer.allPodsInCluster() / Peer.anyIpv4() if opening that wide is intended.',
  explanation: 'A rule without peers admits every pod and every address on its ports, which undoes the isolation the policy exists for.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    for (const o of ManifestIndex.of(objects).ofKind('NetworkPolicy')) {
      const obj = o.object;
      if (obj?.kind !== 'NetworkPolicy') continue;
      for (const [dir, side, what] of DIRECTIONS) {
        asArray(obj.spec?.[dir]).forEach((r, i) => {
          if (asArray(r?.[side]).length > 0) return;
          const ports = asArray(r?.ports).map((p) => `${p?.protocol ?? 'TCP'} ${p?.port ?? 'any'}`);
          out.push({
            object: o,
            field: `spec.${dir}[${i}].${side}`,
            message: `spec.${dir}[${i}] has no ${side}, so it admits every ${what} (all pods of all namespaces and every address) on ${ports.length ? ports.join(', ') : 'every port'}; `
              + `name the ${what}s.`,
          });
        });
      }
    }
    return out;
  },
};
export default rule;
