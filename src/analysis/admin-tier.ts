/**
 * network-policy-api objects -> tier policies of `beyond.ts`. Internal to `src/analysis`.
 *
 * - AdminNetworkPolicy and BaselineAdminNetworkPolicy, `policy.networking.k8s.io/v1alpha1`
 *   (v0.1.8, apis/v1alpha1/adminnetworkpolicy_types.go, baselineadminnetworkpolicy_types.go,
 *   shared_types.go): subject `namespaces` or `pods`; rules `action` Allow/Deny/Pass (BANP:
 *   Allow/Deny), `from`/`to` peers `namespaces`, `pods`, egress `networks` (and `nodes`,
 *   `domainNames` of the experimental channel); `ports` `portNumber`, `portRange`, `namedPort`.
 * - ClusterNetworkPolicy, `policy.networking.k8s.io/v1alpha2` (v0.2.0,
 *   apis/v1alpha2/clusternetworkpolicy_types.go): `tier` Admin/Baseline, `priority`, actions
 *   Accept/Deny/Pass, `protocols` (`tcp`/`udp`/`sctp` with `destinationPort` number or range,
 *   `destinationNamedPort`), egress peers `networks`, `nodes`, `domainNames`.
 *
 * `nodes` peers need the cluster's nodes and their addresses, which manifests do not hold: they
 * match nothing, with a warning.
 */
import { BeyondPart, BoundaryLists, selectWorkloads, TierAction, TierPolicy, TierRule } from './beyond';
import { fullSpace, IpInterval, IpSet, parseCidr } from './ip';
import { matchesSelector, parseSelector } from './label-selector';
import { asArray } from './manifest-fields';
import { Direction, NamespaceModel, Peer, PortSpec, WorkloadModel } from './model';

type Json = any;

const GROUP = 'policy.networking.k8s.io/';

/** Whether `obj` is a network-policy-api policy this module reads. */
export function isTierPolicy(obj: Json): boolean {
  const v = typeof obj?.apiVersion === 'string' ? obj.apiVersion : '';
  return v.startsWith(GROUP) && ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'].includes(obj?.kind);
}

/** Compiles every network-policy-api policy of `objects`. */
export function compileTierPolicies(objects: readonly Json[], workloads: readonly WorkloadModel[], namespaces: readonly NamespaceModel[],
  boundaries: Readonly<Record<Direction, BoundaryLists>>): BeyondPart {
  const admin: TierPolicy[] = [];
  const baseline: TierPolicy[] = [];
  const warnings: string[] = [];
  const fqdnNames: string[] = [];
  for (const obj of objects) {
    if (!isTierPolicy(obj)) continue;
    const kind: string = obj.kind;
    const name = String(obj.metadata?.name ?? '');
    const id = `${kind}/${name}`;
    const spec = obj.spec ?? {};
    const v2 = kind === 'ClusterNetworkPolicy';
    const tier = kind === 'BaselineAdminNetworkPolicy' || (v2 && spec.tier === 'Baseline') ? 'baseline' : 'admin';
    if (v2 && spec.tier !== 'Admin' && spec.tier !== 'Baseline') {
      throw new Error(`NetworkAnalysis: spec.tier "${spec.tier}" of ${id} is not Admin or Baseline.`);
    }
    const priority = tier === 'baseline' && !v2 ? 0 : Number(spec.priority);
    if (!Number.isInteger(priority) || priority < 0 || priority > 1000) {
      throw new Error(`NetworkAnalysis: spec.priority ${spec.priority} of ${id} is not an integer 0-1000.`);
    }
    const ctx: Ctx = { id, workloads, namespaces, warnings, fqdnNames, v2 };
    const selects = subjectOf(spec.subject, ctx);
    const rules = (direction: Direction): TierRule[] => asArray(spec[direction]).map((rule: Json, index: number) =>
      compileRule(rule, index, direction, tier, ctx, boundaries[direction]));
    (tier === 'admin' ? admin : baseline).push({ id, tier, priority, selects, ingress: rules('ingress'), egress: rules('egress') });
  }
  return { admin, baseline, warnings, fqdnNames };
}

interface Ctx {
  readonly id: string;
  readonly workloads: readonly WorkloadModel[];
  readonly namespaces: readonly NamespaceModel[];
  readonly warnings: string[];
  readonly fqdnNames: string[];
  readonly v2: boolean;
}

/** `namespaces: selector` or `pods: { namespaceSelector, podSelector }` (subject and peers). */
function podsOf(peer: Json, path: string, ctx: Ctx): Set<number> | undefined {
  if (peer?.namespaces) {
    const ns = parseSelector(peer.namespaces, `${path}.namespaces`, ctx.id);
    return selectWorkloads(ctx.workloads, ctx.namespaces, (n) => matchesSelector(ns, n.labels), () => true);
  }
  if (peer?.pods) {
    const ns = parseSelector(peer.pods.namespaceSelector ?? {}, `${path}.pods.namespaceSelector`, ctx.id);
    const pods = parseSelector(peer.pods.podSelector ?? {}, `${path}.pods.podSelector`, ctx.id);
    return selectWorkloads(ctx.workloads, ctx.namespaces, (n) => matchesSelector(ns, n.labels), (w) => matchesSelector(pods, w.labels));
  }
  return undefined;
}

function subjectOf(subject: Json, ctx: Ctx): Set<number> {
  const selected = podsOf(subject, 'spec.subject', ctx);
  if (!selected) throw new Error(`NetworkAnalysis: spec.subject of ${ctx.id} sets neither namespaces nor pods.`);
  return selected;
}

function compileRule(rule: Json, index: number, direction: Direction, tier: 'admin' | 'baseline', ctx: Ctx, boundaries: BoundaryLists): TierRule {
  const path = `spec.${direction}[${index}]`;
  const raw = String(rule?.action ?? '');
  const action: TierAction | undefined = raw === 'Accept' && ctx.v2 ? 'Allow' : raw === 'Allow' && !ctx.v2 ? 'Allow' : raw === 'Deny' ? 'Deny'
    : raw === 'Pass' && (tier === 'admin' || ctx.v2) ? 'Pass' : undefined;
  if (!action) {
    throw new Error(`NetworkAnalysis: ${path}.action "${raw}" of ${ctx.id} is not one of ${ctx.v2 ? 'Accept, Deny, Pass' : tier === 'admin' ? 'Allow, Deny, Pass' : 'Allow, Deny'}.`);
  }
  const field = direction === 'ingress' ? 'from' : 'to';
  const peers: Peer[] = [];
  asArray(rule?.[field]).forEach((peer: Json, i: number) => {
    const at = `${path}.${field}[${i}]`;
    const pods = podsOf(peer, at, ctx);
    if (pods) peers.push({ type: 'pods', matches: pods });
    if (direction === 'egress' && Array.isArray(peer?.networks)) {
      const blocks = peer.networks.map((text: unknown, j: number) => {
        const cidr = parseCidr(String(text));
        if (!cidr) throw new Error(`NetworkAnalysis: ${at}.networks[${j}] "${text}" of ${ctx.id} is not a CIDR.`);
        return cidr;
      });
      const addresses = IpSet.of(...blocks);
      for (const family of [4, 6] as const) {
        for (const r of addresses.intervals(family)) for (const b of boundaries) b[family].push(r.start, r.end + 1n);
      }
      peers.push({ type: 'ip', cidr: peer.networks.join(','), except: [], addresses });
      // `networks` match cluster traffic too (AdminNetworkPolicyEgressPeer.Networks: "cluster-internal traffic will be
      // checked against the rule as well"). Pod addresses are not in manifests: a block of every address of a family
      // surely holds them; any other block is taken to hold none (with a warning when it is private address space).
      if ([4, 6].some((f) => addresses.covers(fullSpace(f as 4 | 6)))) {
        peers.push({ type: 'pods', matches: new Set(ctx.workloads.map((w) => w.index)) });
      } else if (blocks.some((b: IpInterval) => mayHoldPods(b))) {
        ctx.warnings.push(`${ctx.id} ${at}.networks (${peer.networks.join(', ')}) may hold pod addresses, which manifests do not give; pods are taken to be outside it`);
      }
    }
    if (direction === 'egress' && Array.isArray(peer?.domainNames)) {
      const names = peer.domainNames.map(String);
      ctx.fqdnNames.push(...names);
      peers.push({ type: 'fqdn', patterns: names });
    }
    if (peer?.nodes !== undefined) {
      ctx.warnings.push(`${ctx.id} ${at}.nodes is not modelled (it needs the cluster's nodes and their addresses); the peer matches nothing here`);
    }
  });
  return { index, name: String(rule?.name ?? ''), action, peers, ports: portsOf(rule, path, ctx) };
}

function portsOf(rule: Json, path: string, ctx: Ctx): PortSpec[] | undefined {
  if (ctx.v2) {
    const list = asArray(rule?.protocols);
    if (list.length === 0) return undefined;
    return list.flatMap((p: Json, i: number): PortSpec[] => {
      if (typeof p?.destinationNamedPort === 'string') return namedAnyProtocol(p.destinationNamedPort);
      for (const [key, protocol] of [['tcp', 'TCP'], ['udp', 'UDP'], ['sctp', 'SCTP']] as const) {
        if (p?.[key] === undefined) continue;
        const dp = p[key]?.destinationPort;
        if (!dp) return [{ protocol }];
        if (dp.range) return [{ protocol, port: Number(dp.range.start), endPort: Number(dp.range.end) }];
        return [{ protocol, port: Number(dp.number) }];
      }
      throw new Error(`NetworkAnalysis: ${path}.protocols[${i}] of ${ctx.id} sets none of tcp, udp, sctp, destinationNamedPort.`);
    });
  }
  const list = asArray(rule?.ports);
  if (list.length === 0) return undefined;
  return list.flatMap((p: Json, i: number): PortSpec[] => {
    if (p?.portNumber) return [{ protocol: String(p.portNumber.protocol ?? 'TCP'), port: Number(p.portNumber.port) }];
    if (p?.portRange) return [{ protocol: String(p.portRange.protocol ?? 'TCP'), port: Number(p.portRange.start), endPort: Number(p.portRange.end) }];
    if (typeof p?.namedPort === 'string') return namedAnyProtocol(p.namedPort);
    throw new Error(`NetworkAnalysis: ${path}.ports[${i}] of ${ctx.id} sets none of portNumber, portRange, namedPort.`);
  });
}

/** A named port matches the container port of that name whatever its protocol. */
function namedAnyProtocol(name: string): PortSpec[] {
  return ['TCP', 'UDP', 'SCTP'].map((protocol) => ({ protocol, name }));
}

/** Private (RFC 1918, RFC 6598 shared, IPv6 ULA) blocks, where pod networks live. */
const POD_SPACES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'].map((c) => parseCidr(c)!);

/** Addresses in those blocks that are known not to be pods': AWS's IPv6 instance metadata endpoint. */
const NOT_PODS = IpSet.of(parseCidr('fd00:ec2::254/128')!);

function mayHoldPods(block: IpInterval): boolean {
  return !NOT_PODS.covers(block) && POD_SPACES.some((space) => IpSet.of(space).overlaps(block));
}
