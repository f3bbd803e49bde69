/**
 * Escape hatches stay safe: TlsIngress exposes what it creates, and a patch that undoes a security
 * setting the library rendered (spec.tls removed, an unsafe annotation added, a policy widened)
 * is still caught by app-wide validation at synth, and by `cdk8s-net check` on the output.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, JsonPatch, Testing, Yaml } from 'cdk8s';
import {
  AppValidation, DenyAllNamespace, IngressBackend, IngressController, SecureService, TlsCertificate, TlsIngress,
} from '../../src';
import { cli } from '../cli/run-cli';
import { errorOf } from '../util/bad-input';
import { newChart, synth } from '../util/synth';

const HEAD = 'Validation failed with the following errors:\n  ';

function shop(controller = IngressController.traefik()) {
  const chart = newChart('shop');
  const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
  const web = new SecureService(chart, 'Web', { namespace: ns, image: 'ghcr.io/acme/web:2.0.0', port: 8080 });
  const tls = new TlsIngress(chart, 'Public', {
    namespace: ns,
    controller,
    certificate: TlsCertificate.certManagerCertificate({ issuer: 'letsencrypt' }),
    rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) }],
    rateLimit: { requestsPerSecond: 20 },
  });
  return { chart, ns, web, tls };
}


describe('TlsIngress exposes what it creates', () => {
  test('Traefik: the Ingress, the redirect Ingress, the Middlewares, and every object (the cert-manager Certificate too)', () => {
    const { tls } = shop();
    expect(tls.ingress).toBe(tls.apiObject);
    expect(tls.ingress!.kind).toBe('Ingress');
    expect(tls.redirectIngress!.name).toBe('public-http-redirect');
    expect(tls.middlewares.map((m) => m.name).sort()).toEqual(['public-headers', 'public-rate-limit', 'public-redirect-https']);
    expect(tls.objects.map((o) => `${o.kind}/${o.name}`).sort()).toEqual([
      'Certificate/public-tls', 'Ingress/public', 'Ingress/public-http-redirect',
      'Middleware/public-headers', 'Middleware/public-rate-limit', 'Middleware/public-redirect-https',
    ]);
  });

  test('ingress-nginx: no redirect Ingress and no Middlewares (the redirect is an annotation)', () => {
    const { tls } = shop(IngressController.ingressNginx());
    expect(tls.redirectIngress).toBeUndefined();
    expect(tls.middlewares).toEqual([]);
    expect(tls.objects.map((o) => o.kind).sort()).toEqual(['Certificate', 'Ingress']);
  });
});

describe('after an escape-hatch patch, app validation still catches what it undid', () => {
  test('spec.tls removed with a JSON patch: NET040 ingress-without-tls, at the Ingress', () => {
    const { chart, tls } = shop();
    ApiObject.of(tls.ingress!).addJsonPatch(JsonPatch.remove('/spec/tls'));
    expect(errorOf(() => synth(chart))).toBe(`${HEAD}[shop/Public/Resource] NET040 ingress-without-tls: Ingress shop/public: `
      + 'spec.tls is not set, so shop.example.com is served over plain HTTP; add spec.tls with the hosts and a certificate Secret (TlsIngress always does: check escape-hatch patches).');
  });

  test('a snippet annotation added to the Ingress: NET041 ingress-unsafe-annotation', () => {
    const { chart, tls } = shop(IngressController.ingressNginx());
    tls.ingress!.metadata.addAnnotation('nginx.ingress.kubernetes.io/configuration-snippet', 'more_set_headers "X: y";');
    expect(errorOf(() => synth(chart))).toBe(`${HEAD}[shop/Public/Resource] NET041 ingress-unsafe-annotation: Ingress shop/public: `
      + 'annotation nginx.ingress.kubernetes.io/configuration-snippet is unsafe: snippet annotations copy free text into the proxy configuration (CVE-2021-25742); remove it.');
  });

  test('the explicit opt-in (dangerouslyAllowUnsafeAnnotations) marks the Ingress, and synth passes', () => {
    const chart = newChart('shop');
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
    const web = new SecureService(chart, 'Web', { namespace: ns, image: 'ghcr.io/acme/web:2.0.0', port: 8080 });
    const tls = new TlsIngress(chart, 'Public', {
      namespace: ns,
      controller: IngressController.ingressNginx(),
      certificate: TlsCertificate.secret('shop-tls'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) }],
      annotations: { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers X-Y;' },
      dangerouslyAllowUnsafeAnnotations: true,
    });
    const ingress = synth(chart).find((o) => o.kind === 'Ingress');
    expect(ingress.metadata.annotations['ignore-check.cdk8s-net.io/ingress-unsafe-annotation']).toBe('TlsIngress.dangerouslyAllowUnsafeAnnotations');
    expect(tls.node.metadata.some((m) => m.type === 'warning')).toBe(true);
  });

  test('a policy widened to every source: NET042 network-policy-rule-admits-everything', () => {
    const { chart, web } = shop();
    ApiObject.of(web.networkPolicy).addJsonPatch(JsonPatch.add('/spec/ingress/-', {}));
    expect(errorOf(() => synth(chart))).toMatch(new RegExp('\\[shop/Web/NetworkPolicy/Resource\\] NET042 network-policy-rule-admits-everything: NetworkPolicy shop/web: '
      + 'spec\\.ingress\\[\\d+\\] has no from, so it admits every source \\(all pods of all namespaces and every address\\) on every port; name the sources\\.'));
  });

  test('the library\'s own output has none of these findings, and cdk8s-net check reports the patched ones too', async () => {
    const clean = shop();
    const objects = synth(clean.chart);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escape-'));
    fs.writeFileSync(path.join(dir, 'clean.yaml'), Yaml.stringify(...objects));
    const ok = await cli('check', path.join(dir, 'clean.yaml'));
    expect(ok.stdout).not.toMatch(/NET04[012]/);
    expect(ok.code).toBe(0);

    const patched = shop();
    ApiObject.of(patched.tls.ingress!).addJsonPatch(JsonPatch.remove('/spec/tls'));
    ApiObject.of(patched.web.networkPolicy).addJsonPatch(JsonPatch.add('/spec/egress/-', {}));
    // What an app that turned synth validation off would write; the pipeline check still finds it.
    AppValidation.of(patched.chart).disable();
    const raw = Testing.synth(patched.chart);
    fs.writeFileSync(path.join(dir, 'patched.yaml'), Yaml.stringify(...raw));
    const bad = await cli('check', path.join(dir, 'patched.yaml'));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/error NET040 Ingress shop\/public/);
    // A warning in check (deliberate in many projects' manifests); synth validation fails on it (test above).
    expect(bad.stdout).toMatch(/warning NET042 NetworkPolicy shop\/web/);
  });
});
