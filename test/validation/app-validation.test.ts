import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  DenyAllNamespace, HeadlessStatefulEndpoint, IngressBackend, IngressController, Peer, Port, SecureService, TlsCertificate, TlsIngress,
} from '../../src';
// src/index.ts does not export src/validation yet.
import { AppValidation } from '../../src/validation';
import { errorOf } from '../util/bad-input';
import { newChart, synth } from '../util/synth';

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const HEAD = 'Validation failed with the following errors:\n  ';

/** shop: web -> api, both SecureServices in a DenyAllNamespace. */
function shop(chart: Chart = newChart()) {
  const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
  const api = new SecureService(chart, 'Api', { namespace: ns, name: 'api', image: IMAGE, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  const web = new SecureService(chart, 'Web', { namespace: ns, name: 'web', image: IMAGE, port: 8080 });
  web.allowTo(api);
  return { chart, ns, api, web };
}


function policy(chart: Chart, id: string, spec: any, namespace = 'shop') {
  return new ApiObject(chart, id, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: id.toLowerCase(), namespace }, spec });
}

describe('synth fails with every app-wide problem, each on the construct path of its object', () => {
  test('a Service selector patched to match no pod (NET010)', () => {
    const { chart, api } = shop();
    ApiObject.of(api.service).addJsonPatch(JsonPatch.replace('/spec/selector', { 'app.kubernetes.io/name': 'apii' }));
    expect(errorOf(() => synth(chart))).toBe(`${HEAD}[test/Api/Service/Resource] NET010 service-selector-matches-no-pods: Service shop/api: `
      + 'spec.selector app.kubernetes.io/name=apii matches no pod template in namespace shop; fix the selector or the pod labels.');
  });

  test('a named targetPort that is not a container port (NET011)', () => {
    const { chart, api } = shop();
    // Patches of generated (L1) objects apply to their props, so an IntOrString, not a plain string.
    ApiObject.of(api.service).addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', kplus.k8s.IntOrString.fromString('htp')));
    expect(errorOf(() => synth(chart))).toContain('[test/Api/Service/Resource] NET011 service-target-port-not-container-port: Service shop/api: '
      + 'spec.ports[0].targetPort "htp" is not a TCP container port of Deployment shop/api (its named ports: http); name the container port "htp" or use one of those names.');
  });

  test('a probe on a port name the container does not declare (NET014); a numeric probe port needs no declared port', () => {
    const chart = newChart();
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
    new SecureService(chart, 'Api', { namespace: ns, name: 'api', image: IMAGE, port: 8080, readiness: kplus.Probe.fromTcpSocket({ port: 9999 }) });
    expect(() => synth(chart)).not.toThrow();
    const chart2 = newChart();
    const ns2 = new DenyAllNamespace(chart2, 'Shop', { name: 'shop' });
    const api = new SecureService(chart2, 'Api', { namespace: ns2, name: 'api', image: IMAGE, port: 8080, readiness: kplus.Probe.fromTcpSocket({ port: 9999 }) });
    ApiObject.of(api.deployment).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/readinessProbe/tcpSocket/port', kplus.k8s.IntOrString.fromString('admin')));
    expect(errorOf(() => synth(chart2))).toBe(`${HEAD}[test/Api/Resource/Resource] NET014 probe-port-not-container-port: Deployment shop/api: `
      + 'spec.template.spec.containers[0].readinessProbe.tcpSocket.port "admin" is not a port name of container "main" (its named ports: http); name the container port or probe one of those names.');
  });

  test('an Ingress backend, its port, and a TLS host patched wrong: all three are listed (NET015, NET016)', () => {
    const { chart, ns, api } = shop();
    const ing = new TlsIngress(chart, 'Public', {
      namespace: ns,
      controller: IngressController.ingressNginx(),
      certificate: TlsCertificate.secret('shop-tls'),
      rules: [
        { host: 'shop.example.com', backend: IngressBackend.fromSecureService(api) },
        { host: 'api.example.com', backend: IngressBackend.fromSecureService(api) },
      ],
    });
    const obj = ApiObject.of(ing);
    obj.addJsonPatch(JsonPatch.replace('/spec/rules/0/http/paths/0/backend/service/name', 'web-v2'));
    obj.addJsonPatch(JsonPatch.replace('/spec/rules/1/http/paths/0/backend/service/port', { name: 'https' }));
    obj.addJsonPatch(JsonPatch.replace('/spec/tls/0/hosts', ['shop.example.com']));
    expect(errorOf(() => synth(chart))).toBe(HEAD + [
      '[test/Public/Resource] NET015 ingress-backend-not-found: Ingress shop/public: spec.rules[0].http.paths[0].backend.service names Service shop/web-v2, which is not in the manifests; create it or fix the name.',
      '[test/Public/Resource] NET015 ingress-backend-not-found: Ingress shop/public: spec.rules[1].http.paths[0].backend.service names port "https" of Service shop/api, which has no port of that name (its named ports: http); use one of them.',
      '[test/Public/Resource] NET016 ingress-tls-does-not-cover-host: Ingress shop/public: spec.rules[1].host "api.example.com" is not covered by spec.tls (hosts: shop.example.com); add it to a tls entry whose certificate covers it.',
    ].join('\n  '));
  });

  test('a plain Ingress in an included chart that claims a TlsIngress route (NET017)', () => {
    const { chart, ns, api } = shop();
    new TlsIngress(chart, 'Public', {
      namespace: ns,
      controller: IngressController.ingressNginx(),
      certificate: TlsCertificate.secret('shop-tls'),
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(api) }],
    });
    const legacy = new Chart(chart.node.scope!, 'legacy', { namespace: 'shop', disableResourceNameHashes: true });
    new ApiObject(legacy, 'Old', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'old' },
      spec: { ingressClassName: 'nginx', tls: [{ hosts: ['shop.example.com'], secretName: 'old-tls' }], rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } }] } }] },
    });
    expect(() => synth(chart)).not.toThrow();
    AppValidation.of(chart).include(legacy);
    expect(errorOf(() => synth(chart))).toBe(`${HEAD}[legacy/Old] NET017 ingress-route-claimed-twice: Ingress shop/old: `
      + 'spec.rules[0].http.paths[0] routes shop.example.com/ for class "nginx", which Ingress shop/public already routes; route each host and path from one Ingress.');
  });

  test('a policy patched through the escape hatch to select no pod (NET013)', () => {
    const { chart, web } = shop();
    web.networkPolicy.apiObject.addJsonPatch(JsonPatch.replace('/spec/podSelector/matchLabels', { 'app.kubernetes.io/name': 'wbe' }));
    expect(errorOf(() => synth(chart))).toBe(`${HEAD}[test/Web/NetworkPolicy/Resource] NET013 network-policy-selects-no-pods: NetworkPolicy shop/web: `
      + 'spec.podSelector selects no pod template in namespace shop; fix the selector or the namespace.');
  });

  test("a user's plain NetworkPolicy is checked once its chart is included (NET013)", () => {
    const { chart } = shop();
    policy(chart, 'Stray', { podSelector: { matchLabels: { app: 'gone' } }, policyTypes: ['Ingress'] });
    expect(() => synth(chart)).not.toThrow();
    AppValidation.of(chart).include(chart);
    expect(errorOf(() => synth(chart))).toBe(`${HEAD}[test/Stray] NET013 network-policy-selects-no-pods: NetworkPolicy shop/stray: `
      + 'spec.podSelector selects no pod template in namespace shop; fix the selector or the namespace.');
  });

  test('a policy peer naming pods in an undeclared namespace (NET019), accepted once declared', () => {
    const { chart } = shop();
    AppValidation.of(chart).include(chart);
    policy(chart, 'Scrape', {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }] }],
    });
    expect(errorOf(() => synth(chart))).toBe(`${HEAD}[test/Scrape] NET019 network-policy-peer-namespace-unknown: NetworkPolicy shop/scrape: `
      + 'spec.ingress[0].from[0].namespaceSelector names pods in namespace "monitring", which the manifests neither create nor use and which is not declared external; '
      + "fix the namespace, or declare it (AppValidation.of(this).declareExternalNamespaces('monitring'), or connect to Peer.namespace('monitring')).");
    AppValidation.of(chart).declareExternalNamespaces('monitring');
    expect(() => synth(chart)).not.toThrow();
  });

  test('namespaces named through the typed API are declared: Peer.namespace, Peer.pods, NamespaceRef, controllers, kube-system', () => {
    const { chart, api } = shop();
    api.allowFrom(Peer.namespace('monitoring'), Port.named('http'));
    api.allowFrom(Peer.pods({ namespace: 'ops', labels: { app: 'toolbox' } }), Port.named('http'));
    api.allowFrom(IngressController.traefik({ namespace: 'edge' }), Port.named('http'));
    expect(AppValidation.of(chart).findings()).toEqual([]);
  });

  test('a StatefulSet whose serviceName names no headless Service (NET018)', () => {
    const chart = newChart();
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
    const db = new HeadlessStatefulEndpoint(chart, 'Db', { namespace: ns, name: 'db', image: 'postgres:16.4', ports: [{ name: 'pg', port: 5432 }] });
    ApiObject.of(db.statefulSet).addJsonPatch(JsonPatch.replace('/spec/serviceName', 'db-headless'));
    expect(errorOf(() => synth(chart))).toBe(`${HEAD}[test/Db/Resource/Resource] NET018 statefulset-service-not-headless: StatefulSet shop/db: `
      + 'spec.serviceName "db-headless" names no Service in namespace shop, so the per-pod DNS names do not resolve; create a headless Service (clusterIP: None) of that name.');
  });

  test('two SecureServices named api in one namespace write each object twice (NET020), reported on the second with the first\'s path', () => {
    const chart = newChart();
    const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
    new SecureService(chart, 'Api', { namespace: ns, name: 'api', image: IMAGE, port: 8080 });
    new SecureService(chart, 'Api2', { namespace: ns, name: 'api', image: IMAGE, port: 8080 });
    const found = AppValidation.of(chart).findings().filter((f) => f.ruleId === 'NET020');
    expect(found.map((f) => `${f.constructPath} ${f.resource}`)).toEqual([
      'test/Api2/ServiceAccount ServiceAccount shop/api',
      'test/Api2/Resource Deployment shop/api',
      'test/Api2/Service Service shop/api',
      'test/Api2/PodDisruptionBudget PodDisruptionBudget shop/api',
      'test/Api2/NetworkPolicy/Resource NetworkPolicy shop/api',
    ]);
    const error = errorOf(() => synth(chart));
    expect(error.startsWith(HEAD)).toBe(true);
    expect(error).toContain('[test/Api2/Resource] NET020 duplicate-object: Deployment shop/api: '
      + 'Deployment shop/api (apps) is the same object as Deployment shop/api of test/Api/Resource; applying both keeps only the last. '
      + 'Give one of them another name (or namespace), or remove the duplicate.');
  });

  test('two DenyAllNamespaces named a: the Namespace (cluster-scoped) and its policies are duplicates (NET020)', () => {
    const chart = newChart();
    new DenyAllNamespace(chart, 'A', { name: 'a' });
    new DenyAllNamespace(chart, 'A2', { name: 'a' });
    const error = errorOf(() => synth(chart));
    expect(error).toContain('[test/A2/Resource/Resource] NET020 duplicate-object: Namespace a: Namespace a is the same object as Namespace a of test/A/Resource/Resource '
      + '(Namespace is cluster-scoped: the name alone identifies it); applying both keeps only the last.');
    expect(error).toContain('[test/A2/DefaultDeny] NET020 duplicate-object: NetworkPolicy a/default-deny:');
  });

  test('the same name in other namespaces, or under another API group, is not a duplicate', () => {
    const chart = newChart();
    for (const n of ['a', 'b']) {
      const ns = new DenyAllNamespace(chart, `Ns${n}`, { name: n });
      new SecureService(chart, `Api${n}`, { namespace: ns, name: 'api', image: IMAGE, port: 8080 });
    }
    expect(AppValidation.of(chart).findings()).toEqual([]);
  });

  test('app.synth() (what cdk8s synth runs) fails the same way and writes nothing', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-validation-'));
    const app = new App({ outdir });
    const { api } = shop(new Chart(app, 'prod', { disableResourceNameHashes: true }));
    ApiObject.of(api.service).addJsonPatch(JsonPatch.replace('/spec/selector', { 'app.kubernetes.io/name': 'apii' }));
    expect(errorOf(() => app.synth())).toContain('[prod/Api/Service/Resource] NET010 service-selector-matches-no-pods');
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});

describe('what is checked, and how to opt out', () => {
  test('apps that use none of our constructs are not checked until they include themselves', () => {
    const chart = new Chart(Testing.app(), 'plain', { disableResourceNameHashes: true });
    new ApiObject(chart, 'Svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'a' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } });
    expect(() => Testing.synth(chart)).not.toThrow();
    AppValidation.of(chart).include(chart.node.root);
    expect(errorOf(() => Testing.synth(chart))).toContain('[plain/Svc] NET010');
  });

  test('pods of other charts count: a Service of ours may select a workload defined elsewhere', () => {
    const { chart, api } = shop();
    ApiObject.of(api.service).addJsonPatch(JsonPatch.replace('/spec/selector', { app: 'legacy' }));
    const other = new Chart(chart.node.scope!, 'other', { namespace: 'shop' });
    new kplus.Deployment(other, 'Legacy', { podMetadata: { labels: { app: 'legacy' } }, containers: [{ image: IMAGE, portNumber: 8080, securityContext: { ensureNonRoot: false } }] });
    expect(AppValidation.of(chart).findings().filter((f) => f.ruleId === 'NET010')).toEqual([]);
  });

  test('disable() turns the checks off for the app', () => {
    const { chart, api } = shop();
    ApiObject.of(api.service).addJsonPatch(JsonPatch.replace('/spec/selector', { app: 'none' }));
    AppValidation.of(chart).disable();
    expect(AppValidation.of(chart).enabled).toBe(false);
    expect(() => synth(chart)).not.toThrow();
  });

  test('skipRule() turns one rule off; the annotation ignore-check.cdk8s-net.io/<rule> exempts one object', () => {
    const { chart, api, web } = shop();
    ApiObject.of(api.service).addJsonPatch(JsonPatch.replace('/spec/selector', { app: 'none' }));
    web.networkPolicy.apiObject.addJsonPatch(JsonPatch.replace('/spec/podSelector/matchLabels', { app: 'none' }));
    AppValidation.of(chart).skipRule('NET010', 'the pods come from a Helm release');
    expect(AppValidation.of(chart).findings().map((f) => f.ruleId)).toEqual(['NET013']);
    web.networkPolicy.apiObject.metadata.addAnnotation('ignore-check.cdk8s-net.io/network-policy-selects-no-pods', 'kept for the migration');
    expect(() => synth(chart)).not.toThrow();
  });

  test('findings() returns the problems as data, without throwing', () => {
    const { chart, api } = shop();
    ApiObject.of(api.service).addJsonPatch(JsonPatch.replace('/spec/selector', { app: 'none' }));
    expect(AppValidation.of(chart).findings()).toEqual([{
      ruleId: 'NET010',
      ruleName: 'service-selector-matches-no-pods',
      constructPath: 'test/Api/Service/Resource',
      resource: 'Service shop/api',
      field: 'spec.selector',
      message: 'spec.selector app=none matches no pod template in namespace shop; fix the selector or the pod labels.',
    }]);
  });

  test('one AppValidation per app, registered once: repeated synths report the current state', () => {
    const { chart, api } = shop();
    expect(AppValidation.of(chart)).toBe(AppValidation.of(api));
    expect(chart.node.root.node.validate()).toEqual([]);
    ApiObject.of(api.service).addJsonPatch(JsonPatch.replace('/spec/selector', { app: 'none' }));
    expect(() => synth(chart)).toThrow(/NET010/);
    AppValidation.of(chart).skipRule('NET010', 'fixed elsewhere');
    expect(() => synth(chart)).not.toThrow();
  });
});

describe('the AppValidation API refuses bad input', () => {
  test.each<[string, (v: AppValidation, chart: Chart) => void, string]>([
    ['a namespace name with upper case', (v) => v.declareExternalNamespaces('Monitoring'),
      "AppValidation.declareExternalNamespaces('Monitoring'): \"Monitoring\" is not a namespace name; it must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character."],
    ['a rule that synth validation does not run', (v) => v.skipRule('NET012', 'not isolated on purpose'),
      "AppValidation.skipRule('NET012'): \"NET012\" is not a rule of synth validation; use one of NET010, NET011, NET013, NET014, NET015, NET016, NET017, NET018, NET019, NET020, NET021, NET022, NET023, NET024, NET025, NET040, NET041, NET042, NET043, NET044."],
    ['an empty reason', (v) => v.skipRule('NET013', ' '), "AppValidation.skipRule('NET013'): the reason is empty; say why the rule does not apply to this app."],
    ['a construct of another app', (v) => v.include(newChart('other')),
      'AppValidation.include(other): the construct is in another app; include it in the AppValidation of its own app (AppValidation.of(construct)).'],
  ])('%s', (_d, call, message) => {
    const chart = newChart();
    expect(() => call(AppValidation.of(chart), chart)).toThrow(new Error(message));
  });
});
