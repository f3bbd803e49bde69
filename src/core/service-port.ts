/*
 * The ports of a Service-backed construct (SecureService, HeadlessStatefulEndpoint,
 * ExternalDependency) and of a meshed workload: one struct, one validation, one way to turn a
 * port into the `Port` a NetworkPolicy matches.
 */
import { IConstruct } from 'constructs';
import { fail } from './errors';
import { ianaSvcNameProblem } from './names';
import { isPortNumber, Port, Protocol } from './port';

/** One port of a service: the Service port, the container port behind it, and its name. */
export interface ServicePortSpec {
  /** The port name (an IANA service name such as `http`); names the Service port and the container port. */
  readonly name: string;
  /** The Service port. */
  readonly port: number;
  /**
   * The container port the Service forwards to.
   * @default - the same as `port`
   */
  readonly targetPort?: number;
  /**
   * The protocol.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
  /**
   * The node port, with `serviceType: ServiceType.NODE_PORT` or `LOAD_BALANCER` (30000-32767).
   * @default - allocated by Kubernetes
   */
  readonly nodePort?: number;
}

/**
 * What a construct accepts in its `ports` (the messages name `<construct>.ports[i].<field>`).
 * @internal
 */
export interface ServicePortRules {
  /** The construct name in messages (`SecureService`). */
  readonly construct: string;
  /** What to do when the list is empty (after `ports is empty; `). */
  readonly emptyAdvice: string;
  /** The single port came from the `port` shorthand: fields are named `<construct>.port`. */
  readonly shorthand?: boolean;
  /** Appended to the port range message (`' Use a port in that range.'`); none when unset. */
  readonly rangeAdvice?: boolean;
  /** Why a node port is refused here; node ports are left to `each` when unset. */
  readonly refuseNodePort?: string;
  /** Why a target port is refused here (after `targetPort is set `); allowed when unset. */
  readonly refuseTargetPort?: (sp: ServicePortSpec) => string;
  /** Whether each port is also a container port of its own (a container cannot list one port twice). */
  readonly uniqueContainerPorts?: boolean;
  /** Further checks of one port, after the shared ones. */
  readonly each?: (sp: ServicePortSpec, field: string, index: number) => void;
}

/** Unset, or a port number. */
function isUnsetOrPortNumber(v: number | undefined): boolean {
  return v === undefined || isPortNumber(v);
}

/**
 * Validates a construct's ports (names, ranges, uniqueness) and returns a copy.
 * @internal
 */
export function validateServicePorts(scope: IConstruct, ports: ServicePortSpec[] | undefined, rules: ServicePortRules): ServicePortSpec[] {
  const p = rules.construct;
  if (!ports || ports.length === 0) fail(scope, `${p}.ports is empty; ${rules.emptyAdvice}`);
  const names = new Set<string>();
  const servicePorts = new Set<string>();
  const containerPorts = new Map<string, number>();
  ports.forEach((sp, i) => {
    const f = rules.shorthand ? `${p}.port` : `${p}.ports[${i}]`;
    // With the `port` shorthand the field is `SecureService.port` itself, not `SecureService.port.port`.
    const field = (name: string) => (rules.shorthand ? `${p}.${name}` : `${f}.${name}`);
    const nameProblem = ianaSvcNameProblem(sp.name ?? '');
    if (nameProblem) fail(scope, `${f}.name "${sp.name ?? ''}" is not a valid port name; ${nameProblem}.`);
    const badPort = (key: 'port' | 'targetPort', v: number) => {
      const advice = rules.rangeAdvice ? ` Use a port in that range${key === 'targetPort' ? ' or omit it to use the Service port' : ''}.` : '';
      fail(scope, `${field(key)} is ${v}; a port must be 1-65535.${advice}`);
    };
    if (!isUnsetOrPortNumber(sp.port)) badPort('port', sp.port);
    if (sp.targetPort !== undefined && !isUnsetOrPortNumber(sp.targetPort)) badPort('targetPort', sp.targetPort);
    if (sp.nodePort !== undefined && rules.refuseNodePort) fail(scope, `${f}.nodePort is set; ${rules.refuseNodePort}`);
    if (sp.targetPort !== undefined && rules.refuseTargetPort) fail(scope, `${f}.targetPort is set ${rules.refuseTargetPort(sp)}`);
    if (names.has(sp.name)) fail(scope, `${f}.name "${sp.name}" is used by another port; port names must be unique.`);
    names.add(sp.name);
    const proto = sp.protocol ?? Protocol.TCP;
    if (servicePorts.has(`${proto}/${sp.port}`)) fail(scope, `${f}.port ${proto} ${sp.port} is used by another port; ports must be unique per protocol.`);
    servicePorts.add(`${proto}/${sp.port}`);
    if (rules.uniqueContainerPorts) {
      const target = `${proto} ${containerPort(sp)}`;
      const other = containerPorts.get(target);
      if (other !== undefined) {
        fail(scope, `${f}.${sp.targetPort !== undefined ? 'targetPort' : 'port'} makes container port ${target}, which ${p}.ports[${other}] already uses; ` +
          'each port needs its own container port.');
      }
      containerPorts.set(target, i);
    }
    rules.each?.(sp, f, i);
  });
  return ports.map((sp) => ({ ...sp }));
}

/** The container port of a service port (`targetPort`, else `port`). @internal */
export function containerPort(sp: ServicePortSpec): number {
  return sp.targetPort ?? sp.port;
}

/** `port` with the protocol of `sp` (TCP when unset), as a NetworkPolicy matches it. @internal */
export function portOf(sp: ServicePortSpec, port: number = containerPort(sp)): Port {
  const protocol = sp.protocol ?? Protocol.TCP;
  return protocol === Protocol.UDP ? Port.udp(port) : protocol === Protocol.SCTP ? Port.sctp(port) : Port.tcp(port);
}
