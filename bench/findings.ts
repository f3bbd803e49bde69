/**
 * Not a benchmark: every finding of every rule (`RULES`, as `cdk8s-net check` runs them) on every
 * YAML file of ../shared, test/fixtures and dist/ (the examples app, `npx projen synth`), each file
 * on its own and then all of them as one input, one finding per line (input, rule id, object,
 * field, message; sorted within each input). A change to the rules that should not change what they find (a refactor, a
 * speed-up) writes the file before and after and compares them:
 *
 *   npx projen synth
 *   npx ts-node --project tsconfig.dev.json bench/findings.ts /tmp/before.tsv   # on the old commit
 *   npx ts-node --project tsconfig.dev.json bench/findings.ts /tmp/after.tsv    # on the new one
 *   diff /tmp/before.tsv /tmp/after.tsv
 *
 * Prints the number of files and findings. Folders that do not exist (a clone without ../shared,
 * no dist/ yet) are left out, and said so.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RULES, SourcedObject } from '../src/analysis/rules';
import { parseSource } from '../src/analysis/sources';

const ROOT = path.join(__dirname, '..');
const FOLDERS = [path.join(ROOT, '..', 'shared'), path.join(ROOT, 'test', 'fixtures'), path.join(ROOT, 'dist')];

/** The YAML files under `dir`, sorted (node_modules left out). */
function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') out.push(...yamlFiles(p));
    } else if (/\.ya?ml$/.test(e.name)) {
      out.push(p);
    }
  }
  return out.sort();
}

/** One line per finding of every rule on `objects`, sorted (so that the order of `RULES` does not show in a diff). */
function findings(input: string, objects: readonly SourcedObject[]): string[] {
  const lines: string[] = [];
  for (const rule of RULES) {
    for (const f of rule.check(objects)) {
      lines.push([input, rule.id, f.object?.source ?? '', f.field ?? '', f.message].join('\t'));
    }
  }
  return lines.sort();
}

function main(): void {
  const outFile = process.argv[2];
  if (!outFile) {
    console.error('usage: bench/findings.ts OUT.tsv');
    process.exit(2);
  }
  const files: string[] = [];
  for (const dir of FOLDERS) {
    if (fs.existsSync(dir)) files.push(...yamlFiles(dir));
    else console.log(`${path.relative(ROOT, dir)}: not there, left out`);
  }
  const lines: string[] = [];
  const all: SourcedObject[] = [];
  for (const file of files) {
    const { objects } = parseSource(fs.readFileSync(file, 'utf8'), path.relative(ROOT, file));
    all.push(...objects);
    lines.push(...findings(path.relative(ROOT, file), objects));
  }
  const perFile = lines.length;
  lines.push(...findings('(all files as one input)', all));
  fs.writeFileSync(outFile, lines.join('\n') + '\n');
  console.log(`${files.length} files: ${perFile} findings file by file, ${lines.length - perFile} with all files as one input`);
}

main();
