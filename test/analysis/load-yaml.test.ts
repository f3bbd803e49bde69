import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NetworkAnalysis } from '../../src/analysis';
import { manifestFiles, parseManifests } from '../../src/analysis/load-yaml';

describe('reading manifests', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('folders are read recursively, YAML and JSON alike, other files ignored', () => {
    fs.mkdirSync(path.join(dir, 'apps', 'web'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'apps', 'web', 'pod.yaml'), 'kind: Pod\napiVersion: v1\nmetadata: { name: web, namespace: shop, labels: { app: web } }\n');
    fs.writeFileSync(path.join(dir, 'apps', 'pods.json'), JSON.stringify({
      apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'db', namespace: 'shop', labels: { app: 'db' } } }],
    }));
    fs.writeFileSync(path.join(dir, 'policy.yml'), [
      '# deny all ingress to db',
      'kind: NetworkPolicy',
      'apiVersion: networking.k8s.io/v1',
      'metadata: { name: db, namespace: shop }',
      'spec: { podSelector: { matchLabels: { app: db } } }',
      '---',
      '---',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'README.md'), '# not a manifest');
    // cdk8s synth writes this next to the manifests when validation plugins run.
    fs.writeFileSync(path.join(dir, 'construct-metadata.json'), '{"version": "1.0.0", "resources": {}}');

    expect(manifestFiles([dir]).map((f) => path.relative(dir, f))).toEqual([path.join('apps', 'pods.json'), path.join('apps', 'web', 'pod.yaml'), 'policy.yml']);
    const net = NetworkAnalysis.fromYamlFiles([dir]);
    expect(net.workloads().map((w) => w.id)).toEqual(['shop/db[Pod]', 'shop/web[Pod]']);
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/db' })).toBe(false);
    expect(net.isAllowed({ from: 'shop/db', to: 'shop/web' })).toBe(true);
  });

  test('a missing path is a clear error', () => {
    const missing = path.join(dir, 'nope');
    expect(() => NetworkAnalysis.fromYamlFiles([missing])).toThrow(new Error(`NetworkAnalysis: cannot read ${missing}: no such file or folder.`));
  });

  test('invalid YAML names the file', () => {
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, 'kind: Pod\nmetadata: { name: [unclosed\n');
    expect(() => NetworkAnalysis.fromYamlFiles([file])).toThrow(`NetworkAnalysis: ${file}:3:1: invalid YAML: `);
  });

  // kubectl reads YAML with go-yaml v2 (sigs.k8s.io/yaml): YAML 1.1 booleans and octal, merge keys;
  // timestamps and 1:20 stay strings when decoding into untyped values
  // (go-yaml v2 resolve.go resolveMapList, decode.go "for backward compatibility ... set it as a string").
  test('YAML is read as kubectl reads it: 1.1 booleans (keys too), octal, merge keys; timestamps and 1:20 stay strings', () => {
    expect(parseManifests('metadata: { labels: { enabled: yes, on: on } }')).toEqual([{ metadata: { labels: { enabled: true, true: true } } }]);
    expect(parseManifests('a: off\nb: 0644\nc: 2001-12-14\nd: 1:20\nbase: &b { x: 1 }\nm: { <<: *b, z: 2 }\n'))
      .toEqual([{ a: false, b: 420, c: '2001-12-14', d: '1:20', base: { x: 1 }, m: { x: 1, z: 2 } }]);
  });

  test('a byte-order mark may start any document; null documents are skipped; List items are read', () => {
    const text = '\uFEFFkind: Pod\n---\n~\n---\n\uFEFFkind: List\nitems: [{ kind: Namespace }, { kind: Service }]\n';
    expect(parseManifests(text)).toEqual([{ kind: 'Pod' }, { kind: 'Namespace' }, { kind: 'Service' }]);
  });
});
