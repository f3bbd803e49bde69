/**
 * Inside one `app.synth()`, app-wide validation renders each ApiObject once and the charts are
 * written from that rendering (src/validation/render-once.ts). What must hold: the manifests are
 * the ones every chart renders on its own, changes made after a synth show in the next one, and a
 * failed synth leaves nothing stale behind.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { AdvancedIngress } from '../../examples/charts/advanced-ingress';
import { BasicIngress } from '../../examples/charts/basic-ingress';
import { BasicNetworking } from '../../examples/charts/basic-networking';
import { ExternalServices } from '../../examples/charts/external-services';
import { MultiCluster } from '../../examples/charts/multi-cluster';
import { ServiceMeshShops } from '../../examples/charts/service-mesh';
import { ZeroTrustShop } from '../../examples/charts/zero-trust-shop';
import { DenyAllNamespace, SecureService } from '../../src';
import { SynthStage, synthStage } from '../../src/validation/render-once';

const IMAGE = 'ghcr.io/acme/api:1.4.2';

function examplesApp(outdir: string): App {
  const app = new App({ outdir });
  new BasicNetworking(app, '01-basic-networking');
  new ZeroTrustShop(app, '02-network-policies');
  new BasicIngress(app, '03-basic-ingress');
  new AdvancedIngress(app, '04-advanced-ingress');
  new ExternalServices(app, '05-external-services');
  new MultiCluster(app, '06-multi-cluster');
  new ServiceMeshShops(app, '07-service-mesh');
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

describe('one rendering per app.synth()', () => {
  test('app.synth() writes, for every example chart, exactly what chart.toJson() renders', () => {
    const outdir = tmp();
    const app = examplesApp(outdir);
    app.synth();
    for (const chart of app.charts) {
      expect(written(outdir, chart)).toEqual(chart.toJson());
    }
  });

  test('each ApiObject is rendered once by app.synth() (three times without sharing: two validations and the chart)', () => {
    const app = new App({ outdir: tmp() });
    const { chart } = shop(app);
    const objects = chart.node.findAll().filter((c) => c instanceof ApiObject).length;
    const spy = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      app.synth();
      expect(spy).toHaveBeenCalledTimes(objects);
    } finally {
      spy.mockRestore();
    }
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

  test('a validation called outside cdk8s App.synth() is not taken for part of one', () => {
    expect(synthStage()).toBe(SynthStage.OTHER);
  });
});
