import { canonicalIp, parseIp } from '../core/cidr';
import { failCall } from '../core/errors';
import { requireNumber, requireObject, requireString } from '../core/guards';
import { dns1035LabelProblem, dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names';

/** Options for `DnsNames.statefulSetPod()`. */
export interface StatefulSetPodDnsNameOptions {
  /** The StatefulSet name; its pods are named `<statefulSet>-<ordinal>`. */
  readonly statefulSet: string;
  /** The pod ordinal (0 for the first pod). */
  readonly ordinal: number;
  /** The headless Service named in the StatefulSet's `spec.serviceName`. */
  readonly serviceName: string;
  /** The namespace. */
  readonly namespace: string;
  /**
   * The cluster domain.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/**
 * The DNS names a cluster gives to Services and pods, following the Kubernetes DNS-based
 * service discovery specification and the Multi-Cluster Services API (KEP-1645).
 *
 * Every helper validates its inputs the way the API server validates the names they come from,
 * and takes the cluster domain as an argument (clusters can use another domain than
 * `cluster.local`). The `clusterset.local` domain of multi-cluster services is fixed by the MCS API.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
 * @see https://github.com/kubernetes/dns/blob/master/docs/specification.md
 *
 * @example
 * DnsNames.service('api', 'shop');                 // 'api.shop.svc.cluster.local'
 * DnsNames.podARecord('10.1.2.3', 'shop');         // '10-1-2-3.shop.pod.cluster.local'
 * DnsNames.clusterSetService('api', 'shop');       // 'api.shop.svc.clusterset.local'
 */
export class DnsNames {
  /** The default cluster domain. */
  public static readonly DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
  /** The domain of multi-cluster services (MCS API); not configurable. */
  public static readonly CLUSTER_SET_DOMAIN = 'clusterset.local';

  /**
   * The name of a Service: `<service>.<namespace>.svc.<clusterDomain>`.
   *
   * For a ClusterIP Service it resolves to the cluster IP; for a headless Service to the
   * addresses of its ready pods (all pods with `publishNotReadyAddresses`).
   *
   * @param service the Service name
   * @param namespace the namespace
   * @param clusterDomain the cluster domain; default 'cluster.local'
   */
  public static service(service: string, namespace: string, clusterDomain?: string): string {
    const call = `DnsNames.service('${service}', '${namespace}'${clusterDomain === undefined ? '' : `, '${clusterDomain}'`})`;
    checkService(call, service);
    checkNamespace(call, namespace);
    return `${service}.${namespace}.svc.${checkDomain(call, clusterDomain)}`;
  }

  /**
   * The stable name of one StatefulSet pod behind its headless Service:
   * `<statefulSet>-<ordinal>.<serviceName>.<namespace>.svc.<clusterDomain>`.
   *
   * The StatefulSet controller sets each pod's `hostname` to the pod name and its `subdomain` to
   * `spec.serviceName`; the record exists while the pod is ready, or always when the Service
   * publishes not-ready addresses.
   */
  public static statefulSetPod(options: StatefulSetPodDnsNameOptions): string {
    const entry = 'DnsNames.statefulSetPod';
    requireObject(entry, 'options', options, 'give { statefulSet, ordinal, serviceName, namespace }');
    requireString(entry, 'statefulSet', options.statefulSet, "give the StatefulSet's name, e.g. 'db'");
    requireNumber(entry, 'ordinal', options.ordinal, 'give the pod ordinal, e.g. 0');
    const call = `DnsNames.statefulSetPod({ statefulSet: '${options.statefulSet}', ordinal: ${options.ordinal}, ... })`;
    const problem = dns1123LabelProblem(options.statefulSet);
    if (problem) failCall(call, `statefulSet "${options.statefulSet}" is not a StatefulSet name usable in DNS; ${problem}.`);
    if (!Number.isInteger(options.ordinal) || options.ordinal < 0) {
      failCall(call, `ordinal ${options.ordinal} is not a pod ordinal; ordinals are whole numbers from 0.`);
    }
    const podName = `${options.statefulSet}-${options.ordinal}`;
    const podProblem = dns1123LabelProblem(podName);
    if (podProblem) failCall(call, `pod name "${podName}" is not a DNS label; ${podProblem}. Use a shorter StatefulSet name.`);
    checkService(call, options.serviceName);
    checkNamespace(call, options.namespace);
    return `${podName}.${options.serviceName}.${options.namespace}.svc.${checkDomain(call, options.clusterDomain)}`;
  }

  /**
   * The A (or AAAA) record of a pod IP: `<ip-with-dashes>.<namespace>.pod.<clusterDomain>`.
   *
   * `10.1.2.3` in `shop` is `10-1-2-3.shop.pod.cluster.local`. An IPv6 address is written in its
   * canonical (RFC 5952) form, the way the pod's `status.podIP` spells it (`2001:db8::1` ->
   * `2001-db8--1`): CoreDNS under `pods verified` answers only the name whose address text equals
   * `podIP`. An address whose canonical text starts or ends with `::` would make a label start or
   * end with a dash, so it is written with all eight groups in full
   * (`fd00-0001-0000-0000-0000-0000-0000-0000`), which CoreDNS answers under `pods insecure` only.
   * CoreDNS answers pod names only with its `pods insecure` or `pods verified` option (the
   * default Corefile has `pods insecure`), and the name changes with the pod IP: prefer Service names.
   *
   * @param ip the pod IP
   * @param namespace the namespace
   * @param clusterDomain the cluster domain; default 'cluster.local'
   */
  public static podARecord(ip: string, namespace: string, clusterDomain?: string): string {
    const call = `DnsNames.podARecord('${ip}', '${namespace}'${clusterDomain === undefined ? '' : `, '${clusterDomain}'`})`;
    requireString(call, 'ip', ip, "give the pod's IP address, e.g. '10.1.2.3'");
    const parsed = parseIp(ip);
    if (!parsed) failCall(call, `"${ip}" is not an IP address.`);
    checkNamespace(call, namespace);
    // The canonical text, as the pod's status.podIP spells it: CoreDNS turns the dashes back into
    // dots or colons and, under `pods verified`, compares the result with podIP as a string.
    let label = canonicalIp(ip)!.replace(/[.:]/g, '-');
    if (parsed.version === 6 && (label.startsWith('-') || label.endsWith('-'))) {
      // No DNS label starts or ends with a dash: all 32 hex digits, in groups of four.
      label = parsed.value.toString(16).padStart(32, '0').match(/.{4}/g)!.join('-');
    }
    return `${label}.${namespace}.pod.${checkDomain(call, clusterDomain)}`;
  }

  /**
   * The cluster-set name of a Service exported with the Multi-Cluster Services API:
   * `<service>.<namespace>.svc.clusterset.local`. It resolves to the ServiceImport's IP (or, for
   * a headless Service, to the pods of every exporting cluster).
   *
   * @param service the Service name
   * @param namespace the namespace (the same in every cluster: namespace sameness)
   */
  public static clusterSetService(service: string, namespace: string): string {
    const call = `DnsNames.clusterSetService('${service}', '${namespace}')`;
    checkService(call, service);
    checkNamespace(call, namespace);
    return `${service}.${namespace}.svc.${DnsNames.CLUSTER_SET_DOMAIN}`;
  }

  /**
   * The cluster-set name of one pod of an exported headless Service:
   * `<hostname>.<clusterId>.<service>.<namespace>.svc.clusterset.local`. The cluster id is the
   * cluster's `cluster.clusterset.k8s.io` ClusterProperty.
   *
   * @param hostname the pod hostname (`db-0` for a StatefulSet pod)
   * @param clusterId the id of the cluster the pod runs in
   * @param service the headless Service name
   * @param namespace the namespace
   */
  public static clusterSetPod(hostname: string, clusterId: string, service: string, namespace: string): string {
    const call = `DnsNames.clusterSetPod('${hostname}', '${clusterId}', '${service}', '${namespace}')`;
    for (const [what, v] of [['hostname', hostname], ['clusterId', clusterId]]) {
      requireString(call, what, v, `give the pod's ${what}`);
      const problem = dns1123LabelProblem(v);
      if (problem) failCall(call, `${what} "${v}" is not a DNS label; ${problem}.`);
    }
    checkService(call, service);
    checkNamespace(call, namespace);
    return `${hostname}.${clusterId}.${service}.${namespace}.svc.${DnsNames.CLUSTER_SET_DOMAIN}`;
  }

  private constructor() {}
}

function checkService(call: string, service: string) {
  requireString(call, 'service', service, "give the Service's name, e.g. 'api'");
  const problem = dns1035LabelProblem(service);
  if (problem) failCall(call, `service "${service}" is not a Service name; ${problem}.`);
}

function checkNamespace(call: string, namespace: string) {
  requireString(call, 'namespace', namespace, "give the namespace's name, e.g. 'shop'");
  const problem = dns1123LabelProblem(namespace);
  if (problem) failCall(call, `namespace "${namespace}" is not a namespace name; ${problem}.`);
}

function checkDomain(call: string, domain?: string): string {
  const d = domain ?? DnsNames.DEFAULT_CLUSTER_DOMAIN;
  requireString(call, 'clusterDomain', d, "give a DNS domain, e.g. 'cluster.local'");
  const problem = dns1123SubdomainProblem(d);
  if (problem) failCall(call, `clusterDomain "${d}" is not a DNS domain; ${problem}.`);
  return d;
}
