/*
 * The cdk8s-cli validation plugin: `cdk8s synth` loads it from `validations:` in cdk8s.yaml and
 * calls `validate(context)` with the synthesized manifest files. It runs the same rules as
 * `AppValidation` (and optionally every rule of `cdk8s-net check`) on any cdk8s app, including
 * apps that use none of this library's constructs.
 *
 * The contract types are declared here (structurally identical to cdk8s-cli's `Validation`,
 * `ValidationContext` and `ValidationReport`), because cdk8s-cli is a tool, not a jsii library,
 * and its plugins must not need it at run time.
 */
import * as fs from 'fs';
import { allRules, checkManifests } from './rule-set';
import { parseManifests } from '../analysis/load-yaml';
import { describeObject, SourcedObject } from '../analysis/rules';
import { failCall } from '../core/errors';

/** One resource that violates a rule (cdk8s-cli `ValidationViolatingResource`). */
export interface ValidationViolatingResource {
  /** The resource name: `metadata.name` when unique in the manifests, else `Kind namespace/name`. */
  readonly resourceName: string;
  /** The places in the resource that violate the rule, each with what is wrong. */
  readonly locations: string[];
  /** The manifest file of the resource. */
  readonly manifestPath: string;
}

/** One rule's violations (cdk8s-cli `ValidationViolation`). */
export interface ValidationViolation {
  /** The rule (`NET010 service-selector-matches-no-pods`). */
  readonly ruleName: string;
  /** Why the rule exists. */
  readonly recommendation: string;
  /** How to fix a violation. */
  readonly fix: string;
  /** The resources that violate it. */
  readonly violatingResources: ValidationViolatingResource[];
}

/** The report a plugin fills (cdk8s-cli `ValidationReport`). */
export interface IValidationReport {
  /**
   * Adds a violation.
   * @param violation the rule and its violating resources
   */
  addViolation(violation: ValidationViolation): void;
  /**
   * Ends the report.
   * @param status `success` or `failure`
   * @param metadata shown in the report summary
   */
  submit(status: string, metadata?: { [key: string]: string }): void;
}

/** Where a plugin logs (cdk8s-cli `ValidationLogger`). */
export interface IValidationLogger {
  /**
   * Logs a message.
   * @param message the message
   */
  log(message: string): void;
}

/** What cdk8s-cli hands a validation plugin (its `ValidationContext`). */
export interface IValidationContext {
  /** Paths of the synthesized manifest files. */
  readonly manifests: string[];
  /** The report to fill and submit. */
  readonly report: IValidationReport;
  /**
   * The logger.
   * @default - console
   */
  readonly logger?: IValidationLogger;
}

/** Properties of `SecureNetworkingValidation` (the `properties:` of its cdk8s.yaml entry). */
export interface SecureNetworkingValidationProps {
  /**
   * Namespaces the app does not create but its NetworkPolicies may name pods in (NET019).
   * @default - none
   */
  readonly externalNamespaces?: string[];
  /**
   * Rule ids to skip (`NET013`).
   * @default - none
   */
  readonly skipRules?: string[];
  /**
   * Run every rule of `cdk8s-net check` (Pod Security Standards, names, labels, NET012 and
   * the rest), not only the app-wide synth rules. Warnings are reported without failing.
   * @default false
   */
  readonly allRules?: boolean;
}

/**
 * A cdk8s-cli validation plugin that runs this library's app-wide checks on the manifests
 * `cdk8s synth` writes, and fails the synth with a report of every violation.
 *
 * In `cdk8s.yaml` (the version must be pinned, not a range; a `package` that starts with `./`
 * or is absolute is loaded from that path without `npm install`):
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-secure-networking
 *     version: 1.2.3
 *     class: SecureNetworkingValidation
 *     properties:
 *       externalNamespaces: [monitoring]
 * ```
 *
 * Objects opt out of one rule with the annotation `ignore-check.cdk8s-net.io/<rule-name>`.
 *
 * @see https://cdk8s.io/docs/latest/cli/synth/#validation-plugins
 */
export class SecureNetworkingValidation {
  private readonly props: SecureNetworkingValidationProps;

  public constructor(props: SecureNetworkingValidationProps = {}) {
    const known = allRules().map((r) => r.id);
    for (const id of props.skipRules ?? []) {
      if (!known.includes(id)) {
        failCall('SecureNetworkingValidation.skipRules', `"${id}" is not a rule id; use one of ${known.join(', ')}.`);
      }
    }
    this.props = props;
  }

  /**
   * Checks the manifests of `context`, adds one violation per rule, and submits `failure` when
   * any error was found.
   *
   * @param context the validation context of cdk8s-cli
   */
  public async validate(context: IValidationContext): Promise<void> {
    const objects: SourcedObject[] = [];
    const fileOf = new Map<string, string>();
    for (const file of context.manifests) {
      parseManifests(fs.readFileSync(file, 'utf8'), file).forEach((object, i) => {
        const source = `${file}#${i + 1}`;
        objects.push({ object, source });
        fileOf.set(source, file);
      });
    }
    const findings = checkManifests(objects, {
      externalNamespaces: this.props.externalNamespaces,
      skipRules: this.props.skipRules,
      allRules: this.props.allRules,
    });
    const nameCount = new Map<string, number>();
    for (const o of objects) {
      const n = String(o.object?.metadata?.name);
      nameCount.set(n, (nameCount.get(n) ?? 0) + 1);
    }
    const bySource = new Map(objects.map((o) => [o.source, o]));
    const rules = new Map(allRules().map((r) => [r.id, r]));
    const byRule = new Map<string, Map<string, ValidationViolatingResource & { locations: string[] }>>();
    for (const f of findings) {
      const o = f.source !== undefined ? bySource.get(f.source) : undefined;
      const name = o?.object?.metadata?.name;
      // cdk8s-cli maps resourceName to a construct path through its metadata, which is keyed by
      // metadata.name alone; a name shared by several objects would get the wrong path.
      const resourceName = o && typeof name === 'string' && nameCount.get(name) === 1 ? name : o ? describeObject(o.object) : f.resource;
      const resources = byRule.get(f.ruleId) ?? new Map();
      byRule.set(f.ruleId, resources);
      const key = f.source ?? f.resource;
      const entry = resources.get(key) ?? { resourceName, locations: [], manifestPath: (f.source && fileOf.get(f.source)) ?? '(input)' };
      entry.locations.push(`${f.field ?? '(object)'}: ${f.message}`);
      resources.set(key, entry);
    }
    for (const [id, resources] of byRule) {
      const rule = rules.get(id)!;
      context.report.addViolation({
        ruleName: `${id} ${rule.name}`,
        recommendation: rule.explanation,
        fix: rule.fix,
        violatingResources: [...resources.values()],
      });
    }
    const errors = findings.filter((f) => f.level === 'error' || !this.props.allRules).length;
    context.report.submit(errors > 0 ? 'failure' : 'success', {
      objects: String(objects.length),
      findings: String(findings.length),
    });
  }
}
