import { Testing } from 'cdk8s';
import { AdvancedIngress } from '../../examples/charts/advanced-ingress';
import { BasicIngress } from '../../examples/charts/basic-ingress';
import { NetworkAnalysis } from '../../src';
import { one, synth } from '../util/synth';

function controllerPods(namespace: string, labels: { [k: string]: string }) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'controller', namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
  };
}

describe('the seed document\'s ingress examples, built with the public API', () => {
  test('Basic Ingress routes /api and / of my-app.example.com over TLS, and only the controller reaches the services', () => {
    const objects = synth(new BasicIngress(Testing.app(), 'basic-ingress'));
    const ing = one(objects, 'Ingress', 'example-ingress');
    expect(ing.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{
        host: 'my-app.example.com',
        http: {
          paths: [
            { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api-service', port: { name: 'http' } } } },
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web-service', port: { name: 'http' } } } },
          ],
        },
      }],
      tls: [{ hosts: ['my-app.example.com'], secretName: 'example-tls-secret' }],
    });
    const net = NetworkAnalysis.fromManifests([...objects, controllerPods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' })]);
    expect(net.isAllowed({ from: 'ingress-nginx/controller', to: 'my-app/api-service', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'my-app/web-service', to: 'my-app/api-service', port: 8080 })).toBe(false);
  });

  test('Advanced Ingress rate-limits, authenticates and restricts with Traefik middlewares', () => {
    const objects = synth(new AdvancedIngress(Testing.app(), 'advanced-ingress'));
    const mw = (ingress: string) => one(objects, 'Ingress', ingress).metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares'].split(',');
    expect(mw('public')).toEqual(['headers', 'rate-limit', 'in-flight', 'body-size'].map((m) => `storefront-public-${m}@kubernetescrd`));
    expect(mw('admin')).toEqual(['headers', 'rate-limit', 'allow-list', 'basic-auth'].map((m) => `storefront-admin-${m}@kubernetescrd`));
    expect(mw('partners')).toEqual(['headers', 'rate-limit', 'forward-auth'].map((m) => `storefront-partners-${m}@kubernetescrd`));
    expect(one(objects, 'IngressClass', 'traefik').metadata.annotations).toEqual({ 'ingressclass.kubernetes.io/is-default-class': 'true' });
    const net = NetworkAnalysis.fromManifests([...objects, controllerPods('traefik', { 'app.kubernetes.io/name': 'traefik' })]);
    expect(net.isAllowed({ from: 'traefik/controller', to: 'storefront/admin', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'traefik/controller', to: 'storefront/api', port: 9090 })).toBe(false);
  });
});
