import { collectGarbage, CommandIo, namespaceOption, outputFormat, UsageError, Values } from './io';
import { analyse } from './reach';
import { renderMermaid } from '../analysis/graph';
import { STDIN_NAME } from '../analysis/sources';
import { ConnectionChange, ConnectivityDiff, WorkloadEndpoint } from '../analysis/verdict';

const FAIL_ON = ['any', 'added', 'removed', 'none'];
/** Larger diagrams are refused by GitHub's Mermaid renderer and unreadable anyway. */
const MAX_DRAWN_EDGES = 100;
/** A pull-request comment holds at most 65,536 characters. */
const MAX_TABLE_ROWS = 300;
/** From this many workloads on, memory is reclaimed between the two inputs (see `collectGarbage`). */
const LARGE = 2000;

/**
 * `cdk8s-net diff OLD NEW`: the connections NEW allows that OLD did not, and the other way
 * round. Exit 1 when a change that --fail-on forbids is found.
 */
export function diffCommand(paths: string[], values: Values, io: CommandIo): number {
  if (paths.length !== 2) {
    throw new UsageError(`diff compares two inputs, OLD and NEW (files, folders or - for standard input); got ${paths.length}.`);
  }
  const format = outputFormat(values, ['text', 'json', 'markdown']);
  const failOn = values['fail-on'] === undefined ? 'any' : String(values['fail-on']);
  if (!FAIL_ON.includes(failOn)) {
    throw new UsageError(`--fail-on "${failOn}" is not any, added, removed or none.`);
  }
  const namespace = namespaceOption(values);
  const [oldPath, newPath] = paths;
  const before = analyse([oldPath], io, { allowEmpty: true, namespace, side: `OLD (${name(oldPath)})` });
  if (before.workloads().length >= LARGE) {
    // The garbage of reading OLD would otherwise still be there while NEW is read and compared.
    collectGarbage();
  }
  const after = analyse([newPath], io, { allowEmpty: true, namespace, side: `NEW (${name(newPath)})` });
  const diff = before.diff(after, { explain: values.explain === true });
  const { added, removed } = diff;
  const summary = `${added.length} ${added.length === 1 ? 'connection' : 'connections'} added, ${removed.length} removed.`;
  if (values.summary) {
    io.stdout(`${summary}\n`);
  } else if (format === 'json') {
    io.stdout(JSON.stringify({ added, removed }, undefined, 2) + '\n');
  } else if (format === 'markdown') {
    const workloads = new Map<string, WorkloadEndpoint>();
    for (const w of [...before.workloads(), ...after.workloads()]) {
      workloads.set(w.id, w);
    }
    io.stdout(renderMarkdown(diff, [...workloads.values()], `cdk8s-net diff ${name(oldPath)} ${name(newPath)}`));
  } else {
    const line = (sign: string, c: ConnectionChange) => `${io.color(sign === '+' ? 'green' : 'red', `${sign} ${c.src} => ${c.dst} : ${c.conn}`)}\n`
      + (c.explanation ? `    ${c.explanation}\n` : '');
    io.stdout(added.map((c) => line('+', c)).join('') + removed.map((c) => line('-', c)).join(''));
    io.note(added.length + removed.length === 0 ? 'no connection added or removed.' : summary);
  }
  const fails = (failOn === 'any' || failOn === 'added') && added.length > 0
    || (failOn === 'any' || failOn === 'removed') && removed.length > 0;
  return fails ? 1 : 0;
}

function name(p: string): string {
  return p === '-' ? STDIN_NAME : p;
}

/** A pull-request comment: a table of the changes and a Mermaid drawing of the changed edges. */
export function renderMarkdown(diff: ConnectivityDiff, workloads: readonly WorkloadEndpoint[], command: string): string {
  const { added, removed } = diff;
  const out = ['### Connectivity changes', ''];
  if (added.length + removed.length === 0) {
    out.push(`No connection added or removed (\`${command}\`).`, '');
    return out.join('\n');
  }
  out.push(`**${added.length} added, ${removed.length} removed** (\`${command}\`)`, '');
  const explained = [...added, ...removed].some((c) => c.explanation !== undefined);
  out.push(`| | Source | Destination | Connections |${explained ? ' Why |' : ''}`, `|:-:|---|---|---|${explained ? '---|' : ''}`);
  const rows = [...added.map((c) => ['➕', c] as const), ...removed.map((c) => ['➖', c] as const)];
  for (const [sign, c] of rows.slice(0, MAX_TABLE_ROWS)) {
    out.push(`| ${sign} | ${cell(c.src)} | ${cell(c.dst)} | ${cell(c.conn)} |${explained ? ` ${cell(c.explanation ?? '')} |` : ''}`);
  }
  if (rows.length > MAX_TABLE_ROWS) {
    out.push('', `… and ${rows.length - MAX_TABLE_ROWS} more; run \`${command}\` for the whole list.`);
  }
  out.push('');
  if (rows.length <= MAX_DRAWN_EDGES) {
    const edges = rows.map(([sign, c]) => ({ src: c.src, dst: c.dst, conn: `${sign === '➕' ? '+' : '−'} ${c.conn}` }));
    const ends = new Set(edges.flatMap((e) => [e.src, e.dst]));
    const mermaid = renderMermaid(workloads.filter((w) => ends.has(w.id)), edges).trimEnd();
    // Added edges green, removed ones red and dashed (edges are drawn in the order given).
    const styles = rows.map(([sign], i) => `  linkStyle ${i} stroke:${sign === '➕' ? '#1a7f37,stroke-width:2px' : '#cf222e,stroke-width:2px,stroke-dasharray:4'}`);
    out.push('```mermaid', mermaid, ...styles, '```', '');
  } else {
    out.push(`(No drawing: ${rows.length} changes are more than ${MAX_DRAWN_EDGES} edges.)`, '');
  }
  return out.join('\n');
}

/** A table cell: `|` escaped, workload ids and ranges as code. */
function cell(text: string): string {
  const escaped = text.replace(/\|/g, '\\|');
  return /\[[A-Za-z]+\]$/.test(text) ? `\`${escaped}\`` : escaped;
}
