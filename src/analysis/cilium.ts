/**
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (`cilium.io/v2`, v1.18 schema) -> the
 * evaluation model. Internal to `src/analysis`.
 *
 * The subset modelled, with Cilium's semantics (docs.cilium.io/en/v1.18/security/policy/):
 * - `endpointSelector` selects pods by their labels and by their namespace, which Cilium gives
 *   every endpoint as labels: `io.kubernetes.pod.namespace` (the name) and
 *   `io.cilium.k8s.namespace.labels.<key>` (source prefixes `k8s:`, `any:` are read as none).
 *   A CiliumNetworkPolicy selects pods of its own namespace only; so do its
 *   `fromEndpoints`/`toEndpoints` unless they name a namespace (kubernetes.md, "Namespaces").
 * - Isolation: a policy with rules for a direction (`ingress`/`ingressDeny`,
 *   `egress`/`egressDeny`) isolates the selected pods for it unless
 *   `enableDefaultDeny.<direction>` is false; with NetworkPolicies, a pod is isolated when any
 *   policy isolates it, and a connection is allowed when any policy allows it
 *   (network/kubernetes/policy.md).
 * - Peers: `fromEndpoints`/`toEndpoints`, `fromCIDR`/`toCIDR`, `fromCIDRSet`/`toCIDRSet` (with
 *   `except`), `fromEntities`/`toEntities` `world` (outside the cluster), `cluster` (every pod),
 *   `all`; `toFQDNs` `matchName`/`matchPattern`. Fields of one rule are ORed; a rule with only
 *   `toPorts` allows every peer on those ports; an empty rule `{}` allows nothing.
 * - `toPorts`: `port` (a number, `0` for every port, or a named port), `endPort`, `protocol`
 *   TCP/UDP/SCTP or ANY (absent = ANY). L7 `rules` (HTTP, Kafka, DNS) are not modelled: the port
 *   counts as open, with a warning.
 * - `ingressDeny`/`egressDeny`: deny rules win over every allow (security/policy/deny.md).
 * Anything else of a rule (entities other than world/cluster/all, `toServices`, `toGroups`,
 * `fromRequires`, `icmps`, `authentication`, `nodeSelector`, CIDR groups) is reported as a
 * warning naming the policy and the field, and matches nothing.
 */
import { BeyondPart, BoundaryLists, DenyPolicy } from './beyond';
import { IpSet, parseCidr } from './ip';
import { matchesSelector, parseSelector } from './label-selector';
import { Direction, NamespaceModel, Peer, PolicyModel, PortSpec, RuleModel, WorkloadModel } from './model';

type Json = any;

const NS_NAME = 'io.kubernetes.pod.namespace';
const NS_LABEL = 'io.cilium.k8s.namespace.labels.';
const PEER_FIELDS: Readonly<Record<Direction, readonly string[]>> = {
  ingress: ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'toPorts'],
  egress: ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toEntities', 'toFQDNs', 'toPorts'],
};

/** Whether `obj` is a Cilium policy this module reads. */
export function isCiliumPolicy(obj: Json): boolean {
  return typeof obj?.apiVersion === 'string' && obj.apiVersion.startsWith('cilium.io/') &&
    (obj.kind === 'CiliumNetworkPolicy' || obj.kind === 'CiliumClusterwideNetworkPolicy');
}

interface Ctx {
  readonly id: string;
  /** The policy's namespace; undefined for a clusterwide policy. */
  readonly namespace?: string;
  readonly labels: ReadonlyArray<Readonly<Record<string, string>>>;
  readonly workloads: readonly WorkloadModel[];
  readonly warnings: string[];
  readonly fqdnNames: string[];
}

/** Compiles every Cilium policy of `objects`: allow rules as policies of the NetworkPolicy tier, deny rules apart. */
export function compileCiliumPolicies(objects: readonly Json[], workloads: readonly WorkloadModel[], namespaces: readonly NamespaceModel[],
  boundaries: Readonly<Record<Direction, BoundaryLists>>): BeyondPart {
  const policies: PolicyModel[] = [];
  const additive: PolicyModel[] = [];
  const denies: DenyPolicy[] = [];
  const warnings: string[] = [];
  const fqdnNames: string[] = [];
  let labels: Array<Record<string, string>> | undefined;
  for (const obj of objects) {
    if (!isCiliumPolicy(obj)) continue;
    // Endpoint labels as Cilium sees them: the pod's, plus its namespace's.
    labels ??= endpointLabels(workloads, namespaces);
    const clusterwide = obj.kind === 'CiliumClusterwideNetworkPolicy';
    const namespace = clusterwide ? undefined : (obj.metadata?.namespace || 'default');
    const name = String(obj.metadata?.name ?? '');
    const base = `${obj.kind} ${namespace ? `${namespace}/` : ''}${name}`;
    const specs = [...(obj.spec ? [obj.spec] : []), ...(Array.isArray(obj.specs) ? obj.specs : [])];
    specs.forEach((spec: Json, s: number) => {
      const id = specs.length > 1 ? `${base}#${s}` : base;
      const ctx: Ctx = { id, namespace, labels: labels!, workloads, warnings, fqdnNames };
      if (spec?.nodeSelector) {
        warnings.push(`${id} spec.nodeSelector is not modelled (host policies need the cluster's nodes); the rule is skipped`);
        return;
      }
      const selects = select(spec?.endpointSelector ?? {}, 'spec.endpointSelector', ctx, true);
      const defaultDeny = spec?.enableDefaultDeny ?? {};
      const has = (key: string) => Array.isArray(spec?.[key]) && spec[key].length > 0;
      const rules = (key: string, direction: Direction) => (Array.isArray(spec?.[key]) ? spec[key] : [])
        .map((rule: Json, index: number) => compileRule(rule, index, `spec.${key}[${index}]`, direction, ctx, boundaries[direction]));
      const ingress = rules('ingress', 'ingress');
      const egress = rules('egress', 'egress');
      const policy: PolicyModel = {
        id,
        namespace: namespace ?? '',
        name,
        selects,
        isolatesIngress: (has('ingress') || has('ingressDeny')) && defaultDeny.ingress !== false,
        isolatesEgress: (has('egress') || has('egressDeny')) && defaultDeny.egress !== false,
        ingress,
        egress,
      };
      policies.push(policy);
      // Without default deny for a direction, its allows still add to those of the policies that isolate.
      if ((defaultDeny.ingress === false && ingress.length > 0) || (defaultDeny.egress === false && egress.length > 0)) {
        additive.push({
          ...policy,
          ingress: defaultDeny.ingress === false ? ingress : [],
          egress: defaultDeny.egress === false ? egress : [],
        });
      }
      if (has('ingressDeny') || has('egressDeny')) {
        denies.push({ id, selects, ingress: rules('ingressDeny', 'ingress'), egress: rules('egressDeny', 'egress') });
      }
    });
  }
  return { policies, additive, denies, warnings, fqdnNames };
}

function endpointLabels(workloads: readonly WorkloadModel[], namespaces: readonly NamespaceModel[]): Array<Record<string, string>> {
  const byName = new Map(namespaces.map((n) => [n.name, n]));
  return workloads.map((w) => {
    const out: Record<string, string> = { ...w.labels, [NS_NAME]: w.namespace };
    for (const [k, v] of Object.entries(byName.get(w.namespace)?.labels ?? {})) out[`${NS_LABEL}${k}`] = v;
    return out;
  });
}

/** `k8s:app` -> `app`: the source prefix does not change which pods match. */
function bareKey(key: string): string {
  const m = /^(k8s|any):(.*)$/.exec(key);
  return m ? m[2] : key;
}

function keysOf(selector: Json): string[] {
  const expressions: Json[] = Array.isArray(selector?.matchExpressions) ? selector.matchExpressions : [];
  return [...Object.keys(selector?.matchLabels ?? {}), ...expressions.map((e: Json) => String(e?.key))];
}

/** The workloads an endpoint selector matches, for this policy. */
function select(selector: Json, path: string, ctx: Ctx, isSubject: boolean): Set<number> {
  const reserved = keysOf(selector).find((k) => /^reserved:/.test(k) || /^io\.cilium\.k8s\.policy\./.test(bareKey(k)));
  if (reserved) {
    ctx.warnings.push(`${ctx.id} ${path} uses the label "${reserved}", which this analysis does not know for pods (reserved identities, service accounts); it matches no workload here`);
    return new Set();
  }
  const normalized = {
    matchLabels: Object.fromEntries(Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => [bareKey(k), v])),
    matchExpressions: (Array.isArray(selector?.matchExpressions) ? selector.matchExpressions : [])
      .map((e: Json) => ({ ...e, key: bareKey(String(e?.key)) })),
  };
  const parsed = parseSelector(normalized, path, ctx.id);
  // A namespaced policy and its endpoint peers stay in its namespace unless a peer names one.
  const namesNamespace = keysOf(normalized).some((k) => k === NS_NAME || k.startsWith(NS_LABEL));
  const inNamespace = ctx.namespace !== undefined && (isSubject || !namesNamespace);
  const out = new Set<number>();
  for (const w of ctx.workloads) {
    if (inNamespace && w.namespace !== ctx.namespace) continue;
    if (matchesSelector(parsed, ctx.labels[w.index])) out.add(w.index);
  }
  return out;
}

function compileRule(rule: Json, index: number, path: string, direction: Direction, ctx: Ctx, boundaries: BoundaryLists): RuleModel {
  const known = PEER_FIELDS[direction];
  for (const key of Object.keys(rule ?? {})) {
    if (!known.includes(key)) {
      ctx.warnings.push(`${ctx.id} ${path}.${key} is not modelled; it matches nothing here`);
    }
  }
  const peers: Peer[] = [];
  let hasL3 = false;
  const prefix = direction === 'ingress' ? 'from' : 'to';
  const endpoints = rule?.[`${prefix}Endpoints`];
  if (Array.isArray(endpoints)) {
    hasL3 = true;
    endpoints.forEach((sel: Json, i: number) => peers.push({ type: 'pods', matches: select(sel, `${path}.${prefix}Endpoints[${i}]`, ctx, false) }));
  }
  const addBlock = (cidrText: string, except: string[], at: string) => {
    const cidr = parseCidr(cidrText);
    if (!cidr) throw new Error(`NetworkAnalysis: ${at} "${cidrText}" of ${ctx.id} is not a CIDR.`);
    const excepts = except.map((e, i) => {
      const x = parseCidr(e);
      if (!x) throw new Error(`NetworkAnalysis: ${at}.except[${i}] "${e}" of ${ctx.id} is not a CIDR.`);
      return x;
    });
    const addresses = IpSet.of(cidr).subtract(IpSet.of(...excepts));
    for (const r of addresses.intervals(cidr.family)) for (const b of boundaries) b[r.family].push(r.start, r.end + 1n);
    peers.push({ type: 'ip', cidr: cidrText, except, addresses });
  };
  const cidrs = rule?.[`${prefix}CIDR`];
  if (Array.isArray(cidrs)) {
    hasL3 = true;
    cidrs.forEach((c: Json, i: number) => addBlock(String(c), [], `${path}.${prefix}CIDR[${i}]`));
  }
  const cidrSet = rule?.[`${prefix}CIDRSet`];
  if (Array.isArray(cidrSet)) {
    hasL3 = true;
    cidrSet.forEach((c: Json, i: number) => {
      if (typeof c?.cidr !== 'string') {
        ctx.warnings.push(`${ctx.id} ${path}.${prefix}CIDRSet[${i}] names no cidr (CIDR groups and selectors are not modelled); it matches nothing here`);
        return;
      }
      addBlock(c.cidr, Array.isArray(c.except) ? c.except.map(String) : [], `${path}.${prefix}CIDRSet[${i}]`);
    });
  }
  const entities = rule?.[`${prefix}Entities`];
  if (Array.isArray(entities)) {
    hasL3 = true;
    for (const e of entities.map(String)) {
      if (e === 'world' || e === 'all') {
        addBlock('0.0.0.0/0', [], `${path}.${prefix}Entities`);
        addBlock('::/0', [], `${path}.${prefix}Entities`);
      }
      if (e === 'cluster' || e === 'all') peers.push({ type: 'pods', matches: new Set(ctx.workloads.map((w) => w.index)) });
      if (!['world', 'cluster', 'all'].includes(e)) {
        ctx.warnings.push(`${ctx.id} ${path}.${prefix}Entities "${e}" is not modelled (only world, cluster and all are); it matches nothing here`);
      }
    }
  }
  const fqdns = direction === 'egress' ? rule?.toFQDNs : undefined;
  if (Array.isArray(fqdns)) {
    hasL3 = true;
    const patterns = fqdns.map((f: Json) => String(f?.matchName ?? f?.matchPattern ?? '')).filter((n: string) => n !== '');
    ctx.fqdnNames.push(...patterns);
    peers.push({ type: 'fqdn', patterns });
  }
  const toPorts = Array.isArray(rule?.toPorts) ? rule.toPorts : [];
  const ports = toPorts.length === 0 ? undefined : toPorts.flatMap((tp: Json, i: number) => {
    // A DNS rule allowing every lookup (`matchPattern: '*'`, what DNS-name egress writes) filters nothing.
    const allDns = Object.keys(tp?.rules ?? {}).every((k) => k === 'dns') &&
      Array.isArray(tp?.rules?.dns) && tp.rules.dns.some((d: Json) => d?.matchPattern === '*');
    if (tp?.rules && Object.keys(tp.rules).length > 0 && !allDns) {
      ctx.warnings.push(`${ctx.id} ${path}.toPorts[${i}].rules (L7: ${Object.keys(tp.rules).join(', ')}) are not modelled; the ports count as open`);
    }
    const list = Array.isArray(tp?.ports) ? tp.ports : [];
    return list.length === 0 ? [{ protocol: 'TCP' }, { protocol: 'UDP' }, { protocol: 'SCTP' }] : list.flatMap((p: Json) => portSpecs(p));
  });
  // A rule with neither peers nor ports (`{}`) allows nothing; one with only ports allows every peer on them.
  const empty = !hasL3 && ports === undefined;
  return { index, peers: empty ? [] : hasL3 ? peers : undefined, ports };
}

function portSpecs(p: Json): PortSpec[] {
  const raw = String(p?.protocol ?? 'ANY').toUpperCase();
  const protocols = raw === 'ANY' || raw === '' ? ['TCP', 'UDP', 'SCTP'] : [raw];
  const text = String(p?.port ?? '0');
  if (/^\d+$/.test(text)) {
    const port = Number(text);
    if (port === 0) return protocols.map((protocol) => ({ protocol }));
    const end = p?.endPort === undefined ? undefined : Number(p.endPort);
    return protocols.map((protocol) => ({ protocol, port, endPort: end !== undefined && end > port ? end : undefined }));
  }
  return protocols.map((protocol) => ({ protocol, name: text }));
}
