import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { appManifests, chartManifests } from '../analysis/from-chart';
import { RouteEntry, routeTable, routeTableDifferences } from '../analysis/routes';

export type { RouteEntry } from '../analysis/routes';

/** Options of `RouteTable.routesDifferentlyThan` and `RouteTable.expectSame`. */
export interface SameRoutesOptions {
  /**
   * Also compare what is served over plain HTTP. By default only the routes served over TLS are
   * compared: an Ingress redirects plain HTTP by annotation (no row) or by a second Ingress,
   * Gateway API by a redirect route on the HTTP listener.
   * @default false
   */
  readonly includePlainHttp?: boolean;
}

/**
 * The route table of the Ingresses and Gateway API routes (HTTPRoute, GRPCRoute) a chart or app
 * synthesizes to: host, path match, backend Service and port number, TLS — the same table as
 * `cdk8s-net routes`. Two renderings route identically when their tables are equal.
 *
 * @example
 * const ingress = RouteTable.fromChart(ingressChart);
 * const gateway = RouteTable.fromChart(gatewayChart);
 * expect(ingress.routesDifferentlyThan(gateway)).toEqual([]);
 */
export class RouteTable {
  /** The routes of one chart. */
  public static fromChart(chart: Chart): RouteTable {
    return new RouteTable(routeTable(chartManifests(chart)));
  }

  /** The routes of every chart of an app. */
  public static fromApp(app: App): RouteTable {
    return new RouteTable(routeTable(appManifests(app)));
  }

  /** The routes of manifests (parsed objects). */
  public static fromManifests(objects: any[]): RouteTable {
    return new RouteTable(routeTable(objects));
  }

  /**
   * Throws unless `a` and `b` (each a Chart or an App) route identically: the proof that a
   * migration from Ingress to Gateway API (or any refactor) keeps every route. The message lists
   * the routes only one of them has.
   */
  public static expectSame(a: Construct, b: Construct, options: SameRoutesOptions = {}): void {
    const diff = RouteTable.of(a).routesDifferentlyThan(RouteTable.of(b), options);
    if (diff.length > 0) {
      throw new Error(`the two route differently (- only in the first, + only in the second):\n  ${diff.join('\n  ')}`);
    }
  }

  private static of(x: Construct): RouteTable {
    if (x instanceof App) return RouteTable.fromApp(x);
    if (x instanceof Chart) return RouteTable.fromChart(x);
    throw new Error(`RouteTable.expectSame: expected a Chart or an App, got ${x?.node?.path ?? typeof x}.`);
  }

  private constructor(private readonly rows: RouteEntry[]) {}

  /** The rows, sorted by host and path. */
  public get entries(): RouteEntry[] {
    return [...this.rows];
  }

  /**
   * How this table differs from `other`, ignoring the kind and name of the objects: `- route`
   * for a route only this table has, `+ route` for one only `other` has. Empty when both route
   * identically.
   */
  public routesDifferentlyThan(other: RouteTable, options: SameRoutesOptions = {}): string[] {
    const keep = (rows: RouteEntry[]) => (options.includePlainHttp ? rows : rows.filter((r) => r.tls));
    const d = routeTableDifferences(keep(this.rows), keep(other.rows));
    return [...d.onlyInFirst.map((l) => `- ${l}`), ...d.onlyInSecond.map((l) => `+ ${l}`)];
  }
}
