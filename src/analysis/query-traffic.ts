/**
 * The traffic a `NetworkAnalysis` query asks about: a `Port` of this library or the `port`,
 * `portName` and `protocol` of a text query, as a connection set with the words explanations use.
 * A named port resolves against the destination pod's container ports of the same protocol, as
 * NetworkPolicy resolves it.
 */
import { ConnectionSet } from './connection-set';
import { Subject } from './evaluate';
import { Requested } from './explain';
import { WorkloadModel } from './model';
import { QuerySide } from './query-endpoints';
import { ConnectionQuery } from './verdict';
import { isPortNumber, type Port } from '../core/port';

/** The traffic a `Port` asks about, on the destination side `dst`. */
export function requestedOfPort(port: Port | undefined, dst: QuerySide): Requested {
  if (port === undefined) {
    return { set: ConnectionSet.all(), specific: false, description: 'any port' };
  }
  if (port.isAllTraffic) {
    return { set: ConnectionSet.all(), specific: true, description: 'all traffic' };
  }
  const protocol = String(port.protocol ?? 'TCP');
  if (port.name !== undefined) {
    return namedPort(protocol, port.name, dst.workload, dst.text);
  }
  if (port.portNumber === undefined) {
    return { set: ConnectionSet.protocol(protocol), specific: true, description: `all ${protocol}` };
  }
  return { set: ConnectionSet.ports(protocol, port.portNumber, port.endPort ?? port.portNumber), specific: true, description: port.toString() };
}

/** A named port resolved against the destination's container ports with the same protocol. */
function namedPort(protocol: string, name: string, destination: WorkloadModel | undefined, dstText: string): Requested {
  if (destination === undefined) {
    return {
      set: ConnectionSet.none(),
      specific: true,
      description: `port "${name}"`,
      problem: `the named port "${name}" cannot be resolved: named ports resolve against the destination pod's container ports, and the destination is an IP range`,
    };
  }
  let set = ConnectionSet.none();
  for (const p of destination.ports) {
    if (p.name === name && p.protocol === protocol) {
      set = set.union(ConnectionSet.ports(protocol, p.port));
    }
  }
  if (set.isEmpty()) {
    return { set, specific: true, description: `port "${name}"`, problem: `${dstText} has no ${protocol} container port named "${name}"` };
  }
  return { set, specific: true, description: `port "${name}" (${set})` };
}

/** The traffic a text query asks about (`port`, `portName`, `protocol`), on the destination side `dst`. */
export function requestedOfQuery(query: ConnectionQuery, dst: Subject[], dstText: string): Requested {
  const protocol = query.protocol === undefined ? undefined : query.protocol.toUpperCase();
  if (protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(protocol)) {
    throw new Error(`NetworkAnalysis: query protocol "${query.protocol}" is not TCP, UDP or SCTP.`);
  }
  if (query.port !== undefined && query.portName !== undefined) {
    throw new Error(`NetworkAnalysis: the query sets both port ${query.port} and portName "${query.portName}"; set one of them.`);
  }
  if (query.port !== undefined) {
    if (!isPortNumber(query.port)) {
      throw new Error(`NetworkAnalysis: query port ${query.port} is not an integer in 1-65535.`);
    }
    const proto = protocol ?? 'TCP';
    return { set: ConnectionSet.ports(proto, query.port), specific: true, description: `${proto} ${query.port}` };
  }
  if (query.portName !== undefined) {
    const target = dst[0];
    return namedPort(protocol ?? 'TCP', query.portName, target.type === 'workload' ? target.workload : undefined, dstText);
  }
  if (protocol !== undefined) {
    return { set: ConnectionSet.protocol(protocol), specific: false, description: `any ${protocol} port` };
  }
  return { set: ConnectionSet.all(), specific: false, description: 'any port' };
}
