/*
 * Linkerd rendering of the mesh options (Linkerd 2.16 or later).
 *
 * Namespace: `linkerd.io/inject: enabled` and `config.linkerd.io/default-inbound-policy: deny`
 * annotations, so a meshed pod accepts nothing that no policy authorizes.
 *
 * Workload: a `Server` per TCP port (`accessPolicy: deny`) and, once a connection to that port
 * is declared, an `AuthorizationPolicy` that requires a `MeshTLSAuthentication` listing the
 * callers' identities (`<sa>.<ns>.serviceaccount.identity.<control plane ns>.<trust domain>`;
 * `*.<ns>.serviceaccount...` for a namespace). AuthorizationPolicy objects are written per port
 * on demand, because a MeshTLSAuthentication must list at least one identity. Kubelet probes
 * are authorized by Linkerd itself.
 *
 * Traffic: retries and timeouts as the annotations Linkerd 2.16 documents (`retry.linkerd.io/*`,
 * `timeout.linkerd.io/*`) on the Service, or, with routes or a canary, on HTTPRoutes
 * (`policy.linkerd.io/v1beta3`, parent: the Service) with weighted `backendRefs`; circuit
 * breaking as consecutive-failure accrual (`balancer.linkerd.io/failure-accrual*`) on the Service.
 * Linkerd has no connection-pool limits, ejection percentage, evaluation interval, connect-failure
 * retries or fault injection: asking for them fails, naming Linkerd and the option.
 */
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  MeshNamespaceTarget, MeshRenderer, MeshSource, MeshWorkload, containerPort, duration, linkerdNamespaceIdentity, managedLabels, meshSourceOf,
  meshWorkloadOf, tcpPorts,
} from './common';
import type { ServiceMesh } from './mesh';
import { MeshRetryOn, MeshRetryOptions } from './options';
import { fail, warn } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { IPeer, Peer } from '../core/peer';
import { Port, Protocol } from '../core/port';
import { ServicePortSpec } from '../core/service-port';
import { WorkloadPolicy } from '../core/workload-policy';
import type { HttpRouteV1Beta3SpecRules } from '../imports/policy.linkerd.io';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const linkerd = lazyModule((): typeof import('../imports/policy.linkerd.io') => require('../imports/policy.linkerd.io'));

/** The proxy's inbound port: meshed opaque-port traffic is sent to it directly. */
const PROXY_INBOUND = 4143;
/**
 * Ports the proxy listens on (outbound, inbound, control, admin): `proxy.ports` of the chart; the
 * control port is bound on every address (`LINKERD2_PROXY_CONTROL_LISTEN_ADDR: [::]:4190`).
 */
const PROXY_PORTS = [4140, 4143, 4190, 4191];
/**
 * The proxy's user id (`proxy.uid`, passed to linkerd-init as `--proxy-uid`): its outbound traffic
 * is not redirected. The chart sets no proxy group (`proxy.gid: -1`), so no group rule.
 */
const PROXY_UID = 2102;
/**
 * Ports linkerd-init skips in a default installation (`proxyInit.ignoreInboundPorts` and
 * `ignoreOutboundPorts`): their traffic never reaches the proxy.
 */
const SKIPPED_PORTS = [4567, 4568];
const POLICY_GROUP = 'policy.linkerd.io';

const HTTP_RETRY: { [on: string]: string } = {
  [MeshRetryOn.SERVER_ERROR]: '5xx',
  [MeshRetryOn.GATEWAY_ERROR]: 'gateway-error',
  [MeshRetryOn.CONFLICT]: '409',
};
const GRPC_RETRY = [MeshRetryOn.GRPC_CANCELLED, MeshRetryOn.GRPC_DEADLINE_EXCEEDED, MeshRetryOn.GRPC_INTERNAL,
  MeshRetryOn.GRPC_RESOURCE_EXHAUSTED, MeshRetryOn.GRPC_UNAVAILABLE] as string[];

/** @internal */
export class LinkerdRenderer implements MeshRenderer {
  public readonly dataplanePort = PROXY_INBOUND;
  public readonly proxyIds = { user: PROXY_UID };

  public constructor(private readonly mesh: ServiceMesh) {}

  public reservedPorts = (port: number) => PROXY_PORTS.includes(port);

  public validate(w: MeshWorkload): void {
    const o = w.options;
    const c = `${w.target.constructName}.mesh`;
    const refuse = (field: string, why: string): never => fail(w.target.scope, `${c}.${field} is set, but ${why}; remove it, or use ServiceMesh.istio().`);
    if (o.connectionPool) refuse('connectionPool', 'Linkerd has no connection-pool limits');
    if (o.outlierDetection?.maxEjectionPercent !== undefined) {
      refuse('outlierDetection.maxEjectionPercent', 'Linkerd\'s circuit breaker (consecutive failure accrual) has no limit on the share of ejected endpoints');
    }
    if (o.outlierDetection?.intervalSeconds !== undefined) {
      refuse('outlierDetection.intervalSeconds', 'Linkerd\'s circuit breaker has no evaluation interval (it probes an ejected endpoint once its penalty ends)');
    }
    if (o.faultInjection) refuse('faultInjection', 'Linkerd cannot inject faults');
    const skipped = this.tcpServicePorts(w).filter((p) => SKIPPED_PORTS.includes(containerPort(p)));
    if (skipped.length > 0) {
      const one = skipped.length === 1;
      warn(w.target.scope, `${w.target.constructName}.ports: container port${one ? '' : 's'} ${skipped.map((p) => `${containerPort(p)} ("${p.name}")`).join(', ')} ` +
        `${one ? 'is' : 'are'} skipped by the Linkerd proxy in its default installation (proxyInit.ignoreInboundPorts and ignoreOutboundPorts "4567,4568"): ` +
        'their traffic bypasses the proxy, so Linkerd neither encrypts nor authorizes it and only the NetworkPolicy guards it. ' +
        'Use other ports, or install Linkerd with those lists emptied.');
    }
    const usesRoutes = this.usesRoutes(w);
    const retries: Array<[string, MeshRetryOptions | undefined]> = [['retries', o.retries], ...(o.routes ?? []).map((r, i) => [`routes[${i}].retries`, r.retries] as [string, MeshRetryOptions | undefined])];
    for (const [field, r] of retries) {
      for (const on of r?.retryOn ?? []) {
        if (on === MeshRetryOn.CONNECT_FAILURE || on === MeshRetryOn.RESET) {
          fail(w.target.scope, `${c}.${field}.retryOn lists "${on}", but Linkerd retries on HTTP statuses and gRPC codes only; remove it, or use ServiceMesh.istio().`);
        }
        if (usesRoutes && GRPC_RETRY.includes(on)) {
          fail(w.target.scope, `${c}.${field}.retryOn lists the gRPC condition "${on}", but with routes or a canary Linkerd reads retries from HTTPRoutes, ` +
            'where retry.linkerd.io/grpc is not valid; remove the gRPC conditions, or drop routes and canary so retries go on the Service.');
        }
      }
    }
  }

  public renderNamespace(ns: MeshNamespaceTarget): void {
    ns.metadata.addAnnotation('linkerd.io/inject', 'enabled');
    ns.metadata.addAnnotation('config.linkerd.io/default-inbound-policy', 'deny');
    const cp = new WorkloadPolicy(ns.scope, 'LinkerdControlPlane', {
      name: 'allow-linkerd-control-plane', namespace: ns.name, podSelector: {}, ingress: false, labels: managedLabels(),
    });
    this.addControlPlaneRules(cp);
    // The namespace-wide NetworkPolicies of these props admit every port of every pod; an
    // AuthorizationPolicy that targets the Namespace applies to every Server (and HTTPRoute) in it.
    if (ns.allowWithinNamespace) this.namespaceAuthorization(ns, 'LinkerdAllowWithinNamespace', 'allow-within-namespace', [ns.name]);
    if (ns.allowFromNamespaces.length > 0) this.namespaceAuthorization(ns, 'LinkerdAllowFromNamespaces', 'allow-from-namespaces', ns.allowFromNamespaces);
  }

  public renderWorkload(w: MeshWorkload): void {
    const t = w.target;
    if (!w.namespaceCovered) {
      t.podMetadata.addAnnotation('linkerd.io/inject', 'enabled');
      t.podMetadata.addAnnotation('config.linkerd.io/default-inbound-policy', 'deny');
      this.addControlPlaneRules(t.networkPolicy);
    }
    for (const p of this.tcpServicePorts(w)) {
      new linkerd.ServerV1Beta3(t.scope, `LinkerdServer-${p.name}`, {
        metadata: { name: `${t.name}-${p.name}`, namespace: t.namespace, labels: managedLabels() },
        spec: { podSelector: { matchLabels: { ...t.selectorLabels } }, port: p.name, accessPolicy: 'deny' },
      });
    }

    const o = w.options;
    const od = o.outlierDetection;
    if (od) {
      const base = od.baseEjectionSeconds ?? 30;
      t.serviceMetadata.addAnnotation('balancer.linkerd.io/failure-accrual', 'consecutive');
      t.serviceMetadata.addAnnotation('balancer.linkerd.io/failure-accrual-consecutive-max-failures', String(od.consecutiveErrors));
      t.serviceMetadata.addAnnotation('balancer.linkerd.io/failure-accrual-consecutive-min-penalty', `${base}s`);
      // Linkerd backs off from min to max penalty (default max 60s); keep max >= min.
      t.serviceMetadata.addAnnotation('balancer.linkerd.io/failure-accrual-consecutive-max-penalty', `${Math.max(base, 60)}s`);
    }
    if (!this.usesRoutes(w)) {
      for (const [k, v] of Object.entries(retryAnnotations(o.retries))) t.serviceMetadata.addAnnotation(k, v);
      if (o.requestTimeoutMillis !== undefined) t.serviceMetadata.addAnnotation('timeout.linkerd.io/request', duration(o.requestTimeoutMillis));
      return;
    }
    // With an HTTPRoute attached to a Service, requests that match no route fail (GAMMA):
    // the default route catches every other path.
    const routes = [
      ...(o.routes ?? []).map((r, i) => ({ id: `route-${i}`, prefix: r.pathPrefix, retries: r.retries ?? o.retries, timeout: r.requestTimeoutMillis ?? o.requestTimeoutMillis })),
      { id: 'default', prefix: '/', retries: o.retries, timeout: o.requestTimeoutMillis },
    ];
    for (const r of routes) {
      new linkerd.HttpRouteV1Beta3(t.scope, `LinkerdHttpRoute-${r.id}`, {
        metadata: {
          name: r.id === 'default' ? t.name : `${t.name}-${r.id}`,
          namespace: t.namespace,
          labels: managedLabels(),
          annotations: retryAnnotations(r.retries),
        },
        spec: {
          parentRefs: [{ group: 'core', kind: 'Service', name: t.serviceName, port: w.trafficPort.port }],
          rules: [this.routeRule(w, r.prefix, r.timeout)],
        },
      });
    }
  }

  public onIngressRule(w: MeshWorkload, peer: IPeer, ports: Port[]): void {
    const source = meshSourceOf(peer);
    if ('problem' in source) return;
    const numbers = tcpPorts(ports, undefined);
    for (const p of this.tcpServicePorts(w)) {
      if (numbers && !numbers.includes(containerPort(p))) continue;
      if (source.kind === 'ipBlock') this.networkAuthorization(w, p);
      else this.meshTlsAuthorization(w, p);
    }
  }

  private namespaceAuthorization(ns: MeshNamespaceTarget, id: string, name: string, from: string[]) {
    new linkerd.MeshTlsAuthentication(ns.scope, `${id}Authentication`, {
      metadata: { name, namespace: ns.name, labels: managedLabels() },
      spec: { identities: from.map((n) => linkerdNamespaceIdentity(this.mesh, n)) },
    });
    new linkerd.AuthorizationPolicy(ns.scope, id, {
      metadata: { name, namespace: ns.name, labels: managedLabels() },
      spec: {
        // `group` is omitted for the core Namespace kind.
        targetRef: { kind: 'Namespace', name: ns.name },
        requiredAuthenticationRefs: [{ group: POLICY_GROUP, kind: 'MeshTLSAuthentication', name }],
      },
    });
  }

  private meshTlsAuthorization(w: MeshWorkload, p: ServicePortSpec) {
    const t = w.target;
    const id = `LinkerdMeshTlsAuthentication-${p.name}`;
    if (t.scope.node.tryFindChild(id)) return;
    const name = `${t.name}-${p.name}`;
    new linkerd.MeshTlsAuthentication(t.scope, id, {
      metadata: { name, namespace: t.namespace, labels: managedLabels() },
      spec: { identities: Lazy.any({ produce: () => this.identities(w, p) }) },
    });
    this.authorizationPolicy(t.scope, `LinkerdAuthorizationPolicy-${p.name}`, name, t.namespace, `${t.name}-${p.name}`, 'MeshTLSAuthentication');
  }

  private networkAuthorization(w: MeshWorkload, p: ServicePortSpec) {
    const t = w.target;
    const id = `LinkerdNetworkAuthentication-${p.name}`;
    if (t.scope.node.tryFindChild(id)) return;
    const name = `${t.name}-${p.name}-networks`;
    new linkerd.NetworkAuthentication(t.scope, id, {
      metadata: { name, namespace: t.namespace, labels: managedLabels() },
      spec: {
        networks: Lazy.any({
          produce: () => this.sourcesOn(w, p).filter(isIpBlock).map((s) => ({ cidr: s.cidr, except: s.except?.length ? [...s.except] : undefined })),
        }),
      },
    });
    // Authentications listed in one AuthorizationPolicy must ALL match, so networks get a policy of their own.
    this.authorizationPolicy(t.scope, `LinkerdNetworkAuthorizationPolicy-${p.name}`, name, t.namespace, `${t.name}-${p.name}`, 'NetworkAuthentication');
  }

  private authorizationPolicy(scope: Construct, id: string, name: string, namespace: string, server: string, authKind: string) {
    new linkerd.AuthorizationPolicy(scope, id, {
      metadata: { name, namespace, labels: managedLabels() },
      spec: {
        targetRef: { group: POLICY_GROUP, kind: 'Server', name: server },
        requiredAuthenticationRefs: [{ group: POLICY_GROUP, kind: authKind, name }],
      },
    });
  }

  /** The sources of the ingress connections that cover port `p`, at synth. */
  private sourcesOn(w: MeshWorkload, p: ServicePortSpec): MeshSource[] {
    const out: MeshSource[] = [];
    for (const rule of w.target.networkPolicy.ingressRules) {
      const numbers = tcpPorts(rule.ports, PROXY_INBOUND);
      if (numbers && !numbers.includes(containerPort(p))) continue;
      const source = meshSourceOf(rule.peer);
      if (!('problem' in source)) out.push(source);
    }
    return out;
  }

  private identities(w: MeshWorkload, p: ServicePortSpec): string[] {
    const ids: string[] = [];
    for (const s of this.sourcesOn(w, p)) {
      const id = s.kind === 'workload' ? this.mesh.identityOf(s.serviceAccount, s.namespace)
        : s.kind === 'namespace' ? linkerdNamespaceIdentity(this.mesh, s.namespace)
          : s.kind === 'anyIdentity' ? '*' : undefined;
      if (id !== undefined && !ids.includes(id)) ids.push(id);
    }
    return ids;
  }

  private routeRule(w: MeshWorkload, prefix: string, timeout: number | undefined): HttpRouteV1Beta3SpecRules {
    const o = w.options;
    const port = w.trafficPort.port;
    const backendRefs = [{ name: w.target.serviceName, port, weight: o.canary ? 100 - o.canary.weightPercent : undefined }];
    if (o.canary) {
      const canary = meshWorkloadOf(o.canary.service)!;
      const canaryPort = canary.target.ports.find((x) => x.name === w.trafficPort.name)!.port;
      backendRefs.push({ name: canary.target.serviceName, port: canaryPort, weight: o.canary.weightPercent });
    }
    return {
      matches: [{ path: { type: linkerd.HttpRouteV1Beta3SpecRulesMatchesPathType.PATH_PREFIX, value: prefix } }],
      backendRefs,
      timeouts: timeout !== undefined ? { request: duration(timeout) } : undefined,
    };
  }

  private usesRoutes(w: MeshWorkload): boolean {
    return (w.options.routes?.length ?? 0) > 0 || w.options.canary !== undefined;
  }

  private tcpServicePorts(w: MeshWorkload): ServicePortSpec[] {
    // Linkerd proxies TCP only; UDP and SCTP bypass the proxy and stay under the NetworkPolicy alone.
    return w.target.ports.filter((p) => (p.protocol ?? Protocol.TCP) === Protocol.TCP);
  }

  private addControlPlaneRules(policy: WorkloadPolicy) {
    const ns = this.mesh.controlPlaneNamespace;
    // linkerd-destination serves discovery (8086) and, in its policy container, policy (8090);
    // linkerd-identity issues certificates (8080).
    policy.addEgressRule(Peer.pods({ labels: { 'linkerd.io/control-plane-component': 'destination' }, namespace: ns }), [Port.tcp(8086), Port.tcp(8090)]);
    policy.addEgressRule(Peer.pods({ labels: { 'linkerd.io/control-plane-component': 'identity' }, namespace: ns }), [Port.tcp(8080)]);
  }
}

function isIpBlock(s: MeshSource): s is Extract<MeshSource, { kind: 'ipBlock' }> {
  return s.kind === 'ipBlock';
}

/** `retry.linkerd.io/*` annotations for a retry policy; attempts 0 writes none (Linkerd does not retry by default). */
function retryAnnotations(r: MeshRetryOptions | undefined): { [key: string]: string } {
  if (!r || r.attempts === 0) return {};
  const on = r.retryOn ?? [MeshRetryOn.GATEWAY_ERROR];
  const http = on.filter((x) => HTTP_RETRY[x] !== undefined).map((x) => HTTP_RETRY[x]);
  const grpc = on.filter((x) => GRPC_RETRY.includes(x));
  const out: { [key: string]: string } = {};
  if (http.length) out['retry.linkerd.io/http'] = http.join(',');
  if (grpc.length) out['retry.linkerd.io/grpc'] = grpc.join(',');
  out['retry.linkerd.io/limit'] = String(r.attempts);
  if (r.perTryTimeoutMillis !== undefined) out['retry.linkerd.io/timeout'] = duration(r.perTryTimeoutMillis);
  return out;
}
