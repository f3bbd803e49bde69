/**
 * CLUSTER_SCOPED_KINDS (src/core/cluster-scoped.ts), the one list of the kinds in no namespace.
 * Against the CRD files the library imports (`spec.scope` of each CRD in ../shared/crds, skipped
 * with a message in a clone without ../shared): every kind of src/imports has a CRD there, and a
 * CRD's kind is in the list exactly when the CRD says `scope: Cluster`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CLUSTER_SCOPED_KINDS, isClusterScoped } from '../../src/core/cluster-scoped';
import { crdDocuments, withCrdFiles } from '../util/crd-files';

const IMPORTS = path.resolve(__dirname, '../../src/imports');

describe('isClusterScoped', () => {
  test.each([
    // Built-ins: kubectl api-resources --namespaced=false (Kubernetes v1.34).
    'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'IngressClass', 'IPAddress', 'ServiceCIDR', 'ClusterRole',
    'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'ValidatingWebhookConfiguration',
    // CRDs with scope: Cluster that this library writes or reads.
    'GatewayClass', 'ClusterIssuer', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy',
    'CiliumClusterwideNetworkPolicy', 'GlobalNetworkPolicy',
  ])('%s is cluster-scoped', (kind) => expect(isClusterScoped(kind)).toBe(true));

  test.each([
    'Service', 'Pod', 'Deployment', 'NetworkPolicy', 'Ingress', 'Role', 'RoleBinding', 'ServiceAccount',
    'Gateway', 'HTTPRoute', 'ReferenceGrant', 'Issuer', 'Certificate', 'CiliumNetworkPolicy', 'AuthorizationPolicy', 'Server',
  ])('%s is namespaced', (kind) => expect(isClusterScoped(kind)).toBe(false));

  test('a kind that is not a string is not cluster-scoped', () => {
    expect(isClusterScoped(undefined)).toBe(false);
    expect(isClusterScoped(42)).toBe(false);
    expect(isClusterScoped({ kind: 'Namespace' })).toBe(false);
  });
});

/** The kinds of the classes `cdk8s import` generated under src/imports (their `GVK`). */
function importedKinds(): Set<string> {
  const kinds = new Set<string>();
  for (const file of fs.readdirSync(IMPORTS).filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(IMPORTS, file), 'utf8');
    for (const m of text.matchAll(/GVK: GroupVersionKind = \{\s*apiVersion: '[^']*',\s*kind: '([^']+)'/g)) kinds.add(m[1]);
  }
  return kinds;
}

/** kind -> the scopes its CRDs under ../shared/crds declare. */
function crdScopes(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const crd of crdDocuments()) {
    const scopes = out.get(crd.spec.names.kind) ?? new Set<string>();
    scopes.add(crd.spec.scope);
    out.set(crd.spec.names.kind, scopes);
  }
  return out;
}

withCrdFiles('CLUSTER_SCOPED_KINDS against the CRD files', () => {
  const scopes = crdScopes();
  const kinds = [...importedKinds()].sort();

  test('every kind of src/imports has a CRD there, of one scope', () => {
    expect(kinds.length).toBeGreaterThan(40);
    expect(kinds.filter((k) => scopes.get(k)?.size !== 1)).toEqual([]);
  });

  test('a kind of a CRD there is in the list exactly when the CRD says scope: Cluster', () => {
    const wrong = [...scopes].filter(([k, s]) => CLUSTER_SCOPED_KINDS.has(k) !== s.has('Cluster')).map(([k]) => k);
    expect(wrong).toEqual([]);
    // The cluster-scoped ones, so that a new CRD of that scope shows here.
    expect([...scopes].filter(([, s]) => s.has('Cluster')).map(([k]) => k).sort()).toEqual([
      'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'ClusterIssuer', 'ClusterNetworkPolicy',
      'GatewayClass', 'GlobalNetworkPolicy',
    ]);
  });
});
