/**
 * The Gateway API rules (NET021-NET025) as pure functions over manifests, and the same rules run
 * by app-wide synth validation and `cdk8s-net check`. Attachment semantics: Gateway API v1.6.1
 * (kubernetes-sigs/gateway-api apis/v1/gateway_types.go AllowedRoutes / RouteNamespaces: `from`
 * defaults to Same; apis/v1/shared_types.go ParentReference; apis/v1beta1/referencegrant_types.go).
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import { AppValidation, NamespaceRef } from '../../src';
import { SourcedObject } from '../../src/analysis/rules';
import gatewayListenerDoesNotAdmitRoute from '../../src/analysis/rules/gateway-listener-does-not-admit-route';
import gatewayListenerWithoutCertificate from '../../src/analysis/rules/gateway-listener-without-certificate';
import gatewayParentRefNotFound from '../../src/analysis/rules/gateway-parent-ref-not-found';
import gatewayReferenceGrantMissing from '../../src/analysis/rules/gateway-reference-grant-missing';
import gatewayRouteHostnameNoListener from '../../src/analysis/rules/gateway-route-hostname-no-listener';
import { GatewayImplementation, SharedGateway, TlsCertificate } from '../../src/ingress';
import { checkManifests } from '../../src/validation/rule-set';

const src = (...objects: any[]): SourcedObject[] => objects.map((object, i) => ({ object, source: `input#${i + 1}` }));
type CheckFn = { check: (o: readonly SourcedObject[]) => Array<{ message: string }> };
const messages = (rule: CheckFn, ...objects: any[]) => rule.check(src(...objects)).map((f) => f.message);

const G = 'gateway.networking.k8s.io/v1';
const ns = (name: string, labels: any = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const gateway = (listeners: any[], namespace = 'edge') => ({ apiVersion: G, kind: 'Gateway', metadata: { name: 'edge', namespace }, spec: { gatewayClassName: 'eg', listeners } });
const https = (name: string, hostname: string | undefined, allowedRoutes: any = { namespaces: { from: 'Same' } }, certificateRefs: any[] = [{ kind: 'Secret', name: 'edge-tls' }]) =>
  ({ name, hostname, port: 443, protocol: 'HTTPS', allowedRoutes, tls: { mode: 'Terminate', certificateRefs } });
const route = (namespace: string, parentRefs: any[], hostnames: string[] = ['shop.example.com'], backendRefs: any[] = [{ name: 'web', port: 80 }]) =>
  ({ apiVersion: G, kind: 'HTTPRoute', metadata: { name: 'shop', namespace }, spec: { parentRefs, hostnames, rules: [{ backendRefs }] } });
const selector = (labels: any) => ({ namespaces: { from: 'Selector', selector: { matchLabels: labels } } });

describe('NET021 gateway-parent-ref-not-found', () => {
  test('compliant: a parentRef to a Gateway and listener of the input', () => {
    expect(messages(gatewayParentRefNotFound, ns('edge'), gateway([https('https', 'shop.example.com')]), route('edge', [{ name: 'edge', sectionName: 'https' }]))).toEqual([]);
  });
  test('non-compliant: no such Gateway in a namespace the input has; no such listener', () => {
    expect(messages(gatewayParentRefNotFound, ns('edge'), ns('shop'), gateway([https('https', 'shop.example.com')]),
      route('shop', [{ name: 'public', namespace: 'edge' }, { name: 'edge', namespace: 'edge', sectionName: 'http' }]))).toEqual([
      'spec.parentRefs[0] names Gateway edge/public, which is not in the manifests; create it, fix the name, or attach to a Gateway that exists.',
      'spec.parentRefs[1].sectionName "http" names no listener of Gateway edge/edge; use one of its listener names.',
    ]);
  });
  test('not applicable: a Gateway in a namespace the input does not contain (the platform\'s, declared elsewhere)', () => {
    expect(messages(gatewayParentRefNotFound, route('shop', [{ name: 'public', namespace: 'infra' }]))).toEqual([]);
  });
});

describe('NET022 gateway-listener-does-not-admit-route', () => {
  test('compliant: Same namespace; a Selector matching the namespace labels; kubernetes.io/metadata.name', () => {
    expect(messages(gatewayListenerDoesNotAdmitRoute, gateway([https('https', undefined)]), route('edge', [{ name: 'edge' }]))).toEqual([]);
    expect(messages(gatewayListenerDoesNotAdmitRoute, ns('shop', { edge: 'yes' }), gateway([https('https', undefined, selector({ edge: 'yes' }))]),
      route('shop', [{ name: 'edge', namespace: 'edge' }]))).toEqual([]);
    expect(messages(gatewayListenerDoesNotAdmitRoute, gateway([https('https', undefined, selector({ 'kubernetes.io/metadata.name': 'shop' }))]),
      route('shop', [{ name: 'edge', namespace: 'edge' }]))).toEqual([]);
  });
  test('non-compliant: the default (Same) from another namespace; a Selector the namespace does not match; a kind not allowed', () => {
    expect(messages(gatewayListenerDoesNotAdmitRoute, ns('shop'), gateway([{ ...https('https', undefined), allowedRoutes: undefined }]),
      route('shop', [{ name: 'edge', namespace: 'edge', sectionName: 'https' }]))).toEqual([
      'Gateway edge/edge: listener https does not admit HTTPRoutes from namespace shop (allowedRoutes); admit the namespace on the Gateway (from: Selector, or its labels) or attach to a listener that does.',
    ]);
    expect(messages(gatewayListenerDoesNotAdmitRoute, ns('shop', { edge: 'no' }), gateway([https('https', undefined, selector({ edge: 'yes' }))]),
      route('shop', [{ name: 'edge', namespace: 'edge' }]))).toHaveLength(1);
    expect(messages(gatewayListenerDoesNotAdmitRoute, gateway([https('https', undefined, { namespaces: { from: 'All' }, kinds: [{ kind: 'GRPCRoute' }] })]),
      route('shop', [{ name: 'edge', namespace: 'edge' }]))).toHaveLength(1);
  });
});

describe('NET023 gateway-route-hostname-no-listener', () => {
  test('compliant: exact, wildcard and absent hostnames intersect', () => {
    expect(messages(gatewayRouteHostnameNoListener, gateway([https('a', '*.example.com')]), route('edge', [{ name: 'edge' }]))).toEqual([]);
    expect(messages(gatewayRouteHostnameNoListener, gateway([https('a', undefined)]), route('edge', [{ name: 'edge' }], ['x.example.org']))).toEqual([]);
  });
  test('non-compliant: no listener hostname intersects the route hostnames', () => {
    expect(messages(gatewayRouteHostnameNoListener, gateway([https('a', '*.example.com')]), route('edge', [{ name: 'edge', sectionName: 'a' }], ['shop.example.org']))).toEqual([
      'spec.hostnames shop.example.org intersect no hostname of Gateway edge/edge listener a (*.example.com); route a host the listener serves, or add a listener for it.',
    ]);
  });
});

describe('NET024 gateway-reference-grant-missing', () => {
  const crossRoute = route('shop', [{ name: 'edge', namespace: 'edge' }], ['shop.example.com'], [{ name: 'blog', namespace: 'blog', port: 80 }]);
  const grant = (to: any) => ({
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: { name: 'g', namespace: 'blog' },
    spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }], to: [to] },
  });
  test('compliant: a ReferenceGrant for the Service (or every Service) in its namespace', () => {
    expect(messages(gatewayReferenceGrantMissing, ns('blog'), crossRoute, grant({ group: '', kind: 'Service', name: 'blog' }))).toEqual([]);
    expect(messages(gatewayReferenceGrantMissing, ns('blog'), crossRoute, grant({ group: '', kind: 'Service' }))).toEqual([]);
  });
  test('non-compliant: no grant, or a grant for another Service; a certificate Secret in another namespace', () => {
    expect(messages(gatewayReferenceGrantMissing, ns('blog'), crossRoute, grant({ group: '', kind: 'Service', name: 'other' }))).toEqual([
      'spec.rules[0].backendRefs[0] names Service blog/blog, but no ReferenceGrant in blog lets HTTPRoutes of shop refer to it; add one there (from HTTPRoute in shop, to Service blog).',
    ]);
    expect(messages(gatewayReferenceGrantMissing, ns('certs'), gateway([https('a', 'x.example.com', undefined, [{ kind: 'Secret', name: 'wild', namespace: 'certs' }])]))).toHaveLength(1);
  });
  test('not applicable: a namespace the input does not contain', () => {
    expect(messages(gatewayReferenceGrantMissing, crossRoute)).toEqual([]);
  });
});

describe('NET025 gateway-listener-without-certificate', () => {
  test('non-compliant: an HTTPS listener without certificateRefs; compliant: with one, and TLS passthrough', () => {
    expect(messages(gatewayListenerWithoutCertificate, gateway([https('a', 'x.example.com', undefined, [])]))).toEqual([
      'spec.listeners[0] (a) terminates TLS but names no certificate; add tls.certificateRefs with the Secret of its hosts\' certificate.',
    ]);
    expect(messages(gatewayListenerWithoutCertificate, gateway([https('a', 'x.example.com'), { name: 'p', port: 8443, protocol: 'TLS', tls: { mode: 'Passthrough' } }]))).toEqual([]);
  });
});

describe('the Gateway API rules run at synth and in check', () => {
  test('a hand-written route to a listener that does not admit it fails the synth with NET022', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
    new ApiObject(chart, 'ns', ns('shop'));
    new ApiObject(chart, 'ns2', ns('edge'));
    // A SharedGateway that admits routes of its own namespace only, and a hand-written route from shop.
    new SharedGateway(chart, 'Edge', {
      namespace: NamespaceRef.named('edge'),
      implementation: GatewayImplementation.envoyGateway(),
      hosts: ['shop.example.com'],
      certificate: TlsCertificate.secret('edge-tls'),
    });
    new ApiObject(chart, 'r', route('shop', [{ name: 'edge', namespace: 'edge', sectionName: 'https.shop.example.com' }], ['shop.example.com'], []));
    AppValidation.of(app).include(chart);
    expect(() => app.synth()).toThrow(/NET022/);
  });

  test('checkManifests (cdk8s-net check) reports the same findings', () => {
    const findings = checkManifests(src(ns('shop'), ns('edge'), gateway([https('https', 'shop.example.com')]), route('shop', [{ name: 'edge', namespace: 'edge' }], ['shop.example.com'], [])), { allRules: true });
    expect(findings.map((f) => f.ruleId)).toContain('NET022');
  });
});
