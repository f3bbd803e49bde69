/**
 * `cdk8s-net`: check manifests, list allowed connections, draw them, compare two versions.
 *
 * Thin by design: parses arguments, reads files, calls `../analysis`, prints.
 * Every failure is a message and an exit code, never a stack trace:
 * 0 success, 1 findings at the failing level (check), a denied pair (reach) or a
 * forbidden change (diff), 2 bad usage or input.
 *
 * A command is one entry of `COMMANDS`: its options and its function.
 */
import { parseArgs } from 'util';
import { checkCommand } from './check';
import { diffCommand } from './diff';
import { graphCommand } from './graph';
import { CommandIo, commandIo, Io, processIo, UsageError, Values } from './io';
import { reachCommand } from './reach';
import { routesCommand } from './routes';
import { version } from './version';

export type { Io } from './io';

export const USAGE = `Usage: cdk8s-net <command> <files|dirs|-...> [options]

Commands:
  check <inputs...>       Sanity checks: required fields, names and labels, schema (unknown
                          fields, value types), Services, probes, Ingresses, StatefulSets,
                          NetworkPolicies, workloads without NetworkPolicy, Pod Security
                          Standards. Exit 1 on errors.
      --format FORMAT     text (default), json, or sarif (SARIF 2.1.0 for code scanning).
      --json              Same as --format json.
      --fail-on LEVEL     error (default) or warning: the lowest level that fails the run.
      --pss PROFILE       restricted (default): every Pod Security Standards finding is an
                          error. baseline: the controls only the restricted profile has
                          are warnings.
      --external-namespaces NS[,NS...]
                          Namespaces that exist outside these manifests. A policy peer that
                          names pods in a namespace no manifest creates or uses is an error
                          (NET019) unless the namespace is listed here, is default or
                          kube-*, or some peer selects the whole namespace by name.
      --quiet             Text: only the findings that fail the run, no notes or summary.
      --summary           Text: only the counts (per level and rule).
      --list-rules        Print the rules (id, level, name, explanation) and exit.
  reach <inputs...>       Allowed connections, one per line: src => dst : conn
      --from ENDPOINT     Only connections from ns/name, ns/name[Kind], or an IP/CIDR.
      --to ENDPOINT       Only connections to it: a workload, an IP/CIDR, or a Service
                          ns/name[Service] (quote it in a shell): its port (--port number
                          or name; optional when it has one) goes to the targetPort of
                          each pod its selector selects, as kube-proxy sends it; the output
                          says which. With --from: the verdict and why (exit 1 when denied;
                          for a Service, when a selected workload denies).
      --port PORT[/PROTO] Only connections that allow this port (8080, 8080/TCP, 53/UDP).
      --format FORMAT     text (default) or json: {"connections":[{"src","dst","conn"}]}
      --json              Same as --format json.
      --merge-ip-ranges   Merge neighbouring IP ranges with the same connections. By default
                          the IP space is cut at every ipBlock edge, as netpol-analyzer does.
  graph <inputs...>       Connectivity diagram, workloads grouped by namespace.
      --format FORMAT     mermaid (default) or dot.
  diff OLD NEW            Connections NEW allows and OLD did not (+), and those OLD allowed and
                          NEW does not (-), per protocol and port: "+ src => dst : TCP 8080".
                          OLD and NEW are a file, a folder or - (standard input, one side).
      --format FORMAT     text (default), json ({"added":[...],"removed":[...]}), or
                          markdown (a table and a Mermaid drawing, for a pull request).
      --json              Same as --format json.
      --explain           For each change, the policy rules that admit it (or why it is denied).
      --fail-on CHANGE    any (default), added, removed or none: which changes exit 1.
      --quiet             Text: no notes.   --summary  Only the counts.
  routes <inputs...>      The route table of the Ingresses and Gateway API routes (HTTPRoute,
                          GRPCRoute): host, path match, backend Service:port, TLS. HTTPRoute
                          PathPrefix reads as Prefix, so an Ingress and its Gateway API
                          rendering give equal tables.
      --format FORMAT     text (default) or json: {"routes":[{"kind","name","host","path",
                          "pathType","backend","tls"}]} (a redirect-only route has
                          "redirect":"https" and no backend).
      --json              Same as --format json.

Inputs are files, folders or - (standard input: helm template ... | cdk8s-net check -).
Folders are searched recursively for .yaml, .yml and .json files (not node_modules or
dot-folders); files without Kubernetes objects (Chart.yaml, values.yaml, kustomizations,
Helm templates) are skipped with a note. YAML is read as kubectl reads it (YAML 1.1).
  --namespace NS, -n NS   (check, reach, graph, diff, routes) Objects without metadata.namespace
                          are in NS, as kubectl apply -n places them (helm template output
                          names none); cluster-scoped kinds stay in no namespace, objects
                          that name a namespace keep it. Without it they are in default.
Every command takes --version and --help. Colours only when stdout is a terminal.
Exit codes: 0 ok, 1 check errors, a denied connection or a forbidden change, 2 bad usage or input.
`;

const OPTIONS = {
  'json': { type: 'boolean' },
  'fail-on': { type: 'string' },
  'list-rules': { type: 'boolean' },
  'from': { type: 'string' },
  'to': { type: 'string' },
  'port': { type: 'string' },
  'format': { type: 'string' },
  'pss': { type: 'string' },
  'external-namespaces': { type: 'string' },
  'namespace': { type: 'string', short: 'n' },
  'merge-ip-ranges': { type: 'boolean' },
  'explain': { type: 'boolean' },
  'quiet': { type: 'boolean', short: 'q' },
  'summary': { type: 'boolean' },
  'help': { type: 'boolean', short: 'h' },
  'version': { type: 'boolean', short: 'V' },
} as const;

/** One command: the options it accepts and what it does with its inputs. */
interface Command {
  readonly options: readonly string[];
  /** Whether it runs without inputs given these options (`check --list-rules`). */
  readonly needsNoInput?: (values: Values) => boolean;
  readonly run: (paths: string[], values: Values, io: CommandIo) => number;
}

const COMMANDS: { readonly [name: string]: Command } = {
  check: {
    options: ['json', 'format', 'fail-on', 'list-rules', 'pss', 'external-namespaces', 'namespace', 'quiet', 'summary'],
    needsNoInput: (values) => values['list-rules'] === true,
    run: checkCommand,
  },
  reach: { options: ['json', 'format', 'from', 'to', 'port', 'merge-ip-ranges', 'namespace'], run: reachCommand },
  graph: { options: ['format', 'namespace'], run: graphCommand },
  diff: { options: ['json', 'format', 'explain', 'fail-on', 'quiet', 'summary', 'namespace'], run: diffCommand },
  routes: { options: ['json', 'format', 'namespace'], run: routesCommand },
};

/**
 * Runs the command line `args` (without `node` and the script) and returns the exit code.
 *
 * @param io where output goes (default: the process's stdout and stderr)
 */
export async function run(args: string[], io: Io = processIo()): Promise<number> {
  try {
    const parsed = parse(args);
    if (parsed === undefined) {
      return usage(args, io);
    }
    const { command, paths, values } = parsed;
    const stdinText = paths.includes('-') ? await readStdin(io) : undefined;
    return command.run(paths, values, commandIo(io, stdinText, values.quiet === true));
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`cdk8s-net: ${e.message}\nRun "cdk8s-net --help" for usage.\n`);
    } else {
      io.stderr(`cdk8s-net: ${(e as Error)?.message ?? String(e)}\n`);
    }
    return 2;
  }
}

async function readStdin(io: Io): Promise<string> {
  if (!io.stdin) {
    throw new UsageError('"-" reads manifests from standard input, which is not available here.');
  }
  return io.stdin();
}

/** --help, --version, or no command. */
function usage(args: string[], io: Io): number {
  const { values, positionals } = parseOptions(args);
  if (values.version) {
    io.stdout(`cdk8s-net ${version()}\n`);
    return 0;
  }
  if (values.help || positionals[0] === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  io.stderr(USAGE);
  return 2;
}

function parseOptions(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs messages name the option: "Unknown option '--frm'", "Option '--port <value>' argument missing".
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
}

/** The command to run, or `undefined` for --help, --version and a missing command. */
function parse(args: string[]): { command: Command; paths: string[]; values: Values } | undefined {
  const { values, positionals } = parseOptions(args);
  const [name, ...paths] = positionals;
  if (values.help || values.version || name === undefined || name === 'help') {
    return undefined;
  }
  const command = COMMANDS[name];
  if (!command) {
    const names = Object.keys(COMMANDS);
    throw new UsageError(`unknown command "${name}"; the commands are ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}.`);
  }
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && !command.options.includes(key)) {
      throw new UsageError(`${name} does not take --${key}.`);
    }
  }
  if (paths.length === 0 && !command.needsNoInput?.(values)) {
    throw new UsageError(`${name} needs at least one file or folder of manifests (or - for standard input).`);
  }
  if (paths.filter((p) => p === '-').length > 1) {
    throw new UsageError('standard input (-) can be read only once.');
  }
  return { command, paths, values };
}
