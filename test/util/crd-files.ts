/**
 * The CRD files of ../shared/crds, for the conformance tests that check the library against them.
 * They live outside the repository: a user's clone has none, and those tests skip with a message.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

/** Where the CRD files are. */
export const CRDS = path.resolve(__dirname, '../../../shared/crds');

/** Every CustomResourceDefinition of every YAML file under `CRDS`, parsed. */
export function crdDocuments(): any[] {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : []));
  return walk(CRDS).flatMap((file) => parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => doc.toJS()))
    .filter((crd: any) => crd?.kind === 'CustomResourceDefinition');
}

/**
 * Declares the tests of `body` when the CRD files are there; else one test that says they were
 * skipped (named `name`).
 */
export function withCrdFiles(name: string, body: () => void): void {
  if (!fs.existsSync(CRDS)) {
    test(name, () => {
      // The CRD files live outside the repository; without them there is nothing to compare.
      console.log(`CRD files not found at ${CRDS}, skipped`);
      expect(fs.existsSync(CRDS)).toBe(false);
    });
  } else {
    describe(`${name} (../shared/crds)`, body);
  }
}
