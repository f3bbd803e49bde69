import { ClusterDns } from './cluster-dns';
import { Connections } from '../core/connections';
import { failCall } from '../core/errors';
import { optionalInstance, requireObject, requireString } from '../core/guards';
import { LabelKeys } from '../core/labels';
import { dns1123LabelProblem } from '../core/names';
import { IPeer, NetworkPolicyPeerSpec } from '../core/peer';
import { checkedValue } from '../core/value-checks';

/**
 * A namespace that workloads of this library can live in: a `DenyAllNamespace`, or a namespace
 * made elsewhere (`NamespaceRef.named('ops')`).
 */
export interface INamespace extends IPeer {
  /** The namespace name. */
  readonly namespaceName: string;
  /** Where pods of this namespace resolve names (workload policies allow egress to it). */
  readonly clusterDns: ClusterDns;
  /**
   * Whether pods of this namespace may resolve names: workload policies allow egress to
   * `clusterDns` only when this is true.
   */
  readonly dnsAllowed: boolean;
}

/** Options for `NamespaceRef.named()`. */
export interface NamespaceRefOptions {
  /**
   * The cluster DNS its pods use.
   * @default ClusterDns.kubeDns()
   */
  readonly clusterDns?: ClusterDns;
}

/** A reference to a namespace this app does not create. */
export class NamespaceRef implements INamespace {
  /** Refers to the namespace with this name. */
  public static named(name: string, options: NamespaceRefOptions = {}): INamespace {
    return checkedValue(NamespaceRef.prototype, () => {
      const call = `NamespaceRef.named('${name}')`;
      requireString(call, 'name', name, "give the namespace name, e.g. 'ops'");
      requireObject(call, 'options', options as unknown, 'give NamespaceRefOptions, e.g. { clusterDns: ClusterDns.kubeDns() }, or nothing');
      optionalInstance(call, 'options.clusterDns', options.clusterDns, ClusterDns, 'give ClusterDns.kubeDns() or ClusterDns.nodeLocalDnsCache()');
      const problem = dns1123LabelProblem(name);
      if (problem) failCall(`NamespaceRef.named('${name}')`, `"${name}" is not a namespace name; ${problem}.`);
      return new NamespaceRef(name, options.clusterDns ?? ClusterDns.kubeDns());
    });
  }

  public readonly connections: Connections;
  public readonly dnsAllowed = true;
  public readonly peerId: string;
  public readonly peerNamespace?: string;

  private constructor(public readonly namespaceName: string, public readonly clusterDns: ClusterDns) {
    this.peerId = `ns:${namespaceName}`;
    this.peerNamespace = namespaceName;
    this.connections = new Connections({ peer: this });
    // No construct owns a NamespaceRef: a refused call on its connections names the call that made it.
    this.connections._owner = `NamespaceRef.named('${namespaceName}')`;
  }

  public toPeerSpecs(policyNamespace?: string): NetworkPolicyPeerSpec[] {
    return [namespacePeerSpec(this.namespaceName, policyNamespace)];
  }
}

/** Every pod of namespace `name`, as seen from a policy in `policyNamespace`. @internal */
export function namespacePeerSpec(name: string, policyNamespace?: string): NetworkPolicyPeerSpec {
  if (policyNamespace === name) return { podSelector: {} };
  return { namespaceSelector: { matchLabels: { [LabelKeys.NAMESPACE_NAME]: name } } };
}
