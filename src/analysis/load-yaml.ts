/**
 * Reads Kubernetes manifests from YAML or JSON text, files and folders.
 *
 * Multi-document YAML (`---`) and JSON are both accepted (JSON is YAML 1.2).
 * `List`-style objects are kept as they are; `compile` flattens them.
 * Internal to `src/analysis`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
/** Files `cdk8s synth` writes next to the manifests that are not manifests (construct metadata for validation plugins). */
const NOT_MANIFESTS = ['construct-metadata.json'];

/**
 * Parses every document of a YAML (or JSON) text. Empty documents are skipped.
 *
 * @param source named in error messages (a file path)
 */
export function parseManifests(text: string, source = 'YAML input'): any[] {
  const out: any[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new Error(`NetworkAnalysis: cannot parse ${source}: ${doc.errors[0].message}`);
    }
    const value = doc.toJS({ maxAliasCount: -1 });
    if (value !== null && value !== undefined) {
      out.push(value);
    }
  }
  return out;
}

/**
 * The manifest files under `paths`: files are taken as given, folders are
 * searched recursively for `.yaml`, `.yml` and `.json` files (sorted by path),
 * except `construct-metadata.json`, which `cdk8s synth` writes for validation plugins.
 */
export function manifestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (p: string, explicit: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new Error(`NetworkAnalysis: cannot read ${p}: no such file or folder.`);
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) {
        visit(path.join(p, entry), false);
      }
    } else if (explicit || (MANIFEST_EXTENSIONS.includes(path.extname(p).toLowerCase()) && !NOT_MANIFESTS.includes(path.basename(p)))) {
      out.push(p);
    }
  };
  for (const p of paths) {
    visit(p, true);
  }
  return out;
}

/** Reads and parses every manifest file under `paths` (see `manifestFiles`). */
export function loadManifestFiles(paths: readonly string[]): any[] {
  const out: any[] = [];
  for (const file of manifestFiles(paths)) {
    const text = fs.readFileSync(file, 'utf8');
    if (path.extname(file).toLowerCase() === '.json') {
      // JSON.parse is much faster than the YAML parser on large cluster dumps.
      try {
        out.push(JSON.parse(text));
        continue;
      } catch {
        // Not plain JSON (several documents, comments, ...): let the YAML parser try.
      }
    }
    out.push(...parseManifests(text, file));
  }
  return out;
}
