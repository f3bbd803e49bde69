/*
 * The network-policy-api conformance suite, statically.
 *
 * test/analysis/network-policy-api/cases.json is this project's translation of the suite of
 * kubernetes-sigs/network-policy-api (conformance/tests/*.go and conformance/base/*.yaml at tag
 * v0.1.8 for AdminNetworkPolicy/BaselineAdminNetworkPolicy; the v0.2.0 suite probes the same pairs
 * against the same rules written as ClusterNetworkPolicy, tiers Admin and Baseline, baseline
 * priority 10). Each case is one conformance test: its policies in a neutral form, then its
 * sub-tests in order, each with the changes it patches in (they stay for the rest of the test, as
 * in the suite) and its probes: [client pod, server pod, protocol, port, expected].
 *
 * Here the neutral policies are written both ways (v1alpha1 and v1alpha2), the suite's base
 * manifests are modelled (five namespaces labelled conformance-house, a StatefulSet of two pods in
 * each, container ports 80/TCP "web" and 53/UDP "dns"), and every probe must get the suite's
 * answer from NetworkAnalysis. Replicas of one StatefulSet are one endpoint to a static analyzer,
 * as no rule of the suite tells them apart by labels.
 *
 * Steps marked `runtime` need what manifests do not hold (pod and node addresses, host-network
 * pods): they are listed, with the reason, in the last test, and not counted as agreement.
 */
import * as fs from 'fs';
import * as path from 'path';
import { NetworkAnalysis } from '../../src/analysis';

type Labels = { [k: string]: string };
interface NeutralPeer { readonly ns?: Labels; readonly pods?: Labels; readonly networks?: string[] }
interface NeutralRule { readonly name: string; readonly action: 'Allow' | 'Deny' | 'Pass'; readonly peers: NeutralPeer[]; readonly ports?: Array<string | [string, number?, number?]> }
interface NeutralPolicy {
  readonly kind?: 'NetworkPolicy';
  readonly name: string;
  readonly tier?: 'Admin' | 'Baseline';
  readonly priority?: number;
  readonly subject?: NeutralPeer;
  readonly ingress?: NeutralRule[];
  readonly egress?: NeutralRule[];
  readonly namespace?: string;
  readonly spec?: any;
}
type Change = ['swap', 'ingress' | 'egress', number, number] | ['action', 'ingress' | 'egress', number, 'Allow' | 'Deny' | 'Pass']
| ['priority', number] | ['deleteNetworkPolicy', string, string] | ['namedPort', 'ingress' | 'egress', number, string];
type Probe = [string, string, string, number | null, boolean | null];
interface Step { readonly name: string; readonly target?: string; readonly changes?: Change[]; readonly runtime?: string; readonly probes: Probe[] }
interface Case {
  readonly test: string;
  readonly source: string;
  readonly manifest: string;
  readonly policies: NeutralPolicy[];
  readonly steps: Step[];
}

const DATA: { cases: Case[] } = JSON.parse(fs.readFileSync(path.join(__dirname, 'network-policy-api', 'cases.json'), 'utf8'));

const HOUSES: { [house: string]: string } = {
  'gryffindor': 'harry-potter', 'slytherin': 'draco-malfoy', 'hufflepuff': 'cedric-diggory', 'ravenclaw': 'luna-lovegood', 'forbidden-forrest': 'centaur',
};
const nsName = (house: string) => `network-policy-conformance-${house}`;

function baseManifests(): any[] {
  return Object.entries(HOUSES).flatMap(([house, name]) => [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsName(house), labels: { 'conformance-house': house } } },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, namespace: nsName(house) },
      spec: {
        selector: { matchLabels: { 'conformance-house': house } },
        replicas: 2,
        template: {
          metadata: { labels: { 'conformance-house': house } },
          spec: { containers: [{ name: 'server', image: 'agnhost', ports: [{ containerPort: 80, protocol: 'TCP', name: 'web' }, { containerPort: 53, protocol: 'UDP', name: 'dns' }] }] },
        },
      },
    },
  ]);
}

/** A neutral label map: `kubernetes.io/metadata.name` values are house names. */
function selector(labels: Labels | undefined): any {
  const out: Labels = {};
  for (const [k, v] of Object.entries(labels ?? {})) out[k] = k === 'kubernetes.io/metadata.name' ? nsName(v) : v;
  return Object.keys(out).length ? { matchLabels: out } : {};
}

function peer(p: NeutralPeer): any {
  if (p.networks) return { networks: p.networks };
  if (p.pods) return { pods: { namespaceSelector: selector(p.ns), podSelector: selector(p.pods) } };
  return { namespaces: selector(p.ns) };
}

function ports(rule: NeutralRule, v2: boolean): any {
  if (!rule.ports) return {};
  if (v2) {
    return {
      protocols: rule.ports.map((p) => (typeof p === 'string' ? { destinationNamedPort: p }
        : { [p[0].toLowerCase()]: p[1] === undefined ? {} : { destinationPort: destinationPort(p) } })),
    };
  }
  return {
    ports: rule.ports.map((p) => (typeof p === 'string' ? { namedPort: p }
      : p[2] === undefined ? { portNumber: { protocol: p[0], port: p[1] } } : { portRange: { protocol: p[0], start: p[1], end: p[2] } })),
  };
}

function destinationPort(p: [string, number?, number?]): any {
  return p[2] === undefined ? { number: p[1] } : { range: { start: p[1], end: p[2] } };
}

/** The neutral policies as v1alpha1 (ANP/BANP) or v1alpha2 (ClusterNetworkPolicy) objects. */
function render(policies: readonly NeutralPolicy[], v2: boolean): any[] {
  return policies.map((p) => {
    if (p.kind === 'NetworkPolicy') {
      const spec = p.spec;
      return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.name, namespace: nsName(p.namespace!) }, spec: { ...spec, podSelector: spec.podSelector ?? {} } };
    }
    const rules = (list: NeutralRule[] | undefined, field: 'from' | 'to') => list?.map((r) => ({
      name: r.name,
      action: v2 && r.action === 'Allow' ? 'Accept' : r.action,
      [field]: r.peers.map(peer),
      ...ports(r, v2),
    }));
    const body = { subject: peer(p.subject!), ingress: rules(p.ingress, 'from'), egress: rules(p.egress, 'to') };
    if (v2) {
      return {
        apiVersion: 'policy.networking.k8s.io/v1alpha2',
        kind: 'ClusterNetworkPolicy',
        metadata: { name: p.name },
        spec: { tier: p.tier, priority: p.priority ?? 10, ...body },
      };
    }
    return p.tier === 'Admin'
      ? { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: p.name }, spec: { priority: p.priority, ...body } }
      : { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: p.name }, spec: body };
  });
}

/** A change the suite patches in, applied to the neutral policies (a new list; the old one is not touched). */
function applyChange(policies: NeutralPolicy[], target: string | undefined, change: Change): NeutralPolicy[] {
  if (change[0] === 'deleteNetworkPolicy') return policies.filter((p) => !(p.kind === 'NetworkPolicy' && p.name === change[2]));
  const tiered = policies.filter((p) => p.kind !== 'NetworkPolicy');
  const name = target ?? (tiered.length === 1 ? tiered[0].name : undefined);
  return policies.map((p) => {
    if (p.kind === 'NetworkPolicy' || p.name !== name) return p;
    if (change[0] === 'priority') return { ...p, priority: change[1] };
    const dir = change[1];
    const list = [...(p[dir] ?? [])];
    if (change[0] === 'swap') [list[change[2]], list[change[3]]] = [list[change[3]], list[change[2]]];
    if (change[0] === 'action') list[change[2]] = { ...list[change[2]], action: change[3] };
    if (change[0] === 'namedPort') list[change[2]] = { ...list[change[2]], ports: [change[3]] };
    return { ...p, [dir]: list };
  });
}

function podEndpoint(pod: string): string {
  const [house, name] = pod.split('/');
  return `${nsName(house)}/${name.replace(/-\d+$/, '')}[StatefulSet]`;
}

const decidable = (s: Step) => s.runtime === undefined;

for (const [api, v2] of [['v1alpha1 AdminNetworkPolicy/BaselineAdminNetworkPolicy (v0.1.8)', false], ['v1alpha2 ClusterNetworkPolicy (v0.2.0)', true]] as const) {
  describe(`network-policy-api conformance, ${api}`, () => {
    for (const c of DATA.cases.filter((x) => x.steps.some(decidable))) {
      test(`${c.test} (${c.source})`, () => {
        let policies = [...c.policies];
        const disagreements: string[] = [];
        for (const step of c.steps) {
          for (const change of step.changes ?? []) policies = applyChange(policies, step.target, change);
          if (!decidable(step)) continue;
          const net = NetworkAnalysis.fromManifests([...baseManifests(), ...render(policies, v2)]);
          for (const [client, server, protocol, port, expected] of step.probes) {
            const got = net.isAllowed({ from: podEndpoint(client), to: podEndpoint(server), port: port!, protocol });
            if (got !== expected) disagreements.push(`${step.name}: ${client} -> ${server} ${protocol} ${port}: suite ${expected}, analyzer ${got}`);
          }
        }
        expect(disagreements).toEqual([]);
      });
    }
  });
}

describe('network-policy-api conformance: what needs runtime state', () => {
  test('the counts, and the steps a static analyzer cannot decide, with the reason', () => {
    const steps = DATA.cases.flatMap((c) => c.steps.map((s) => ({ c, s })));
    const probes = (list: typeof steps) => list.reduce((n, x) => n + x.s.probes.length, 0);
    const runtime = steps.filter((x) => !decidable(x.s));
    expect({ tests: DATA.cases.length, probes: probes(steps), decided: probes(steps.filter((x) => decidable(x.s))), runtime: probes(runtime) })
      .toEqual({ tests: 24, probes: 289, decided: 256, runtime: 33 });
    // The README states these counts; they come from cases.json, so it must say what this test counts.
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain(`the analyzer agrees on all ${probes(steps.filter((x) => decidable(x.s)))} probes a static analyzer can decide`);
    expect(readme).toContain(`; ${probes(runtime)} need node addresses`);
    expect(runtime.map((x) => `${x.c.test}: ${x.s.name} (${x.s.probes.length} probes)`)).toEqual([
      'AdminNetworkPolicyEgressNodePeers: Should support an \'allow-egress\' rule policy for egress-node-peer (1 probes)',
      'AdminNetworkPolicyEgressNodePeers: Should support a \'pass-egress\' rule policy for egress-node-peer (1 probes)',
      'AdminNetworkPolicyEgressNodePeers: Should support a \'deny-egress\' rule policy for egress-node-peer (3 probes)',
      'AdminNetworkPolicyEgressInlineCIDRPeers: Should support an \'allow-egress\' rule policy for egress-cidr-peer (12 probes)',
      'BaselineAdminNetworkPolicyEgressNodePeers: Should support an \'allow-egress\' rule policy for egress-node-peer (2 probes)',
      'BaselineAdminNetworkPolicyEgressNodePeers: Should support a \'deny-egress\' rule policy for egress-node-peer (2 probes)',
      'BaselineAdminNetworkPolicyEgressInlineCIDRPeers: Should support an \'allow-egress\' rule policy for egress-cidr-peer (12 probes)',
    ]);
    expect([...new Set(runtime.map((x) => x.s.runtime))].length).toBe(2);
  });
});
