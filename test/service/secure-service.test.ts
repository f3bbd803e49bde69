import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ClusterDns, DenyAllNamespace, Protocol, SecureService } from '../../src';
import { newChart, ofKind, one, synth } from '../util/synth';

const IMAGE = 'ghcr.io/acme/api:1.4.2';

/** Whether a label selector's matchLabels select an object with these labels. */
function selects(selector: any, labels: { [k: string]: string }): boolean {
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function synthApi(props: Partial<ConstructorParameters<typeof SecureService>[2]> = {}, chart = newChart()) {
  const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080, ...props });
  const objects = synth(chart);
  const template = one(objects, 'Deployment', api.name).spec.template;
  return { api, objects, pod: template.spec, podLabels: template.metadata.labels, container: template.spec.containers[0] };
}

describe('SecureService names and namespaces', () => {
  test('every object it creates is named after the construct id when no name is given', () => {
    const chart = newChart();
    new SecureService(chart, 'PaymentsApi', { image: IMAGE, port: 8080 });
    const objects = synth(chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/payments-api',
      'NetworkPolicy/payments-api',
      'PodDisruptionBudget/payments-api',
      'Service/payments-api',
      'ServiceAccount/payments-api',
    ]);
  });

  test('the name prop names every object', () => {
    const { objects } = synthApi({ name: 'orders' });
    expect(new Set(objects.map((o) => o.metadata.name))).toEqual(new Set(['orders']));
  });

  test('objects go into the chart namespace when no namespace is given', () => {
    const { objects } = synthApi({}, newChart('test', 'some-ns'));
    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set(['some-ns']));
  });

  test('objects go into the namespace prop, which wins over the chart namespace', () => {
    const chart = newChart('test', 'some-ns');
    const shop = new DenyAllNamespace(chart, 'Shop');
    new SecureService(chart, 'Api', { image: IMAGE, port: 8080, namespace: shop });
    const objects = synth(chart).filter((o) => o.kind !== 'Namespace');
    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set(['shop']));
  });

  test('fqdn is <name>.<namespace>.svc.cluster.local', () => {
    const { api } = synthApi({}, newChart('test', 'some-ns'));
    expect(api.fqdn).toBe('api.some-ns.svc.cluster.local');
  });

  test('fqdn honours the clusterDomain prop', () => {
    const { api } = synthApi({ clusterDomain: 'corp.internal' }, newChart('test', 'some-ns'));
    expect(api.fqdn).toBe('api.some-ns.svc.corp.internal');
  });

  test("fqdn honours the cluster domain of the namespace's cluster DNS", () => {
    const chart = newChart();
    const shop = new DenyAllNamespace(chart, 'Shop', { clusterDns: ClusterDns.kubeDns({ clusterDomain: 'corp.internal' }) });
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080, namespace: shop });
    expect(api.fqdn).toBe('api.shop.svc.corp.internal');
  });
});

describe('SecureService pod hardening (Pod Security Standards restricted)', () => {
  test('the pod runs as a non-root user and group with the RuntimeDefault seccomp profile', () => {
    const { pod } = synthApi();
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('the container cannot escalate, writes nothing to its root filesystem and drops every capability', () => {
    const { container } = synthApi();
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('runAsUser and runAsGroup set the ids at pod and container level', () => {
    const { pod, container } = synthApi({ runAsUser: 999, runAsGroup: 998 });
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 998, fsGroup: 998 });
    expect(container.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 998 });
  });

  test('NET_BIND_SERVICE is added only with allowPrivilegedPorts, and ALL is still dropped', () => {
    expect(synthApi().container.securityContext.capabilities.add).toBeUndefined();
    const { container } = synthApi({ allowPrivilegedPorts: true, port: 80 });
    expect(container.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
  });

  test('the pod shares nothing with its node: no host network, PID, IPC or host ports', () => {
    const { pod, container } = synthApi();
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.hostPID).toBeUndefined();
    expect(pod.hostIPC).toBeUndefined();
    expect(container.ports.every((p: any) => p.hostPort === undefined)).toBe(true);
  });

  test('no service account token is mounted, neither by the pod nor by its dedicated ServiceAccount', () => {
    const { pod, objects } = synthApi();
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('api');
    expect(one(objects, 'ServiceAccount', 'api').automountServiceAccountToken).toBe(false);
  });

  test('writablePaths become emptyDir volumes mounted at those paths; the root filesystem stays read-only', () => {
    const { pod, container } = synthApi({ writablePaths: ['/tmp', '/var/cache/app'] });
    const volumes = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
    const mounts = container.volumeMounts.map((m: any) => ({ path: m.mountPath, emptyDir: volumes[m.name]?.emptyDir }));
    expect(mounts).toEqual([{ path: '/tmp', emptyDir: {} }, { path: '/var/cache/app', emptyDir: {} }]);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('without writablePaths the pod has no volumes', () => {
    const { pod, container } = synthApi();
    expect(pod.volumes).toBeUndefined();
    expect(container.volumeMounts).toBeUndefined();
  });
});

describe('SecureService resources, probes and availability', () => {
  test('requests default to 100m CPU and 128Mi memory, limits to 500m and 256Mi', () => {
    expect(synthApi().container.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
  });

  test('requests and limits follow the props', () => {
    const { container } = synthApi({ cpuRequestMillis: 250, cpuLimitMillis: 1000, memoryRequestMebibytes: 512, memoryLimitMebibytes: 1024 });
    expect(container.resources).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1000m', memory: '1024Mi' },
    });
  });

  test('readiness and liveness default to a TCP check on the first target port, with no startup probe', () => {
    const { container } = synthApi({ port: undefined, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }] });
    expect(container.readinessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(container.startupProbe).toBeUndefined();
  });

  test('the default probes use the first TCP port: the kubelet cannot probe UDP or SCTP', () => {
    // kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes: probes are exec, httpGet,
    // tcpSocket (the kubelet opens a TCP connection) and grpc; there is no UDP probe, so a TCP check of a UDP-only listener
    // never succeeds (readiness never passes, liveness restarts the container). Before: tcpSocket on the first port, UDP 3478.
    const { container } = synthApi({ port: undefined, ports: [{ name: 'stun', port: 3478, protocol: Protocol.UDP }, { name: 'http', port: 8080 }] });
    expect(container.readinessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 8080 });
    const http = synthApi({ port: undefined, ports: [{ name: 'stun', port: 3478, protocol: Protocol.UDP }, { name: 'http', port: 8080 }], healthCheckPath: '/healthz' });
    expect(http.container.readinessProbe.httpGet).toMatchObject({ path: '/healthz', port: 8080 });
  });

  test('without a TCP port the default probes are refused, naming the fields to set', () => {
    expect(() => synthApi({ port: undefined, ports: [{ name: 'syslog', port: 5514, protocol: Protocol.UDP }] })).toThrow(
      'test/Api: SecureService.readiness is not set, and SecureService has no TCP port (its ports are UDP 5514): the kubelet probes TCP only, '
      + "so a default probe would never succeed. Give SecureService.readinessCheck and SecureService.livenessCheck (e.g. HealthCheck.exec(['/bin/healthcheck'])), or add a TCP port.");
    // Given probes are used as they are.
    const { container } = synthApi({
      port: undefined,
      ports: [{ name: 'syslog', port: 5514, protocol: Protocol.UDP }],
      readiness: kplus.Probe.fromCommand(['/bin/ready']),
      liveness: kplus.Probe.fromCommand(['/bin/live']),
    });
    expect(container.readinessProbe.exec).toEqual({ command: ['/bin/ready'] });
  });

  test('healthCheckPath turns the default probes into HTTP GETs of that path on the first target port', () => {
    const { container } = synthApi({ port: undefined, ports: [{ name: 'http', port: 80, targetPort: 8080 }], healthCheckPath: '/healthz' });
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(probe.tcpSocket).toBeUndefined();
      expect(probe.httpGet).toMatchObject({ path: '/healthz', port: 8080 });
    }
  });

  test('a given probe without a port of its own checks the first TCP target port, not port 80', () => {
    // cdk8s-plus fills a probe's missing port from the container's portNumber, else 80 (cdk8s-plus-28 2.5.6
    // lib/_action.js: `options.port ?? container.portNumber ?? 80`); these containers list `ports` and leave portNumber
    // unset, so Probe.fromHttpGet('/healthz') (the example of this prop's own error message) probed port 80, where
    // nothing listens. A port the probe names is kept.
    const { container } = synthApi({
      port: undefined,
      ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'admin', port: 9000 }],
      readiness: kplus.Probe.fromHttpGet('/healthz'),
      liveness: kplus.Probe.fromTcpSocket(),
    });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/healthz', port: 8080 });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 8080 });
    const own = synthApi({ readiness: kplus.Probe.fromHttpGet('/ready', { port: 9000 }) }).container;
    expect(own.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: 9000 });
  });

  test('explicit readiness and liveness probes replace the defaults', () => {
    const { container } = synthApi({
      readiness: kplus.Probe.fromCommand(['/bin/ready']),
      liveness: kplus.Probe.fromHttpGet('/live', { port: 8080 }),
    });
    expect(container.readinessProbe.exec).toEqual({ command: ['/bin/ready'] });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/live', port: 8080 });
  });

  test('two replicas by default, with a PodDisruptionBudget of maxUnavailable 1 over its pods', () => {
    const { api, objects } = synthApi();
    const deployment = one(objects, 'Deployment', 'api');
    const pdb = one(objects, 'PodDisruptionBudget', 'api');
    expect(deployment.spec.replicas).toBe(2);
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(selects(pdb.spec.selector, deployment.spec.template.metadata.labels)).toBe(true);
    expect(api.podDisruptionBudget).toBeDefined();
  });

  test('a single replica gets no PodDisruptionBudget (it could never be evicted)', () => {
    const { api, objects } = synthApi({ replicas: 1 });
    expect(one(objects, 'Deployment', 'api').spec.replicas).toBe(1);
    expect(ofKind(objects, 'PodDisruptionBudget')).toEqual([]);
    expect(api.podDisruptionBudget).toBeUndefined();
  });

  test.each([1, 2])('pods are spread across nodes (replicas %d), and not across zones unless asked', (replicas) => {
    const { pod } = synthApi({ replicas });
    expect(pod.topologySpreadConstraints).toEqual([
      { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } },
    ]);
  });

  test('spreadAcrossZones also spreads the pods across zones', () => {
    const { pod, podLabels } = synthApi({ spreadAcrossZones: true });
    expect(pod.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    expect(pod.topologySpreadConstraints.every((c: any) => selects(c.labelSelector, podLabels))).toBe(true);
  });

  test('env, command and args reach the container', () => {
    const { container } = synthApi({ env: { LOG_LEVEL: 'info' }, command: ['/app'], args: ['--serve'] });
    expect(container.env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
    expect(container.command).toEqual(['/app']);
    expect(container.args).toEqual(['--serve']);
  });

  test('extra labels are on every object and on the pods, next to the selector label', () => {
    const { objects } = synthApi({ labels: { team: 'payments' } });
    for (const o of objects) expect(o.metadata.labels).toMatchObject({ 'team': 'payments', 'app.kubernetes.io/name': 'api' });
    expect(one(objects, 'Deployment', 'api').spec.template.metadata.labels).toMatchObject({ 'team': 'payments', 'app.kubernetes.io/name': 'api' });
  });
});

describe('SecureService NetworkPolicy', () => {
  test('selects exactly its own pods, isolates them both ways and admits only DNS egress', () => {
    const chart = newChart('test', 'shop');
    new SecureService(chart, 'Api', { image: IMAGE, port: 8080 });
    new SecureService(chart, 'Web', { image: IMAGE, port: 8080 });
    const objects = synth(chart);
    const policy = one(objects, 'NetworkPolicy', 'api').spec;
    const podLabels = (name: string) => one(objects, 'Deployment', name).spec.template.metadata.labels;
    expect(selects(policy.podSelector, podLabels('api'))).toBe(true);
    expect(selects(policy.podSelector, podLabels('web'))).toBe(false);
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.ingress).toEqual([]);
    expect(policy.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
  });

  test('uses the cluster DNS of its namespace for the DNS egress rule', () => {
    const chart = newChart();
    const shop = new DenyAllNamespace(chart, 'Shop', { clusterDns: ClusterDns.kubeDns({ namespace: 'dns', podLabels: { app: 'coredns' } }) });
    new SecureService(chart, 'Api', { image: IMAGE, port: 8080, namespace: shop });
    const egress = one(synth(chart), 'NetworkPolicy', 'api').spec.egress;
    expect(egress[0].to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } }, podSelector: { matchLabels: { app: 'coredns' } } }]);
  });
});

describe('SecureService escape hatches', () => {
  test('deployment, service and serviceAccount are cdk8s-plus objects whose ApiObject takes JSON patches', () => {
    const chart = newChart();
    const api = new SecureService(chart, 'Api', { image: IMAGE, port: 8080 });
    expect(api.deployment).toBeInstanceOf(kplus.Deployment);
    expect(api.service).toBeInstanceOf(kplus.Service);
    expect(api.serviceAccount).toBeInstanceOf(kplus.ServiceAccount);
    ApiObject.of(api.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'critical'));
    ApiObject.of(api.service).addJsonPatch(JsonPatch.add('/metadata/annotations', { owner: 'payments' }));
    ApiObject.of(api.serviceAccount).addJsonPatch(JsonPatch.add('/metadata/annotations', { owner: 'payments' }));
    const objects = synth(chart);
    expect(one(objects, 'Deployment', 'api').spec.template.spec.priorityClassName).toBe('critical');
    expect(one(objects, 'Service', 'api').metadata.annotations).toEqual({ owner: 'payments' });
    expect(one(objects, 'ServiceAccount', 'api').metadata.annotations).toEqual({ owner: 'payments' });
  });
});

test('SecureService manifests match the snapshot', () => {
  const chart = newChart('test', 'shop');
  new SecureService(chart, 'Api', {
    image: IMAGE,
    ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }],
    healthCheckPath: '/healthz',
    writablePaths: ['/tmp'],
    spreadAcrossZones: true,
  });
  expect(synth(chart)).toMatchSnapshot();
});
