import { Rule, ruleName, RuleFinding } from './rule';
import { isClusterScoped } from '../../core/cluster-scoped';
import { dns1035LabelProblem, dns1123LabelProblem, dns1123SubdomainProblem, pathSegmentNameProblem } from '../../core/names';

/** Kinds whose names are DNS-1123 labels (they become host names or label values). */
const LABEL_NAMED = ['Namespace'];
/** Kinds whose names are DNS-1035 labels (a Service name becomes a DNS name and must start with a letter). */
const DNS1035_NAMED = ['Service'];
/**
 * RBAC kinds: the API server checks their names only as path segments, so `system:auth-delegator`
 * and `resource-metrics:system:auth-delegator` are valid (kubernetes/kubernetes
 * pkg/apis/rbac/validation/validation.go, minimalNameRequirements = path.IsValidPathSegmentName,
 * used by ValidateRole, ValidateClusterRole, ValidateRoleBinding and ValidateClusterRoleBinding).
 */
const PATH_SEGMENT_NAMED = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Why `name` is not a valid name for objects of `kind` (in `apiVersion`), or undefined. */
export function nameProblem(kind: string, apiVersion: unknown, name: string): string | undefined {
  const group = typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  if (PATH_SEGMENT_NAMED.includes(kind) && group === RBAC_GROUP) return pathSegmentNameProblem(name);
  if (group !== '') return dns1123SubdomainProblem(name);
  return DNS1035_NAMED.includes(kind) ? dns1035LabelProblem(name)
    : LABEL_NAMED.includes(kind) ? dns1123LabelProblem(name) : dns1123SubdomainProblem(name);
}

/** metadata.name and metadata.namespace must be valid names for the kind, as the API server checks them. */
const rule: Rule = {
  id: 'NET002',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Give the object (and its namespace) a name of the form the message states: as its kind requires (DNS names for most kinds; RBAC objects may hold \':\').',
  explanation: 'The API server rejects names that are not of the form the kind requires (DNS names for most kinds, path segments for RBAC objects).',
  check: (objects) => {
    const out: RuleFinding[] = [];
    for (const o of objects) {
      const obj = o.object;
      const name = obj?.metadata?.name;
      if (typeof name === 'string' && name !== '') {
        const kind = String(obj.kind);
        const problem = nameProblem(kind, obj.apiVersion, name);
        if (problem) {
          out.push({ object: o, field: 'metadata.name', message: `metadata.name "${name}" is not a valid ${kind} name; ${problem}.` });
        }
      }
      // The API server clears metadata.namespace of a cluster-scoped object rather than checking it (k8s.io/apiserver
      // pkg/registry/rest/meta.go, EnsureObjectNamespaceMatchesRequestNamespace), so its format is no error there.
      const ns = obj?.metadata?.namespace;
      if (ns !== undefined && ns !== null && !isClusterScoped(obj.kind)) {
        const problem = typeof ns === 'string' ? dns1123LabelProblem(ns) : 'it is not a string';
        if (problem) {
          out.push({ object: o, field: 'metadata.namespace', message: `metadata.namespace "${ns}" is not a namespace name; ${problem}.` });
        }
      }
    }
    return out;
  },
};
export default rule;
