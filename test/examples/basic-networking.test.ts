import { App } from 'cdk8s';
import { BasicNetworking } from '../../examples/charts/basic-networking';
import { NetworkAnalysis } from '../../src/analysis';
import { one, synth } from '../util/synth';

function build() {
  const chart = new BasicNetworking(new App(), 'basic');
  const objects = synth(chart);
  return { chart, objects, net: NetworkAnalysis.fromManifests(objects) };
}

describe('example 01: basic networking', () => {
  test('the frontend reaches the backend on its pod port 8080 (pod-to-pod and pod-to-service alike)', () => {
    const { net } = build();
    expect(net.isAllowed({ from: 'basic/frontend', to: 'basic/backend', port: 8080 })).toBe(true);
    expect(net.allowedConnections('basic/frontend', 'basic/backend')).toBe('TCP 8080');
  });

  test('nothing else is open: not the reverse direction, not the Service port, not from outside', () => {
    const { net } = build();
    expect(net.isAllowed({ from: 'basic/backend', to: 'basic/frontend', port: 3000 })).toBe(false);
    expect(net.isAllowed({ from: 'basic/frontend', to: 'basic/backend', port: 80 })).toBe(false);
    expect(net.isAllowed({ from: '203.0.113.7', to: 'basic/frontend', port: 3000 })).toBe(false);
  });

  test('the frontend finds the backend by its Service DNS name', () => {
    const { objects } = build();
    const env = one(objects, 'Deployment', 'frontend').spec.template.spec.containers[0].env;
    expect(env).toEqual([{ name: 'BACKEND_URL', value: 'http://backend.basic.svc.cluster.local' }]);
  });

  test('the backend Service forwards port 80 to the named container port', () => {
    const { objects } = build();
    expect(one(objects, 'Service', 'backend').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
  });

  test('snapshot', () => {
    expect(build().objects).toMatchSnapshot();
  });
});
