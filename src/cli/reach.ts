import { Io, readInput } from './io';
import { NetworkAnalysis } from '../analysis/network-analysis';
import { parsePort, reachLines } from '../analysis/reach';
import { ConnectionEntry } from '../analysis/verdict';

const SKIPPED = 'skipped objects of kinds cdk8s-net does not know';

/** Builds the analysis from files; the only kinds it reads are workloads, Pods, Namespaces and NetworkPolicies. */
export function analyse(paths: string[], io: Io): NetworkAnalysis {
  const objects = readInput(paths, io, SKIPPED);
  const net = NetworkAnalysis.fromManifests(objects.map((o) => o.object));
  if (net.workloads().length === 0) {
    throw new Error(`no workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) found in ${paths.join(', ')}; there are no connections to analyse.`);
  }
  return net;
}

/** `cdk8s-net reach`. With --from and --to: the verdict for that pair, exit 1 when denied. */
export function reachCommand(paths: string[], values: { 'json'?: boolean; 'from'?: string; 'to'?: string; 'port'?: string; 'merge-ip-ranges'?: boolean }, io: Io): number {
  const port = values.port === undefined ? undefined : parsePort(values.port);
  const net = analyse(paths, io);
  if (values.from !== undefined && values.to !== undefined) {
    const verdict = net.explain({ from: values.from, to: values.to, port: port?.port, portName: port?.portName, protocol: port?.protocol });
    const lines: ConnectionEntry[] = verdict.connections === '' ? [] : [{ src: verdict.from, dst: verdict.to, conn: verdict.connections }];
    if (values.json) {
      io.stdout(JSON.stringify({ connections: lines, verdict }, undefined, 2) + '\n');
    } else {
      io.stdout(lines.map(formatLine).join('') + `${verdict.text}\n`);
    }
    return verdict.allowed ? 0 : 1;
  }
  if (port?.portName !== undefined) {
    throw new Error(`--port "${values.port}" is a named port; it resolves against one destination, so give both --from and --to (or a port number).`);
  }
  const lines = reachLines(net, { from: values.from, to: values.to, port: port?.port, protocol: port?.protocol, mergeIpRanges: values['merge-ip-ranges'] });
  if (values.json) {
    io.stdout(JSON.stringify({ connections: lines }, undefined, 2) + '\n');
  } else {
    io.stdout(lines.map(formatLine).join(''));
    if (lines.length === 0) {
      io.stderr('note: no allowed connections match.\n');
    }
  }
  return 0;
}

/** netpol-analyzer's line format: `src => dst : conn`. */
export function formatLine(e: ConnectionEntry): string {
  return `${e.src} => ${e.dst} : ${e.conn}\n`;
}
