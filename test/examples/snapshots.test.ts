/**
 * One snapshot per example chart of the examples app, to catch unintended drift. What each chart
 * means (who can reach whom, which fields are set) is asserted in its own test file:
 * test/examples (01, 02), test/ingress/examples.test.ts (03, 04),
 * test/external/external-services-example.test.ts (05), test/multicluster/multi-cluster-example.test.ts (06)
 * test/mesh/service-mesh-example.test.ts (07) and test/examples/beyond-network-policy.test.ts (08-10).
 */
import { App, Chart } from 'cdk8s';
import { AdvancedIngress } from '../../examples/charts/advanced-ingress';
import { BasicIngress } from '../../examples/charts/basic-ingress';
import { EgressByNameCilium, EgressByNameIstio, Guardrails } from '../../examples/charts/beyond-network-policy';
import { ExternalServices } from '../../examples/charts/external-services';
import { MultiCluster } from '../../examples/charts/multi-cluster';
import { ServiceMeshShops } from '../../examples/charts/service-mesh';
import { synth } from '../util/synth';

test.each<[string, (app: App) => Chart]>([
  ['03 basic ingress', (app) => new BasicIngress(app, '03-basic-ingress')],
  ['04 advanced ingress', (app) => new AdvancedIngress(app, '04-advanced-ingress')],
  ['05 external services', (app) => new ExternalServices(app, '05-external-services')],
  ['06 multi-cluster', (app) => new MultiCluster(app, '06-multi-cluster')],
  ['07 service mesh', (app) => new ServiceMeshShops(app, '07-service-mesh')],
  ['08 egress by name (Cilium)', (app) => new EgressByNameCilium(app, '08-egress-by-name-cilium')],
  ['09 egress by name (Istio)', (app) => new EgressByNameIstio(app, '09-egress-by-name-istio')],
  ['10 cluster guardrails', (app) => new Guardrails(app, '10-cluster-guardrails')],
])('example %s matches its snapshot', (_name, build) => {
  expect(synth(build(new App()))).toMatchSnapshot();
});
