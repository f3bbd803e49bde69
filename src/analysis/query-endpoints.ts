/**
 * The endpoints of a `NetworkAnalysis` query, resolved against the model: a workload named as text
 * (`shop/api[Deployment]`, `shop/api`, a bare name unique across namespaces, a pod name), an IP
 * address or CIDR (always outside the cluster), a DNS name that some policy names, or a construct
 * or peer of this library. Each becomes the subjects the evaluator reads and the names the
 * explanation prints.
 */
import { externalName, fqdnName, splitQuery, Subject } from './evaluate';
import { EndpointNames } from './explain';
import { PeerTarget, resolvePeer } from './from-chart';
import { formatInterval, parseAddressOrCidr } from './ip';
import { Model, WorkloadModel } from './model';
import { dnsNameOfPeer, type IPeer } from '../core/peer';

const WORKLOAD_ID = /^([^/\s]+)\/([^/\s[\]]+)\[([A-Za-z]+)\]$/;

/** One side of a construct query: one workload, or the addresses of an ipBlock. */
export interface QuerySide {
  readonly subjects: Subject[];
  readonly workload?: WorkloadModel;
  readonly name: string;
  readonly text: string;
  readonly isRange: boolean;
}

/**
 * One side of a text query: the subjects (one per address range for a CIDR), the resolved name
 * (workload id or `start-end[External]`) and the name used in explanations (`ns/name` when that is
 * unambiguous, the address or CIDR as written).
 */
interface TextSide {
  readonly type: 'ip' | 'workload';
  readonly subjects: Subject[];
  readonly name: string;
  readonly text: string;
  readonly isRange: boolean;
}

/** Resolves query endpoints against one model; the name indexes are built on first use. */
export class QueryEndpoints {
  private byId?: Map<string, WorkloadModel>;
  private byName?: Map<string, WorkloadModel[]>;

  constructor(private readonly model: Model) {}

  /** The workload with this id (`namespace/name[Kind]`), if the model has it. */
  public byWorkloadId(id: string): WorkloadModel | undefined {
    this.byId = this.byId ?? new Map(this.model.workloads.map((w) => [w.id, w]));
    return this.byId.get(id);
  }

  /** Both sides of a text query; refused when both are addresses. */
  public resolvePair(from: string, to: string): { src: Subject[]; dst: Subject[]; names: EndpointNames } {
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

  private resolve(text: string, field: string): TextSide {
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
    const fqdn = this.fqdnOf(trimmed);
    if (fqdn !== undefined) {
      return { type: 'ip', subjects: [{ type: 'fqdn', name: fqdn }], name: fqdnName(fqdn), text: fqdn, isRange: false };
    }
    const workload = this.findWorkload(trimmed, field);
    return { type: 'workload', subjects: [{ type: 'workload', workload }], name: workload.id, text: this.shortName(workload), isRange: false };
  }

  /** `api.example.com[FQDN]`, or a name some policy names (`toFQDNs`, `domainNames`) that is no workload's. */
  private fqdnOf(text: string): string | undefined {
    const m = /^(.+)\[FQDN\]$/.exec(text);
    if (m) return m[1];
    const known = this.model.beyond?.fqdnNames ?? [];
    return known.includes(text) && (this.names().get(text) ?? []).length === 0 ? text : undefined;
  }

  /** The sides a construct or peer of this library stands for: one per workload, or one for its addresses. */
  public peerSides(peer: IPeer, field: string): QuerySide[] {
    // A DNS name that no address block stands for (an ExternalDependency a DNS-aware engine allows by name) is its FQDN endpoint.
    const dnsName = dnsNameOfPeer(peer);
    if (dnsName !== undefined && peer.toPeerSpecs(undefined).length === 0) {
      return [{ subjects: [{ type: 'fqdn', name: dnsName }], name: fqdnName(dnsName), text: dnsName, isRange: false }];
    }
    const target: PeerTarget = resolvePeer(this.model, peer, field);
    if (target.type === 'ip') {
      const subjects: Subject[] = target.intervals.flatMap((interval) => splitQuery(this.model, interval).map((i): Subject => ({ type: 'ip', interval: i })));
      const single = target.intervals.length === 1 ? target.intervals[0] : undefined;
      return [{
        subjects,
        name: single ? externalName(single) : `${target.intervals.map((i) => formatInterval(i)).join(',')}[External]`,
        text: target.text,
        isRange: target.intervals.length > 1 || (single !== undefined && single.start !== single.end),
      }];
    }
    return target.workloads.map((workload) => ({
      subjects: [{ type: 'workload', workload }],
      workload,
      name: workload.id,
      text: this.shortName(workload),
      isRange: false,
    }));
  }

  /** `ns/name` when that names one workload, otherwise the id. */
  public shortName(workload: WorkloadModel): string {
    const unique = (this.names().get(`${workload.namespace}/${workload.name}`) ?? []).length === 1;
    return unique ? `${workload.namespace}/${workload.name}` : workload.id;
  }

  /** Workloads by `ns/name`, by bare name and by pod name (`pod:ns/name`), built on first use. */
  private names(): Map<string, WorkloadModel[]> {
    if (!this.byName) {
      const map = new Map<string, WorkloadModel[]>();
      const add = (key: string, w: WorkloadModel) => {
        const list = map.get(key);
        if (list) {
          if (!list.includes(w)) list.push(w);
        } else {
          map.set(key, [w]);
        }
      };
      for (const w of this.model.workloads) {
        add(`${w.namespace}/${w.name}`, w);
        add(w.name, w);
        for (const pod of w.podNames) {
          add(`pod:${w.namespace}/${pod}`, w);
          add(`pod:${pod}`, w);
        }
      }
      this.byName = map;
    }
    return this.byName;
  }

  /** The workload a text names: an id, `namespace/name`, a unique bare name or a pod name. */
  public findWorkload(text: string, field: string): WorkloadModel {
    if (WORKLOAD_ID.test(text)) {
      const found = this.byWorkloadId(text);
      if (!found) {
        throw new Error(`NetworkAnalysis: ${field} "${text}" is not a workload of the manifests. Known workloads: ${this.knownWorkloads()}.`);
      }
      return found;
    }
    let candidates = this.names().get(text) ?? [];
    if (candidates.length === 0) {
      candidates = this.names().get(`pod:${text}`) ?? [];
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
}
