/*
 * The pod hardening shared by the workload constructs of this library (SecureService,
 * HeadlessStatefulEndpoint): one props struct, validated once, rendered the same way.
 *
 * The pods meet the Pod Security Standards *restricted* profile: runAsNonRoot with a non-zero
 * uid/gid, seccomp RuntimeDefault at pod and container level, no privilege escalation, a
 * read-only root filesystem (writable paths become emptyDirs), every capability dropped, resource
 * requests and limits, readiness and liveness probes, and spreading across nodes.
 */
import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HealthCheck, HTTP_PATH } from './health-check';
import { antiAffinityJson, NO_PORT_CONTAINER, podSpecJson, rendersAsInstalledCdk8sPlus, Resources, spreadJson, VolumeMountJson } from './pod-spec-json';
import { fail } from '../core/errors';
import { describeValue, isObject, optionalBoolean, optionalInstance, optionalNumber, optionalObject, optionalString, optionalStringArray, optionalStringMap, requireString } from '../core/guards';
import { sortedJson } from '../core/own-spec';
import { IPeer } from '../core/peer';
import { Port, Protocol } from '../core/port';
import { PodDns, resolvePodDns } from '../dns/pod-dns';

/**
 * Props of the hardened pods every workload construct of this library runs.
 *
 * The pods meet the Pod Security Standards *restricted* profile whatever is set here; these
 * props only choose ids, resources, probes, writable paths and DNS.
 */
export interface HardenedPodProps {
  /**
   * The container image, pinned: a version tag (`ghcr.io/acme/api:1.4.2`) or a digest
   * (`ghcr.io/acme/api@sha256:...`). An image with no tag (which pulls `:latest`) or with
   * `:latest` is refused unless `allowMutableImageTag` is set.
   */
  readonly image: string;
  /**
   * Accept an image with no tag or with `:latest`: each pull may then run a different image, and a
   * rollback does not roll the code back (kube-linter `latest-tag` fails on it).
   * @default false
   */
  readonly allowMutableImageTag?: boolean;
  /**
   * Accept more than 1000 replicas (the API server's own limit, int32, always applies).
   * @default false
   */
  readonly allowLargeReplicaCount?: boolean;
  /**
   * CPU request in millicores.
   * @default 100
   */
  readonly cpuRequestMillis?: number;
  /**
   * CPU limit in millicores.
   * @default 500
   */
  readonly cpuLimitMillis?: number;
  /**
   * Memory request in mebibytes.
   * @default 128
   */
  readonly memoryRequestMebibytes?: number;
  /**
   * Memory limit in mebibytes.
   * @default 256
   */
  readonly memoryLimitMebibytes?: number;
  /**
   * Readiness check, from any cdk8s-plus version: `HealthCheck.httpGet('/ready')`, `HealthCheck.tcpSocket()`,
   * `HealthCheck.exec([...])`. A check that names no port checks the first TCP port. Not with `readiness`.
   * @default - HTTP GET `healthCheckPath` on the first TCP port if set, else a TCP check on the first TCP port
   */
  readonly readinessCheck?: HealthCheck;
  /**
   * Liveness check, from any cdk8s-plus version (see `readinessCheck`). Not with `liveness`.
   * @default - HTTP GET `healthCheckPath` on the first TCP port if set, else a TCP check on the first TCP port
   */
  readonly livenessCheck?: HealthCheck;
  /**
   * Readiness probe as a cdk8s-plus-28 `Probe` (an app on another cdk8s-plus version uses `readinessCheck`).
   * A probe that names no port (`Probe.fromHttpGet('/ready')`) checks the first TCP port (refused if there is none).
   * @default - HTTP GET `healthCheckPath` on the first TCP port if set, else a TCP check on the first TCP port
   */
  readonly readiness?: kplus.Probe;
  /**
   * Liveness probe as a cdk8s-plus-28 `Probe` (an app on another cdk8s-plus version uses `livenessCheck`).
   * A probe that names no port checks the first TCP port (refused if there is none).
   * @default - HTTP GET `healthCheckPath` on the first TCP port if set, else a TCP check on the first TCP port
   */
  readonly liveness?: kplus.Probe;
  /**
   * HTTP path for the default probes.
   * @default - TCP probes
   */
  readonly healthCheckPath?: string;
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Entrypoint.
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * User id of the container processes (non-zero).
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Group id of the container processes and of mounted volumes (`fsGroup`); non-zero.
   * @default 10001
   */
  readonly runAsGroup?: number;
  /**
   * Paths mounted as writable emptyDir volumes (the root filesystem is read-only), e.g. `/tmp`.
   * @default - none
   */
  readonly writablePaths?: string[];
  /**
   * Add the NET_BIND_SERVICE capability so a non-root process can bind ports below 1024.
   * @default false
   */
  readonly allowPrivilegedPorts?: boolean;
  /**
   * Also spread pods across zones (`topology.kubernetes.io/zone`); they are always spread across nodes.
   * @default false
   */
  readonly spreadAcrossZones?: boolean;
  /**
   * DNS policy and resolver configuration of the pods. The NetworkPolicy allows DNS to the
   * nameservers listed here, as well as to the cluster DNS.
   * @default - DnsPolicy.CLUSTER_FIRST with the cluster's resolver configuration
   */
  readonly dns?: PodDns;
}

/** One named container port. @internal */
export interface HardenedPodPort {
  readonly name: string;
  readonly port: number;
  /** Omitted from the manifest when undefined (Kubernetes defaults to TCP). */
  readonly protocol?: Protocol;
}

/** What a workload construct knows about its pods besides the props. @internal */
export interface HardenedPodContext {
  /** The construct name used in messages (`SecureService`). */
  readonly construct: string;
  /** The container ports (at least one; the first TCP port is probed). */
  readonly ports: HardenedPodPort[];
  /** Labels that select exactly these pods (topology spread). */
  readonly selectorLabels: { [key: string]: string };
  /**
   * How the kubelet changes volume ownership to `fsGroup`.
   * @default kplus.FsGroupChangePolicy.ALWAYS
   */
  readonly fsGroupChangePolicy?: kplus.FsGroupChangePolicy;
}

/** Validated, ready-to-use pieces of a hardened pod. @internal */
export interface HardenedPod {
  readonly user: number;
  readonly group: number;
  /** Pod-level security context (kplus). */
  readonly securityContext: kplus.PodSecurityContextProps;
  /** DNS props (kplus), when `dns` is set. */
  readonly dns?: kplus.PodDnsProps;
  /** Egress the pods need beyond the cluster DNS (the `dns.nameservers`). */
  readonly dnsEgress: Array<{ peer: IPeer; ports: Port[] }>;
  /**
   * Whether `podSpecJson` can write the pod spec: false when a probe was given as a cdk8s-plus-28
   * `Probe`, which only cdk8s-plus renders (against its Container).
   */
  readonly ownRenderable: boolean;
  /**
   * The single container (kplus), named `main`. The first call creates the emptyDir volumes of the
   * writable paths under the scope, as `Writable<i>`.
   */
  kplusContainer(): kplus.ContainerProps;
  /**
   * The pod spec, as cdk8s-plus-28 renders it for a workload of these props with `kplusContainer()`,
   * `securityContext`, `dns`, `serviceAccountName`, `automountServiceAccountToken: false` and the
   * patches of `applyPatches` (keys sorted, as cdk8s writes them); with `plain` false, as the props of the generated
   * class (IntOrString and Quantity values as `{ value }`, probes as cdk8s-plus makes them). Only when `ownRenderable`.
   * @param mounts volume mounts of the container after those of the writable paths (a StatefulSet's claim template,
   * which its JSON patch mounts there)
   */
  podSpecJson(serviceAccountName: string, plain: boolean, mounts?: VolumeMountJson[]): any;
  /**
   * Adds what cdk8s-plus-28 cannot express to the workload object (a Deployment or StatefulSet,
   * whose pod template is at `/spec/template`): the pod-level seccomp profile and the topology
   * spread constraints.
   */
  applyPatches(workload: ApiObject): void;
}

/**
 * Checks the types of the hardened-pod props (`<construct>.<field> is the string "2"; ...`), for
 * callers outside TypeScript. Constructs call it first, before any prop is used.
 * @internal
 */
export function checkHardenedPodPropTypes(scope: Construct, p: string, props: HardenedPodProps): void {
  requireString(scope, `${p}.image`, props.image, "give an image reference, e.g. 'ghcr.io/acme/api:1.4.2'");
  for (const field of ['cpuRequestMillis', 'cpuLimitMillis', 'memoryRequestMebibytes', 'memoryLimitMebibytes', 'runAsUser', 'runAsGroup'] as const) {
    optionalNumber(scope, `${p}.${field}`, props[field], 'give a whole number');
  }
  for (const field of ['readiness', 'liveness'] as const) {
    const probe: unknown = props[field];
    const check = `${field}Check` as const;
    // A Probe of another cdk8s-plus version (cdk8s-plus-33, which `cdk8s init` installs) is not one this library can render.
    if (isObject(probe) && !(probe instanceof kplus.Probe) && describeValue(probe) === 'a Probe') {
      fail(scope, `${p}.${field} is a Probe from another cdk8s-plus version than cdk8s-plus-28, which this library renders with; `
        + `use ${p}.${check} instead, e.g. ${check}: HealthCheck.httpGet('/healthz') (or HealthCheck.tcpSocket(), HealthCheck.exec([...])).`);
    }
    optionalInstance(scope, `${p}.${field}`, probe, kplus.Probe, 'give a Probe, e.g. Probe.fromHttpGet(\'/healthz\')');
    optionalInstance(scope, `${p}.${check}`, props[check], HealthCheck, "give a HealthCheck, e.g. HealthCheck.httpGet('/healthz')");
    if (probe !== undefined && props[check] !== undefined) {
      fail(scope, `${p}.${field} and ${p}.${check} are both set; give one of them (${check} works with any cdk8s-plus version).`);
    }
  }
  optionalString(scope, `${p}.healthCheckPath`, props.healthCheckPath, "give an absolute HTTP path such as '/healthz'");
  optionalStringMap(scope, `${p}.env`, props.env, "give a map of names to values, e.g. { LOG_LEVEL: 'info' }", 'environment values are strings');
  optionalStringArray(scope, `${p}.command`, props.command, "give a list of strings, e.g. ['/app/server']", 'give a string');
  optionalStringArray(scope, `${p}.args`, props.args, "give a list of strings, e.g. ['--port', '8080']", 'give a string');
  optionalStringArray(scope, `${p}.writablePaths`, props.writablePaths, "give a list of paths, e.g. ['/tmp']", "give an absolute path such as '/tmp'");
  optionalObject(scope, `${p}.dns`, props.dns, 'give a PodDns object, e.g. { policy: DnsPolicy.CLUSTER_FIRST }');
  optionalBoolean(scope, `${p}.allowMutableImageTag`, props.allowMutableImageTag, 'give true or false');
  optionalBoolean(scope, `${p}.allowLargeReplicaCount`, props.allowLargeReplicaCount, 'give true or false');
}

/** Replicas above this need `allowLargeReplicaCount` (a typo such as 30000 for 3 is more likely than intent). @internal */
const MAX_REPLICAS_WITHOUT_OPT_IN = 1000;
/** The API server stores `replicas` as int32. */
const INT32_MAX = 2147483647;

/**
 * Checks a workload's replica count: a whole number 0..int32, and at most 1000 unless
 * `allowLargeReplicaCount` is set.
 * @internal
 */
export function checkReplicas(scope: Construct, p: string, replicas: number, allowLarge: boolean | undefined): void {
  if (!Number.isInteger(replicas) || replicas < 0) fail(scope, `${p}.replicas is ${replicas}; replicas must be a whole number >= 0.`);
  if (replicas > INT32_MAX) {
    fail(scope, `${p}.replicas is ${replicas}; the API server stores replicas as a 32-bit integer (at most ${INT32_MAX}), so it would reject the object. Give a realistic count.`);
  }
  if (replicas > MAX_REPLICAS_WITHOUT_OPT_IN && !allowLarge) {
    fail(scope, `${p}.replicas is ${replicas}, more than ${MAX_REPLICAS_WITHOUT_OPT_IN} pods of one workload; if that is not a typo, set ${p}.allowLargeReplicaCount to true.`);
  }
}

/**
 * Why `image` is not pinned (no tag, or `:latest`), or undefined for a version tag or a digest.
 * The tag is after the last `:` of the last path segment (`localhost:5000/app` has none).
 * @internal
 */
export function mutableImageProblem(image: string): string | undefined {
  const at = image.indexOf('@');
  if (at >= 0) return undefined;
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  if (colon < 0) return 'has no tag (the node pulls :latest)';
  if (last.slice(colon + 1) === 'latest') return 'uses the tag latest';
  return undefined;
}

/**
 * Whether a cdk8s-plus-28 Probe names a port of its own. The probe is rendered once against a stand-in container whose
 * `portNumber` is a sentinel no real port can be: a probe whose rendered httpGet/tcpSocket port is the sentinel took it
 * from the container, so it names none. Rendering (rather than reading the probe's private option fields) follows the
 * same `options.port ?? container.portNumber ?? 80` rule the real render uses, whatever the fields are called.
 */
function probeNamesPort(probe: kplus.Probe): boolean {
  const SENTINEL = -0.5;
  const stand = { portNumber: SENTINEL } as unknown as kplus.Container;
  type Rendered = { httpGet?: { port?: { value?: unknown } }; tcpSocket?: { port?: { value?: unknown } } };
  const rendered = (probe as unknown as { _toKube(container: kplus.Container): Rendered })._toKube(stand);
  return rendered.httpGet?.port?.value !== SENTINEL && rendered.tcpSocket?.port?.value !== SENTINEL;
}

/**
 * A probe given in the props, rendered as if the container's port were `port` (the first TCP port). cdk8s-plus fills a
 * probe's missing port from the container's `portNumber`, else 80 (cdk8s-plus-28 lib/_action.js:
 * `options.port ?? container.portNumber ?? 80`); these containers list `ports` and leave `portNumber` unset (so that
 * cdk8s-plus adds no startup probe), so a probe without a port of its own would check port 80. A port the probe names wins.
 */
function onPort(probe: kplus.Probe, port: number | undefined): kplus.Probe {
  if (port === undefined) return probe;
  const render = (probe as unknown as { _toKube(container: kplus.Container): unknown })._toKube.bind(probe);
  const wrapped = Object.create(probe) as kplus.Probe;
  (wrapped as unknown as { _toKube(container: kplus.Container): unknown })._toKube = (container) => render(new Proxy(container, {
    get: (target, key, receiver) => (key === 'portNumber' ? target.portNumber ?? port : Reflect.get(target, key, receiver)),
  }));
  return wrapped;
}

/**
 * Validates `props` (messages name `<construct>.<field>`) and builds the hardened pod.
 * Writable paths become emptyDir volumes `writable-<i>` created under `scope` as `Writable<i>`.
 * @internal
 */
export function hardenPod(scope: Construct, props: HardenedPodProps, ctx: HardenedPodContext): HardenedPod {
  const p = ctx.construct;
  if (!props.image || /\s/.test(props.image)) fail(scope, `${p}.image "${props.image ?? ''}" is not an image reference; give e.g. 'ghcr.io/acme/api:1.4.2'.`);
  const digest = props.image.includes('@') ? props.image.slice(props.image.indexOf('@') + 1) : undefined;
  if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
    fail(scope, `${p}.image "${props.image}" has the digest "${digest}", which is not sha256: followed by 64 lowercase hex digits; copy the digest from the registry.`);
  }
  const mutable = mutableImageProblem(props.image);
  if (mutable && !props.allowMutableImageTag) {
    const repo = props.image.replace(/:latest$/, '');
    fail(scope, `${p}.image "${props.image}" ${mutable}, so each pull may run a different image (kube-linter latest-tag); `
      + `pin a version tag ('${repo}:1.2.3') or a digest ('${repo}@sha256:...'), or set ${p}.allowMutableImageTag to true.`);
  }
  if (ctx.ports.length === 0) fail(scope, `${p}: a hardened pod needs at least one port; give ${p}.ports.`);
  // A non-root process cannot bind ports below 1024 without NET_BIND_SERVICE (kube-linter privileged-ports).
  const low = ctx.ports.find((cp) => cp.port < 1024);
  if (low && !props.allowPrivilegedPorts) {
    fail(scope, `${p}: container port ${low.name} is ${low.port}, below 1024, which the non-root container cannot bind; `
      + `listen on a port >= 1024 (set targetPort, e.g. 8080) or set ${p}.allowPrivilegedPorts to true.`);
  }
  const user = props.runAsUser ?? 10001;
  const group = props.runAsGroup ?? 10001;
  if (!Number.isInteger(user) || user < 1) fail(scope, `${p}.runAsUser is ${user}; it must be a non-zero user/group id (0 is root).`);
  if (!Number.isInteger(group) || group < 1) fail(scope, `${p}.runAsGroup is ${group}; it must be a non-zero user/group id (0 is root).`);
  const resources = validateResources(scope, p, props);
  const writable = props.writablePaths ?? [];
  writable.forEach((path, i) => {
    if (!path.startsWith('/') || path === '/') fail(scope, `${p}.writablePaths[${i}] "${path}" is not an absolute directory path below /.`);
  });
  const twice = writable.find((path, i) => writable.indexOf(path) !== i);
  if (twice !== undefined) fail(scope, `${p}.writablePaths lists "${twice}" twice; list each path once.`);
  if (props.healthCheckPath !== undefined && !HTTP_PATH.test(props.healthCheckPath)) {
    fail(scope, `${p}.healthCheckPath "${props.healthCheckPath}" is not an absolute HTTP path.`);
  }
  for (const name of Object.keys(props.env ?? {})) {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) fail(scope, `${p}.env: "${name}" is not a valid environment variable name.`);
  }
  const dns = resolvePodDns(scope, p, props.dns);

  // The kubelet probes over TCP only (tcpSocket, httpGet, grpc; no UDP or SCTP probe): the default probes check the first
  // TCP port (kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes).
  const probed = ctx.ports.find((cp) => (cp.protocol ?? Protocol.TCP) === Protocol.TCP);
  const defaultProbe = (field: 'readiness' | 'liveness'): kplus.Probe => {
    if (!probed) {
      fail(scope, `${p}.${field} is not set, and ${p} has no TCP port (its ports are ${ctx.ports.map((cp) => `${cp.protocol} ${cp.port}`).join(', ')}): `
        + `the kubelet probes TCP only, so a default probe would never succeed. Give ${p}.readinessCheck and ${p}.livenessCheck `
        + "(e.g. HealthCheck.exec(['/bin/healthcheck'])), or add a TCP port.");
    }
    return props.healthCheckPath
      ? kplus.Probe.fromHttpGet(props.healthCheckPath, { port: probed.port })
      : kplus.Probe.fromTcpSocket({ port: probed.port });
  };
  // A HealthCheck becomes the cdk8s-plus-28 Probe it stands for, given the same port rule as a Probe in the props.
  // A probe or check that names no port would get port 80 from cdk8s-plus (see onPort), which no TCP port of this pod backs.
  const noTcpPortToCheck = (field: string, kind: 'check' | 'probe', command: string): never =>
    fail(scope, `${p}.${field} names no port, and ${p} has no TCP port to check (its ports are ${ctx.ports.map((cp) => `${cp.protocol} ${cp.port}`).join(', ')}); `
      + `give the ${kind} a port ({ port: 8080 }), or use ${command}.`);
  // The API server accepts only successThreshold 1 on a liveness probe (k8s.io/kubernetes pkg/apis/core/validation: validateLivenessProbe).
  const refuseLivenessThreshold = (field: string, threshold: number) => {
    if (threshold !== 1) fail(scope, `${p}.${field} successThreshold is ${threshold}; the API server accepts only 1 on a liveness probe; leave it out or give 1.`);
  };
  const probe = (field: 'readiness' | 'liveness'): kplus.Probe => {
    const check = props[`${field}Check`];
    if (check === undefined) {
      const given = props[field];
      if (given === undefined) return defaultProbe(field);
      if (!probed && !probeNamesPort(given)) noTcpPortToCheck(field, 'probe', "Probe.fromCommand(['/bin/healthcheck'])");
      if (field === 'liveness') {
        const threshold = (given as unknown as { _toKube(c: kplus.Container): kplus.k8s.Probe })._toKube(NO_PORT_CONTAINER).successThreshold;
        if (threshold !== undefined) refuseLivenessThreshold('liveness', threshold);
      }
      return onPort(given, probed?.port);
    }
    if (check._needsPort && !probed) noTcpPortToCheck(`${field}Check`, 'check', "HealthCheck.exec(['/bin/healthcheck'])");
    // The API server accepts only successThreshold 1 on a liveness probe (k8s.io/kubernetes pkg/apis/core/validation: validateLivenessProbe).
    if (field === 'liveness' && check._successThreshold !== undefined) refuseLivenessThreshold('livenessCheck', check._successThreshold);
    return onPort(check._toProbe(), probed?.port);
  };
  const readiness = probe('readiness');
  const liveness = probe('liveness');
  const capabilities = {
    drop: [kplus.Capability.ALL],
    add: props.allowPrivilegedPorts ? [kplus.Capability.NET_BIND_SERVICE] : undefined,
  };
  let container: kplus.ContainerProps | undefined;
  const kplusContainer = (): kplus.ContainerProps => {
    if (container) return container;
    const volumes = writable.map((path, i) => ({ path, volume: kplus.Volume.fromEmptyDir(scope, `Writable${i}`, `writable-${i}`) }));
    container = {
      name: 'main',
      image: props.image,
      // `ports` (not `portNumber`), so cdk8s-plus adds no startup probe: readiness and liveness are the contract.
      ports: ctx.ports.map((cp) => ({ name: cp.name, number: cp.port, protocol: cp.protocol as unknown as kplus.Protocol })),
      command: props.command,
      args: props.args,
      envVariables: Object.fromEntries(Object.entries(props.env ?? {}).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
      resources: kplusResources(resources),
      readiness,
      liveness,
      volumeMounts: volumes.map((v) => ({ path: v.path, volume: v.volume })),
      securityContext: {
        ensureNonRoot: true,
        user,
        group,
        privileged: false,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities,
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
    };
    return container;
  };

  // One copy of the selector labels for every patch below (JsonPatch.apply clones the values of the ops it applies).
  const matchLabels = { ...ctx.selectorLabels };
  const spread = spreadJson(matchLabels, props.spreadAcrossZones);

  const fsGroupChangePolicy = ctx.fsGroupChangePolicy ?? kplus.FsGroupChangePolicy.ALWAYS;
  const given = props.readiness !== undefined || props.liveness !== undefined;
  // The probes as cdk8s-plus-28 renders them in a container that lists `ports` and no `portNumber`
  // (lib/container.js `_toKube`: `this._readiness?._toKube(this)`), then the generated `toJson_Probe`.
  const probeProps = (pr: kplus.Probe) => (pr as unknown as { _toKube(c: kplus.Container): kplus.k8s.Probe })._toKube(NO_PORT_CONTAINER);
  const probeJson = (pr: kplus.Probe) => sortedJson(kplus.k8s.toJson_Probe(probeProps(pr)));

  return {
    user,
    group,
    securityContext: { ensureNonRoot: true, user, group, fsGroup: group, fsGroupChangePolicy },
    kplusContainer,
    dns: dns?.props,
    dnsEgress: dns?.egress ?? [],
    ownRenderable: !given && rendersAsInstalledCdk8sPlus(),
    podSpecJson(serviceAccountName: string, plain: boolean, mounts: VolumeMountJson[] = []) {
      const rendered = (pr: kplus.Probe) => (plain ? probeJson(pr) : probeProps(pr));
      return podSpecJson({
        props,
        ctx,
        user,
        group,
        resources,
        capabilities,
        fsGroupChangePolicy,
        serviceAccountName,
        plain,
        mounts,
        dns: dns?.props,
        readiness: rendered(readiness),
        liveness: rendered(liveness),
      });
    },
    applyPatches(workload: ApiObject) {
      // cdk8s-plus-28 has no pod-level seccomp profile; set it so containers added later inherit it.
      workload.addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
      // Always spread across nodes: harmless with one replica, and in place when the workload is scaled.
      workload.addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', spread));
      // Anti-affinity too: schedulers without spread support and kube-linter's no-anti-affinity look only here.
      workload.addJsonPatch(JsonPatch.add('/spec/template/spec/affinity', antiAffinityJson(matchLabels)));
    },
  };
}

/** The resource props, in the order they are checked. */
const RESOURCE_FIELDS = ['cpuRequestMillis', 'cpuLimitMillis', 'memoryRequestMebibytes', 'memoryLimitMebibytes'] as const;

function validateResources(scope: Construct, p: string, props: HardenedPodProps): Resources {
  const v = {
    cpuRequestMillis: props.cpuRequestMillis ?? 100,
    cpuLimitMillis: props.cpuLimitMillis ?? 500,
    memoryRequestMebibytes: props.memoryRequestMebibytes ?? 128,
    memoryLimitMebibytes: props.memoryLimitMebibytes ?? 256,
  };
  for (const k of RESOURCE_FIELDS) {
    if (!Number.isInteger(v[k]) || v[k] < 1) fail(scope, `${p}.${k} is ${v[k]}; it must be a whole number >= 1.`);
  }
  if (v.cpuLimitMillis < v.cpuRequestMillis) fail(scope, `${p}.cpuLimitMillis (${v.cpuLimitMillis}) is below cpuRequestMillis (${v.cpuRequestMillis}); a limit must be >= the request.`);
  if (v.memoryLimitMebibytes < v.memoryRequestMebibytes) {
    fail(scope, `${p}.memoryLimitMebibytes (${v.memoryLimitMebibytes}) is below memoryRequestMebibytes (${v.memoryRequestMebibytes}); a limit must be >= the request.`);
  }
  return v;
}

function kplusResources(v: Resources): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(v.cpuRequestMillis), limit: kplus.Cpu.millis(v.cpuLimitMillis) },
    memory: { request: Size.mebibytes(v.memoryRequestMebibytes), limit: Size.mebibytes(v.memoryLimitMebibytes) },
  };
}
