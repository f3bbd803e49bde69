/*
 * The mesh-neutral option set: one vocabulary for mesh membership, mutual TLS, retries, timeouts,
 * circuit breaking, canary splits and fault injection, rendered by `ServiceMesh.istio()` or
 * `ServiceMesh.linkerd()`. Options a mesh cannot express fail at construction, naming the mesh.
 */
import type { ServiceMesh } from './mesh';
import { IPeer } from '../core/peer';

/** How pods join the mesh. */
export enum MeshDataplaneMode {
  /** A proxy container injected into every pod (Istio sidecar mode, Linkerd). */
  SIDECAR = 'sidecar',
  /**
   * Istio ambient mode: a per-node ztunnel carries mTLS (HBONE, TCP 15008); no container is
   * injected. L7 features (retries, timeouts, routing, circuit breaking) need a waypoint proxy.
   */
  AMBIENT = 'ambient',
}

/** Whether meshed workloads accept plaintext. */
export enum MeshMtlsMode {
  /** Only mutual-TLS connections from mesh identities are accepted. */
  STRICT = 'STRICT',
  /**
   * Plaintext is accepted too (migration only). Needed to admit `Peer.ipBlock(...)` sources,
   * which have no mesh identity.
   */
  PERMISSIVE = 'PERMISSIVE',
}

/** Conditions on which a request is retried. Values are Istio's `retryOn` tokens. */
export enum MeshRetryOn {
  /** Any 5xx response (Istio `5xx`, Linkerd `5xx`). */
  SERVER_ERROR = '5xx',
  /** 502, 503 and 504 (Istio `gateway-error`, Linkerd `gateway-error`). */
  GATEWAY_ERROR = 'gateway-error',
  /** HTTP 409 (Istio `retriable-4xx`, Linkerd `409`). */
  CONFLICT = 'retriable-4xx',
  /** The connection could not be opened (Istio only). */
  CONNECT_FAILURE = 'connect-failure',
  /** The connection was reset before a response (Istio only). */
  RESET = 'reset',
  /** gRPC status CANCELLED. */
  GRPC_CANCELLED = 'cancelled',
  /** gRPC status DEADLINE_EXCEEDED. */
  GRPC_DEADLINE_EXCEEDED = 'deadline-exceeded',
  /** gRPC status INTERNAL. */
  GRPC_INTERNAL = 'internal',
  /** gRPC status RESOURCE_EXHAUSTED. */
  GRPC_RESOURCE_EXHAUSTED = 'resource-exhausted',
  /** gRPC status UNAVAILABLE. */
  GRPC_UNAVAILABLE = 'unavailable',
}

/** Options of `ServiceMesh.istio()`. */
export interface IstioMeshOptions {
  /**
   * Sidecar or ambient mode.
   * @default MeshDataplaneMode.SIDECAR
   */
  readonly dataplaneMode?: MeshDataplaneMode;
  /**
   * Whether plaintext is refused.
   * @default MeshMtlsMode.STRICT
   */
  readonly mtls?: MeshMtlsMode;
  /**
   * The namespace of istiod.
   * @default 'istio-system'
   */
  readonly controlPlaneNamespace?: string;
  /**
   * The trust domain of workload principals (`<trustDomain>/ns/<ns>/sa/<sa>`).
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
  /**
   * The istiod revision that injects sidecars: namespaces get `istio.io/rev: <revision>`
   * instead of `istio-injection: enabled`.
   * @default - the default revision (`istio-injection: enabled`)
   */
  readonly revision?: string;
  /**
   * Allow `faultInjection` on workloads of this mesh. Fault injection delays and fails real
   * requests: turn this on for test environments only.
   * @default false
   */
  readonly allowFaultInjection?: boolean;
  /**
   * Let the sidecars of this mesh's namespaces reach only hosts in Istio's registry: Services of
   * the cluster and the external hosts the namespace's workloads connect to (each
   * `ExternalDependency` with a hostname becomes a `ServiceEntry` in the client's namespace).
   * Written as a namespace-wide `Sidecar` with `outboundTrafficPolicy: REGISTRY_ONLY` (per
   * workload, with a `workloadSelector`, when its namespace is not a `DenyAllNamespace` of the
   * mesh). Sidecar mode only: ambient mode has no Sidecar resource.
   * @default false - Istio's default, ALLOW_ANY: the sidecar passes traffic to unknown hosts through
   */
  readonly restrictOutboundToRegistry?: boolean;
  /**
   * Route the mesh's traffic to external hosts (each `ExternalDependency` with a hostname that a
   * workload of this mesh connects to) through an Istio egress gateway: TLS on port 443 passed
   * through by SNI (Gateway + VirtualService per host, as in Istio's "Egress Gateways" task).
   * The workloads' NetworkPolicies then open egress to the gateway pods, not to the host's
   * addresses, so the dependency needs no `egressTo`. Sidecar mode only.
   * @default - no egress gateway: sidecars connect to external hosts directly
   */
  readonly egressGateway?: IstioEgressGateway;
}

/** An Istio egress gateway (the `istio/gateway` Helm chart, or `istioctl` `egressGateways`). */
export interface IstioEgressGateway {
  /**
   * The namespace of the gateway pods and Service.
   * @default - the control-plane namespace
   */
  readonly namespace?: string;
  /**
   * The labels of the gateway pods (the Gateway's `selector`).
   * @default { istio: 'egressgateway' }
   */
  readonly labels?: { [key: string]: string };
  /**
   * The gateway's Service name.
   * @default 'istio-egressgateway'
   */
  readonly serviceName?: string;
  /**
   * The container port behind the gateway Service's port 443: NetworkPolicies match the pod
   * port. The gateway charts run unprivileged, so 443 is served on 8443.
   * @default 8443
   */
  readonly tlsPodPort?: number;
}

/** Options of `ServiceMesh.linkerd()`. */
export interface LinkerdMeshOptions {
  /**
   * Whether connections must come from mesh identities.
   * @default MeshMtlsMode.STRICT
   */
  readonly mtls?: MeshMtlsMode;
  /**
   * The Linkerd control-plane namespace (it is also part of every identity).
   * @default 'linkerd'
   */
  readonly controlPlaneNamespace?: string;
  /**
   * The identity trust domain (`identityTrustDomain` of the Linkerd installation).
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
}

/** Retry policy for requests to a workload. Retries are done by the client's proxy. */
export interface MeshRetryOptions {
  /**
   * The maximum number of retries (0-10). 0 turns off the mesh's own default retries.
   */
  readonly attempts: number;
  /**
   * Time allowed for each try, in milliseconds.
   * @default - each try may use the whole request timeout
   */
  readonly perTryTimeoutMillis?: number;
  /**
   * When to retry. Only retry requests that are safe to repeat.
   * @default [MeshRetryOn.GATEWAY_ERROR]
   */
  readonly retryOn?: MeshRetryOn[];
}

/** Retries and timeout for requests whose path starts with a prefix. */
export interface MeshRouteOptions {
  /** The path prefix (`/api/orders`); must start with `/` and must not be `/` itself. */
  readonly pathPrefix: string;
  /**
   * Retries for this route.
   * @default - the workload's `retries`
   */
  readonly retries?: MeshRetryOptions;
  /**
   * Request timeout for this route, in milliseconds.
   * @default - the workload's `requestTimeoutMillis`
   */
  readonly requestTimeoutMillis?: number;
}

/** Circuit breaking: take an endpoint out of load balancing after consecutive errors. */
export interface MeshOutlierDetectionOptions {
  /** Consecutive 5xx (or connection) errors that eject an endpoint. */
  readonly consecutiveErrors: number;
  /**
   * How long an endpoint stays ejected the first time, in seconds.
   * @default 30
   */
  readonly baseEjectionSeconds?: number;
  /**
   * How often endpoints are evaluated, in seconds (Istio only).
   * @default - the mesh default (Istio: 10s)
   */
  readonly intervalSeconds?: number;
  /**
   * The most endpoints that may be ejected at once, in percent (Istio only).
   * @default - the mesh default (Istio: 10%)
   */
  readonly maxEjectionPercent?: number;
}

/** Connection-pool limits of clients calling a workload (Istio only). */
export interface MeshConnectionPoolOptions {
  /**
   * Maximum TCP connections per client proxy.
   * @default - no limit (Istio: 2^32-1)
   */
  readonly maxConnections?: number;
  /**
   * Maximum requests waiting for a connection.
   * @default - no limit
   */
  readonly maxPendingRequests?: number;
  /**
   * Maximum concurrent requests (HTTP/2).
   * @default - no limit
   */
  readonly maxConcurrentRequests?: number;
  /**
   * Maximum requests per connection; 1 turns keep-alive off.
   * @default - no limit
   */
  readonly maxRequestsPerConnection?: number;
}

/**
 * A weighted split between this workload and a second version of it.
 *
 * Rendered as a split between two Services, not between subsets of one: each `SecureService`
 * selects only its own pods (`app.kubernetes.io/name: <name>`), so there is no Service whose
 * selector covers both versions for a DestinationRule's `subsets` to divide. Istio gets a
 * VirtualService on the stable host whose route sends `weightPercent` to the canary's host;
 * Linkerd gets HTTPRoutes on the stable Service with weighted `backendRefs`. Each version keeps
 * its own NetworkPolicy, AuthorizationPolicy and DestinationRule, so callers must be allowed on
 * both (checked at synth).
 */
export interface MeshCanaryOptions {
  /**
   * The canary version: a second `SecureService` in the same namespace and mesh, with a port
   * of the same name as the traffic port. Callers must be allowed to reach both versions.
   * (Typed as the peer it is, so the mesh needs no concrete construct; any other workload is refused.)
   */
  readonly service: IPeer;
  /** The share of requests sent to the canary, 0-100. */
  readonly weightPercent: number;
}

/**
 * Faults injected into requests to a workload, for resilience tests. Needs
 * `ServiceMesh.istio({ allowFaultInjection: true })`; Linkerd cannot inject faults.
 */
export interface MeshFaultInjectionOptions {
  /**
   * A delay added before forwarding, in milliseconds.
   * @default - no delay
   */
  readonly delayMillis?: number;
  /**
   * The share of requests delayed, in percent.
   * @default 100
   */
  readonly delayPercent?: number;
  /**
   * The HTTP status returned instead of forwarding.
   * @default - no abort
   */
  readonly abortHttpStatus?: number;
  /**
   * The share of requests aborted, in percent.
   * @default 100
   */
  readonly abortPercent?: number;
}

/**
 * Mesh options of a workload (`SecureService`, `HeadlessStatefulEndpoint`): which mesh, and how
 * clients call it.
 *
 * Authorization is not an option: it mirrors the connections declared with
 * `allowFrom`/`allowTo`, as workload identities.
 *
 * Options a mesh cannot express fail at construction, naming the mesh and the option:
 * - Linkerd: `connectionPool`, `outlierDetection.maxEjectionPercent`,
 *   `outlierDetection.intervalSeconds`, `faultInjection`, `retryOn` `connect-failure` and
 *   `reset`, and gRPC `retryOn` conditions together with `routes` or `canary`.
 * - Istio: `faultInjection` unless `ServiceMesh.istio({ allowFaultInjection: true })`; in ambient
 *   mode every traffic option (retries, timeouts, routes, circuit breaking, connection pool,
 *   canary, faults), because this library deploys no waypoint proxy.
 * - `HeadlessStatefulEndpoint`, whatever the mesh: `canary`; and without `clientService` every
 *   traffic option, since clients of a headless Service connect to pod addresses.
 */
export interface MeshWorkloadOptions {
  /**
   * The mesh the workload joins.
   * @default - the mesh of its namespace (`DenyAllNamespace.mesh`); required for other namespaces
   */
  readonly mesh?: ServiceMesh;
  /**
   * The name of the (TCP, HTTP) port that retries, timeouts, routes, canary and faults apply to.
   * @default - the first TCP port
   */
  readonly trafficPort?: string;
  /**
   * Retries for every request.
   *
   * Controller-side setting that undoes it on Linkerd: a `ServiceProfile` for the Service (the
   * proxies then use the ServiceProfile and ignore the `retry.linkerd.io/*` and `timeout.linkerd.io/*`
   * annotations written here; linkerd.io/2/reference/retries); do not create one for a meshed Service.
   * @default - none written; the mesh default applies (Istio: 2 attempts on connection
   * failures and 503; Linkerd: no retries)
   */
  readonly retries?: MeshRetryOptions;
  /**
   * Request timeout, in milliseconds. On Linkerd, a `ServiceProfile` for the Service undoes it
   * (see `retries`).
   * @default - none (Istio and Linkerd: no timeout)
   */
  readonly requestTimeoutMillis?: number;
  /**
   * Retries and timeouts for path prefixes; other requests use `retries` and `requestTimeoutMillis`.
   * @default - none
   */
  readonly routes?: MeshRouteOptions[];
  /**
   * Circuit breaking by outlier detection.
   * @default - none
   */
  readonly outlierDetection?: MeshOutlierDetectionOptions;
  /**
   * Connection-pool limits (Istio only).
   * @default - none
   */
  readonly connectionPool?: MeshConnectionPoolOptions;
  /**
   * A weighted split with a canary version.
   * @default - all traffic goes to this workload
   */
  readonly canary?: MeshCanaryOptions;
  /**
   * Fault injection for test environments (Istio with `allowFaultInjection` only).
   * @default - none
   */
  readonly faultInjection?: MeshFaultInjectionOptions;
}

