/**
 * NetworkPolicy (networking.k8s.io/v1) -> `PolicyModel`: the pods a policy selects, its
 * `policyTypes` as the API server defaults them, and its rules' peers and ports; every problem the
 * API server would reject is reported. Internal to `src/analysis`.
 */
import { IpFamily, IpSet, parseCidr } from './ip';
import { parseSelector } from './label-selector';
import { asArray, namespaceOf, Report } from './manifest-fields';
import { Direction, Peer, PolicyModel, PortSpec, RuleModel } from './model';
import { WorkloadIndex } from './workload-index';
import { ianaSvcNameProblem } from '../core/names';
import { isPortNumber } from '../core/port';

type Json = any;

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

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

/** One NetworkPolicy as the evaluator reads it; its ipBlock edges are added to the boundary lists. */
export function compilePolicy(
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

function compilePort(port: Json, path: string, policyId: string, report: Report): PortSpec | undefined {
  const protocol = port?.protocol === undefined || port?.protocol === null ? 'TCP' : String(port.protocol);
  if (!PROTOCOLS.includes(protocol)) {
    report(`${path}.protocol "${protocol}" in policy ${policyId} is not TCP, UDP or SCTP (protocols are case-sensitive).`);
    return undefined;
  }
  // IntOrString: a quoted number ("8080") is a string, i.e. a port name, to the API server, which
  // rejects it (IsValidPortName: at least one letter); it is reported below, never read as 8080.
  const value = port?.port;
  const endPort = port?.endPort === undefined || port?.endPort === null ? undefined : Number(port.endPort);
  if (value === undefined || value === null) {
    if (endPort !== undefined) {
      report(`${path}.endPort ${endPort} in policy ${policyId} is set without a port; endPort needs a numeric port.`);
      return undefined;
    }
    return { protocol };
  }
  if (typeof value === 'string') {
    const hint = /^\d+$/.test(value) ? ` A quoted number is a port name to the API server: write ${value} without quotes.` : '';
    if (endPort !== undefined) {
      report(`${path}.endPort ${endPort} in policy ${policyId} is set with the named port "${value}"; endPort needs a numeric port.${hint}`);
      return undefined;
    }
    // The API server checks a named port as an IANA service name (ValidateNetworkPolicyPort,
    // validation.IsValidPortName); such a port never matches a container port name either.
    const problem = ianaSvcNameProblem(value);
    if (problem) {
      report(`${path}.port "${value}" in policy ${policyId} is not a valid port name; ${problem}.${hint}`);
      return undefined;
    }
    return { protocol, name: value };
  }
  for (const [field, v] of [['port', value], ['endPort', endPort]] as const) {
    if (v !== undefined && !isPortNumber(v)) {
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
