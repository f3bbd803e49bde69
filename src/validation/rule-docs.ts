/*
 * docs/rules.md, generated from the rule files (`src/analysis/rules`): their id, name, level,
 * synth flag, explanation and fix. `npx projen docs:rules` writes it; test/validation/docs.test.ts
 * fails when the committed file differs. Not exported from the package.
 */
import { allRules } from './rule-set';

/** The text of docs/rules.md. */
export function rulesMarkdown(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = allRules().map((r) => `| ${r.id} | ${r.name} | ${r.level} | ${r.synth ? 'yes' : 'no'} | ${cell(r.explanation)} | ${cell(r.fix)} |`);
  return [
    '# Rules',
    '',
    '<!-- Generated from src/analysis/rules by `npx projen docs:rules` (src/validation/rule-docs.ts); do not edit by hand. -->',
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
    '| id | cause | level | synth | explanation | fix |',
    '|----|-------|-------|-------|-------------|-----|',
    ...rows,
    '',
  ].join('\n');
}
