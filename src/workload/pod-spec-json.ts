/*
 * The pod spec a hardened workload writes itself (its own objects, src/core/own-spec.ts `OwnObject`): the pod spec
 * cdk8s-plus-28 2.5.6 writes for the props of src/workload/hardened-pod.ts, key for key.
 * test/service/own-objects.test.ts and test/stateful/own-objects.test.ts compare it with cdk8s-plus-28's rendering.
 */
import * as kplus from 'cdk8s-plus-28';
import type { HardenedPodContext, HardenedPodProps } from './hardened-pod';
import { sortedJson } from '../core/own-spec';

/** A volume mount of the container, keys in the order cdk8s writes them (the generated `toJson_VolumeMount`). @internal */
export interface VolumeMountJson {
  readonly mountPath: string;
  readonly name: string;
}

/** The validated resources, with their defaults. @internal */
export interface Resources {
  readonly cpuRequestMillis: number;
  readonly cpuLimitMillis: number;
  readonly memoryRequestMebibytes: number;
  readonly memoryLimitMebibytes: number;
}

/** The cdk8s-plus-28 release whose objects `podSpecJson` and the workloads' own objects write (its last release). */
const OWN_OBJECTS_OF = '2.5.6';
let installedCdk8sPlus: string | undefined;

/**
 * Whether the installed cdk8s-plus-28 is the release whose objects this library writes itself: with another
 * release, the workloads render through cdk8s-plus-28 as before, so the manifests are always those the installed
 * cdk8s-plus-28 writes.
 * @internal
 */
export function rendersAsInstalledCdk8sPlus(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  installedCdk8sPlus ??= (require('cdk8s-plus-28/package.json') as { version: string }).version;
  return installedCdk8sPlus === OWN_OBJECTS_OF;
}

/**
 * A stand-in for the container a probe is rendered against: these containers list `ports` and leave
 * `portNumber` unset (a probe without a port of its own gets the first TCP port from `onPort`).
 * @internal
 */
export const NO_PORT_CONTAINER = {} as kplus.Container;

/** What `podSpecJson` writes a pod spec from. @internal */
export interface PodSpecParts {
  readonly props: HardenedPodProps;
  readonly ctx: HardenedPodContext;
  readonly user: number;
  readonly group: number;
  readonly resources: Resources;
  readonly capabilities: { drop: string[]; add?: string[] };
  readonly fsGroupChangePolicy: string;
  readonly serviceAccountName: string;
  readonly plain: boolean;
  readonly mounts: VolumeMountJson[];
  readonly dns?: kplus.PodDnsProps;
  readonly readiness: unknown;
  readonly liveness: unknown;
}

/**
 * The pod spec cdk8s-plus-28 writes for these parts (lib/pod.js `AbstractPod._toPodSpec`,
 * lib/container.js `Container._toKube`, with the defaults of cdk8s-plus-28 2.5.6: restartPolicy
 * Always, hostNetwork false, terminationGracePeriodSeconds 30, imagePullPolicy Always, dnsPolicy
 * ClusterFirst, setHostnameAsFQDN false), the patches of `applyPatches` included, each object's keys
 * in the order the generated `toJson_*` conversions write them (the schema's, sorted).
 * test/service/own-objects.test.ts and test/stateful/own-objects.test.ts compare it with cdk8s-plus-28's rendering.
 * @internal
 */
export function podSpecJson(x: PodSpecParts): any {
  const { props, ctx, resources: r } = x;
  const writable = props.writablePaths ?? [];
  const env = Object.entries(props.env ?? {}).map(([name, value]) => ({ name, value }));
  const container: any = {};
  if (props.args !== undefined) container.args = [...props.args];
  if (props.command !== undefined) container.command = [...props.command];
  if (env.length > 0) container.env = env;
  container.image = props.image;
  container.imagePullPolicy = 'Always';
  container.livenessProbe = x.liveness;
  container.name = 'main';
  container.ports = ctx.ports.map((cp) => (cp.protocol === undefined
    ? { containerPort: cp.port, name: cp.name }
    : { containerPort: cp.port, name: cp.name, protocol: cp.protocol }));
  container.readinessProbe = x.readiness;
  const quantity = (v: string) => (x.plain ? v : { value: v });
  container.resources = {
    limits: { cpu: quantity(`${r.cpuLimitMillis}m`), memory: quantity(`${r.memoryLimitMebibytes}Mi`) },
    requests: { cpu: quantity(`${r.cpuRequestMillis}m`), memory: quantity(`${r.memoryRequestMebibytes}Mi`) },
  };
  container.securityContext = {
    allowPrivilegeEscalation: false,
    capabilities: x.capabilities.add ? { add: [...x.capabilities.add], drop: [...x.capabilities.drop] } : { drop: [...x.capabilities.drop] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsGroup: x.group,
    runAsNonRoot: true,
    runAsUser: x.user,
    seccompProfile: { type: 'RuntimeDefault' },
  };
  const mounts = [...writable.map((path, i) => ({ mountPath: path, name: `writable-${i}` })), ...x.mounts.map((m) => ({ mountPath: m.mountPath, name: m.name }))];
  if (mounts.length > 0) container.volumeMounts = mounts;

  const dns = x.dns ?? {};
  const nameservers = dns.nameservers ?? [];
  const searches = dns.searches ?? [];
  const options = dns.options ?? [];
  // New objects for each rendering: an object met twice in one document is written by the YAML writer as an anchor and an alias.
  const spec: any = { affinity: antiAffinityJson({ ...ctx.selectorLabels }), automountServiceAccountToken: false, containers: [container] };
  if (nameservers.length > 0 || searches.length > 0 || options.length > 0) {
    const config: any = {};
    if (nameservers.length > 0) config.nameservers = [...nameservers];
    if (options.length > 0) config.options = options.map((o) => sortedJson({ name: o.name, value: o.value }));
    if (searches.length > 0) config.searches = [...searches];
    spec.dnsConfig = config;
  }
  spec.dnsPolicy = dns.policy ?? kplus.DnsPolicy.CLUSTER_FIRST;
  spec.hostNetwork = false;
  if (dns.hostname) spec.hostname = dns.hostname;
  spec.restartPolicy = 'Always';
  spec.securityContext = {
    fsGroup: x.group,
    fsGroupChangePolicy: x.fsGroupChangePolicy,
    runAsGroup: x.group,
    runAsNonRoot: true,
    runAsUser: x.user,
    seccompProfile: { type: 'RuntimeDefault' },
  };
  spec.serviceAccountName = x.serviceAccountName;
  // The generated PodSpec props call it setHostnameAsFqdn (toJson_PodSpec writes setHostnameAsFQDN).
  spec[x.plain ? 'setHostnameAsFQDN' : 'setHostnameAsFqdn'] = dns.hostnameAsFQDN ?? false;
  if (dns.subdomain) spec.subdomain = dns.subdomain;
  spec.terminationGracePeriodSeconds = 30;
  spec.topologySpreadConstraints = spreadJson({ ...ctx.selectorLabels }, props.spreadAcrossZones);
  if (writable.length > 0) spec.volumes = writable.map((_, i) => ({ emptyDir: {}, name: `writable-${i}` }));
  return spec;
}

/**
 * The topology spread constraints of the pods: across nodes, and across zones with `zones`; keys in the order cdk8s
 * writes them (the generated `toJson_TopologySpreadConstraint`).
 * @internal
 */
export function spreadJson(matchLabels: { [key: string]: string }, zones: boolean | undefined): unknown[] {
  const spread = [{ labelSelector: { matchLabels }, maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }];
  if (zones) spread.push({ labelSelector: { matchLabels: { ...matchLabels } }, maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' });
  return spread;
}

/** The pods' preferred anti-affinity across nodes, keys in the order cdk8s writes them. @internal */
export function antiAffinityJson(matchLabels: { [key: string]: string }): unknown {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [{
        podAffinityTerm: { labelSelector: { matchLabels }, topologyKey: 'kubernetes.io/hostname' },
        weight: 100,
      }],
    },
  };
}
