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
 *
 * The model packages are pinned to their last releases that run on Node 20 (CommonJS, `engines`
 * `>=14`; every later release requires Node 22): kubernetes-models 4.5, @kubernetes-models/gateway-api
 * 0.5 (built from Gateway API v1.0.0), /istio 2.3 (Istio 1.18), /traefik 0.2 (Traefik Helm chart v25),
 * /cert-manager 4.4. Where those models are older than the CRDs the library renders against (the
 * cdk8s imports of ../shared/crds), two tables below say what is done instead; test/util/synth.test.ts
 * checks both against the CRD files when they are present.
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

/**
 * Versions the pinned models lack, validated with the model of another version of the same kind
 * because the CRD serves both versions with one identical schema: Istio 1.30.3's CRDs (every
 * networking.istio.io and security.istio.io kind serves v1, v1beta1 and v1alpha3 with one schema)
 * and Gateway API v1.6.1's ReferenceGrant (v1 and v1beta1). Used only when no model of the version
 * itself exists.
 */
export const SAME_SCHEMA_VERSIONS: { [apiVersion: string]: string } = {
  'networking.istio.io/v1': 'networking.istio.io/v1beta1',
  'security.istio.io/v1': 'security.istio.io/v1beta1',
};
export const SAME_SCHEMA_KINDS: { [apiVersionKind: string]: string } = {
  'gateway.networking.k8s.io/v1/ReferenceGrant': 'gateway.networking.k8s.io/v1beta1',
};

/**
 * Values newer than the pinned Gateway API model (v1.0.0) that the library renders against the
 * v1.6.1 CRDs: the HTTPRoute `CORS` filter (in the v1.6.1 standard-channel CRD, not in v1.0.0).
 * Those filters are left out of the model check only; the strict-field check (from the v1.6.1
 * imports) still walks them. Every other field of the route goes through the model.
 */
export const NEWER_THAN_MODEL: { [apiVersionKind: string]: { filterTypes: string[] } } = {
  'gateway.networking.k8s.io/v1/HTTPRoute': { filterTypes: ['CORS'] },
};

/** The object as the model of its kind sees it: newer filter types of NEWER_THAN_MODEL left out. */
function forModel(obj: any): any {
  const newer = NEWER_THAN_MODEL[`${obj.apiVersion}/${obj.kind}`];
  if (!newer || !Array.isArray(obj.spec?.rules)) return obj;
  const rules = obj.spec.rules.map((r: any) => (Array.isArray(r?.filters)
    ? { ...r, filters: r.filters.filter((f: any) => !newer.filterTypes.includes(f?.type)) }
    : r));
  return { ...obj, spec: { ...obj.spec, rules } };
}

const modelCache = new Map<string, any>();

function requireModel(apiVersion: string, kind: string): any | undefined {
  const mod = modelModule(apiVersion, kind);
  if (!mod) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(mod)[kind];
  } catch (e: any) {
    if (!/Cannot find module|Could not locate module/.test(String(e?.message))) throw e;
    return undefined;
  }
}

/** The model of a kind and the apiVersion it validates (another one only through the tables above). */
function loadModel(apiVersion: string, kind: string): { model: any; apiVersion: string } | undefined {
  const key = `${apiVersion}/${kind}`;
  if (modelCache.has(key)) return modelCache.get(key);
  let found: { model: any; apiVersion: string } | undefined;
  const direct = requireModel(apiVersion, kind);
  if (direct) {
    found = { model: direct, apiVersion };
  } else {
    const same = SAME_SCHEMA_KINDS[key] ?? SAME_SCHEMA_VERSIONS[apiVersion];
    const model = same ? requireModel(same, kind) : undefined;
    if (model) found = { model, apiVersion: same };
  }
  modelCache.set(key, found);
  return found;
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
      new model.model({ ...forModel(obj), apiVersion: model.apiVersion }).validate();
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
