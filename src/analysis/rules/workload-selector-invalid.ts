import { matchesSelector, parseSelector } from '../label-selector';
import { podTemplateOf } from './pod-spec';
import { Rule, ruleName, RuleFinding } from './rule';

/** Kinds whose `spec.selector` is a LabelSelector that the API server requires and checks against the template. */
const LABEL_SELECTOR_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'];

/**
 * A workload's `spec.selector` must be one the API server accepts and must select the pods of its
 * own template (kubernetes/kubernetes pkg/apis/apps/validation/validation.go: ValidateDeploymentSpec,
 * ValidateReplicaSetSpec, ValidateStatefulSetSpec, ValidateDaemonSetSpec refuse an empty selector
 * and "`selector` does not match template `labels`"; pkg/apis/core/validation ValidateReplicationControllerSpec
 * does the same for a ReplicationController's map selector; a Job checks it only with
 * `manualSelector: true`, otherwise the API server generates it). matchExpressions are checked as
 * k8s.io/apimachinery ValidateLabelSelectorRequirement does.
 */
const rule: Rule = {
  id: 'NET030',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Make spec.selector select the labels of the pod template (matchLabels with the template\'s app label), with valid matchExpressions.',
  explanation: 'The API server rejects a workload whose selector is missing, empty or invalid, or does not match the labels of its own pod template.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    for (const o of objects) {
      const obj = o.object;
      const kind = obj?.kind;
      const manualJob = kind === 'Job' && obj?.spec?.manualSelector === true;
      if (!LABEL_SELECTOR_KINDS.includes(kind) && kind !== 'ReplicationController' && !manualJob) continue;
      const template = podTemplateOf(o);
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(template?.labels ?? {})) labels[k] = String(v);
      const raw = obj?.spec?.selector;
      if (kind === 'ReplicationController') {
        // An absent or empty selector defaults to the template's labels.
        if (raw === undefined || raw === null || (typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length === 0)) continue;
        if (typeof raw !== 'object' || Array.isArray(raw)) continue; // not a map: schema-invalid (NET006) reports it
        const missing = Object.entries(raw).filter(([k, v]) => labels[k] !== String(v));
        if (missing.length > 0) {
          out.push({ object: o, field: 'spec.selector', message: mismatch(missing.map(([k, v]) => `${k}=${String(v)}`), labels) });
        }
        continue;
      }
      if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        out.push({
          object: o,
          field: 'spec.selector',
          message: `spec.selector is ${raw === undefined || raw === null ? 'missing' : 'not a label selector'}; `
          + `a ${kind} needs one that matches its pod template labels, e.g. matchLabels: { app: ${labels.app ?? 'my-app'} }.`,
        });
        continue;
      }
      const problems: string[] = [];
      const selector = parseSelector(raw, 'spec.selector', '', (m) => problems.push(m));
      for (const p of problems) {
        out.push({ object: o, field: 'spec.selector', message: p.replace(/\.$/, '; the API server rejects the selector.') });
      }
      if (selector.matchLabels.length + selector.matchExpressions.length === 0) {
        if (problems.length === 0) {
          out.push({ object: o, field: 'spec.selector', message: `spec.selector is empty; the API server refuses an empty selector for a ${kind} (it would select every pod of the namespace). Select the template's labels.` });
        }
        continue;
      }
      if (!matchesSelector(selector, labels)) {
        const missing = selector.matchLabels.filter(([k, v]) => labels[k] !== v).map(([k, v]) => `${k}=${v}`);
        out.push({ object: o, field: 'spec.selector', message: mismatch(missing.length > 0 ? missing : ['its matchExpressions'], labels) });
      }
    }
    return out;
  },
};

function mismatch(unmatched: readonly string[], labels: Record<string, string>): string {
  const have = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') || 'none';
  return `spec.selector does not match the pod template labels (${unmatched.join(', ')} not satisfied; template labels: ${have}); `
    + 'the API server rejects the object. Make the selector select the template\'s labels.';
}
export default rule;
