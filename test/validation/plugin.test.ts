import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing, Yaml } from 'cdk8s';
// cdk8s-cli's package exports do not expose its plugin classes; load them by path.
// eslint-disable-next-line import/no-relative-packages
import { AdvancedIngress } from '../../examples/charts/advanced-ingress';
import { BasicIngress } from '../../examples/charts/basic-ingress';
import { BasicNetworking } from '../../examples/charts/basic-networking';
import { ExternalServices } from '../../examples/charts/external-services';
import { MultiCluster } from '../../examples/charts/multi-cluster';
import { ServiceMeshShops } from '../../examples/charts/service-mesh';
import { ZeroTrustShop } from '../../examples/charts/zero-trust-shop';
import { ValidationContext } from '../../node_modules/cdk8s-cli/lib/plugins/validation';
// src/index.ts does not export src/validation yet.
import { IValidationContext, SecureNetworkingValidation } from '../../src/validation';

function writeManifests(docs: any[][]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-'));
  return docs.map((d, i) => {
    const file = path.join(dir, `chart-${i}.k8s.yaml`);
    Yaml.save(file, d);
    return file;
  });
}

/** cdk8s-cli's own context, as `cdk8s synth` builds it (metadata maps resource names to construct paths). */
function context(files: string[], metadata: { [name: string]: { path: string } } = {}) {
  const ctx = new ValidationContext(files, 'cdk8s-secure-networking', '0.0.0', metadata, false);
  // cdk8s-cli types `manifests` as readonly string[]; the jsii contract cannot express readonly arrays.
  return { ctx, jsii: ctx as unknown as IValidationContext };
}

const violating = () => [
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'wbe' }, ports: [{ name: 'http', port: 80 }] } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'wbe' } } } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } } },
];

describe('the cdk8s-cli plugin SecureNetworkingValidation', () => {
  test('every example passes with no namespace declared: the controller and mesh namespaces come from profiles (examples/cdk8s.yaml)', async () => {
    const app = Testing.app();
    const charts = [new BasicNetworking(app, '01'), new ZeroTrustShop(app, '02'), new BasicIngress(app, '03'), new AdvancedIngress(app, '04'),
      new ExternalServices(app, '05'), new MultiCluster(app, '06'), new ServiceMeshShops(app, '07')];
    const { ctx, jsii } = context(writeManifests(charts.map((c) => c.toJson())));
    await new SecureNetworkingValidation().validate(jsii);
    expect(ctx.report.toJson().violations).toEqual([]);
    expect(ctx.report.success).toBe(true);
  });

  test('violations are grouped by rule, with the resource, its manifest and what is wrong; the report fails', async () => {
    const [file] = writeManifests([violating()]);
    const { ctx, jsii } = context([file], { api: { path: 'shop/Api' } });
    await new SecureNetworkingValidation().validate(jsii);
    const report = ctx.report.toJson();
    expect(report.summary).toEqual({ status: 'failure', plugin: 'cdk8s-secure-networking', version: '0.0.0', metadata: { objects: '3', findings: '2' } });
    expect(report.violations).toEqual([
      {
        ruleName: 'NET010 service-selector-matches-no-pods',
        recommendation: 'A Service with a selector that matches no pods has no endpoints: every connection to it fails (a warning when a custom resource of the namespace, such as a Prometheus, has a controller that creates pods).',
        fix: "Make spec.selector match the labels of a pod template of the app (in the Service's namespace), or create that workload.",
        // `web` names two objects, so the resource is named by kind too (cdk8s-cli would map a shared name to the wrong construct).
        violatingConstructs: [{ resourceName: 'Service shop/web', constructPath: undefined, manifestPath: file, locations: ['spec.selector: spec.selector app=wbe matches no pod template in namespace shop; fix the selector or the pod labels.'] }],
      },
      {
        ruleName: 'NET013 network-policy-selects-no-pods',
        recommendation: 'A policy that selects no pods has no effect; usually its podSelector or namespace is wrong.',
        fix: 'Fix spec.podSelector or the policy namespace so the policy selects the pods it was written for, or remove it.',
        violatingConstructs: [{ resourceName: 'NetworkPolicy shop/web', constructPath: undefined, manifestPath: file, locations: ['spec.podSelector: spec.podSelector selects no pod template in namespace shop; fix the selector or the namespace.'] }],
      },
    ]);
  });

  test('skipRules and the ignore-check annotation silence findings', async () => {
    const objects = violating();
    objects[1].metadata = { ...objects[1].metadata, annotations: { 'ignore-check.cdk8s-net.io/network-policy-selects-no-pods': 'migration' } } as any;
    const { ctx, jsii } = context(writeManifests([objects]));
    await new SecureNetworkingValidation({ skipRules: ['NET010'] }).validate(jsii);
    expect(ctx.report.toJson().violations).toEqual([]);
    expect(ctx.report.success).toBe(true);
  });

  test('allRules adds every cdk8s-net check rule; warnings alone do not fail the report', async () => {
    const { ctx, jsii } = context(writeManifests([[violating()[2]].map((d) => ({ ...d, metadata: { ...d.metadata, namespace: 'shop' } }))]));
    await new SecureNetworkingValidation({ allRules: true }).validate(jsii);
    const rules = ctx.report.toJson().violations.map((v) => v.ruleName);
    expect(rules).toContain('NET012 workload-without-network-policy');
    expect(rules).toContain('PSS001 pod-run-as-non-root');
    // Both are warnings in cdk8s-net check, so they are reported without failing the synth.
    expect(ctx.report.success).toBe(true);
  });

  test('allRules fails on an error of cdk8s-net check (an invalid name)', async () => {
    const bad = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', namespace: 'shop' } };
    const { ctx, jsii } = context(writeManifests([[bad]]));
    await new SecureNetworkingValidation({ allRules: true }).validate(jsii);
    expect(ctx.report.toJson().violations.map((v) => v.ruleName)).toEqual(['NET002 invalid-name']);
    expect(ctx.report.success).toBe(false);
  });

  test('an unknown rule id in skipRules is refused when cdk8s-cli loads the plugin', () => {
    expect(() => new SecureNetworkingValidation({ skipRules: ['NET999'] })).toThrow(/^SecureNetworkingValidation.skipRules: "NET999" is not a rule id; use one of NET001, /);
  });

  test('an app with no manifests passes', async () => {
    const { ctx, jsii } = context([]);
    await new SecureNetworkingValidation().validate(jsii);
    expect(ctx.report.success).toBe(true);
    expect(new App().charts).toEqual([]);
  });
});
