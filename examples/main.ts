import { App } from 'cdk8s';
import { AdvancedIngress } from './charts/advanced-ingress';
import { BasicIngress } from './charts/basic-ingress';
import { BasicNetworking } from './charts/basic-networking';
import { ExternalServices } from './charts/external-services';
import { MultiCluster } from './charts/multi-cluster';
import { ServiceMeshShops } from './charts/service-mesh';
import { ZeroTrustShop } from './charts/zero-trust-shop';

const app = new App();
new BasicNetworking(app, '01-basic-networking');
// 02: deny all, allow specific, namespaceSelector and ipBlock.
new ZeroTrustShop(app, '02-network-policies');
new BasicIngress(app, '03-basic-ingress');
new AdvancedIngress(app, '04-advanced-ingress');
new ExternalServices(app, '05-external-services');
new MultiCluster(app, '06-multi-cluster');
new ServiceMeshShops(app, '07-service-mesh');
app.synth();
