import { Io, UsageError } from './io';
import { analyse } from './reach';
import { GRAPH_FORMATS, renderDot, renderMermaid } from '../analysis/graph';

/** `cdk8s-net graph --format mermaid|dot`. */
export function graphCommand(paths: string[], values: { format?: string }, io: Io): number {
  const format = values.format ?? 'mermaid';
  if (!GRAPH_FORMATS.includes(format)) {
    throw new UsageError(`--format "${format}" is not ${GRAPH_FORMATS.join(' or ')}.`);
  }
  const net = analyse(paths, io);
  const workloads = net.workloads();
  // Merged ranges: one node per contiguous range with the same connections.
  const matrix = net.matrix({ mergeIpRanges: true });
  io.stdout(format === 'dot' ? renderDot(workloads, matrix) : renderMermaid(workloads, matrix));
  return 0;
}
