/**
 * The library never flags itself: namespaces that its own profiles name (an ingress controller's,
 * a Gateway data plane's, a mesh control plane's, the cluster DNS's) are declared wherever the
 * checks run: at synth (AppValidation), in the cdk8s-cli plugin, and in `cdk8s-net check`, which
 * see only the manifests and read the policy's `cdk8s-secure-networking/declared-namespaces`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing, Yaml } from 'cdk8s';
// cdk8s-cli's package exports do not expose its plugin classes; load them by path.
// eslint-disable-next-line import/no-relative-packages
import { ValidationContext } from '../../node_modules/cdk8s-cli/lib/plugins/validation';
import {
  AppValidation, DenyAllNamespace, IngressBackend, IngressController, IValidationContext, Peer, Port, SecureNetworkingValidation, SecureService,
  ServiceMesh, TlsCertificate, TlsGateway, TlsIngress,
} from '../../src';
import { cli } from '../cli/run-cli';
import { newChart, synth } from '../util/synth';

function traefikShop() {
  const chart = newChart('shop');
  const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
  const web = new SecureService(chart, 'Web', { namespace: ns, image: 'ghcr.io/acme/web:2.0.0', port: 8080 });
  new TlsIngress(chart, 'Public', {
    namespace: ns,
    controller: IngressController.traefik(),
    certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
    rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) }],
  });
  return { chart, ns, web };
}

function writeOut(objects: any[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'own-profiles-'));
  const file = path.join(dir, 'app.k8s.yaml');
  fs.writeFileSync(file, Yaml.stringify(...objects));
  return file;
}

describe('namespaces named by the library\'s own profiles are declared', () => {
  test('the policy that admits IngressController.traefik() says its namespace comes from a profile', () => {
    const objects = synth(traefikShop().chart);
    const web = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'web');
    // traefik: the controller's pods (the cluster DNS in kube-system needs no declaration).
    expect(web.metadata.annotations).toEqual({ 'cdk8s-secure-networking/declared-namespaces': 'traefik' });
    // A policy whose peers are the app's own, or system namespaces, carries no annotation.
    const plain = newChart('plain');
    const a = new SecureService(plain, 'A', { namespace: new DenyAllNamespace(plain, 'Ns', { name: 'x' }), image: 'ghcr.io/acme/a:1.0.0', port: 8080 });
    a.allowFrom(Peer.namespace('monitoring'));
    expect(synth(plain).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'a').metadata.annotations).toBeUndefined();
  });

  test('synth-time validation, the plugin and cdk8s-net check find nothing on a Traefik TlsIngress (no NET019)', async () => {
    const { chart } = traefikShop();
    expect(AppValidation.of(chart).findings()).toEqual([]);
    const objects = synth(chart);

    const file = writeOut(objects);
    const check = await cli('check', file);
    expect(check.stdout).not.toMatch(/NET019/);
    expect(check.code).toBe(0);

    // The plugin, with no externalNamespaces given, in cdk8s-cli's own context.
    const ctx = new ValidationContext([file], 'cdk8s-secure-networking', '0.0.0', {}, false);
    await new SecureNetworkingValidation().validate(ctx as unknown as IValidationContext);
    expect(ctx.report.toJson().violations).toEqual([]);
    expect(ctx.report.success).toBe(true);
  });

  test('mesh control planes and Gateway data planes are declared for cdk8s-net check too', async () => {
    const chart = newChart('mesh');
    const meshNs = new DenyAllNamespace(chart, 'Mesh', { name: 'meshed', mesh: ServiceMesh.linkerd() });
    new SecureService(chart, 'Api', { namespace: meshNs, image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
    const web = new SecureService(chart, 'Web', { namespace: ns, image: 'ghcr.io/acme/web:2.0.0', port: 8080 });
    new TlsGateway(chart, 'Edge', {
      namespace: ns,
      gatewayClassName: 'eg',
      dataPlane: Peer.pods({ namespace: 'envoy-gateway-system', labels: { 'gateway.envoyproxy.io/owning-gateway-name': 'edge' } }),
      certificate: TlsCertificate.secret('edge-tls'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) }],
    });
    web.allowFrom(Peer.namespace('monitoring'), Port.tcp(8080));
    const objects = Testing.synth(chart);
    const declared = objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.annotations?.['cdk8s-secure-networking/declared-namespaces']).filter((x) => x);
    expect(declared.join(',')).toMatch(/envoy-gateway-system/);
    expect(declared.join(',')).toMatch(/linkerd/);
    const check = await cli('check', writeOut(objects));
    expect(check.stdout).not.toMatch(/NET019/);
  });

  test('a policy without the annotation (written by hand, or stripped) is still checked by cdk8s-net check', async () => {
    const { chart, web } = traefikShop();
    web.allowFrom(Peer.pods({ namespace: 'monitring', labels: { app: 'prometheus' } }), Port.tcp(8080));
    const objects = synth(chart);
    // Peer.pods with a namespace is a declaration (as at synth), so it is listed with the profiles'.
    const web2 = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'web');
    expect(web2.metadata.annotations['cdk8s-secure-networking/declared-namespaces']).toBe('monitring,traefik');
    delete web2.metadata.annotations;
    const check = await cli('check', writeOut(objects));
    expect(check.stdout).toMatch(/NET019 .*"monitring"/);
    expect(check.stdout).toMatch(/NET019 .*"traefik"/);
  });
});
