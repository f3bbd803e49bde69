/**
 * Proof: every annotation key a profile renders (on the Ingress or on a backend Service) is listed
 * here with the controller document that defines it (repository and file or page, at the release
 * checked) and the format of its value; each rendered value is checked against that format. A key
 * rendered without an entry fails this test, so no key reaches a controller unchecked.
 */
import { render, shop } from './helpers';
import { AlbIpAddressType, AlbScheme, BackendProtocol, IngressBackend, IngressController, TlsCertificate, TlsIngress, TlsIngressProps } from '../../src/ingress';
import { synth } from '../util/synth';

const INX = 'kubernetes/ingress-nginx docs/user-guide/nginx-configuration/annotations.md @ controller-v1.15.1';
const F5 = 'nginx/kubernetes-ingress internal/configs/annotations.go @ v5.5.4';
const HAP = 'haproxytech/kubernetes-ingress documentation/annotations.md @ v3.2.11';
const ALB = 'kubernetes-sigs/aws-load-balancer-controller pkg/annotations/constants.go and docs/guide/ingress/annotations.md @ v3.5.0';
const TRAEFIK = 'traefik/traefik docs/content/reference/routing-configuration/kubernetes/ingress.md @ v3.7.9';
const GKE = 'cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration (ingress-gce v1.41.1)';

const BOOL = /^(true|false)$/;
const INT = /^\d+$/;
const CIDRS = /^[0-9a-f.:/]+(,\s?[0-9a-f.:/]+)*$/;
const SECONDS = /^\d+s$/;
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const JSON_VALUE = { test: (v: string) => { try { JSON.parse(v); return true; } catch { return false; } } } as unknown as RegExp;

/** Each key: where it is defined (document, release) and the format of its value. */
const KEYS: { [key: string]: [string, RegExp] } = {
  // Every profile (policy tools; ingress-gce reads it) and cert-manager's ingress-shim.
  'kubernetes.io/ingress.allow-http': [GKE, BOOL],
  'cert-manager.io/cluster-issuer': ['cert-manager/cert-manager docs: ingress-shim annotations @ v1.21.1', NAME],
  // ingress-nginx
  'nginx.ingress.kubernetes.io/ssl-redirect': [INX, BOOL],
  'nginx.ingress.kubernetes.io/limit-rps': [INX, INT],
  'nginx.ingress.kubernetes.io/limit-burst-multiplier': [INX, INT],
  'nginx.ingress.kubernetes.io/limit-connections': [INX, INT],
  'nginx.ingress.kubernetes.io/proxy-connect-timeout': [`${INX} (seconds, no unit)`, INT],
  'nginx.ingress.kubernetes.io/proxy-read-timeout': [`${INX} (seconds, no unit)`, INT],
  'nginx.ingress.kubernetes.io/proxy-send-timeout': [`${INX} (seconds, no unit)`, INT],
  'nginx.ingress.kubernetes.io/proxy-body-size': [`${INX} (nginx size)`, /^\d+[km]?$/],
  'nginx.ingress.kubernetes.io/allowlist-source-range': ['kubernetes/ingress-nginx internal/ingress/annotations/ipallowlist/main.go @ controller-v1.9.1 (comma-separated CIDRs)', CIDRS],
  'nginx.ingress.kubernetes.io/whitelist-source-range': [`${INX} (comma-separated CIDRs; read before 1.9.1)`, CIDRS],
  'nginx.ingress.kubernetes.io/auth-type': [INX, /^basic$/],
  'nginx.ingress.kubernetes.io/auth-secret': [INX, NAME],
  'nginx.ingress.kubernetes.io/auth-url': [INX, /^https?:\/\/\S+$/],
  'nginx.ingress.kubernetes.io/backend-protocol': [INX, /^(HTTP|HTTPS|GRPC)$/],
  'nginx.ingress.kubernetes.io/enable-cors': [INX, BOOL],
  'nginx.ingress.kubernetes.io/cors-allow-origin': [`${INX} (comma-separated origins)`, /^(\*|https?:\/\/[^,\s]+(, https?:\/\/[^,\s]+)*)$/],
  'nginx.ingress.kubernetes.io/cors-allow-methods': [INX, /^[A-Z]+(, [A-Z]+)*$/],
  'nginx.ingress.kubernetes.io/cors-allow-headers': [INX, /^[A-Za-z0-9-]+(, [A-Za-z0-9-]+)*$/],
  'nginx.ingress.kubernetes.io/cors-allow-credentials': [INX, BOOL],
  'nginx.ingress.kubernetes.io/cors-max-age': [`${INX} (seconds)`, INT],
  'nginx.ingress.kubernetes.io/canary': [INX, BOOL],
  'nginx.ingress.kubernetes.io/canary-weight': [`${INX} (0-100)`, INT],
  'nginx.ingress.kubernetes.io/canary-by-header': [INX, /^[A-Za-z0-9-]+$/],
  'nginx.ingress.kubernetes.io/canary-by-header-value': [INX, /^[A-Za-z0-9._~-]+$/],
  // F5 NGINX
  'nginx.org/ssl-redirect': [`${F5} (SSLRedirectAnnotation, from v5.4.0)`, BOOL],
  'ingress.kubernetes.io/ssl-redirect': [`${F5} (legacy key, read when nginx.org/ssl-redirect is absent)`, BOOL],
  'nginx.org/hsts': [F5, BOOL],
  'nginx.org/hsts-max-age': [`${F5} (int64 seconds)`, INT],
  'nginx.org/hsts-include-subdomains': [F5, BOOL],
  'nginx.org/limit-req-rate': [`${F5} (nginx rate, from v3.5.0)`, /^\d+r\/s$/],
  'nginx.org/limit-req-burst': [`${F5} (from v3.5.0)`, INT],
  'nginx.org/limit-req-scale': [`${F5} (from v3.6.0)`, BOOL],
  'nginx.org/proxy-connect-timeout': [`${F5} (nginx time)`, SECONDS],
  'nginx.org/proxy-read-timeout': [`${F5} (nginx time)`, SECONDS],
  'nginx.org/proxy-send-timeout': [`${F5} (nginx time)`, SECONDS],
  'nginx.org/client-max-body-size': [`${F5} (nginx size)`, /^\d+[km]?$/],
  'nginx.org/basic-auth-secret': [`${F5} (from v2.3.0)`, NAME],
  'nginx.org/ssl-services': [`${F5} (comma-separated Service names)`, /^[a-z0-9-]+(,[a-z0-9-]+)*$/],
  'nginx.org/grpc-services': [`${F5} (comma-separated Service names)`, /^[a-z0-9-]+(,[a-z0-9-]+)*$/],
  'nginx.org/policies': [`${F5} (PoliciesAnnotation, from v5.4.0; comma-separated Policy names)`, /^[a-z0-9-]+(,[a-z0-9-]+)*$/],
  // HAProxy
  'haproxy.org/ssl-redirect': [HAP, BOOL],
  'haproxy.org/ssl-redirect-code': [`${HAP} (301, 302 or 303)`, /^30[123]$/],
  'haproxy.org/ssl-redirect-port': [HAP, INT],
  'haproxy.org/response-set-header': [`${HAP} (one header per line: name "value")`, /^Strict-Transport-Security "max-age=\d+(; includeSubDomains)?(; preload)?"$/],
  'haproxy.org/rate-limit-requests': [HAP, INT],
  'haproxy.org/rate-limit-period': [`${HAP} (time: number + ms/s/m/h/d, pkg/utils/utils.go ParseTime)`, /^\d+ms$/],
  'haproxy.org/rate-limit-status-code': [HAP, /^429$/],
  'haproxy.org/timeout-server': [`${HAP} (time; per Ingress from v1.11.0)`, SECONDS],
  'haproxy.org/allow-list': [`${HAP} (IPs/CIDRs, comma-separated; from v1.11.0)`, CIDRS],
  'haproxy.org/whitelist': [`${HAP} (deprecated name of allow-list, read before v1.11.0)`, CIDRS],
  'haproxy.org/auth-type': [HAP, /^basic-auth$/],
  'haproxy.org/auth-secret': [`${HAP} (namespace/name or name)`, NAME],
  'haproxy.org/server-ssl': [HAP, BOOL],
  'haproxy.org/server-proto': [HAP, /^h2$/],
  'haproxy.org/cors-enable': [HAP, BOOL],
  'haproxy.org/cors-allow-origin': [`${HAP} ("*" or a regular expression)`, /^(\*|\^https?:\/\/[a-z0-9\\.-]+(:\d+)?\$)$/],
  'haproxy.org/cors-allow-methods': [HAP, /^[A-Z]+(, [A-Z]+)*$/],
  'haproxy.org/cors-allow-headers': [HAP, /^[A-Za-z0-9-]+(, [A-Za-z0-9-]+)*$/],
  'haproxy.org/cors-allow-credentials': [HAP, BOOL],
  'haproxy.org/cors-max-age': [`${HAP} (time)`, SECONDS],
  'haproxy.org/cors-respond-to-options': ['haproxytech/kubernetes-ingress pkg/annotations/annotations.go and pkg/annotations/ingress/resSetCORS.go @ v3.2.0', BOOL],
  // AWS Load Balancer Controller
  'alb.ingress.kubernetes.io/scheme': [ALB, /^(internal|internet-facing)$/],
  'alb.ingress.kubernetes.io/target-type': [ALB, /^ip$/],
  'alb.ingress.kubernetes.io/ssl-policy': [ALB, /^ELBSecurityPolicy-[A-Za-z0-9-]+$/],
  'alb.ingress.kubernetes.io/group.name': [ALB, NAME],
  'alb.ingress.kubernetes.io/group.order': [`${ALB} (-1000..1000)`, /^-?\d+$/],
  'alb.ingress.kubernetes.io/wafv2-acl-arn': [ALB, /^arn:aws[a-z-]*:wafv2:/],
  'alb.ingress.kubernetes.io/ip-address-type': [ALB, /^(ipv4|dualstack)$/],
  'alb.ingress.kubernetes.io/certificate-arn': [`${ALB} (comma-separated ARNs)`, /^arn:aws[a-z-]*:acm:\S+$/],
  'alb.ingress.kubernetes.io/listen-ports': [`${ALB} (JSON list)`, JSON_VALUE],
  'alb.ingress.kubernetes.io/ssl-redirect': [`${ALB} (port, from v2.2.0)`, /^443$/],
  'alb.ingress.kubernetes.io/listener-attributes.HTTPS-443': [`${ALB} (key=value, from v2.9.0; pkg/annotations/parser.go ParseStringMapAnnotation splits on commas only and keeps a value's inner spaces)`, /^routing\.http\.response\.strict_transport_security\.header_value=max-age=\d+(; includeSubDomains)?(; preload)?$/],
  'alb.ingress.kubernetes.io/inbound-cidrs': [ALB, CIDRS],
  'alb.ingress.kubernetes.io/backend-protocol': [ALB, /^(HTTP|HTTPS)$/],
  'alb.ingress.kubernetes.io/backend-protocol-version': [`${ALB} (from v2.1.0)`, /^GRPC$/],
  'alb.ingress.kubernetes.io/actions.canary-0': [`${ALB} (actions.\${action-name}: JSON, advanced forward schema)`, JSON_VALUE],
  'alb.ingress.kubernetes.io/conditions.canary-0': [`${ALB} (conditions.\${conditions-name}: JSON list)`, JSON_VALUE],
  'ignore-check.cdk8s-net.io/ingress-without-tls': ['this library: src/analysis/check.ts IGNORE_ANNOTATION_PREFIX (the reason, for the Traefik redirect Ingress)', /\S/],
  'ignore-check.cdk8s-net.io/ingress-route-claimed-twice': ['this library: src/analysis/check.ts IGNORE_ANNOTATION_PREFIX (the reason, for NET017)', /\S/],
  // Traefik (Ingress and backend Service)
  'traefik.ingress.kubernetes.io/router.entrypoints': [TRAEFIK, /^[A-Za-z0-9_-]+$/],
  'traefik.ingress.kubernetes.io/router.tls': [TRAEFIK, BOOL],
  'traefik.ingress.kubernetes.io/router.middlewares': [`${TRAEFIK} (comma-separated <namespace>-<name>@kubernetescrd)`, /^[a-z0-9-]+@kubernetescrd(,[a-z0-9-]+@kubernetescrd)*$/],
  'traefik.ingress.kubernetes.io/service.serverstransport': [`${TRAEFIK} (<namespace>-<name>@kubernetescrd)`, /^[a-z0-9-]+@kubernetescrd$/],
  'traefik.ingress.kubernetes.io/service.serversscheme': [TRAEFIK, /^(http|https|h2c)$/],
  'polaris.fairwinds.com/tlsSettingsMissing-exempt': ['FairwindsOps/polaris docs: exemptions by annotation', BOOL],
  // GKE (Ingress and backend Service)
  'kubernetes.io/ingress.class': [GKE, /^gce(-internal)?$/],
  'kubernetes.io/ingress.global-static-ip-name': [GKE, NAME],
  'networking.gke.io/managed-certificates': [GKE, NAME],
  'networking.gke.io/v1beta1.FrontendConfig': [GKE, NAME],
  'cloud.google.com/neg': [`${GKE} (JSON)`, JSON_VALUE],
  'cloud.google.com/backend-config': [`${GKE} (JSON)`, JSON_VALUE],
  'cloud.google.com/app-protocols': [`${GKE} (JSON: port name -> HTTP, HTTPS or HTTP2)`, JSON_VALUE],
};

const CANARY = (extra: object) => ({ certificate: undefined, canary: { primary: { ingressName: 'main', ingressNamespace: 'shop', routes: ['shop.example.com/api', 'shop.example.com/'] }, ...extra } });
const AUTH = 'http://auth.identity.svc.cluster.local:4180/verify';

/** Renders of every option each profile renders, old releases included. */
const RENDERS: Array<[string, () => IngressController, Partial<TlsIngressProps>]> = [
  ['ingress-nginx', () => IngressController.ingressNginx(), {
    rateLimit: { requestsPerSecond: 20, burst: 40, connections: 10 },
    timeouts: { connectSeconds: 5, readSeconds: 60, sendSeconds: 30 },
    maxRequestBodyBytes: 8 * 1024 * 1024,
    allowSourceRanges: ['203.0.113.0/24'],
    basicAuthSecret: 'users',
    backendProtocol: BackendProtocol.GRPC,
    cors: { allowOrigins: ['https://app.example.com'], maxAgeSeconds: 60 },
  }],
  ['ingress-nginx: external auth', () => IngressController.ingressNginx(), { externalAuthUrl: AUTH }],
  ['ingress-nginx 1.9', () => IngressController.ingressNginx({ version: '1.9' }), { allowSourceRanges: ['203.0.113.0/24'] }],
  ['ingress-nginx canary', () => IngressController.ingressNginx(), CANARY({ weightPercent: 10, header: 'X-Canary', headerValue: 'always' })],
  ['F5 NGINX', () => IngressController.nginxInc(), {
    rateLimit: { requestsPerSecond: 20, burst: 40 },
    timeouts: { connectSeconds: 5, readSeconds: 60, sendSeconds: 30 },
    maxRequestBodyBytes: 1024,
    basicAuthSecret: 'users',
    backendProtocol: BackendProtocol.HTTPS,
    allowSourceRanges: ['203.0.113.0/24'],
    cors: { allowOrigins: ['*'] },
  }],
  ['F5 NGINX: gRPC, external auth', () => IngressController.nginxInc(), { backendProtocol: BackendProtocol.GRPC, externalAuthUrl: AUTH }],
  ['F5 NGINX 5.3', () => IngressController.nginxInc({ version: '5.3' }), {}],
  ['HAProxy', () => IngressController.haproxy(), {
    rateLimit: { requestsPerSecond: 20 },
    timeouts: { readSeconds: 60 },
    allowSourceRanges: ['203.0.113.0/24'],
    basicAuthSecret: 'users',
    backendProtocol: BackendProtocol.GRPC,
    cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true, maxAgeSeconds: 60 },
  }],
  ['HAProxy: HTTPS backends', () => IngressController.haproxy(), { backendProtocol: BackendProtocol.HTTPS }],
  ['HAProxy 1.10', () => IngressController.haproxy({ version: '1.10' }), { allowSourceRanges: ['203.0.113.0/24'] }],
  ['ALB', () => IngressController.awsAlb({
    vpcCidrs: ['10.0.0.0/16'],
    scheme: AlbScheme.INTERNET_FACING,
    groupName: 'public',
    ipAddressType: AlbIpAddressType.DUALSTACK,
    wafAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/0123abcd-0123-4567-89ab-0123456789ab',
  }), { allowSourceRanges: ['203.0.113.0/24'], backendProtocol: BackendProtocol.HTTPS, certificate: TlsCertificate.acm(['arn:aws:acm:eu-west-1:123456789012:certificate/abc']) }],
  ['ALB: gRPC', () => IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'] }), { backendProtocol: BackendProtocol.GRPC }],
  ['Traefik', () => IngressController.traefik(), { timeouts: { connectSeconds: 5 }, backendProtocol: BackendProtocol.HTTPS, rateLimit: { requestsPerSecond: 5 } }],
  ['GKE', () => IngressController.gce({ staticIpName: 'shop-ip', sslPolicy: 'modern' }), { backendProtocol: BackendProtocol.HTTPS, timeouts: { responseSeconds: 30 } }],
  ['GKE: managed certificate, no redirect', () => IngressController.gce(), { sslRedirect: false, certificate: TlsCertificate.gkeManaged() }],
];

function annotationsOf(objects: any[]): Array<[string, string, string]> {
  return objects.filter((o) => o.kind === 'Ingress' || o.kind === 'Service')
    .flatMap((o) => Object.entries<string>(o.metadata.annotations ?? {}).map(([k, v]): [string, string, string] => [`${o.kind}/${o.metadata.name}`, k, v]));
}

describe('every rendered key is defined by the controller document listed here, and its value has the documented format', () => {
  test.each(RENDERS)('%s', (_n, controller, props) => {
    for (const [where, key, value] of annotationsOf(render(controller(), props).objects)) {
      const entry = KEYS[key];
      expect([where, key, entry ? 'listed' : 'not listed']).toEqual([where, key, 'listed']);
      expect([where, key, value, entry[1].test(value)]).toEqual([where, key, value, true]);
    }
  });

  test('the ALB canary keys', () => {
    const s = shop();
    const alb = () => IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'], groupName: 'public' });
    const primary = new TlsIngress(s.chart, 'Main', {
      namespace: s.ns, controller: alb(), certificate: TlsCertificate.acm(), rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.api, 'http') }],
    });
    new TlsIngress(s.chart, 'Canary', {
      namespace: s.ns, controller: alb(), canary: { primary, header: 'X-Canary' }, rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(s.web) }],
    });
    for (const [where, key, value] of annotationsOf(synth(s.chart))) {
      expect([where, key, KEYS[key] !== undefined && KEYS[key][1].test(value)]).toEqual([where, key, true]);
    }
  });
});
