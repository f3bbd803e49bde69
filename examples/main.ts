import { App } from 'cdk8s';
import { ExternalServices } from './charts/external-services';
import { MultiCluster } from './charts/multi-cluster';
import { ZeroTrustShop } from './charts/zero-trust-shop';

const app = new App();
new ZeroTrustShop(app, 'zero-trust-shop');
new ExternalServices(app, 'external-services');
new MultiCluster(app, 'multi-cluster');
app.synth();
