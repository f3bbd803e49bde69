/**
 * Reads manifests as a pipeline gives them, keeping where each object came
 * from (`file:line`) and turning every input problem into a message instead
 * of an exception.
 *
 * - Paths are files, folders or `-` (standard input, read by the caller).
 * - Folders are searched for `.yaml`, `.yml` and `.json` files, skipping
 *   `node_modules` and dot-folders; files that hold no Kubernetes object
 *   (`Chart.yaml`, `values.yaml`, a kustomization, Helm templates, workflow files)
 *   are skipped with one note; a dangling symlink, a symlink loop or an
 *   unreadable entry is named in a note and skipped.
 * - YAML is read as kubectl reads it (go-yaml v2, YAML 1.1): `yes`/`no`/`on`/`off`
 *   are booleans, `0644` is octal, merge keys (`<<`) apply; timestamps and
 *   `1:20` stay strings; a byte-order mark may start any document; `List`
 *   objects are replaced by their items and null documents are skipped.
 * - Documents are parsed one at a time (no parse tree is kept). A file that is plain JSON takes
 *   `JSON.parse`'s fast path; YAML without anchors, tags, merge keys or directives (what
 *   generators write) is read by js-yaml, about ten times faster than the yaml package's parser,
 *   with the scalars resolved by the very tags of the yaml package's YAML 1.1 schema; anything
 *   else, and every text js-yaml refuses, is read by the yaml package (which names the line and
 *   column of errors).
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as jsyamlTypes from 'js-yaml';
import type * as yamlTypes from 'yaml';
import { isTierPolicy } from './admin-tier';
import { isCiliumPolicy } from './cilium';
import { flattenLists } from './compile';
import { isGatewayApi } from './manifest-fields';
import { BUILT_IN_KINDS, SourcedObject } from './rules';
import { lazyModule } from '../core/lazy-module';

/** The YAML parsers load when the first manifest is read, not with the library (`cdk8s synth` reads none). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsyaml = lazyModule((): typeof jsyamlTypes => require('js-yaml'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = lazyModule((): typeof yamlTypes => require('yaml'));

/** Manifests read from files, or why they could not be read. */
export interface LoadedManifests {
  readonly objects: SourcedObject[];
  /** Input problems (missing path, invalid YAML): the command should stop with exit code 2. */
  readonly errors: string[];
  /** What was skipped and why (dangling symlinks, files that are not manifests): for stderr. */
  readonly notes: string[];
  /** The files read (`-` for standard input). */
  readonly files: string[];
}

/** Options of `loadManifests`. */
export interface LoadOptions {
  /** The text of standard input, for the path `-`. */
  readonly stdin?: string;
}

/** What the path `-` stands for in messages and sources. */
export const STDIN_NAME = '<stdin>';

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
/** Files `cdk8s synth` writes next to the manifests that are not manifests (construct metadata for validation plugins). */
const NOT_MANIFESTS = ['construct-metadata.json'];
/** API groups of configuration files that look like objects but are never sent to a cluster. */
const CONFIG_GROUPS = ['kustomize.config.k8s.io', 'config.kubernetes.io', 'kpt.dev'];

/**
 * go-yaml v2 (which kubectl and sigs.k8s.io/yaml use) resolves YAML 1.1 booleans, octal and
 * merge keys, but keeps timestamps and sexagesimal numbers (`1:20`) as strings when decoding
 * into untyped values. The yaml package's `yaml-1.1` schema without those tags does the same.
 */
const YAML_OPTIONS: yamlTypes.ParseOptions & yamlTypes.DocumentOptions & yamlTypes.SchemaOptions = {
  version: '1.1',
  customTags: (tags) => tags.filter((t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME')),
};
/**
 * Aliases may be used, but not to expand a small text into an enormous one (the
 * "billion laughs" attack): the parser refuses past this many alias expansions.
 */
const TO_JS: yamlTypes.ToJSOptions = { maxAliasCount: 10_000 };

/**
 * The plain-scalar resolution of `YAML_OPTIONS` (null, YAML 1.1 booleans, binary, octal, decimal
 * and hex integers, floats), taken from the yaml package's schema itself and handed to js-yaml
 * as implicit types, so that both parsers read every plain scalar the same way. Each gets its own
 * tag name: js-yaml keeps one implicit type per tag.
 */
function fastSchema(): jsyamlTypes.Schema {
  return fastSchemaMemo ??= jsyaml.FAILSAFE_SCHEMA.extend({
    implicit: new yaml.Document(null, YAML_OPTIONS).schema.tags
      .filter((t): t is typeof t & { test: RegExp; resolve: (...args: any[]) => unknown } =>
        typeof t === 'object' && t.default === true && t.test instanceof RegExp && typeof (t as any).resolve === 'function' && t.tag !== 'tag:yaml.org,2002:merge')
      .map((t, i) => new jsyaml.Type(`${t.tag}#${i}`, {
        kind: 'scalar',
        resolve: (text: string | null) => t.test.test(text ?? ''),
        construct: (text: string | null) => {
          const value = t.resolve(text ?? '', () => undefined, { intAsBigInt: false });
          return value instanceof yaml.Scalar ? value.value : value;
        },
      })),
  });
}
let fastSchemaMemo: jsyamlTypes.Schema | undefined;

/**
 * What only the yaml package reads as kubectl does: anchors (and their alias limit), explicit
 * tags, merge keys, directives, document end markers, and `---` followed by content on its line.
 */
const NEEDS_FULL_PARSER = /(^|[\s[{,])[&!][^\s]|<<\s*:|^%|^\.\.\.|^---[ \t]*[^\s#]/m;
/** A document separator alone on its line. */
const SEPARATOR = /^---[ \t]*(?:#.*)?$/gm;

/**
 * The documents of `text` read by js-yaml, each with the line its content starts on; undefined
 * when the text needs the yaml package (see `NEEDS_FULL_PARSER`) or js-yaml refuses a document.
 */
function fastDocuments(text: string): Array<{ value: unknown; line: number }> | undefined {
  if (NEEDS_FULL_PARSER.test(text)) {
    return undefined;
  }
  const out: Array<{ value: unknown; line: number }> = [];
  let start = 0;
  let line = 1;
  const read = (end: number): boolean => {
    const chunk = text.slice(start, end);
    let value: unknown;
    try {
      value = jsyaml.load(chunk, { schema: fastSchema() });
    } catch {
      return false;
    }
    // The line of the first content, as the yaml package reports it: after blank and comment lines.
    let first = line;
    const lead = /^(?:[ \t]*(?:#.*)?(?:\r?\n|$))*/.exec(chunk)![0];
    for (let i = 0; i < lead.length; i++) if (lead.charCodeAt(i) === 10) first++;
    out.push({ value, line: first });
    return true;
  };
  SEPARATOR.lastIndex = 0;
  for (let m = SEPARATOR.exec(text); m; m = SEPARATOR.exec(text)) {
    if (!read(m.index)) return undefined;
    for (let i = start; i < m.index + m[0].length; i++) if (text.charCodeAt(i) === 10) line++;
    start = m.index + m[0].length;
  }
  if (!read(text.length)) return undefined;
  return out;
}

/** Reads every manifest under `paths` (files, folders, or `-` for `options.stdin`). */
export function loadManifests(paths: readonly string[], options: LoadOptions = {}): LoadedManifests {
  const objects: SourcedObject[] = [];
  const errors: string[] = [];
  const notes: string[] = [];
  const skipped: string[] = [];
  const files: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      if (options.stdin === undefined) {
        errors.push('"-" stands for standard input, which is not available here');
        continue;
      }
      files.push('-');
      const parsed = parseSource(options.stdin, STDIN_NAME);
      errors.push(...parsed.errors);
      objects.push(...parsed.objects);
      continue;
    }
    const scan = scanPath(p);
    errors.push(...scan.errors);
    notes.push(...scan.notes);
    for (const { file, explicit } of scan.files) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        const message = `cannot read ${file}: ${reason(e)}`;
        if (explicit) {
          errors.push(message);
        } else {
          notes.push(`${message}; skipped`);
        }
        continue;
      }
      const parsed = parseSource(text, file);
      if (!explicit && isTemplate(file, text, parsed)) {
        // Go templates (Helm charts' templates/) are not manifests until rendered.
        skipped.push(`${file} (template)`);
        continue;
      }
      if (!explicit && parsed.errors.length === 0 && !parsed.objects.some((o) => isClusterObject(o.object))) {
        skipped.push(file);
        continue;
      }
      files.push(file);
      errors.push(...parsed.errors);
      objects.push(...parsed.objects);
    }
  }
  if (skipped.length > 0) {
    const shown = skipped.length > 5 ? `${skipped.slice(0, 5).join(', ')} and ${skipped.length - 5} more` : skipped.join(', ');
    notes.push(`skipped ${skipped.length === 1 ? 'a file that holds' : `${skipped.length} files that hold`} no Kubernetes object `
      + `(no kind, a kustomization, Chart.yaml, values, workflows; templates: render them first, e.g. helm template ... | cdk8s-net check -): ${shown}`);
  }
  return { objects, errors, notes, files };
}

/**
 * Whether a file found in a folder is a Go template (a Helm chart's) rather than manifests: it is
 * in the `templates/` folder of a chart (next to a `Chart.yaml`), or it holds `{{` and either does
 * not parse or names its objects with `{{`. Valid objects whose values hold `{{` (the alert
 * templates of a `PrometheusRule`, Grafana dashboards) are read.
 */
function isTemplate(file: string, text: string, parsed: { objects: readonly SourcedObject[]; errors: readonly string[] }): boolean {
  const dir = path.dirname(file);
  if (path.basename(dir) === 'templates' && fs.existsSync(path.join(path.dirname(dir), 'Chart.yaml'))) {
    return true;
  }
  if (!text.includes('{{')) {
    return false;
  }
  if (parsed.errors.length > 0) {
    return true;
  }
  return parsed.objects.some(({ object }) => {
    const meta = object?.metadata;
    return meta !== null && typeof meta === 'object'
      && [meta.name, meta.namespace, meta.generateName, ...Object.keys(meta.labels ?? {}), ...Object.values(meta.labels ?? {})]
        .some((v) => typeof v === 'string' && v.includes('{{'));
  });
}

/** An object with a kind that is meant for a cluster (not kustomize or kpt configuration). */
function isClusterObject(obj: any): boolean {
  if (obj === null || typeof obj !== 'object' || typeof obj.kind !== 'string') {
    return false;
  }
  const group = typeof obj.apiVersion === 'string' ? obj.apiVersion.split('/')[0] : '';
  return !CONFIG_GROUPS.includes(group);
}

function reason(e: unknown): string {
  switch ((e as NodeJS.ErrnoException)?.code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EISDIR': return 'it is a folder';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'a symlink loop';
    default: return (e as Error)?.message ?? String(e);
  }
}

/** A file found under a path; `explicit` when the path named it (then it is read whatever its name). */
interface FoundFile {
  readonly file: string;
  readonly explicit: boolean;
}

/**
 * The manifest files under `p`, sorted by path within each folder. A missing path is an
 * error; entries inside folders that cannot be followed (dangling or looping symlinks,
 * unreadable folders) are notes.
 */
export function scanPath(p: string): { files: FoundFile[]; errors: string[]; notes: string[] } {
  const files: FoundFile[] = [];
  const notes: string[] = [];
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (e) {
    return { files, notes, errors: [`cannot read ${p}: ${reason(e)}`] };
  }
  if (!stat.isDirectory()) {
    return { files: [{ file: p, explicit: true }], notes, errors: [] };
  }
  const seen = new Set<string>();
  const walk = (dir: string) => {
    let real: string;
    let entries: fs.Dirent[];
    try {
      real = fs.realpathSync(dir);
      if (seen.has(real)) {
        notes.push(`${dir} is a symlink loop (it leads back to ${real}); skipped`);
        return;
      }
      seen.add(real);
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      notes.push(`cannot read folder ${dir}: ${reason(e)}; skipped`);
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') {
        continue;
      }
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          isDir = fs.statSync(full).isDirectory();
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          notes.push(code === 'ENOENT' ? `${full} is a dangling symlink (to ${safeReadlink(full)}); skipped` : `cannot read ${full}: ${reason(e)}; skipped`);
          continue;
        }
      }
      if (isDir) {
        walk(full);
      } else if (MANIFEST_EXTENSIONS.includes(path.extname(entry.name).toLowerCase()) && !NOT_MANIFESTS.includes(entry.name)) {
        files.push({ file: full, explicit: false });
      }
    }
  };
  walk(p);
  return { files, notes, errors: [] };
}

function safeReadlink(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return '?';
  }
}

/**
 * Parses one YAML (or JSON) text; each object is tagged `source:line` with the
 * line its document starts on. List objects are replaced by their items.
 * Stops at the first invalid document (later positions and meaning are unreliable).
 */
export function parseSource(text: string, source: string): { objects: SourcedObject[]; errors: string[] } {
  const objects: SourcedObject[] = [];
  const add = (value: unknown, line: number) => {
    if (value === null || value === undefined) {
      return;
    }
    // Non-objects are kept so that `check` can report them.
    const items = typeof value === 'object' && !Array.isArray(value) ? flattenLists([value]) : [value];
    for (const object of items) {
      objects.push({ object, source: `${source}:${line}` });
    }
  };
  // A byte-order mark may start the text and, in concatenated files, any line.
  const clean = text.includes('\uFEFF') ? text.replace(/(^|\n)\uFEFF/g, '$1') : text;
  const json = jsonFastPath(clean);
  if (json.ok) {
    add(json.value, 1);
    return { objects, errors: [] };
  }
  const fast = fastDocuments(clean);
  if (fast) {
    for (const doc of fast) add(doc.value, doc.line);
    return { objects, errors: [] };
  }
  const lineCounter = new yaml.LineCounter();
  try {
    const docs = new yaml.Composer(YAML_OPTIONS).compose(new yaml.Parser(lineCounter.addNewLine).parse(clean), true, clean.length);
    for (const doc of docs) {
      const pos = (offset: number) => lineCounter.linePos(offset);
      if (doc.errors.length > 0) {
        const err = doc.errors[0];
        const at = pos(err.pos[0]);
        const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        return { objects, errors: [`${source}:${at.line}:${at.col}: invalid YAML: ${message}`] };
      }
      const line = pos(doc.contents?.range?.[0] ?? doc.range[0]).line;
      let value: unknown;
      try {
        value = doc.toJS(TO_JS);
      } catch (e) {
        const message = /alias/i.test((e as Error).message)
          ? `its aliases expand to more than ${TO_JS.maxAliasCount} nodes (a "billion laughs" input); the document is refused`
          : (e as Error).message;
        return { objects, errors: [`${source}:${line}: invalid YAML: ${message}`] };
      }
      add(value, line);
    }
  } catch (e) {
    // The parser recurses: a document nested thousands of levels deep exhausts the stack.
    if (e instanceof RangeError) {
      return { objects, errors: [`${source}: invalid YAML: nested too deeply to read (${e.message})`] };
    }
    throw e;
  }
  return { objects, errors: [] };
}

/** A text that is one JSON value, parsed by `JSON.parse` (much faster than the YAML parser). */
function jsonFastPath(text: string): { ok: true; value: unknown } | { ok: false } {
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') {
    return { ok: false };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // Several documents, comments, or invalid: the YAML parser reads it and reports positions.
    return { ok: false };
  }
}

/** Kinds this tool does not know (custom resources, typos), with how many objects of each: `Certificate (2)`. */
export function unknownKinds(objects: readonly SourcedObject[]): string[] {
  const counts = new Map<string, number>();
  for (const o of objects) {
    const kind = o.object?.kind;
    // Policies evaluated beyond NetworkPolicy (network-policy-api, Cilium) are known too, and so is Gateway API
    // (routes and checks read it; a Gateway naming its data plane is an endpoint).
    const gatewayApi = isGatewayApi(o.object);
    if (typeof kind === 'string' && BUILT_IN_KINDS[kind] === undefined && !isTierPolicy(o.object) && !isCiliumPolicy(o.object) && !gatewayApi) {
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, n]) => `${kind} (${n})`);
}
