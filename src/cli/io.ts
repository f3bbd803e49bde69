import { SourcedObject } from '../analysis/rules';
import { loadManifests, unknownKinds } from '../analysis/sources';

/** Where the command writes: injectable so tests can run it in-process. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}

/** A mistake in the command line: reported with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

/**
 * Reads the manifests, or throws with every problem (unreadable
 * file, invalid YAML, nothing found). Notes kinds this tool does not know.
 */
export function readInput(paths: readonly string[], io: Io, unknownKindNote: string): SourcedObject[] {
  const loaded = loadManifests(paths);
  if (loaded.errors.length > 0) {
    throw new Error(loaded.errors.join('\ncdk8s-net: '));
  }
  if (loaded.objects.length === 0) {
    throw new Error(loaded.files.length === 0
      ? `no manifest files (.yaml, .yml, .json) found in ${paths.join(', ')}.`
      : `no Kubernetes objects found in ${paths.join(', ')} (the files are empty).`);
  }
  const unknown = unknownKinds(loaded.objects);
  if (unknown.length > 0) {
    io.stderr(`note: ${unknownKindNote}: ${unknown.join(', ')}\n`);
  }
  return loaded.objects;
}
