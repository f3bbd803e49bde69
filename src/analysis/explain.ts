/**
 * Turns evaluation results into verdicts with a human explanation: which
 * policy and rule admitted the traffic on each side, or that the pod is not
 * isolated in that direction, or which policies isolate it and that no rule
 * matched. Internal to `src/analysis`.
 */
import { tierText } from './beyond';
import { ConnectionSet } from './connection-set';
import { PairResult, RuleHit, SideResult } from './evaluate';
import { PolicyModel } from './model';
import { DirectionVerdict, Verdict } from './verdict';

/** The traffic a query asks about. */
export interface Requested {
  /** The connections asked about. */
  readonly set: ConnectionSet;
  /** `true`: every connection of `set` must be allowed (a port was given). `false`: any one of them is enough. */
  readonly specific: boolean;
  /** For example `TCP 5432`, `port "http" (TCP 8080)`, `any port`. */
  readonly description: string;
  /** Why the query cannot be allowed whatever the policies say (e.g. an unresolved named port). */
  readonly problem?: string;
}

/** Whether `allowed` allows the requested traffic. */
export function admits(allowed: ConnectionSet, requested: Requested): boolean {
  if (requested.set.isEmpty()) {
    return false;
  }
  return requested.specific ? allowed.contains(requested.set) : !allowed.intersect(requested.set).isEmpty();
}

const ruleKey = (hit: RuleHit) => `${hit.policy.id}#${hit.rule.index}`;

/**
 * Combines the results of one side over several address ranges (a CIDR query
 * cut at ipBlock boundaries): the side allows what it allows for every range.
 */
function combineSides(sides: readonly SideResult[]): { side: SideResult; admitting: (requested: Requested) => RuleHit[] } {
  if (sides.length === 1) {
    const side = sides[0];
    return { side, admitting: (requested) => side.hits.filter((h) => admits(h.connections, { ...requested, specific: false })) };
  }
  let allowed = ConnectionSet.all();
  for (const s of sides) {
    allowed = allowed.intersect(s.allowed);
  }
  const union = new Map<string, RuleHit>();
  for (const s of sides) {
    for (const h of s.hits) {
      union.set(ruleKey(h), union.get(ruleKey(h)) ?? h);
    }
  }
  // Rules that match every range first; when the range is only covered by several rules together, all of them.
  const everywhere = [...union.values()].filter((h) => sides.every((s) => s.hits.some((x) => ruleKey(x) === ruleKey(h))));
  const side: SideResult = { ...sides[0], hits: [...union.values()], allowed };
  return {
    side,
    admitting: (requested) => {
      const loose = { ...requested, specific: false };
      const common = everywhere.filter((h) => admits(h.connections, loose));
      return common.length > 0 ? common : [...union.values()].filter((h) => admits(h.connections, loose));
    },
  };
}

function policiesText(policies: readonly PolicyModel[]): string {
  return `${policies.length === 1 ? 'policy' : 'policies'} ${policies.map((p) => p.id).join(', ')}`;
}

/** How the two endpoints are named: resolved names for the verdict, short ones for the text. */
export interface EndpointNames {
  /** Workload id or `start-end[External]`. */
  readonly srcName: string;
  readonly dstName: string;
  /** `ns/name` (or the id when ambiguous), or the address as written. */
  readonly srcText: string;
  readonly dstText: string;
  /** Whether the source (destination) is a range of several addresses: a rule must then admit all of them. */
  readonly srcIsRange?: boolean;
  readonly dstIsRange?: boolean;
}

function directionVerdict(sides: readonly SideResult[], names: EndpointNames, requested: Requested): DirectionVerdict {
  const { srcText: srcName, dstText: dstName } = names;
  const { side, admitting } = combineSides(sides);
  const direction = side.direction;
  const self = direction === 'egress' ? srcName : dstName;
  const peerIsRange = direction === 'egress' ? names.dstIsRange : names.srcIsRange;
  const peer = `${peerIsRange ? 'all of ' : ''}${direction === 'egress' ? dstName : srcName}`;
  const subjectText = direction === 'egress' ? `egress from ${self}` : `ingress to ${self}`;
  const base = {
    direction,
    isolated: side.isolated,
    isolatingPolicies: side.policies.map((p) => p.id),
    connections: side.allowed.toString(),
  };
  if (side.subject === undefined) {
    return { ...base, allowed: true, admittingRules: [], text: `${subjectText} is outside the cluster; NetworkPolicy does not govern it` };
  }
  if (side.ownPod) {
    return { ...base, allowed: true, admittingRules: [], text: `${subjectText} is the pod's connection to itself, which no policy can block` };
  }
  if (side.tiers) {
    // Admin/baseline tiers or deny rules took part: say which rule decided what.
    const ok = admits(side.allowed, requested);
    const rules = ok ? admitting(requested) : [];
    return {
      ...base,
      allowed: ok,
      admittingRules: rules.map((h) => ({ policy: h.policy.id, direction, ruleIndex: h.rule.index })),
      text: tierText(side, side.tiers, requested.set, subjectText, peer),
    };
  }
  if (!side.isolated) {
    return { ...base, allowed: true, admittingRules: [], text: `${subjectText} is not isolated` };
  }
  if (admits(side.allowed, requested)) {
    const rules = admitting(requested);
    return {
      ...base,
      allowed: true,
      admittingRules: rules.map((h) => ({ policy: h.policy.id, direction, ruleIndex: h.rule.index })),
      text: `${subjectText} admitted by ${rules.map((h) => `policy ${h.policy.id} rule ${h.rule.index}`).join(', ')}`,
    };
  }
  let text = `${self} is isolated for ${direction} by ${policiesText(side.policies)}; no ${direction} rule admits ${peer} on ${requested.description}`;
  if (!side.allowed.isEmpty()) {
    text += ` (its ${direction} rules admit only ${side.allowed} ${direction === 'egress' ? 'to' : 'from'} ${peer})`;
  }
  return { ...base, allowed: false, admittingRules: [], text };
}

/**
 * The verdict for a query.
 *
 * @param pairs one result per address range when an endpoint is a CIDR, otherwise one
 */
export function explainPairs(pairs: readonly PairResult[], names: EndpointNames, requested: Requested): Verdict {
  const { srcText: srcName, dstText: dstName } = names;
  let connections = ConnectionSet.all();
  for (const p of pairs) {
    connections = connections.intersect(p.allowed);
  }
  const egress = directionVerdict(pairs.map((p) => p.egress), names, requested);
  const ingress = directionVerdict(pairs.map((p) => p.ingress), names, requested);
  const allowed = requested.problem === undefined && admits(connections, requested);
  let text: string;
  if (requested.problem !== undefined) {
    text = `denied: ${requested.problem}`;
  } else if (allowed) {
    text = `allowed: ${egress.text}; ${ingress.text}`;
  } else {
    const reasons = [egress, ingress].filter((d) => !d.allowed).map((d) => d.text);
    if (reasons.length === 0) {
      // Each side admits part of the traffic, but not the same part.
      reasons.push(`egress from ${srcName} admits only ${egress.connections || 'nothing'} and ingress to ${dstName} admits only ${ingress.connections || 'nothing'}; `
        + `together they admit ${connections.isEmpty() ? 'nothing' : connections.toString()}, not ${requested.description}`);
    }
    text = `denied: ${reasons.join('; ')}`;
  }
  return {
    allowed,
    from: names.srcName,
    to: names.dstName,
    traffic: requested.description,
    connections: connections.toString(),
    egress,
    ingress,
    text,
  };
}
