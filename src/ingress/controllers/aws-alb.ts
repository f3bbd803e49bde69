/**
 * AWS Load Balancer Controller (`alb.ingress.kubernetes.io/*`, class `alb`, controller
 * `ingress.k8s.aws/alb`).
 *
 * The controller pods only configure the Application Load Balancer; traffic to the pods comes
 * from the load balancer's addresses in the VPC (target type `ip`). So the backends admit the
 * VPC CIDRs given in `AwsAlbOptions.vpcCidrs`, not the controller pods.
 *
 * `inbound-cidrs` may hold IPv6 CIDRs only on a dual-stack load balancer
 * (`ip-address-type: dualstack`); the controller rejects them otherwise. Dual stack also opens an
 * IPv6 listener and needs IPv6 subnets, so it is never turned on implicitly: IPv6 source ranges
 * are refused unless `AwsAlbOptions.ipAddressType` is `DUALSTACK`.
 *
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
 * @internal
 */
import { k8s } from 'cdk8s-plus-28';
import { fail } from '../../core/errors';
import { LabelKeys } from '../../core/labels';
import { IPeer, Peer } from '../../core/peer';
import { BackendInfo } from '../ingress-backend';
import { BackendProtocol, CanaryOptions, hstsHeaderValue } from '../ingress-options';
import { OverrideRule, ProfileRenderer, RenderContext, RenderSink, childName, unsupported } from './render';
import { VersionTable } from './versions';

const A = 'alb.ingress.kubernetes.io/';

const SRC = 'kubernetes-sigs/aws-load-balancer-controller pkg/annotations/constants.go';

/**
 * From which release the AWS Load Balancer Controller reads each key (`v*` tags).
 * @internal
 */
export const AWS_ALB_VERSIONS: VersionTable = {
  newest: '3.5',
  oldest: '2.0',
  oldestReason: 'the AWS Load Balancer Controller v2 rewrite (controller ingress.k8s.aws/alb); v1 was aws-alb-ingress-controller',
  keys: {
    [`${A}ssl-redirect`]: { since: '2.2', source: `${SRC} @ v2.2.0 (IngressSuffixSSLRedirect)` },
    [`${A}backend-protocol-version`]: { since: '2.1', source: `${SRC} @ v2.1.0 (IngressSuffixBackendProtocolVersion)` },
    [`${A}listener-attributes.HTTPS-443`]: { since: '2.9', source: `${SRC} @ v2.9.0 (IngressSuffixlsAttsAnnotationPrefix)` },
  },
};

/**
 * Raw annotations that undo a rendered option (kubernetes-sigs/aws-load-balancer-controller @ v3.5.0:
 * pkg/annotations/constants.go, pkg/ingress/model_build_load_balancer.go, docs/guide/ingress/annotations.md).
 * @internal
 */
export const AWS_ALB_OVERRIDES: OverrideRule[] = [
  {
    renders: [`${A}inbound-cidrs`],
    keys: {
      [`${A}security-groups`]: 'it replaces the security group the controller manages, and with it inbound-cidrs, for the whole load balancer',
      [`${A}security-group-prefix-lists`]: 'it admits the prefix lists\' addresses beside inbound-cidrs',
    },
    setting: 'the source allow list',
    instead: 'TlsIngress.allowSourceRanges',
  },
  {
    renders: [`${A}wafv2-acl-arn`],
    keys: {
      [`${A}wafv2-acl-name`]: 'the controller reads it for the same web ACL',
      [`${A}waf-acl-id`]: 'the controller reads it for a WAF Classic web ACL on the same load balancer',
    },
    setting: 'the WAF web ACL',
    instead: 'AwsAlbOptions.wafAclArn',
  },
];

/** @internal */
export const AWS_ALB_DEFAULTS = {
  displayName: 'AWS Load Balancer Controller',
  className: 'alb',
  controllerName: 'ingress.k8s.aws/alb',
  namespace: 'kube-system',
  podLabels: { 'app.kubernetes.io/name': 'aws-load-balancer-controller' },
};

/** The source ranges of each ALB group in an app (root -> group name -> first TlsIngress and its ranges). */
const groupRanges = new WeakMap<object, Map<string, { path: string; ranges?: string[] }>>();

/**
 * The Ingresses of one group share listeners, and the controller merges their `inbound-cidrs`
 * into one security group: it takes the ranges of any member that sets them for all, and stops
 * reconciling the group when two members set different ones (pkg/ingress/model_builder.go @ v3.5.0,
 * mergeListenPortConfigs: "conflicting inbound-cidrs"). So every TlsIngress of a group in the app
 * has the same allowSourceRanges, or none has any.
 */
function checkGroupRanges(ctx: RenderContext, group: string): void {
  const root = ctx.scope.node.root;
  let groups = groupRanges.get(root);
  if (!groups) groupRanges.set(root, groups = new Map());
  const ranges = ctx.options.allowSourceRanges ? [...new Set(ctx.options.allowSourceRanges)].sort() : undefined;
  const first = groups.get(group);
  if (!first) {
    groups.set(group, { path: ctx.scope.node.path, ranges });
    return;
  }
  if ((first.ranges ?? []).join(',') !== (ranges ?? []).join(',')) {
    const shown = (r?: string[]) => (r ? `[${r.join(', ')}]` : 'unset');
    fail(ctx.scope, `TlsIngress.allowSourceRanges is ${shown(ranges)}, but TlsIngress ${first.path} of the same ALB group "${group}" has ${shown(first.ranges)}; ` +
      'the Ingresses of a group share one load balancer and its security group, so the controller applies one set of inbound-cidrs to all of them ' +
      '(and stops reconciling the group when two differ); give every TlsIngress of the group the same allowSourceRanges, or put this one in another group.');
  }
}

/** The backend of each route (`host|path|pathType`) of each ALB TlsIngress (keyed by the TlsIngress), for its canaries. */
const albRoutes = new WeakMap<object, { group?: string; backends: Map<string, BackendInfo> }>();

function targetGroup(b: BackendInfo, weight?: number): { [key: string]: string | number } {
  return { serviceName: b.serviceName, servicePort: b.servicePortName ?? b.servicePortNumber, ...(weight !== undefined ? { weight } : {}) };
}

/**
 * A canary as its own Ingress of the primary's IngressGroup, evaluated first (`group.order: -1`):
 * each route forwards with a weighted forward action (`actions.<name>`, advanced schema:
 * forwardConfig.targetGroups with serviceName, servicePort and weight) to the primary's and the
 * canary's Services, or, by header, to the canary only (`conditions.<name>`, http-header).
 * (kubernetes-sigs/aws-load-balancer-controller @ v3.5.0 docs/guide/ingress/annotations.md: actions, conditions, group.order.)
 */
function canaryActions(ctx: RenderContext, sink: RenderSink, c: CanaryOptions, s: AwsAlbSettings): void {
  const primary = albRoutes.get(c.primary);
  if (!s.groupName) {
    unsupported(ctx, 'canary', c, 'a canary Ingress shares the primary\'s load balancer only within an IngressGroup', 'set AwsAlbOptions.groupName, the same on the primary\'s and the canary\'s controller');
  }
  if (!primary || primary.group !== s.groupName) {
    unsupported(ctx, 'canary', c, `its weighted forward action names the primary's Services, and ${c.primary.ingressName} is not an ALB TlsIngress of group "${s.groupName}" in this app, created before the canary`,
      'give a TlsIngress of the same ALB group as primary');
  }
  if (c.weightPercent !== undefined && c.header !== undefined) {
    unsupported(ctx, 'canary', c, 'one ALB rule either matches the header or splits by weight, and a canary Ingress has one rule per route', 'set either weightPercent or header');
  }
  sink.renderIngress = false;
  sink.state.canaryRules = ctx.rules.map((r, i) => {
    const main = primary.backends.get(`${r.host}|${r.path}|${r.pathType}`);
    if (!main) fail(ctx.scope, `TlsIngress.canary: route ${r.host}${r.path} (${r.pathType}) is not a route of the primary ${c.primary.ingressName}; a canary can only shadow its primary's routes.`);
    const action = childName('canary', String(i));
    const groups = c.weightPercent !== undefined
      ? [targetGroup(main, 100 - c.weightPercent), targetGroup(r.backend, c.weightPercent)]
      : [targetGroup(r.backend)];
    sink.annotate(`${A}actions.${action}`, JSON.stringify({ type: 'forward', forwardConfig: { targetGroups: groups } }), 'canary', true);
    if (c.header !== undefined) {
      sink.annotate(`${A}conditions.${action}`, JSON.stringify([{ field: 'http-header', httpHeaderConfig: { httpHeaderName: c.header, values: [c.headerValue ?? '*'] } }]), 'canary', true);
    }
    return { rule: r, action };
  });
  // Its rules sit on the HTTPS listener only, before the primary's; redirect and HSTS are the primary's listener settings.
  sink.annotate(`${A}listen-ports`, '[{"HTTPS": 443}]', 'canary', true);
  sink.annotate(`${A}group.order`, '-1', 'canary');
  // It claims the primary's routes on purpose, ahead of them: the app check NET017 is told why.
  sink.annotate('ignore-check.cdk8s-net.io/ingress-route-claimed-twice', `ALB canary of ${c.primary.ingressName}, evaluated first (group.order -1)`, 'canary');
}

/** @internal */
export interface AwsAlbSettings {
  readonly scheme: string;
  readonly vpcCidrs: string[];
  readonly sslPolicy: string;
  readonly groupName?: string;
  readonly wafAclArn?: string;
  readonly ipAddressType: string;
}

/** @internal */
export function awsAlbRenderer(s: AwsAlbSettings): ProfileRenderer {
  return {
    certificateKinds: ['acm'],
    versions: AWS_ALB_VERSIONS,
    overrides: AWS_ALB_OVERRIDES,
    certificateAdvice: 'an Application Load Balancer terminates TLS with AWS Certificate Manager certificates, not Kubernetes Secrets: use TlsCertificate.acm()',
    trafficSources: (): IPeer[] => s.vpcCidrs.map((c) => Peer.ipBlock(c)),
    prepare: (ctx, sink) => {
      sink.annotate(`${A}scheme`, s.scheme, 'controller');
      sink.annotate(`${A}target-type`, 'ip', 'controller');
      sink.annotate(`${A}ssl-policy`, s.sslPolicy, 'controller');
      if (s.groupName) sink.annotate(`${A}group.name`, s.groupName, 'controller');
      if (s.wafAclArn) sink.annotate(`${A}wafv2-acl-arn`, s.wafAclArn, 'controller');
      if (s.ipAddressType !== 'ipv4') sink.annotate(`${A}ip-address-type`, s.ipAddressType, 'controller');
      const arns = ctx.certificate._spec.arns ?? [];
      if (arns.length > 0) sink.annotate(`${A}certificate-arn`, arns.join(','), 'certificate');
    },
    finish: (ctx, sink) => {
      if (s.groupName && !ctx.isCanary) checkGroupRanges(ctx, s.groupName);
      if (!ctx.isCanary) {
        albRoutes.set(ctx.scope, { group: s.groupName, backends: new Map(ctx.rules.map((r) => [`${r.host}|${r.path}|${r.pathType}`, r.backend])) });
        return;
      }
      const hosts = [...new Set(ctx.rules.map((r) => r.host))];
      new k8s.KubeIngress(ctx.scope, 'Resource', {
        metadata: {
          name: ctx.ingressName,
          namespace: ctx.namespace,
          labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE },
          annotations: { ...sink.annotations },
        },
        spec: {
          ingressClassName: ctx.controller.className,
          rules: hosts.map((host) => ({
            host,
            http: {
              paths: sink.state.canaryRules.filter((x: any) => x.rule.host === host).map((x: any) => ({
                path: x.rule.path, pathType: x.rule.pathType, backend: { service: { name: x.action, port: { name: 'use-annotation' } } },
              })),
            },
          })),
          tls: [{ hosts }],
        },
      });
    },
    handlers: {
      sslRedirect: (ctx, sink, on) => {
        if (ctx.isCanary) return; // the canary's rules sit on the primary's HTTPS listener
        // Without the redirect there is no HTTP listener at all.
        sink.annotate(`${A}listen-ports`, on ? '[{"HTTP": 80}, {"HTTPS": 443}]' : '[{"HTTPS": 443}]', 'sslRedirect', true);
        if (on) sink.annotate(`${A}ssl-redirect`, '443', 'sslRedirect');
      },
      hsts: (ctx, sink, h) => {
        if (!h.enabled || ctx.isCanary) return;
        // ALB header modification: the listener adds the header to every response. The controller
        // splits listener-attributes on commas only, so the header value passes through as written.
        sink.annotate(`${A}listener-attributes.HTTPS-443`, `routing.http.response.strict_transport_security.header_value=${hstsHeaderValue(h)}`, 'hsts', true);
      },
      rateLimit: (ctx, _sink, v) => unsupported(ctx, 'rateLimit', v, 'an Application Load Balancer has no rate limiting',
        'use an AWS WAF rate-based rule and set AwsAlbOptions.wafAclArn'),
      timeouts: (ctx, _sink, v) => unsupported(ctx, 'timeouts', v, 'an Application Load Balancer has only an idle timeout',
        'set alb.ingress.kubernetes.io/load-balancer-attributes to idle_timeout.timeout_seconds=<n> with TlsIngress.annotations'),
      maxRequestBodyBytes: (ctx, _sink, v) => unsupported(ctx, 'maxRequestBodyBytes', v, 'an Application Load Balancer has no request body limit',
        'use an AWS WAF size constraint rule and set AwsAlbOptions.wafAclArn'),
      allowSourceRanges: (ctx, sink, ranges) => {
        const ipv6 = ranges.filter((r) => r.includes(':'));
        if (ipv6.length > 0 && s.ipAddressType !== 'dualstack') {
          unsupported(ctx, 'allowSourceRanges', ipv6, 'an IPv4 load balancer rejects IPv6 inbound-cidrs',
            'set AwsAlbOptions.ipAddressType to AlbIpAddressType.DUALSTACK (its subnets need IPv6 CIDRs), or list IPv4 ranges only');
        }
        sink.annotate(`${A}inbound-cidrs`, ranges.join(','), 'allowSourceRanges');
      },
      basicAuthSecret: (ctx, _sink, v) => unsupported(ctx, 'basicAuthSecret', v, 'an Application Load Balancer authenticates only with OIDC or Amazon Cognito',
        'configure alb.ingress.kubernetes.io/auth-type oidc or cognito with TlsIngress.annotations'),
      externalAuthUrl: (ctx, _sink, v) => unsupported(ctx, 'externalAuthUrl', v, 'an Application Load Balancer authenticates only with OIDC or Amazon Cognito',
        'configure alb.ingress.kubernetes.io/auth-type oidc or cognito with TlsIngress.annotations'),
      backendProtocol: (_ctx, sink, p) => {
        if (p === BackendProtocol.GRPC) sink.annotate(`${A}backend-protocol-version`, 'GRPC', 'backendProtocol');
        else sink.annotate(`${A}backend-protocol`, p === BackendProtocol.HTTPS ? 'HTTPS' : 'HTTP', 'backendProtocol');
      },
      cors: (ctx, _sink, v) => unsupported(ctx, 'cors', v, 'an Application Load Balancer cannot answer CORS preflights', 'handle CORS in the application'),
      retries: (ctx, _sink, v) => unsupported(ctx, 'retries', v, 'an Application Load Balancer does not retry requests', 'retry in the client, or leave retries unset'),
      circuitBreaker: (ctx, _sink, v) => unsupported(ctx, 'circuitBreaker', v, 'an Application Load Balancer has no circuit breaker', 'leave circuitBreaker unset, or use TlsGateway with GatewayImplementation.envoyGateway()'),
      canary: (ctx, sink, c) => canaryActions(ctx, sink, c, s),
    },
  };
}
