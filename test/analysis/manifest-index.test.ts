/**
 * The one pass over the manifests that every rule of a run shares (src/analysis/rules/manifest-index.ts).
 */
import { routeAttachments } from '../../src/analysis/rules/gateway-model';
import { ManifestIndex } from '../../src/analysis/rules/manifest-index';
import { SourcedObject } from '../../src/analysis/rules/rule';

function sourced(objects: any[]): SourcedObject[] {
  return objects.map((object, i) => ({ object, source: `input#${i + 1}` }));
}

describe('ManifestIndex', () => {
  const objects = sourced([
    { kind: 'Namespace', metadata: { name: 'shop', namespace: 'chart-ns' } },
    { kind: 'Service', metadata: { name: 'api', namespace: 'shop' } },
    { kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' } },
    { kind: 'Service', metadata: { name: 'web', namespace: 'shop' } },
    { kind: 'Pod', metadata: { name: 'debug', namespace: 'tools' } },
    { kind: 'Deployment', metadata: { name: 'web' } },
    { metadata: { name: 'no-kind', namespace: 'nowhere' } },
    { kind: 'ClusterRole', metadata: { name: 'reader', namespace: 'rbac' } },
  ]);

  test('is built once per input array, so the rules of one run share it', () => {
    expect(ManifestIndex.of(objects)).toBe(ManifestIndex.of(objects));
    expect(ManifestIndex.of([...objects])).not.toBe(ManifestIndex.of(objects));
  });

  test('lists the objects of a kind, and of several kinds, in input order', () => {
    const index = ManifestIndex.of(objects);
    expect(index.ofKind('Service').map((o) => o.source)).toEqual(['input#2', 'input#4']);
    expect(index.ofKinds(['Pod', 'Deployment']).map((o) => o.source)).toEqual(['input#3', 'input#5', 'input#6']);
    expect(index.ofKind('Ingress')).toEqual([]);
  });

  // An object without metadata.namespace lands in the request's namespace (kubectl: the context's; the rules take
  // `default`), a cluster-scoped object's metadata.namespace is cleared by the API server (kubernetes/kubernetes
  // staging/src/k8s.io/apiserver/pkg/registry/rest/meta.go, EnsureObjectNamespaceMatchesRequestNamespace).
  test('hasNamespace: a Namespace object, or an object of a namespaced kind in it (none given: default); the namespace of a cluster-scoped object or of an object without kind defines none', () => {
    const index = ManifestIndex.of(objects);
    expect(['shop', 'tools', 'default'].filter((ns) => index.hasNamespace(ns))).toEqual(['shop', 'tools', 'default']);
    expect(['chart-ns', 'rbac', 'nowhere', 'kube-system', ''].filter((ns) => index.hasNamespace(ns))).toEqual([]);
  });

  test('hasNamespace: an empty metadata.namespace is default, as an absent one; a Namespace object without a name defines none', () => {
    const index = ManifestIndex.of(sourced([{ kind: 'ConfigMap', metadata: { name: 'c', namespace: '' } }, { kind: 'Namespace', metadata: { name: '' } }]));
    expect(index.hasNamespace('default')).toBe(true);
    expect(index.hasNamespace('')).toBe(false);
    expect(ManifestIndex.of(sourced([{ kind: 'Namespace', metadata: { name: 'shop' } }])).hasNamespace('default')).toBe(false);
  });

  test('finds Services by namespace/name (an object without a namespace is in default)', () => {
    const index = ManifestIndex.of(objects);
    expect([...index.servicesByName.keys()]).toEqual(['shop/api', 'shop/web']);
  });
});

describe('routeAttachments (the route -> parentRef -> listener resolution NET021-NET023 share)', () => {
  const gw = 'gateway.networking.k8s.io/v1';
  const objects = sourced([
    { apiVersion: gw, kind: 'Gateway', metadata: { name: 'edge', namespace: 'infra' }, spec: { listeners: [{ name: 'a', hostname: 'a.example.com' }, { name: 'b' }] } },
    {
      apiVersion: gw,
      kind: 'HTTPRoute',
      metadata: { name: 'shop', namespace: 'shop' },
      spec: {
        parentRefs: [
          { name: 'edge', namespace: 'infra', sectionName: 'b' },
          { name: 'missing' },
          { kind: 'Service', name: 'api' },
          { name: 'edge', namespace: 'infra' },
        ],
      },
    },
  ]);

  test('resolves each parentRef to a Gateway once per input, in route then parentRef order, with the listeners it selects', () => {
    const attachments = routeAttachments(objects);
    expect(routeAttachments(objects)).toBe(attachments);
    expect(attachments.map((a) => [a.ref.index, `${a.ref.namespace}/${a.ref.name}`, a.gateway?.source, a.listeners.map((l) => l.name)])).toEqual([
      [0, 'infra/edge', 'input#1', ['b']],
      [1, 'shop/missing', undefined, []],
      [3, 'infra/edge', 'input#1', ['a', 'b']],
    ]);
  });
});
