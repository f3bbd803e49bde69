/**
 * What the examples app writes is ignored by git, where it writes it: `npm run synth` runs cdk8s-cli
 * in examples/, which writes to the `output:` of examples/cdk8s.yaml (`../dist`, the repository's
 * dist/): one `*.k8s.yaml` per chart, and `construct-metadata.json` since `validations:` are set.
 * The .gitignore lines come from .projenrc.ts (`gitignore:`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '../..');
const examples = path.join(root, 'examples');
const config = parse(fs.readFileSync(path.join(examples, 'cdk8s.yaml'), 'utf8'));
/** The synth output folder, relative to the repository. */
const output = path.relative(root, path.resolve(examples, config.output)).split(path.sep).join('/');

/** Whether git ignores `file` (relative to the repository), by the .gitignore rules alone. */
function ignored(file: string): boolean {
  const r = spawnSync('git', ['check-ignore', '--quiet', '--no-index', file], { cwd: root });
  if (r.status !== 0 && r.status !== 1) throw new Error(`git check-ignore ${file}: ${r.stderr}`);
  return r.status === 0;
}

const inGit = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root }).stdout?.toString().trim() === 'true';

if (!inGit) {
  test('the examples output is ignored by git', () => {
    // Not a git checkout (a source archive): there is no .gitignore to ask.
    console.log(`${root} is not a git work tree, skipped`);
    expect(inGit).toBe(false);
  });
} else {
  describe('the examples output is ignored by git', () => {
    test('the examples app writes to the repository\'s dist/ (examples/cdk8s.yaml output: ../dist)', () => {
      expect(output).toBe('dist');
    });

    test.each(['zero-trust-shop.k8s.yaml', 'construct-metadata.json'])('%s there is ignored', (file) => {
      expect(ignored(`${output}/${file}`)).toBe(true);
    });

    test('nothing under examples/ is ignored: the app writes no file there', () => {
      expect(ignored('examples/dist/zero-trust-shop.k8s.yaml')).toBe(false);
      expect(fs.readFileSync(path.join(root, '.gitignore'), 'utf8').split('\n').filter((l) => l.includes('examples'))).toEqual([]);
    });
  });
}
