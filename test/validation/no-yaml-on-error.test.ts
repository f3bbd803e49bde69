/**
 * Bad input fails before any YAML is written, also when it shows only when an object renders and
 * the app has several charts (cdk8s 2.x App.synth writes one chart's file before rendering the next).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Peer, SecureService } from '../../src';

function twoCharts() {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-yaml-'));
  const app = new App({ outdir });
  new SecureService(new Chart(app, 'a'), 'Web', { image: 'ghcr.io/acme/app:1.0.0', port: 8080 });
  const b = new Chart(app, 'b');
  const api = new SecureService(b, 'Api', { image: 'ghcr.io/acme/app:1.0.0', port: 8080 });
  return { app, outdir, b, api };
}

test('a workload peer that selects no pods fails app.synth() before the first chart is written', () => {
  const { app, outdir, b, api } = twoCharts();
  api.allowFrom(Peer.workload(new ApiObject(b, 'Bare', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bare' } })));
  // Named by the construct and the call the peer was given to, not by the NetworkPolicy object.
  expect(() => app.synth()).toThrow(new Error('b/Api: allowFrom(other): '
    + 'Peer.workload(b/Bare): Deployment bare selects no pods (no selector labels); give it a selector, or use Peer.pods({ labels }) to name the pods.'));
  expect(fs.readdirSync(outdir)).toEqual([]);
});

test('a bad value made and given to no construct fails app.synth() before the first chart is written', () => {
  const { app, outdir } = twoCharts();
  Peer.ipBlock('10.0.0.0/33');
  expect(() => app.synth()).toThrow(/^bad input to a value factory; .*\n {2}Peer.ipBlock\('10.0.0.0\/33'\): "10.0.0.0\/33" is not a CIDR/);
  expect(fs.readdirSync(outdir)).toEqual([]);
});
