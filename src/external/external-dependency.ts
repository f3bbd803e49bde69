import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parseIp, specialIpProblem } from '../core/cidr';
import { Connections, IConnectable } from '../core/connections';
import { fail, uniqueId } from '../core/errors';
import { optionalArray, optionalBoolean, optionalLabels, optionalObject, optionalPortSpecs, optionalString, optionalStringArray, requirePeer, requireProps } from '../core/guards';
import { LabelKeys } from '../core/labels';
import { dns1035LabelProblem, dns1123SubdomainProblem, labelProblem, nameFromId } from '../core/names';
import { IPeer, NetworkPolicyPeerSpec, Peer } from '../core/peer';
import { Port, Protocol } from '../core/port';
import { portOf, ServicePortSpec, validateServicePorts } from '../core/service-port';
import { WorkloadPolicy } from '../core/workload-policy';
import { DnsNames } from '../dns/dns-names';
import { INamespace } from '../dns/namespace-ref';
import { canonical } from '../dns/pod-dns';
import { allowCiliumFqdnEgress, isDnsPattern } from '../engine/cilium-fqdn';
import { PolicyEngine } from '../engine/policy-engine';
import { AppValidation } from '../validation/app-validation';

/** Props of `ExternalDependency`. Give exactly one of `hostname` and `addresses`. */
export interface ExternalDependencyProps {
  /**
   * The ports clients use. For `addresses`, `targetPort` is the port of the endpoints (the
   * Service port is what clients dial); a `hostname` dependency is only a DNS alias, so clients
   * dial the real host on `port` and `targetPort` is refused.
   */
  readonly ports: ServicePortSpec[];
  /**
   * `metadata.name` of the Service (and the prefix of its EndpointSlices): the in-cluster name
   * clients use. A DNS-1035 label.
   * @default - derived from the construct id without a hash (`PaymentsApi` -> `payments-api`)
   */
  readonly name?: string;
  /**
   * The namespace of the Service. Clients in other namespaces use `<name>.<namespace>`.
   * @default - the chart's namespace
   */
  readonly namespace?: INamespace;
  /**
   * The DNS name of the dependency: an `ExternalName` Service (a CNAME) is created. Must be a
   * DNS-1123 subdomain; IP addresses and `localhost` are refused (an ExternalName holding an IP
   * is a known trap: it becomes a CNAME to a name that does not exist).
   *
   * A wildcard whose first label is `*` (`*.s3.amazonaws.com`: every name one label below) is
   * allowed for egress by name: no Service is created (a CNAME cannot point at a pattern), and
   * clients reach it only under a DNS-aware policy engine (`PolicyEngine.cilium()`) or with
   * `egressTo`.
   *
   * With the Cilium policy engine (`PolicyEngine.use(app, PolicyEngine.cilium())`), clients'
   * egress is allowed to exactly this name on its ports (a CiliumNetworkPolicy with `toFQDNs`),
   * and `egressTo` is not needed. In an Istio mesh, clients' namespaces get a `ServiceEntry` for it.
   * @default - use `addresses`
   */
  readonly hostname?: string;
  /**
   * The IP addresses of the dependency: a Service without selector plus one EndpointSlice per
   * address family (IPv4, IPv6) listing them. At most 1000 per family; loopback, link-local,
   * unspecified and multicast addresses are refused. Clients' egress is allowed to each address.
   * @default - use `hostname`
   */
  readonly addresses?: string[];
  /**
   * Where a `hostname` dependency lives, for clients' egress. NetworkPolicy cannot filter by DNS
   * name, so the addresses behind the name must be given as peers, usually
   * `Peer.ipBlock('203.0.113.0/24')` (or an egress gateway's `Peer.pods(...)`).
   * Not allowed with `addresses`, which already say where the dependency is.
   * @default - none: connecting a client to a `hostname` dependency fails until this or
   * `allowEgressToAnyAddress` is set, unless the client's policy engine can allow DNS names
   * (Cilium)
   */
  readonly egressTo?: IPeer[];
  /**
   * Allow clients of a `hostname` dependency to reach ANY address (`0.0.0.0/0` and `::/0`) on the
   * dependency's ports, because the addresses behind the name are unknown or change.
   * NetworkPolicy cannot filter by DNS name; prefer `egressTo`, or a DNS-aware policy of the CNI
   * (Cilium `toFQDNs`, Calico domain names) or an egress gateway.
   * @default false
   */
  readonly allowEgressToAnyAddress?: boolean;
  /**
   * Extra labels on the Service and EndpointSlices.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * The cluster domain used in `fqdn`.
   * @default - the namespace's cluster DNS domain, `cluster.local`
   */
  readonly clusterDomain?: string;
}

/** The EndpointSlice label that names the slice's manager. */
const MANAGED_BY_SLICE = 'endpointslice.kubernetes.io/managed-by';
/** The EndpointSlice label that links the slice to its Service. */
const SERVICE_NAME = 'kubernetes.io/service-name';
/** kube-linter's per-object opt-out of the dangling-service check. */
const KUBE_LINTER_DANGLING = 'ignore-check.kube-linter.io/dangling-service';
const MAX_ENDPOINTS = 1000;

/**
 * Something outside the cluster, reachable by a stable in-cluster name and usable as a
 * connection destination.
 *
 * - With `hostname`: a `type: ExternalName` Service, so `<name>.<namespace>.svc.<domain>` is a
 *   CNAME to the hostname. Nothing is proxied: clients connect to the real host, so TLS
 *   certificates and HTTP `Host` headers must still name the real hostname.
 * - With `addresses`: a Service without selector plus EndpointSlices (`discovery.k8s.io/v1`,
 *   labelled `kubernetes.io/service-name: <name>` and
 *   `endpointslice.kubernetes.io/managed-by: cdk8s-secure-networking`, one slice per address
 *   family, named `<name>-ipv4` / `<name>-ipv6`), so kube-proxy load-balances the Service's
 *   cluster IP over the addresses. kube-linter's `dangling-service` check fires on every Service
 *   without a selector; this one carries its documented opt-out annotation
 *   `ignore-check.kube-linter.io/dangling-service` with the reason.
 *
 * As a connection destination (`api.allowTo(payments)`), it writes egress on the client only
 * (there is no pod of ours at the other end): one ipBlock per address (`/32`, `/128`) or per
 * `egressTo` peer, on exactly the dependency's ports (the endpoint ports, since policies match
 * after the Service's DNAT). NetworkPolicy cannot match DNS names, so a `hostname` dependency
 * needs `egressTo` or the explicit `allowEgressToAnyAddress`.
 *
 * It is a destination only: accepting connections from outside is
 * `api.allowFrom(Peer.ipBlock(...))`.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#externalname
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors
 *
 * @example
 * const payments = new ExternalDependency(chart, 'Payments', {
 *   namespace: ns, hostname: 'api.payments.example', ports: [{ name: 'https', port: 443 }],
 *   egressTo: [Peer.ipBlock('203.0.113.0/24')],
 * });
 * api.allowTo(payments); // egress from api to 203.0.113.0/24 on TCP 443
 */
export class ExternalDependency extends Construct implements IConnectable {
  /** The Service (escape hatch); none for a wildcard hostname. */
  public readonly service?: ApiObject;
  /** The EndpointSlices, one per address family (none for a `hostname` dependency). */
  public readonly endpointSlices: ApiObject[];
  /** The connections: as a destination, its addresses on its ports. */
  public readonly connections: Connections;
  /** The Service name. */
  public readonly name: string;
  /** The namespace of the Service, when known. */
  public readonly namespaceName?: string;
  /** The hostname, for a `hostname` dependency. */
  public readonly hostname?: string;
  /** The addresses (canonical spelling), for an `addresses` dependency. */
  public readonly addresses: string[];
  /** The ports. */
  public readonly ports: ServicePortSpec[];
  /** The peers clients' egress is allowed to (empty until a `hostname` dependency says where it lives). */
  public readonly egressPeers: IPeer[];
  /** The cluster domain of `fqdn`. */
  public readonly clusterDomain: string;

  public constructor(scope: Construct, id: string, props: ExternalDependencyProps) {
    super(scope, uniqueId(scope, id, new.target.name));
    const p = 'ExternalDependency';
    checkPropTypes(this, props);
    this.name = props.name ?? nameFromId(id);
    const nameProblem = dns1035LabelProblem(this.name);
    if (nameProblem) fail(this, `${p}.name "${this.name}" is not a valid Service name; ${nameProblem}.`);
    this.namespaceName = props.namespace?.namespaceName ?? Chart.of(this).namespace;
    this.clusterDomain = props.clusterDomain ?? props.namespace?.clusterDns.clusterDomain ?? DnsNames.DEFAULT_CLUSTER_DOMAIN;
    const domainProblem = dns1123SubdomainProblem(this.clusterDomain);
    if (domainProblem) fail(this, `${p}.clusterDomain "${this.clusterDomain}" is not a DNS domain; ${domainProblem}.`);
    for (const [k, v] of Object.entries(props.labels ?? {})) {
      const problem = labelProblem(k, v);
      if (problem) fail(this, `${p}.labels: ${problem}.`);
      if (k === SERVICE_NAME || k === MANAGED_BY_SLICE) fail(this, `${p}.labels sets "${k}", which links the EndpointSlices to the Service; remove it.`);
    }
    if (props.hostname !== undefined && props.addresses !== undefined) {
      fail(this, `${p}.hostname and ${p}.addresses are both set; give the DNS name (an ExternalName Service) or the IP addresses (EndpointSlices), not both.`);
    }
    if (props.hostname === undefined && props.addresses === undefined) {
      fail(this, `${p}.hostname and ${p}.addresses are both missing; give the DNS name of the dependency or its IP addresses.`);
    }
    this.ports = this.validatePorts(props);
    const labels = { ...props.labels, [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE };
    const metadata = { name: this.name, namespace: this.namespaceName, labels };

    if (props.hostname !== undefined) {
      this.hostname = this.validateHostname(props.hostname);
      this.addresses = [];
      this.egressPeers = this.validateEgressChoice(props);
      // A CNAME cannot point at a pattern: a wildcard is a destination for egress rules only.
      this.service = isDnsPattern(this.hostname) ? undefined : new kplus.k8s.KubeService(this, 'Resource', {
        metadata,
        spec: {
          type: 'ExternalName',
          externalName: this.hostname,
          // Informational for an ExternalName (it is only a CNAME), but documents the contract.
          ports: this.ports.map((sp) => ({ name: sp.name, port: sp.port, protocol: sp.protocol ?? Protocol.TCP })),
        },
      });
      this.endpointSlices = [];
    } else {
      if (props.egressTo !== undefined) {
        fail(this, `${p}.egressTo is set with ${p}.addresses; the addresses already say where the dependency is, so remove egressTo.`);
      }
      if (props.allowEgressToAnyAddress) {
        fail(this, `${p}.allowEgressToAnyAddress is set with ${p}.addresses; egress is allowed to exactly those addresses, so remove allowEgressToAnyAddress.`);
      }
      const byFamily = this.validateAddresses(props.addresses!);
      this.addresses = [...byFamily.v4, ...byFamily.v6];
      this.egressPeers = [
        ...byFamily.v4.map((a) => Peer.ipBlock(`${a}/32`)),
        ...byFamily.v6.map((a) => Peer.ipBlock(`${a}/128`)),
      ];
      const families = [...(byFamily.v4.length ? ['IPv4'] : []), ...(byFamily.v6.length ? ['IPv6'] : [])];
      const sliceNames = families.map((f) => `${this.name}-${f.toLowerCase()}`);
      this.service = new kplus.k8s.KubeService(this, 'Resource', {
        metadata: {
          ...metadata,
          annotations: {
            [KUBE_LINTER_DANGLING]: `Selector-less on purpose: its endpoints are the external addresses in EndpointSlice ${sliceNames.join(' and ')}, written by ${LabelKeys.MANAGED_BY_VALUE}.`,
          },
        },
        spec: {
          type: 'ClusterIP',
          // kube-proxy only uses slices of the Service's IP families. One family is stated, so an IPv6-first cluster
          // still uses an IPv4-only dependency's slice. Two are not: the API server refuses a family the cluster does not
          // have (kube-apiserver service/storage/alloc.go initIPFamilyFields), and PreferDualStack without ipFamilies gets
          // both on a dual-stack cluster and the cluster's own family on a single-stack one.
          ipFamilies: families.length === 2 ? undefined : families,
          ipFamilyPolicy: families.length === 2 ? 'PreferDualStack' : 'SingleStack',
          ports: this.ports.map((sp) => ({
            name: sp.name,
            port: sp.port,
            targetPort: kplus.k8s.IntOrString.fromNumber(sp.targetPort ?? sp.port),
            protocol: sp.protocol ?? Protocol.TCP,
          })),
        },
      });
      this.endpointSlices = families.map((family) => new kplus.k8s.KubeEndpointSlice(this, family === 'IPv4' ? 'EndpointSliceIpv4' : 'EndpointSliceIpv6', {
        metadata: {
          name: `${this.name}-${family.toLowerCase()}`,
          namespace: this.namespaceName,
          labels: { ...labels, [SERVICE_NAME]: this.name, [MANAGED_BY_SLICE]: LabelKeys.MANAGED_BY_VALUE },
        },
        addressType: family,
        // Port names must equal the Service port names: that is how kube-proxy pairs them.
        ports: this.ports.map((sp) => ({ name: sp.name, port: sp.targetPort ?? sp.port, protocol: sp.protocol ?? Protocol.TCP })),
        endpoints: (family === 'IPv4' ? byFamily.v4 : byFamily.v6).map((a) => ({ addresses: [a], conditions: { ready: true } })),
      }));
    }

    // Policies match the port after the Service's DNAT: the endpoint port. An ExternalName does no DNAT.
    const destinationPorts = this.ports.map((sp) => (this.hostname !== undefined ? portOf(sp, sp.port) : portOf(sp)));
    const peer = new DependencyPeer(this);
    // A construct with managed connections is one of this library's: its objects get the app-wide checks.
    AppValidation._register(this);
    this.connections = new Connections({
      peer,
      scope: this,
      destinationOnly: true,
      ports: destinationPorts,
      namedPorts: Object.fromEntries(this.ports.map((sp, i) => [sp.name, destinationPorts[i]])),
      description: `${p} ${peer.peerId}`,
    });
  }

  /** The Service's DNS name, `<name>.<namespace>.svc.<cluster domain>`, that clients use. Needs a known namespace. */
  public get fqdn(): string {
    if (this.service === undefined && this.hostname !== undefined) {
      fail(this, `ExternalDependency.fqdn: "${this.hostname}" is a wildcard, which has no Service and so no in-cluster name; clients use the real names it stands for.`);
    }
    if (this.namespaceName === undefined) {
      fail(this, 'ExternalDependency.fqdn needs a namespace; set ExternalDependency.namespace or the chart namespace.');
    }
    return DnsNames.service(this.name, this.namespaceName, this.clusterDomain);
  }

  /**
   * Refuses a connection from a client whose policy engine (`engine`) cannot allow egress to
   * this dependency: a DNS name without `egressTo`, under an engine without DNS policies.
   * @internal
   */
  public _requireEgress(call: string, engine: PolicyEngine, via?: string): void {
    if (this.egressPeers.length > 0 || engine.supportsDnsNames || via !== undefined) return;
    const problem = engine._dnsNameProblem()!;
    const lead = engine.kind === 'kubernetes' ? `NetworkPolicy cannot allow egress to a DNS name ("${this.hostname}")` : `${problem} ("${this.hostname}")`;
    fail(this, `${call}: ExternalDependency.egressTo is not set, and ${lead}. ` +
      'List the CIDRs it resolves to in egressTo (e.g. [Peer.ipBlock(\'203.0.113.0/24\')]), or set allowEgressToAnyAddress to true to allow any address on its ports' +
      (engine.kind === 'kubernetes' ? ', or choose the Cilium policy engine (PolicyEngine.use(app, PolicyEngine.cilium())) to allow exactly this name.' : '.'));
  }

  private validateHostname(hostname: string): string {
    const f = `ExternalDependency.hostname "${hostname}"`;
    const bareName = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
    // Resolvers read `10.0.0.1.`, `127.1` and `010.0.0.1` as IPv4 addresses: a name whose last label is numeric is no host name.
    if (parseIp(hostname) || parseIp(bareName) || /(^|\.)\d+$/.test(bareName)) {
      fail(this, `${f} is an IP address; an ExternalName must be a DNS name (an IP becomes a CNAME to a name that does not exist). Use ExternalDependency.addresses for IPs.`);
    }
    const bare = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
    if (bare === 'localhost' || bare.endsWith('.localhost')) {
      fail(this, `${f} names the loopback interface, which would point clients at themselves; give the dependency's real DNS name.`);
    }
    if (bare.includes('*')) {
      const rest = bare.slice(2);
      if (!bare.startsWith('*.') || rest.includes('*') || !rest.includes('.')) {
        fail(this, `${f} is not a wildcard this library writes; a wildcard replaces the whole first label and stands above a registered domain: '*.s3.amazonaws.com'.`);
      }
      const problem = dns1123SubdomainProblem(rest);
      if (problem) fail(this, `${f} is not a wildcard DNS name; after "*.": ${problem}.`);
      return hostname;
    }
    const problem = dns1123SubdomainProblem(bare);
    if (problem) fail(this, `${f} is not a DNS name; ${problem}.`);
    return hostname;
  }

  private validateEgressChoice(props: ExternalDependencyProps): IPeer[] {
    const p = 'ExternalDependency';
    if (props.egressTo !== undefined && props.allowEgressToAnyAddress) {
      fail(this, `${p}.egressTo and ${p}.allowEgressToAnyAddress are both set; any address already includes the listed peers, so use one of them.`);
    }
    if (props.allowEgressToAnyAddress) return [Peer.anyIpv4(), Peer.anyIpv6()];
    const peers = props.egressTo ?? [];
    if (props.egressTo !== undefined && peers.length === 0) {
      fail(this, `${p}.egressTo is empty; list where "${props.hostname}" lives (e.g. [Peer.ipBlock('203.0.113.0/24')]), or set allowEgressToAnyAddress to true.`);
    }
    peers.forEach((peer, i) => {
      if (peer.connections.isManaged) {
        fail(this, `${p}.egressTo[${i}] is ${peer.peerId}, a workload of this library; connect clients to it with allowTo, which writes both sides.`);
      }
      if (peers.findIndex((o) => o.peerId === peer.peerId) !== i) fail(this, `${p}.egressTo lists ${peer.peerId} twice; list each peer once.`);
    });
    return [...peers];
  }

  private validateAddresses(addresses: string[]): { v4: string[]; v6: string[] } {
    const p = 'ExternalDependency';
    if (addresses.length === 0) fail(this, `${p}.addresses is empty; give at least one IP address.`);
    const v4: string[] = [];
    const v6: string[] = [];
    const seen = new Map<string, number>();
    addresses.forEach((a, i) => {
      const f = `${p}.addresses[${i}] "${a}"`;
      const ip = parseIp(a);
      if (!ip) {
        fail(this, a.includes('/')
          ? `${f} is a CIDR; endpoints are single addresses, so list each address (or use hostname with egressTo for a range).`
          : `${f} is not an IP address; give e.g. 203.0.113.10 or 2001:db8::10, or use ExternalDependency.hostname for a DNS name.`);
      }
      const special = specialIpProblem(a);
      if (special) fail(this, `${f} cannot be an endpoint; ${special}. Endpoints must be routable addresses outside the node.`);
      const c = canonical(a);
      const before = seen.get(c);
      if (before !== undefined) fail(this, `${f} repeats ${p}.addresses[${before}]; list each address once.`);
      seen.set(c, i);
      (ip.version === 4 ? v4 : v6).push(c);
    });
    for (const [family, list] of [['IPv4', v4], ['IPv6', v6]] as const) {
      if (list.length > MAX_ENDPOINTS) {
        fail(this, `${p}.addresses has ${list.length} ${family} addresses; an EndpointSlice holds at most ${MAX_ENDPOINTS} endpoints. Use a hostname or a smaller set.`);
      }
    }
    return { v4, v6 };
  }

  private validatePorts(props: ExternalDependencyProps): ServicePortSpec[] {
    return validateServicePorts(this, props.ports, {
      construct: 'ExternalDependency',
      emptyAdvice: "give at least one named port, e.g. [{ name: 'https', port: 443 }].",
      refuseNodePort: 'an ExternalDependency is reachable inside the cluster only. Omit nodePort.',
      refuseTargetPort: props.hostname === undefined ? undefined : (sp) => 'on a hostname dependency; an ExternalName Service is only a DNS alias ' +
        `and forwards no port, so clients dial ${props.hostname} on port ${sp.port}. Omit targetPort.`,
    });
  }
}

/**
 * How policies name the dependency: one ipBlock per egress peer, ORed in one rule (a
 * NetworkPolicy peer holds one ipBlock). Nothing is ever written on the dependency's side.
 */
class DependencyPeer implements IPeer {
  public readonly peerId: string;
  /** Addresses outside the cluster are in no namespace. */
  public readonly peerNamespace = undefined;
  /** The DNS name, for DNS-aware engines and meshes (`dnsNameOfPeer`). */
  public readonly _dnsName?: string;
  constructor(private readonly dep: ExternalDependency) {
    this.peerId = `external:${dep.namespaceName === undefined ? dep.name : `${dep.namespaceName}/${dep.name}`}`;
    this._dnsName = dep.hostname;
  }

  /**
   * A client's egress: with a DNS-aware engine, to the name itself (Cilium toFQDNs); and to the
   * egress peers in the NetworkPolicy when there are any.
   */
  public _writeEgressFrom(policy: WorkloadPolicy, ports: Port[]): boolean {
    if (this.dep.hostname === undefined) return true;
    const engine = PolicyEngine.of(policy);
    this.dep._requireEgress(`allowTo(${this.peerId})`, engine, policy._externalHostsVia);
    // Through an egress gateway the pods connect to the gateway (the mesh wrote that rule), not to the host.
    if (policy._externalHostsVia !== undefined) return false;
    if (engine.supportsDnsNames) allowCiliumFqdnEgress(policy, engine, this.dep.hostname, ports);
    return this.dep.egressPeers.length > 0;
  }

  public get connections(): Connections {
    return this.dep.connections;
  }

  public toPeerSpecs(policyNamespace?: string): NetworkPolicyPeerSpec[] {
    // Never reached without egress peers: _writeEgressFrom refuses the connection first, or writes no NetworkPolicy rule.
    return this.dep.egressPeers.flatMap((p) => p.toPeerSpecs(policyNamespace));
  }
}

/** Types first (for callers outside TypeScript): nothing below may meet a null, a number for a name or a string for a list. */
function checkPropTypes(scope: Construct, props: ExternalDependencyProps) {
  const p = 'ExternalDependency';
  requireProps(scope, p, props, "give ExternalDependencyProps, e.g. { hostname: 'api.example.com', ports: [{ name: 'https', port: 443 }], egressTo: [...] }");
  optionalPortSpecs(scope, `${p}.ports`, props.ports, Object.values(Protocol));
  optionalString(scope, `${p}.name`, props.name, "give a DNS-1035 label such as 'payments'");
  optionalObject(scope, `${p}.namespace`, props.namespace, "give a DenyAllNamespace or NamespaceRef.named('shop')");
  optionalString(scope, `${p}.hostname`, props.hostname, "give a DNS name such as 'api.example.com'");
  optionalStringArray(scope, `${p}.addresses`, props.addresses, "give a list of IP addresses, e.g. ['203.0.113.10']", 'give an IP address such as 203.0.113.10');
  optionalArray(scope, `${p}.egressTo`, props.egressTo, "give a list of peers, e.g. [Peer.ipBlock('203.0.113.0/24')]",
    (item, f) => requirePeer(scope, f, item, "give a peer such as Peer.ipBlock('203.0.113.0/24')", true));
  optionalBoolean(scope, `${p}.allowEgressToAnyAddress`, props.allowEgressToAnyAddress, 'give true or false');
  optionalLabels(scope, `${p}.labels`, props.labels);
  optionalString(scope, `${p}.clusterDomain`, props.clusterDomain, "give a DNS domain such as 'cluster.local'");
}
