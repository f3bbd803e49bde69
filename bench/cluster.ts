/**
 * Synthetic clusters for the analyzer benchmark: `workloads` Deployments in
 * namespaces of 20, about as many NetworkPolicies, shaped like a zero-trust
 * setup made with this library:
 *
 * - every namespace has a default-deny policy (Ingress and Egress) and an
 *   allow-dns policy (egress to kube-system on UDP/TCP 53);
 * - every workload has its own policy: ingress from the previous two
 *   workloads of its namespace on its named port `http`, from the monitoring
 *   namespace on `metrics`; egress to the next two workloads on 8080, and to
 *   one of 8 external /24 ranges on TCP 443;
 * - a monitoring namespace with one unisolated Prometheus, and kube-system
 *   with an unisolated CoreDNS.
 *
 * Deterministic: the same size always gives the same manifests.
 */
export function syntheticCluster(workloads: number, perNamespace = 20): any[] {
  const objects: any[] = [];
  const namespaces = Math.ceil(workloads / perNamespace);
  const ns = (i: number) => `team-${String(i).padStart(4, '0')}`;
  const app = (i: number) => `svc-${String(i).padStart(5, '0')}`;
  objects.push(namespace('monitoring'), namespace('kube-system'));
  objects.push(deployment('monitoring', 'prometheus', { app: 'prometheus' }, []));
  objects.push(deployment('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }]));
  for (let n = 0; n < namespaces; n++) {
    const name = ns(n);
    objects.push(namespace(name));
    objects.push(policy(name, 'default-deny', {}, { policyTypes: ['Ingress', 'Egress'] }));
    objects.push(policy(name, 'allow-dns', {}, {
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    }));
  }
  for (let i = 0; i < workloads; i++) {
    const n = Math.floor(i / perNamespace);
    const k = i % perNamespace;
    const size = Math.min(perNamespace, workloads - n * perNamespace);
    const peer = (offset: number) => app(n * perNamespace + ((k + offset + size) % size));
    objects.push(deployment(ns(n), app(i), { app: app(i), tier: k % 2 === 0 ? 'frontend' : 'backend' }, [
      { name: 'http', containerPort: 8080 },
      { name: 'metrics', containerPort: 9090 },
    ]));
    objects.push(policy(ns(n), app(i), { matchLabels: { app: app(i) } }, {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: peer(-1) } } }, { podSelector: { matchLabels: { app: peer(-2) } } }], ports: [{ port: 'http' }] },
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 'metrics' }] },
      ],
      egress: [
        { to: [{ podSelector: { matchLabels: { app: peer(1) } } }, { podSelector: { matchLabels: { app: peer(2) } } }], ports: [{ port: 8080 }] },
        { to: [{ ipBlock: { cidr: `198.51.${100 + (i % 8)}.0/24` } }], ports: [{ port: 443 }] },
      ],
    }));
  }
  return objects;
}

function namespace(name: string): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

function deployment(namespaceName: string, name: string, labels: Record<string, string>, ports: any[]): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: namespaceName },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: `registry.example/${name}:1`, ports }] } },
    },
  };
}

function policy(namespaceName: string, name: string, podSelector: any, spec: any): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: namespaceName }, spec: { podSelector, ...spec } };
}

/**
 * `syntheticCluster`, with policies that each name a broad peer, as platform policies do: the
 * namespaces are spread over 15 zones (label `zone`), and every workload's policy also admits, on
 * `metrics`, every pod of the namespaces of one zone (about workloads / 15 pods). Egress stays
 * narrow, so the allowed pairs still grow linearly while the selector matches grow with
 * workloads² / 15: the shape that made compilation quadratic in memory (issue 17).
 *
 * `variant` 1 is the same cluster after a change a pull request might make (for `diff`): the
 * own policy of one workload in twenty is deleted (it keeps only its namespace's default-deny and
 * DNS), and that of another in twenty admits the monitoring namespace on 9090-9100 instead of the
 * named port `metrics` (9090): a port range that only partly changes.
 */
export function broadPeerCluster(workloads: number, variant: 0 | 1 = 0, perNamespace = 20): any[] {
  const zones = 15;
  const objects = syntheticCluster(workloads, perNamespace);
  for (const obj of objects) {
    if (obj.kind === 'Namespace' && obj.metadata.name.startsWith('team-')) {
      obj.metadata.labels = { zone: `z${Number(obj.metadata.name.slice(5)) % zones}` };
    }
    if (obj.kind === 'NetworkPolicy' && obj.spec.podSelector?.matchLabels?.app) {
      const i = Number(obj.metadata.name.slice(4));
      obj.spec.ingress.push({
        from: [{ namespaceSelector: { matchLabels: { zone: `z${(i * 7) % zones}` } } }],
        ports: [{ port: 'metrics' }],
      });
      if (variant === 1 && i % 20 === 7) {
        obj.spec.ingress[1].ports = [{ port: 9090, endPort: 9100 }];
      }
    }
  }
  return variant === 1 ? objects.filter((o) => !(o.kind === 'NetworkPolicy' && o.spec.podSelector?.matchLabels?.app && Number(o.metadata.name.slice(4)) % 20 === 3)) : objects;
}
