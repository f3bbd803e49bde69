import { isPortNumber } from '../core/port';

/**
 * An inclusive range of port numbers.
 */
export interface PortRange {
  /** First port of the range (1-65535). */
  readonly start: number;
  /** Last port of the range, inclusive (1-65535). */
  readonly end: number;
}

/** The protocols NetworkPolicy ports can name, in the order connection strings list them. */
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
type ProtocolName = typeof PROTOCOLS[number];

const MIN_PORT = 1;
const MAX_PORT = 65535;

type Ranges = ReadonlyArray<readonly [number, number]>;

/**
 * A set of allowed connections: for each protocol (TCP, UDP, SCTP), a set of
 * destination ports in 1-65535.
 *
 * This is what a NetworkPolicy verdict for a pair of endpoints is: policies
 * allow traffic per protocol and port, so "web can reach api" is really
 * "web can reach api on TCP 8080". Sets are immutable.
 *
 * `toString()` uses the conventional connection-list format:
 * `All Connections` when every port of all three protocols is allowed,
 * otherwise protocols in alphabetical order, each followed by its sorted ports
 * with consecutive runs written `a-b`, e.g. `SCTP 7070,TCP 8080-8081,UDP 9090`.
 * The empty set is the empty string.
 *
 * @example
 * ConnectionSet.ports('TCP', 8080).union(ConnectionSet.ports('UDP', 53)).toString(); // 'TCP 8080,UDP 53'
 */
export class ConnectionSet {
  /** Every port of every protocol. */
  public static all(): ConnectionSet {
    return new ConnectionSet({ SCTP: [[MIN_PORT, MAX_PORT]], TCP: [[MIN_PORT, MAX_PORT]], UDP: [[MIN_PORT, MAX_PORT]] });
  }

  /** No connection at all. */
  public static none(): ConnectionSet {
    return new ConnectionSet({ SCTP: [], TCP: [], UDP: [] });
  }

  /**
   * Every port of one protocol.
   *
   * @param protocol `TCP`, `UDP` or `SCTP` (case-insensitive)
   */
  public static protocol(protocol: string): ConnectionSet {
    return ConnectionSet.ports(protocol, MIN_PORT, MAX_PORT);
  }

  /**
   * A port or an inclusive range of ports of one protocol.
   *
   * @param protocol `TCP`, `UDP` or `SCTP` (case-insensitive)
   * @param startPort first port, 1-65535
   * @param endPort last port, inclusive; when omitted, the set holds `startPort` only
   */
  public static ports(protocol: string, startPort: number, endPort?: number): ConnectionSet {
    const proto = ConnectionSet.protocolName(protocol, `ConnectionSet.ports(${JSON.stringify(protocol)}, ${startPort})`);
    const end = endPort ?? startPort;
    const call = `ConnectionSet.ports(${JSON.stringify(protocol)}, ${startPort}${endPort === undefined ? '' : `, ${endPort}`})`;
    for (const p of [startPort, end]) {
      if (!isPortNumber(p)) {
        throw new Error(`${call}: port ${p} is not an integer in 1-65535.`);
      }
    }
    if (end < startPort) {
      throw new Error(`${call}: the end port is less than the start port.`);
    }
    const set = ConnectionSet.none();
    return new ConnectionSet({ ...set.byProtocol, [proto]: [[startPort, end]] });
  }

  /**
   * Parses a connection string as produced by `toString()`:
   * `All Connections`, the empty string, or e.g. `TCP 80,443,8080-8081,UDP 53`.
   */
  public static parse(text: string): ConnectionSet {
    const trimmed = text.trim();
    if (trimmed === '') {
      return ConnectionSet.none();
    }
    if (trimmed === 'All Connections') {
      return ConnectionSet.all();
    }
    let result = ConnectionSet.none();
    let protocol: string | undefined;
    for (const token of trimmed.split(',')) {
      const match = /^(?:([A-Za-z]+) )?(\d+)(?:-(\d+))?$/.exec(token.trim());
      if (!match || (match[1] === undefined && protocol === undefined)) {
        throw new Error(`ConnectionSet.parse(${JSON.stringify(text)}): "${token}" is not "PROTOCOL port", "port" or "start-end".`);
      }
      protocol = match[1] ?? protocol!;
      const start = Number(match[2]);
      result = result.union(ConnectionSet.ports(protocol, start, match[3] === undefined ? start : Number(match[3])));
    }
    return result;
  }

  private static protocolName(protocol: string, context: string): ProtocolName {
    const upper = protocol.toUpperCase();
    if (!(PROTOCOLS as readonly string[]).includes(upper)) {
      throw new Error(`${context}: protocol "${protocol}" is not TCP, UDP or SCTP.`);
    }
    return upper as ProtocolName;
  }

  private readonly byProtocol: Readonly<Record<ProtocolName, Ranges>>;

  private constructor(byProtocol: Record<ProtocolName, Ranges>) {
    this.byProtocol = byProtocol;
  }

  /** Connections allowed by this set or by `other`. */
  public union(other: ConnectionSet): ConnectionSet {
    return this.combine(other, (a, b) => normalize([...a, ...b]));
  }

  /** Connections allowed by both this set and `other`. */
  public intersect(other: ConnectionSet): ConnectionSet {
    return this.combine(other, intersectRanges);
  }

  /** Connections allowed by this set but not by `other`. */
  public subtract(other: ConnectionSet): ConnectionSet {
    return this.combine(other, (a, b) => intersectRanges(a, complement(b)));
  }

  /** Whether no connection is allowed. */
  public isEmpty(): boolean {
    return PROTOCOLS.every((p) => this.byProtocol[p].length === 0);
  }

  /** Whether every port of TCP, UDP and SCTP is allowed. */
  public isAll(): boolean {
    return PROTOCOLS.every((p) => isFull(this.byProtocol[p]));
  }

  /** Whether this set allows every connection that `other` allows. */
  public contains(other: ConnectionSet): boolean {
    return other.subtract(this).isEmpty();
  }

  /** Whether both sets allow exactly the same connections. */
  public isEqualTo(other: ConnectionSet): boolean {
    return this.toString() === other.toString();
  }

  /**
   * Whether `port` of `protocol` is allowed.
   *
   * @param protocol `TCP`, `UDP` or `SCTP` (case-insensitive)
   */
  public allows(protocol: string, port: number): boolean {
    const proto = ConnectionSet.protocolName(protocol, 'ConnectionSet.allows');
    return this.byProtocol[proto].some(([s, e]) => s <= port && port <= e);
  }

  /**
   * The allowed port ranges of one protocol, sorted and merged.
   *
   * @param protocol `TCP`, `UDP` or `SCTP` (case-insensitive)
   */
  public portRanges(protocol: string): PortRange[] {
    const proto = ConnectionSet.protocolName(protocol, 'ConnectionSet.portRanges');
    return this.byProtocol[proto].map(([start, end]) => ({ start, end }));
  }

  /** The connection string, e.g. `All Connections`, `TCP 8080,UDP 53`, or `''` when empty. */
  public toString(): string {
    if (this.isAll()) {
      return 'All Connections';
    }
    return PROTOCOLS
      .filter((p) => this.byProtocol[p].length > 0)
      .map((p) => `${p} ${this.byProtocol[p].map(([s, e]) => (s === e ? `${s}` : `${s}-${e}`)).join(',')}`)
      .join(',');
  }

  private combine(other: ConnectionSet, op: (a: Ranges, b: Ranges) => Ranges): ConnectionSet {
    return new ConnectionSet({
      SCTP: op(this.byProtocol.SCTP, other.byProtocol.SCTP),
      TCP: op(this.byProtocol.TCP, other.byProtocol.TCP),
      UDP: op(this.byProtocol.UDP, other.byProtocol.UDP),
    });
  }
}

function isFull(ranges: Ranges): boolean {
  return ranges.length === 1 && ranges[0][0] === MIN_PORT && ranges[0][1] === MAX_PORT;
}

/** Sorts and merges overlapping or adjacent ranges. */
function normalize(ranges: Ranges): Ranges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + 1) {
      last[1] = Math.max(last[1], e);
    } else {
      out.push([s, e]);
    }
  }
  return out;
}

function intersectRanges(a: Ranges, b: Ranges): Ranges {
  const out: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i][0], b[j][0]);
    const e = Math.min(a[i][1], b[j][1]);
    if (s <= e) {
      out.push([s, e]);
    }
    if (a[i][1] < b[j][1]) {
      i++;
    } else {
      j++;
    }
  }
  return out;
}

function complement(ranges: Ranges): Ranges {
  const out: Array<[number, number]> = [];
  let next = MIN_PORT;
  for (const [s, e] of ranges) {
    if (s > next) {
      out.push([next, s - 1]);
    }
    next = e + 1;
  }
  if (next <= MAX_PORT) {
    out.push([next, MAX_PORT]);
  }
  return out;
}
