/**
 * The route side of Gateway API, shared by `TlsGateway` (which owns its Gateway) and
 * `GatewayRoute` (which attaches to a `SharedGateway`): rule validation, the option handlers,
 * HTTPRoutes/GRPCRoutes, the implementation's policies, BackendTLSPolicies, ReferenceGrants for
 * backends in other namespaces, and the backends' admission of the data plane.
 *
 * @internal
 */
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { GatewayImplementation } from './implementation';
import { GatewayRenderContext, GatewaySink } from './render';
import { fail } from '../../core/errors';
import { LabelKeys } from '../../core/labels';
import { lazyModule } from '../../core/lazy-module';
import { dns1123SubdomainProblem } from '../../core/names';
import { IPeer, Peer } from '../../core/peer';
import { Port } from '../../core/port';
import { WorkloadPolicy } from '../../core/workload-policy';
import { ClusterDns } from '../../dns/cluster-dns';
import { INamespace } from '../../dns/namespace-ref';
import type * as cnp from '../../imports/cnp-cilium.io';
import type * as gw from '../../imports/gateway.networking.k8s.io';
import { meshWorkloadOf } from '../../mesh/common';
import { IGNORE_ANNOTATION_PREFIX } from '../../validation/rule-set';
import { childName } from '../controllers/render';
import { admitSource, BackendInfo, IngressPathType, IngressRule } from '../ingress-backend';
import { OPTION_KEYS, OptionKey, ResolvedOptions } from '../ingress-options';
import { hostProblem, pathProblem } from '../safety';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gwMod = lazyModule((): typeof gw => require('../../imports/gateway.networking.k8s.io'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cnpMod = lazyModule((): typeof cnp => require('../../imports/cnp-cilium.io'));

/** One rule after validation. @internal */
export interface GatewayRule {
  readonly host: string;
  readonly path: string;
  readonly pathType: IngressPathType;
  readonly backend: BackendInfo;
  /** Namespace of the backend Service. */
  readonly backendNamespace?: string;
}

/** A rendered rule: where it lives, for canaries. @internal */
export interface PlacedRule extends GatewayRule {
  readonly route: ApiObject;
  readonly index: number;
}

/** Validates the rules of a TlsGateway or GatewayRoute. @internal */
export function checkGatewayRules(scope: Construct, construct: string, rules: IngressRule[], namespace: string | undefined,
  crossNamespaceBackends: boolean): GatewayRule[] {
  if (!rules || rules.length === 0) fail(scope, `${construct}.rules is empty; give at least one rule (host, path and backend).`);
  const seen = new Set<string>();
  return rules.map((r, i) => {
    const hp = hostProblem(r.host ?? '');
    if (hp) fail(scope, `${construct}.rules[${i}].host "${r.host ?? ''}" is not a host; ${hp}.`);
    const path = r.path ?? '/';
    const pp = pathProblem(path);
    if (pp) fail(scope, `${construct}.rules[${i}].path "${path}" is refused; ${pp}.`);
    if (seen.has(r.host + path)) fail(scope, `${construct}.rules[${i}] routes ${r.host}${path} twice; route each host and path once.`);
    seen.add(r.host + path);
    const b = r.backend._info;
    const backendNamespace = b.namespace ?? Chart.of(scope).namespace;
    if (!crossNamespaceBackends && backendNamespace !== namespace) {
      fail(scope, `${construct}.rules[${i}].backend is Service ${b.serviceName} in namespace "${backendNamespace ?? '(none)'}", but the Gateway is in "${namespace ?? '(none)'}"; ` +
        'put the TlsGateway in the backend\'s namespace, or attach a GatewayRoute to a SharedGateway.');
    }
    return { host: r.host, path, pathType: r.pathType ?? IngressPathType.PREFIX, backend: b, backendNamespace };
  });
}

/** What renderGatewayRoutes needs. @internal */
export interface RouteRendering {
  readonly scope: Construct;
  readonly construct: string;
  readonly implementation: GatewayImplementation;
  /** Name of the routes' owner: routes and policies are named after it. */
  readonly name: string;
  readonly namespace?: string;
  readonly options: ResolvedOptions;
  readonly rules: GatewayRule[];
  /** The parentRefs of the route of one host. */
  readonly parentRefs: (host: string) => gw.HttpRouteSpecParentRefs[];
  /** The Gateway whose data plane connects to the backends. */
  readonly gatewayName: string;
  readonly gatewayNamespace?: string;
  readonly requestTimeoutSeconds?: number;
  readonly backendCaConfigMap?: string;
  /** The NetworkPolicy of the Gateway's data plane, when this library writes it: egress to each backend is added. */
  readonly dataPlanePolicy?: WorkloadPolicy;
  /** The field that chose the data plane, as messages name it (`TlsGateway.implementation`, `GatewayRoute.gateway`). */
  readonly dataPlaneField: string;
}

/** Runs the option handlers of the implementation (the canary first, as for TlsIngress). @internal */
export function runGatewayHandlers(r: Pick<RouteRendering, 'scope' | 'construct' | 'implementation' | 'name' | 'namespace' | 'options'>): { ctx: GatewayRenderContext; sink: GatewaySink } {
  const ctx: GatewayRenderContext = {
    scope: r.scope, impl: r.implementation._info, name: r.name, namespace: r.namespace, options: r.options, construct: r.construct,
  };
  const sink = new GatewaySink();
  const order: OptionKey[] = ['canary', ...OPTION_KEYS.filter((k) => k !== 'canary')];
  for (const key of order) {
    const value = r.options[key];
    const handler = r.implementation._renderer.handlers[key] as (c: GatewayRenderContext, s: GatewaySink, v: unknown) => void;
    if (value !== undefined) handler(ctx, sink, value);
  }
  return { ctx, sink };
}

/** Checks the Gateway-only props against what the handlers produced. @internal */
export function checkGatewayExtras(r: RouteRendering, ctx: GatewayRenderContext, sink: GatewaySink): void {
  const c = r.construct;
  if (r.requestTimeoutSeconds !== undefined) {
    if (!Number.isInteger(r.requestTimeoutSeconds) || r.requestTimeoutSeconds < 1 || r.requestTimeoutSeconds > 86400) {
      fail(r.scope, `${c}.requestTimeoutSeconds is ${r.requestTimeoutSeconds}; it must be a whole number 1-86400.`);
    }
    if (!ctx.impl.features.includes('HTTPRouteRequestTimeout')) {
      fail(r.scope, `${c}.requestTimeoutSeconds is ${r.requestTimeoutSeconds}, but ${ctx.impl.displayName} (Gateway API) cannot express it: ` +
        'its conformance report does not list HTTPRoute request timeouts (HTTPRouteRequestTimeout); leave it unset.');
    }
    if (sink.grpc) fail(r.scope, `${c}.requestTimeoutSeconds is set with backendProtocol "GRPC"; GRPCRoute has no timeouts field, so remove it.`);
  }
  if (sink.backendRequestTimeoutSeconds !== undefined && sink.grpc) {
    fail(r.scope, `${c}.timeouts.responseSeconds is set with backendProtocol "GRPC"; GRPCRoute has no timeouts field, so remove it.`);
  }
  const backendRequest = sink.backendRequestTimeoutSeconds;
  if (backendRequest !== undefined && r.requestTimeoutSeconds !== undefined && backendRequest > r.requestTimeoutSeconds) {
    // Gateway API v1 HTTPRouteTimeouts: backendRequest must be <= request (a CEL rule of the CRD).
    fail(r.scope, `${c}.timeouts.responseSeconds (${sink.backendRequestTimeoutSeconds}) is longer than requestTimeoutSeconds (${r.requestTimeoutSeconds}); `
      + 'a backend attempt cannot outlast the whole request, so shorten it.');
  }
  if (r.backendCaConfigMap !== undefined) {
    const problem = dns1123SubdomainProblem(r.backendCaConfigMap);
    if (problem) fail(r.scope, `${c}.backendCaConfigMap "${r.backendCaConfigMap}" is not a ConfigMap name; ${problem}.`);
    if (!sink.backendTls) fail(r.scope, `${c}.backendCaConfigMap is set, but backendProtocol is not HTTPS; remove it or set backendProtocol: BackendProtocol.HTTPS.`);
  }
  if (sink.backendTls && r.backendCaConfigMap === undefined) {
    fail(r.scope, `${c}.backendProtocol is "HTTPS", but backendCaConfigMap is not set; name the ConfigMap (key ca.crt) with the CA of the backends' certificates, which the BackendTLSPolicy verifies them against.`);
  }
  if (sink.grpc && sink.filters.some((f) => f.type === gwMod.HttpRouteSpecRulesFiltersType.CORS)) {
    fail(r.scope, `${c}.cors is set with backendProtocol "GRPC"; GRPCRoute has no CORS filter, so remove cors (gRPC-Web CORS is answered by the backend).`);
  }
}

/** Renders the routes of one owner and everything they need; returns the routes and the placed rules. @internal */
export function renderGatewayRoutes(r: RouteRendering, ctx: GatewayRenderContext, sink: GatewaySink): { routes: ApiObject[]; placed: PlacedRule[] } {
  const { scope, name, namespace, rules } = r;
  const labels = { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE };
  const filters = sink.filters.length > 0 ? sink.filters : undefined;
  const timeouts = r.requestTimeoutSeconds !== undefined || sink.backendRequestTimeoutSeconds !== undefined ? {
    request: r.requestTimeoutSeconds !== undefined ? `${r.requestTimeoutSeconds}s` : undefined,
    backendRequest: sink.backendRequestTimeoutSeconds !== undefined ? `${sink.backendRequestTimeoutSeconds}s` : undefined,
  } : undefined;
  const hosts = [...new Set(rules.map((x) => x.host))];
  const routes: ApiObject[] = [];
  const placed: PlacedRule[] = [];
  const backendRef = (x: GatewayRule) => ({
    name: x.backend.serviceName,
    namespace: x.backendNamespace !== namespace ? x.backendNamespace : undefined,
    port: x.backend.servicePortNumber,
  });
  for (const host of hosts) {
    const id = `Route${host.replace(/\*/g, 'Wildcard')}`;
    const metadata = { name: childName(name, host.replace(/^\*\./, 'wildcard.')), namespace, labels };
    const hostRules = rules.filter((x) => x.host === host);
    const route: ApiObject = sink.grpc
      ? new gwMod.GrpcRoute(scope, id, {
        metadata,
        spec: {
          parentRefs: r.parentRefs(host),
          hostnames: [host],
          rules: hostRules.map((x) => ({
            matches: grpcMatch(scope, r.construct, x, rules.indexOf(x)),
            backendRefs: [backendRef(x)],
            filters: filters as gw.GrpcRouteSpecRulesFilters[] | undefined,
          })),
        },
      })
      : new gwMod.HttpRoute(scope, id, {
        metadata,
        spec: {
          parentRefs: r.parentRefs(host),
          hostnames: [host],
          rules: hostRules.map((x) => ({ matches: [{ path: pathMatch(x) }], backendRefs: [backendRef(x)], filters, timeouts })),
        },
      });
    hostRules.forEach((x, index) => placed.push({ ...x, route, index }));
    routes.push(route);
  }
  r.implementation._renderer.finish?.(ctx, sink, routes);
  if (sink.backendTls) backendTlsPolicies(scope, rules, name, r.backendCaConfigMap!);
  backendReferenceGrants(scope, rules, name, namespace, sink.grpc ? 'GRPCRoute' : 'HTTPRoute');
  admitDataPlane(scope, r.implementation, rules, name, r.gatewayName, r.gatewayNamespace, r.dataPlanePolicy, r.dataPlaneField);
  return { routes, placed };
}

/** The HTTPRoute path match of a rule (`Prefix` is `PathPrefix`). @internal */
export function pathMatch(x: { pathType: IngressPathType; path: string }): gw.HttpRouteSpecRulesMatchesPath {
  return {
    type: x.pathType === IngressPathType.EXACT ? gwMod.HttpRouteSpecRulesMatchesPathType.EXACT : gwMod.HttpRouteSpecRulesMatchesPathType.PATH_PREFIX,
    value: x.path,
  };
}

/** A gRPC rule matches all methods (`/`), one service (`/pkg.Service`) or one method (`/pkg.Service/Method`, Exact). @internal */
export function grpcMatch(scope: Construct, construct: string, x: GatewayRule, i: number): gw.GrpcRouteSpecRulesMatches[] | undefined {
  if (x.path === '/') return undefined;
  const m = /^\/([A-Za-z_][A-Za-z0-9_.]*)(?:\/([A-Za-z_][A-Za-z0-9_]*))?\/?$/.exec(x.path);
  if (!m || (m[2] !== undefined && x.pathType !== IngressPathType.EXACT)) {
    fail(scope, `${construct}.rules[${i}].path "${x.path}" is not a gRPC route; with backendProtocol "GRPC" give "/", "/package.Service" or "/package.Service/Method" (pathType Exact).`);
  }
  return [{ method: { type: gwMod.GrpcRouteSpecRulesMatchesMethodType.EXACT, service: m[1], method: m[2] } }];
}

function backendTlsPolicies(scope: Construct, rules: GatewayRule[], name: string, caConfigMap: string): void {
  const done = new Set<string>();
  for (const x of rules) {
    const svc = x.backend.serviceName;
    const key = `${x.backendNamespace}/${svc}`;
    if (done.has(key)) continue;
    done.add(key);
    // A BackendTLSPolicy lives in its Service's namespace (targetRefs are local references).
    new gwMod.BackendTlsPolicy(scope, `BackendTls${x.backendNamespace ?? ''}${svc}`, {
      metadata: { name: childName(name, svc, 'tls'), namespace: x.backendNamespace, labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE } },
      spec: {
        targetRefs: [{ group: '', kind: 'Service', name: svc }],
        validation: {
          caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: caConfigMap }],
          hostname: x.backendNamespace ? `${svc}.${x.backendNamespace}.svc` : svc,
        },
      },
    });
  }
}

/** A route refers to a Service in another namespace: that namespace grants it (Gateway API ReferenceGrant). */
function backendReferenceGrants(scope: Construct, rules: GatewayRule[], name: string, namespace: string | undefined, kind: string): void {
  const byNamespace = new Map<string, Set<string>>();
  for (const x of rules) {
    if (x.backendNamespace === namespace || x.backendNamespace === undefined) continue;
    if (!byNamespace.has(x.backendNamespace)) byNamespace.set(x.backendNamespace, new Set());
    byNamespace.get(x.backendNamespace)!.add(x.backend.serviceName);
  }
  for (const [ns, services] of byNamespace) {
    new gwMod.ReferenceGrant(scope, `BackendGrant${ns}`, {
      metadata: { name: childName(namespace ?? '', name, 'routes'), namespace: ns, labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE } },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind, namespace: namespace ?? 'default' }],
        to: [...services].sort().map((s) => ({ group: '', kind: 'Service', name: s })),
      },
    });
  }
}

/**
 * The backends admit the data plane on their ports (Cilium: a CiliumNetworkPolicy for its ingress identity, named after
 * `ownerName`, the construct that routes to them: several GatewayRoutes of one namespace may route to one backend).
 * @internal
 */
export function admitDataPlane(scope: Construct, implementation: GatewayImplementation, rules: GatewayRule[], ownerName: string, gatewayName: string,
  gatewayNamespace: string | undefined, policy: WorkloadPolicy | undefined, field: string): void {
  const done: BackendInfo[] = [];
  const sources = implementation._dataPlane(gatewayName, gatewayNamespace);
  const dataPlaneEgressName = childName('allow', implementation.className, 'data-plane-egress');
  // Cilium: one policy per backend Service, with every port the rules route to (several rules may name one backend).
  const cilium = new Map<string, { backend: BackendInfo; namespace?: string; ports: Port[] }>();
  for (const x of rules) {
    const b = x.backend;
    if (done.includes(b)) continue;
    done.push(b);
    if (!b.connectable || !b.allowPort) continue;
    if (implementation._info.profile === 'cilium') {
      const key = `${x.backendNamespace ?? ''}/${b.serviceName}`;
      const entry = cilium.get(key) ?? { backend: b, namespace: x.backendNamespace, ports: [] };
      if (!entry.ports.some((p) => p.toString() === b.allowPort!.toString())) entry.ports.push(b.allowPort);
      cilium.set(key, entry);
      continue;
    }
    // A data plane with a policy of its own here gets its egress below; one in another namespace, from that namespace.
    for (const source of sources) {
      if (policy) b.connectable.connections.allowFrom(source, b.allowPort);
      else admitSource(scope, b, source, field, `the data plane of ${implementation.displayName}`, dataPlaneEgressName);
    }
    // The data plane's own egress, when this library writes its policy (Istio in the Gateway's namespace), and to the
    // backend's mesh dataplane port when it has one (Istio ambient: the gateway sends HBONE to TCP 15008 of the pod).
    if (policy && isPeer(b.connectable)) {
      const dataplanePort = meshWorkloadOf(b.connectable)?.mesh._renderer.dataplanePort;
      policy.addEgressRule(b.connectable, dataplanePort === undefined ? [b.allowPort] : [b.allowPort, Port.tcp(dataplanePort)]);
    }
  }
  for (const entry of cilium.values()) ciliumIngressPolicy(scope, entry.backend, entry.namespace, ownerName, entry.ports);
}

/**
 * Cilium's Envoy connects to backends with the reserved identity `ingress`
 * (docs.cilium.io network/servicemesh/ingress-and-network-policy): admit it on the backend's ports.
 */
function ciliumIngressPolicy(scope: Construct, b: BackendInfo, namespace: string | undefined, ownerName: string, ports: Port[]): void {
  const pods = (b.connectable as unknown as IPeer).toPeerSpecs?.(namespace)?.[0]?.podSelector;
  if (!pods) fail(scope, `backend ${b.description} has no pod selector, which the CiliumNetworkPolicy for Cilium's ingress identity needs.`);
  new cnpMod.CiliumNetworkPolicy(scope, `CiliumIngress${namespace ?? ''}${b.serviceName}`, {
    metadata: { name: childName(ownerName, b.serviceName, 'from-gateway'), namespace, labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE } },
    spec: {
      endpointSelector: { matchLabels: { ...pods.matchLabels } },
      ingress: [{
        fromEntities: [cnpMod.CiliumNetworkPolicySpecIngressFromEntities.INGRESS],
        toPorts: [{
          ports: ports.map((port) => ({
            port: String(port.name ?? port.portNumber),
            protocol: cnpMod.CiliumNetworkPolicySpecIngressToPortsPortsProtocol.TCP,
          })),
        }],
      }],
    },
  });
}

function isPeer(x: unknown): x is IPeer {
  return typeof (x as IPeer)?.toPeerSpecs === 'function' && typeof (x as IPeer)?.peerId === 'string';
}

/**
 * The NetworkPolicy of a data plane that runs in the Gateway's namespace (Istio): a default-deny
 * policy there isolates it too, so it accepts clients on the listener ports and reaches the cluster
 * DNS of `dnsNamespace` (as every workload policy does) and its control plane; egress to each
 * backend is added as routes are rendered.
 * @internal
 */
export function dataPlanePolicy(scope: Construct, implementation: GatewayImplementation, gatewayName: string, namespace: string | undefined,
  listenerPorts: number[], dnsNamespace: INamespace | undefined): WorkloadPolicy | undefined {
  const cp = implementation._controlPlane;
  if (!implementation._dataPlaneInGatewayNamespace || !cp) return undefined;
  const policy = new WorkloadPolicy(scope, 'DataPlanePolicy', {
    name: childName(gatewayName, 'data-plane'),
    namespace,
    podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': gatewayName } },
    labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE },
  });
  // The pods are deployed by the implementation for this Gateway, so no manifest of the app has them (NET013).
  policy.apiObject.metadata.addAnnotation(`${IGNORE_ANNOTATION_PREFIX}network-policy-selects-no-pods`,
    `the gateway pods are deployed by ${implementation.displayName} for Gateway ${gatewayName}`);
  // The gateway is the edge: clients come from anywhere, on the listener ports only.
  const ports = [...new Set(listenerPorts)].map((n) => Port.tcp(n));
  policy.addIngressRule(Peer.anyIpv4(), ports);
  policy.addIngressRule(Peer.anyIpv6(), ports);
  // The proxies find their control plane by its Service name (Istio: istiod.istio-system.svc:15012), so they resolve
  // names; a namespace created with allowDns false gives its pods no cluster DNS, as for workloads.
  if (dnsNamespace?.dnsAllowed ?? true) {
    for (const rule of (dnsNamespace?.clusterDns ?? ClusterDns.kubeDns())._rules) policy.addEgressRule(rule.peer, rule.ports);
  }
  policy.addEgressRule(cp.peer, [Port.tcp(cp.port)]);
  return policy;
}
