/**
 * docs/rules.md and the table of docs/compliance.md are generated from the rules and checks
 * themselves; this test fails when they drift. Regenerate both with `npx projen docs:rules`
 * (which runs this test with UPDATE_DOCS=1).
 */
import * as fs from 'fs';
import * as path from 'path';
import { rulesMarkdown } from '../../src/validation/rule-docs';
import { CHECKS } from '../compliance/checks';

const DOCS = path.join(__dirname, '..', '..', 'docs');

const TESTS: { [tool: string]: string } = {
  'pss': 'Pod Security Standards (restricted, which includes baseline)',
  'kube-linter': 'kube-linter (checks on by default, plus those the issue enables)',
  'polaris': 'Polaris (security)',
  'kyverno': 'Kyverno policies',
};

function complianceTable(): string {
  const out: string[] = [];
  for (const [tool, title] of Object.entries(TESTS)) {
    out.push(`### ${title}`, '', '| external check | what it requires | our test |', '|---|---|---|');
    for (const c of CHECKS.filter((x) => x.tool === tool)) {
      out.push(`| \`${c.id}\` | ${c.description.replace(/\|/g, '\\|')} | \`${c.tool}/${c.id}\` in test/compliance/checks.ts; fails on its manifest in test/compliance/insecure.test.ts |`);
    }
    out.push('');
  }
  return out.join('\n');
}

const BEGIN = '<!-- BEGIN GENERATED TABLE (test/validation/docs.test.ts) -->';
const END = '<!-- END GENERATED TABLE -->';

test('docs/rules.md lists every rule', () => {
  const file = path.join(DOCS, 'rules.md');
  if (process.env.UPDATE_DOCS) fs.writeFileSync(file, rulesMarkdown());
  expect(fs.readFileSync(file, 'utf8')).toBe(rulesMarkdown());
});

test('docs/compliance.md maps every external check to its test', () => {
  const file = path.join(DOCS, 'compliance.md');
  const text = fs.readFileSync(file, 'utf8');
  const generated = `${BEGIN}\n\n${complianceTable()}\n${END}`;
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  expect(start >= 0 && end > start).toBe(true);
  const updated = text.slice(0, start) + generated + text.slice(end + END.length);
  if (process.env.UPDATE_DOCS) fs.writeFileSync(file, updated);
  expect(fs.readFileSync(file, 'utf8')).toContain(generated);
});
