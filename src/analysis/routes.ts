/**
 * The route table that Ingresses and Gateway API routes (HTTPRoute, GRPCRoute) define: host, path
 * match, backend Service and port number, TLS. Both kinds read alike (HTTPRoute `PathPrefix` is
 * `Prefix`), so the same routing rendered as Ingress and as Gateway API gives equal tables: the
 * proof of a migration (`cdk8s-net routes`, `expectSameRoutes`).
 */
import { asArray as arr, isGatewayApi, namespaceOf as nsOf } from './manifest-fields';
import { gatewayParentRefs, selectedListeners } from './rules/gateway-model';
import { hostCovered } from '../core/names';

/** One row of the route table. */
export interface RouteEntry {
  /** `Ingress`, `HTTPRoute` or `GRPCRoute`. */
  readonly kind: string;
  /** `namespace/name` of the object. */
  readonly name: string;
  /** The host (`*` when the object names none). */
  readonly host: string;
  /** The path (`/` when the object matches every path; a gRPC service or method as `/service[/method]`). */
  readonly path: string;
  /** `Prefix` or `Exact` (HTTPRoute `PathPrefix` reads as `Prefix`), or the match type as written for others. */
  readonly pathType: string;
  /**
   * `namespace/service:port`, the port as a number when the Service is in the input (a named port
   * is resolved through it), else as written.
   * @default - none: a redirect-only route
   */
  readonly backend?: string;
  /**
   * Share of requests, for a route with several weighted backends (canary).
   * @default - the only backend
   */
  readonly weight?: number;
  /**
   * `https` for a route that only redirects to HTTPS.
   * @default - not a redirect
   */
  readonly redirect?: string;
  /** Whether requests arrive over TLS (an Ingress `spec.tls` host, or an HTTPS listener). */
  readonly tls: boolean;
}


/** The route table of `objects`, sorted by host, path, kind and name. */
export function routeTable(objects: readonly any[]): RouteEntry[] {
  const services = new Map<string, any>();
  const gateways = new Map<string, any>();
  for (const o of objects) {
    if (o?.kind === 'Service' && o?.apiVersion === 'v1') services.set(`${nsOf(o)}/${o.metadata?.name}`, o);
    if (isGatewayApi(o) && o.kind === 'Gateway') gateways.set(`${nsOf(o)}/${o.metadata?.name}`, o);
  }
  const backend = (ns: string, name: unknown, port: { name?: unknown; number?: unknown }): string | undefined => {
    if (typeof name !== 'string') return undefined;
    let p: unknown = port.number;
    if (p === undefined && port.name !== undefined) {
      const svc = services.get(`${ns}/${name}`);
      p = arr(svc?.spec?.ports).find((x) => x?.name === port.name)?.port ?? port.name;
    }
    return `${ns}/${name}:${p ?? ''}`;
  };
  // Traefik: an Ingress whose router middlewares include a redirectScheme Middleware redirects every request.
  const redirectMiddlewares = new Map<string, string>();
  for (const o of objects) {
    if (o?.kind === 'Middleware' && String(o?.apiVersion ?? '').startsWith('traefik.io/') && typeof o.spec?.redirectScheme?.scheme === 'string') {
      redirectMiddlewares.set(`${nsOf(o)}-${o.metadata?.name}@kubernetescrd`, o.spec.redirectScheme.scheme);
    }
  }
  const redirectOf = (ingress: any): string | undefined => {
    const refs = String(ingress?.metadata?.annotations?.['traefik.ingress.kubernetes.io/router.middlewares'] ?? '').split(',').map((r) => r.trim());
    return refs.map((r) => redirectMiddlewares.get(r)).find((scheme) => scheme !== undefined);
  };
  const rows: RouteEntry[] = [];
  for (const o of objects) {
    const ns = nsOf(o);
    const name = `${ns}/${o?.metadata?.name}`;
    if (o?.kind === 'Ingress' && String(o?.apiVersion ?? '').startsWith('networking.k8s.io/')) {
      const tlsHosts = arr(o.spec?.tls).flatMap((t) => arr(t?.hosts));
      for (const r of arr(o.spec?.rules)) {
        const host = typeof r?.host === 'string' ? r.host : '*';
        for (const p of arr(r?.http?.paths)) {
          const svc = p?.backend?.service;
          const redirect = redirectOf(o);
          rows.push({
            kind: 'Ingress',
            name,
            host,
            path: p?.path ?? '/',
            pathType: p?.pathType ?? 'Prefix',
            backend: svc && !redirect ? backend(ns, svc.name, svc.port ?? {}) : undefined,
            redirect,
            tls: tlsHosts.some((h) => h === host || hostCovered(h, host)),
          });
        }
      }
    } else if (isGatewayApi(o) && (o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute')) {
      const hosts = arr(o.spec?.hostnames).length > 0 ? arr(o.spec.hostnames) : ['*'];
      // Only parentRefs to Gateways (a GAMMA parentRef to a Service names no listener).
      const listeners = gatewayParentRefs(o).flatMap((ref) => selectedListeners(gateways.get(`${ref.namespace}/${ref.name}`), ref.sectionName));
      const tlsFor = (host: string) => listeners.some((l) => (l?.protocol === 'HTTPS' || l?.protocol === 'TLS')
        && (l?.hostname === undefined || l.hostname === host || hostCovered(l.hostname, host)));
      for (const rule of arr(o.spec?.rules)) {
        const matches = arr(rule?.matches).length > 0 ? arr(rule.matches) : [{}];
        const redirect = arr(rule?.filters).find((f) => f?.type === 'RequestRedirect')?.requestRedirect;
        const refs = arr(rule?.backendRefs).filter((b) => (b?.kind ?? 'Service') === 'Service' && (b?.group ?? '') === '');
        const weighted = refs.length > 1;
        for (const m of matches) {
          // Rules that match headers (a header canary) are listed with the header in the path type.
          const headers = arr(m?.headers).map((h) => `${h?.name}=${h?.value}`);
          const { path, pathType } = o.kind === 'GRPCRoute' ? grpcPath(m) : httpPath(m);
          const type = headers.length > 0 ? `${pathType}+header(${headers.join(',')})` : pathType;
          for (const host of hosts) {
            const tls = tlsFor(host);
            if (redirect && refs.length === 0) {
              rows.push({ kind: o.kind, name, host, path, pathType: type, redirect: redirect.scheme ?? 'redirect', tls });
              continue;
            }
            for (const b of refs) {
              rows.push({
                kind: o.kind,
                name,
                host,
                path,
                pathType: type,
                backend: backend(typeof b.namespace === 'string' ? b.namespace : ns, b.name, { number: b.port }),
                weight: weighted ? (b.weight ?? 1) : undefined,
                tls,
              });
            }
          }
        }
      }
    }
  }
  return rows.sort((a, b) => a.host.localeCompare(b.host) || a.path.localeCompare(b.path) || a.kind.localeCompare(b.kind)
    || a.name.localeCompare(b.name) || (a.backend ?? '').localeCompare(b.backend ?? ''));
}

function httpPath(m: any): { path: string; pathType: string } {
  const type = m?.path?.type ?? 'PathPrefix';
  return { path: m?.path?.value ?? '/', pathType: type === 'PathPrefix' ? 'Prefix' : type };
}

function grpcPath(m: any): { path: string; pathType: string } {
  const method = m?.method;
  if (!method?.service) return { path: '/', pathType: 'Prefix' };
  return method.method ? { path: `/${method.service}/${method.method}`, pathType: 'Exact' } : { path: `/${method.service}`, pathType: 'Prefix' };
}

/** What two route tables route differently: rows only in `a`, rows only in `b`, compared on host, path, type, backend, weight, redirect and TLS. */
export function routeTableDifferences(a: readonly RouteEntry[], b: readonly RouteEntry[]): { onlyInFirst: string[]; onlyInSecond: string[] } {
  const key = (r: RouteEntry) => `${r.host}${r.path} (${r.pathType}) -> ${r.backend ?? `redirect ${r.redirect}`}${r.weight !== undefined ? ` weight ${r.weight}` : ''}${r.tls ? ' [tls]' : ''}`;
  const ka = a.map(key);
  const kb = b.map(key);
  const minus = (x: string[], y: string[]) => {
    const rest = [...y];
    return x.filter((k) => {
      const i = rest.indexOf(k);
      if (i < 0) return true;
      rest.splice(i, 1);
      return false;
    });
  };
  return { onlyInFirst: minus(ka, kb), onlyInSecond: minus(kb, ka) };
}

/** The table as text: one route per line. */
export function renderRouteTable(rows: readonly RouteEntry[]): string {
  return rows.map((r) => `${r.host}${r.path} (${r.pathType}) -> ${r.backend ?? `redirect to ${r.redirect}`}${r.weight !== undefined ? ` (weight ${r.weight})` : ''}`
    + `${r.tls ? ' [tls]' : ''}  ${r.kind} ${r.name}\n`).join('');
}
