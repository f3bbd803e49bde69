/**
 * The pinned schema models (test/util/schema.ts) against the CRDs the library renders against.
 * The models are the last releases that run on Node 20; where they are older than ../shared/crds,
 * SAME_SCHEMA_VERSIONS / SAME_SCHEMA_KINDS / NEWER_THAN_MODEL say what is done instead, and these
 * tests check each entry against the CRD files (skipped with a message in a clone without ../shared).
 */
import { crdDocuments, withCrdFiles } from './crd-files';
import { NEWER_THAN_MODEL, SAME_SCHEMA_KINDS, SAME_SCHEMA_VERSIONS, schemaProblems } from './schema';


const virtualService = (extra: any = {}) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'vs', namespace: 'shop' },
  spec: { hosts: ['api.shop.svc.cluster.local'], http: [{ route: [{ destination: { host: 'api', port: { number: 80 } }, weight: 100 }] }], ...extra },
});

const corsRoute = (port: any) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'r' },
  spec: {
    parentRefs: [{ name: 'gw' }],
    rules: [{
      filters: [{ type: 'CORS', cors: { allowOrigins: ['https://shop.example.com'] } }],
      backendRefs: [{ name: 'api', port }],
    }],
  },
});

describe('versions the pinned models lack', () => {
  test('Istio v1 objects are validated by the v1beta1 model (one schema for both in the CRD)', () => {
    expect(schemaProblems(virtualService())).toEqual([]);
    expect(schemaProblems(virtualService({ hosts: 'api' })).join('\n')).toMatch(/hosts.*must be array/);
  });

  test('Gateway API v1 ReferenceGrant is validated by the v1beta1 model', () => {
    const grant = (from: any) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'ReferenceGrant',
      metadata: { name: 'g', namespace: 'shop' },
      spec: { from: [from], to: [{ group: '', kind: 'Service' }] },
    });
    expect(schemaProblems(grant({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'edge' }))).toEqual([]);
    expect(schemaProblems(grant({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' })).join('\n')).toMatch(/required property 'namespace'/);
  });

  test('an HTTPRoute with a CORS filter: the rest of the route still goes through the model', () => {
    expect(schemaProblems(corsRoute(80))).toEqual([]);
    expect(schemaProblems(corsRoute('eighty')).join('\n')).toMatch(/backendRefs\/0\/port/);
  });

  test('the CORS filter itself is still checked for unknown fields (v1.6.1 imports)', () => {
    const route: any = corsRoute(80);
    route.spec.rules[0].filters[0].cors.allowOrigin = ['x'];
    expect(schemaProblems(route)).toEqual(['spec.rules[0].filters[0].cors.allowOrigin: unknown field "allowOrigin"']);
  });

  test('the pinned Gateway API model still lacks the CORS filter (else NEWER_THAN_MODEL can go)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { HTTPRoute } = require('@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute');
    expect(() => new HTTPRoute(corsRoute(80)).validate()).toThrow(/type must be equal to one of the allowed values/);
  });
});

/** group -> kind -> served version -> JSON of its schema, from every CRD file under ../shared/crds. */
function crdSchemas(): Map<string, Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, Map<string, string>>>();
  for (const crd of crdDocuments()) {
    const kinds = out.get(crd.spec.group) ?? new Map();
    out.set(crd.spec.group, kinds);
    const versions = new Map<string, string>();
    for (const v of crd.spec.versions ?? []) if (v.served) versions.set(v.name, JSON.stringify(v.schema));
    kinds.set(crd.spec.names.kind, versions);
  }
  return out;
}

withCrdFiles('the tables against the CRD files', () => {
  const schemas = crdSchemas();
  const split = (apiVersion: string) => [apiVersion.slice(0, apiVersion.indexOf('/')), apiVersion.slice(apiVersion.indexOf('/') + 1)];

  test.each(Object.entries(SAME_SCHEMA_VERSIONS))('every kind of %s is served with the schema of %s', (from, to) => {
    const [group, v1] = split(from);
    const [, v2] = split(to);
    const kinds = [...(schemas.get(group)?.entries() ?? [])].filter(([, vs]) => vs.has(v1));
    expect(kinds.length).toBeGreaterThan(0);
    for (const [kind, vs] of kinds) {
      expect({ kind, same: vs.get(v1) === vs.get(v2) }).toEqual({ kind, same: true });
    }
  });

  test.each(Object.entries(SAME_SCHEMA_KINDS))('%s is served with the schema of %s', (from, to) => {
    const kind = from.slice(from.lastIndexOf('/') + 1);
    const [group, v1] = split(from.slice(0, from.lastIndexOf('/')));
    const [, v2] = split(to);
    const vs = schemas.get(group)?.get(kind);
    expect(vs?.get(v1)).toBeDefined();
    expect(vs?.get(v1)).toEqual(vs?.get(v2));
  });

  test.each(Object.entries(NEWER_THAN_MODEL))('the CRD of %s allows the filter types left out of the model check', (key, { filterTypes }) => {
    const kind = key.slice(key.lastIndexOf('/') + 1);
    const [group, version] = split(key.slice(0, key.lastIndexOf('/')));
    const schema = JSON.parse(schemas.get(group)!.get(kind)!.get(version)!);
    const filterType = schema.openAPIV3Schema.properties.spec.properties.rules.items.properties.filters.items.properties.type;
    for (const t of filterTypes) expect(filterType.enum).toContain(t);
  });
});
