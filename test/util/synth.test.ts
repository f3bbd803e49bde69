import { ApiObject } from 'cdk8s';
import { newChart, schemaProblems, synth, validateManifests } from './synth';

const validService = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'api', namespace: 'shop' },
  spec: { type: 'ClusterIP', selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};

describe('schema helper', () => {
  test('a valid Service passes', () => {
    expect(schemaProblems(validService)).toEqual([]);
  });

  test('a field of the wrong type is rejected', () => {
    const bad = { ...validService, spec: { ...validService.spec, ports: [{ name: 'http', port: 'eighty' }] } };
    expect(schemaProblems(bad).join('\n')).toMatch(/ports\/0\/port.*must be integer/);
  });

  test('an unknown field is rejected, as strict field validation in the API server does', () => {
    const bad = { ...validService, spec: { ...validService.spec, sessionAfinity: 'ClientIP' } };
    expect(schemaProblems(bad)).toEqual(['spec.sessionAfinity: unknown field "sessionAfinity"']);
  });

  test('an unknown field deep inside a pod template is rejected', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api' },
      spec: {
        selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: { containers: [{ name: 'main', image: 'nginx:1.27', securityContext: { runAsNonroot: true } }] },
        },
      },
    };
    expect(schemaProblems(deployment)).toEqual([
      'spec.template.spec.containers[0].securityContext.runAsNonroot: unknown field "runAsNonroot"',
    ]);
  });

  test('a missing required field is rejected', () => {
    const bad = { ...validService, spec: { ...validService.spec, ports: [{ name: 'http', targetPort: 8080 }] } };
    expect(schemaProblems(bad).join('\n')).toMatch(/ports\/0.*must have required property port/);
  });

  test('an enum value outside the schema is rejected', () => {
    const bad = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'x' },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'ICMP', port: 80 }] }] },
    };
    expect(schemaProblems(bad).join('\n')).toMatch(/protocol/);
  });

  test('a kind without a known schema fails instead of passing silently', () => {
    const crd = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(schemaProblems(crd)).toEqual([
      'no schema is known for example.com/v1/Widget; name it in "schemaless" if that is intended',
    ]);
  });

  test('a kind named as schema-less on purpose is accepted', () => {
    const crd = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(schemaProblems(crd, { schemaless: ['example.com/v1/Widget'] })).toEqual([]);
    expect(schemaProblems(crd, { schemaless: ['Widget'] })).toEqual([]);
  });

  test('CRD kinds with a published model are validated (Gateway API HTTPRoute)', () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r' },
      spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'api', port: 'eighty' }] }] },
    };
    expect(schemaProblems(route).join('\n')).toMatch(/port/);
  });

  test('unknown fields of CRD kinds are rejected using the committed cdk8s imports', () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r' },
      spec: { parentRefs: [{ name: 'gw', bogus: 1 }] },
    };
    expect(schemaProblems(route)).toEqual(['spec.parentRefs[0].bogus: unknown field "bogus"']);
  });

  test('kinds without a published model are still checked for unknown fields (Linkerd Server v1beta3)', () => {
    const server = { apiVersion: 'policy.linkerd.io/v1beta3', kind: 'Server', metadata: { name: 's' }, spec: { podSelector: {}, port: 80, bogus: 1 } };
    expect(schemaProblems(server)).toEqual(['spec.bogus: unknown field "bogus"']);
  });

  test('validateManifests reports every problem of every object in one error', () => {
    const a = { ...validService, spec: { ...validService.spec, bogus: true } };
    const b = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(() => validateManifests([a, b])).toThrow(
      'Schema validation failed:\n  Service shop/api: spec.bogus: unknown field "bogus"\n  Widget w: no schema is known for example.com/v1/Widget; name it in "schemaless" if that is intended',
    );
  });

  test('synth() validates what a chart produces', () => {
    const chart = newChart();
    new ApiObject(chart, 'Bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 1 as any } });
    expect(() => synth(chart)).toThrow(/ConfigMap c: .*data\/a.*must be string/);
  });
});
