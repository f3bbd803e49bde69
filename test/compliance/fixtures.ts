/**
 * Hand-written manifests for the compliance suite: a small app that passes every check, and one
 * deliberately insecure variant per check, to prove each assertion can fail. Written by hand and
 * importing nothing but the dependency-free test/util/objects.ts: nothing of the library, cdk8s
 * or the schemas (test/README.md).
 */
import { one } from '../util/objects';

const LABELS = { 'app.kubernetes.io/name': 'web' };

/** A Deployment that meets every check (restricted PSS, probes, resources, anti-affinity). */
export function secureDeployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: LABELS },
    spec: {
      replicas: 2,
      selector: { matchLabels: LABELS },
      template: {
        metadata: { labels: LABELS },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: LABELS } } }] } },
          containers: [{
            name: 'main',
            image: 'ghcr.io/acme/web:2.0.0',
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { tcpSocket: { port: 8080 } },
            livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
            securityContext: {
              allowPrivilegeEscalation: false,
              privileged: false,
              readOnlyRootFilesystem: true,
              runAsNonRoot: true,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            },
          }],
        },
      },
    },
  };
}

/** The secure app: namespace, deployment, service, PDB, policies, TLS Ingress. */
export function secureApp(): any[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    secureDeployment(),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: LABELS, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { maxUnavailable: 1, selector: { matchLabels: LABELS }, unhealthyPodEvictionPolicy: 'AlwaysAllow' } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        podSelector: { matchLabels: LABELS },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'shop', annotations: { 'kubernetes.io/ingress.allow-http': 'false' } },
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
        rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }],
      },
    },
  ];
}

type Mutate = (app: any[]) => void;
const pod = (app: any[]) => one(app, 'Deployment').spec.template.spec;
const container = (app: any[]) => pod(app).containers[0];
const sc = (app: any[]) => container(app).securityContext;

/** One insecure variant per check id (`tool/id`): applied to `secureApp()`, it must trip that check. */
export const INSECURE: { readonly [check: string]: Mutate } = {
  'pss/host-namespaces': (a) => { pod(a).hostPID = true; },
  'pss/privileged': (a) => { sc(a).privileged = true; },
  'pss/capabilities': (a) => { sc(a).capabilities = { add: ['SYS_ADMIN'] }; },
  'pss/host-path-volumes': (a) => { pod(a).volumes = [{ name: 'h', hostPath: { path: '/var/log' } }]; },
  'pss/host-ports': (a) => { container(a).ports[0].hostPort = 8080; },
  'pss/host-process': (a) => { pod(a).securityContext.windowsOptions = { hostProcess: true }; },
  'pss/probe-host': (a) => { container(a).readinessProbe = { tcpSocket: { port: 8080, host: '10.0.0.1' } }; },
  'pss/apparmor': (a) => { sc(a).appArmorProfile = { type: 'Unconfined' }; },
  'pss/selinux': (a) => { sc(a).seLinuxOptions = { type: 'spc_t' }; },
  'pss/proc-mount': (a) => { sc(a).procMount = 'Unmasked'; },
  'pss/sysctls': (a) => { pod(a).securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]; },
  'pss/volume-types': (a) => { pod(a).volumes = [{ name: 'n', nfs: { server: 'nfs.example', path: '/x' } }]; },
  'pss/privilege-escalation': (a) => { delete sc(a).allowPrivilegeEscalation; },
  'pss/run-as-non-root': (a) => { delete pod(a).securityContext.runAsNonRoot; delete sc(a).runAsNonRoot; },
  'pss/seccomp': (a) => { delete pod(a).securityContext.seccompProfile; delete sc(a).seccompProfile; },
  'kube-linter/dangling-service': (a) => { one(a, 'Service').spec.selector = { 'app.kubernetes.io/name': 'wbe' }; },
  'kube-linter/docker-sock': (a) => { pod(a).volumes = [{ name: 'd', hostPath: { path: '/var/run/docker.sock' } }]; },
  'kube-linter/drop-net-raw-capability': (a) => { sc(a).capabilities = { drop: ['SYS_ADMIN'] }; },
  'kube-linter/env-var-secret': (a) => { container(a).env = [{ name: 'DB_PASSWORD', value: 'hunter2' }]; },
  'kube-linter/host-ipc': (a) => { pod(a).hostIPC = true; },
  'kube-linter/host-network': (a) => { pod(a).hostNetwork = true; },
  'kube-linter/host-pid': (a) => { pod(a).hostPID = true; },
  'kube-linter/invalid-target-ports': (a) => { one(a, 'Service').spec.ports[0].targetPort = 'http_port'; },
  'kube-linter/latest-tag': (a) => { container(a).image = 'ghcr.io/acme/web:latest'; },
  'kube-linter/liveness-port': (a) => { container(a).livenessProbe = { httpGet: { path: '/', port: 'admin' } }; },
  'kube-linter/readiness-port': (a) => { container(a).readinessProbe = { tcpSocket: { port: 9999 } }; },
  'kube-linter/startup-port': (a) => { container(a).startupProbe = { tcpSocket: { port: 9999 } }; },
  'kube-linter/mismatching-selector': (a) => { one(a, 'Deployment').spec.selector = { matchLabels: { app: 'other' } }; },
  'kube-linter/no-anti-affinity': (a) => { delete pod(a).affinity; },
  'kube-linter/no-read-only-root-fs': (a) => { sc(a).readOnlyRootFilesystem = false; },
  'kube-linter/pdb-max-unavailable': (a) => { one(a, 'PodDisruptionBudget').spec.maxUnavailable = 0; },
  'kube-linter/pdb-min-available': (a) => { const p = one(a, 'PodDisruptionBudget'); delete p.spec.maxUnavailable; p.spec.minAvailable = 2; },
  'kube-linter/pdb-unhealthy-pod-eviction-policy': (a) => { delete one(a, 'PodDisruptionBudget').spec.unhealthyPodEvictionPolicy; },
  'kube-linter/privilege-escalation-container': (a) => { sc(a).allowPrivilegeEscalation = true; },
  'kube-linter/privileged-container': (a) => { sc(a).privileged = true; },
  'kube-linter/run-as-non-root': (a) => { pod(a).securityContext.runAsGroup = 0; sc(a).runAsGroup = 0; },
  'kube-linter/sensitive-host-mounts': (a) => { pod(a).volumes = [{ name: 'e', hostPath: { path: '/etc' } }]; },
  'kube-linter/ssh-port': (a) => { container(a).ports.push({ name: 'ssh', containerPort: 22 }); },
  'kube-linter/unsafe-sysctls': (a) => { pod(a).securityContext.sysctls = [{ name: 'net.core.somaxconn', value: '1024' }]; },
  'kube-linter/unset-cpu-requirements': (a) => { delete container(a).resources.limits.cpu; },
  'kube-linter/unset-memory-requirements': (a) => { delete container(a).resources.requests.memory; },
  'kube-linter/dangling-ingress': (a) => { one(a, 'Ingress').spec.rules[0].http.paths[0].backend.service.port = { name: 'https' }; },
  'kube-linter/dangling-networkpolicy': (a) => { one(a, 'NetworkPolicy', 'web').spec.podSelector = { matchLabels: { 'app.kubernetes.io/name': 'wbe' } }; },
  'kube-linter/non-isolated-pod': (a) => { a.splice(0, a.length, ...a.filter((o) => o.kind !== 'NetworkPolicy')); },
  'kube-linter/exposed-services': (a) => { one(a, 'Service').spec.type = 'LoadBalancer'; },
  'kube-linter/privileged-ports': (a) => { container(a).ports[0].containerPort = 80; },
  'kube-linter/use-namespace': (a) => { one(a, 'Service').metadata.namespace = 'default'; },
  'kube-linter/no-readiness-probe': (a) => { delete container(a).readinessProbe; },
  'kube-linter/no-liveness-probe': (a) => { delete container(a).livenessProbe; },
  'polaris/hostIPCSet': (a) => { pod(a).hostIPC = true; },
  'polaris/hostPIDSet': (a) => { pod(a).hostPID = true; },
  'polaris/hostNetworkSet': (a) => { pod(a).hostNetwork = true; },
  'polaris/hostPortSet': (a) => { container(a).ports[0].hostPort = 8080; },
  'polaris/hostPathSet': (a) => { pod(a).volumes = [{ name: 'h', hostPath: { path: '/data' } }]; },
  'polaris/hostProcess': (a) => { sc(a).windowsOptions = { hostProcess: true }; },
  'polaris/runAsPrivileged': (a) => { sc(a).privileged = true; },
  'polaris/runAsRootAllowed': (a) => { delete pod(a).securityContext.runAsNonRoot; delete pod(a).securityContext.runAsUser; delete sc(a).runAsNonRoot; },
  'polaris/privilegeEscalationAllowed': (a) => { delete sc(a).allowPrivilegeEscalation; },
  'polaris/dangerousCapabilities': (a) => { sc(a).capabilities.add = ['NET_ADMIN']; },
  'polaris/insecureCapabilities': (a) => { sc(a).capabilities.drop = ['NET_RAW']; },
  'polaris/linuxHardening': (a) => { delete pod(a).securityContext.seccompProfile; delete sc(a).seccompProfile; delete sc(a).capabilities; },
  'polaris/notReadOnlyRootFilesystem': (a) => { delete sc(a).readOnlyRootFilesystem; },
  'polaris/procMount': (a) => { sc(a).procMount = 'Unmasked'; },
  'polaris/automountServiceAccountToken': (a) => { delete pod(a).automountServiceAccountToken; },
  // The trap: a deny-all plus an ingress-only allow policy isolates the pod, but Polaris wants one
  // matchLabels policy with both directions.
  'polaris/missingNetworkPolicy': (a) => { const p = one(a, 'NetworkPolicy', 'web'); p.spec.policyTypes = ['Ingress']; delete p.spec.egress; },
  'polaris/tlsSettingsMissing': (a) => { delete one(a, 'Ingress').spec.tls; },
  'kyverno/restrict-node-port': (a) => { one(a, 'Service').spec.type = 'NodePort'; },
  'kyverno/restrict-service-external-ips': (a) => { one(a, 'Service').spec.externalIPs = ['203.0.113.10']; },
  'kyverno/disallow-default-namespace': (a) => { one(a, 'Deployment').metadata.namespace = 'default'; },
  'kyverno/disallow-empty-ingress-host': (a) => { delete one(a, 'Ingress').spec.rules[0].host; },
  'kyverno/require-ingress-https': (a) => { delete one(a, 'Ingress').metadata.annotations; },
  'kyverno/ingress-host-match-tls': (a) => { one(a, 'Ingress').spec.tls[0].hosts = ['*.example.com']; },
  'kyverno/restrict-ingress-wildcard': (a) => { const i = one(a, 'Ingress'); i.spec.rules[0].host = '*.example.com'; i.spec.tls[0].hosts = ['*.example.com']; },
  'kyverno/disallow-ingress-nginx-custom-snippets': (a) => { one(a, 'Ingress').metadata.annotations['nginx.ingress.kubernetes.io/server-snippet'] = 'return 200;'; },
};
