/**
 * Connectivity diagrams of the allowed connections, in Mermaid or Graphviz
 * dot: workloads grouped by namespace, one edge per allowed (source,
 * destination) labelled with its connections, external IP ranges as nodes.
 */
import { parseIp } from './ip';
import { ConnectionEntry, WorkloadEndpoint } from './verdict';

const EXTERNAL = /^(.+)-(.+)\[External\]$/;
/** A DNS name some policy allows by name (Cilium toFQDNs): a node labelled with the name. */
const FQDN = /^(.+)\[FQDN\]$/;

/** The diagram formats of `cdk8s-net graph`. */
export const GRAPH_FORMATS = ['mermaid', 'dot'];

interface GraphModel {
  readonly namespaces: Array<{ name: string; workloads: WorkloadEndpoint[] }>;
  /** External ranges, by entry text, with their label (CIDRs where the range is one). */
  readonly externals: Array<{ key: string; label: string }>;
  readonly edges: ConnectionEntry[];
}

function graphModel(workloads: readonly WorkloadEndpoint[], entries: readonly ConnectionEntry[]): GraphModel {
  const byNamespace = new Map<string, WorkloadEndpoint[]>();
  for (const w of workloads) {
    byNamespace.set(w.namespace, [...(byNamespace.get(w.namespace) ?? []), w]);
  }
  const externals = new Map<string, string>();
  for (const e of entries) {
    for (const end of [e.src, e.dst]) {
      const m = EXTERNAL.exec(end);
      if (m && !externals.has(end)) {
        externals.set(end, rangeLabel(m[1], m[2]));
      }
      const name = FQDN.exec(end);
      if (name && !externals.has(end)) {
        externals.set(end, name[1]);
      }
    }
  }
  return {
    namespaces: [...byNamespace].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, list]) => ({ name, workloads: list })),
    externals: [...externals].map(([key, label]) => ({ key, label })),
    edges: [...entries],
  };
}

/** A Mermaid flowchart (renders in GitHub Markdown inside a ```mermaid block). */
export function renderMermaid(workloads: readonly WorkloadEndpoint[], entries: readonly ConnectionEntry[]): string {
  const g = graphModel(workloads, entries);
  const ids = nodeIds(g);
  const lines = ['flowchart LR'];
  g.namespaces.forEach((ns, i) => {
    lines.push(`  subgraph ns${i}["${mermaidText(ns.name)}"]`);
    for (const w of ns.workloads) {
      lines.push(`    ${ids.get(w.id)}["${mermaidText(w.name)}<br/><small>${w.kind}</small>"]`);
    }
    lines.push('  end');
  });
  for (const e of g.externals) {
    lines.push(`  ${ids.get(e.key)}{{"${mermaidText(e.label)}"}}`);
  }
  for (const e of g.edges) {
    lines.push(`  ${ids.get(e.src)} -->|"${mermaidText(e.conn)}"| ${ids.get(e.dst)}`);
  }
  return lines.join('\n') + '\n';
}

/** A Graphviz digraph (`dot -Tsvg`), one cluster per namespace. */
export function renderDot(workloads: readonly WorkloadEndpoint[], entries: readonly ConnectionEntry[]): string {
  const g = graphModel(workloads, entries);
  const lines = ['digraph connectivity {', '  rankdir=LR;', '  node [shape=box, style=rounded, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  g.namespaces.forEach((ns, i) => {
    lines.push(`  subgraph cluster_${i} {`, `    label=${dotText(ns.name)};`);
    for (const w of ns.workloads) {
      lines.push(`    ${dotText(w.id)} [label=${dotText(`${w.name}\n${w.kind}`)}];`);
    }
    lines.push('  }');
  });
  for (const e of g.externals) {
    lines.push(`  ${dotText(e.key)} [label=${dotText(e.label)}, shape=hexagon, style=dashed];`);
  }
  for (const e of g.edges) {
    lines.push(`  ${dotText(e.src)} -> ${dotText(e.dst)} [label=${dotText(e.conn)}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

function nodeIds(g: GraphModel): Map<string, string> {
  const ids = new Map<string, string>();
  let n = 0;
  for (const ns of g.namespaces) {
    for (const w of ns.workloads) {
      ids.set(w.id, `w${n++}`);
    }
  }
  g.externals.forEach((e, i) => ids.set(e.key, `ip${i}`));
  return ids;
}

function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;');
}

function dotText(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** `10.0.0.0/8` when the range is one CIDR (`0.0.0.0/0` for everything), otherwise `start-end`. */
export function rangeLabel(start: string, end: string): string {
  const s = parseIp(start);
  const e = parseIp(end);
  if (!s || !e || s.family !== e.family) {
    return `${start}-${end}`;
  }
  const bits = s.family === 4 ? 32 : 128;
  const size = e.value - s.value + 1n;
  for (let prefix = 0; prefix <= bits; prefix++) {
    const block = 2n ** BigInt(bits - prefix);
    if (block === size && s.value % block === 0n) {
      return `${start}/${prefix}`;
    }
  }
  return `${start}-${end}`;
}
