import { App } from 'cdk8s';
import { addExamples } from './charts/all-examples';

const app = new App();
addExamples(app);
app.synth();
