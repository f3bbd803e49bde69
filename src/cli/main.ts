/**
 * `cdk8s-net`: check manifests, list allowed connections, draw them.
 *
 * Thin by design: parses arguments, reads files, calls `../analysis`, prints.
 * Every failure is a message and an exit code, never a stack trace:
 * 0 success, 1 findings at the failing level (check) or a denied pair (reach), 2 bad usage or input.
 */
import { parseArgs } from 'util';
import { checkCommand } from './check';
import { graphCommand } from './graph';
import { Io, processIo, UsageError } from './io';
import { reachCommand } from './reach';

export type { Io } from './io';

export const USAGE = `Usage: cdk8s-net <command> <files|dirs...> [options]

Commands:
  check <files|dirs...>   Sanity checks: required fields, names and labels, schema (unknown
                          fields, value types), Services, probes, Ingresses, StatefulSets,
                          NetworkPolicies, workloads without NetworkPolicy, Pod Security
                          Standards. Exit 1 on errors.
      --json              Findings as JSON.
      --fail-on LEVEL     error (default) or warning: the lowest level that fails the run.
      --pss PROFILE       restricted (default): every Pod Security Standards finding is an
                          error. baseline: the controls only the restricted profile has
                          are warnings.
      --external-namespaces NS[,NS...]
                          Namespaces that exist outside these manifests. A policy peer that
                          names pods in a namespace no manifest creates or uses is an error
                          (NET019) unless the namespace is listed here, is default or
                          kube-*, or some peer selects the whole namespace by name.
      --list-rules        Print the rules (id, level, name, explanation) and exit.
  reach <files|dirs...>   Allowed connections, one per line: src => dst : conn
      --from ENDPOINT     Only connections from ns/name, ns/name[Kind], or an IP/CIDR.
      --to ENDPOINT       Only connections to it. With --from: the verdict and why
                          (exit 1 when denied).
      --port PORT[/PROTO] Only connections that allow this port (8080, 8080/TCP, 53/UDP).
      --json              {"connections":[{"src","dst","conn"}]}
      --merge-ip-ranges   Merge neighbouring IP ranges with the same connections. By default
                          the IP space is cut at every ipBlock edge, as netpol-analyzer does.
  graph <files|dirs...>   Connectivity diagram, workloads grouped by namespace.
      --format FORMAT     mermaid (default) or dot.

Folders are searched recursively for .yaml, .yml and .json files.
Exit codes: 0 ok, 1 check errors or a denied connection, 2 bad usage or input.
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
  'merge-ip-ranges': { type: 'boolean' },
  'help': { type: 'boolean', short: 'h' },
} as const;

/** Which options each command accepts. */
const COMMAND_OPTIONS: { [command: string]: readonly string[] } = {
  check: ['json', 'fail-on', 'list-rules', 'pss', 'external-namespaces'],
  reach: ['json', 'from', 'to', 'port', 'merge-ip-ranges'],
  graph: ['format'],
};

/**
 * Runs the command line `args` (without `node` and the script) and returns the exit code.
 *
 * @param io where output goes (default: the process's stdout and stderr)
 */
export async function run(args: string[], io: Io = processIo()): Promise<number> {
  try {
    return runCommand(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`cdk8s-net: ${e.message}\nRun "cdk8s-net --help" for usage.\n`);
    } else {
      io.stderr(`cdk8s-net: ${(e as Error)?.message ?? String(e)}\n`);
    }
    return 2;
  }
}

function runCommand(args: string[], io: Io): number {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs messages name the option: "Unknown option '--frm'", "Option '--port <value>' argument missing".
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
  const { values, positionals } = parsed;
  const [command, ...paths] = positionals;
  if (values.help || command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command === undefined) {
    io.stderr(USAGE);
    return 2;
  }
  const allowed = COMMAND_OPTIONS[command];
  if (!allowed) {
    throw new UsageError(`unknown command "${command}"; the commands are check, reach and graph.`);
  }
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && key !== 'help' && !allowed.includes(key)) {
      throw new UsageError(`${command} does not take --${key}.`);
    }
  }
  if (command === 'check' && values['list-rules']) {
    return checkCommand([], values, io);
  }
  if (paths.length === 0) {
    throw new UsageError(`${command} needs at least one file or folder of manifests.`);
  }
  switch (command) {
    case 'check':
      return checkCommand(paths, values, io);
    case 'reach':
      return reachCommand(paths, values, io);
    default:
      return graphCommand(paths, values, io);
  }
}
