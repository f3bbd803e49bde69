/**
 * A catalogue of the fields of Kubernetes kinds, and the schema checks `cdk8s-net check` runs with it
 * (rule NET006) and the test helper `test/util/schema.ts` reuses.
 *
 * The catalogue is read from cdk8s-generated L1 code: the `toJson_*` functions list each field of a
 * type under its wire name (and the type of nested objects), and the interfaces of the `.d.ts` give
 * each property's TypeScript type (`number`, `string`, `boolean`, `IntOrString`, maps, arrays, other
 * interfaces). For the built-in kinds the source is cdk8s-plus-28's `lib/imports/k8s.js` and
 * `k8s.d.ts` (Kubernetes 1.28), a peer dependency of this library, so it is present wherever the
 * library is installed. Parsing is text only (nothing of cdk8s is loaded) and runs once per process.
 *
 * Internal to `src/analysis`.
 */
import * as fs from 'fs';

type Shape = 'value' | 'array' | 'map';

/** One field of a type: its shape on the wire, the type of its objects, and its TypeScript property name. */
export interface FieldRef {
  readonly shape: Shape;
  /** The catalogue type of the field's objects (or of the items/values of an array/map). */
  readonly type?: string;
  /** The property name in the generated interface (usually the wire name). */
  readonly prop?: string;
}

/** A problem of one object: the field path and what is wrong. */
export interface SchemaProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * Fields that Kubernetes added after 1.28 (the version of cdk8s-plus-28's catalogue): accepted
 * without checking, so that current manifests are not reported as having unknown fields.
 */
const LATER_FIELDS: { readonly [type: string]: readonly string[] } = {
  'k8s.PodSecurityContext': ['appArmorProfile', 'seLinuxChangePolicy', 'supplementalGroupsPolicy'],
  'k8s.SecurityContext': ['appArmorProfile'],
  'k8s.PodSpec': ['resources'],
  'k8s.ServiceSpec': ['trafficDistribution'],
  'k8s.JobSpec': ['managedBy', 'successPolicy'],
  'k8s.Container': ['stopSignal'],
};

/** `number` fields that are not integers (JSON schema bounds of CustomResourceDefinitions). */
const FLOAT_FIELDS = ['maximum', 'minimum', 'multipleOf'];

const FIELD_LINE = /^\s*'([^']+)': (.*),\s*$/;

export class FieldCatalogue {
  /** type name -> wire field name -> field */
  public readonly types = new Map<string, Map<string, FieldRef>>();
  /** `apiVersion/kind` -> root props type name */
  public readonly roots = new Map<string, string>();
  /** interface name -> property name -> TypeScript type text */
  private readonly props = new Map<string, Map<string, string>>();
  private readonly enums = new Set<string>();

  /** Reads the `toJson_*` functions of generated L1 code (JavaScript or TypeScript). */
  public addSource(text: string, prefix: string): void {
    const header = /function toJson_(\w+)\(obj[^)]*\)[^{]*\{/g;
    let m: RegExpExecArray | null;
    while ((m = header.exec(text))) {
      const start = text.indexOf('const result = {', m.index);
      const end = text.indexOf('// filter undefined values', m.index);
      if (start < 0 || end < 0 || start > end) continue;
      const fields = new Map<string, FieldRef>();
      for (const line of text.slice(start, end).split('\n')) {
        const f = FIELD_LINE.exec(line);
        if (!f) continue;
        const ref = /toJson_(\w+)\(/.exec(f[2]);
        const prop = /\bobj\.(\w+)/.exec(f[2]);
        const shape: Shape = f[2].includes('Object.entries') ? 'map' : f[2].includes('.map(') ? 'array' : 'value';
        fields.set(f[1], { shape, type: ref ? prefix + ref[1] : undefined, prop: prop?.[1] });
      }
      this.types.set(prefix + m[1], fields);
      header.lastIndex = end;
    }
  }

  /** Reads `Kind.GVK = { apiVersion, kind }` of compiled L1 code; the root type is `<Class>Props`. */
  public addCompiledRoots(text: string, prefix: string): void {
    const gvk = /^(\w+)\.GVK = \{\s*apiVersion: '([^']+)',\s*kind: '([^']+)',/gm;
    let m: RegExpExecArray | null;
    while ((m = gvk.exec(text))) {
      if (this.types.has(`${prefix}${m[1]}Props`)) this.addRoot(m[2], m[3], `${prefix}${m[1]}Props`);
    }
  }

  /** Reads the property types of the interfaces (and the enum names) of a `.d.ts` or `.ts` file. */
  public addDeclarations(text: string, prefix: string): void {
    let current: Map<string, string> | undefined;
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n];
      if (current) {
        if (line.startsWith('}')) {
          current = undefined;
          continue;
        }
        const p = /^\s+readonly (\w+)\??: (.+);\s*$/.exec(line);
        if (p) {
          current.set(p[1], p[2]);
          continue;
        }
        // A map type over three lines: `readonly labels?: {`, `[key: string]: string;`, `};`.
        const open = /^\s+readonly (\w+)\??: \{\s*$/.exec(line);
        const value = open ? /^\s+\[key: string\]: (.+);\s*$/.exec(lines[n + 1] ?? '') : null;
        if (open && value) current.set(open[1], `{ [key: string]: ${value[1]} }`);
        continue;
      }
      const i = /^export (?:declare )?interface (\w+) \{/.exec(line);
      if (i) {
        current = new Map();
        this.props.set(prefix + i[1], current);
        continue;
      }
      const e = /^export (?:declare )?enum (\w+) \{/.exec(line);
      if (e) this.enums.add(prefix + e[1]);
    }
  }

  public addRoot(apiVersion: string, kind: string, propsType: string): void {
    const key = `${apiVersion}/${kind}`;
    if (!this.roots.has(key)) this.roots.set(key, propsType);
  }

  /** The root type of a kind, if the catalogue knows it. */
  public rootType(apiVersion: string, kind: string): string | undefined {
    return this.roots.get(`${apiVersion}/${kind}`);
  }

  /** Lists fields of `value` that its type does not declare, as `path: unknown field "name"`. */
  public unknownFields(value: any, type: string | undefined, at: string, out: string[]): void {
    const problems: SchemaProblem[] = [];
    this.walk(value, type, at, problems, false);
    for (const p of problems) out.push(`${p.field}: ${p.message.replace(/ \(not a field of .*\)$/, '')}`);
  }

  /**
   * The schema problems of one object: fields its kind does not declare (the API server's strict
   * field validation rejects them) and values of the wrong type. `status` is not checked (the
   * server ignores it on create). `undefined` when the catalogue does not know the kind.
   */
  public check(obj: any): SchemaProblem[] | undefined {
    const rootType = this.rootType(String(obj?.apiVersion), String(obj?.kind));
    if (rootType === undefined) return undefined;
    const { apiVersion: _a, kind: _k, status: _s, ...rest } = obj;
    const out: SchemaProblem[] = [];
    this.walk(rest, rootType, '', out, true);
    return out;
  }

  private walk(value: any, type: string | undefined, at: string, out: SchemaProblem[], types: boolean): void {
    if (type === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const fields = this.types.get(type);
    if (!fields) return;
    const props = this.props.get(type);
    const later = LATER_FIELDS[type] ?? [];
    for (const [key, child] of Object.entries(value)) {
      const ref = fields.get(key);
      const where = at ? `${at}.${key}` : key;
      if (!ref) {
        if (!later.includes(key)) out.push({ field: where, message: `unknown field "${key}" (not a field of ${typeLabel(type)})` });
        continue;
      }
      if (types && child !== null && child !== undefined) {
        const declared = ref.prop ? props?.get(ref.prop) : undefined;
        const problem = declared === undefined ? undefined : this.typeProblem(child, declared, key);
        if (problem) {
          // Problems of list items and map values start with their position: `[2] is ...`, `.app is ...`.
          const inner = /^((?:\[\d+\]|\.[^\s]+)+) (.*)$/.exec(problem);
          out.push(inner ? { field: `${where}${inner[1]}`, message: inner[2] } : { field: where, message: problem });
          continue;
        }
      }
      if (ref.shape === 'array' && Array.isArray(child)) {
        child.forEach((item, i) => this.walk(item, ref.type, `${where}[${i}]`, out, types));
      } else if (ref.shape === 'map' && child && typeof child === 'object') {
        for (const [k, v] of Object.entries(child)) this.walk(v, ref.type, `${where}.${k}`, out, types);
      } else {
        this.walk(child, ref.type, where, out, types);
      }
    }
  }

  /** What is wrong with `value` for the TypeScript type `declared` (only the cheap, certain cases). */
  private typeProblem(value: any, declared: string, key: string): string | undefined {
    const t = declared.trim();
    if (t.endsWith('[]')) {
      if (!Array.isArray(value)) return `is ${describe(value)}; it must be a list`;
      const item = t.slice(0, -2);
      for (let i = 0; i < value.length; i++) {
        const p = value[i] === null ? undefined : this.typeProblem(value[i], item, key);
        if (p) return `[${i}] ${p}`;
      }
      return undefined;
    }
    const map = /^\{ \[key: string\]: (.+) \}$/.exec(t);
    if (map) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return `is ${describe(value)}; it must be a map`;
      for (const [k, v] of Object.entries(value)) {
        const p = v === null ? undefined : this.typeProblem(v, map[1], key);
        if (p) return `.${k} ${p}`;
      }
      return undefined;
    }
    switch (t) {
      case 'number':
        if (typeof value !== 'number') return `is ${describe(value)}; it must be ${FLOAT_FIELDS.includes(key) ? 'a number' : 'an integer'}`;
        return Number.isInteger(value) || FLOAT_FIELDS.includes(key) ? undefined : `is ${value}; it must be an integer`;
      case 'string':
        return typeof value === 'string' ? undefined : `is ${describe(value)}; it must be a string`;
      case 'Date':
        return typeof value === 'string' || value instanceof Date ? undefined : `is ${describe(value)}; it must be a timestamp string`;
      case 'boolean':
        return typeof value === 'boolean' ? undefined : `is ${describe(value)}; it must be true or false`;
      case 'IntOrString':
        return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)) ? undefined : `is ${describe(value)}; it must be an integer or a string`;
      case 'Quantity':
        return typeof value === 'string' || typeof value === 'number' ? undefined : `is ${describe(value)}; it must be a quantity (a number or a string such as 500m or 1Gi)`;
      case 'any':
        return undefined;
      default:
        break;
    }
    const name = `k8s.${t}`;
    if (this.enums.has(name)) return typeof value === 'string' ? undefined : `is ${describe(value)}; it must be a string`;
    if (this.props.has(name) && (typeof value !== 'object' || Array.isArray(value))) return `is ${describe(value)}; it must be an object (${t})`;
    return undefined;
  }
}

/** `k8s.KubeDeploymentProps` -> `Deployment`, `k8s.PodSpec` -> `PodSpec`. */
function typeLabel(type: string): string {
  const name = type.slice(type.indexOf('.') + 1);
  return /^Kube(\w+)Props$/.exec(name)?.[1] ?? name;
}

function describe(value: any): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value === 'number' ? 'the number' : typeof value === 'boolean' ? 'the boolean' : typeof value} ${String(value)}`;
}

let builtIn: FieldCatalogue | null | undefined;

/**
 * The catalogue of the built-in kinds (Kubernetes 1.28), from cdk8s-plus-28; `undefined` when that
 * package cannot be found. Built on first use, then cached.
 */
export function builtInCatalogue(): FieldCatalogue | undefined {
  if (builtIn === undefined) {
    builtIn = null;
    try {
      const js = require.resolve('cdk8s-plus-28/lib/imports/k8s.js');
      const c = new FieldCatalogue();
      const text = fs.readFileSync(js, 'utf8');
      c.addSource(text, 'k8s.');
      c.addCompiledRoots(text, 'k8s.');
      const dts = js.replace(/\.js$/, '.d.ts');
      if (fs.existsSync(dts)) c.addDeclarations(fs.readFileSync(dts, 'utf8'), 'k8s.');
      builtIn = c;
    } catch {
      builtIn = null;
    }
  }
  return builtIn ?? undefined;
}
