/**
 * Kubernetes objects -> `Model`.
 *
 * Reads workloads, Pods and Namespaces from parsed manifests, and hands the policies to their
 * compilers (NetworkPolicy: network-policy.ts; network-policy-api: admin-tier.ts; Cilium:
 * cilium.ts), which resolve every label selector once. Every other kind is ignored. Internal to
 * `src/analysis`.
 */
import { compileTierPolicies } from './admin-tier';
import { attachAdditive, joinParts } from './beyond';
import { compileCiliumPolicies } from './cilium';
import { IpFamily } from './ip';
import { asArray, isGatewayApi, labelsOf, namespaceOf, throwFirst } from './manifest-fields';
import { ContainerPort, Direction, Model, NamespaceModel, PolicyModel, WorkloadModel } from './model';
import { compilePolicy } from './network-policy';
import { isKubernetesNetworkPolicy } from './unmodelled-policies';
import { WorkloadIndex } from './workload-index';
import { LabelKeys } from '../core/labels';

/** Kinds whose pod template makes an endpoint, and that can own pods. */
export const WORKLOAD_KINDS: readonly string[] = [
  'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob',
];

/** The label the API server puts on every namespace (Kubernetes 1.21+); policies may select namespaces by it. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

type Json = any;

/**
 * Replaces `List`, `PodList`, `NamespaceList`, `NetworkPolicyList`, ... objects by their items.
 * An item without `kind` takes it from the list kind (`PodList` -> `Pod`), as `kubectl get -o yaml` prints them.
 */
export function flattenLists(objects: readonly Json[]): Json[] {
  const out: Json[] = [];
  const visit = (obj: Json, itemKind?: string) => {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      return;
    }
    const kind = typeof obj.kind === 'string' ? obj.kind : itemKind;
    if (Array.isArray(obj.items) && (kind === undefined || kind.endsWith('List'))) {
      const inner = kind && kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
      for (const item of obj.items) {
        visit(item, inner);
      }
      return;
    }
    out.push(kind === obj.kind ? obj : { ...obj, kind });
  };
  for (const obj of objects) {
    visit(obj);
  }
  return out;
}

function containerPortsOf(podSpec: Json): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const container of asArray(podSpec?.containers)) {
    for (const p of asArray(container?.ports)) {
      const port = Number(p?.containerPort);
      if (!Number.isInteger(port)) {
        continue;
      }
      out.push({ name: typeof p.name === 'string' ? p.name : undefined, port, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP' });
    }
  }
  return out;
}

interface WorkloadBuilder {
  id: string;
  namespace: string;
  name: string;
  kind: string;
  labels: Record<string, string>;
  ports: ContainerPort[];
  podNames: string[];
  hostNetwork: boolean;
}

/** The data-plane pods a Gateway names in its `cdk8s-net.io/gateway-data-plane` annotation. */
function gatewayDataPlane(obj: Json): { namespace: string; labels: Record<string, string> } | undefined {
  const text = obj.metadata?.annotations?.[LabelKeys.GATEWAY_DATA_PLANE];
  if (typeof text !== 'string') return undefined;
  try {
    const v = JSON.parse(text);
    const labels = labelsOf(v?.labels);
    if (typeof v?.namespace !== 'string' || Object.keys(labels).length === 0) return undefined;
    return { namespace: v.namespace, labels };
  } catch {
    return undefined;
  }
}

/** Compiles parsed Kubernetes objects (Lists allowed) into the evaluation model. */
export function compile(input: readonly Json[]): Model {
  const objects = flattenLists(input);
  const builders = new Map<string, WorkloadBuilder>();
  const declaredNamespaces = new Map<string, Record<string, string>>();
  const referencedNamespaces = new Set<string>();
  const policyObjects: Json[] = [];

  const addWorkload = (
    namespace: string, name: string, kind: string, labels: Record<string, string>, ports: ContainerPort[], podSpec: Json, podName?: string,
  ) => {
    const id = `${namespace}/${name}[${kind}]`;
    let b = builders.get(id);
    if (!b) {
      b = { id, namespace, name, kind, labels, ports: [], podNames: [], hostNetwork: false };
      builders.set(id, b);
    }
    if (podSpec?.hostNetwork === true) {
      b.hostNetwork = true;
    }
    for (const p of ports) {
      if (!b.ports.some((q) => q.name === p.name && q.port === p.port && q.protocol === p.protocol)) {
        b.ports.push(p);
      }
    }
    if (podName !== undefined && !b.podNames.includes(podName)) {
      b.podNames.push(podName);
    }
    referencedNamespaces.add(namespace);
  };

  for (const obj of objects) {
    const kind = obj.kind;
    const name = obj.metadata?.name;
    if (kind === 'Namespace') {
      if (typeof name === 'string') {
        declaredNamespaces.set(name, { ...(declaredNamespaces.get(name) ?? {}), ...labelsOf(obj.metadata?.labels) });
      }
    } else if (kind === 'NetworkPolicy' && isKubernetesNetworkPolicy(obj)) {
      policyObjects.push(obj);
      referencedNamespaces.add(namespaceOf(obj));
    } else if (kind === 'Pod') {
      if (typeof name !== 'string') {
        continue;
      }
      const refs = asArray(obj.metadata?.ownerReferences);
      const owner = refs.find((r) => r?.controller === true) ?? refs[0];
      const labels = labelsOf(obj.metadata?.labels);
      const ports = containerPortsOf(obj.spec);
      if (owner && WORKLOAD_KINDS.includes(owner.kind) && typeof owner.name === 'string') {
        // Pods are merged into their owning workload: replicas are one endpoint.
        addWorkload(namespaceOf(obj), owner.name, owner.kind, labels, ports, obj.spec, name);
      } else {
        addWorkload(namespaceOf(obj), name, 'Pod', labels, ports, obj.spec, name);
      }
    } else if (kind === 'Gateway' && isGatewayApi(obj) && typeof name === 'string') {
      // A Gateway whose data-plane pods are named (LabelKeys.GATEWAY_DATA_PLANE) stands for them, as
      // an ingress controller's pods would: the analysis shows its connections to the backends.
      const dataPlane = gatewayDataPlane(obj);
      if (dataPlane) addWorkload(dataPlane.namespace, name, 'Gateway', dataPlane.labels, [], undefined);
    } else if (WORKLOAD_KINDS.includes(kind)) {
      if (typeof name !== 'string') {
        continue;
      }
      const template = kind === 'CronJob' ? obj.spec?.jobTemplate?.spec?.template : obj.spec?.template;
      addWorkload(namespaceOf(obj), name, kind, labelsOf(template?.metadata?.labels), containerPortsOf(template?.spec), template?.spec);
    }
  }

  const namespaceNames = new Set<string>([...declaredNamespaces.keys(), ...referencedNamespaces]);
  const namespaces: NamespaceModel[] = [...namespaceNames].sort().map((name) => ({
    name,
    labels: { ...(declaredNamespaces.get(name) ?? {}), [NAMESPACE_NAME_LABEL]: name },
    declared: declaredNamespaces.has(name),
  }));

  const workloads: WorkloadModel[] = [...builders.values()]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((b, index) => ({ ...b, index }));

  const ipBoundaries: Record<IpFamily, bigint[]> = { 4: [], 6: [] };
  const directionIpBoundaries: Record<Direction, Record<IpFamily, bigint[]>> = { ingress: { 4: [], 6: [] }, egress: { 4: [], 6: [] } };
  const index = new WorkloadIndex(workloads, namespaces);
  const networkPolicies = policyObjects.map((obj) => compilePolicy(obj, index, ipBoundaries, directionIpBoundaries, throwFirst));
  // Beyond NetworkPolicy (beyond.ts): Cilium allow rules join the NetworkPolicies; tiers and deny rules go apart.
  const boundaryLists = { ingress: [ipBoundaries, directionIpBoundaries.ingress], egress: [ipBoundaries, directionIpBoundaries.egress] };
  const { policies: ciliumPolicies, additive, beyond } = joinParts([
    compileTierPolicies(objects, workloads, namespaces, boundaryLists),
    compileCiliumPolicies(objects, workloads, namespaces, boundaryLists),
  ]);
  const policies = [...networkPolicies, ...ciliumPolicies];

  // Per workload, the policies isolating it, in policy order: walk each policy's selection
  // rather than testing every policy against every workload.
  const ingressPolicies: PolicyModel[][] = workloads.map(() => []);
  const egressPolicies: PolicyModel[][] = workloads.map(() => []);
  for (const p of policies) {
    for (const i of p.selects) {
      if (p.isolatesIngress) {
        ingressPolicies[i].push(p);
      }
      if (p.isolatesEgress) {
        egressPolicies[i].push(p);
      }
    }
  }

  attachAdditive(additive, ingressPolicies, egressPolicies);

  return { namespaces, workloads, policies, ingressPolicies, egressPolicies, ipBoundaries, directionIpBoundaries, beyond };
}

