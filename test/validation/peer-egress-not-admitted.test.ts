/**
 * NET044 network-policy-peer-egress-not-admitted: an ingress rule that admits pods of a namespace
 * the app isolates for egress, while nothing in the app admits their egress, declares a
 * connection that can never be made.
 *
 * kubernetes.io/docs/concepts/services-networking/network-policies ("The two sorts of pod
 * isolation"): "a pod is isolated for egress if there is any NetworkPolicy that both selects the
 * pod and has "Egress" in its policyTypes"; then "the only allowed connections from the pod are
 * those allowed by the egress list of some NetworkPolicy that applies to the pod for egress", and
 * "for a connection from a source pod to a destination pod to be allowed, both the egress policy
 * on the source pod and the ingress policy on the destination pod need to allow the connection".
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Yaml } from 'cdk8s';
import { DenyAllNamespace, NamespaceRef, Peer, Port, SecureService } from '../../src';
import { SourcedObject } from '../../src/analysis/rules';
import networkPolicyPeerEgressNotAdmitted from '../../src/analysis/rules/network-policy-peer-egress-not-admitted';
import { AppValidation } from '../../src/validation';
import { cli } from '../cli/run-cli';
import { errorOf } from '../util/bad-input';
import { newChart, synth } from '../util/synth';

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const HEAD = 'Validation failed with the following errors:\n  ';
const WORKER = { app: 'worker' };

/** `batch` (a DenyAllNamespace, so its pods are isolated for egress) and `shop` with the SecureService api on 8080. */
function app(chart: Chart = newChart()) {
  const batch = new DenyAllNamespace(chart, 'Batch', { name: 'batch' });
  const shop = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
  const api = new SecureService(chart, 'Api', { namespace: shop, name: 'api', image: IMAGE, port: 8080 });
  return { chart, batch, shop, api };
}

/** The message of the finding on api's policy, for the pods `who` of batch. */
const message = (who: string, port = 'TCP 8080') => `${HEAD}[test/Api/NetworkPolicy/Resource] NET044 network-policy-peer-egress-not-admitted: NetworkPolicy shop/api: `
  + `spec.ingress[0].from[0] admits ${who} of namespace batch to Deployment shop/api on ${port}, but NetworkPolicy batch/default-deny (and 1 more) `
  + 'isolates those pods for egress and no egress rule of the input admits them there, so the connection can never be made '
  + '(it needs the egress of the source and the ingress of the destination); '
  + `add an egress rule in namespace batch that admits those pods to Deployment shop/api on ${port}, `
  + 'or make the source a workload of this library and use allowTo, which writes both sides.';

const ids = (chart: Chart) => AppValidation.of(chart).findings().map((f) => f.ruleId);

describe('the connection a peer of an egress-isolated namespace can never make fails the synth', () => {
  test('Peer.pods in a DenyAllNamespace of the app: the finding names both ends, the port, the isolating policy and the fix', () => {
    const { chart, api } = app();
    api.allowFrom(Peer.pods({ namespace: 'batch', labels: WORKER }), Port.tcp(8080));
    expect(errorOf(() => synth(chart))).toBe(message('pods app=worker'));
  });

  test('Peer.namespace and a NamespaceRef: every pod of the namespace', () => {
    const a = app();
    a.api.allowFrom(Peer.namespace('batch'), Port.tcp(8080));
    expect(errorOf(() => synth(a.chart))).toBe(message('every pod'));
    const b = app();
    b.api.allowFrom(NamespaceRef.named('batch'), Port.tcp(8080));
    expect(errorOf(() => synth(b.chart))).toBe(message('every pod'));
  });

  test('an egress rule on another port does not admit the connection', () => {
    const { chart, batch, api } = app();
    api.allowFrom(Peer.pods({ namespace: 'batch', labels: WORKER }), Port.tcp(8080));
    new ApiObject(chart, 'WorkerEgress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'worker-egress', namespace: batch.namespaceName },
      spec: {
        podSelector: { matchLabels: WORKER },
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }], ports: [{ port: 9090 }] }],
      },
    });
    expect(ids(chart)).toEqual(['NET044']);
  });
});

describe('no finding when the egress is admitted or not isolated', () => {
  test('the namespace allows its pods out to api (DenyAllNamespace.allowTo writes both sides)', () => {
    const { chart, batch, api } = app();
    api.allowFrom(Peer.pods({ namespace: 'batch', labels: WORKER }), Port.tcp(8080));
    batch.allowTo(api, Port.tcp(8080));
    expect(() => synth(chart)).not.toThrow();
    expect(ids(chart)).toEqual([]);
  });

  test("a plain NetworkPolicy of the app admits the pods' egress to api on the port", () => {
    const { chart, batch, api } = app();
    api.allowFrom(Peer.pods({ namespace: 'batch', labels: WORKER }), Port.tcp(8080));
    new ApiObject(chart, 'WorkerEgress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'worker-egress', namespace: batch.namespaceName },
      spec: {
        podSelector: { matchLabels: WORKER },
        policyTypes: ['Egress'],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }],
          ports: [{ port: 8080 }],
        }],
      },
    });
    expect(() => synth(chart)).not.toThrow();
  });

  test('the source is a workload of the library connected with allowTo', () => {
    const { chart, batch, api } = app();
    const worker = new SecureService(chart, 'Worker', { namespace: batch, name: 'worker', image: IMAGE, port: 8080 });
    worker.allowTo(api, Port.tcp(8080));
    expect(() => synth(chart)).not.toThrow();
  });

  test('a namespace the app does not isolate: one it does not create, and one it creates without policies', () => {
    const { chart, api } = app();
    new ApiObject(chart, 'Reports', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'reports' } });
    api.allowFrom(Peer.pods({ namespace: 'monitoring', labels: { app: 'prometheus' } }), Port.tcp(8080));
    api.allowFrom(Peer.namespace('reports'), Port.tcp(8080));
    expect(() => synth(chart)).not.toThrow();
  });

  test('every pod of the cluster (Peer.allPodsInCluster) says nothing about one namespace', () => {
    const { chart, api } = app();
    api.allowFrom(Peer.allPodsInCluster(), Port.tcp(8080));
    expect(() => synth(chart)).not.toThrow();
  });

  test('an app whose other side is written elsewhere opts out with AppValidation.skipRule', () => {
    const { chart, api } = app();
    api.allowFrom(Peer.pods({ namespace: 'batch', labels: WORKER }), Port.tcp(8080));
    AppValidation.of(chart).skipRule('NET044', "batch's egress policies are deployed by the batch team's own app");
    expect(() => synth(chart)).not.toThrow();
  });
});

describe('NET044 on manifests', () => {
  const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const deploy = (name: string, namespace: string, labels: Record<string, string>) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'x:1', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
  });
  const np = (name: string, namespace: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
  const denyEgress = np('deny-egress', 'batch', { podSelector: {}, policyTypes: ['Egress'] });
  const apiIngress = (from: any, ports: any[] = [{ port: 8080 }]) => np('api', 'shop', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [from], ports }] });
  const inBatch = (podSelector?: any) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'batch' } }, ...(podSelector ? { podSelector } : {}) });
  const run = (...objects: any[]) => networkPolicyPeerEgressNotAdmitted.check(objects.map((object, i): SourcedObject => ({ object, source: `input#${i + 1}` })));
  const base = [ns('batch'), ns('shop'), deploy('api', 'shop', { app: 'api' }), denyEgress];

  test('a namespaceSelector by label, a podSelector with expressions, and a policy isolating only the pods it selects', () => {
    const labelled = { ...ns('batch'), metadata: { name: 'batch', labels: { team: 'data' } } };
    const findings = run(labelled, ns('shop'), deploy('api', 'shop', { app: 'api' }), denyEgress,
      apiIngress({ namespaceSelector: { matchLabels: { team: 'data' } }, podSelector: { matchLabels: WORKER, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] } }));
    expect(findings.map((f) => [f.object?.source, f.field])).toEqual([['input#5', 'spec.ingress[0].from[0]']]);
    expect(findings[0].message).toMatch(/^spec.ingress\[0\].from\[0\] admits pods app=worker,tier in \(a,b\) of namespace batch to Deployment shop\/api on TCP 8080, but NetworkPolicy batch\/deny-egress isolates/);
    // A policy that isolates other pods of batch only leaves these free.
    const other = np('deny-egress', 'batch', { podSelector: { matchLabels: { app: 'cron' } }, policyTypes: ['Egress'] });
    expect(run(ns('batch'), ns('shop'), deploy('api', 'shop', { app: 'api' }), other, apiIngress(inBatch({ matchLabels: WORKER })))).toEqual([]);
  });

  test('a rule without ports, a named port (with what it resolves to), and an egress rule without peers (every destination) admitting it', () => {
    const noPorts = { ...apiIngress(inBatch()), spec: { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [inBatch()] }] } };
    expect(run(...base, noPorts).map((f) => f.message)).toEqual([expect.stringContaining('to Deployment shop/api on every port, but')]);
    expect(run(...base, apiIngress(inBatch(), [{ port: 'http' }, { port: 9000, endPort: 9010, protocol: 'UDP' }])).map((f) => f.message))
      .toEqual([expect.stringContaining('to Deployment shop/api on port "http" (TCP 8080), UDP 9000-9010, but')]);
    const open = np('open-egress', 'batch', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 8080 }] }] });
    expect(run(...base, open, apiIngress(inBatch()))).toEqual([]);
  });

  test('a workload of the input that the peer matches and whose egress is admitted: no finding', () => {
    const worker = deploy('worker', 'batch', { ...WORKER, tier: 'a' });
    const egress = np('worker', 'batch', { podSelector: { matchLabels: { tier: 'a' } }, egress: [{ to: [{ namespaceSelector: {} }] }] });
    expect(run(...base, worker, egress, apiIngress(inBatch({ matchLabels: WORKER })))).toEqual([]);
    expect(run(...base, worker, apiIngress(inBatch({ matchLabels: WORKER })))).toHaveLength(1);
  });

  test('not applicable: a policy that selects no workload of the input, and input the analyzer refuses', () => {
    expect(run(ns('batch'), denyEgress, apiIngress(inBatch()))).toEqual([]);
    expect(run(...base, apiIngress(inBatch()), np('bad', 'shop', { podSelector: {}, ingress: [{ from: [{}] }] }))).toHaveLength(1);
  });

  describe('through cdk8s-net check', () => {
    let dir: string;
    beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-net-net044-')); });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('a warning (exit code 0), on the ingress policy, with its source line', async () => {
      const file = path.join(dir, 'app.yaml');
      Yaml.save(file, [...base, apiIngress(inBatch({ matchLabels: WORKER }))]);
      const r = await cli('check', file, '--json', '--pss', 'baseline');
      expect(r.code).toBe(0);
      const findings = JSON.parse(r.stdout).findings.filter((f: any) => f.level === 'warning' && !f.ruleId.startsWith('PSS'));
      expect(findings.map((f: any) => [f.ruleId, f.level, f.resource, f.field])).toEqual([['NET044', 'warning', 'NetworkPolicy shop/api', 'spec.ingress[0].from[0]']]);
      expect(findings[0].message).toContain('add an egress rule in namespace batch that admits those pods to Deployment shop/api on TCP 8080');
    });
  });
});
