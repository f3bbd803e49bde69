import { failCall, raise, Where } from './errors';
import { optionalEnum, requireEnum, requireNumber, requireString } from './guards';
import { ianaSvcNameProblem } from './names';
import { checkedValue } from './value-checks';

/** Network protocols a NetworkPolicy and a Service port can name. */
export enum Protocol {
  /** TCP, the Kubernetes default. */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
  /** SCTP. */
  SCTP = 'SCTP',
}

/** The wire form of one NetworkPolicy port entry. */
export interface NetworkPolicyPortSpec {
  /** Protocol. */
  readonly protocol: string;
  /**
   * Port number (the first of a range).
   * @default - `portName`, or all ports of the protocol
   */
  readonly port?: number;
  /**
   * A named container port of the destination (written as the `port` string).
   * @default - `port`, or all ports of the protocol
   */
  readonly portName?: string;
  /**
   * Last port of a range.
   * @default - a single port
   */
  readonly endPort?: number;
}

/**
 * What a `Port` is made of; the static factories of `Port` check their arguments and build it.
 * Not exported: users get ports from the factories only.
 */
interface PortSpec {
  /** The protocol; absent for all traffic. */
  readonly protocol?: Protocol;
  /** The (first) port number; absent for a named port or every port of the protocol. */
  readonly port?: number;
  /** The last port of a range. */
  readonly endPort?: number;
  /** The port name, for a named port. */
  readonly name?: string;
  /** Every port of every protocol. */
  readonly allTraffic?: boolean;
}

/** Whether `v` is a port number: a whole number 1-65535. @internal */
export function isPortNumber(v: number): boolean {
  return Number.isInteger(v) && v >= 1 && v <= 65535;
}

function checkPort(call: string, port: number, what = 'port'): void {
  requireNumber(call, what, port, 'give a whole number 1-65535');
  if (!isPortNumber(port)) {
    failCall(call, `${what} ${port} is not a port; a port must be an integer 1-65535.`);
  }
}

/**
 * A port, a port range or a named port, with its protocol: what a connection is allowed on.
 *
 * NetworkPolicies match the port of the destination *pod* (after the Service's DNAT), not the
 * Service port. `Port.named('http')` refers to a named port of the destination and is resolved
 * to the destination's container port when the destination is a construct of this library.
 *
 * A port made from bad input (`Port.tcp(0)`) is refused where it is used, with the construct path
 * and the field: `shop/Web: allowTo(ns:ops): ports[0]: Port.tcp(0): port 0 is not a port; ...`.
 * If no construct is given it, the app's synth fails, before any YAML is written.
 *
 * @example
 * Port.tcp(5432); Port.udp(53); Port.tcpRange(8000, 8080); Port.named('http'); Port.allTraffic();
 */
export class Port {
  /** HTTP, TCP 80. */
  public static readonly HTTP = Port.tcp(80);
  /** HTTPS, TCP 443. */
  public static readonly HTTPS = Port.tcp(443);
  /** DNS over UDP, UDP 53. */
  public static readonly DNS_UDP = Port.udp(53);
  /** DNS over TCP (truncated or large answers), TCP 53. */
  public static readonly DNS_TCP = Port.tcp(53);

  /** One TCP port. */
  public static tcp(port: number): Port {
    return checkedValue(Port.prototype, () => {
      checkPort(`Port.tcp(${port})`, port);
      return new Port({ protocol: Protocol.TCP, port });
    });
  }

  /** One UDP port. */
  public static udp(port: number): Port {
    return checkedValue(Port.prototype, () => {
      checkPort(`Port.udp(${port})`, port);
      return new Port({ protocol: Protocol.UDP, port });
    });
  }

  /** One SCTP port. */
  public static sctp(port: number): Port {
    return checkedValue(Port.prototype, () => {
      checkPort(`Port.sctp(${port})`, port);
      return new Port({ protocol: Protocol.SCTP, port });
    });
  }

  /** A range of TCP ports, both ends included (NetworkPolicy `endPort`). */
  public static tcpRange(from: number, to: number): Port {
    return Port.range(Protocol.TCP, from, to);
  }

  /** A range of UDP ports, both ends included. */
  public static udpRange(from: number, to: number): Port {
    return Port.range(Protocol.UDP, from, to);
  }

  /** A range of ports of any protocol, both ends included. */
  public static range(protocol: Protocol, from: number, to: number): Port {
    const call = protocol === Protocol.TCP ? `Port.tcpRange(${from}, ${to})`
      : protocol === Protocol.UDP ? `Port.udpRange(${from}, ${to})` : `Port.range(Protocol.${protocol}, ${from}, ${to})`;
    return checkedValue(Port.prototype, () => {
      requireEnum(call, 'protocol', protocol, Object.values(Protocol), 'Protocol');
      checkPort(call, from, 'from');
      checkPort(call, to, 'to');
      if (to < from) failCall(call, `the range ends before it starts; give the lower port first (${to}, ${from}).`);
      return new Port({ protocol, port: from, endPort: to === from ? undefined : to });
    });
  }

  /** Every TCP port. */
  public static allTcp(): Port {
    return new Port({ protocol: Protocol.TCP });
  }

  /** Every UDP port. */
  public static allUdp(): Port {
    return new Port({ protocol: Protocol.UDP });
  }

  /** Every port of every protocol (a rule without `ports`). */
  public static allTraffic(): Port {
    return new Port({ allTraffic: true });
  }

  /**
   * A named port of the destination (an IANA service name such as `http`).
   *
   * For destinations of this library the name is resolved to the container port number when the
   * policy is written; an unknown name is an error. For other destinations it is written as is
   * and Kubernetes resolves it against the destination pod's container ports.
   *
   * @param name the port name
   * @param protocol the protocol of the named port
   * @default protocol Protocol.TCP
   */
  public static named(name: string, protocol?: Protocol): Port {
    const call = typeof name === 'string' ? `Port.named('${name}')` : `Port.named(${String(name)})`;
    return checkedValue(Port.prototype, () => {
      requireString(call, 'name', name, typeof name === 'number'
        ? `give a port name such as 'http', or use Port.tcp(${name}) for a port number` : "give a port name such as 'http'");
      optionalEnum(call, 'protocol', protocol, Object.values(Protocol), 'Protocol');
      const problem = ianaSvcNameProblem(name);
      if (problem) failCall(call, `"${name}" is not a port name; ${problem}.`);
      return new Port({ protocol: protocol ?? Protocol.TCP, name });
    });
  }

  /** The protocol, or undefined for all traffic. */
  public readonly protocol?: Protocol;
  /** The (first) port number; undefined for a named port or all ports. */
  public readonly portNumber?: number;
  /** The last port of a range. */
  public readonly endPort?: number;
  /** The port name, for a named port. */
  public readonly name?: string;
  /** Whether this is every port of every protocol. */
  public readonly isAllTraffic: boolean;

  private constructor(props: PortSpec) {
    this.protocol = props.protocol;
    this.portNumber = props.port;
    this.endPort = props.endPort;
    this.name = props.name;
    this.isAllTraffic = props.allTraffic ?? false;
  }

  /** Readable text for ids and messages: `TCP 80`, `TCP 8000-8080`, `TCP http`, `all TCP`, `all traffic`. */
  public toString(): string {
    if (this.isAllTraffic) return 'all traffic';
    if (this.name) return `${this.protocol} ${this.name}`;
    if (this.portNumber === undefined) return `all ${this.protocol}`;
    return this.endPort === undefined ? `${this.protocol} ${this.portNumber}` : `${this.protocol} ${this.portNumber}-${this.endPort}`;
  }

  /** Whether this port covers every port of `other` (same protocol, range contains it). */
  public covers(other: Port): boolean {
    if (this.isAllTraffic) return true;
    if (other.isAllTraffic || this.protocol !== other.protocol) return false;
    if (this.name || other.name) return this.name === other.name;
    if (this.portNumber === undefined) return true;
    if (other.portNumber === undefined) return false;
    return this.portNumber <= other.portNumber && (this.endPort ?? this.portNumber) >= (other.endPort ?? other.portNumber);
  }

  /** The NetworkPolicy `ports[]` entry; undefined for all traffic. */
  public toNetworkPolicyPort(): NetworkPolicyPortSpec | undefined {
    if (this.isAllTraffic) return undefined;
    return {
      protocol: this.protocol!,
      port: this.portNumber,
      portName: this.name,
      endPort: this.endPort,
    };
  }
}

/**
 * Whether a rule's port list allows every port: it is empty (a NetworkPolicy rule without
 * `ports`) or holds `Port.allTraffic()`.
 * @internal
 */
export function allowsEveryPort(ports: readonly Port[]): boolean {
  return ports.length === 0 || ports.some((p) => p.isAllTraffic);
}

/**
 * Refuses `Port.allTraffic()` next to other ports in one list (`field` names the list, e.g.
 * `WorkloadPolicy.addIngressRule: ports`). All traffic would absorb the others, so the user asked
 * for two different things; which one they meant is theirs to say, never ours to guess.
 * @internal
 */
export function requireAllTrafficAlone(where: Where, field: string, ports: readonly Port[]): void {
  if (ports.length < 2) return;
  const i = ports.findIndex((x) => x.isAllTraffic);
  if (i < 0) return;
  const others = ports.filter((x) => !x.isAllTraffic).map(String);
  if (others.length === 0) return;
  raise(where, `${field}[${i}] is Port.allTraffic(), which allows every port of every protocol, next to ${others.join(', ')}; `
    + `give Port.allTraffic() alone for every port, or leave it out to allow only ${others.join(', ')}.`);
}
