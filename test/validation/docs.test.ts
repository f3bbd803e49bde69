/**
 * docs/rules.md and the table of docs/compliance.md are generated from the rules and checks
 * themselves; this test fails when they drift. Regenerate with:
 *   UPDATE_DOCS=1 npx jest test/validation/docs.test.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { allRules, SYNTH_RULE_IDS } from '../../src/validation/rule-set';
import { CHECKS } from '../compliance/checks';

const DOCS = path.join(__dirname, '..', '..', 'docs');

function rulesMarkdown(): string {
  const rows = allRules().map((r) => `| ${r.id} | ${r.name} | ${r.level} | ${SYNTH_RULE_IDS.includes(r.id) ? 'yes' : 'no'} | ${r.explanation.replace(/\|/g, '\\|')} |`);
  return [
    '# Rules',
    '',
    '<!-- Generated from src/analysis/rules by test/validation/docs.test.ts; do not edit by hand. -->',
    '',
    'The checks of `cdk8s-net check`, of app-wide synth validation (`AppValidation`, run by `app.synth()`,',
    '`cdk8s synth` and `chart.toJson()`), and of the cdk8s-cli plugin `SecureNetworkingValidation`.',
    'Ids are stable and never reused. "Synth" marks the rules that synth validation and the plugin run by',
    'default (every finding of these fails the synth); the plugin runs all of them with `allRules: true`.',
    '`cdk8s-net check` runs all of them. The level is that of `cdk8s-net check`; with `--pss baseline`, and in the',
    'plugin\'s `allRules`, the controls of the restricted Pod Security Standard only (PSS001-PSS004, PSS009) are warnings.',
    '',
    'One object opts out of one rule with the annotation `ignore-check.cdk8s-net.io/<rule name>: <reason>`;',
    'a whole app with `AppValidation.of(app).skipRule(id, reason)` or the plugin property `skipRules`.',
    '',
    '| id | cause | level | synth | explanation |',
    '|----|-------|-------|-------|-------------|',
    ...rows,
    '',
  ].join('\n');
}

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
