/**
 * The checks of the policy tools users run on our output, re-implemented as pure functions over
 * manifests (we cannot run those Go tools here). Each check follows the tool's own source, as
 * summarised in /work/shared/reference/policy-baselines.md (kube-linter@35de568,
 * polaris@c0e23a2, kyverno/policies@b9c4317, Pod Security Admission). Each honours the tool's
 * own opt-out annotation where the tool has one, so documented exceptions stay visible in the
 * manifests.
 */

export type Tool = 'pss' | 'kube-linter' | 'polaris' | 'kyverno';

export interface ComplianceFinding {
  readonly check: string;
  /** `Kind namespace/name`. */
  readonly resource: string;
  readonly message: string;
}

export interface ComplianceCheck {
  readonly tool: Tool;
  /** The tool's own id (`dangling-service`, `missingNetworkPolicy`, `restrict-node-port`). */
  readonly id: string;
  /** What the tool checks, in one line (docs/compliance.md). */
  readonly description: string;
  readonly check: (objects: readonly any[]) => ComplianceFinding[];
}

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod'];

interface Pod {
  readonly owner: any;
  readonly spec: any;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

function arr(v: any): any[] {
  return Array.isArray(v) ? v : [];
}

export function describe(o: any): string {
  const ns = o?.metadata?.namespace;
  return `${o?.kind} ${ns ? `${ns}/` : ''}${o?.metadata?.name}`;
}

function podOf(o: any): Pod | undefined {
  if (!WORKLOADS.includes(o?.kind)) return undefined;
  if (o.kind === 'Pod') return { owner: o, spec: o.spec ?? {}, labels: o.metadata?.labels ?? {}, annotations: o.metadata?.annotations ?? {} };
  const t = o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template : o.spec?.template;
  return { owner: o, spec: t?.spec ?? {}, labels: t?.metadata?.labels ?? {}, annotations: t?.metadata?.annotations ?? {} };
}

function pods(objects: readonly any[]): Pod[] {
  return objects.map(podOf).filter((p): p is Pod => p !== undefined);
}

function containers(spec: any): any[] {
  return [...arr(spec?.containers), ...arr(spec?.initContainers), ...arr(spec?.ephemeralContainers)];
}

function nsOf(o: any): string {
  return o?.metadata?.namespace || 'default';
}

function matchLabels(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

/** Full label selector semantics (matchLabels and matchExpressions). */
function selectorMatches(selector: any, labels: Record<string, string>): boolean {
  if (!matchLabels(selector?.matchLabels, labels)) return false;
  return arr(selector?.matchExpressions).every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': return has && arr(e.values).includes(labels[e.key]);
      case 'NotIn': return !has || !arr(e.values).includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

/** kube-linter's per-object opt-out: `ignore-check.kube-linter.io/<check>`. */
function kubeLinterIgnored(o: any, check: string): boolean {
  return o?.metadata?.annotations?.[`ignore-check.kube-linter.io/${check}`] !== undefined;
}

/** Polaris' per-object opt-out: `polaris.fairwinds.com/<check>-exempt: "true"`. */
function polarisExempt(o: any, check: string): boolean {
  const a = o?.metadata?.annotations ?? {};
  return a[`polaris.fairwinds.com/${check}-exempt`] === 'true' || a['polaris.fairwinds.com/exempt'] === 'true';
}

/** A Kyverno name pattern: `*` and `?` wildcards. */
function kyvernoWildcard(pattern: string, value: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}

/**
 * Kyverno's opt-out, which is no annotation but a `PolicyException` (kyverno.io/v2) among the
 * inputs: it exempts the resources its `match.any[].resources` describes (kinds, names,
 * namespaces with wildcards, selector.matchLabels) from the listed rules of the listed policies.
 */
function kyvernoExcepted(objects: readonly any[], o: any, policy: string, rule: string): boolean {
  return objects.some((e) => e?.kind === 'PolicyException' && /^kyverno\.io\//.test(e.apiVersion ?? '')
    && arr(e.spec?.exceptions).some((x) => x?.policyName === policy && arr(x.ruleNames).some((r) => kyvernoWildcard(String(r), rule)))
    && arr(e.spec?.match?.any).some((m) => {
      const r = m?.resources ?? {};
      const kinds = arr(r.kinds);
      const names = arr(r.names);
      const namespaces = arr(r.namespaces);
      return (kinds.length === 0 || kinds.includes(o.kind))
        && (names.length === 0 || names.some((n) => kyvernoWildcard(String(n), o.metadata?.name ?? '')))
        && (namespaces.length === 0 || namespaces.some((n) => kyvernoWildcard(String(n), nsOf(o))))
        && matchLabels(r.selector?.matchLabels, o.metadata?.labels ?? {});
    }));
}

function finding(check: string, o: any, message: string): ComplianceFinding {
  return { check, resource: describe(o), message };
}

/** One finding per pod or container for which `bad` returns a message. */
function perPod(check: string, objects: readonly any[], bad: (p: Pod) => string | undefined, ignore?: (o: any) => boolean): ComplianceFinding[] {
  return pods(objects).filter((p) => !ignore?.(p.owner)).flatMap((p) => {
    const m = bad(p);
    return m ? [finding(check, p.owner, m)] : [];
  });
}

function perContainer(
  check: string, objects: readonly any[], bad: (c: any, p: Pod) => string | undefined, ignore?: (o: any) => boolean,
): ComplianceFinding[] {
  return pods(objects).filter((p) => !ignore?.(p.owner)).flatMap((p) => containers(p.spec).flatMap((c) => {
    const m = bad(c, p);
    return m ? [finding(check, p.owner, `container ${c?.name}: ${m}`)] : [];
  }));
}

const kl = (id: string) => (o: any) => kubeLinterIgnored(o, id);
const pol = (id: string) => (o: any) => polarisExempt(o, id);

// ---------------------------------------------------------------------------------------------
// Pod Security Standards, restricted (which includes baseline).
// ---------------------------------------------------------------------------------------------
const BASELINE_CAPS = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SELINUX_TYPES = ['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

const pssChecks: ComplianceCheck[] = [
  {
    tool: 'pss',
    id: 'host-namespaces',
    description: 'hostNetwork, hostPID and hostIPC are unset or false (baseline)',
    check: (o) => perPod('host-namespaces', o, (p) => ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => p.spec[f] === true).map((f) => `${f} is true`)[0]),
  },
  {
    tool: 'pss',
    id: 'privileged',
    description: 'no privileged container (baseline)',
    check: (o) => perContainer('privileged', o, (c) => (c?.securityContext?.privileged === true ? 'privileged is true' : undefined)),
  },
  {
    tool: 'pss',
    id: 'capabilities',
    description: 'capabilities.drop includes ALL; add only NET_BIND_SERVICE (restricted; baseline list for add)',
    check: (o) => perContainer('capabilities', o, (c) => {
      const caps = c?.securityContext?.capabilities ?? {};
      const add = arr(caps.add);
      if (add.some((x) => !BASELINE_CAPS.includes(x))) return `adds ${add.join(',')}, beyond the baseline list`;
      if (add.some((x) => x !== 'NET_BIND_SERVICE')) return `adds ${add.join(',')}; restricted allows NET_BIND_SERVICE only`;
      if (!arr(caps.drop).includes('ALL')) return 'capabilities.drop does not include ALL';
      return undefined;
    }),
  },
  {
    tool: 'pss',
    id: 'host-path-volumes',
    description: 'no hostPath volumes (baseline)',
    check: (o) => perPod('host-path-volumes', o, (p) => (arr(p.spec.volumes).some((v) => v?.hostPath) ? 'a hostPath volume' : undefined)),
  },
  {
    tool: 'pss',
    id: 'host-ports',
    description: 'hostPort unset or 0 (baseline)',
    check: (o) => perContainer('host-ports', o, (c) => (arr(c?.ports).some((p) => p?.hostPort) ? 'a hostPort' : undefined)),
  },
  {
    tool: 'pss',
    id: 'host-process',
    description: 'windowsOptions.hostProcess is not true (baseline)',
    check: (o) => perPod('host-process', o, (p) => (p.spec.securityContext?.windowsOptions?.hostProcess === true
      || containers(p.spec).some((c) => c?.securityContext?.windowsOptions?.hostProcess === true) ? 'hostProcess is true' : undefined)),
  },
  {
    tool: 'pss',
    id: 'probe-host',
    description: 'probe and lifecycle handler host fields are unset (baseline, 1.34+)',
    check: (o) => perContainer('probe-host', o, (c) => {
      const handlers = [c?.livenessProbe, c?.readinessProbe, c?.startupProbe, c?.lifecycle?.postStart, c?.lifecycle?.preStop];
      return handlers.some((h) => h?.httpGet?.host || h?.tcpSocket?.host) ? 'a probe or hook sets host' : undefined;
    }),
  },
  {
    tool: 'pss',
    id: 'apparmor',
    description: 'AppArmor is unset, RuntimeDefault or Localhost (baseline)',
    check: (o) => perPod('apparmor', o, (p) => {
      const bad = Object.entries(p.annotations).find(([k, v]) => k.startsWith('container.apparmor.security.beta.kubernetes.io/') && v !== 'runtime/default' && !v.startsWith('localhost/'));
      const types = [p.spec.securityContext?.appArmorProfile?.type, ...containers(p.spec).map((c) => c?.securityContext?.appArmorProfile?.type)];
      if (bad || types.some((t) => t !== undefined && t !== 'RuntimeDefault' && t !== 'Localhost')) return 'AppArmor profile is Unconfined';
      return undefined;
    }),
  },
  {
    tool: 'pss',
    id: 'selinux',
    description: 'seLinuxOptions.type is one of the container types; user and role unset (baseline)',
    check: (o) => perPod('selinux', o, (p) => {
      const opts = [p.spec.securityContext?.seLinuxOptions, ...containers(p.spec).map((c) => c?.securityContext?.seLinuxOptions)].filter(Boolean);
      return opts.some((s) => (s.type !== undefined && !SELINUX_TYPES.includes(s.type)) || s.user || s.role) ? 'seLinuxOptions is not allowed' : undefined;
    }),
  },
  {
    tool: 'pss',
    id: 'proc-mount',
    description: 'procMount is unset or Default (baseline)',
    check: (o) => perContainer('proc-mount', o, (c) => (c?.securityContext?.procMount && c.securityContext.procMount !== 'Default' ? 'procMount is not Default' : undefined)),
  },
  {
    tool: 'pss',
    id: 'sysctls',
    description: 'only the safe namespaced sysctls (baseline)',
    check: (o) => perPod('sysctls', o, (p) => arr(p.spec.securityContext?.sysctls).filter((s) => !SAFE_SYSCTLS.includes(s?.name)).map((s) => `sysctl ${s?.name}`)[0]),
  },
  {
    tool: 'pss',
    id: 'volume-types',
    description: 'volumes are configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret (restricted)',
    check: (o) => perPod('volume-types', o, (p) => arr(p.spec.volumes).map((v) => Object.keys(v ?? {}).find((k) => k !== 'name' && !RESTRICTED_VOLUMES.includes(k))).filter(Boolean).map((k) => `a ${k} volume`)[0]),
  },
  {
    tool: 'pss',
    id: 'privilege-escalation',
    description: 'allowPrivilegeEscalation is false on every container (restricted; unset fails)',
    check: (o) => perContainer('privilege-escalation', o, (c, p) => (p.spec.os?.name !== 'windows' && c?.securityContext?.allowPrivilegeEscalation !== false ? 'allowPrivilegeEscalation is not false' : undefined)),
  },
  {
    tool: 'pss',
    id: 'run-as-non-root',
    description: 'runAsNonRoot true at pod level or on every container; runAsUser is not 0 (restricted)',
    check: (o) => perPod('run-as-non-root', o, (p) => {
      const podNonRoot = p.spec.securityContext?.runAsNonRoot === true;
      const cs = containers(p.spec);
      if (cs.some((c) => c?.securityContext?.runAsNonRoot === false)) return 'a container sets runAsNonRoot false';
      if (!podNonRoot && !cs.every((c) => c?.securityContext?.runAsNonRoot === true)) return 'runAsNonRoot is not true';
      if (p.spec.securityContext?.runAsUser === 0 || cs.some((c) => c?.securityContext?.runAsUser === 0)) return 'runAsUser is 0';
      return undefined;
    }),
  },
  {
    tool: 'pss',
    id: 'seccomp',
    description: 'seccompProfile.type is RuntimeDefault or Localhost at pod level or on every container (restricted; unset fails)',
    check: (o) => perPod('seccomp', o, (p) => {
      if (p.spec.os?.name === 'windows') return undefined;
      const ok = (t: any) => t === 'RuntimeDefault' || t === 'Localhost';
      const podType = p.spec.securityContext?.seccompProfile?.type;
      const cs = containers(p.spec);
      if (podType !== undefined && !ok(podType)) return `pod seccompProfile is ${podType}`;
      if (cs.some((c) => c?.securityContext?.seccompProfile?.type !== undefined && !ok(c.securityContext.seccompProfile.type))) return 'a container seccompProfile is Unconfined';
      if (podType === undefined && !cs.every((c) => ok(c?.securityContext?.seccompProfile?.type))) return 'seccompProfile is not set';
      return undefined;
    }),
  },
];

// ---------------------------------------------------------------------------------------------
// kube-linter: the checks on by default, plus the ones the issue enables.
// ---------------------------------------------------------------------------------------------
const IANA_SVC_NAME = /^(?=.*[a-z])(?!-)(?!.*--)[a-z0-9-]{1,15}(?<!-)$/;
const SENSITIVE_MOUNTS = ['/', '/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr', '/var/run/docker.sock', '/var/run/crio/crio.sock', '/run/containerd/containerd.sock'];

function selectingPolicies(objects: readonly any[], p: Pod): any[] {
  return objects.filter((o) => o?.kind === 'NetworkPolicy' && nsOf(o) === nsOf(p.owner) && selectorMatches(o.spec?.podSelector ?? {}, p.labels));
}

function replicas(o: any): number {
  return o?.kind === 'Deployment' || o?.kind === 'StatefulSet' || o?.kind === 'ReplicaSet' ? (o.spec?.replicas ?? 1) : 1;
}

const kubeLinterChecks: ComplianceCheck[] = [
  {
    tool: 'kube-linter',
    id: 'dangling-service',
    description: 'a Service selector matches a pod; also fires on a Service without selector (ExternalName skipped)',
    check: (objects) => objects.filter((s) => s?.kind === 'Service' && s.spec?.type !== 'ExternalName' && !kubeLinterIgnored(s, 'dangling-service')).flatMap((s) => {
      const sel = s.spec?.selector;
      if (!sel || Object.keys(sel).length === 0) return [finding('dangling-service', s, 'no selector')];
      return pods(objects).some((p) => nsOf(p.owner) === nsOf(s) && matchLabels(sel, p.labels)) ? [] : [finding('dangling-service', s, 'selector matches no pod')];
    }),
  },
  {
    tool: 'kube-linter',
    id: 'docker-sock',
    description: 'no hostPath mount of docker.sock',
    check: (o) => perPod('docker-sock', o, (p) => (arr(p.spec.volumes).some((v) => String(v?.hostPath?.path ?? '').endsWith('docker.sock')) ? 'mounts docker.sock' : undefined), kl('docker-sock')),
  },
  {
    tool: 'kube-linter',
    id: 'drop-net-raw-capability',
    description: 'containers drop NET_RAW (or ALL)',
    check: (o) => perContainer('drop-net-raw-capability', o, (c) => {
      const drop = arr(c?.securityContext?.capabilities?.drop);
      return drop.includes('ALL') || drop.includes('NET_RAW') ? undefined : 'does not drop NET_RAW';
    }, kl('drop-net-raw-capability')),
  },
  {
    tool: 'kube-linter',
    id: 'env-var-secret',
    description: 'no secret-looking env var with a literal value',
    check: (o) => perContainer('env-var-secret', o, (c) => arr(c?.env).filter((e) => /secret|password|token|passwd|api_?key/i.test(e?.name ?? '') && typeof e?.value === 'string' && e.value !== '')
      .map((e) => `env ${e.name} holds a literal secret`)[0], kl('env-var-secret')),
  },
  ...(['hostIPC', 'hostNetwork', 'hostPID'] as const).map((f): ComplianceCheck => {
    const id = f === 'hostIPC' ? 'host-ipc' : f === 'hostNetwork' ? 'host-network' : 'host-pid';
    return { tool: 'kube-linter', id, description: `${f} is not true`, check: (o) => perPod(id, o, (p) => (p.spec[f] === true ? `${f} is true` : undefined), kl(id)) };
  }),
  {
    tool: 'kube-linter',
    id: 'invalid-target-ports',
    description: 'Service targetPorts and container port names are IANA_SVC_NAMEs or 1-65535',
    check: (objects) => [
      ...objects.filter((s) => s?.kind === 'Service' && !kubeLinterIgnored(s, 'invalid-target-ports')).flatMap((s) => arr(s.spec?.ports).flatMap((port) => {
        const t = port?.targetPort;
        if (t === undefined) return [];
        const ok = typeof t === 'number' ? Number.isInteger(t) && t >= 1 && t <= 65535 : IANA_SVC_NAME.test(String(t));
        return ok ? [] : [finding('invalid-target-ports', s, `targetPort ${t}`)];
      })),
      ...perContainer('invalid-target-ports', objects, (c) => arr(c?.ports).filter((p) => p?.name !== undefined && !IANA_SVC_NAME.test(p.name)).map((p) => `port name ${p.name}`)[0], kl('invalid-target-ports')),
    ],
  },
  {
    tool: 'kube-linter',
    id: 'latest-tag',
    description: 'images are pinned (no :latest, no missing tag)',
    check: (o) => perContainer('latest-tag', o, (c) => {
      const image = String(c?.image ?? '');
      if (image.includes('@')) return undefined;
      const last = image.split('/').pop() ?? '';
      return !last.includes(':') || last.endsWith(':latest') ? `image ${image} is not pinned` : undefined;
    }, kl('latest-tag')),
  },
  ...(['liveness', 'readiness', 'startup'] as const).map((k): ComplianceCheck => ({
    tool: 'kube-linter',
    id: `${k}-port`,
    description: `the ${k} probe port is an exposed container port`,
    check: (o) => perContainer(`${k}-port`, o, (c) => {
      const probe = c?.[`${k}Probe`];
      const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
      if (port === undefined) return undefined;
      const ok = typeof port === 'number' ? arr(c.ports).some((p) => p?.containerPort === port) : arr(c.ports).some((p) => p?.name === port);
      return ok ? undefined : `${k} probe port ${port} is not a container port`;
    }, kl(`${k}-port`)),
  })),
  {
    tool: 'kube-linter',
    id: 'mismatching-selector',
    description: 'a workload selector matches its own pod template labels',
    check: (objects) => objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(o?.kind) && !kubeLinterIgnored(o, 'mismatching-selector')).flatMap((o) => {
      const sel = o.spec?.selector;
      if (!sel && o.kind === 'Job') return [];
      return sel && selectorMatches(sel, o.spec?.template?.metadata?.labels ?? {}) ? [] : [finding('mismatching-selector', o, 'selector does not match the pod template')];
    }),
  },
  {
    tool: 'kube-linter',
    id: 'no-anti-affinity',
    description: 'workloads with replicas > 1 set pod anti-affinity on kubernetes.io/hostname matching their pods',
    check: (objects) => pods(objects).filter((p) => replicas(p.owner) > 1 && !kubeLinterIgnored(p.owner, 'no-anti-affinity')).flatMap((p) => {
      const aa = p.spec.affinity?.podAntiAffinity;
      const terms = [
        ...arr(aa?.requiredDuringSchedulingIgnoredDuringExecution),
        ...arr(aa?.preferredDuringSchedulingIgnoredDuringExecution).map((t) => t?.podAffinityTerm),
      ];
      const ok = terms.some((t) => (t?.topologyKey ?? '') === 'kubernetes.io/hostname' && selectorMatches(t?.labelSelector ?? {}, p.labels)
        && (!t?.namespaces || arr(t.namespaces).includes(nsOf(p.owner))));
      return ok ? [] : [finding('no-anti-affinity', p.owner, `${replicas(p.owner)} replicas but no pod anti-affinity on kubernetes.io/hostname`)];
    }),
  },
  {
    tool: 'kube-linter',
    id: 'no-read-only-root-fs',
    description: 'containers have readOnlyRootFilesystem true',
    check: (o) => perContainer('no-read-only-root-fs', o, (c) => (c?.securityContext?.readOnlyRootFilesystem === true ? undefined : 'root filesystem is writable'), kl('no-read-only-root-fs')),
  },
  {
    tool: 'kube-linter',
    id: 'pdb-max-unavailable',
    description: 'a PDB maxUnavailable is not 0 / 0%',
    check: (objects) => objects.filter((o) => o?.kind === 'PodDisruptionBudget' && !kubeLinterIgnored(o, 'pdb-max-unavailable'))
      .filter((o) => o.spec?.maxUnavailable === 0 || o.spec?.maxUnavailable === '0%').map((o) => finding('pdb-max-unavailable', o, 'maxUnavailable is 0')),
  },
  {
    tool: 'kube-linter',
    id: 'pdb-min-available',
    description: 'a PDB minAvailable is below the replicas of the workloads it selects',
    check: (objects) => objects.filter((o) => o?.kind === 'PodDisruptionBudget' && o.spec?.minAvailable !== undefined && !kubeLinterIgnored(o, 'pdb-min-available')).flatMap((pdb) => pods(objects)
      .filter((p) => nsOf(p.owner) === nsOf(pdb) && selectorMatches(pdb.spec?.selector ?? {}, p.labels))
      .filter((p) => typeof pdb.spec.minAvailable === 'number' ? pdb.spec.minAvailable >= replicas(p.owner) : pdb.spec.minAvailable === '100%')
      .map((p) => finding('pdb-min-available', pdb, `minAvailable ${pdb.spec.minAvailable} blocks every eviction of ${describe(p.owner)}`))),
  },
  {
    tool: 'kube-linter',
    id: 'pdb-unhealthy-pod-eviction-policy',
    description: 'a PDB sets unhealthyPodEvictionPolicy explicitly',
    check: (objects) => objects.filter((o) => o?.kind === 'PodDisruptionBudget' && o.spec?.unhealthyPodEvictionPolicy === undefined && !kubeLinterIgnored(o, 'pdb-unhealthy-pod-eviction-policy'))
      .map((o) => finding('pdb-unhealthy-pod-eviction-policy', o, 'unhealthyPodEvictionPolicy is not set')),
  },
  {
    tool: 'kube-linter',
    id: 'privilege-escalation-container',
    description: 'allowPrivilegeEscalation is false (or the container is not privileged and adds no SYS_ADMIN)',
    check: (o) => perContainer('privilege-escalation-container', o, (c) => (c?.securityContext?.allowPrivilegeEscalation === false ? undefined : 'allowPrivilegeEscalation is not false'), kl('privilege-escalation-container')),
  },
  {
    tool: 'kube-linter',
    id: 'privileged-container',
    description: 'no privileged container',
    check: (o) => perContainer('privileged-container', o, (c) => (c?.securityContext?.privileged === true ? 'privileged' : undefined), kl('privileged-container')),
  },
  {
    tool: 'kube-linter',
    id: 'run-as-non-root',
    description: 'runAsNonRoot true or runAsUser > 0, and no root group (runAsGroup / fsGroup 0)',
    check: (o) => perContainer('run-as-non-root', o, (c, p) => {
      const pod = p.spec.securityContext ?? {};
      const sc = c?.securityContext ?? {};
      const nonRoot = (sc.runAsNonRoot ?? pod.runAsNonRoot) === true || (sc.runAsUser ?? pod.runAsUser ?? 0) > 0;
      if (!nonRoot) return 'may run as root';
      if ((sc.runAsGroup ?? pod.runAsGroup) === 0 || pod.fsGroup === 0) return 'runs with the root group';
      return undefined;
    }, kl('run-as-non-root')),
  },
  {
    tool: 'kube-linter',
    id: 'sensitive-host-mounts',
    description: 'no hostPath mount of sensitive host directories',
    check: (o) => perPod('sensitive-host-mounts', o, (p) => arr(p.spec.volumes).filter((v) => v?.hostPath && SENSITIVE_MOUNTS.includes(v.hostPath.path)).map((v) => `mounts ${v.hostPath.path}`)[0], kl('sensitive-host-mounts')),
  },
  {
    tool: 'kube-linter',
    id: 'ssh-port',
    description: 'no container port 22',
    check: (o) => perContainer('ssh-port', o, (c) => (arr(c?.ports).some((p) => p?.containerPort === 22) ? 'exposes port 22' : undefined), kl('ssh-port')),
  },
  {
    tool: 'kube-linter',
    id: 'unsafe-sysctls',
    description: 'no unsafe sysctls (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, net.*)',
    check: (o) => perPod('unsafe-sysctls', o, (p) => arr(p.spec.securityContext?.sysctls).filter((s) => /^(kernel\.(msg|sem|shm)|fs\.mqueue\.|net\.)/.test(s?.name ?? '')).map((s) => `sysctl ${s.name}`)[0], kl('unsafe-sysctls')),
  },
  ...(['cpu', 'memory'] as const).map((r): ComplianceCheck => ({
    tool: 'kube-linter',
    id: `unset-${r}-requirements`,
    description: `containers set ${r} requests and limits`,
    check: (o) => perContainer(`unset-${r}-requirements`, o, (c) => (c?.resources?.requests?.[r] && c?.resources?.limits?.[r] ? undefined : `${r} request or limit unset`), kl(`unset-${r}-requirements`)),
  })),
  // Off by default; enabled by the issue.
  {
    tool: 'kube-linter',
    id: 'dangling-ingress',
    description: 'every Ingress backend names a Service and port that exist',
    check: (objects) => objects.filter((i) => i?.kind === 'Ingress' && !kubeLinterIgnored(i, 'dangling-ingress')).flatMap((i) => {
      const backends = [i.spec?.defaultBackend, ...arr(i.spec?.rules).flatMap((r) => arr(r?.http?.paths).map((p) => p?.backend))]
        .filter((b) => b?.service);
      return backends.filter((b) => !objects.some((s) => s?.kind === 'Service' && nsOf(s) === nsOf(i) && s.metadata?.name === b.service.name
        && arr(s.spec?.ports).some((p) => (b.service.port?.name !== undefined
          ? p?.name === b.service.port.name
          : p?.port === b.service.port?.number))))
        .map((b) => finding('dangling-ingress', i, `backend ${b.service.name}:${b.service.port?.name ?? b.service.port?.number} does not exist`));
    }),
  },
  {
    tool: 'kube-linter',
    id: 'dangling-networkpolicy',
    description: 'a NetworkPolicy podSelector matches some pod (an empty selector always matches)',
    check: (objects) => objects.filter((n) => n?.kind === 'NetworkPolicy' && !kubeLinterIgnored(n, 'dangling-networkpolicy')).flatMap((n) => {
      const sel = n.spec?.podSelector ?? {};
      if (Object.keys(sel.matchLabels ?? {}).length === 0 && arr(sel.matchExpressions).length === 0) return [];
      return pods(objects).some((p) => nsOf(p.owner) === nsOf(n) && selectorMatches(sel, p.labels)) ? [] : [finding('dangling-networkpolicy', n, 'podSelector matches no pod')];
    }),
  },
  {
    tool: 'kube-linter',
    id: 'non-isolated-pod',
    description: 'every workload is selected by some NetworkPolicy',
    check: (objects) => pods(objects).filter((p) => !kubeLinterIgnored(p.owner, 'non-isolated-pod') && selectingPolicies(objects, p).length === 0)
      .map((p) => finding('non-isolated-pod', p.owner, 'no NetworkPolicy selects its pods')),
  },
  {
    tool: 'kube-linter',
    id: 'exposed-services',
    description: 'no Service of type NodePort or LoadBalancer',
    check: (objects) => objects.filter((s) => s?.kind === 'Service' && ['NodePort', 'LoadBalancer'].includes(s.spec?.type) && !kubeLinterIgnored(s, 'exposed-services'))
      .map((s) => finding('exposed-services', s, `type ${s.spec.type}`)),
  },
  {
    tool: 'kube-linter',
    id: 'privileged-ports',
    description: 'no containerPort below 1024',
    check: (o) => perContainer('privileged-ports', o, (c) => arr(c?.ports).filter((p) => typeof p?.containerPort === 'number' && p.containerPort < 1024).map((p) => `containerPort ${p.containerPort}`)[0], kl('privileged-ports')),
  },
  {
    tool: 'kube-linter',
    id: 'use-namespace',
    description: 'namespaced objects are not in the default namespace (or without one)',
    check: (objects) => objects.filter((o) => [...WORKLOADS, 'Service', 'Ingress', 'NetworkPolicy'].includes(o?.kind) && nsOf(o) === 'default' && !kubeLinterIgnored(o, 'use-namespace'))
      .map((o) => finding('use-namespace', o, 'in the default namespace')),
  },
  {
    tool: 'kube-linter',
    id: 'no-readiness-probe',
    description: 'containers have a readiness probe (Jobs and CronJobs skipped)',
    check: (o) => perContainer('no-readiness-probe', o.filter((x) => !['Job', 'CronJob'].includes(x?.kind)), (c) => (c?.readinessProbe ? undefined : 'no readiness probe'), kl('no-readiness-probe')),
  },
  {
    tool: 'kube-linter',
    id: 'no-liveness-probe',
    description: 'containers have a liveness probe (Jobs and CronJobs skipped)',
    check: (o) => perContainer('no-liveness-probe', o.filter((x) => !['Job', 'CronJob'].includes(x?.kind)), (c) => (c?.livenessProbe ? undefined : 'no liveness probe'), kl('no-liveness-probe')),
  },
];

// ---------------------------------------------------------------------------------------------
// Polaris security checks.
// ---------------------------------------------------------------------------------------------
const DANGEROUS_CAPS = ['ALL', 'SYS_ADMIN', 'NET_ADMIN'];

const polarisChecks: ComplianceCheck[] = [
  ...(['hostIPC', 'hostPID', 'hostNetwork'] as const).map((f): ComplianceCheck => ({
    tool: 'polaris',
    id: `${f}Set`,
    description: `${f} is not true`,
    check: (o) => perPod(`${f}Set`, o, (p) => (p.spec[f] === true ? `${f} is true` : undefined), pol(`${f}Set`)),
  })),
  { tool: 'polaris', id: 'hostPortSet', description: 'no hostPort', check: (o) => perContainer('hostPortSet', o, (c) => (arr(c?.ports).some((p) => p?.hostPort) ? 'hostPort set' : undefined), pol('hostPortSet')) },
  { tool: 'polaris', id: 'hostPathSet', description: 'no hostPath volume', check: (o) => perPod('hostPathSet', o, (p) => (arr(p.spec.volumes).some((v) => v?.hostPath) ? 'hostPath volume' : undefined), pol('hostPathSet')) },
  {
    tool: 'polaris',
    id: 'hostProcess',
    description: 'windowsOptions.hostProcess is not true',
    check: (o) => perContainer('hostProcess', o, (c, p) => ((c?.securityContext?.windowsOptions?.hostProcess ?? p.spec.securityContext?.windowsOptions?.hostProcess) === true ? 'hostProcess' : undefined), pol('hostProcess')),
  },
  { tool: 'polaris', id: 'runAsPrivileged', description: 'not privileged', check: (o) => perContainer('runAsPrivileged', o, (c) => (c?.securityContext?.privileged === true ? 'privileged' : undefined), pol('runAsPrivileged')) },
  {
    tool: 'polaris',
    id: 'runAsRootAllowed',
    description: 'runAsNonRoot true or runAsUser >= 1 (container or pod)',
    check: (o) => perContainer('runAsRootAllowed', o, (c, p) => {
      const sc = c?.securityContext ?? {};
      const pod = p.spec.securityContext ?? {};
      return (sc.runAsNonRoot ?? pod.runAsNonRoot) === true || (sc.runAsUser ?? pod.runAsUser ?? 0) >= 1 ? undefined : 'may run as root';
    }, pol('runAsRootAllowed')),
  },
  {
    tool: 'polaris',
    id: 'privilegeEscalationAllowed',
    description: 'allowPrivilegeEscalation is false',
    check: (o) => perContainer('privilegeEscalationAllowed', o, (c) => (c?.securityContext?.allowPrivilegeEscalation === false ? undefined : 'privilege escalation allowed'), pol('privilegeEscalationAllowed')),
  },
  {
    tool: 'polaris',
    id: 'dangerousCapabilities',
    description: 'capabilities.add has none of ALL, SYS_ADMIN, NET_ADMIN',
    check: (o) => perContainer('dangerousCapabilities', o, (c) => arr(c?.securityContext?.capabilities?.add).filter((x) => DANGEROUS_CAPS.includes(x)).map((x) => `adds ${x}`)[0], pol('dangerousCapabilities')),
  },
  {
    tool: 'polaris',
    id: 'insecureCapabilities',
    description: 'capabilities.drop contains ALL',
    check: (o) => perContainer('insecureCapabilities', o, (c) => (arr(c?.securityContext?.capabilities?.drop).includes('ALL') ? undefined : 'does not drop ALL'), pol('insecureCapabilities')),
  },
  {
    tool: 'polaris',
    id: 'linuxHardening',
    description: 'one of: seccomp other than Unconfined, seLinuxOptions, a capabilities drop, or an AppArmor annotation',
    check: (o) => perContainer('linuxHardening', o, (c, p) => {
      const sc = c?.securityContext ?? {};
      const seccomp = sc.seccompProfile?.type ?? p.spec.securityContext?.seccompProfile?.type;
      const hardened = (seccomp !== undefined && seccomp !== 'Unconfined') || sc.seLinuxOptions || p.spec.securityContext?.seLinuxOptions
        || arr(sc.capabilities?.drop).length > 0 || Object.keys(p.annotations).some((k) => k.startsWith('container.apparmor.security.beta.kubernetes.io/'));
      return hardened ? undefined : 'no Linux hardening';
    }, pol('linuxHardening')),
  },
  {
    tool: 'polaris',
    id: 'notReadOnlyRootFilesystem',
    description: 'readOnlyRootFilesystem is true',
    check: (o) => perContainer('notReadOnlyRootFilesystem', o, (c) => (c?.securityContext?.readOnlyRootFilesystem === true ? undefined : 'writable root filesystem'), pol('notReadOnlyRootFilesystem')),
  },
  {
    tool: 'polaris',
    id: 'procMount',
    description: 'procMount is unset or Default',
    check: (o) => perContainer('procMount', o, (c) => (c?.securityContext?.procMount && c.securityContext.procMount !== 'Default' ? 'procMount' : undefined), pol('procMount')),
  },
  {
    tool: 'polaris',
    id: 'automountServiceAccountToken',
    description: 'automountServiceAccountToken is false on the pod (or its ServiceAccount)',
    check: (objects) => perPod('automountServiceAccountToken', objects, (p) => {
      if (p.spec.automountServiceAccountToken === false) return undefined;
      const sa = objects.find((o) => o?.kind === 'ServiceAccount' && nsOf(o) === nsOf(p.owner) && o.metadata?.name === (p.spec.serviceAccountName ?? 'default'));
      return sa?.automountServiceAccountToken === false && p.spec.automountServiceAccountToken === undefined ? undefined : 'mounts a service account token';
    }, pol('automountServiceAccountToken')),
  },
  {
    tool: 'polaris',
    id: 'missingNetworkPolicy',
    description: 'a NetworkPolicy whose podSelector.matchLabels matches the pod (empty does not count), with non-empty ingress and egress and both policyTypes',
    check: (objects) => perPod('missingNetworkPolicy', objects, (p) => (objects.some((n) => n?.kind === 'NetworkPolicy' && nsOf(n) === nsOf(p.owner)
      && Object.keys(n.spec?.podSelector?.matchLabels ?? {}).length > 0 && matchLabels(n.spec.podSelector.matchLabels, p.labels)
      && arr(n.spec?.ingress).length > 0 && arr(n.spec?.egress).length > 0
      && arr(n.spec?.policyTypes).includes('Ingress') && arr(n.spec?.policyTypes).includes('Egress'))
      ? undefined : 'no policy selects it by matchLabels with ingress and egress rules and both policyTypes'), pol('missingNetworkPolicy')),
  },
  {
    tool: 'polaris',
    id: 'tlsSettingsMissing',
    description: 'every Ingress has spec.tls',
    check: (objects) => objects.filter((i) => i?.kind === 'Ingress' && arr(i.spec?.tls).length === 0 && !polarisExempt(i, 'tlsSettingsMissing'))
      .map((i) => finding('tlsSettingsMissing', i, 'no spec.tls')),
  },
];

// ---------------------------------------------------------------------------------------------
// Kyverno policies.
// ---------------------------------------------------------------------------------------------
const kyvernoChecks: ComplianceCheck[] = [
  {
    tool: 'kyverno',
    id: 'restrict-node-port',
    description: 'Service type is not NodePort',
    check: (objects) => objects.filter((s) => s?.kind === 'Service' && s.spec?.type === 'NodePort').map((s) => finding('restrict-node-port', s, 'type NodePort')),
  },
  {
    tool: 'kyverno',
    id: 'restrict-service-external-ips',
    description: 'Service externalIPs is absent',
    check: (objects) => objects.filter((s) => s?.kind === 'Service' && s.spec?.externalIPs !== undefined).map((s) => finding('restrict-service-external-ips', s, 'externalIPs is set')),
  },
  {
    tool: 'kyverno',
    id: 'disallow-default-namespace',
    description: 'Pods and controllers are not in the default namespace',
    check: (objects) => objects.filter((o) => WORKLOADS.includes(o?.kind) && nsOf(o) === 'default').map((o) => finding('disallow-default-namespace', o, 'in the default namespace')),
  },
  {
    tool: 'kyverno',
    id: 'disallow-empty-ingress-host',
    description: 'every Ingress rule with http has a host',
    check: (objects) => objects.filter((i) => i?.kind === 'Ingress' && arr(i.spec?.rules).some((r) => r?.http && !r.host)).map((i) => finding('disallow-empty-ingress-host', i, 'a rule without host')),
  },
  {
    tool: 'kyverno',
    id: 'require-ingress-https',
    description: 'annotation kubernetes.io/ingress.allow-http: "false" and spec.tls present',
    check: (objects) => objects.filter((i) => i?.kind === 'Ingress').flatMap((i) => [
      ...(i.metadata?.annotations?.['kubernetes.io/ingress.allow-http'] !== 'false' && !kyvernoExcepted(objects, i, 'require-ingress-https', 'has-annotation')
        ? [finding('require-ingress-https', i, 'has-annotation: allow-http is not "false"')] : []),
      ...(arr(i.spec?.tls).length === 0 && !kyvernoExcepted(objects, i, 'require-ingress-https', 'has-tls') ? [finding('require-ingress-https', i, 'has-tls: spec.tls is missing')] : []),
    ]),
  },
  {
    tool: 'kyverno',
    id: 'ingress-host-match-tls',
    description: 'each rules[].host appears in tls[].hosts',
    check: (objects) => objects.filter((i) => i?.kind === 'Ingress' && !kyvernoExcepted(objects, i, 'ingress-host-match-tls', 'host-match-tls')).flatMap((i) => {
      const tls = arr(i.spec?.tls).flatMap((t) => arr(t?.hosts));
      return arr(i.spec?.rules).filter((r) => r?.host && !tls.includes(r.host)).map((r) => finding('ingress-host-match-tls', i, `host ${r.host} is not in spec.tls`));
    }),
  },
  {
    tool: 'kyverno',
    id: 'restrict-ingress-wildcard',
    description: 'no * in Ingress hosts',
    check: (objects) => objects.filter((i) => i?.kind === 'Ingress' && [...arr(i.spec?.rules).map((r) => r?.host), ...arr(i.spec?.tls).flatMap((t) => arr(t?.hosts))].some((h) => String(h ?? '').includes('*')))
      .map((i) => finding('restrict-ingress-wildcard', i, 'a wildcard host')),
  },
  {
    tool: 'kyverno',
    id: 'disallow-ingress-nginx-custom-snippets',
    description: 'no *-snippet annotation on Ingresses; ingress-nginx ConfigMaps set allow-snippet-annotations "false"',
    check: (objects) => [
      ...objects.filter((i) => i?.kind === 'Ingress' && Object.keys(i.metadata?.annotations ?? {}).some((k) => /-snippet$/.test(k)))
        .map((i) => finding('disallow-ingress-nginx-custom-snippets', i, 'a snippet annotation')),
      ...objects.filter((c) => c?.kind === 'ConfigMap' && c.data?.['allow-snippet-annotations'] !== undefined && c.data['allow-snippet-annotations'] !== 'false')
        .map((c) => finding('disallow-ingress-nginx-custom-snippets', c, 'allow-snippet-annotations is not "false"')),
    ],
  },
];

/** Every check of the compliance suite. */
export const CHECKS: readonly ComplianceCheck[] = [...pssChecks, ...kubeLinterChecks, ...polarisChecks, ...kyvernoChecks];

/** Runs every check (or those of `tools`) over `objects`. */
export function complianceFindings(objects: readonly any[], checks: readonly ComplianceCheck[] = CHECKS): ComplianceFinding[] {
  return checks.flatMap((c) => c.check(objects).map((f) => ({ ...f, check: `${c.tool}/${c.id}` })));
}
