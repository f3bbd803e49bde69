import * as v8 from 'v8';
import * as vm from 'vm';
import { SourcedObject } from '../analysis/rules';
import { loadManifests, unknownKinds } from '../analysis/sources';
import { isClusterScoped } from '../core/cluster-scoped';
import { dns1123LabelProblem } from '../core/names';

/** Where the command reads and writes: injectable so tests can run it in-process. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads all of standard input (for the path `-`). Default: none, `-` is an error. */
  readonly stdin?: () => Promise<string>;
  /** Whether stdout is a terminal: colours are used only then. Default: false. */
  readonly isTty?: boolean;
}

/** What a command gets: the `Io`, with standard input already read when a path is `-`. */
export interface CommandIo extends Io {
  readonly stdinText?: string;
  /** Wraps text in an ANSI colour when stdout is a terminal (and NO_COLOR is unset). */
  readonly color: (code: 'red' | 'green' | 'yellow' | 'dim', text: string) => string;
  /** Writes `note: text` to stderr, unless --quiet. */
  readonly note: (text: string) => void;
  /** Writes `warning: text` to stderr (always: a result may be wrong). */
  readonly warn: (text: string) => void;
}

const ANSI = { red: 31, green: 32, yellow: 33, dim: 2 };

/** The command's `Io` with colours for a terminal, and `stdinText`. */
export function commandIo(io: Io, stdinText?: string, quiet = false): CommandIo {
  const useColor = io.isTty === true && !process.env.NO_COLOR;
  return {
    ...io,
    stdinText,
    color: (code, text) => (useColor ? `\u001b[${ANSI[code]}m${text}\u001b[0m` : text),
    note: (text) => { if (!quiet) io.stderr(`note: ${text}\n`); },
    warn: (text) => io.stderr(`warning: ${text}\n`),
  };
}

let epipeHandled = false;

export function processIo(): Io {
  if (!epipeHandled) {
    epipeHandled = true;
    // A reader that closes the pipe early (`| head -1`) is not an error: end quietly, as cat does.
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') {
        process.exit(process.exitCode ?? 0);
      }
      throw e;
    });
  }
  return {
    stdout: (text) => { process.stdout.write(text); },
    stderr: (text) => { process.stderr.write(text); },
    stdin: async () => {
      if (process.stdin.isTTY) {
        throw new UsageError('"-" reads manifests from standard input, but standard input is a terminal; pipe them in (helm template ... | cdk8s-net check -).');
      }
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) {
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    isTty: process.stdout.isTTY === true,
  };
}

/** A mistake in the command line: reported with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

/** Options of `readInput`. */
export interface ReadOptions {
  /** Accept input without objects (one side of a diff may be empty). */
  readonly allowEmpty?: boolean;
  /**
   * `--namespace`: the namespace of the namespaced objects that name none (`helm template`
   * output), as `kubectl apply -n` places them. Cluster-scoped kinds stay in no namespace.
   */
  readonly namespace?: string;
}

/** `--namespace NS`, checked as a namespace name (a DNS-1123 label, as the API server checks it); undefined when not given. */
export function namespaceOption(values: Values): string | undefined {
  if (values.namespace === undefined) return undefined;
  const ns = String(values.namespace);
  const problem = dns1123LabelProblem(ns);
  if (problem !== undefined) {
    throw new UsageError(`--namespace "${ns}" is not a namespace name: ${problem}.`);
  }
  return ns;
}

/**
 * Puts the namespaced objects without `metadata.namespace` (absent or empty) in `namespace`, as
 * `kubectl apply -n` does; objects that name a namespace keep it, cluster-scoped kinds
 * (`CLUSTER_SCOPED_KINDS`) stay in none, and an object without `metadata` is left for `check` to report.
 */
function placeInNamespace(objects: readonly SourcedObject[], namespace: string): void {
  for (const { object } of objects) {
    const metadata = object?.metadata;
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata) || isClusterScoped(object.kind)) continue;
    if (metadata.namespace === undefined || metadata.namespace === null || metadata.namespace === '') {
      metadata.namespace = namespace;
    }
  }
}

/**
 * Reads the manifests, or throws with every problem (unreadable
 * file, invalid YAML, nothing found). Notes kinds this tool does not know.
 */
export function readInput(paths: readonly string[], io: CommandIo, unknownKindNote: string, options: ReadOptions = {}): SourcedObject[] {
  const loaded = loadManifests(paths, { stdin: io.stdinText });
  for (const note of loaded.notes) {
    io.note(note);
  }
  if (loaded.errors.length > 0) {
    throw new Error(loaded.errors.join('\ncdk8s-net: '));
  }
  if (loaded.objects.length === 0 && !options.allowEmpty) {
    throw new Error(loaded.files.length === 0
      ? `no manifest files (.yaml, .yml, .json) found in ${paths.join(', ')}.`
      : `no Kubernetes objects found in ${paths.join(', ')} (the files are empty).`);
  }
  if (options.namespace !== undefined) {
    placeInNamespace(loaded.objects, options.namespace);
  }
  const unknown = unknownKinds(loaded.objects);
  if (unknown.length > 0) {
    io.note(`${unknownKindNote}: ${unknown.join(', ')}`);
  }
  return loaded.objects;
}

/** The parsed options (each command reads those it accepts). */
export type Values = { readonly [key: string]: string | boolean | undefined };

/** `--format` with `--json` as its shorthand, checked against the command's formats. */
export function outputFormat(values: Values, formats: readonly string[], defaultFormat = formats[0]): string {
  const format = values.format === undefined ? undefined : String(values.format);
  if (values.json && format !== undefined && format !== 'json') {
    throw new UsageError(`--json and --format ${format} contradict each other; give one.`);
  }
  const chosen = values.json ? 'json' : format ?? defaultFormat;
  if (!formats.includes(chosen)) {
    throw new UsageError(`--format "${chosen}" is not ${formats.slice(0, -1).join(', ')}${formats.length > 2 ? ',' : ''} or ${formats[formats.length - 1]}.`);
  }
  return chosen;
}

let collect: (() => void) | undefined | null = null;

/**
 * Runs a full garbage collection between the phases of a command on large inputs (`diff` builds
 * one analysis after the other): V8 otherwise lets the garbage of parsing the first input pile up
 * while the second is read, and peak memory grows with it. Does nothing when the runtime does not
 * allow it.
 */
export function collectGarbage(): void {
  if (collect === null) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = undefined;
    }
  }
  collect?.();
}
