/**
 * Validation of manifests against the Kubernetes schemas, for tests.
 *
 * Two checks, both needed because neither is complete on its own:
 *
 * 1. **Schema** (types, required fields, enums, formats): the official OpenAPI schemas as
 *    compiled by the `kubernetes-models` packages (`@kubernetes-models/*` for CRDs).
 * 2. **Strict fields** (no unknown fields): those schemas never set `additionalProperties: false`,
 *    but the API server's strict field validation (`kubectl apply --validate=strict`, the default)
 *    rejects unknown fields. The known fields of every kind are read from the cdk8s-generated L1
 *    code (the `toJson_*` functions of cdk8s-plus-28's `k8s` module and of `src/imports/`), which
 *    list each field under its wire name.
 *
 * A kind with no known schema fails validation unless the caller names it as schema-less.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FieldCatalogue } from '../../src/analysis/schema';

/** Which npm package holds the compiled schema of an API group. */
const GROUP_PACKAGES: { [group: string]: string } = {
  'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
  'cert-manager.io': '@kubernetes-models/cert-manager',
  'acme.cert-manager.io': '@kubernetes-models/cert-manager',
  'networking.istio.io': '@kubernetes-models/istio',
  'security.istio.io': '@kubernetes-models/istio',
  'telemetry.istio.io': '@kubernetes-models/istio',
  'traefik.io': '@kubernetes-models/traefik',
};

/** Core groups served by the `kubernetes-models` package. */
function modelModule(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (group === '') return `kubernetes-models/${version}/${kind}`;
  if (group.endsWith('.k8s.io') && !(group in GROUP_PACKAGES) || ['apps', 'batch', 'policy', 'autoscaling'].includes(group)) {
    return `kubernetes-models/${group}/${version}/${kind}`;
  }
  const pkg = GROUP_PACKAGES[group];
  return pkg ? `${pkg}/${group}/${version}/${kind}` : undefined;
}

const modelCache = new Map<string, any>();

function loadModel(apiVersion: string, kind: string): any | undefined {
  const key = `${apiVersion}/${kind}`;
  if (modelCache.has(key)) return modelCache.get(key);
  const mod = modelModule(apiVersion, kind);
  let model: any;
  if (mod) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      model = require(mod)[kind];
    } catch (e: any) {
      if (!/Cannot find module|Could not locate module/.test(String(e?.message))) throw e;
    }
  }
  modelCache.set(key, model);
  return model;
}

// ---------------------------------------------------------------------------------------------
// Strict fields: the catalogue of known fields of each type, parsed from cdk8s L1 code by
// src/analysis/schema.ts (the same parser `cdk8s-net check` uses, rule NET006).

let catalogue: FieldCatalogue | undefined;

function fieldCatalogue(): FieldCatalogue {
  if (catalogue) return catalogue;
  const c = new FieldCatalogue();
  const k8s = fs.readFileSync(require.resolve('cdk8s-plus-28/lib/imports/k8s.js'), 'utf8');
  c.addSource(k8s, 'k8s.');
  c.addCompiledRoots(k8s, 'k8s.');
  const sources: Array<{ file: string; prefix: string; module: any }> = [];
  const importsDir = path.join(__dirname, '..', '..', 'src', 'imports');
  if (fs.existsSync(importsDir)) {
    for (const f of fs.readdirSync(importsDir).filter((n) => n.endsWith('.ts') && !n.endsWith('.d.ts'))) {
      const file = path.join(importsDir, f);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      sources.push({ file, prefix: `${f}.`, module: require(file) });
    }
  }
  for (const s of sources) {
    c.addSource(fs.readFileSync(s.file, 'utf8'), s.prefix);
    for (const [name, cls] of Object.entries<any>(s.module)) {
      const gvk = cls?.GVK;
      if (gvk?.apiVersion && gvk?.kind && c.types.has(`${s.prefix}${name}Props`)) {
        c.addRoot(gvk.apiVersion, gvk.kind, `${s.prefix}${name}Props`);
      }
    }
  }
  catalogue = c;
  return c;
}

// ---------------------------------------------------------------------------------------------

export interface SchemaOptions {
  /**
   * Kinds that are schema-less on purpose, as `Kind` or `apiVersion/Kind`.
   * Objects of these kinds are not validated. Any other kind without a known schema fails.
   */
  readonly schemaless?: string[];
}

/** What is wrong with one object: schema violations, unknown fields, or an unknown kind. */
export function schemaProblems(obj: any, options: SchemaOptions = {}): string[] {
  const apiVersion = obj?.apiVersion;
  const kind = obj?.kind;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['apiVersion and kind are required'];
  const schemaless = options.schemaless ?? [];
  if (schemaless.includes(kind) || schemaless.includes(`${apiVersion}/${kind}`)) return [];

  const problems: string[] = [];
  const model = loadModel(apiVersion, kind);
  const rootType = fieldCatalogue().roots.get(`${apiVersion}/${kind}`);
  if (!model && !rootType) {
    return [`no schema is known for ${apiVersion}/${kind}; name it in "schemaless" if that is intended`];
  }
  if (model) {
    try {
      new model(obj).validate();
    } catch (e: any) {
      problems.push(String(e?.message ?? e).trim());
    }
  }
  if (rootType) {
    const { apiVersion: _a, kind: _k, ...rest } = obj;
    fieldCatalogue().unknownFields(rest, rootType, '', problems);
  }
  return problems;
}

/** Throws one error listing every problem of every object. */
export function validateManifests(objects: any[], options: SchemaOptions = {}): void {
  const lines: string[] = [];
  for (const obj of objects) {
    const problems = schemaProblems(obj, options);
    const id = `${obj?.kind ?? '?'} ${obj?.metadata?.namespace ? obj.metadata.namespace + '/' : ''}${obj?.metadata?.name ?? '?'}`;
    for (const p of problems) lines.push(`${id}: ${p}`);
  }
  if (lines.length > 0) {
    throw new Error(`Schema validation failed:\n  ${lines.join('\n  ')}`);
  }
}
