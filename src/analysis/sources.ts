/**
 * Reads manifest files for the `cdk8s-net` command, keeping where each object
 * came from (`file:line`) and turning every input problem into a message
 * instead of an exception: unreadable paths, invalid YAML (with its line and
 * column), documents that are not objects, empty input.
 */
import * as fs from 'fs';
import { LineCounter, parseAllDocuments } from 'yaml';
import { flattenLists } from './compile';
import { manifestFiles } from './load-yaml';
import { BUILT_IN_KINDS, SourcedObject } from './rules';

/** Manifests read from files, or why they could not be read. */
export interface LoadedManifests {
  readonly objects: SourcedObject[];
  /** Input problems (unreadable file, invalid YAML): the command should stop with exit code 2. */
  readonly errors: string[];
  /** The files read. */
  readonly files: string[];
}

/** Reads every manifest under `paths` (files, or folders searched for .yaml/.yml/.json). */
export function loadManifests(paths: readonly string[]): LoadedManifests {
  const objects: SourcedObject[] = [];
  const errors: string[] = [];
  let files: string[] = [];
  for (const p of paths) {
    try {
      files = files.concat(manifestFiles([p]));
    } catch {
      errors.push(`cannot read ${p}: no such file or folder`);
    }
  }
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      errors.push(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a folder' : (e as Error).message}`);
      continue;
    }
    const parsed = parseSource(text, file);
    errors.push(...parsed.errors);
    objects.push(...parsed.objects);
  }
  return { objects, errors, files };
}

/**
 * Parses one YAML (or JSON) text; each object is tagged `source:line` with the
 * line its document starts on. List objects are replaced by their items.
 */
export function parseSource(text: string, source: string): { objects: SourcedObject[]; errors: string[] } {
  const lineCounter = new LineCounter();
  const objects: SourcedObject[] = [];
  const errors: string[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter })) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
      const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      errors.push(`${source}:${pos.line}:${pos.col}: invalid YAML: ${message}`);
      // Later documents may parse, but their positions and meaning are unreliable: stop at the first error.
      break;
    }
    const value = doc.toJS({ maxAliasCount: -1 });
    if (value === null || value === undefined) {
      continue;
    }
    const line = lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
    // Non-objects are kept so that `check` can report them.
    const items = typeof value === 'object' && !Array.isArray(value) ? flattenLists([value]) : [value];
    for (const object of items) {
      objects.push({ object, source: `${source}:${line}` });
    }
  }
  return { objects, errors };
}

/** Kinds this tool does not know (custom resources, typos), with how many objects of each: `Certificate (2)`. */
export function unknownKinds(objects: readonly SourcedObject[]): string[] {
  const counts = new Map<string, number>();
  for (const o of objects) {
    const kind = o.object?.kind;
    if (typeof kind === 'string' && BUILT_IN_KINDS[kind] === undefined) {
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, n]) => `${kind} (${n})`);
}
