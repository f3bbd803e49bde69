import { ApiObject } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';
import { RenderCache, RenderedApp } from './render-once';
import { checkManifests, SYNTH_RULE_IDS } from './rule-set';
import { SourcedObject } from '../analysis/rules';
import { failCall } from '../core/errors';
import { dns1123LabelProblem } from '../core/names';
import { unreportedValueProblems } from '../core/value-checks';

/** One problem found by `AppValidation`. */
export interface AppValidationFinding {
  /** The stable rule id (`NET010`), shared with `cdk8s-net check`. */
  readonly ruleId: string;
  /** The rule name (`service-selector-matches-no-pods`). */
  readonly ruleName: string;
  /** The construct path of the ApiObject the finding is about (`prod/Api/Service/Resource`). */
  readonly constructPath: string;
  /** `Kind namespace/name` of the object. */
  readonly resource: string;
  /**
   * The field, as a path in the object (`spec.selector`).
   * @default - the whole object
   */
  readonly field?: string;
  /** What is wrong, with the value, and what to do. */
  readonly message: string;
}

/** Every `AppValidation`, by the root of its construct tree (the App). */
const INSTANCES = new WeakMap<IConstruct, AppValidation>();

/**
 * App-wide checks that run when the app is synthesized: problems no single construct can see,
 * because they are about how objects of the whole app fit together.
 *
 * It is registered on the app root (`node.addValidation`) the first time a construct of this
 * library is created in the app, so `app.synth()`, `cdk8s synth` and `chart.toJson()`
 * (`Testing.synth`) fail with the list of all problems, each reported on the construct path of
 * the ApiObject it is about (`[prod/Api/Service/Resource] NET010 ...`).
 *
 * It checks the objects of this library's constructs and of every scope passed to `include()`,
 * against every object of the app (pods of other charts count):
 *
 * - NET010: a Service selector matches no pod template of the app;
 * - NET011 / NET014: a named targetPort, or a probe port, is not a container port;
 * - NET015: an Ingress or Gateway API route backend, or its port, does not exist;
 * - NET016: a TLS host does not cover a rule host;
 * - NET017: two Ingresses of one class claim the same host and path;
 * - NET013: a NetworkPolicy (including ones added through escape hatches) selects no pod;
 * - NET019: a connection names pods in a namespace that the app neither creates nor uses and
 *   that is not declared external (`declareExternalNamespaces`; a whole-namespace peer such as
 *   `Peer.namespace('monitoring')` or `NamespaceRef.named('monitoring')` is its own declaration);
 * - NET018: a StatefulSet's serviceName names no headless Service;
 * - NET020: two objects are one Kubernetes object (the same API group, kind, namespace and
 *   name; cluster-scoped kinds by name), e.g. two SecureServices named `api` in one namespace.
 *
 * One object is exempted from one rule with the annotation
 * `ignore-check.cdk8s-net.io/<rule-name>: <reason>`. The same rules run outside synth in the
 * cdk8s-cli plugin `SecureNetworkingValidation` and in `cdk8s-net check`.
 *
 * @example
 * const validation = AppValidation.of(app);
 * validation.include(legacyChart);                        // also check these plain ApiObjects
 * validation.declareExternalNamespaces('monitoring');     // Peer.pods({ namespace: 'monitoring', ... })
 * validation.skipRule('NET013', 'policies for pods deployed by Helm');
 */
export class AppValidation {
  /** The validation of the app that `scope` belongs to; registers it on the app root on first use. */
  public static of(scope: IConstruct): AppValidation {
    const root = scope.node.root;
    let v = INSTANCES.get(root);
    if (!v) {
      v = new AppValidation(root);
      INSTANCES.set(root, v);
    }
    return v;
  }

  /**
   * Marks `scope` as a construct of this library: its objects are checked. Called by the
   * constructs themselves.
   * @internal
   */
  public static _register(scope: IConstruct): void {
    const v = AppValidation.of(scope);
    v.owned.add(scope);
    v.renders.watchChart(scope);
  }

  private readonly owned = new Set<IConstruct>();
  private readonly included = new Set<IConstruct>();
  private readonly externalNamespaces = new Set<string>();
  private readonly skipped = new Map<string, string>();
  private disabled = false;
  /** The findings of the last validation pass, by ApiObject. */
  private lastFindings = new Map<IConstruct, AppValidationFinding[]>();
  /** ApiObjects that report their findings themselves (see `validateApp`). */
  private readonly hooked = new WeakSet<IConstruct>();
  /** The synths of the app in progress, and what their first validation rendered (render-once.ts). */
  private readonly renders: RenderCache<SynthSession>;

  private constructor(private readonly root: IConstruct) {
    this.renders = RenderCache.of<SynthSession>(root);
    root.node.addValidation({ validate: () => this.validateApp() });
  }

  /** Whether the checks run at synth. */
  public get enabled(): boolean {
    return !this.disabled;
  }

  /** The namespaces declared external so far. */
  public get declaredExternalNamespaces(): string[] {
    return [...this.externalNamespaces];
  }

  /** Turns the app-wide checks off for this app (construct-level validation still runs). */
  public disable(): void {
    this.disabled = true;
  }

  /**
   * Also checks every ApiObject under `scope` (a chart of plain ApiObjects, a construct of
   * another library, or the whole app).
   *
   * @param scope the construct whose ApiObjects are checked
   */
  public include(scope: IConstruct): void {
    if (scope.node.root !== this.root) {
      failCall(`AppValidation.include(${scope.node.path || '(root)'})`, 'the construct is in another app; include it in the AppValidation of its own app (AppValidation.of(construct)).');
    }
    this.included.add(scope);
  }

  /**
   * Declares namespaces that this app does not create but that connections may name
   * (`Peer.pods({ namespace: 'monitoring', labels })`), so NET019 accepts them.
   *
   * @param names namespace names (DNS-1123 labels)
   */
  public declareExternalNamespaces(...names: string[]): void {
    for (const name of names) {
      const problem = dns1123LabelProblem(name);
      if (problem) failCall(`AppValidation.declareExternalNamespaces('${name}')`, `"${name}" is not a namespace name; ${problem}.`);
      this.externalNamespaces.add(name);
    }
  }

  /**
   * Turns one rule off for the whole app.
   *
   * @param ruleId the rule id (`NET013`)
   * @param reason why it does not apply to this app (kept for reviewers)
   */
  public skipRule(ruleId: string, reason: string): void {
    if (!SYNTH_RULE_IDS.includes(ruleId)) {
      failCall(`AppValidation.skipRule('${ruleId}')`, `"${ruleId}" is not a rule of synth validation; use one of ${SYNTH_RULE_IDS.join(', ')}.`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') failCall(`AppValidation.skipRule('${ruleId}')`, 'the reason is empty; say why the rule does not apply to this app.');
    this.skipped.set(ruleId, reason);
  }

  /**
   * Runs the checks now and returns the findings (empty when disabled), without throwing.
   */
  public findings(): AppValidationFinding[] {
    if (this.disabled) return [];
    return this.check(this.renders.render(this.root, false));
  }

  /** The findings about the objects of `app` (objects that could not render are left out). */
  private check(app: RenderedApp): AppValidationFinding[] {
    const objects: RenderedObject[] = app.rendered.map(([c, json]) => new RenderedObject(c, json));
    const found = checkManifests(objects, {
      externalNamespaces: [...this.externalNamespaces],
      skipRules: [...this.skipped.keys()],
      isSubject: (o) => this.isSubject((o as RenderedObject).construct),
    });
    return found.map((f) => ({
      ruleId: f.ruleId,
      ruleName: f.rule,
      constructPath: f.source ?? '',
      resource: f.resource,
      field: f.field,
      message: f.message,
    }));
  }

  private isSubject(obj: IConstruct | undefined): boolean {
    if (!obj) return false;
    return obj.node.scopes.some((s) => this.owned.has(s) || this.included.has(s));
  }

  /**
   * The root's validation. cdk8s validates constructs in pre-order, so this runs first in each
   * pass: it computes the findings once and hands each offending ApiObject a validation that
   * returns its own, so cdk8s prints each under the object's construct path.
   */
  private validateApp(): string[] {
    // Values made from bad input that no construct reported (see core/value-checks.ts) fail the
    // synth here, before anything is rendered or written.
    const unreported = unreportedValueProblems();
    if (unreported.length > 0) {
      throw new Error('bad input to a value factory; no construct of this library was given the value, so no construct path can be named:\n'
        + unreported.map((t) => `  ${t}`).join('\n'));
    }
    // The later validations of one synth (each chart's) reuse its first validation, and the charts
    // are written from that validation's rendering (see render-once.ts).
    const session = this.renders.session;
    if (session) return session.unplaced;
    if (this.disabled) {
      this.lastFindings = new Map();
      return [];
    }
    const app = this.renders.render(this.root, true);
    // An object that cannot render fails the synth here, before any chart is written: cdk8s
    // writes chart by chart, so the object's own error would come after the files of the charts
    // before it (a peer of Peer.workload whose workload selects no pods, a lazy check).
    if (app.failed) throw app.failed[1];
    const next = new Map<IConstruct, AppValidationFinding[]>();
    const unplaced: string[] = [];
    const findings = this.check(app);
    const objects = findings.length === 0 ? new Map<string, ApiObject>() : new Map(app.rendered.map(([c]) => [c.node.path, c]));
    for (const f of findings) {
      const obj = objects.get(f.constructPath);
      if (!obj) {
        unplaced.push(format(f));
        continue;
      }
      next.set(obj, [...(next.get(obj) ?? []), f]);
      if (!this.hooked.has(obj)) {
        this.hooked.add(obj);
        const hook: IValidation = { validate: () => (this.lastFindings.get(obj) ?? []).map(format) };
        obj.node.addValidation(hook);
      }
    }
    this.lastFindings = next;
    if (this.renders.inSynth && app.complete && findings.length === 0) {
      this.renders.session = { unplaced };
    }
    return unplaced;
  }
}

/** The first validation of a synth, reused by the later validations of the same synth. */
interface SynthSession {
  readonly unplaced: string[];
}

/** Kept where the ingress profiles import it from; the flag itself lives in core. @internal */
export { _declareExternalPeer } from '../core/declared-peers';

/** A rendered ApiObject as the rules see it; its construct path (the rules' `source`) is computed only when a finding names it. */
class RenderedObject implements SourcedObject {
  public constructor(public readonly construct: ApiObject, public readonly object: any) {}

  public get source(): string {
    return this.construct.node.path;
  }
}

function format(f: AppValidationFinding): string {
  return `${f.ruleId} ${f.ruleName}: ${f.resource}: ${f.message}`;
}
