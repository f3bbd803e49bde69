/**
 * A Service as the destination of `cdk8s-net reach --to ns/name[Service]`: the workloads whose pods
 * its selector selects, and the pod port each one receives a Service port on, the way the
 * EndpointSlice controller and kube-proxy map them (kubernetes.io/docs/concepts/services-networking/service/):
 *
 * - the Service port is found by number (and protocol) or by name;
 * - `targetPort` unset is the port itself; a number is that pod port; a name is looked up in each
 *   selected pod's container ports of the same protocol (k8s.io/kubernetes pkg/api/v1/pod/util.go
 *   `FindPort`), and a pod without it gets no endpoint for that port;
 * - a headless Service (`clusterIP: None`) has no kube-proxy rules: clients reach the pods
 *   directly on the port they dial, and `targetPort` is ignored (ServicePort API reference);
 * - a Service without a selector (or of type ExternalName) has no endpoints made from pods.
 */
import { namespaceOf } from './manifest-fields';
import { selectorMatches } from './rules/pod-spec';
import { WorkloadEndpoint } from './verdict';

/** `ns/name[Service]`, or `name[Service]` when one Service has that name. */
const SERVICE_NAME = /^(?:([^/\s[\]]+)\/)?([^/\s[\]]+)\[Service\]$/;

/** The port asked about: a number or a name, and a protocol (as `parsePort` gives it). */
export interface ServicePortQuery {
  readonly port?: number;
  readonly portName?: string;
  readonly protocol?: string;
}

/** One selected workload and the pod port it receives the Service port on. */
export interface ServiceTargetEndpoint {
  /** The workload id, `ns/name[Kind]`. */
  readonly workload: string;
  /** The pod port the connection arrives on. */
  readonly targetPort: number;
}

/** A Service resolved to the workloads it sends one of its ports to. */
export interface ServiceTarget {
  /** `ns/name`. */
  readonly service: string;
  /** The Service port used: `80/TCP`, with its name when it has one: `http 80/TCP`. */
  readonly servicePort: string;
  /** `spec.ports[].targetPort` as written (`8080`, `"http"`), or `undefined` when unset. */
  readonly targetPortSpec?: number | string;
  readonly protocol: string;
  /** Whether the Service is headless (`clusterIP: None`): no kube-proxy, `targetPort` ignored. */
  readonly headless: boolean;
  /** The selected workloads that receive the port. */
  readonly endpoints: ServiceTargetEndpoint[];
  /** Selected workloads without the named target port: no endpoint for that port (a sentence each). */
  readonly skipped: string[];
}

/** Whether `text` names a Service (`ns/name[Service]`). */
export function isServiceName(text: string | undefined): boolean {
  return text !== undefined && SERVICE_NAME.test(text.trim());
}

/**
 * Resolves `text` (`ns/name[Service]`) against the Services of the input and the workloads of the
 * analysis; throws a message naming the option, the Service and the port for a Service that is not
 * there, has no selector, selects no pod, or lacks the port.
 *
 * @param field the option, for messages (`--to`)
 * @param services the Service objects of the input
 * @param workloads the analysis's workloads
 * @param port the port asked about; optional when the Service has one port
 */
export function resolveServiceTarget(field: string, text: string, services: readonly any[], workloads: readonly WorkloadEndpoint[],
  port: ServicePortQuery = {}): ServiceTarget {
  const m = SERVICE_NAME.exec(text.trim());
  if (!m) {
    throw new Error(`${field} "${text}" is not a Service name; write namespace/name[Service].`);
  }
  const [, namespace, name] = m;
  const named = services.filter((s) => s?.metadata?.name === name && (namespace === undefined || namespaceOf(s) === namespace));
  if (named.length !== 1) {
    const all = services.map((s) => `${namespaceOf(s)}/${s?.metadata?.name}[Service]`).sort();
    const known = all.length === 0 ? 'none' : all.length > 20 ? `${all.slice(0, 20).join(', ')}, ...` : all.join(', ');
    throw new Error(named.length === 0
      ? `${field} "${text}": the manifests have no Service ${name}${namespace === undefined ? '' : ` in namespace ${namespace}`} (their Services: ${known}).`
      : `${field} "${text}" matches several Services (${named.map((s) => `${namespaceOf(s)}/${name}[Service]`).join(', ')}); write namespace/name[Service].`);
  }
  const svc = named[0];
  const id = `${namespaceOf(svc)}/${name}`;
  const where = `${field} "${text}": Service ${id}`;
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') {
    throw new Error(`${where} is of type ExternalName (a DNS alias for ${spec.externalName ?? 'an external name'}); it sends to no pod of the manifests.`);
  }
  const selector: Record<string, string> = spec.selector && typeof spec.selector === 'object' ? spec.selector : {};
  if (Object.keys(selector).length === 0) {
    throw new Error(`${where} has no selector, so Kubernetes makes no endpoints from pods for it (its EndpointSlices are written by hand or by another controller); name the workload instead.`);
  }
  const selectorText = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
  const selected = workloads.filter((w) => w.namespace === namespaceOf(svc) && selectorMatches(selector, w.labels));
  if (selected.length === 0) {
    throw new Error(`${where} selects no pod of the manifests (selector ${selectorText} in namespace ${namespaceOf(svc)}).`);
  }
  const ports: any[] = Array.isArray(spec.ports) ? spec.ports : [];
  const describe = (p: any) => `${p?.name ? `${p.name} ` : ''}${p?.port}/${p?.protocol ?? 'TCP'}`;
  const listed = ports.length === 0 ? 'none' : ports.map((p) => describe(p) + (p?.targetPort !== undefined && p.targetPort !== p.port ? ` -> ${p.targetPort}` : '')).join(', ');
  let chosen: any;
  if (port.port === undefined && port.portName === undefined) {
    if (ports.length !== 1) {
      throw new Error(`${where} has ${ports.length === 0 ? 'no ports' : `${ports.length} ports (${listed}); give --port with one of them (number or name)`}.`);
    }
    chosen = ports[0];
  } else {
    const protocol = (port.protocol ?? 'TCP').toUpperCase();
    chosen = ports.find((p) => (p?.protocol ?? 'TCP') === protocol && (port.port !== undefined ? p?.port === port.port : p?.name === port.portName));
    if (chosen === undefined) {
      const asked = port.port !== undefined ? `${port.port}/${protocol}` : `named "${port.portName}" (${protocol})`;
      throw new Error(`${where} has no port ${asked} (its ports: ${listed}).`);
    }
  }
  const protocol = chosen.protocol ?? 'TCP';
  const headless = spec.clusterIP === 'None';
  const target = headless ? undefined : chosen.targetPort;
  const endpoints: ServiceTargetEndpoint[] = [];
  const skipped: string[] = [];
  for (const w of selected) {
    if (typeof target === 'string') {
      const found = w.ports.map(parseContainerPort).find((p) => p.name === target && p.protocol === protocol);
      if (found) {
        endpoints.push({ workload: w.id, targetPort: found.port });
      } else {
        skipped.push(`${w.id} has no ${protocol} container port named "${target}" (its ports: ${w.ports.length === 0 ? 'none' : w.ports.join(', ')})`);
      }
    } else {
      endpoints.push({ workload: w.id, targetPort: typeof target === 'number' ? target : chosen.port });
    }
  }
  if (endpoints.length === 0) {
    throw new Error(`${where} port ${describe(chosen)} targets the container port named "${target}", which no selected pod has: ${skipped.join('; ')}.`);
  }
  return { service: id, servicePort: describe(chosen), targetPortSpec: chosen.targetPort, protocol, headless, endpoints, skipped };
}

/** `name:port/PROTOCOL` or `port/PROTOCOL` (`WorkloadEndpoint.ports`). */
function parseContainerPort(text: string): { name?: string; port: number; protocol: string } {
  const m = /^(?:([^:]+):)?(\d+)\/(\w+)$/.exec(text);
  return m ? { name: m[1], port: Number(m[2]), protocol: m[3] } : { port: NaN, protocol: '' };
}

/**
 * One line saying which Service, port and target port a connection goes through:
 * `via Service shop/api port http 80/TCP -> targetPort "http" = 8080 on shop/api[Deployment]`.
 */
export function describeServiceTarget(t: ServiceTarget, e: ServiceTargetEndpoint): string {
  if (t.headless) {
    return `via headless Service ${t.service} port ${t.servicePort} (clusterIP: None, no kube-proxy: the client connects to the pods directly on ${e.targetPort}) on ${e.workload}`;
  }
  const spec = t.targetPortSpec === undefined ? `${e.targetPort} (targetPort unset: the port itself)`
    : typeof t.targetPortSpec === 'string' ? `"${t.targetPortSpec}" = ${e.targetPort}` : String(e.targetPort);
  return `via Service ${t.service} port ${t.servicePort} -> targetPort ${spec} on ${e.workload}`;
}
