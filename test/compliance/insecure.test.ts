import { CHECKS, complianceFindings } from './checks';
import { INSECURE, secureApp } from './fixtures';

describe('every compliance assertion can fail', () => {
  test('the hand-written secure app passes every check', () => {
    expect(complianceFindings(secureApp())).toEqual([]);
  });

  test('every check has a deliberately insecure manifest', () => {
    expect(Object.keys(INSECURE).sort()).toEqual(CHECKS.map((c) => `${c.tool}/${c.id}`).sort());
  });

  test.each(CHECKS.map((c) => [`${c.tool}/${c.id}`]))('%s fires on its insecure manifest', (id) => {
    const app = secureApp();
    INSECURE[id](app);
    expect(complianceFindings(app).map((f) => f.check)).toContain(id);
  });
});

describe("documented exceptions use the tool's own opt-out", () => {
  test('kube-linter: ignore-check.kube-linter.io/<check> silences that check on that object only', () => {
    const app = secureApp();
    INSECURE['kube-linter/dangling-service'](app);
    app.find((o) => o.kind === 'Service').metadata.annotations = { 'ignore-check.kube-linter.io/dangling-service': 'selector-less on purpose' };
    expect(complianceFindings(app).map((f) => f.check)).not.toContain('kube-linter/dangling-service');
  });

  test('Polaris: polaris.fairwinds.com/<check>-exempt silences that check', () => {
    const app = secureApp();
    INSECURE['polaris/tlsSettingsMissing'](app);
    app.find((o) => o.kind === 'Ingress').metadata.annotations['polaris.fairwinds.com/tlsSettingsMissing-exempt'] = 'true';
    expect(complianceFindings(app).map((f) => f.check)).not.toContain('polaris/tlsSettingsMissing');
  });
});
