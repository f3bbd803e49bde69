import { App } from 'cdk8s';
import { ZeroTrustShop } from './charts/zero-trust-shop';

const app = new App();
new ZeroTrustShop(app, 'zero-trust-shop');
app.synth();
