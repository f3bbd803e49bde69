import { CommandIo, namespaceOption, outputFormat, Values } from './io';
import { analyse } from './reach';
import { GRAPH_FORMATS, renderDot, renderMermaid } from '../analysis/graph';

/** `cdk8s-net graph --format mermaid|dot`. */
export function graphCommand(paths: string[], values: Values, io: CommandIo): number {
  const format = outputFormat(values, GRAPH_FORMATS);
  const net = analyse(paths, io, { namespace: namespaceOption(values) });
  const workloads = net.workloads();
  // Merged ranges: one node per contiguous range with the same connections.
  const matrix = net.matrix({ mergeIpRanges: true });
  io.stdout(format === 'dot' ? renderDot(workloads, matrix) : renderMermaid(workloads, matrix));
  return 0;
}
