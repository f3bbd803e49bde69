/*
 * Rendering the app once per `App.synth()`, shared by app-wide validation and the manifests.
 *
 * cdk8s's `App.synth()` validates the app (our `AppValidation` renders every ApiObject to check
 * it), then, for each chart, calls `chart.toJson()`, which validates the whole app again and then
 * renders the chart's objects (cdk8s 2.70, lib/app.js `synth` and `_synthChart`). So with one
 * chart every object was rendered three times, with N charts N + 2 times.
 *
 * Within one `App.synth()` no user code runs between its first validation and the rendering of
 * the charts, so the first validation's rendering is what the charts would render. Here:
 * - the validation run directly by `App.synth()` renders every object (the only rendering);
 * - the validations that `chart.toJson()` runs inside that `App.synth()` reuse its result;
 * - once the first of them has run (so every validation of the app passed), each object's next
 *   `toJson()` returns that rendering instead of rendering again, once.
 * A handed-out rendering is valid only for the generation it was made in: any other validation
 * pass (`Testing.synth`, `chart.toJson()` by the user, `AppValidation.findings()`) and the end of
 * the current task (a microtask) start a new generation, after which objects render afresh. When a
 * validation is not recognisably part of `App.synth()` (other cdk8s versions, bundled code, a
 * stack trace limit of 0), nothing is shared and everything renders as before.
 *
 * Not exported from the package.
 */
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** Where a validation pass runs. */
export enum SynthStage {
  /** Directly in `App.synth()` (its first validation). */
  APP_SYNTH = 'app-synth',
  /** In `chart.toJson()` called by `App.synth()`. */
  CHART_IN_APP_SYNTH = 'chart-in-app-synth',
  /** Anywhere else (`Testing.synth`, `chart.toJson()`, `app.synthYaml()`, a direct call). */
  OTHER = 'other',
}

const CDK8S_APP_JS = `${path.sep}cdk8s${path.sep}lib${path.sep}app.js`;

/** The stage of the current validation pass, from the call stack (cdk8s's lib/app.js frames). */
export function synthStage(): SynthStage {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  let sites: NodeJS.CallSite[] = [];
  try {
    Error.prepareStackTrace = (_e, s) => s;
    Error.stackTraceLimit = 25;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, synthStage);
    sites = Array.isArray(holder.stack) ? holder.stack : [];
  } catch {
    sites = [];
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
  let inSynthChart = false;
  let inAppSynth = false;
  for (const site of sites) {
    const file = site.getFileName() ?? '';
    if (!file.endsWith(CDK8S_APP_JS)) continue;
    const fn = site.getFunctionName();
    if (fn === '_synthChart') inSynthChart = true;
    if (fn === 'synth') inAppSynth = true;
  }
  if (inAppSynth && inSynthChart) return SynthStage.CHART_IN_APP_SYNTH;
  if (inAppSynth) return SynthStage.APP_SYNTH;
  return SynthStage.OTHER;
}

let generation = 0;

/** The app's ApiObjects rendered by one validation pass. */
export interface RenderedApp {
  /** The generation the renderings belong to. */
  readonly generation: number;
  /** Each ApiObject that rendered, with its JSON, in construct-tree order. */
  readonly rendered: ReadonlyArray<readonly [ApiObject, any]>;
  /** Whether every ApiObject rendered (one that throws fails synth on its own, with its own error). */
  readonly complete: boolean;
}

/** Renders every ApiObject under `root`, in a new generation (so no earlier rendering is handed out). */
export function renderApp(root: IConstruct): RenderedApp {
  const gen = ++generation;
  const rendered: Array<[ApiObject, any]> = [];
  let complete = true;
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    try {
      rendered.push([c, c.toJson()]);
    } catch {
      complete = false;
    }
  }
  return { generation: gen, rendered, complete };
}

/** Whether generation `gen` is still the current one (nothing rendered afresh since). */
export function isCurrent(gen: number): boolean {
  return gen === generation;
}

/**
 * Makes the next `toJson()` of each object return its rendering from `app`, once, while `app`'s
 * generation is current; the generation ends with the current task.
 */
export function handOut(app: RenderedApp): void {
  const gen = app.generation;
  for (const [obj, json] of app.rendered) {
    if (Object.prototype.hasOwnProperty.call(obj, 'toJson')) continue;
    Object.defineProperty(obj, 'toJson', {
      configurable: true,
      writable: true,
      enumerable: false,
      value: () => {
        delete (obj as { toJson?: unknown }).toJson;
        return gen === generation ? json : obj.toJson();
      },
    });
  }
  queueMicrotask(() => {
    if (generation === gen) generation++;
  });
}
