/**
 * Reads Kubernetes manifests from YAML or JSON text, files and folders, for the
 * library (`NetworkAnalysis.fromYaml`, `fromYamlFiles`) and the validation plugin:
 * the readers of `sources.ts`, with input problems thrown as errors.
 * Internal to `src/analysis`.
 */
import { loadManifests, parseSource, scanPath } from './sources';

/**
 * Parses every document of a YAML (or JSON) text as kubectl does (see `sources.ts`).
 * Empty documents are skipped; `List` objects are replaced by their items.
 *
 * @param source named in error messages (a file path)
 */
export function parseManifests(text: string, source = 'YAML input'): any[] {
  const parsed = parseSource(text, source);
  if (parsed.errors.length > 0) {
    throw new Error(`NetworkAnalysis: cannot parse ${parsed.errors[0]}`);
  }
  return parsed.objects.map((o) => o.object);
}

/**
 * The manifest files under `paths`: files are taken as given, folders are
 * searched recursively for `.yaml`, `.yml` and `.json` files (sorted by path),
 * skipping `node_modules`, dot-folders and `construct-metadata.json` (which `cdk8s synth`
 * writes for validation plugins).
 */
export function manifestFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    const scan = scanPath(p);
    if (scan.errors.length > 0) {
      throw new Error(`NetworkAnalysis: ${scan.errors[0]}.`);
    }
    return scan.files.map((f) => f.file);
  });
}

/** Reads and parses every manifest file under `paths` (see `sources.ts`); files that hold no Kubernetes object are skipped. */
export function loadManifestFiles(paths: readonly string[]): any[] {
  const loaded = loadManifests(paths);
  if (loaded.errors.length > 0) {
    throw new Error(`NetworkAnalysis: ${loaded.errors[0]}${loaded.errors[0].endsWith('.') ? '' : '.'}`);
  }
  return loaded.objects.map((o) => o.object);
}
