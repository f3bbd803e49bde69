import type { App, Chart } from 'cdk8s';
import { compile } from './compile';
import { ConnectionSet } from './connection-set';
import { diffModels } from './diff';
import { evaluatePair, matrix, PairResult, RangedLine, splitQuery, Subject } from './evaluate';
import { EndpointNames, explainPairs } from './explain';
import { appManifests, chartManifests, hypotheticalPod, queryPeer, resolvePeer } from './from-chart';
import { IpInterval } from './ip';
import { loadManifestFiles, parseManifests } from './load-yaml';
import { Model } from './model';
import { QueryEndpoints } from './query-endpoints';
import { requestedOfPort, requestedOfQuery } from './query-traffic';
import { unmodelledPolicies } from './unmodelled-policies';
import { ConnectionChange, ConnectionEntry, ConnectionQuery, ConnectivityDiff, DiffOptions, Verdict, WorkloadEndpoint } from './verdict';
import type { IConnectable } from '../core/connections';
import type { IPeer } from '../core/peer';
import type { Port } from '../core/port';

/** Options of `NetworkAnalysis.matrix`. */
export interface MatrixOptions {
  /**
   * Merge neighbouring IP ranges of one workload and direction that have the same connections
   * into one line (shorter, for reading and diagrams).
   *
   * @default false - netpol-analyzer's layout: one line per piece of the address space cut at every ipBlock boundary
   */
  readonly mergeIpRanges?: boolean;
}

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
 * Beyond NetworkPolicy (see the README section "Beyond NetworkPolicy"):
 *
 * - network-policy-api AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1) and
 *   ClusterNetworkPolicy (v1alpha2, tiers Admin and Baseline) with the specification's
 *   precedence: admin policies by priority, rules in order, Allow/Deny final and Pass handing
 *   over; then NetworkPolicies; then baseline rules for pods no NetworkPolicy isolates; then
 *   allowed.
 * - Cilium CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy (a subset: endpoint selectors,
 *   CIDRs, the entities world/cluster/all, toFQDNs, toPorts, deny rules), combined with
 *   NetworkPolicies as Cilium does. DNS names of `toFQDNs` are endpoints `name[FQDN]`.
 * - What is not modelled is listed by `warnings()`.
 *
 * Not modelled: Services (policies apply to pod ports, after DNAT), host-network pods (treated
 * like ordinary pods, and named by `warnings()` when some policy could decide their traffic),
 * nodes, and traffic from the node.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 *
 * Queries name endpoints either as text (`isAllowed`, `explain`: workload
 * names from YAML, IP addresses, CIDRs) or as this library's constructs and
 * peers (`isConnectionAllowed`, `explainConnection`).
 *
 * @example
 * const net = NetworkAnalysis.fromChart(chart);
 * net.isConnectionAllowed(web, api, Port.tcp(8080)); // true
 * net.explainConnection(web, db, Port.tcp(5432)).text;
 * // 'denied: shop/db is isolated for ingress by policy shop/db; no ingress rule admits shop/web on TCP 5432'
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
    return new NetworkAnalysis(compile(objects), objects);
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

  /**
   * Analyses the objects a chart synthesizes to (as `Testing.synth(chart)` or `cdk8s synth` would
   * write them: validations run, lazy values and JSON patches applied).
   *
   * Objects of the other charts of the app are not included; use `fromApp` for the whole app.
   *
   * @example
   * const net = NetworkAnalysis.fromChart(chart);
   * net.isConnectionAllowed(web, api, Port.named('http'));
   */
  public static fromChart(chart: Chart): NetworkAnalysis {
    return NetworkAnalysis.fromManifests(chartManifests(chart));
  }

  /** Analyses the objects of every chart of an app (what `app.synth()` writes). */
  public static fromApp(app: App): NetworkAnalysis {
    return NetworkAnalysis.fromManifests(appManifests(app));
  }

  private readonly model: Model;
  private readonly endpoints: QueryEndpoints;
  private released = false;

  private constructor(model: Model, private objects: readonly any[]) {
    this.model = model;
    this.endpoints = new QueryEndpoints(model);
  }

  /**
   * Lets go of the manifest objects (keeping only the policies of kinds the engine does not
   * model, for `warnings()`): what the CLI does once the model is built, so that `diff` does not
   * hold two inputs in memory. `explainConnection` with a hypothetical pod then refuses.
   * @internal
   */
  public _releaseObjects(): void {
    const kept = this.objects.filter((o) => unmodelledPolicies([o]).length > 0);
    this.objects = kept;
    this.released = true;
  }

  /**
   * What of the manifests' policies this analysis does not model, one sentence each naming the
   * policy and the field (a Cilium L7 rule, an AdminNetworkPolicy `nodes` peer, a Calico
   * policy, ...): connections they decide may be reported wrongly. Empty when everything is modelled.
   */
  public warnings(): string[] {
    const kinds = unmodelledPolicies(this.objects).map((k) => `${k}: not evaluated (this kind is not modelled)`);
    return [...kinds, ...(this.model.beyond?.warnings ?? []), ...hostNetworkWarnings(this.model)];
  }

  /**
   * Whether `from` can open a connection to `to`, given as constructs or peers of this library.
   *
   * A peer that stands for several workloads (a `DenyAllNamespace`: every workload of the
   * namespace) must be allowed for each of them; an ipBlock for every address in it. A
   * `SecureService` stands for its Deployment.
   *
   * @param from the source: a construct of this library or a `Peer`
   * @param to the destination
   * @param port the destination port; `Port.named('http')` resolves against the destination's container ports
   * @default port - any port: true if some connection is allowed
   */
  public isConnectionAllowed(from: IConnectable, to: IConnectable, port?: Port): boolean {
    return this.explainConnection(from, to, port).allowed;
  }

  /**
   * The verdict for a connection between constructs or peers of this library, with the reason on
   * each side (see `explain`).
   *
   * When a peer stands for several workloads, the verdict is that of the first denied pair (or of
   * the first pair when all are allowed), and its text starts by saying how many pairs were checked.
   *
   * A peer whose pods are not in the manifests but that names them by labels in one namespace (an
   * `IngressController` profile, `Peer.pods({ labels, namespace })`, `Peer.namespace('monitoring')`)
   * is queried as a hypothetical pod with those labels in that namespace (labelled
   * `kubernetes.io/metadata.name`, and with the labels of the peer's namespaceSelector when the
   * manifests do not declare it); the policies of the manifests apply to it as to any pod, and the
   * text ends by saying so.
   *
   * @param from the source: a construct of this library (an `ExternalDependency` too) or a `Peer`
   * @param to the destination
   * @param port the destination port
   * @default port - any port
   */
  public explainConnection(from: IConnectable, to: IConnectable, port?: Port): Verdict {
    const source = queryPeer(from, 'explainConnection', 'from');
    const destination = queryPeer(to, 'explainConnection', 'to');
    // Peers whose pods are not in the manifests (a controller, another team's namespace) are
    // queried as a hypothetical pod with their labels in their namespace.
    const hypothetical = [hypotheticalPod(this.model, source), hypotheticalPod(this.model, destination)].filter((h) => h !== undefined);
    if (hypothetical.length > 0) {
      if (this.released) {
        throw new Error('NetworkAnalysis: this analysis no longer holds its manifests; build it again to query pods that are not in them.');
      }
      const objects = [...this.objects, ...hypothetical.flatMap((h) => h!.objects)];
      const verdict = new NetworkAnalysis(compile(objects), objects).explainResolved(source, destination, port);
      return { ...verdict, text: `${verdict.text}. Hypothetical: ${hypothetical.map((h) => h!.description).join('; ')}` };
    }
    return this.explainResolved(source, destination, port);
  }

  private explainResolved(from: IPeer, to: IPeer, port?: Port): Verdict {
    const sources = this.endpoints.peerSides(from, 'from');
    const destinations = this.endpoints.peerSides(to, 'to');
    const verdicts: Verdict[] = [];
    for (const src of sources) {
      for (const dst of destinations) {
        if (!src.workload && !dst.workload) {
          throw new Error(`NetworkAnalysis: from ${from.peerId} and to ${to.peerId} are both IP addresses; NetworkPolicy only governs traffic of pods, so one side must be a workload.`);
        }
        const names: EndpointNames = {
          srcName: src.name, dstName: dst.name, srcText: src.text, dstText: dst.text, srcIsRange: src.isRange, dstIsRange: dst.isRange,
        };
        verdicts.push(explainPairs(this.evaluate(src.subjects, dst.subjects), names, requestedOfPort(port, dst)));
      }
    }
    if (verdicts.length === 1) {
      return verdicts[0];
    }
    const denied = verdicts.filter((v) => !v.allowed);
    const pick = denied[0] ?? verdicts[0];
    let connections = ConnectionSet.all();
    for (const v of verdicts) {
      connections = connections.intersect(ConnectionSet.parse(v.connections));
    }
    const summary = denied.length === 0
      ? `all ${verdicts.length} pairs allowed (${from.peerId} => ${to.peerId}); first: `
      : `${denied.length} of ${verdicts.length} pairs denied (${from.peerId} => ${to.peerId}); first denied: `;
    return { ...pick, allowed: denied.length === 0, connections: connections.toString(), text: `${summary}${pick.text}` };
  }

  /**
   * Everything allowed from `from` to `to` (constructs or peers of this library), as a connection
   * string: `All Connections`, e.g. `TCP 8080,UDP 53`, or `''`. For a peer of several workloads
   * or addresses, what is allowed for all of them.
   */
  public allowedConnectionsBetween(from: IConnectable, to: IConnectable): string {
    return this.explainConnection(from, to).connections;
  }

  /**
   * The workloads a construct or peer of this library stands for, found by the selectors a
   * NetworkPolicy would use for it. Empty for an ipBlock.
   *
   * @throws when the peer selects no workload of the manifests
   */
  public workloadsOf(peer: IConnectable): WorkloadEndpoint[] {
    const target = resolvePeer(this.model, queryPeer(peer, 'workloadsOf', 'peer'), 'peer');
    if (target.type === 'ip') {
      return [];
    }
    const ids = new Set(target.workloads.map((w) => w.id));
    return this.workloads().filter((w) => ids.has(w.id));
  }

  /**
   * The workload a name stands for: a workload id (`shop/api[Deployment]`), `namespace/name`, or a
   * bare name that is unique across namespaces.
   *
   * @throws when no workload or several workloads have that name
   */
  public workload(name: string): WorkloadEndpoint {
    const w = this.endpoints.findWorkload(name.trim(), 'workload');
    return this.workloads()[w.index];
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
    const { src, dst, names } = this.endpoints.resolvePair(query.from, query.to);
    const requested = requestedOfQuery(query, dst, names.dstText);
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
    const { src, dst } = this.endpoints.resolvePair(from, to);
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
   * `start-end[External]`. By default they follow netpol-analyzer's layout, so the
   * lines can be diffed against that tool: the address space is cut per direction at
   * every ipBlock `cidr` and `except` boundary of the policies (ingress sources at
   * those of ingress rules, egress destinations at those of egress rules), one line
   * per piece, neighbours not merged. With `mergeIpRanges`, neighbouring ranges with
   * the same connections are merged. IPv6 ranges are listed only when some ipBlock is IPv6.
   * Sorted by source, then destination.
   *
   * @param options how to lay out IP ranges
   * @default options - netpol-analyzer's layout
   */
  public matrix(options: MatrixOptions = {}): ConnectionEntry[] {
    return matrix(this.model, { mergeIpRanges: options.mergeIpRanges });
  }

  /**
   * The connections `after` allows that these manifests do not (added), and those these
   * manifests allow that `after` does not (removed), per protocol and port.
   *
   * Computed from both matrices, so it is exact: `conn` is exactly the part that changed (a port
   * range that only partly changed gives only that part). A workload that exists on one side only
   * shows all its connections. IP ranges are compared on both sides' ipBlock edges and neighbouring
   * ranges with the same change are merged.
   *
   * @param after the manifests after the change
   * @param options whether to explain each change
   * @default options - no explanations
   *
   * @example
   * const diff = NetworkAnalysis.fromChart(before).diff(NetworkAnalysis.fromChart(after));
   * diff.added; // [{ src: 'shop/web[Deployment]', dst: 'shop/db[Deployment]', conn: 'TCP 5432' }]
   */
  public diff(after: NetworkAnalysis, options: DiffOptions = {}): ConnectivityDiff {
    const changes = diffModels(this.model, after.model);
    const change = (line: RangedLine): ConnectionChange => {
      const entry = { src: line.src, dst: line.dst, conn: line.conn };
      return options.explain ? { ...entry, explanation: after.explainLine(line) } : entry;
    };
    return { added: changes.added.map(change), removed: changes.removed.map(change) };
  }

  /** Why this analysis allows (or denies) exactly `line.set` between the line's endpoints. */
  private explainLine(line: RangedLine): string {
    const side = (name: string, range: IpInterval | undefined): Subject[] | undefined => {
      if (range) {
        return splitQuery(this.model, range).map((interval): Subject => ({ type: 'ip', interval }));
      }
      const workload = this.endpoints.byWorkloadId(name);
      return workload && [{ type: 'workload', workload }];
    };
    const src = side(line.src, line.srcRange);
    const dst = side(line.dst, line.dstRange);
    if (!src || !dst) {
      return `${!src ? line.src : line.dst} is not in the new manifests`;
    }
    const names: EndpointNames = {
      srcName: line.src,
      dstName: line.dst,
      srcText: line.src,
      dstText: line.dst,
      srcIsRange: line.srcRange !== undefined,
      dstIsRange: line.dstRange !== undefined,
    };
    return explainPairs(this.evaluate(src, dst), names, { set: line.set, specific: true, description: line.conn }).text;
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
}

/**
 * One sentence per workload whose pods use the node's network (`hostNetwork: true`), when some
 * policy could decide their traffic. The Kubernetes documentation ("NetworkPolicy and hostNetwork
 * pods") leaves NetworkPolicy behaviour for such pods undefined, and says most network plugins
 * treat their traffic as the node's: a policy that selects them does not isolate them, and a
 * peer's podSelector or namespaceSelector does not match them. The analysis reports them as
 * ordinary pods, so their verdicts may be wrong in either direction.
 */
function hostNetworkWarnings(model: Model): string[] {
  if (model.policies.length === 0 && model.beyond === undefined) {
    return [];
  }
  return model.workloads.filter((w) => w.hostNetwork).map((w) => `${w.id}: hostNetwork pods; NetworkPolicy behaviour for them is undefined `
    + '(most network plugins treat their traffic as the node\'s: policies that select them do not isolate them, and pod and namespace '
    + 'selectors do not match them), but they are analysed as ordinary pods, so their connections may be reported wrongly');
}
