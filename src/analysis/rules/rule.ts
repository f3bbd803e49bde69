/**
 * The shape of a check of `cdk8s-net check`, modelled on cdk-nag: each rule is
 * a pure function over the manifests that returns its findings; its id is
 * stable and never reused, its name is its file name.
 *
 * A rule file carries everything about its rule: id, name, level, whether synth validation runs
 * it, its fix and its explanation. Everything else is generated from the rule files: the list of
 * `cdk8s-net check` (`RULES` in index.ts), the synth list (`SYNTH_RULE_IDS`), the cdk8s-cli
 * plugin's report, SARIF rule metadata and docs/rules.md (`npx projen docs:rules`). Adding a rule
 * is adding its file and its line in `RULES`.
 */
import * as path from 'path';
import { isClusterScoped } from '../../core/cluster-scoped';

/** How serious a finding is. `check` exits non-zero when there are errors. */
export type Level = 'error' | 'warning';

/** A parsed manifest object and where it came from. */
export interface SourcedObject {
  readonly object: any;
  /** `file` or `file#document` (1-based), or a description of the input. */
  readonly source: string;
}

/** What a rule reports, before the rule's id and level are attached. */
export interface RuleFinding {
  /** The object the finding is about; absent for findings about the whole input. */
  readonly object?: SourcedObject;
  /** The field, as a path (`spec.template.spec.containers[0].securityContext`). */
  readonly field?: string;
  /** What is wrong, with the value, and what to do. */
  readonly message: string;
  /** A level other than the rule's, for a finding the input makes less certain (default: the rule's level). */
  readonly level?: Level;
}

/**
 * One problem found in a pod spec or a container, as the shared pod-rule runners (`eachPod`,
 * `eachContainer` in pss.ts) take it: the field, relative to the pod spec or the container (empty
 * for the whole pod), and the message. The runner adds the object and the full field path.
 */
export type FieldFinding = [field: string, message: string];

/** A check. */
export interface Rule {
  /** Stable id, e.g. `NET010`. Never reused. */
  readonly id: string;
  /** The file name: what the rule detects (`service-selector-matches-no-pods`). */
  readonly name: string;
  /** The level in `cdk8s-net check` (and, for synth rules, in synth validation). */
  readonly level: Level;
  /**
   * Whether app-wide synth validation (`AppValidation`) and the cdk8s-cli plugin run the rule by
   * default. Synth rules are the checks no single construct can make (they relate objects of the
   * whole app); every finding of theirs fails the synth.
   */
  readonly synth: boolean;
  /** How to fix a finding, as one sentence (the plugin's report shows it as "fix"). */
  readonly fix: string;
  /**
   * For the Pod Security Standards rules: the profile whose control the rule checks. `restricted`
   * controls are errors by default; `cdk8s-net check --pss baseline` reports them as warnings.
   */
  readonly pss?: 'baseline' | 'restricted';
  /** Why the rule exists: the doc text of docs/rules.md, the plugin's recommendation and SARIF's help. */
  readonly explanation: string;
  readonly check: (objects: readonly SourcedObject[]) => RuleFinding[];
}

/** The rule name from its file, as cdk-nag does (`parse(__filename).name`). */
export function ruleName(filename: string): string {
  return path.parse(filename).name;
}

/**
 * `Kind namespace/name`, `Kind name` for cluster-scoped objects (`CLUSTER_SCOPED_KINDS`, even when they carry a
 * namespace: the API server clears it) and objects without one, or a placeholder when fields are missing.
 */
export function describeObject(obj: any): string {
  const kind = typeof obj?.kind === 'string' ? obj.kind : '(no kind)';
  const name = typeof obj?.metadata?.name === 'string' ? obj.metadata.name : '(no name)';
  const ns = isClusterScoped(obj?.kind) ? undefined : obj?.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? `${kind} ${ns}/${name}` : `${kind} ${name}`;
}

export { asArray, namespaceOf, quotedPortMessage } from '../manifest-fields';
