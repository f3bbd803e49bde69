/**
 * The checks that app-wide synth validation and the cdk8s-cli plugin run, and the runner that
 * applies them to manifests: the pure rules of `src/analysis/rules` (the same ids as
 * `cdk8s-net check`), a per-object opt-out annotation, and skipped rules.
 *
 * @internal
 */
import { CheckFinding, runChecks } from '../analysis/check';
import { Rule, RULES, rules as ruleList, SourcedObject } from '../analysis/rules';

/** Every rule (those of `cdk8s-net check`, which are all of them), each id once. */
export function allRules(): Rule[] {
  return [...RULES];
}

/** The ids of the rules synth validation runs, in the order of the issue they come from. */
export const SYNTH_RULE_IDS: readonly string[] = [
  'NET010', // a Service selector matches no pod template
  'NET011', // a named targetPort is not a container port
  'NET014', // a probe port is not a container port
  'NET015', // an Ingress / route backend or its port does not exist
  'NET016', // a TLS host does not cover a rule host
  'NET017', // two Ingresses claim one host and path
  'NET013', // a NetworkPolicy selects no pod
  'NET019', // a policy peer names pods in an unknown namespace
  'NET018', // a StatefulSet's serviceName has no headless Service
  'NET020', // two objects are the same Kubernetes object (group, kind, namespace, name)
];

/** What each synth rule's violations need, for the cdk8s-cli report ("How to fix"). */
export const RULE_FIXES: { readonly [id: string]: string } = {
  NET010: 'Make spec.selector match the labels of a pod template of the app (in the Service\'s namespace), or create that workload.',
  NET011: 'Name a container port like the targetPort, or use a container port name the selected pods have.',
  NET014: 'Probe a port the container declares (by its name or number).',
  NET015: 'Point the backend at an existing Service of the Ingress/route namespace and at one of that Service\'s ports.',
  NET016: 'List every rule host in spec.tls[].hosts, with a certificate that covers it.',
  NET017: 'Route each host and path from one Ingress per class (use a canary Ingress to shadow a route on purpose).',
  NET013: 'Fix spec.podSelector or the policy namespace so the policy selects the pods it was written for, or remove it.',
  NET019: 'Fix the namespace of the peer, or declare the namespace external (AppValidation.declareExternalNamespaces, or the externalNamespaces plugin property).',
  NET018: 'Create a Service with clusterIP: None named like spec.serviceName in the StatefulSet\'s namespace.',
  NET020: 'Give one of the two objects another name (the construct\'s name prop) or namespace, or remove the duplicate construct.',
};

/**
 * The annotation that turns one rule off for one object, as kube-linter's
 * `ignore-check.kube-linter.io/<check>`; its value says why.
 */
export const IGNORE_ANNOTATION_PREFIX = 'ignore-check.cdk8s-net.io/';

/** Options of `checkManifests`. */
export interface CheckManifestsOptions {
  /** Namespaces the app does not create but connections may name (NET019). */
  readonly externalNamespaces?: readonly string[];
  /** Rule ids not to run. */
  readonly skipRules?: readonly string[];
  /** Run every rule of `cdk8s-net check`, not only the synth rules. */
  readonly allRules?: boolean;
  /** Keep findings about these objects only (the rules still see every object). */
  readonly isSubject?: (o: SourcedObject) => boolean;
}

/**
 * The rules `options` select, with NET019 knowing the declared namespaces. The Pod Security
 * Standards controls of the restricted profile only (PSS001-PSS004, PSS009) are warnings here, so
 * that the plugin's `allRules` reports them without failing the synth; `cdk8s-net check` makes
 * them errors unless `--pss baseline`.
 */
export function selectRules(options: CheckManifestsOptions = {}): Rule[] {
  const skip = new Set(options.skipRules ?? []);
  const all = ruleList({ externalNamespaces: options.externalNamespaces, pss: 'baseline' });
  const byId = new Map(all.map((r) => [r.id, r]));
  const ids = options.allRules ? all.map((r) => r.id) : SYNTH_RULE_IDS;
  return ids.filter((id) => !skip.has(id)).map((id) => byId.get(id)!);
}

/** Runs the selected rules over `objects`; drops findings on opted-out or non-subject objects. */
export function checkManifests(objects: readonly SourcedObject[], options: CheckManifestsOptions = {}): CheckFinding[] {
  const rules = selectRules(options);
  const bySource = new Map(objects.map((o) => [o.source, o]));
  return runChecks(objects, rules).filter((f) => {
    const o = f.source !== undefined ? bySource.get(f.source) : undefined;
    if (!o) return true;
    if (options.isSubject && !options.isSubject(o)) return false;
    const annotations = o.object?.metadata?.annotations ?? {};
    return annotations[`${IGNORE_ANNOTATION_PREFIX}${f.rule}`] === undefined && annotations[`${IGNORE_ANNOTATION_PREFIX}${f.ruleId}`] === undefined;
  });
}
