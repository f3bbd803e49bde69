import { CHECKS, complianceFindings } from './checks';
import { documentedPolicyExceptions } from './exceptions';
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

  test('Kyverno: a PolicyException silences the rules it lists, on the resources it matches, and nothing else', () => {
    const redirect = (name: string, labels?: Record<string, string>) => {
      const app = secureApp();
      const ing = app.find((o) => o.kind === 'Ingress');
      ing.metadata = { name, namespace: 'shop', labels };
      delete ing.spec.tls;
      return app;
    };
    const kyverno = (objects: any[]) => complianceFindings(objects).filter((f) => f.check.startsWith('kyverno/')).map((f) => f.check).sort();
    const both = ['kyverno/ingress-host-match-tls', 'kyverno/require-ingress-https', 'kyverno/require-ingress-https'];
    const managed = { 'app.kubernetes.io/managed-by': 'cdk8s-secure-networking' };
    const exceptions = documentedPolicyExceptions();
    expect(kyverno(redirect('web-http-redirect', managed))).toEqual(both);
    expect(kyverno([...redirect('web-http-redirect', managed), ...exceptions])).toEqual([]);
    // Not a redirect Ingress by name, or not ours by label: the exception does not apply.
    expect(kyverno([...redirect('web', managed), ...exceptions])).toEqual(both);
    expect(kyverno([...redirect('web-http-redirect'), ...exceptions])).toEqual(both);
    // Only the listed rules: an exception for has-tls alone leaves has-annotation and the other policy.
    const hasTlsOnly = { ...exceptions[0], spec: { ...exceptions[0].spec, exceptions: [{ policyName: 'require-ingress-https', ruleNames: ['has-tls'] }] } };
    expect(kyverno([...redirect('web-http-redirect', managed), hasTlsOnly])).toEqual(['kyverno/ingress-host-match-tls', 'kyverno/require-ingress-https']);
  });
});
