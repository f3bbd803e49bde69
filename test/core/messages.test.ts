/**
 * Messages for the mistakes people actually make, each saying what to write instead: a URL where
 * a host goes, a glob in a path, an except of the other address family, the same construct id
 * twice.
 */
import { App, Chart } from 'cdk8s';
import {
  DenyAllNamespace, IngressBackend, IngressController, Peer, SecureService, TlsCertificate, TlsIngress,
} from '../../src';
import { errorOf } from '../ingress/helpers';
import { errorWhereUsed } from '../util/bad-input';
import { newChart } from '../util/synth';

function shop() {
  const chart = newChart('shop');
  const ns = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
  const web = new SecureService(chart, 'Web', { namespace: ns, image: 'ghcr.io/acme/web:2.0.0', port: 8080 });
  return { chart, ns, web };
}

function ingress(host: string, path?: string) {
  const { chart, ns, web } = shop();
  return () => new TlsIngress(chart, 'Public', {
    namespace: ns,
    controller: IngressController.traefik(),
    certificate: TlsCertificate.secret('shop-tls'),
    rules: [{ host, path, backend: IngressBackend.fromSecureService(web) }],
  });
}

test.each<[string, () => string, string]>([
  ['a URL given as a host', () => errorOf(ingress('https://shop.example.com/')),
    'shop/Public: TlsIngress.rules[0].host "https://shop.example.com/" is not an Ingress host; it is a URL; give the host only ("shop.example.com"), without scheme, port or path.'],
  ['a host with a path', () => errorOf(ingress('shop.example.com/api')),
    'shop/Public: TlsIngress.rules[0].host "shop.example.com/api" is not an Ingress host; it contains a path; give the host only ("shop.example.com") and put the path in the rule\'s path.'],
  ['a glob path', () => errorOf(ingress('shop.example.com', '/api/*')),
    'shop/Public: TlsIngress.rules[0].path "/api/*" is refused; "*" is not a wildcard in an Ingress path: a Prefix path already matches everything below it, so write "/api" (pathType Prefix).'],
  ['a glob path at the root', () => errorOf(ingress('shop.example.com', '/*')),
    'shop/Public: TlsIngress.rules[0].path "/*" is refused; "*" is not a wildcard in an Ingress path: a Prefix path already matches everything below it, so write "/" (pathType Prefix).'],
  ['an IPv4 except in an IPv6 block', () => errorWhereUsed(() => Peer.ipBlock('2001:db8::/32', ['10.0.0.0/8'])),
    "test/Web: allowFrom(other): Peer.ipBlock('2001:db8::/32', ['10.0.0.0/8']): except \"10.0.0.0/8\" is an IPv4 block, but 2001:db8::/32 is IPv6; one ipBlock covers one address family, "
    + "so give each family its own peer (Peer.ipBlock('10.0.0.0/8', [...]) for IPv4)."],
  ['an IPv6 except in an IPv4 block', () => errorWhereUsed(() => Peer.ipBlock('10.0.0.0/8', ['2001:db8::/48'])),
    "test/Web: allowFrom(other): Peer.ipBlock('10.0.0.0/8', ['2001:db8::/48']): except \"2001:db8::/48\" is an IPv6 block, but 10.0.0.0/8 is IPv4; one ipBlock covers one address family, "
    + "so give each family its own peer (Peer.ipBlock('2001:db8::/32', [...]) for IPv6)."],
  ['the same construct id twice', () => errorOf(() => {
    const { chart, ns } = shop();
    return new SecureService(chart, 'Web', { namespace: ns, image: 'ghcr.io/acme/web:2.0.0', port: 8080 });
  }), "shop: new SecureService(scope, 'Web'): there is already a SecureService with id 'Web' here; give each construct its own id (ids name the objects in the manifest, so they must differ)."],
  ['an id taken by a chart at the app root', () => errorOf(() => {
    const app = new App();
    new Chart(app, 'shop');
    return new DenyAllNamespace(app, 'shop');
  }), "(app): new DenyAllNamespace(scope, 'shop'): there is already a Chart with id 'shop' here; give each construct its own id (ids name the objects in the manifest, so they must differ)."],
])('%s is refused with what to write instead', (_n, f, message) => {
  expect(f()).toBe(message);
});
