import { compile } from './compile';
import { ConnectionSet } from './connection-set';
import { evaluatePair, externalName, matrix, PairResult, splitQuery, Subject } from './evaluate';
import { explainPairs, Requested } from './explain';
import { parseAddressOrCidr } from './ip';
import { loadManifestFiles, parseManifests } from './load-yaml';
import { Model, WorkloadModel } from './model';
import { ConnectionEntry, ConnectionQuery, Verdict, WorkloadEndpoint } from './verdict';

const WORKLOAD_ID = /^([^/\s]+)\/([^/\s[\]]+)\[([A-Za-z]+)\]$/;

/**
 * Which connections the NetworkPolicies of a set of Kubernetes manifests allow.
 *
 * A pure-TypeScript reachability engine with the semantics of
 * `networking.k8s.io/v1` NetworkPolicy:
 *
 * - A pod is isolated for ingress (or egress) only if some policy selecting it
 *   has that type in its `policyTypes`. When `policyTypes` is absent, Ingress
 *   always applies and Egress applies if the policy has egress rules.
 * - Policies are additive: an isolated pod allows the union of the rules of all
 *   policies that select it. There is no deny rule.
 * - A connection needs egress from the source AND ingress to the destination.
 * - A peer with both `namespaceSelector` and `podSelector` matches pods that
 *   satisfy both; separate peers are ORed. An absent or empty `from`/`to`
 *   matches every source/destination, including every IP address.
 * - Named ports resolve against the destination pod's container ports, with
 *   the same protocol. A rule without `ports` allows every port and protocol.
 * - `ipBlock`s describe addresses outside the cluster; they never match pods.
 *
 * Workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob) are read from their pod template;
 * Pods are merged into their owning workload. Every namespace carries the
 * automatic label `kubernetes.io/metadata.name`.
 *
 * Cluster-level features that NetworkPolicy does not describe are not modelled:
 * AdminNetworkPolicy, Services (policies apply to pod ports, after DNAT),
 * host-network pods (treated like ordinary pods), and traffic from the node.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 *
 * @example
 * const net = NetworkAnalysis.fromYamlFiles(['dist/']);
 * net.isAllowed({ from: 'shop/web', to: 'shop/api', port: 8080 }); // true
 * net.explain({ from: 'shop/web', to: 'shop/db', port: 5432 }).text;
 * // 'denied: shop/db[StatefulSet] is isolated for ingress by policy shop/db; no ingress rule admits shop/web[Deployment] on TCP 5432'
 */
export class NetworkAnalysis {
  /**
   * Analyses parsed Kubernetes objects (as from `JSON.parse` or a YAML parser).
   *
   * `List` objects (`PodList`, `NamespaceList`, `NetworkPolicyList`, ...) are read item by item.
   * Kinds other than workloads, Pods, Namespaces and NetworkPolicies are ignored.
   *
   * @param objects Kubernetes manifest objects
   */
  public static fromManifests(objects: any[]): NetworkAnalysis {
    return new NetworkAnalysis(compile(objects));
  }

  /**
   * Analyses a YAML (or JSON) text with one or more documents.
   */
  public static fromYaml(text: string): NetworkAnalysis {
    return NetworkAnalysis.fromManifests(parseManifests(text));
  }

  /**
   * Analyses manifest files. Folders are searched recursively for `.yaml`, `.yml` and `.json` files.
   *
   * @param paths files or folders
   */
  public static fromYamlFiles(paths: string[]): NetworkAnalysis {
    return NetworkAnalysis.fromManifests(loadManifestFiles(paths));
  }

  private readonly model: Model;

  private constructor(model: Model) {
    this.model = model;
  }

  /** The workload endpoints, sorted by id. */
  public workloads(): WorkloadEndpoint[] {
    return this.model.workloads.map((w) => ({
      id: w.id,
      namespace: w.namespace,
      name: w.name,
      kind: w.kind,
      labels: { ...w.labels },
      ports: w.ports.map((p) => `${p.name ? `${p.name}:` : ''}${p.port}/${p.protocol}`),
    }));
  }

  /**
   * Whether the policies allow the queried traffic.
   *
   * With `port` or `portName`, that port must be allowed. Without either, some
   * connection (of `protocol`, if given) must be allowed. When an endpoint is a
   * CIDR, the traffic must be allowed for every address in it.
   */
  public isAllowed(query: ConnectionQuery): boolean {
    return this.explain(query).allowed;
  }

  /**
   * The verdict for the queried traffic, with the reason on each side: which
   * policy and rule admitted it, that the pod is not isolated in that direction,
   * or which policies isolate it when no rule admits the traffic.
   */
  public explain(query: ConnectionQuery): Verdict {
    const { src, dst, names } = this.resolvePair(query.from, query.to);
    const requested = this.requested(query, dst, names.dstText);
    return explainPairs(this.evaluate(src, dst), names, requested);
  }

  /**
   * Everything allowed from `from` to `to`, as a connection string:
   * `All Connections`, e.g. `TCP 8080,UDP 53`, or `''` when nothing is allowed.
   *
   * @param from a workload or an IP address/CIDR (see `ConnectionQuery`)
   * @param to a workload or an IP address/CIDR
   */
  public allowedConnections(from: string, to: string): string {
    return this.connectionSet(from, to).toString();
  }

  /**
   * Everything allowed from `from` to `to`, as a `ConnectionSet`.
   * For a CIDR endpoint, what is allowed for every address in it.
   *
   * @param from a workload or an IP address/CIDR (see `ConnectionQuery`)
   * @param to a workload or an IP address/CIDR
   */
  public connectionSet(from: string, to: string): ConnectionSet {
    const { src, dst } = this.resolvePair(from, to);
    let result = ConnectionSet.all();
    for (const pair of this.evaluate(src, dst)) {
      result = result.intersect(pair.allowed);
    }
    return result;
  }

  /**
   * Every allowed connection, one entry per (source, destination) with its connection string.
   *
   * Lists workload pairs (not a workload with itself), IP ranges that can reach
   * each workload and IP ranges each workload can reach. IP ranges are written
   * `start-end[External]`; neighbouring ranges with the same connections are
   * merged. IPv6 ranges are listed only when some ipBlock is IPv6.
   * Sorted by source, then destination.
   */
  public matrix(): ConnectionEntry[] {
    return matrix(this.model);
  }

  private evaluate(src: Subject[], dst: Subject[]): PairResult[] {
    const out: PairResult[] = [];
    for (const s of src) {
      for (const d of dst) {
        out.push(evaluatePair(this.model, s, d));
      }
    }
    return out;
  }

  private resolvePair(from: string, to: string) {
    const src = this.resolve(from, 'from');
    const dst = this.resolve(to, 'to');
    if (src.type === 'ip' && dst.type === 'ip') {
      throw new Error(`NetworkAnalysis: from "${from}" and to "${to}" are both IP addresses; NetworkPolicy only governs traffic of pods, so one side must be a workload.`);
    }
    return {
      src: src.subjects,
      dst: dst.subjects,
      names: { srcName: src.name, dstName: dst.name, srcText: src.text, dstText: dst.text, srcIsRange: src.isRange, dstIsRange: dst.isRange },
    };
  }

  /**
   * @returns the subjects (one per address range for a CIDR), the resolved name
   * (workload id or `start-end[External]`) and the name used in explanations
   * (`ns/name` when that is unambiguous, the address or CIDR as written).
   */
  private resolve(text: string, field: string): { type: 'ip' | 'workload'; subjects: Subject[]; name: string; text: string; isRange: boolean } {
    const trimmed = (text ?? '').trim();
    const interval = parseAddressOrCidr(trimmed);
    if (interval) {
      // IP addresses always stand for endpoints outside the cluster, never for pods.
      return {
        type: 'ip',
        subjects: splitQuery(this.model, interval).map((i) => ({ type: 'ip', interval: i })),
        name: externalName(interval),
        text: trimmed,
        isRange: interval.start !== interval.end,
      };
    }
    const workload = this.findWorkload(trimmed, field);
    const shortName = `${workload.namespace}/${workload.name}`;
    const unique = this.model.workloads.filter((w) => w.namespace === workload.namespace && w.name === workload.name).length === 1;
    return { type: 'workload', subjects: [{ type: 'workload', workload }], name: workload.id, text: unique ? shortName : workload.id, isRange: false };
  }

  private findWorkload(text: string, field: string): WorkloadModel {
    const workloads = this.model.workloads;
    if (WORKLOAD_ID.test(text)) {
      const found = workloads.find((w) => w.id === text);
      if (!found) {
        throw new Error(`NetworkAnalysis: ${field} "${text}" is not a workload of the manifests. Known workloads: ${this.knownWorkloads()}.`);
      }
      return found;
    }
    const slash = text.indexOf('/');
    const [namespace, name] = slash === -1 ? [undefined, text] : [text.slice(0, slash), text.slice(slash + 1)];
    const inScope = workloads.filter((w) => namespace === undefined || w.namespace === namespace);
    let candidates = inScope.filter((w) => w.name === name);
    if (candidates.length === 0) {
      candidates = inScope.filter((w) => w.podNames.includes(name));
    }
    if (candidates.length === 1) {
      return candidates[0];
    }
    if (candidates.length === 0) {
      throw new Error(`NetworkAnalysis: ${field} "${text}" is neither a workload of the manifests nor an IP address or CIDR. Known workloads: ${this.knownWorkloads()}.`);
    }
    throw new Error(`NetworkAnalysis: ${field} "${text}" matches several workloads (${candidates.map((w) => w.id).join(', ')}). Use the full id namespace/name[Kind].`);
  }

  private knownWorkloads(): string {
    const ids = this.model.workloads.map((w) => w.id);
    return ids.length === 0 ? '(none)' : ids.length > 20 ? `${ids.slice(0, 20).join(', ')}, ...` : ids.join(', ');
  }

  private requested(query: ConnectionQuery, dst: Subject[], dstText: string): Requested {
    const protocol = query.protocol === undefined ? undefined : query.protocol.toUpperCase();
    if (protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(protocol)) {
      throw new Error(`NetworkAnalysis: query protocol "${query.protocol}" is not TCP, UDP or SCTP.`);
    }
    if (query.port !== undefined && query.portName !== undefined) {
      throw new Error(`NetworkAnalysis: the query sets both port ${query.port} and portName "${query.portName}"; set one of them.`);
    }
    if (query.port !== undefined) {
      if (!Number.isInteger(query.port) || query.port < 1 || query.port > 65535) {
        throw new Error(`NetworkAnalysis: query port ${query.port} is not an integer in 1-65535.`);
      }
      const proto = protocol ?? 'TCP';
      return { set: ConnectionSet.ports(proto, query.port), specific: true, description: `${proto} ${query.port}` };
    }
    if (query.portName !== undefined) {
      const proto = protocol ?? 'TCP';
      const target = dst[0];
      if (target.type !== 'workload') {
        return {
          set: ConnectionSet.none(),
          specific: true,
          description: `port "${query.portName}"`,
          problem: `the named port "${query.portName}" cannot be resolved: named ports resolve against the destination pod's container ports, and the destination is an IP range`,
        };
      }
      let set = ConnectionSet.none();
      for (const p of target.workload.ports) {
        if (p.name === query.portName && p.protocol === proto) {
          set = set.union(ConnectionSet.ports(proto, p.port));
        }
      }
      if (set.isEmpty()) {
        return {
          set,
          specific: true,
          description: `port "${query.portName}"`,
          problem: `${dstText} has no ${proto} container port named "${query.portName}"`,
        };
      }
      return { set, specific: true, description: `port "${query.portName}" (${set})` };
    }
    if (protocol !== undefined) {
      return { set: ConnectionSet.protocol(protocol), specific: false, description: `any ${protocol} port` };
    }
    return { set: ConnectionSet.all(), specific: false, description: 'any port' };
  }
}
