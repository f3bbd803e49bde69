/**
 * The peer ranges start at the oldest versions that work, and this suite runs against exactly those
 * (projen pins each dev dependency to the bottom of its peer range). The README states the ranges.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const PEERS = ['cdk8s', 'constructs', 'cdk8s-plus-28'];

test.each(PEERS)('the tests run against the oldest %s the peer range admits', (name) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const installed = require(`${name}/package.json`).version;
  expect(installed).toBe(semver.minVersion(pkg.peerDependencies[name])!.version);
});

test.each(PEERS)('the README states the peer range of %s', (name) => {
  expect(readme).toContain(`\`${name} ${pkg.peerDependencies[name]}\``);
});
