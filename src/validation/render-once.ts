/*
 * Rendering the app once per synth, shared by app-wide validation and the manifests.
 *
 * cdk8s's `App.synth()` validates the app (our `AppValidation` renders every ApiObject to check
 * it), then, for each chart, calls `chart.toJson()`, which validates the whole app again and then
 * renders the chart's objects (cdk8s 2.70, lib/app.js `synth` and `_synthChart`; `Testing.synth`
 * is `chart.toJson()`). Without sharing, with one chart every object was rendered three times by
 * `app.synth()` and twice by `Testing.synth()`.
 *
 * The library knows when a synth runs because it wraps, on the app's root and on each chart
 * (the instances, never cdk8s's classes), the methods that synthesize: `synth()` and
 * `synthYaml()` of the app, `toJson()` of a chart. While one of them runs (a *synth*), no user
 * code runs between a validation pass and the rendering of the charts (cdk8s only orders the
 * objects and the charts), so:
 * - the first validation of a synth renders every object (the only rendering) and keeps the
 *   renderings;
 * - the later validations of the same synth reuse its findings;
 * - each object's next `toJson()` in the synth returns its kept rendering, once (an object
 *   rendered again in the same synth renders afresh).
 * When the outermost of those methods returns or throws, everything kept is dropped: changes made
 * between two synths show in the next one. Outside a synth (`AppValidation.findings()`, a direct
 * `node.validate()`, a chart whose `toJson` was replaced by the user) nothing is kept and every
 * object renders as cdk8s renders it.
 *
 * Not exported from the package.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The app's ApiObjects rendered by one validation pass. */
export interface RenderedApp {
  /** Each ApiObject that rendered, with its JSON, in construct-tree order. */
  readonly rendered: ReadonlyArray<readonly [ApiObject, any]>;
  /** Whether every ApiObject rendered. */
  readonly complete: boolean;
  /** The first ApiObject that threw when rendered, and what it threw. */
  readonly failed?: readonly [ApiObject, unknown];
}

/** Marks the synth methods this module wrapped (so a construct is never wrapped twice). */
const WRAPPED = Symbol.for('cdk8s-secure-networking.render-once');

/** The render caches, by the root of their construct tree. */
const CACHES = new WeakMap<IConstruct, RenderCache>();

/**
 * The synths in progress in one app, and what their first validation rendered.
 * @internal
 */
export class RenderCache<S = unknown> {
  /** The render cache of the app `scope` belongs to; the first call wraps the app's synth methods. */
  public static of<S>(scope: IConstruct): RenderCache<S> {
    const root = scope.node.root;
    let cache = CACHES.get(root) as RenderCache<S> | undefined;
    if (!cache) {
      cache = new RenderCache<S>();
      CACHES.set(root, cache);
      cache.wrap(root, 'synth');
      cache.wrap(root, 'synthYaml');
    }
    return cache;
  }

  /** What the first validation of the current synth left for the later ones; dropped when it ends. */
  public session?: S;

  /** How many synth methods of this app are running (they nest: `app.synth()` calls `chart.toJson()`). */
  private depth = 0;
  /** Renderings kept for the objects' next `toJson()`. */
  private readonly kept = new Map<ApiObject, any>();
  /** The `toJson` of an object with a kept rendering (one function for all of them): hands the rendering out, once. */
  private readonly handOut: (this: ApiObject) => any;

  private constructor() {
    const cache = this;
    this.handOut = function (this: ApiObject) {
      // Called on another receiver than an object it was installed on: render that one afresh.
      if (!cache.kept.has(this)) return Object.getPrototypeOf(this).toJson.call(this);
      const json = cache.kept.get(this);
      cache.release(this);
      return json;
    };
  }

  /** Whether a synth of this app is running. */
  public get inSynth(): boolean {
    return this.depth > 0;
  }

  /** Wraps `toJson()` of the chart `scope` belongs to, if it has one, so that it counts as a synth. */
  public watchChart(scope: IConstruct): void {
    const chart = scope.node.scopes.slice().reverse().find((s) => Chart.isChart(s));
    if (chart) this.wrap(chart, 'toJson');
  }

  /**
   * Renders every ApiObject under `root` (and wraps every chart met on the way). With `keep`,
   * inside a synth, each rendering is handed out by the object's next `toJson()` in this synth.
   */
  public render(root: IConstruct, keep: boolean): RenderedApp {
    const rendered: Array<[ApiObject, any]> = [];
    let failed: [ApiObject, unknown] | undefined;
    for (const c of root.node.findAll()) {
      if (!(c instanceof ApiObject)) {
        if (Chart.isChart(c)) this.wrap(c, 'toJson');
        continue;
      }
      try {
        rendered.push([c, c.toJson()]);
      } catch (e) {
        failed ??= [c, e];
      }
    }
    if (keep && this.inSynth) {
      for (const [obj, json] of rendered) this.keep(obj, json);
    }
    return { rendered, complete: failed === undefined, failed };
  }

  private keep(obj: ApiObject, json: any): void {
    // An object whose toJson the user replaced on the instance renders as the user said, each time.
    if (this.kept.has(obj) || Object.prototype.hasOwnProperty.call(obj, 'toJson')) return;
    Object.defineProperty(obj, 'toJson', { configurable: true, writable: true, enumerable: false, value: this.handOut });
    this.kept.set(obj, json);
  }

  /** Gives `obj` its own `toJson()` back (unless the user replaced ours meanwhile). */
  private release(obj: ApiObject): void {
    if (!this.kept.delete(obj)) return;
    if (Object.getOwnPropertyDescriptor(obj, 'toJson')?.value === this.handOut) {
      delete (obj as { toJson?: unknown }).toJson;
    }
  }

  private enter(): void {
    this.depth++;
  }

  private exit(): void {
    this.depth--;
    if (this.depth > 0) return;
    this.depth = 0;
    this.session = undefined;
    for (const obj of [...this.kept.keys()]) this.release(obj);
  }

  /** Makes `target.method()` a synth of this app: on the instance, calling what it had before. */
  private wrap(target: IConstruct, method: 'synth' | 'synthYaml' | 'toJson'): void {
    const t = target as unknown as { [m: string]: unknown };
    const original = t[method];
    if (typeof original !== 'function' || (original as { [WRAPPED]?: boolean })[WRAPPED]) return;
    const cache = this;
    const synth = function (this: unknown, ...args: unknown[]) {
      cache.enter();
      try {
        return original.apply(this, args);
      } finally {
        cache.exit();
      }
    };
    Object.defineProperty(synth, WRAPPED, { value: true });
    Object.defineProperty(target, method, { configurable: true, writable: true, enumerable: false, value: synth });
  }
}
