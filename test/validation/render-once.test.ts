/**
 * Inside one `app.synth()` (or `Testing.synth()`), app-wide validation renders each ApiObject once
 * and the charts are written from that rendering (src/validation/render-once.ts). What must hold:
 * the manifests are the ones every chart renders on its own, changes made between two synths show
 * in the next one, and a failed synth leaves nothing stale behind.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing, Yaml, YamlOutputType } from 'cdk8s';
import { addExamples } from '../../examples/charts/all-examples';
import { DenyAllNamespace, SecureService } from '../../src';

const IMAGE = 'ghcr.io/acme/api:1.4.2';

function examplesApp(outdir: string): App {
  const app = new App({ outdir });
  addExamples(app);
  return app;
}

function shop(app: App, id = 'shop') {
  const chart = new Chart(app, id, { disableResourceNameHashes: true });
  const ns = new DenyAllNamespace(chart, 'Ns', { name: id });
  const api = new SecureService(chart, 'Api', { namespace: ns, name: 'api', image: IMAGE, port: 8080 });
  const web = new SecureService(chart, 'Web', { namespace: ns, name: 'web', image: IMAGE, port: 8080 });
  return { chart, ns, api, web };
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'render-once-'));
}

function written(outdir: string, chart: Chart): any[] {
  return Yaml.load(path.join(outdir, `${chart.node.id}.k8s.yaml`));
}

/** The prototype whose `toJson` renders `obj` (its class's own, e.g. a generated class's or an own-spec object's). */
function renderingPrototype(obj: ApiObject): any {
  let proto = Object.getPrototypeOf(obj);
  while (!Object.prototype.hasOwnProperty.call(proto, 'toJson')) proto = Object.getPrototypeOf(proto);
  return proto;
}

/**
 * Runs `synthesize` (given the chart's ApiObject count) and expects one rendering per object: one
 * call of the `toJson` of its class (objects that write their own JSON, src/core/own-spec.ts, never
 * reach ApiObject.prototype.toJson), not counting the calls it makes to its base classes.
 */
function expectEachObjectRenderedOnce(chart: Chart, synthesize: (objects: number) => void): void {
  const objects = chart.node.findAll().filter((c) => c instanceof ApiObject) as ApiObject[];
  let depth = 0;
  let renderings = 0;
  const spies = [...new Set(objects.map(renderingPrototype))].map((proto) => {
    const original = proto.toJson;
    return jest.spyOn(proto, 'toJson').mockImplementation(function (this: ApiObject) {
      if (depth === 0) renderings++;
      depth++;
      try {
        return original.call(this);
      } finally {
        depth--;
      }
    });
  });
  try {
    synthesize(objects.length);
    expect(renderings).toBe(objects.length);
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}

describe('one rendering per app.synth()', () => {
  test('app.synth() writes, for every example chart, exactly what chart.toJson() renders', () => {
    const outdir = tmp();
    const app = examplesApp(outdir);
    app.synth();
    for (const chart of app.charts) {
      expect(written(outdir, chart)).toEqual(chart.toJson());
    }
  });

  test.each([
    ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
    ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
    ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
  ])('with yamlOutputType %s, app.synth() renders each ApiObject once and writes what chart.toJson() renders', (_name, yamlOutputType) => {
    const outdir = tmp();
    const app = new App({ outdir, yamlOutputType });
    const { chart } = shop(app);
    expectEachObjectRenderedOnce(chart, () => app.synth());
    const files = fs.readdirSync(outdir, { recursive: true }).map(String).filter((f) => f.endsWith('.k8s.yaml'));
    const writtenObjects = files.flatMap((f) => Yaml.load(path.join(outdir, f)));
    const byKey = (a: any, b: any) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`);
    expect(writtenObjects.sort(byKey)).toEqual(chart.toJson().sort(byKey));
  });

  test('each ApiObject is rendered once by app.synth() (three times without sharing: two validations and the chart)', () => {
    const app = new App({ outdir: tmp() });
    const { chart } = shop(app);
    expectEachObjectRenderedOnce(chart, () => app.synth());
  });

  test('a connection added after app.synth() is in the next app.synth() and in chart.toJson()', () => {
    const outdir = tmp();
    const app = new App({ outdir });
    const { chart, api, web } = shop(app);
    app.synth();
    const policyOf = (objects: any[]) => objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'api');
    const ingress = (objects: any[]) => policyOf(objects).spec.ingress ?? [];
    expect(ingress(written(outdir, chart))).toHaveLength(0);
    web.allowTo(api);
    app.synth();
    expect(ingress(written(outdir, chart))).toHaveLength(1);
    expect(ingress(chart.toJson())).toHaveLength(1);
  });

  test('after a synth that fails, a fix shows in the next rendering of every object (nothing stale is handed out)', () => {
    const app = new App({ outdir: tmp() });
    const a = shop(app, 'a');
    const b = shop(app, 'b');
    // NET020: two SecureServices named api in one namespace fail the synth.
    new SecureService(b.chart, 'Dup', { namespace: b.ns, name: 'api', image: IMAGE, port: 8080 });
    expect(() => app.synth()).toThrow(/NET020/);
    b.chart.node.tryRemoveChild('Dup');
    a.web.allowTo(a.api);
    const policy = a.chart.node.findAll().find((c) => c instanceof ApiObject && c.kind === 'NetworkPolicy' && c.name === 'api') as ApiObject;
    expect(policy.toJson().spec.ingress).toHaveLength(1);
    expect(() => app.synth()).not.toThrow();
  });

  test('after app.synth(), an object renders afresh (a label added later is in its toJson())', () => {
    const app = new App({ outdir: tmp() });
    const { chart } = shop(app);
    app.synth();
    const sa = chart.node.findAll().find((c) => c instanceof ApiObject && c.kind === 'ServiceAccount') as ApiObject;
    sa.metadata.addLabel('team', 'payments');
    expect(sa.toJson().metadata.labels.team).toBe('payments');
  });

  test('Testing.synth() renders each ApiObject once (twice without sharing: the validation and the chart)', () => {
    const app = Testing.app();
    const { chart } = shop(app);
    expectEachObjectRenderedOnce(chart, (objects) => {
      const manifest = Testing.synth(chart);
      expect(manifest).toHaveLength(objects);
    });
  });

  test('objects changed between two Testing.synth() calls render with the change (a label, a connection)', () => {
    const app = Testing.app();
    const { chart, api, web } = shop(app);
    const first = Testing.synth(chart);
    const policy = (objects: any[]) => objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'api');
    expect(policy(first).spec.ingress ?? []).toHaveLength(0);
    web.allowTo(api);
    api.serviceAccount.metadata.addLabel('team', 'payments');
    const second = Testing.synth(chart);
    expect(policy(second).spec.ingress).toHaveLength(1);
    expect(second.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'api').metadata.labels.team).toBe('payments');
    // The first result is the caller's: the second synth neither reused nor changed it.
    expect(policy(first).spec.ingress ?? []).toHaveLength(0);
    expect(second).not.toBe(first);
  });

  test('objects changed between two app.synth() calls are in the next synthYaml() and app.synth()', () => {
    const outdir = tmp();
    const app = new App({ outdir });
    const { chart, api, web } = shop(app);
    app.synth();
    web.allowTo(api);
    const deployment = chart.node.findAll().find((c) => c instanceof ApiObject && c.kind === 'Deployment' && c.name === 'api') as ApiObject;
    deployment.metadata.addAnnotation('example.com/owner', 'payments');
    expect(app.synthYaml()).toContain('example.com/owner: payments');
    app.synth();
    const objects = written(outdir, chart);
    expect(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'api').metadata.annotations).toEqual({ 'example.com/owner': 'payments' });
    expect(objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'api').spec.ingress).toHaveLength(1);
  });

  test('a validation run outside a synth keeps nothing: the next toJson() renders afresh', () => {
    const app = new App({ outdir: tmp() });
    const { chart } = shop(app);
    const sa = chart.node.findAll().find((c) => c instanceof ApiObject && c.kind === 'ServiceAccount') as ApiObject;
    // The root's validation alone (what app.synth() runs first), called by the user.
    expect(app.node.validate()).toEqual([]);
    sa.metadata.addLabel('team', 'payments');
    expect(sa.toJson().metadata.labels.team).toBe('payments');
    expect(Object.prototype.hasOwnProperty.call(sa, 'toJson')).toBe(false);
  });

  test('after a synth, no object keeps a toJson of its own (the objects are as cdk8s made them)', () => {
    const app = new App({ outdir: tmp() });
    const { chart } = shop(app);
    app.synth();
    Testing.synth(chart);
    for (const c of app.node.findAll()) {
      if (c instanceof ApiObject) expect(Object.prototype.hasOwnProperty.call(c, 'toJson')).toBe(false);
    }
  });

  test('a chart of plain ApiObjects only is rendered from the shared rendering too, and its changes show in the next synth', () => {
    const outdir = tmp();
    const app = new App({ outdir });
    shop(app);
    const plain = new Chart(app, 'plain');
    const cm = new ApiObject(plain, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' }, data: { a: '1' } });
    app.synth();
    expect(written(outdir, plain)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' }, data: { a: '1' } }]);
    cm.addJsonPatch(JsonPatch.add('/data/b', '2'));
    app.synth();
    expect(written(outdir, plain)[0].data).toEqual({ a: '1', b: '2' });
  });
});
