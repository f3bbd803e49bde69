import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { appApiObject, appServicePorts } from '../core/app-objects';
import { IConnectable } from '../core/connections';
import { failCall, Where } from '../core/errors';
import { optionalArray, optionalString, requireInstance, requireNumber, requireObject, requireString } from '../core/guards';
import { _allowIsolatedEgress } from '../core/isolated-egress';
import { IPeer } from '../core/peer';
import { Port, Protocol } from '../core/port';
import { checkedValue } from '../core/value-checks';
import { SecureService } from '../service/secure-service';
import { HeadlessStatefulEndpoint } from '../stateful/headless-stateful-endpoint';
import { SecureWorkload } from '../workload/secure-workload';

/** How an Ingress path matches request paths. `ImplementationSpecific` is not offered: its meaning differs per controller. */
export enum IngressPathType {
  /** Matches the path and everything below it, element by element (`/api` matches `/api/x`, not `/apix`). */
  PREFIX = 'Prefix',
  /** Matches the path exactly. */
  EXACT = 'Exact',
}

/**
 * Where an Ingress rule sends requests: a Service and one of its ports.
 *
 * @example
 * IngressBackend.fromSecureService(api, 'http');
 * IngressBackend.fromService(legacyService, 8080);
 */
export class IngressBackend {
  /**
   * A `SecureService` and one of its named ports.
   *
   * The controller's pods are allowed to reach the port's target (container) port through the
   * service's NetworkPolicy, as if `service.allowFrom(controller, Port.named(portName))` were
   * called.
   *
   * @param service the service
   * @param portName the `name` of one of its `ServicePortSpec`s
   * @default portName - its only port; required when it has several
   */
  public static fromSecureService(service: SecureService, portName?: string): IngressBackend {
    return checkedValue(IngressBackend.prototype, () => {
      requireInstance('IngressBackend.fromSecureService', 'service', service, SecureService, 'give a SecureService, or use IngressBackend.fromService() for another Service');
      return IngressBackend.fromWorkload('IngressBackend.fromSecureService', 'SecureService', service, portName, {
        serviceName: service.serviceName,
        serviceObject: ApiObject.of(service.service),
        fqdn: () => service.fqdn,
      });
    });
  }

  /**
   * The client Service of a `HeadlessStatefulEndpoint` (made with `clientService: true`), which
   * load-balances over the set's ready pods, and one of its named ports.
   *
   * The controller's pods are allowed to reach the port's target (container) port through the
   * set's NetworkPolicy, as if `endpoint.allowFrom(controller, Port.named(portName))` were
   * called, exactly as for `fromSecureService`.
   *
   * @param endpoint the stateful endpoint, with `clientService: true`
   * @param portName the `name` of one of its `ServicePortSpec`s
   * @default portName - its only port; required when it has several
   */
  public static fromStatefulClientService(endpoint: HeadlessStatefulEndpoint, portName?: string): IngressBackend {
    return checkedValue(IngressBackend.prototype, () => {
      const name = 'IngressBackend.fromStatefulClientService';
      requireInstance(name, 'endpoint', endpoint, HeadlessStatefulEndpoint,
        'give a HeadlessStatefulEndpoint made with clientService: true, or use IngressBackend.fromSecureService() for a SecureService');
      const client = endpoint.clientService;
      const clientName = endpoint.clientServiceName;
      if (!client || clientName === undefined) {
        failCall(`${name}(${endpoint.peerId})`, `HeadlessStatefulEndpoint ${endpoint.peerId} has no client Service (HeadlessStatefulEndpoint.clientService is not set); ` +
          'set clientService: true on it, so that the route reaches a Service that load-balances over its ready pods (the headless Service hands out pod addresses).');
      }
      return IngressBackend.fromWorkload(name, 'HeadlessStatefulEndpoint', endpoint, portName, {
        serviceName: clientName,
        serviceObject: client,
        fqdn: () => endpoint.clientFqdn,
      });
    });
  }

  /**
   * A Service the app made itself, and one of its port numbers (the Service port, not the target
   * port): a Service of any cdk8s-plus version (28, 33, ...), or a plain `ApiObject` /
   * generated `KubeService`. Its name, namespace and ports are read from it.
   *
   * This library does not manage the network policy of these pods: if they are isolated, allow
   * the controller in yourself (a warning on the TlsIngress says so).
   *
   * @param service the Service (any construct whose default child is a Service object)
   * @param port the Service port number
   */
  public static fromService(service: IConstruct, port: number): IngressBackend {
    return checkedValue(IngressBackend.prototype, () => {
      const api = appApiObject('IngressBackend.fromService', 'service', service, ['Service'],
        'give a Service (cdk8s-plus of any version, or a KubeService), or use IngressBackend.fromSecureService()');
      requireNumber(`IngressBackend.fromService(${api.name})`, 'port', port, 'give one of its Service port numbers');
      const call = `IngressBackend.fromService(${api.name}, ${port})`;
      const ports = appServicePorts(service, api).map((p) => p.port);
      if (!ports.includes(port)) {
        failCall(call, `Service ${api.name} has no port ${port}; its ports are ${ports.length ? ports.join(', ') : 'none'}.`);
      }
      return new IngressBackend({
        serviceName: api.name,
        namespace: api.metadata.namespace,
        servicePortNumber: port,
        serviceObject: api,
        description: `${api.name}:${port}`,
      });
    });
  }

  /**
   * One of the library's workloads, through one of its Services (`service`), on one of its named
   * ports: the controller is admitted on the port's target port by the workload's policy.
   */
  private static fromWorkload(
    name: string, kind: string, workload: SecureWorkload, portName: string | undefined,
    service: { serviceName: string; serviceObject: ApiObject; fqdn: () => string },
  ): IngressBackend {
    optionalString(`${name}(${workload.peerId})`, 'portName', portName, "give the name of one of its ports, e.g. 'http'");
    const call = `${name}(${workload.peerId}${portName === undefined ? '' : `, '${portName}'`})`;
    const names = workload.ports.map((p) => p.name);
    if (portName === undefined && workload.ports.length !== 1) {
      failCall(call, `${kind} ${workload.peerId} has ${workload.ports.length} ports (${names.join(', ')}); name the one to route to.`);
    }
    const spec = portName === undefined ? workload.ports[0] : workload.ports.find((p) => p.name === portName);
    if (!spec) failCall(call, `${kind} ${workload.peerId} has no port named "${portName}"; its ports are ${names.join(', ')}.`);
    if ((spec.protocol ?? Protocol.TCP) !== Protocol.TCP) {
      failCall(call, `port "${spec.name}" is ${spec.protocol}; Ingress routes HTTP, which needs a TCP port.`);
    }
    return new IngressBackend({
      serviceName: service.serviceName,
      namespace: workload.namespaceName,
      servicePortName: spec.name,
      servicePortNumber: spec.port,
      serviceObject: service.serviceObject,
      connectable: workload,
      allowPort: Port.named(spec.name),
      description: `${workload.peerId}:${spec.name}`,
      fqdn: workload.namespaceName !== undefined ? service.fqdn() : undefined,
    });
  }

  /** @internal */
  public readonly _info: BackendInfo;

  private constructor(info: BackendInfo) {
    this._info = info;
  }

  /** The Service name. */
  public get serviceName(): string {
    return this._info.serviceName;
  }

  /** The Service port number. */
  public get servicePort(): number {
    return this._info.servicePortNumber;
  }
}

/** @internal */
export interface BackendInfo {
  readonly serviceName: string;
  readonly namespace?: string;
  /** The Service port name (rendered in the Ingress), for SecureService backends. */
  readonly servicePortName?: string;
  readonly servicePortNumber: number;
  /** The Service object, for controllers that annotate it (GKE). */
  readonly serviceObject: ApiObject;
  /** The pods, when this library manages their policy. */
  readonly connectable?: IConnectable;
  /** The port the controller is allowed on. */
  readonly allowPort?: Port;
  readonly description: string;
  /** The Service's DNS name, when known. */
  readonly fqdn?: string;
}

/**
 * The backend admits `source` (a controller's pods, a gateway's data plane or a load balancer's
 * addresses) on its port: an ingress rule on the backend's policy. When the source's pods run in
 * a DenyAllNamespace of the same app, whose default-deny isolates their egress, that namespace
 * also writes the egress rule from exactly those pods to the backend's pods on the same port
 * (see core/isolated-egress.ts); without it the ingress rule would admit nothing.
 *
 * @param scope the construct that routes to the backend (messages name it)
 * @param field the field that chose the source (`TlsIngress.controller`)
 * @param sourceName who the source is, in notes and messages (`ingress-nginx`)
 * @param policyName the name of the egress policy in the source's namespace
 * @internal
 */
export function admitSource(scope: IConstruct, b: BackendInfo, source: IPeer, field: string, sourceName: string, policyName: string): void {
  if (!b.connectable || !b.allowPort) return;
  const connections = b.connectable.connections;
  connections.allowFrom(source, b.allowPort);
  // The ports exactly as the backend's ingress rule resolved them (a named port becomes the container port).
  const ports = connections._resolveDestinationPorts([b.allowPort], `allowFrom(${source.peerId})`, scope);
  const destination = connections.peer;
  _allowIsolatedEgress(scope, {
    source,
    sourceName,
    policyName,
    destination,
    ports,
    origin: { scope, field },
    advice: `name its pods in one namespace (Peer.pods({ namespace, labels })), or open their egress to ${destination.peerId} ` +
      `on ${ports.length ? ports.map(String).join(', ') : 'every port'} yourself (allowTo on that namespace)`,
  });
}

/** One routing rule: requests for `host` whose path matches `path` go to `backend`. */
export interface IngressRule {
  /**
   * The host: a DNS name, or `*.` + a DNS name (the wildcard covers exactly one label). IP
   * addresses are refused, and every rule needs a host.
   */
  readonly host: string;
  /**
   * The path: `/` followed by letters, digits and `/ . _ ~ -`.
   * @default '/'
   */
  readonly path?: string;
  /**
   * How the path matches.
   * @default IngressPathType.PREFIX
   */
  readonly pathType?: IngressPathType;
  /** Where matching requests go. */
  readonly backend: IngressBackend;
}

/**
 * The shape of `IngressRule` entries (callers outside TypeScript): a list of objects with a
 * string host and an `IngressBackend`; undefined is allowed (the construct says the list is empty).
 * @internal
 */
export function checkIngressRuleTypes(where: Where, field: string, rules: unknown): void {
  optionalArray(where, field, rules, "give a list of rules, e.g. [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) }]", (rule, f) => {
    requireObject(where, f, rule, "give a rule such as { host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) }");
    requireString(where, `${f}.host`, rule.host, "give a DNS name such as 'shop.example.com'");
    optionalString(where, `${f}.path`, rule.path, "give a path such as '/api'");
    optionalString(where, `${f}.pathType`, rule.pathType, 'use an IngressPathType value (Prefix, Exact)');
    requireInstance(where, `${f}.backend`, rule.backend, IngressBackend, INGRESS_BACKEND_ADVICE);
  });
}

/** What to pass where an `IngressBackend` is expected. @internal */
export const INGRESS_BACKEND_ADVICE = 'give IngressBackend.fromSecureService(service), IngressBackend.fromStatefulClientService(endpoint) or IngressBackend.fromService(service, port)';
