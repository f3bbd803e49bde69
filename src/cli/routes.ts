import { CommandIo, namespaceOption, outputFormat, readInput, Values } from './io';
import { renderRouteTable, routeTable } from '../analysis/routes';

/**
 * `cdk8s-net routes`: the route table that Ingresses and Gateway API routes define (host, path
 * match, backend, TLS), as text or `{"routes":[...]}`.
 */
export function routesCommand(paths: string[], values: Values, io: CommandIo): number {
  const json = outputFormat(values, ['text', 'json']) === 'json';
  const rows = routeTable(readInput(paths, io, 'skipped objects of kinds cdk8s-net does not know', { namespace: namespaceOption(values) }).map((o) => o.object));
  if (json) {
    io.stdout(JSON.stringify({ routes: rows }, undefined, 2) + '\n');
  } else {
    io.stdout(renderRouteTable(rows));
    if (rows.length === 0) io.note('no Ingress, HTTPRoute or GRPCRoute routes found.');
  }
  return 0;
}
