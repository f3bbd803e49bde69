import { CommandIo, namespaceOption, outputFormat, readInput, ReadOptions, Values } from './io';
import { NetworkAnalysis } from '../analysis/network-analysis';
import { parsePort, reachLines } from '../analysis/reach';
import { podCreators } from '../analysis/rules/pod-spec';
import { describeServiceTarget, isServiceName, resolveServiceTarget, ServiceTarget } from '../analysis/service-target';
import { unmodelledPolicies } from '../analysis/unmodelled-policies';
import { ConnectionEntry } from '../analysis/verdict';

const SKIPPED = 'skipped objects of kinds cdk8s-net does not know';

/** Options of `analyse`. */
export interface AnalyseOptions extends ReadOptions {
  /** Named in the warning about policies the engine ignores (`OLD`, `NEW`). */
  readonly side?: string;
  /** Receives the objects read, before the analysis drops them (`reach --to ns/name[Service]` keeps the Services). */
  readonly onObjects?: (objects: readonly any[]) => void;
}

/**
 * Builds the analysis from files; the only kinds it reads are workloads, Pods, Namespaces and
 * NetworkPolicies. Warns when the input holds policies of kinds the engine does not evaluate.
 */
export function analyse(paths: string[], io: CommandIo, options: AnalyseOptions = {}): NetworkAnalysis {
  const sourced = readInput(paths, io, SKIPPED, options);
  const objects = sourced.map((o) => o.object);
  options.onObjects?.(objects);
  const creators = [...podCreators(sourced).values()];
  if (creators.length > 0) {
    io.note(`${options.side ? `${options.side}: ` : ''}the pods that controllers create for ${creators.join('; ')} are not in the manifests; `
      + 'their connections are not listed (policies that select them are read all the same).');
  }
  const ignored = unmodelledPolicies(objects);
  if (ignored.length > 0) {
    io.warn(`${options.side ? `${options.side}: ` : ''}the result ignores ${ignored.join(', ')}: cdk8s-net evaluates only Kubernetes NetworkPolicies, `
      + 'network-policy-api policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy) and Cilium policies, '
      + 'so connections these policies deny may be listed as allowed (and those they allow, as denied).');
  }
  let net: NetworkAnalysis;
  try {
    net = NetworkAnalysis.fromManifests(objects);
  } catch (e) {
    // A policy the API server would reject: diff reads two inputs, so say which one holds it.
    if (options.side) throw new Error(`${options.side}: ${(e as Error).message}`);
    throw e;
  }
  // warnings() lists the ignored kinds first (said above in one sentence), then what of the modelled policies is not modelled.
  for (const w of net.warnings().slice(ignored.length)) {
    io.warn(`${options.side ? `${options.side}: ` : ''}${w}`);
  }
  // The model is built: the objects are no longer needed (diff holds two analyses at once).
  net._releaseObjects();
  if (net.workloads().length === 0 && !options.allowEmpty) {
    throw new Error(`no workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) found in ${paths.join(', ')}; there are no connections to analyse.`);
  }
  return net;
}

/** `cdk8s-net reach`. With --from and --to: the verdict for that pair, exit 1 when denied. */
export function reachCommand(paths: string[], values: Values, io: CommandIo): number {
  const json = outputFormat(values, ['text', 'json']) === 'json';
  const text = (name: string) => (values[name] === undefined ? undefined : String(values[name]));
  const port = text('port') === undefined ? undefined : parsePort(text('port')!);
  const from = text('from');
  const to = text('to');
  if (isServiceName(from)) {
    throw new Error(`--from "${from}" names a Service; connections come from pods, so name the workload (ns/name or ns/name[Kind]). A Service is a destination: --to ${from}.`);
  }
  let services: any[] = [];
  const net = analyse(paths, io, {
    namespace: namespaceOption(values),
    onObjects: isServiceName(to) ? (objects) => { services = objects.filter((o) => o?.kind === 'Service'); } : undefined,
  });
  if (to !== undefined && isServiceName(to)) {
    const target = resolveServiceTarget('--to', to, services, net.workloads(), port);
    for (const skipped of target.skipped) {
      io.note(`${skipped}: it gets no endpoint for port ${target.servicePort} of Service ${target.service}.`);
    }
    return from === undefined ? reachServiceLines(net, target, values, io, json) : reachServiceVerdicts(net, from, target, io, json);
  }
  if (from !== undefined && to !== undefined) {
    const verdict = net.explain({ from, to, port: port?.port, portName: port?.portName, protocol: port?.protocol });
    const lines: ConnectionEntry[] = verdict.connections === '' ? [] : [{ src: verdict.from, dst: verdict.to, conn: verdict.connections }];
    if (json) {
      io.stdout(JSON.stringify({ connections: lines, verdict }, undefined, 2) + '\n');
    } else {
      io.stdout(lines.map(formatLine).join('') + `${verdict.text}\n`);
    }
    return verdict.allowed ? 0 : 1;
  }
  if (port?.portName !== undefined) {
    throw new Error(`--port "${values.port}" is a named port; it resolves against one destination, so give both --from and --to (or a port number).`);
  }
  const lines = reachLines(net, { from, to, port: port?.port, protocol: port?.protocol, mergeIpRanges: values['merge-ip-ranges'] === true });
  if (json) {
    io.stdout(JSON.stringify({ connections: lines }, undefined, 2) + '\n');
  } else {
    io.stdout(lines.map(formatLine).join(''));
    if (lines.length === 0) {
      io.note('no allowed connections match.');
    }
  }
  return 0;
}

/** `reach --to ns/name[Service]` without --from: the lines to each selected workload that allow its target port. */
function reachServiceLines(net: NetworkAnalysis, target: ServiceTarget, values: Values, io: CommandIo, json: boolean): number {
  const lines = target.endpoints.flatMap((e) => reachLines(net, { to: e.workload, port: e.targetPort, protocol: target.protocol, mergeIpRanges: values['merge-ip-ranges'] === true }));
  if (json) {
    io.stdout(JSON.stringify({ connections: lines, service: serviceJson(target) }, undefined, 2) + '\n');
  } else {
    for (const e of target.endpoints) io.note(describeServiceTarget(target, e));
    io.stdout(lines.map(formatLine).join(''));
    if (lines.length === 0) io.note('no allowed connections match.');
  }
  return 0;
}

/**
 * `reach --from X --to ns/name[Service]`: the verdict for each selected workload on its target port.
 * kube-proxy spreads connections over every endpoint, so the pair is allowed only when each one admits it.
 */
function reachServiceVerdicts(net: NetworkAnalysis, from: string, target: ServiceTarget, io: CommandIo, json: boolean): number {
  const verdicts = target.endpoints.map((e) => net.explain({ from, to: e.workload, port: e.targetPort, protocol: target.protocol }));
  const lines: ConnectionEntry[] = verdicts.filter((v) => v.connections !== '').map((v) => ({ src: v.from, dst: v.to, conn: v.connections }));
  const allowed = verdicts.every((v) => v.allowed);
  if (json) {
    io.stdout(JSON.stringify({ connections: lines, service: serviceJson(target), allowed, verdicts }, undefined, 2) + '\n');
  } else {
    io.stdout(target.endpoints.map((e, i) => {
      const v = verdicts[i];
      return `${describeServiceTarget(target, e)}\n${v.connections === '' ? '' : formatLine({ src: v.from, dst: v.to, conn: v.connections })}${v.text}\n`;
    }).join(''));
  }
  return allowed ? 0 : 1;
}

function serviceJson(t: ServiceTarget) {
  return {
    name: t.service,
    port: t.servicePort,
    ...(t.targetPortSpec === undefined ? {} : { targetPort: t.targetPortSpec }),
    ...(t.headless ? { headless: true } : {}),
    endpoints: t.endpoints.map((e) => ({ workload: e.workload, targetPort: e.targetPort })),
  };
}

/** netpol-analyzer's line format: `src => dst : conn`. */
export function formatLine(e: ConnectionEntry): string {
  return `${e.src} => ${e.dst} : ${e.conn}\n`;
}
