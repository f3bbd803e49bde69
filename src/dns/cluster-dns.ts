import { parseIp } from '../core/cidr';
import { failCall } from '../core/errors';
import { optionalArray, optionalLabels, optionalString, requireInstance, requireObject } from '../core/guards';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names';
import { IPeer, Peer } from '../core/peer';
import { Port, requireAllTrafficAlone } from '../core/port';
import { checkedValue } from '../core/value-checks';

/** Options for `ClusterDns.kubeDns()`. */
export interface KubeDnsOptions {
  /**
   * The namespace of the cluster DNS pods.
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * Labels of the cluster DNS pods.
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * The ports the DNS pods listen on. NetworkPolicies match the pod port after the Service's
   * DNAT, which is not always 53 (OpenShift's dns-default listens on 5353).
   * @default [Port.udp(53), Port.tcp(53)]
   */
  readonly ports?: Port[];
  /**
   * The cluster domain.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/** Options for `ClusterDns.nodeLocalDnsCache()`. */
export interface NodeLocalDnsCacheOptions extends KubeDnsOptions {
  /**
   * The link-local address NodeLocal DNSCache listens on.
   * @default '169.254.20.10'
   */
  readonly address?: string;
}

/**
 * Where pods resolve names: the egress a namespace that denies all egress must still allow.
 *
 * Allow both UDP and TCP 53 (TCP carries truncated and large answers). The cluster DNS pods are
 * named as ONE peer with namespaceSelector AND podSelector (`kubernetes.io/metadata.name`, which
 * the control plane sets, rather than a `name` label that usually does not exist).
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
 */
export class ClusterDns {
  /** CoreDNS/kube-dns pods `k8s-app=kube-dns` in `kube-system`, UDP and TCP 53. */
  public static kubeDns(options: KubeDnsOptions = {}): ClusterDns {
    return checkedValue(ClusterDns.prototype, () => {
      checkOptionTypes('ClusterDns.kubeDns', options);
      const namespace = options.namespace ?? 'kube-system';
      const nsProblem = dns1123LabelProblem(namespace);
      if (nsProblem) failCall('ClusterDns.kubeDns', `namespace "${namespace}" is not a namespace name; ${nsProblem}.`);
      const ports = options.ports ?? [Port.DNS_UDP, Port.DNS_TCP];
      if (ports.length === 0) failCall('ClusterDns.kubeDns', 'ports is empty; DNS needs at least one port (usually UDP and TCP 53).');
      const peer = Peer.pods({ labels: options.podLabels ?? { 'k8s-app': 'kube-dns' }, namespace });
      return new ClusterDns([{ peer, ports }], checkDomain('ClusterDns.kubeDns', options.clusterDomain));
    });
  }

  /**
   * NodeLocal DNSCache: pods query a link-local address served by a hostNetwork DaemonSet, which
   * pod selectors cannot match, so it is allowed with an ipBlock (`169.254.20.10/32`). The
   * cluster DNS pods stay allowed too, for setups where the cache forwards the kube-dns Service IP.
   */
  public static nodeLocalDnsCache(options: NodeLocalDnsCacheOptions = {}): ClusterDns {
    return checkedValue(ClusterDns.prototype, () => {
      checkOptionTypes('ClusterDns.nodeLocalDnsCache', options);
      optionalString('ClusterDns.nodeLocalDnsCache', 'address', options.address, "give an IP address such as '169.254.20.10'");
      const address = options.address ?? '169.254.20.10';
      const ip = parseIp(address);
      if (!ip) failCall('ClusterDns.nodeLocalDnsCache', `address "${address}" is not an IP address.`);
      const ports = options.ports ?? [Port.DNS_UDP, Port.DNS_TCP];
      const cache = { peer: Peer.ipBlock(`${address}/${ip.version === 4 ? 32 : 128}`), ports };
      const kube = ClusterDns.kubeDns(options);
      return new ClusterDns([cache, ...kube._rules], kube.clusterDomain);
    });
  }

  /** The cluster domain (`cluster.local`). */
  public readonly clusterDomain: string;
  /** @internal */
  public readonly _rules: Array<{ peer: IPeer; ports: Port[] }>;

  private constructor(rules: Array<{ peer: IPeer; ports: Port[] }>, clusterDomain: string) {
    this._rules = rules;
    this.clusterDomain = clusterDomain;
  }

  /** The peers DNS queries go to. */
  public get peers(): IPeer[] {
    return this._rules.map((r) => r.peer);
  }
}

/** The types of the options, for callers outside TypeScript. */
function checkOptionTypes(call: string, options: KubeDnsOptions) {
  requireObject(call, 'options', options as unknown, "give KubeDnsOptions, e.g. { namespace: 'kube-system' }, or nothing");
  optionalString(call, 'namespace', options.namespace, "give a namespace name such as 'kube-system'");
  optionalLabels(call, 'podLabels', options.podLabels);
  optionalArray(call, 'ports', options.ports, 'give a list of Port values, e.g. [Port.udp(53), Port.tcp(53)]',
    (item, f) => requireInstance(call, f, item, Port, 'give a Port, e.g. Port.udp(53)'));
  if (options.ports) requireAllTrafficAlone(call, 'ports', options.ports);
  optionalString(call, 'clusterDomain', options.clusterDomain, "give a DNS domain such as 'cluster.local'");
}

function checkDomain(call: string, domain?: string): string {
  const d = domain ?? 'cluster.local';
  const problem = dns1123SubdomainProblem(d);
  if (problem) failCall(call, `clusterDomain "${d}" is not a DNS domain; ${problem}.`);
  return d;
}
