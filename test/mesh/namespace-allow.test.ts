/*
 * DenyAllNamespace.allowFromNamespaces and allowWithinNamespace write namespace-wide
 * NetworkPolicies; in a meshed namespace they also write the matching mesh authorization, or
 * the mesh (Istio allow-nothing, Linkerd default-inbound deny) would block what they allow.
 */
import { outsideWorkloads } from './helpers';
import { NetworkAnalysis } from '../../src/analysis';
import { MeshDataplaneMode, ServiceMesh } from '../../src/mesh';
import { DenyAllNamespace, DenyAllNamespaceProps } from '../../src/namespace/deny-all-namespace';
import { SecureService } from '../../src/service/secure-service';
import { HeadlessStatefulEndpoint } from '../../src/stateful/headless-stateful-endpoint';
import { newChart, synth } from '../util/synth';

function app(mesh: ServiceMesh | undefined, props: DenyAllNamespaceProps) {
  const chart = newChart();
  const n = new DenyAllNamespace(chart, 'A', { name: 'a', mesh, ...props });
  new SecureService(chart, 'Api', { namespace: n, name: 'api', image: 'x:1', port: 8080 });
  new HeadlessStatefulEndpoint(chart, 'Db', { namespace: n, name: 'db', image: 'x:1', ports: [{ name: 'pg', port: 5432 }] });
  return synth(chart);
}

const meshObject = (objects: any[], group: string, kind: string, name: string) =>
  objects.filter((o) => o.apiVersion.startsWith(group) && o.kind === kind && o.metadata.name === name);
const reach = (objects: any[]) => {
  const net = NetworkAnalysis.fromManifests([...objects, ...outsideWorkloads([
    { namespace: 'mon', name: 'prometheus', labels: { app: 'prometheus' } },
    { namespace: 'other', name: 'x', labels: { app: 'x' } },
  ])]);
  return (from: string, to: string, port: number) => net.isAllowed({ from, to, port });
};

describe('Istio', () => {
  test.each([MeshDataplaneMode.SIDECAR, MeshDataplaneMode.AMBIENT])('allowFromNamespaces is a namespace-wide ALLOW policy from those namespaces (%s)', (mode) => {
    const objects = app(ServiceMesh.istio({ dataplaneMode: mode }), { allowFromNamespaces: ['mon', 'ops'] });
    const [policy] = meshObject(objects, 'security.istio.io', 'AuthorizationPolicy', 'allow-from-namespaces');
    expect(policy.metadata.namespace).toBe('a');
    // No selector: it applies to every workload of the namespace, next to their own ALLOW policies.
    expect(policy.spec).toEqual({ action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['mon', 'ops'] } }] }] });
    // The NetworkPolicy admits every port, dataplane ports included.
    const allowed = reach(objects);
    expect(allowed('mon/prometheus', 'a/api', 8080)).toBe(true);
    expect(allowed('mon/prometheus', 'a/db', 15008)).toBe(true);
    expect(allowed('other/x', 'a/api', 8080)).toBe(false);
  });

  test('allowWithinNamespace is a namespace-wide ALLOW policy from the namespace itself', () => {
    const objects = app(ServiceMesh.istio(), { allowWithinNamespace: true });
    expect(meshObject(objects, 'security.istio.io', 'AuthorizationPolicy', 'allow-within-namespace')[0].spec)
      .toEqual({ action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['a'] } }] }] });
    expect(reach(objects)('a/api', 'a/db', 5432)).toBe(true);
    expect(meshObject(objects, 'security.istio.io', 'AuthorizationPolicy', 'allow-from-namespaces')).toEqual([]);
  });

  test('without the props there is no namespace-wide ALLOW policy', () => {
    const objects = app(ServiceMesh.istio(), {});
    expect(objects.filter((o) => o.kind === 'AuthorizationPolicy' && !o.spec.selector).map((o) => o.metadata.name)).toEqual(['allow-nothing']);
  });
});

describe('Linkerd', () => {
  const authn = (ns: string) => `*.${ns}.serviceaccount.identity.linkerd.cluster.local`;

  test('allowFromNamespaces authorizes every Server of the namespace for the identities of those namespaces', () => {
    const objects = app(ServiceMesh.linkerd(), { allowFromNamespaces: ['mon'] });
    expect(meshObject(objects, 'policy.linkerd.io', 'MeshTLSAuthentication', 'allow-from-namespaces')[0].spec).toEqual({ identities: [authn('mon')] });
    expect(meshObject(objects, 'policy.linkerd.io', 'AuthorizationPolicy', 'allow-from-namespaces')[0].spec).toEqual({
      targetRef: { kind: 'Namespace', name: 'a' },
      requiredAuthenticationRefs: [{ group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: 'allow-from-namespaces' }],
    });
    const allowed = reach(objects);
    expect(allowed('mon/prometheus', 'a/db', 5432)).toBe(true);
    expect(allowed('mon/prometheus', 'a/api', 4143)).toBe(true);
    expect(allowed('other/x', 'a/api', 4143)).toBe(false);
  });

  test('allowWithinNamespace authorizes every Server of the namespace for its own identities', () => {
    const objects = app(ServiceMesh.linkerd({ controlPlaneNamespace: 'l5d', trustDomain: 'prod.example' }), { allowWithinNamespace: true });
    expect(meshObject(objects, 'policy.linkerd.io', 'MeshTLSAuthentication', 'allow-within-namespace')[0].spec)
      .toEqual({ identities: ['*.a.serviceaccount.identity.l5d.prod.example'] });
    expect(meshObject(objects, 'policy.linkerd.io', 'AuthorizationPolicy', 'allow-within-namespace')[0].spec.targetRef).toEqual({ kind: 'Namespace', name: 'a' });
    const allowed = reach(objects);
    expect(allowed('a/api', 'a/db', 4143)).toBe(true);
    expect(allowed('a/db', 'a/api', 8080)).toBe(true);
  });

  test('without the props no authorization targets the namespace', () => {
    const objects = app(ServiceMesh.linkerd(), {});
    expect(objects.filter((o) => o.apiVersion.startsWith('policy.linkerd.io') && o.kind === 'AuthorizationPolicy' && o.spec.targetRef.kind === 'Namespace')).toEqual([]);
  });
});

test('without a mesh the props write NetworkPolicies only', () => {
  const objects = app(undefined, { allowFromNamespaces: ['mon'], allowWithinNamespace: true });
  expect(objects.filter((o) => /istio\.io|linkerd\.io/.test(o.apiVersion))).toEqual([]);
  expect(reach(objects)('mon/prometheus', 'a/api', 8080)).toBe(true);
});
