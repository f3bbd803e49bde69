import { run } from '../../src/cli/main';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command in-process and returns its exit code and output. */
export async function cli(...args: string[]): Promise<CliResult> {
  return cliWith({}, ...args);
}

/** `cli` with standard input and a terminal (for colours). */
export async function cliWith(options: { stdin?: string; isTty?: boolean }, ...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    stdin: options.stdin === undefined ? undefined : async () => options.stdin!,
    isTty: options.isTty,
  });
  return { code, stdout, stderr };
}
