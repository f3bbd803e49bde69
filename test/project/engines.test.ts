/**
 * `npm ci` prints an EBADENGINE warning for every locked package whose `engines.node` does not admit
 * the running Node. The project promises a Node range (package.json `engines`, from projen's
 * minNodeVersion) and CI runs the newest Node 20: every package in package-lock.json must install
 * without that warning on the oldest Node the range admits and on the Node running this test.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));

/** `name@version wants <range>` for each locked package whose engines.node does not admit `node`. */
function refusing(node: string): string[] {
  const out: string[] = [];
  for (const [where, p] of Object.entries<any>(lock.packages)) {
    const range = p?.engines?.node;
    if (!where || typeof range !== 'string') continue;
    if (!semver.satisfies(node, range)) out.push(`${where.replace(/^.*node_modules\//, '')}@${p.version} wants node ${range}`);
  }
  return out;
}

test('package.json names a Node range with a lower bound', () => {
  expect(semver.minVersion(pkg.engines.node)?.version).toMatch(/^\d+\.\d+\.\d+$/);
});

test('every locked package installs without an engine warning on the oldest Node that engines admits', () => {
  expect(refusing(semver.minVersion(pkg.engines.node)!.version)).toEqual([]);
});

test('every locked package installs without an engine warning on the Node running the tests', () => {
  expect(semver.satisfies(process.versions.node, pkg.engines.node)).toBe(true);
  expect(refusing(process.versions.node)).toEqual([]);
});
