/**
 * No silent overrides: a raw annotation that the controller reads for a setting the profile
 * rendered, or that switches that setting off or around, is refused with a message naming the
 * key, what it would undo and the option to use; `dangerouslyAllowUnsafeAnnotations` lets it
 * through with a warning. Keys a profile renders itself are never overridable.
 */
import { errorOf, render, shop } from './helpers';
import { AlbScheme, IngressBackend, IngressController, TlsCertificate, TlsIngress, TlsIngressProps } from '../../src/ingress';

const alb = (groupName?: string) => IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'], scheme: AlbScheme.INTERNET_FACING, groupName });
const OPT_IN = 'or set TlsIngress.dangerouslyAllowUnsafeAnnotations to true if you accept the risk.';
const undo = (key: string, why: string, setting: string, instead: string, rendered: string) =>
  `test/Public: TlsIngress.annotations sets "${key}": ${why}, which would undo ${setting} the profile renders from ${instead} (${rendered}); use ${instead} instead, ${OPT_IN}`;

type Row = [string, () => IngressController, Partial<TlsIngressProps>, string, string];

describe('raw annotations that would undo a rendered security option are refused, for every profile', () => {
  test.each<Row>([
    // kubernetes/ingress-nginx @ controller-v1.15.1 internal/ingress/annotations/rewrite/main.go: force-ssl-redirect (bool) beside ssl-redirect.
    ['ingress-nginx force-ssl-redirect', () => IngressController.ingressNginx(), {}, 'nginx.ingress.kubernetes.io/force-ssl-redirect',
      undo('nginx.ingress.kubernetes.io/force-ssl-redirect', 'ingress-nginx reads it beside ssl-redirect for the same redirect', 'the HTTP-to-HTTPS redirect', 'TlsIngress.sslRedirect', 'nginx.ingress.kubernetes.io/ssl-redirect')],
    // ipallowlist/main.go @ controller-v1.15.1: allowlist-source-range with AnnotationAliases ["whitelist-source-range"] (comma-separated CIDRs).
    ['ingress-nginx whitelist-source-range', () => IngressController.ingressNginx(), { allowSourceRanges: ['203.0.113.0/24'] }, 'nginx.ingress.kubernetes.io/whitelist-source-range',
      undo('nginx.ingress.kubernetes.io/whitelist-source-range', 'ingress-nginx reads it as an alias of allowlist-source-range', 'the source allow list', 'TlsIngress.allowSourceRanges', 'nginx.ingress.kubernetes.io/allowlist-source-range')],
    ['ingress-nginx 1.9.0: allowlist-source-range beside the rendered whitelist', () => IngressController.ingressNginx({ version: '1.9' }), { allowSourceRanges: ['203.0.113.0/24'] }, 'nginx.ingress.kubernetes.io/allowlist-source-range',
      undo('nginx.ingress.kubernetes.io/allowlist-source-range', 'ingress-nginx reads it as the source allow list', 'the source allow list', 'TlsIngress.allowSourceRanges', 'nginx.ingress.kubernetes.io/whitelist-source-range')],
    // satisfy/main.go @ controller-v1.15.1: "any" or "all" authentication requirements.
    ['ingress-nginx satisfy', () => IngressController.ingressNginx(), { basicAuthSecret: 'users' }, 'nginx.ingress.kubernetes.io/satisfy',
      undo('nginx.ingress.kubernetes.io/satisfy', '"any" admits a request that either the allow list or authentication admits', 'the authentication', 'TlsIngress.basicAuthSecret or TlsIngress.externalAuthUrl', 'nginx.ingress.kubernetes.io/auth-type')],
    // ratelimit/main.go @ controller-v1.15.1: limit-allowlist ("CIDR/IP addresses that will not be rate-limited"), limit-whitelist its alias.
    ['ingress-nginx limit-whitelist', () => IngressController.ingressNginx(), { rateLimit: { requestsPerSecond: 10 } }, 'nginx.ingress.kubernetes.io/limit-whitelist',
      undo('nginx.ingress.kubernetes.io/limit-whitelist', 'it exempts the listed clients from the rate limit (alias of limit-allowlist)', 'the rate limit', 'TlsIngress.rateLimit', 'nginx.ingress.kubernetes.io/limit-rps')],
    // nginx/kubernetes-ingress @ v5.5.4 internal/configs/annotations.go: nginx.org/ssl-redirect first, else ingress.kubernetes.io/ssl-redirect (bool).
    ['F5 NGINX legacy ssl-redirect', () => IngressController.nginxInc(), {}, 'ingress.kubernetes.io/ssl-redirect',
      undo('ingress.kubernetes.io/ssl-redirect', 'F5 NGINX reads this legacy key for the same redirect', 'the HTTP-to-HTTPS redirect', 'TlsIngress.sslRedirect', 'nginx.org/ssl-redirect')],
    ['F5 NGINX 5.3: nginx.org/ssl-redirect beside the rendered legacy key', () => IngressController.nginxInc({ version: '5.3' }), {}, 'nginx.org/ssl-redirect',
      undo('nginx.org/ssl-redirect', 'F5 NGINX reads it for the redirect from 5.4 on, before the legacy key', 'the HTTP-to-HTTPS redirect', 'TlsIngress.sslRedirect', 'ingress.kubernetes.io/ssl-redirect')],
    // internal/configs/version1/nginx.ingress.tmpl @ v5.5.4: with HSTSBehindProxy the header depends on $http_x_forwarded_proto.
    ['F5 NGINX hsts-behind-proxy', () => IngressController.nginxInc(), {}, 'nginx.org/hsts-behind-proxy',
      undo('nginx.org/hsts-behind-proxy', 'it sends the header only when the request carries X-Forwarded-Proto: https, so clients that connect directly get none', 'HSTS', 'TlsIngress.hsts', 'nginx.org/hsts')],
    // annotations.go @ v5.5.4: limit-req-dry-run (bool), limit-req-key (nginx variable, default ${binary_remote_addr}).
    ['F5 NGINX limit-req-dry-run', () => IngressController.nginxInc(), { rateLimit: { requestsPerSecond: 10 } }, 'nginx.org/limit-req-dry-run',
      undo('nginx.org/limit-req-dry-run', 'it only logs requests above the limit and lets them through', 'the rate limit', 'TlsIngress.rateLimit', 'nginx.org/limit-req-rate')],
    // internal/configs/ingress.go @ v5.5.4 getIngressPolicyRefs: nginx.org/policies then nginx.com/policies, merged (accessControl allow lists append).
    ['F5 NGINX nginx.com/policies beside the rendered nginx.org/policies', () => IngressController.nginxInc(), { allowSourceRanges: ['203.0.113.0/24'] }, 'nginx.com/policies',
      undo('nginx.com/policies', 'F5 NGINX merges its Policies with nginx.org/policies, so it can replace the rendered ones', 'the Policy resources (source ranges, CORS, external auth)',
        'TlsIngress.allowSourceRanges, cors or externalAuthUrl', 'nginx.org/policies')],
    // haproxytech/kubernetes-ingress @ v3.2.11 documentation/annotations.md: whitelist (deprecated, use allow-list), src-ip-header (v1.8.0),
    // rate-limit-whitelist (v3.2.5: "IPs in the whitelist will never be rate limited"); all three prefixes are one annotation.
    ['HAProxy whitelist', () => IngressController.haproxy(), { allowSourceRanges: ['203.0.113.0/24'] }, 'haproxy.com/whitelist',
      undo('haproxy.com/whitelist', 'HAProxy reads it as the deprecated name of allow-list', 'the source allow list', 'TlsIngress.allowSourceRanges', 'haproxy.org/allow-list')],
    ['HAProxy src-ip-header', () => IngressController.haproxy(), { allowSourceRanges: ['203.0.113.0/24'] }, 'ingress.kubernetes.io/src-ip-header',
      undo('ingress.kubernetes.io/src-ip-header', 'it takes the client address from a request header the client can forge', 'the source allow list', 'TlsIngress.allowSourceRanges', 'haproxy.org/allow-list')],
    ['HAProxy rate-limit-whitelist', () => IngressController.haproxy(), { rateLimit: { requestsPerSecond: 10 } }, 'haproxy.org/rate-limit-whitelist',
      undo('haproxy.org/rate-limit-whitelist', 'it exempts the listed clients from the rate limit', 'the rate limit', 'TlsIngress.rateLimit', 'haproxy.org/rate-limit-requests')],
    // kubernetes-sigs/aws-load-balancer-controller @ v3.5.0 docs/guide/ingress/annotations.md (security-groups: without it the controller's own
    // security group admits inbound-cidrs), pkg/ingress/model_build_load_balancer.go (any member's security-groups applies to the group).
    ['ALB security-groups', alb, { allowSourceRanges: ['203.0.113.0/24'] }, 'alb.ingress.kubernetes.io/security-groups',
      undo('alb.ingress.kubernetes.io/security-groups', 'it replaces the security group the controller manages, and with it inbound-cidrs, for the whole load balancer', 'the source allow list', 'TlsIngress.allowSourceRanges', 'alb.ingress.kubernetes.io/inbound-cidrs')],
    ['ALB security-group-prefix-lists', alb, { allowSourceRanges: ['203.0.113.0/24'] }, 'alb.ingress.kubernetes.io/security-group-prefix-lists',
      undo('alb.ingress.kubernetes.io/security-group-prefix-lists', 'it admits the prefix lists\' addresses beside inbound-cidrs', 'the source allow list', 'TlsIngress.allowSourceRanges', 'alb.ingress.kubernetes.io/inbound-cidrs')],
  ])('%s', (_n, controller, props, key, message) => {
    expect(errorOf(() => render(controller(), { ...props, annotations: { [key]: 'x' } }))).toBe(message);
  });

  test.each<[string, () => IngressController, string, string, string]>([
    // Keys the profile renders itself: never overridable, and the message names the option they come from.
    // traefik/traefik @ v3.7.9 docs/content/reference/routing-configuration/kubernetes/ingress.md: router.entrypoints, router.tls.
    ['Traefik router.entrypoints', () => IngressController.traefik(), 'traefik.ingress.kubernetes.io/router.entrypoints', 'the IngressController.traefik(...) options', ''],
    ['Traefik router.tls', () => IngressController.traefik(), 'traefik.ingress.kubernetes.io/router.tls', 'the IngressController.traefik(...) options', ''],
    ['ALB listen-ports', () => alb(), 'alb.ingress.kubernetes.io/listen-ports', 'TlsIngress.sslRedirect', ''],
    ['ALB ssl-redirect', () => alb(), 'alb.ingress.kubernetes.io/ssl-redirect', 'TlsIngress.sslRedirect', ''],
    ['F5 NGINX nginx.org/ssl-redirect', () => IngressController.nginxInc(), 'nginx.org/ssl-redirect', 'TlsIngress.sslRedirect', ''],
    ['HAProxy ssl-redirect under its haproxy.com alias', () => IngressController.haproxy(), 'haproxy.com/ssl-redirect', 'TlsIngress.sslRedirect', 'haproxy.org/ssl-redirect'],
  ])('%s (rendered by the profile) is refused even with the opt-in', (_n, controller, key, from, readAs) => {
    const what = readAs ? `which ${controller().displayName} reads as "${readAs}", rendered` : `which the ${controller().displayName} profile renders`;
    const expected = `test/Public: TlsIngress.annotations sets "${key}", ${what} from ${from}; a raw value would override it, so set ${from} instead.`;
    expect(errorOf(() => render(controller(), { annotations: { [key]: 'x' } }))).toBe(expected);
    expect(errorOf(() => render(controller(), { annotations: { [key]: 'x' }, dangerouslyAllowUnsafeAnnotations: true }))).toBe(expected);
  });

  test('the opt-in lets an undoing key through, with a warning that names it', () => {
    const { annotations, ingress } = render(IngressController.nginxInc(), { annotations: { 'nginx.org/hsts-behind-proxy': 'true' }, dangerouslyAllowUnsafeAnnotations: true });
    expect(annotations['nginx.org/hsts-behind-proxy']).toBe('true');
    expect(ingress.node.metadata.filter((m) => m.type === 'warning').map((m) => m.data)).toEqual([
      'TlsIngress.dangerouslyAllowUnsafeAnnotations lets nginx.org/hsts-behind-proxy reach the controller\'s configuration unchecked.',
    ]);
  });

  test('a key that undoes nothing the profile rendered passes (no allow list, no security-groups conflict)', () => {
    expect(render(alb(), { annotations: { 'alb.ingress.kubernetes.io/security-groups': 'sg-0123' } }).annotations['alb.ingress.kubernetes.io/security-groups']).toBe('sg-0123');
    expect(render(IngressController.ingressNginx(), { annotations: { 'nginx.ingress.kubernetes.io/limit-allowlist': '10.0.0.0/8' } })
      .annotations['nginx.ingress.kubernetes.io/limit-allowlist']).toBe('10.0.0.0/8');
  });
});

describe('ALB groupName: the group shares one set of inbound-cidrs, so differing source ranges in one group are refused', () => {
  // kubernetes-sigs/aws-load-balancer-controller @ v3.5.0 pkg/ingress/model_builder.go mergeListenPortConfigs: the members' inbound-cidrs
  // are merged into the shared listener; two different sets fail the whole group ("conflicting inbound-cidrs").
  const two = (first?: string[], second?: string[], group2 = 'public') => () => {
    const s = shop();
    const make = (id: string, host: string, ranges: string[] | undefined, group: string) => new TlsIngress(s.chart, id, {
      namespace: s.ns,
      controller: alb(group),
      certificate: TlsCertificate.acm(),
      allowSourceRanges: ranges,
      rules: [{ host, backend: IngressBackend.fromSecureService(s.web) }],
    });
    make('A', 'a.example.com', first, 'public');
    make('B', 'b.example.com', second, group2);
  };

  test.each<[string, string[] | undefined, string[] | undefined, string]>([
    ['different ranges', ['203.0.113.0/24'], ['198.51.100.0/24'], '[198.51.100.0/24]|[203.0.113.0/24]'],
    ['ranges on one member only', ['203.0.113.0/24'], undefined, 'unset|[203.0.113.0/24]'],
  ])('%s', (_n, first, second, shown) => {
    const [mine, theirs] = shown.split('|');
    expect(errorOf(two(first, second))).toBe(`test/B: TlsIngress.allowSourceRanges is ${mine}, but TlsIngress test/A of the same ALB group "public" has ${theirs}; ` +
      'the Ingresses of a group share one load balancer and its security group, so the controller applies one set of inbound-cidrs to all of them ' +
      '(and stops reconciling the group when two differ); give every TlsIngress of the group the same allowSourceRanges, or put this one in another group.');
  });

  test('the same ranges in any order, or different groups, pass', () => {
    expect(errorOf(two(['203.0.113.0/24', '198.51.100.0/24'], ['198.51.100.0/24', '203.0.113.0/24']))).toBe('no error');
    expect(errorOf(two(['203.0.113.0/24'], ['198.51.100.0/24'], 'internal'))).toBe('no error');
  });
});
