import { Rule, ruleName, RuleFinding } from './rule';

/** The served apiVersions of the built-in kinds this tool reads (Kubernetes 1.25+). */
export const BUILT_IN_KINDS: { readonly [kind: string]: readonly string[] } = {
  Namespace: ['v1'],
  Pod: ['v1'],
  Service: ['v1'],
  // The selector-less Services of ExternalDependency name their endpoints in EndpointSlices; v1beta1 is not served since
  // Kubernetes 1.25 (kubernetes/kubernetes#100472).
  EndpointSlice: ['discovery.k8s.io/v1'],
  ServiceAccount: ['v1'],
  ConfigMap: ['v1'],
  Secret: ['v1'],
  ReplicationController: ['v1'],
  PersistentVolumeClaim: ['v1'],
  Deployment: ['apps/v1'],
  StatefulSet: ['apps/v1'],
  DaemonSet: ['apps/v1'],
  ReplicaSet: ['apps/v1'],
  Job: ['batch/v1'],
  CronJob: ['batch/v1'],
  NetworkPolicy: ['networking.k8s.io/v1'],
  Ingress: ['networking.k8s.io/v1'],
  IngressClass: ['networking.k8s.io/v1'],
  PodDisruptionBudget: ['policy/v1'],
  HorizontalPodAutoscaler: ['autoscaling/v2', 'autoscaling/v1'],
  Role: ['rbac.authorization.k8s.io/v1'],
  RoleBinding: ['rbac.authorization.k8s.io/v1'],
  ClusterRole: ['rbac.authorization.k8s.io/v1'],
  ClusterRoleBinding: ['rbac.authorization.k8s.io/v1'],
};

/** A built-in kind must use an apiVersion the API server serves for it. */
const rule: Rule = {
  id: 'NET004',
  name: ruleName(__filename),
  level: 'error',
  synth: false,
  fix: 'Use an apiVersion the cluster serves for the kind (the message lists them).',
  explanation: 'An apiVersion the cluster does not serve for the kind (often a removed beta version) makes the apply fail.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    for (const o of objects) {
      const versions = BUILT_IN_KINDS[o.object?.kind];
      const apiVersion = o.object?.apiVersion;
      if (versions && typeof apiVersion === 'string' && !versions.includes(apiVersion)) {
        out.push({ object: o, field: 'apiVersion', message: `apiVersion "${apiVersion}" is not served for ${o.object.kind}; use ${versions.join(' or ')}.` });
      }
    }
    return out;
  },
};
export default rule;
