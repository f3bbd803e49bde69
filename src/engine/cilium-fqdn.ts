/*
 * Egress to DNS names with Cilium: a CiliumNetworkPolicy (cilium.io/v2, v1.18 schema) next to a
 * workload's NetworkPolicy, selecting the same pods, with
 * - one egress rule per DNS name: `toFQDNs` (`matchName`, or `matchPattern` for a wildcard such
 *   as `*.s3.amazonaws.com`) and `toPorts` (the dependency's ports);
 * - the rule Cilium's DNS proxy needs: egress to the cluster DNS pods on port 53 (ANY: UDP and
 *   TCP) with `rules.dns` (`matchPattern: '*'`). Without an L7 DNS rule the proxy does not see the
 *   lookups, learns no address for the names, and the toFQDNs rules allow nothing
 *   (docs.cilium.io/en/stable/security/policy/language/#dns-based, "a DNS rule is required").
 *
 * Cilium combines its policies with NetworkPolicies: a pod selected by any policy for a
 * direction is isolated for it, and a connection is allowed when any policy allows it
 * (docs.cilium.io/en/stable/network/kubernetes/policy/). The workload's NetworkPolicy already
 * isolates its egress, so this policy only adds the names.
 */
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ciliumEndpointSelector, ciliumPortProtocol } from './cilium-selectors';
import { PolicyEngine } from './policy-engine';
import { uniqueId } from '../core/errors';
import { LabelKeys } from '../core/labels';
import { lazyModule } from '../core/lazy-module';
import { allowsEveryPort, Port } from '../core/port';
import { toKubeSelector, WorkloadPolicy } from '../core/workload-policy';
import type { CiliumNetworkPolicySpecEgress, CiliumNetworkPolicySpecEgressToPortsPortsProtocol } from '../imports/cnp-cilium.io';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cilium = lazyModule((): typeof import('../imports/cnp-cilium.io') => require('../imports/cnp-cilium.io'));

const ID = 'CiliumFqdnEgress';

/** Whether a DNS name is a wildcard (`*.example.com`). @internal */
export function isDnsPattern(name: string): boolean {
  return name.includes('*');
}

/** The `toFQDNs` entry of a DNS name. @internal */
export function toFqdnSelector(name: string): { matchName?: string; matchPattern?: string } {
  return isDnsPattern(name) ? { matchPattern: name } : { matchName: name };
}

/**
 * Allows the pods of `policy` egress to `hostname` on `ports` (empty: every port), in the
 * CiliumNetworkPolicy `<policy name>-fqdn` next to it (made on first use).
 * @internal
 */
export function allowCiliumFqdnEgress(policy: WorkloadPolicy, engine: PolicyEngine, hostname: string, ports: Port[]): void {
  const existing = policy.node.tryFindChild(ID) as CiliumFqdnEgress | undefined;
  (existing ?? new CiliumFqdnEgress(policy, ID, policy, engine)).allow(hostname, ports);
}

/** The CiliumNetworkPolicy of one workload's DNS names. */
class CiliumFqdnEgress extends Construct {
  private readonly names = new Map<string, Port[]>();

  constructor(scope: Construct, id: string, private readonly policy: WorkloadPolicy, private readonly engine: PolicyEngine) {
    super(scope, uniqueId(scope, id, new.target.name));
    new cilium.CiliumNetworkPolicy(this, 'Resource', {
      metadata: { name: `${policy.name}-fqdn`, namespace: policy.namespace, labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE } },
      spec: Lazy.any({ produce: () => this.spec() }),
    });
  }

  public allow(hostname: string, ports: Port[]): void {
    const before = this.names.get(hostname);
    if (!before) {
      this.names.set(hostname, [...ports]);
    } else if (before.length > 0) {
      if (ports.length === 0) before.length = 0;
      else for (const p of ports) if (!before.some((b) => b.covers(p))) before.push(p);
    }
  }

  private spec(): any {
    const dns = this.engine._dns;
    const egress: CiliumNetworkPolicySpecEgress[] = [{
      toEndpoints: [ciliumEndpointSelector({ matchLabels: { [LabelKeys.NAMESPACE_NAME]: dns.namespace } }, { matchLabels: dns.podLabels })],
      toPorts: [{
        ports: [{ port: String(dns.port), protocol: cilium.CiliumNetworkPolicySpecEgressToPortsPortsProtocol.ANY }],
        rules: { dns: [{ matchPattern: '*' }] },
      }],
    }];
    for (const [name, ports] of [...this.names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      egress.push({
        toFqdNs: [toFqdnSelector(name)],
        ...(allowsEveryPort(ports) ? {} : { toPorts: [{ ports: ports.map(ciliumPortOf) }] }),
      });
    }
    return { endpointSelector: toKubeSelector(this.policy._podSelector) ?? {}, egress };
  }
}

/** A library port as a Cilium port (see ciliumPortProtocol). */
function ciliumPortOf(p: Port): { port: string; endPort?: number; protocol?: CiliumNetworkPolicySpecEgressToPortsPortsProtocol } {
  const c = ciliumPortProtocol(p.protocol, { name: p.name, start: p.portNumber, end: p.endPort });
  return { ...c, protocol: c.protocol as CiliumNetworkPolicySpecEgressToPortsPortsProtocol | undefined };
}
