/*
 * A TlsGateway on Istio's Gateway API implementation in front of workloads of an Istio mesh. Istio deploys the gateway's
 * pods with the ServiceAccount `<gateway>-<gatewayClassName>` (istio/istio pilot/pkg/config/kube/gateway/
 * deploymentcontroller.go, configureIstioGateway: `gatewaySA := defaultName`, getDefaultName = "%v-%v" of the Gateway name
 * and its class), and they talk mTLS with that identity: the backends' AuthorizationPolicy must admit
 * `<trust domain>/ns/<gateway namespace>/sa/<gateway>-<class>`. Before, the synth failed ("labels name no mesh identity").
 */
import { GatewayImplementation, IngressBackend, TlsCertificate, TlsGateway } from '../../src/ingress';
import { MeshDataplaneMode, MeshMtlsMode, ServiceMesh } from '../../src/mesh';
import { meshShop } from '../mesh/helpers';
import { errorOf } from '../util/bad-input';
import { one, synth } from '../util/synth';

function gateway(mesh: ServiceMesh, implementation: GatewayImplementation) {
  const shop = meshShop(mesh);
  new TlsGateway(shop.chart, 'Public', {
    namespace: shop.ns,
    implementation,
    certificate: TlsCertificate.secret('shop-tls'),
    rules: [
      { host: 'shop.example.com', path: '/api', backend: IngressBackend.fromSecureService(shop.api, 'http') },
      { host: 'shop.example.com', backend: IngressBackend.fromSecureService(shop.web) },
    ],
  });
  return shop;
}

describe('an Istio gateway in front of an Istio mesh', () => {
  test("the backends' AuthorizationPolicies admit the gateway's identity on the routed pod port", () => {
    const objects = synth(gateway(ServiceMesh.istio(), GatewayImplementation.istio()).chart);
    const gatewayRule = { from: [{ source: { principals: ['cluster.local/ns/shop/sa/public-istio'] } }], to: [{ operation: { ports: ['8080'] } }] };
    expect(one(objects, 'AuthorizationPolicy', 'api').spec.rules).toContainEqual(gatewayRule);
    expect(one(objects, 'AuthorizationPolicy', 'web').spec.rules).toContainEqual(gatewayRule);
    // The NetworkPolicy side is unchanged: the gateway pods by their gateway-name label.
    expect(one(objects, 'NetworkPolicy', 'api').spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
  });

  test('the class name and the trust domain are part of the identity', () => {
    const objects = synth(gateway(ServiceMesh.istio({ trustDomain: 'prod.example' }), GatewayImplementation.istio({ className: 'istio-edge' })).chart);
    expect(one(objects, 'AuthorizationPolicy', 'api').spec.rules).toContainEqual(
      { from: [{ source: { principals: ['prod.example/ns/shop/sa/public-istio-edge'] } }], to: [{ operation: { ports: ['8080'] } }] });
  });

  test('in ambient mode too: ztunnel authorizes the same principal, and the gateway pods may send HBONE (TCP 15008) to the backends', () => {
    // istio.io/latest/docs/ambient/usage/networkpolicy: ambient traffic between pods is HBONE on port 15008 of the destination pod.
    const mesh = ServiceMesh.istio({ dataplaneMode: MeshDataplaneMode.AMBIENT, mtls: MeshMtlsMode.STRICT });
    const objects = synth(gateway(mesh, GatewayImplementation.istio()).chart);
    expect(JSON.stringify(one(objects, 'AuthorizationPolicy', 'api').spec.rules)).toContain('cluster.local/ns/shop/sa/public-istio');
    expect(one(objects, 'NetworkPolicy', 'public-data-plane').spec.egress).toContainEqual({
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }],
      ports: [{ port: 'http', protocol: 'TCP' }, { port: 15008, protocol: 'TCP' }],
    });
  });

  test('a Linkerd mesh does not trust the Istio gateway: refused, naming the backend, the gateway and the reason', () => {
    expect(errorOf(() => gateway(ServiceMesh.linkerd(), GatewayImplementation.istio()))).toMatch(
      /^test\/Api: SecureService.mesh: ingress from shop\/gateway.networking.k8s.io\/gateway-name=public cannot be authorized by Linkerd: it is the data plane of an Istio gateway \(identity public-istio in shop\), whose identities Linkerd \(linkerd\) does not trust/);
  });
});
