/**
 * What the Gateway API rules (NET021-NET025) share: the Gateways, routes, namespaces and
 * ReferenceGrants of the input, and the attachment semantics of the Gateway API spec
 * (gateway.networking.k8s.io/v1, kubernetes-sigs/gateway-api v1.6.1 apis/v1/gateway_types.go:
 * `allowedRoutes.namespaces.from` defaults to Same; an empty hostname matches every host).
 */
import { ManifestIndex } from './manifest-index';
import { asArray, namespaceOf, SourcedObject } from './rule';
import { hostCovered } from '../../core/names';
import { matchesSelector, parseSelector } from '../label-selector';
import { isGatewayApi } from '../manifest-fields';

export { isGatewayApi };

/** Route kinds that attach to Gateways with parentRefs. */
export const GATEWAY_ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

export function isRoute(obj: any): boolean {
  return isGatewayApi(obj) && GATEWAY_ROUTE_KINDS.includes(obj?.kind);
}

/** The Gateway API objects of the input, by `namespace/name`. */
export interface GatewayInput {
  readonly gateways: Map<string, SourcedObject>;
  /** Labels of the Namespace objects of the input. */
  readonly namespaceLabels: Map<string, Record<string, string>>;
  readonly grants: any[];
}

export function gatewayInput(objects: readonly SourcedObject[]): GatewayInput {
  const index = ManifestIndex.of(objects);
  return index.memo('gatewayInput', () => {
    const gateways = new Map<string, SourcedObject>();
    const namespaceLabels = new Map<string, Record<string, string>>();
    for (const o of index.ofKind('Namespace')) {
      const obj = o.object;
      if (typeof obj.metadata?.name === 'string') namespaceLabels.set(obj.metadata.name, { ...(obj.metadata.labels ?? {}) });
    }
    for (const o of index.ofKind('Gateway')) {
      if (isGatewayApi(o.object)) gateways.set(`${namespaceOf(o.object)}/${o.object.metadata?.name}`, o);
    }
    const grants = index.ofKind('ReferenceGrant').filter((o) => isGatewayApi(o.object)).map((o) => o.object);
    return { gateways, namespaceLabels, grants };
  });
}

/** The Gateway API routes of the input (every kind of `GATEWAY_ROUTE_KINDS`), in input order. */
function gatewayRoutes(objects: readonly SourcedObject[]): readonly SourcedObject[] {
  return ManifestIndex.of(objects).ofKinds(GATEWAY_ROUTE_KINDS).filter((o) => isRoute(o.object));
}

/** A route's parentRef to a Gateway, with the namespace filled in. */
export interface GatewayParentRef {
  /** Position in `spec.parentRefs`. */
  readonly index: number;
  readonly name: string;
  readonly namespace: string;
  readonly sectionName?: string;
}

/** A route's parentRefs to Gateways, with the namespace filled in. */
export function gatewayParentRefs(route: any): GatewayParentRef[] {
  return asArray(route?.spec?.parentRefs).map((p, index) => ({ p, index }))
    .filter(({ p }) => (p?.kind ?? 'Gateway') === 'Gateway' && (p?.group ?? 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io' && typeof p?.name === 'string')
    .map(({ p, index }) => ({ index, name: p.name, namespace: typeof p.namespace === 'string' ? p.namespace : namespaceOf(route), sectionName: p.sectionName }));
}

/**
 * One attachment a route asks for: a parentRef to a Gateway, that Gateway when the input has it,
 * and the listeners the parentRef selects (none when the Gateway is not in the input).
 */
export interface RouteAttachment {
  readonly route: SourcedObject;
  readonly ref: GatewayParentRef;
  readonly gateway?: SourcedObject;
  readonly listeners: readonly any[];
}

/**
 * Every route -> parentRef -> Gateway -> listeners resolution of the input, in input order (route,
 * then parentRef): resolved once per input and shared by the rules that check attachments.
 */
export function routeAttachments(objects: readonly SourcedObject[]): readonly RouteAttachment[] {
  return ManifestIndex.of(objects).memo('routeAttachments', () => {
    const input = gatewayInput(objects);
    return gatewayRoutes(objects).flatMap((route) => gatewayParentRefs(route.object).map((ref) => {
      const gateway = input.gateways.get(`${ref.namespace}/${ref.name}`);
      return { route, ref, gateway, listeners: gateway ? selectedListeners(gateway.object, ref.sectionName) : [] };
    }));
  });
}

/** The listeners a parentRef selects (all, or the one named by sectionName). */
export function selectedListeners(gateway: any, sectionName?: string): any[] {
  const all = asArray(gateway?.spec?.listeners);
  return sectionName === undefined ? all : all.filter((l) => l?.name === sectionName);
}

/** Whether a listener admits routes of `kind` from namespace `ns`. */
export function listenerAdmits(input: GatewayInput, gateway: any, listener: any, kind: string, ns: string): boolean {
  const kinds = asArray(listener?.allowedRoutes?.kinds);
  if (kinds.length > 0 && !kinds.some((k) => k?.kind === kind)) return false;
  const from = listener?.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return ns === namespaceOf(gateway);
  if (from === 'Selector') {
    // Every namespace carries kubernetes.io/metadata.name (NamespaceDefaultLabelName, GA in Kubernetes 1.22).
    const labels = { ...(input.namespaceLabels.get(ns) ?? {}), 'kubernetes.io/metadata.name': ns };
    try {
      return matchesSelector(parseSelector(listener?.allowedRoutes?.namespaces?.selector ?? {}, 'selector', gateway?.metadata?.name), labels);
    } catch {
      return false;
    }
  }
  return false;
}

/** Whether a route hostname and a listener hostname intersect (an absent hostname matches every host). */
export function hostnamesIntersect(routeHosts: string[], listenerHost: string | undefined): boolean {
  if (listenerHost === undefined || routeHosts.length === 0) return true;
  return routeHosts.some((h) => h === listenerHost || hostCovered(listenerHost, h) || hostCovered(h, listenerHost));
}

/** Whether a ReferenceGrant in `toNamespace` lets `fromKind` objects of `fromNamespace` refer to `toKind` `toName`. */
export function granted(input: GatewayInput, fromGroup: string, fromKind: string, fromNamespace: string,
  toNamespace: string, toGroup: string, toKind: string, toName: string): boolean {
  return input.grants.some((g) => namespaceOf(g) === toNamespace
    && asArray(g.spec?.from).some((f) => (f?.group ?? '') === fromGroup && f?.kind === fromKind && f?.namespace === fromNamespace)
    && asArray(g.spec?.to).some((t) => (t?.group ?? '') === toGroup && t?.kind === toKind && (t?.name === undefined || t.name === toName)));
}
