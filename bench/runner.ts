/**
 * What the benchmark scripts share: the median they report, and the node arguments that run a
 * script again as a child process (so each measurement gets a fresh process).
 */

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Node arguments that load `script` in a child: under ts-node, TypeScript is transpiled without
 * type checking (less memory that is not the code being measured).
 */
export function childScript(script: string): string[] {
  return script.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only', script] : [script];
}
