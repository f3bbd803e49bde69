import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { canonicalIp, parseIp, specialIpProblem } from '../core/cidr';
import { fail, warn } from '../core/errors';
import { dns1123SubdomainProblem } from '../core/names';
import { IPeer, Peer } from '../core/peer';
import { Port } from '../core/port';

/**
 * How a pod resolves names (`spec.dnsPolicy`).
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy
 */
export enum DnsPolicy {
  /** Cluster names go to the cluster DNS, other names to its upstream resolvers (the Kubernetes default). */
  CLUSTER_FIRST = 'ClusterFirst',
  /**
   * Like `CLUSTER_FIRST`, for pods on the host network. Pods of this library never use the host
   * network, so it behaves exactly like `CLUSTER_FIRST` (a warning says so).
   */
  CLUSTER_FIRST_WITH_HOST_NET = 'ClusterFirstWithHostNet',
  /**
   * The node's resolver configuration: cluster names do not resolve, and queries go to the node's
   * resolvers, which the workload's NetworkPolicy does not know (a warning says so).
   */
  DEFAULT = 'Default',
  /** Only `PodDns.nameservers`, `searches` and `options` (at least one nameserver is required). */
  NONE = 'None',
}

/** One resolver option of `/etc/resolv.conf` (`ndots:2`, `edns0`). */
export interface PodDnsOption {
  /**
   * The option name: `ndots` (0-15), `timeout` (1-30 seconds), `attempts` (1-5), or a flag such
   * as `edns0`, `rotate`, `single-request-reopen`, `use-vc`, `no-tld-query`, `trust-ad`.
   */
  readonly name: string;
  /**
   * The value, for options that take one (`ndots`, `timeout`, `attempts`).
   * @default - none (a flag)
   */
  readonly value?: string;
}

/**
 * DNS settings of a workload's pods: `spec.dnsPolicy` and `spec.dnsConfig`.
 *
 * Validated the way the API server and the resolver do: at most 3 nameservers (glibc reads no
 * more), each an IP address; at most 6 search domains (what cdk8s-plus-28 renders; Kubernetes allows 32), each
 * a DNS name; `ndots` 0-15. `DnsPolicy.NONE` requires a nameserver. The workload's NetworkPolicy
 * allows DNS (UDP and TCP 53) to each listed nameserver, in addition to the cluster DNS.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-dns-config
 *
 * @example
 * const dns: PodDns = { policy: DnsPolicy.CLUSTER_FIRST, options: [{ name: 'ndots', value: '2' }] };
 */
export interface PodDns {
  /**
   * How the pods resolve names.
   * @default DnsPolicy.CLUSTER_FIRST
   */
  readonly policy?: DnsPolicy;
  /**
   * Nameserver IP addresses, added to those of the policy (the only ones with `DnsPolicy.NONE`).
   * @default - none
   */
  readonly nameservers?: string[];
  /**
   * Search domains, added to those of the policy.
   * @default - none
   */
  readonly searches?: string[];
  /**
   * Resolver options; a later option of the same name wins over the policy's.
   * @default - none
   */
  readonly options?: PodDnsOption[];
}

/** The validated DNS settings, ready for cdk8s-plus. @internal */
export interface ResolvedPodDns {
  readonly props: kplus.PodDnsProps;
  /** Egress the pods need for their nameservers, beyond the cluster DNS. */
  readonly egress: Array<{ peer: IPeer; ports: Port[] }>;
}

const VALUED_OPTIONS: { [name: string]: [number, number, string] } = {
  ndots: [0, 15, 'the resolver caps ndots at 15'],
  timeout: [1, 30, 'the resolver caps timeout at 30 seconds'],
  attempts: [1, 5, 'the resolver caps attempts at 5'],
};
/** The most search domains cdk8s-plus-28 renders (node_modules/cdk8s-plus-28/lib/pod.js, PodDns._toKube). */
const MAX_RENDERED_SEARCHES = 6;

const FLAG_OPTIONS = ['edns0', 'rotate', 'single-request', 'single-request-reopen', 'use-vc', 'no-tld-query', 'trust-ad', 'no-reload', 'inet6', 'debug'];

/**
 * Validates `dns` (the prop `<construct>.dns`) and renders it for cdk8s-plus.
 * @internal
 */
export function resolvePodDns(scope: IConstruct, construct: string, dns: PodDns | undefined): ResolvedPodDns | undefined {
  if (dns === undefined) return undefined;
  const f = `${construct}.dns`;
  const policy = dns.policy ?? DnsPolicy.CLUSTER_FIRST;
  if (!Object.values(DnsPolicy).includes(policy)) {
    fail(scope, `${f}.policy is "${policy}"; use one of ${Object.values(DnsPolicy).join(', ')} (DnsPolicy.*).`);
  }
  const nameservers = dns.nameservers ?? [];
  const searches = dns.searches ?? [];
  const options = dns.options ?? [];

  if (nameservers.length > 3) {
    fail(scope, `${f}.nameservers lists ${nameservers.length} addresses; at most 3 are allowed (the resolver ignores the rest).`);
  }
  const egress: Array<{ peer: IPeer; ports: Port[] }> = [];
  nameservers.forEach((ns, i) => {
    const ip = parseIp(ns);
    if (!ip) fail(scope, `${f}.nameservers[${i}] "${ns}" is not an IP address; nameservers are addresses, e.g. 10.0.0.10.`);
    if (nameservers.findIndex((other) => parseIp(other)?.value === ip.value && parseIp(other)?.version === ip.version) !== i) {
      fail(scope, `${f}.nameservers lists "${ns}" twice; list each nameserver once.`);
    }
    const problem = specialIpProblem(ns);
    if (problem === 'it is the unspecified address' || problem === 'it is a multicast address') {
      fail(scope, `${f}.nameservers[${i}] "${ns}" cannot be a nameserver; ${problem}.`);
    }
    // NetworkPolicy does not apply to loopback traffic (a resolver sidecar), so it needs no rule.
    if (problem !== 'it is a loopback address') {
      egress.push({ peer: Peer.ipBlock(`${canonical(ns)}/${ip.version === 4 ? 32 : 128}`), ports: [Port.DNS_UDP, Port.DNS_TCP] });
    }
  });
  if (policy === DnsPolicy.NONE && nameservers.length === 0) {
    fail(scope, `${f}.policy is DnsPolicy.NONE but ${f}.nameservers is empty; with NONE the pods know only the nameservers listed, so list at least one.`);
  }

  // Kubernetes allows 32 search domains (2048 characters) since 1.28, but cdk8s-plus-28, which writes
  // the pod spec, refuses more than 6 when it renders (PodDns._toKube: "There can be at most 6 search
  // domains specified"). Said here, at construction, rather than as a failed render at synth.
  if (searches.length > MAX_RENDERED_SEARCHES) {
    fail(scope, `${f}.searches lists ${searches.length} domains; at most ${MAX_RENDERED_SEARCHES} can be rendered, because cdk8s-plus-28, which writes the pod spec, `
      + `refuses more (Kubernetes itself allows 32 since 1.28). Keep the ${MAX_RENDERED_SEARCHES} the pods need.`);
  }
  searches.forEach((s, i) => {
    // A trailing dot (fully qualified) is accepted by the API server.
    const problem = dns1123SubdomainProblem(s.endsWith('.') ? s.slice(0, -1) : s);
    if (problem) fail(scope, `${f}.searches[${i}] "${s}" is not a DNS domain; ${problem}.`);
  });
  // (6 domains of at most 253 characters stay under the API server's 2048-character total.)

  options.forEach((o, i) => {
    const of = `${f}.options[${i}]`;
    if (!o.name || !/^[a-z0-9][-a-z0-9]*$/.test(o.name)) fail(scope, `${of}.name "${o.name ?? ''}" is not a resolver option name (e.g. ndots, edns0).`);
    const range = VALUED_OPTIONS[o.name];
    if (range) {
      const [min, max, why] = range;
      const n = o.value !== undefined && /^\d+$/.test(o.value) ? Number(o.value) : NaN;
      if (!(n >= min && n <= max)) fail(scope, `${of} ${o.name} is ${o.value === undefined ? 'missing its value' : `"${o.value}"`}; it must be a whole number ${min}-${max} (${why}).`);
    } else if (FLAG_OPTIONS.includes(o.name) && o.value !== undefined) {
      fail(scope, `${of} ${o.name} is a flag and takes no value; omit value "${o.value}".`);
    }
  });

  if (policy === DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET) {
    warn(scope, `${f}.policy is ClusterFirstWithHostNet, but these pods do not use the host network, so it behaves as ClusterFirst.`);
  }
  if (policy === DnsPolicy.DEFAULT) {
    warn(scope, `${f}.policy is Default: the pods use the node's resolvers, which their NetworkPolicy does not allow; ` +
      'allow them with allowTo(Peer.ipBlock(...), Port.DNS_UDP, Port.DNS_TCP), and note that cluster names do not resolve.');
  }

  return {
    props: {
      policy: policy as unknown as kplus.DnsPolicy,
      nameservers: nameservers.map(canonical),
      searches: [...searches],
      options: options.map((o) => ({ name: o.name, value: o.value })),
    },
    egress,
  };
}

/** The canonical spelling of an IP address (`2001:DB8:0::1` -> `2001:db8::1`). @internal */
export function canonical(ip: string): string {
  return canonicalIp(ip) ?? ip;
}

