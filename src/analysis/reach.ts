/**
 * The connection lists of `cdk8s-net reach`: the whole matrix, or the lines
 * from one endpoint or to one endpoint, optionally only those that allow a port.
 */
import { ConnectionSet } from './connection-set';
import { parseAddressOrCidr } from './ip';
import { NetworkAnalysis } from './network-analysis';
import { ConnectionEntry } from './verdict';
import { isPortNumber } from '../core/port';

/** Which lines to list. */
export interface ReachFilter {
  /** A workload (`ns/name`, `ns/name[Kind]`) or an IP address/CIDR. */
  readonly from?: string;
  readonly to?: string;
  /** Only lines that allow this port (of `protocol`). */
  readonly port?: number;
  /** `TCP` (default), `UDP` or `SCTP`. */
  readonly protocol?: string;
  /** Merge neighbouring IP ranges with the same connections (default: netpol-analyzer's split). */
  readonly mergeIpRanges?: boolean;
}

/** `8080`, `8080/TCP`, `53/udp` -> port and protocol; `http/TCP` -> a port name. */
export function parsePort(text: string): { port?: number; portName?: string; protocol: string } {
  const m = /^([A-Za-z0-9-]+)(?:\/([A-Za-z]+))?$/.exec(text.trim());
  const protocol = (m?.[2] ?? 'TCP').toUpperCase();
  if (!m || !['TCP', 'UDP', 'SCTP'].includes(protocol)) {
    throw new Error(`--port "${text}" is not PORT or PORT/PROTOCOL (e.g. 8080, 8080/TCP, 53/UDP, http/TCP).`);
  }
  if (/^\d+$/.test(m[1])) {
    const port = Number(m[1]);
    if (!isPortNumber(port)) {
      throw new Error(`--port "${text}": ${port} is not a port; a port must be 1-65535.`);
    }
    return { port, protocol };
  }
  return { portName: m[1], protocol };
}

/** The allowed connections that match the filter, in matrix order. */
export function reachLines(net: NetworkAnalysis, filter: ReachFilter): ConnectionEntry[] {
  let lines: ConnectionEntry[];
  const isIp = (text?: string) => text !== undefined && parseAddressOrCidr(text.trim()) !== undefined;
  if (filter.from !== undefined && isIp(filter.from)) {
    lines = ipLines(net, filter.from, 'from');
  } else if (filter.to !== undefined && isIp(filter.to)) {
    lines = ipLines(net, filter.to, 'to');
  } else {
    const all = net.matrix({ mergeIpRanges: filter.mergeIpRanges });
    const from = filter.from === undefined ? undefined : net.workload(filter.from).id;
    // A DNS name that policies allow by name (`api.example.com[FQDN]`, or the bare name) is a destination too.
    const fqdn = filter.to === undefined ? undefined : [filter.to.trim(), `${filter.to.trim()}[FQDN]`].find((t) => t.endsWith('[FQDN]') && all.some((e) => e.dst === t));
    const to = filter.to === undefined ? undefined : fqdn ?? net.workload(filter.to).id;
    lines = all.filter((e) => (from === undefined || e.src === from) && (to === undefined || e.dst === to));
  }
  if (filter.from !== undefined && filter.to !== undefined && isIp(filter.from) && !isIp(filter.to)) {
    const to = net.workload(filter.to).id;
    lines = lines.filter((e) => e.dst === to);
  }
  if (filter.to !== undefined && filter.from !== undefined && isIp(filter.to) && !isIp(filter.from)) {
    const from = net.workload(filter.from).id;
    lines = lines.filter((e) => e.src === from);
  }
  if (filter.port !== undefined) {
    const protocol = filter.protocol ?? 'TCP';
    lines = lines.filter((e) => ConnectionSet.parse(e.conn).allows(protocol, filter.port!));
  }
  return lines;
}

/** What an IP address or CIDR can reach (or be reached by): one line per workload. */
function ipLines(net: NetworkAnalysis, ip: string, side: 'from' | 'to'): ConnectionEntry[] {
  const out: ConnectionEntry[] = [];
  for (const w of net.workloads()) {
    const query = side === 'from' ? { from: ip, to: w.id } : { from: w.id, to: ip };
    const verdict = net.explain(query);
    if (verdict.connections !== '') {
      out.push({ src: verdict.from, dst: verdict.to, conn: verdict.connections });
    }
  }
  return out;
}
