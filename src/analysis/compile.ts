/**
 * Kubernetes objects -> `Model`.
 *
 * Reads workloads, Namespaces and NetworkPolicies (networking.k8s.io/v1
 * semantics) from parsed manifests and resolves every label selector once.
 * Every other kind is ignored. Internal to `src/analysis`.
 */
import { compileTierPolicies } from './admin-tier';
import { attachAdditive, joinParts } from './beyond';
import { compileCiliumPolicies } from './cilium';
import { IpFamily, IpSet, parseCidr } from './ip';
import {
  ContainerPort, Direction, LabelSelector, Model, NamespaceModel, Peer, PolicyModel, PortSpec, RuleModel, SelectorRequirement, WorkloadModel,
} from './model';
import { isKubernetesNetworkPolicy } from './unmodelled-policies';
import { LabelKeys } from '../core/labels';
import { ianaSvcNameProblem } from '../core/names';

/** Kinds whose pod template makes an endpoint, and that can own pods. */
export const WORKLOAD_KINDS: readonly string[] = [
  'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob',
];

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** The label the API server puts on every namespace (Kubernetes 1.21+); policies may select namespaces by it. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const DEFAULT_NAMESPACE = 'default';

type Json = any;

/**
 * Receives a problem of a policy (a message without the `NetworkAnalysis: ` prefix). `compile`
 * throws at the first; `networkPolicyProblems` collects them all, the compiler going on with the
 * rest of the policy (the faulty field left out).
 */
type Report = (message: string) => void;

const throwFirst: Report = (message) => {
  throw new Error(`NetworkAnalysis: ${message}`);
};

/**
 * Replaces `List`, `PodList`, `NamespaceList`, `NetworkPolicyList`, ... objects by their items.
 * An item without `kind` takes it from the list kind (`PodList` -> `Pod`), as `kubectl get -o yaml` prints them.
 */
export function flattenLists(objects: readonly Json[]): Json[] {
  const out: Json[] = [];
  const visit = (obj: Json, itemKind?: string) => {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      return;
    }
    const kind = typeof obj.kind === 'string' ? obj.kind : itemKind;
    if (Array.isArray(obj.items) && (kind === undefined || kind.endsWith('List'))) {
      const inner = kind && kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
      for (const item of obj.items) {
        visit(item, inner);
      }
      return;
    }
    out.push(kind === obj.kind ? obj : { ...obj, kind });
  };
  for (const obj of objects) {
    visit(obj);
  }
  return out;
}

function namespaceOf(obj: Json): string {
  const ns = obj.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : DEFAULT_NAMESPACE;
}

function labelsOf(labels: Json): Record<string, string> {
  const out: Record<string, string> = {};
  if (labels && typeof labels === 'object') {
    for (const [k, v] of Object.entries(labels)) {
      out[k] = v === null || v === undefined ? '' : String(v);
    }
  }
  return out;
}

function containerPortsOf(podSpec: Json): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const container of asArray(podSpec?.containers)) {
    for (const p of asArray(container?.ports)) {
      const port = Number(p?.containerPort);
      if (!Number.isInteger(port)) {
        continue;
      }
      out.push({ name: typeof p.name === 'string' ? p.name : undefined, port, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP' });
    }
  }
  return out;
}

function asArray(value: Json): Json[] {
  return Array.isArray(value) ? value : [];
}

interface WorkloadBuilder {
  id: string;
  namespace: string;
  name: string;
  kind: string;
  labels: Record<string, string>;
  ports: ContainerPort[];
  podNames: string[];
}

/** The data-plane pods a Gateway names in its `cdk8s-net.io/gateway-data-plane` annotation. */
function gatewayDataPlane(obj: Json): { namespace: string; labels: Record<string, string> } | undefined {
  const text = obj.metadata?.annotations?.[LabelKeys.GATEWAY_DATA_PLANE];
  if (typeof text !== 'string') return undefined;
  try {
    const v = JSON.parse(text);
    const labels = labelsOf(v?.labels);
    if (typeof v?.namespace !== 'string' || Object.keys(labels).length === 0) return undefined;
    return { namespace: v.namespace, labels };
  } catch {
    return undefined;
  }
}

/** Compiles parsed Kubernetes objects (Lists allowed) into the evaluation model. */
export function compile(input: readonly Json[]): Model {
  const objects = flattenLists(input);
  const builders = new Map<string, WorkloadBuilder>();
  const declaredNamespaces = new Map<string, Record<string, string>>();
  const referencedNamespaces = new Set<string>();
  const policyObjects: Json[] = [];

  const addWorkload = (namespace: string, name: string, kind: string, labels: Record<string, string>, ports: ContainerPort[], podName?: string) => {
    const id = `${namespace}/${name}[${kind}]`;
    let b = builders.get(id);
    if (!b) {
      b = { id, namespace, name, kind, labels, ports: [], podNames: [] };
      builders.set(id, b);
    }
    for (const p of ports) {
      if (!b.ports.some((q) => q.name === p.name && q.port === p.port && q.protocol === p.protocol)) {
        b.ports.push(p);
      }
    }
    if (podName !== undefined && !b.podNames.includes(podName)) {
      b.podNames.push(podName);
    }
    referencedNamespaces.add(namespace);
  };

  for (const obj of objects) {
    const kind = obj.kind;
    const name = obj.metadata?.name;
    if (kind === 'Namespace') {
      if (typeof name === 'string') {
        declaredNamespaces.set(name, { ...(declaredNamespaces.get(name) ?? {}), ...labelsOf(obj.metadata?.labels) });
      }
    } else if (kind === 'NetworkPolicy' && isKubernetesNetworkPolicy(obj)) {
      policyObjects.push(obj);
      referencedNamespaces.add(namespaceOf(obj));
    } else if (kind === 'Pod') {
      if (typeof name !== 'string') {
        continue;
      }
      const refs = asArray(obj.metadata?.ownerReferences);
      const owner = refs.find((r) => r?.controller === true) ?? refs[0];
      const labels = labelsOf(obj.metadata?.labels);
      const ports = containerPortsOf(obj.spec);
      if (owner && WORKLOAD_KINDS.includes(owner.kind) && typeof owner.name === 'string') {
        // Pods are merged into their owning workload: replicas are one endpoint.
        addWorkload(namespaceOf(obj), owner.name, owner.kind, labels, ports, name);
      } else {
        addWorkload(namespaceOf(obj), name, 'Pod', labels, ports, name);
      }
    } else if (kind === 'Gateway' && String(obj.apiVersion ?? '').startsWith('gateway.networking.k8s.io/') && typeof name === 'string') {
      // A Gateway whose data-plane pods are named (LabelKeys.GATEWAY_DATA_PLANE) stands for them, as
      // an ingress controller's pods would: the analysis shows its connections to the backends.
      const dataPlane = gatewayDataPlane(obj);
      if (dataPlane) addWorkload(dataPlane.namespace, name, 'Gateway', dataPlane.labels, []);
    } else if (WORKLOAD_KINDS.includes(kind)) {
      if (typeof name !== 'string') {
        continue;
      }
      const template = kind === 'CronJob' ? obj.spec?.jobTemplate?.spec?.template : obj.spec?.template;
      addWorkload(namespaceOf(obj), name, kind, labelsOf(template?.metadata?.labels), containerPortsOf(template?.spec));
    }
  }

  const namespaceNames = new Set<string>([...declaredNamespaces.keys(), ...referencedNamespaces]);
  const namespaces: NamespaceModel[] = [...namespaceNames].sort().map((name) => ({
    name,
    labels: { ...(declaredNamespaces.get(name) ?? {}), [NAMESPACE_NAME_LABEL]: name },
    declared: declaredNamespaces.has(name),
  }));

  const workloads: WorkloadModel[] = [...builders.values()]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((b, index) => ({ ...b, index }));

  const ipBoundaries: Record<IpFamily, bigint[]> = { 4: [], 6: [] };
  const directionIpBoundaries: Record<Direction, Record<IpFamily, bigint[]>> = { ingress: { 4: [], 6: [] }, egress: { 4: [], 6: [] } };
  const index = new WorkloadIndex(workloads, namespaces);
  const networkPolicies = policyObjects.map((obj) => compilePolicy(obj, index, ipBoundaries, directionIpBoundaries, throwFirst));
  // Beyond NetworkPolicy (beyond.ts): Cilium allow rules join the NetworkPolicies; tiers and deny rules go apart.
  const boundaryLists = { ingress: [ipBoundaries, directionIpBoundaries.ingress], egress: [ipBoundaries, directionIpBoundaries.egress] };
  const { policies: ciliumPolicies, additive, beyond } = joinParts([
    compileTierPolicies(objects, workloads, namespaces, boundaryLists),
    compileCiliumPolicies(objects, workloads, namespaces, boundaryLists),
  ]);
  const policies = [...networkPolicies, ...ciliumPolicies];

  // Per workload, the policies isolating it, in policy order: walk each policy's selection
  // rather than testing every policy against every workload.
  const ingressPolicies: PolicyModel[][] = workloads.map(() => []);
  const egressPolicies: PolicyModel[][] = workloads.map(() => []);
  for (const p of policies) {
    for (const i of p.selects) {
      if (p.isolatesIngress) {
        ingressPolicies[i].push(p);
      }
      if (p.isolatesEgress) {
        egressPolicies[i].push(p);
      }
    }
  }

  attachAdditive(additive, ingressPolicies, egressPolicies);

  return { namespaces, workloads, policies, ingressPolicies, egressPolicies, ipBoundaries, directionIpBoundaries, beyond };
}

/**
 * Workloads indexed by namespace and by label pair, so that a selector is
 * only tested against the workloads that can match it (the namespaces it may
 * cover, narrowed by its first `matchLabels` pair) instead of every workload.
 */
export class WorkloadIndex {
  private readonly byNamespace = new Map<string, WorkloadModel[]>();
  /** `namespace`, then `key=value`. */
  private readonly byLabel = new Map<string, Map<string, WorkloadModel[]>>();
  private readonly namespaceCache = new Map<string, string[]>();
  private readonly peerCache = new Map<string, SelectorMatches>();

  constructor(public readonly workloads: readonly WorkloadModel[], public readonly namespaces: readonly NamespaceModel[]) {
    for (const w of workloads) {
      push(this.byNamespace, w.namespace, w);
      let labels = this.byLabel.get(w.namespace);
      if (!labels) {
        labels = new Map();
        this.byLabel.set(w.namespace, labels);
      }
      for (const [k, v] of Object.entries(w.labels)) {
        push(labels, `${k}=${v}`, w);
      }
    }
  }

  /** The names of the namespaces `selector` matches; cached, as many policies repeat the same namespace selector. */
  public namespacesMatching(selector: LabelSelector): readonly string[] {
    const key = JSON.stringify(selector);
    let names = this.namespaceCache.get(key);
    if (!names) {
      names = this.namespaces.filter((n) => matchesSelector(selector, n.labels)).map((n) => n.name);
      this.namespaceCache.set(key, names);
    }
    return names;
  }

  /** The (shared) matches of a peer covering `namespaces` and selecting `podSelector` in them. */
  public peerMatches(namespaces: readonly string[], podSelector: LabelSelector | undefined): ReadonlySet<number> {
    const key = `${namespaces.join('\u0000')}\u0001${podSelector ? JSON.stringify(podSelector) : '*'}`;
    let matches = this.peerCache.get(key);
    if (!matches) {
      matches = new SelectorMatches(this, new Set(namespaces), podSelector);
      this.peerCache.set(key, matches);
    }
    return matches as unknown as ReadonlySet<number>;
  }

  /** The workloads of `namespace` that `selector` matches (all of them when it is undefined), in index order. */
  public select(namespace: string, selector: LabelSelector | undefined): WorkloadModel[] {
    if (!selector) {
      return this.byNamespace.get(namespace) ?? [];
    }
    const first = selector.matchLabels[0];
    const candidates = first
      ? this.byLabel.get(namespace)?.get(`${first[0]}=${first[1]}`) ?? []
      : this.byNamespace.get(namespace) ?? [];
    return candidates.filter((w) => matchesSelector(selector, w.labels));
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

/**
 * Every problem of one NetworkPolicy that the API server would reject (or that the analyzer
 * cannot read), in field order; empty when it is valid. `compile` stops at the first of them.
 */
export function networkPolicyProblems(obj: Json): string[] {
  const problems: string[] = [];
  const boundaries = () => ({ 4: [], 6: [] });
  compilePolicy(obj, new WorkloadIndex([], []), boundaries(), { ingress: boundaries(), egress: boundaries() }, (m) => problems.push(m));
  return problems;
}

function compilePolicy(
  obj: Json,
  workloadIndex: WorkloadIndex,
  ipBoundaries: Record<IpFamily, bigint[]>,
  directionIpBoundaries: Record<Direction, Record<IpFamily, bigint[]>>,
  report: Report,
): PolicyModel {
  const namespace = namespaceOf(obj);
  const name = String(obj.metadata?.name ?? '');
  const id = `${namespace}/${name}`;
  const spec = obj.spec ?? {};
  // spec.podSelector is required; `{}` selects every pod in the policy's namespace.
  const podSelector = parseSelector(spec.podSelector ?? {}, 'spec.podSelector', id, report);
  const selects = new Set(workloadIndex.select(namespace, podSelector).map((w) => w.index));

  // policyTypes defaulting (API server, SetDefaults_NetworkPolicy): when the list is empty or
  // absent, Ingress always applies and Egress applies only if the policy has egress rules.
  // `egress: []` therefore does NOT make an egress policy unless policyTypes says Egress.
  const types = asArray(spec.policyTypes).map(String).filter((t) => {
    if (t !== 'Ingress' && t !== 'Egress') {
      report(`spec.policyTypes value "${t}" in policy ${id} is not Ingress or Egress.`);
      return false;
    }
    return true;
  });
  const isolatesIngress = types.length === 0 ? true : types.includes('Ingress');
  const isolatesEgress = types.length === 0 ? asArray(spec.egress).length > 0 : types.includes('Egress');

  const rules = (direction: Direction): RuleModel[] => asArray(spec[direction]).map((rule, index) => {
    const peersField = direction === 'ingress' ? 'from' : 'to';
    const rulePath = `${direction}[${index}]`;
    const rawPeers = asArray(rule?.[peersField]);
    const rawPorts = asArray(rule?.ports);
    return {
      index,
      // An absent or empty from/to matches every peer, including every IP address.
      peers: rawPeers.length === 0 ? undefined : rawPeers.flatMap((peer, i) =>
        compilePeer(peer, `${rulePath}.${peersField}[${i}]`, id, namespace, workloadIndex, [ipBoundaries, directionIpBoundaries[direction]], report) ?? []),
      // An absent or empty ports list matches every port of every protocol.
      ports: rawPorts.length === 0 ? undefined : rawPorts.flatMap((port, i) => compilePort(port, `${rulePath}.ports[${i}]`, id, report) ?? []),
    };
  });

  return {
    id,
    namespace,
    name,
    selects,
    isolatesIngress,
    isolatesEgress,
    ingress: rules('ingress'),
    egress: rules('egress'),
  };
}

function compilePeer(
  peer: Json,
  path: string,
  policyId: string,
  policyNamespace: string,
  index: WorkloadIndex,
  boundaryLists: ReadonlyArray<Record<IpFamily, bigint[]>>,
  report: Report,
): Peer | undefined {
  const has = (field: string) => peer?.[field] !== undefined && peer?.[field] !== null;
  if (has('ipBlock')) {
    if (has('podSelector') || has('namespaceSelector')) {
      report(`${path} in policy ${policyId} has an ipBlock and a selector; Kubernetes rejects such a peer. Use separate peers.`);
      return undefined;
    }
    const cidrText = String(peer.ipBlock.cidr ?? '');
    const cidr = parseCidr(cidrText);
    if (!cidr) {
      report(`ipBlock.cidr "${cidrText}" in policy ${policyId} is not a valid CIDR`);
      return undefined;
    }
    const exceptTexts = asArray(peer.ipBlock.except).map(String);
    const excepts = exceptTexts.flatMap((text, i) => {
      const except = parseCidr(text);
      if (!except) {
        report(`ipBlock.except[${i}] "${text}" in policy ${policyId} is not a valid CIDR`);
        return [];
      }
      if (except.family !== cidr.family) {
        report(`ipBlock.except[${i}] "${text}" in policy ${policyId} is not in the address family of ipBlock.cidr "${cidrText}"`);
        return [];
      }
      // The API server (ValidateIPBlock) requires each except to be a strict subset of the cidr:
      // inside it, with a longer prefix.
      if (except.prefix <= cidr.prefix || except.start < cidr.start || except.end > cidr.end) {
        report(`ipBlock.except[${i}] "${text}" in policy ${policyId} is not a strict subset of ipBlock.cidr "${cidrText}"; `
          + 'the API server rejects an except that is not inside the cidr with a longer prefix');
        return [];
      }
      return [except];
    });
    const addresses = IpSet.of(cidr).subtract(IpSet.of(...excepts));
    // The edges of the addresses the block stands for (cidr minus except): adjacent excepts leave
    // no edge between them, as in netpol-analyzer's split of the address space.
    for (const range of addresses.intervals(cidr.family)) {
      for (const boundaries of boundaryLists) {
        boundaries[range.family].push(range.start, range.end + 1n);
      }
    }
    return { type: 'ip', cidr: cidrText, except: exceptTexts, addresses };
  }
  if (!has('podSelector') && !has('namespaceSelector')) {
    report(`${path} in policy ${policyId} is empty; a peer needs a podSelector, a namespaceSelector or an ipBlock (Kubernetes rejects an empty peer).`);
    return undefined;
  }
  // podSelector alone: pods in the policy's namespace. namespaceSelector alone: every pod in the
  // selected namespaces. Both in one peer: pods matching podSelector in the selected namespaces (AND).
  const podSelector = has('podSelector') ? parseSelector(peer.podSelector, `${path}.podSelector`, policyId, report) : undefined;
  const namespaceSelector = has('namespaceSelector') ? parseSelector(peer.namespaceSelector, `${path}.namespaceSelector`, policyId, report) : undefined;
  // Every namespace of a workload is in `index.namespaces` (referenced namespaces included, with their automatic label).
  const namespaces = !namespaceSelector ? [policyNamespace] : index.namespacesMatching(namespaceSelector);
  return { type: 'pods', matches: index.peerMatches(namespaces, podSelector) };
}

/**
 * The workloads a NetworkPolicy peer matches, as a set that is never stored: membership is
 * tested on the workload's namespace and labels, iteration walks the workload index. Policies
 * that name broad peers (a whole zone of namespaces) would otherwise store workloads² / k
 * indices; this keeps the model the size of the input. Identical peers share one instance
 * (`WorkloadIndex.peerMatches`), so that evaluation can index the rules by peer.
 */
export class SelectorMatches implements Iterable<number> {
  private count?: number;

  constructor(
    private readonly index: WorkloadIndex,
    /** The namespaces the peer covers. */
    public readonly namespaces: ReadonlySet<string>,
    /** The pods it selects in them (every pod when undefined). */
    public readonly podSelector: LabelSelector | undefined,
  ) {}

  public has(i: number): boolean {
    const w = this.index.workloads[i];
    return w !== undefined && this.namespaces.has(w.namespace) && (!this.podSelector || matchesSelector(this.podSelector, w.labels));
  }

  public get size(): number {
    if (this.count === undefined) {
      let n = 0;
      for (const ns of this.namespaces) n += this.index.select(ns, this.podSelector).length;
      this.count = n;
    }
    return this.count;
  }

  public *[Symbol.iterator](): IterableIterator<number> {
    for (const ns of this.namespaces) {
      for (const w of this.index.select(ns, this.podSelector)) yield w.index;
    }
  }

  public *keys(): IterableIterator<number> {
    yield* this;
  }

  public *values(): IterableIterator<number> {
    yield* this;
  }

  public *entries(): IterableIterator<[number, number]> {
    for (const i of this) yield [i, i];
  }

  public forEach(fn: (value: number, key: number, set: ReadonlySet<number>) => void, thisArg?: unknown): void {
    for (const i of this) fn.call(thisArg, i, i, this as unknown as ReadonlySet<number>);
  }
}

function compilePort(port: Json, path: string, policyId: string, report: Report): PortSpec | undefined {
  const protocol = port?.protocol === undefined || port?.protocol === null ? 'TCP' : String(port.protocol);
  if (!PROTOCOLS.includes(protocol)) {
    report(`${path}.protocol "${protocol}" in policy ${policyId} is not TCP, UDP or SCTP (protocols are case-sensitive).`);
    return undefined;
  }
  let value = port?.port;
  // IntOrString: a quoted number ("8080") is read as the number the author meant.
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    value = Number(value);
  }
  const endPort = port?.endPort === undefined || port?.endPort === null ? undefined : Number(port.endPort);
  if (value === undefined || value === null) {
    if (endPort !== undefined) {
      report(`${path}.endPort ${endPort} in policy ${policyId} is set without a port; endPort needs a numeric port.`);
      return undefined;
    }
    return { protocol };
  }
  if (typeof value === 'string') {
    if (endPort !== undefined) {
      report(`${path}.endPort ${endPort} in policy ${policyId} is set with the named port "${value}"; endPort needs a numeric port.`);
      return undefined;
    }
    // The API server checks a named port as an IANA service name (ValidateNetworkPolicyPort,
    // validation.IsValidPortName); such a port never matches a container port name either.
    const problem = ianaSvcNameProblem(value);
    if (problem) {
      report(`${path}.port "${value}" in policy ${policyId} is not a valid port name; ${problem}.`);
      return undefined;
    }
    return { protocol, name: value };
  }
  for (const [field, v] of [['port', value], ['endPort', endPort]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 65535)) {
      report(`${path}.${field} ${v} in policy ${policyId} is not an integer in 1-65535.`);
      return undefined;
    }
  }
  if (endPort !== undefined && endPort < value) {
    report(`${path}.endPort ${endPort} in policy ${policyId} is less than port ${value}; endPort must be at least port.`);
    return undefined;
  }
  return { protocol, port: value, endPort };
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * A label selector as the API server reads it. Invalid requirements are reported (and left out):
 * an unknown operator, `In`/`NotIn` without values, `Exists`/`DoesNotExist` with values
 * (k8s.io/apimachinery pkg/apis/meta/v1/validation, ValidateLabelSelectorRequirement).
 */
export function parseSelector(selector: Json, path: string, policyId: string, report: Report = throwFirst): LabelSelector {
  const matchLabels = Object.entries(labelsOf(selector?.matchLabels));
  const where = policyId === '' ? '' : ` in policy ${policyId}`;
  const matchExpressions: SelectorRequirement[] = asArray(selector?.matchExpressions).flatMap((e, i) => {
    const problem = selectorRequirementProblem(e);
    if (problem) {
      report(`${path}.matchExpressions[${i}].${problem.field}${where} ${problem.message}.`);
      return [];
    }
    return [{ key: String(e.key), operator: e.operator as SelectorRequirement['operator'], values: asArray(e.values).map(String) }];
  });
  return { matchLabels, matchExpressions };
}

/**
 * Why the API server refuses a `matchExpressions` entry (the field, after the entry's path, and
 * what is wrong with it), or undefined.
 */
export function selectorRequirementProblem(e: Json): { field: string; message: string } | undefined {
  const operator = String(e?.operator);
  if (!OPERATORS.includes(operator)) {
    return { field: `operator "${operator}"`, message: 'is not In, NotIn, Exists or DoesNotExist' };
  }
  const values = asArray(e?.values);
  if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
    return { field: 'values', message: `is empty; operator ${operator} needs at least one value (key "${String(e?.key)}")` };
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
    return { field: 'values', message: `must be empty with operator ${operator} (key "${String(e?.key)}" has ${values.length}); remove them` };
  }
  return undefined;
}

/** Label selector semantics: every matchLabels pair and every expression must hold. */
export function matchesSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of selector.matchLabels) {
    if (labels[k] !== v) {
      return false;
    }
  }
  for (const e of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !e.values.includes(labels[e.key])) {
          return false;
        }
        break;
      case 'NotIn':
        // NotIn also matches objects that do not have the key at all.
        if (has && e.values.includes(labels[e.key])) {
          return false;
        }
        break;
      case 'Exists':
        if (!has) {
          return false;
        }
        break;
      case 'DoesNotExist':
        if (has) {
          return false;
        }
        break;
    }
  }
  return true;
}
