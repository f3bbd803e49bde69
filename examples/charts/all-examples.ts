import { App } from 'cdk8s';
import { AdvancedGateway } from './advanced-gateway';
import { AdvancedIngress } from './advanced-ingress';
import { BasicGateway } from './basic-gateway';
import { BasicIngress } from './basic-ingress';
import { BasicNetworking } from './basic-networking';
import { EgressByNameCilium, EgressByNameIstio, Guardrails } from './beyond-network-policy';
import { ExternalServices } from './external-services';
import { MultiCluster } from './multi-cluster';
import { ServiceMeshShops } from './service-mesh';
import { sharedGatewayExample } from './shared-gateway';
import { ZeroTrustShop } from './zero-trust-shop';

/** Adds every example chart to `app`, under the ids (and so the file names) `npm run synth` writes. */
export function addExamples(app: App): void {
  new BasicNetworking(app, '01-basic-networking');
  // 02: deny all, allow specific, namespaceSelector and ipBlock.
  new ZeroTrustShop(app, '02-network-policies');
  new BasicIngress(app, '03-basic-ingress');
  new AdvancedIngress(app, '04-advanced-ingress');
  // 03 and 04 through Gateway API.
  new BasicGateway(app, '03-basic-gateway');
  new AdvancedGateway(app, '04-advanced-gateway');
  new ExternalServices(app, '05-external-services');
  new MultiCluster(app, '06-multi-cluster');
  new ServiceMeshShops(app, '07-service-mesh');
  new EgressByNameCilium(app, '08-egress-by-name-cilium');
  new EgressByNameIstio(app, '09-egress-by-name-istio');
  new Guardrails(app, '10-cluster-guardrails');
  // A Gateway shared by two app namespaces (platform chart + one chart per team).
  sharedGatewayExample(app, '11-shared-gateway');
}
