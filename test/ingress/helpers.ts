import { Chart } from 'cdk8s';
import { DenyAllNamespace, SecureService } from '../../src';
import { IngressBackend, IngressController, TlsCertificate, TlsIngress, TlsIngressProps } from '../../src/ingress';
import { newChart, one, synth } from '../util/synth';
export { errorOf } from '../util/bad-input';

/** A namespace `shop` with `api` (http 80 -> 8080, metrics 9090) and `web` (http 8080). */
export function shop(chart: Chart = newChart()) {
  const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
  const api = new SecureService(chart, 'Api', {
    namespace: ns, image: 'ghcr.io/acme/api:1.4.2', ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }],
  });
  const web = new SecureService(chart, 'Web', { namespace: ns, image: 'ghcr.io/acme/web:2.0.0', port: 8080 });
  return { chart, ns, api, web };
}

/** A Deployment of pods with `labels` in `namespace`, standing for pods the app does not make (a controller's), for the analyzer. */
export function pods(namespace: string, name: string, labels: { [k: string]: string }) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
  };
}

/** The certificate each controller accepts. */
export function certificateFor(controller: IngressController): TlsCertificate {
  if (controller.className === 'alb') return TlsCertificate.acm();
  return TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' });
}

/** A TlsIngress `public` in shop routing shop.example.com/api to api:http, synthesized. */
export function render(controller: IngressController, props: Partial<TlsIngressProps> = {}) {
  const { chart, ns, api, web } = shop();
  const ingress = new TlsIngress(chart, 'Public', {
    namespace: ns,
    controller,
    certificate: certificateFor(controller),
    rules: [
      { host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(api, 'http') },
      { host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) },
    ],
    ...props,
  });
  const objects = synth(chart);
  const ing = objects.find((o) => o.kind === 'Ingress' && o.metadata.name === 'public');
  return { chart, ingress, objects, ing, annotations: ing?.metadata.annotations ?? {}, api, web };
}

/** The annotations of the rendered Ingress whose key starts with `prefix`, without the prefix. */
export function withPrefix(annotations: { [k: string]: string }, prefix: string): { [k: string]: string } {
  return Object.fromEntries(Object.entries(annotations).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

export { one };
