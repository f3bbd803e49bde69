/**
 * An app as `cdk8s init typescript-app` makes it today: cdk8s-plus-33 workloads next to this
 * library (which builds on cdk8s-plus-28). Every entry point that takes an object the app made
 * accepts a cdk8s-plus-33 object, and a plain generated L1 (`KubeService`, `KubeDeployment`),
 * with no cast: this file type-checks under tsconfig.dev.json, which is the point of it.
 */
import { ApiObject } from 'cdk8s';
import * as kplus33 from 'cdk8s-plus-33';
import {
  CanaryPrimary, DenyAllNamespace, HealthCheck, IngressBackend,
  IngressController, NetworkAnalysis, Peer, Port, SecureService, TlsCertificate, TlsIngress,
} from '../../src';
import { errorOf } from '../ingress/helpers';
import { useValue } from '../util/bad-input';
import { newChart, one, synth } from '../util/synth';

function app() {
  const chart = newChart('shop', 'shop');
  const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
  const api = new SecureService(chart, 'Api', { namespace: ns, image: 'ghcr.io/acme/api:1.4.2', ports: [{ name: 'http', port: 8080 }] });
  // The app's own cdk8s-plus-33 objects.
  const legacy = new kplus33.Deployment(chart, 'Legacy', {
    containers: [{ image: 'ghcr.io/acme/legacy:3.1.0', portNumber: 9000, securityContext: { user: 1000, group: 1000 } }],
  });
  const legacySvc = legacy.exposeViaService({ name: 'legacy', ports: [{ port: 80, targetPort: 9000 }] });
  // And plain L1 objects, as a user of `cdk8s import k8s` writes them.
  const batch = new kplus33.k8s.KubeDeployment(chart, 'Batch', {
    metadata: { name: 'batch' },
    spec: {
      selector: { matchLabels: { app: 'batch' } },
      template: { metadata: { labels: { app: 'batch' } }, spec: { containers: [{ name: 'main', image: 'ghcr.io/acme/batch:1.0.0' }] } },
    },
  });
  const batchSvc = new kplus33.k8s.KubeService(chart, 'BatchService', {
    metadata: { name: 'batch' },
    spec: { selector: { app: 'batch' }, ports: [{ port: 8081, targetPort: kplus33.k8s.IntOrString.fromNumber(8081) }] },
  });
  return { chart, ns, api, legacy, legacySvc, batch, batchSvc };
}

describe('an app with cdk8s-plus-33 objects', () => {
  test('Peer.workload admits a cdk8s-plus-33 Deployment by its own pod selector', () => {
    const { chart, api, legacy } = app();
    api.allowFrom(Peer.workload(legacy), Port.named('http'));
    const objects = synth(chart, { schemaless: [] });
    const rule = one(objects, 'NetworkPolicy', 'api').spec.ingress.find((r: any) => r.from[0].podSelector?.matchLabels?.['cdk8s.io/metadata.addr']);
    // cdk8s-plus selects its pods with the cdk8s.io/metadata.addr label it puts on the pod template.
    const legacyJson = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === ApiObject.of(legacy).name);
    expect(rule.from).toEqual([{ podSelector: { matchLabels: legacyJson.spec.selector.matchLabels } }]);
    expect(legacyJson.spec.template.metadata.labels).toMatchObject(legacyJson.spec.selector.matchLabels);
    // And the analyzer agrees: api admits the legacy pods on 8080 (only the legacy pods' own egress,
    // closed by the namespace's default deny and not managed here, still blocks them), and not batch.
    const net = NetworkAnalysis.fromManifests(objects);
    const legacyToApi = net.explain({ from: `shop/${legacyJson.metadata.name}`, to: 'shop/api', port: 8080 });
    expect(legacyToApi.text).toMatch(/is isolated for egress/);
    expect(legacyToApi.text).not.toMatch(/isolated for ingress/);
    expect(net.explain({ from: 'shop/batch', to: 'shop/api', port: 8080 }).text).toMatch(/shop\/api is isolated for ingress/);
  });

  test('Peer.workload takes a plain KubeDeployment (its spec.selector) and a KubeService (its spec.selector)', () => {
    const { chart, api, batch, batchSvc } = app();
    api.allowTo(Peer.workload(batch), Port.tcp(8081));
    expect(Peer.workload(batchSvc).toPeerSpecs('shop')).toEqual([{ podSelector: { matchLabels: { app: 'batch' } } }]);
    const egress = one(synth(chart, { schemaless: [] }), 'NetworkPolicy', 'api').spec.egress;
    expect(egress).toContainEqual({ to: [{ podSelector: { matchLabels: { app: 'batch' } } }], ports: [{ port: 8081, protocol: 'TCP' }] });
  });

  test('Peer.workload of a Service as a destination: the pod port is written; the Service port behind another target port is refused', () => {
    // A NetworkPolicy port is the pod's port after the Service translated it (kubernetes.io/docs/concepts/services-networking/
    // network-policies: policies act on pod IPs and ports; kube-proxy rewrites the Service port to targetPort first), the
    // trap SecureService destinations already refuse.
    const { chart, api, legacySvc, batchSvc } = app();
    api.allowTo(Peer.workload(legacySvc), Port.tcp(9000));
    api.allowTo(Peer.workload(batchSvc), Port.tcp(8081)); // port and targetPort are the same number
    const egress = one(synth(chart, { schemaless: [] }), 'NetworkPolicy', 'api').spec.egress;
    expect(egress.flatMap((r: any) => r.ports.map((p: any) => p.port))).toEqual([53, 53, 9000, 8081]);
    expect(errorOf(() => app().api.allowTo(Peer.workload(app().legacySvc), Port.tcp(80)))).toBe(
      'shop/Api: allowTo(shop/service/legacy): Peer.workload(shop/Legacy/legacyService): Service legacy forwards its port TCP 80 to target port 9000; ' +
      'NetworkPolicies match the pod port, not the Service port: use Port.tcp(9000).');
  });

  test('the Service-port check reads a plain KubeService too, and a named targetPort', () => {
    const { chart, api } = app();
    const svc = new kplus33.k8s.KubeService(chart, 'Named', {
      metadata: { name: 'named' },
      spec: { selector: { app: 'batch' }, ports: [{ name: 'web', port: 80, targetPort: kplus33.k8s.IntOrString.fromString('http') }] },
    });
    expect(errorOf(() => api.allowTo(Peer.workload(svc), Port.tcp(80)))).toBe(
      'shop/Api: allowTo(shop/service/named): Peer.workload(shop/Named): Service named forwards its port TCP 80 to target port "http"; ' +
      "NetworkPolicies match the pod port, not the Service port: use Port.named('http').");
  });

  test('Peer.workload in another namespace names the namespace too', () => {
    const { batch } = app();
    expect(Peer.workload(batch).toPeerSpecs('other')).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
      podSelector: { matchLabels: { app: 'batch' } },
    }]);
  });

  test('IngressBackend.fromService routes to a cdk8s-plus-33 Service and to a KubeService', () => {
    const { chart, ns, legacySvc, batchSvc } = app();
    new TlsIngress(chart, 'Public', {
      namespace: ns,
      controller: IngressController.traefik(),
      certificate: TlsCertificate.secret('shop-tls'),
      rules: [
        { host: 'shop.example.com', path: '/legacy', backend: IngressBackend.fromService(legacySvc, 80) },
        { host: 'shop.example.com', path: '/batch', backend: IngressBackend.fromService(batchSvc, 8081) },
      ],
    });
    const paths = one(synth(chart, { schemaless: [] }), 'Ingress', 'public').spec.rules[0].http.paths;
    expect(paths.map((p: any) => p.backend.service)).toEqual([{ name: 'legacy', port: { number: 80 } }, { name: 'batch', port: { number: 8081 } }]);
  });

  test('CanaryPrimary.fromIngress takes a cdk8s-plus-33 Ingress as the primary of an ingress-nginx canary', () => {
    const { chart, ns, api, legacySvc } = app();
    const legacy = new kplus33.Ingress(chart, 'LegacyIngress', {
      metadata: { name: 'legacy', annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
      rules: [{ host: 'shop.example.com', path: '/', backend: kplus33.IngressBackend.fromService(legacySvc) }],
      tls: [{ hosts: ['shop.example.com'], secret: kplus33.Secret.fromSecretName(chart, 'LegacyTls', 'legacy-tls') }],
    });
    const primary = CanaryPrimary.fromIngress(legacy);
    expect(primary).toMatchObject({ ingressName: 'legacy', ingressNamespace: 'shop', routes: ['shop.example.com/'], tlsSecretName: 'legacy-tls', ingressClassName: 'nginx' });
    new TlsIngress(chart, 'Canary', {
      namespace: ns,
      controller: IngressController.ingressNginx(),
      canary: { primary, header: 'X-Canary' },
      rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(api, 'http') }],
    });
    const canary = one(synth(chart, { schemaless: [] }), 'Ingress', 'canary');
    expect(canary.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary' });
    expect(canary.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'legacy-tls' }]);
  });

  test('SecureService takes readinessCheck and livenessCheck in a cdk8s-plus-33 app, with no cdk8s-plus-28 class', () => {
    const { chart, ns } = app();
    new SecureService(chart, 'Checked', {
      namespace: ns,
      image: 'ghcr.io/acme/checked:1.0.0',
      ports: [{ name: 'http', port: 8080 }],
      readinessCheck: HealthCheck.httpGet('/ready', { periodSeconds: 5 }),
      livenessCheck: HealthCheck.tcpSocket({ failureThreshold: 6 }),
    });
    const c = one(synth(chart, { schemaless: [] }), 'Deployment', 'checked').spec.template.spec.containers[0];
    // Probe keys of k8s.io/api core/v1 types.go (Probe, HTTPGetAction, TCPSocketAction).
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, periodSeconds: 5, failureThreshold: 3 });
    expect(c.livenessProbe).toEqual({ tcpSocket: { port: 8080 }, failureThreshold: 6 });
  });

  test('a cdk8s-plus-33 Probe given as readiness is refused with the fix', () => {
    const { chart, ns } = app();
    expect(errorOf(() => new SecureService(chart, 'Probed', {
      namespace: ns, image: 'ghcr.io/acme/probed:1.0.0', port: 8080, readiness: kplus33.Probe.fromHttpGet('/ready') as any,
    }))).toBe('shop/Probed: SecureService.readiness is a Probe from another cdk8s-plus version than cdk8s-plus-28, which this library renders with; '
      + "use SecureService.readinessCheck instead, e.g. readinessCheck: HealthCheck.httpGet('/healthz') (or HealthCheck.tcpSocket(), HealthCheck.exec([...])).");
  });

  test.each<[string, (a: ReturnType<typeof app>) => unknown, string]>([
    ['a port the cdk8s-plus-33 Service lacks', (a) => useValue(a.chart, IngressBackend.fromService(a.legacySvc, 8080)), 'shop/Ing: TlsIngress.rules[0].backend: IngressBackend.fromService(legacy, 8080): Service legacy has no port 8080; its ports are 80.'],
    ['a port the KubeService lacks', (a) => useValue(a.chart, IngressBackend.fromService(a.batchSvc, 80)), 'shop/Ing: TlsIngress.rules[0].backend: IngressBackend.fromService(batch, 80): Service batch has no port 80; its ports are 8081.'],
    ['a Deployment where a Service is expected', (a) => useValue(a.chart, IngressBackend.fromService(a.legacy, 80)),
      'shop/Ing: TlsIngress.rules[0].backend: IngressBackend.fromService: service (shop/Legacy) is a Deployment, not a Service; give a Service (cdk8s-plus of any version, or a KubeService), or use IngressBackend.fromSecureService().'],
    ['a Deployment that selects nothing', (a) => Peer.workload(new ApiObject(a.chart, 'Bare', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bare' } })).toPeerSpecs('shop'),
      'Peer.workload(shop/Bare): Deployment bare selects no pods (no selector labels); give it a selector, or use Peer.pods({ labels }) to name the pods.'],
    ['a ConfigMap as a workload', (a) => a.api.allowFrom(Peer.workload(new kplus33.ConfigMap(a.chart, 'Config'))),
      'shop/Api: allowFrom(other): Peer.workload: workload (shop/Config) is a ConfigMap, not a Deployment or StatefulSet or DaemonSet or ReplicaSet or Job or CronJob or Pod or Service; give a Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod or Service (any cdk8s-plus version, or an ApiObject of one of these kinds).'],
    ['a string as a workload', (a) => a.api.allowFrom(Peer.workload('legacy' as any)),
      'shop/Api: allowFrom(other): Peer.workload: workload is the string "legacy"; give a Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod or Service (any cdk8s-plus version, or an ApiObject of one of these kinds).'],
  ])('%s is refused with the reason', (_n, f, expected) => {
    expect(errorOf(() => f(app()))).toBe(expected);
  });
});
