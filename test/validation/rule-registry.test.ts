/**
 * Rules are described once, in their own file (id, name, level, synth, fix, explanation); the
 * lists of `cdk8s-net check`, of synth validation and of the cdk8s-cli plugin's report are built
 * from those files. Adding a rule is adding its file and its line in `RULES`
 * (src/analysis/rules/index.ts); these tests fail when either is missing or incomplete.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Rule, RULES } from '../../src/analysis/rules';
import { SYNTH_RULE_IDS } from '../../src/validation/rule-set';

const RULES_DIR = path.join(__dirname, '..', '..', 'src', 'analysis', 'rules');

/** The rules each file of src/analysis/rules exports (its default export, or a factory's result). */
function rulesOfFile(file: string): Rule[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(RULES_DIR, file));
  const candidates = Object.values(mod).map((v: any) => (typeof v === 'function' && v.length === 0 ? safeCall(v) : v));
  return candidates.filter((v: any): v is Rule => !!v && typeof v === 'object' && typeof v.id === 'string' && typeof v.check === 'function');
}

function safeCall(f: () => unknown): unknown {
  try {
    return f();
  } catch {
    return undefined;
  }
}

const files = fs.readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

describe('rules are described once, in their files', () => {
  test('every rule file is registered in RULES, under the name of its file', () => {
    const registered = new Map(RULES.map((r) => [r.id, r]));
    const ruleFiles = files.filter((f) => rulesOfFile(f).length > 0);
    expect(ruleFiles.length).toBe(RULES.length);
    for (const f of ruleFiles) {
      for (const r of rulesOfFile(f)) {
        expect(registered.get(r.id)?.name).toBe(path.parse(f).name);
      }
    }
  });

  test('ids are unique and RULES is in id order', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
  });

  test.each(RULES.map((r) => [`${r.id} ${r.name}`, r] as const))('%s carries its level, synth flag, fix and explanation', (_, r) => {
    expect(['error', 'warning']).toContain(r.level);
    expect(typeof r.synth).toBe('boolean');
    expect(r.fix).toMatch(/^[A-Z].*\.$/);
    expect(r.explanation).toMatch(/^[A-Z].*\.$/);
  });

  test('the synth list is the rules whose file says synth: true, in id order', () => {
    expect(SYNTH_RULE_IDS).toEqual(['NET010', 'NET011', 'NET013', 'NET014', 'NET015', 'NET016', 'NET017', 'NET018', 'NET019', 'NET020',
      'NET021', 'NET022', 'NET023', 'NET024', 'NET025', 'NET040', 'NET041', 'NET042', 'NET043', 'NET044']);
    expect(SYNTH_RULE_IDS).toEqual(RULES.filter((r) => r.synth).map((r) => r.id));
  });
});
