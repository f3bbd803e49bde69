import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { fail, uniqueId, warn as warnOn } from '../core/errors';
import { optionalBoolean, optionalInstance, optionalLabels, optionalObject, optionalString, optionalStringMap, requireInstance, requireProps } from '../core/guards';
import { LabelKeys } from '../core/labels';
import { dns1123SubdomainProblem, labelProblem, nameFromId } from '../core/names';
import { INamespace } from '../dns/namespace-ref';
import { IngressController } from './controllers/profile';
import { OverrideRule, RenderContext, RenderSink, ResolvedRule, canonicalAnnotationKey, childName } from './controllers/render';
import { admitSource, BackendInfo, checkIngressRuleTypes, INGRESS_BACKEND_ADVICE, IngressBackend, IngressPathType, IngressRule } from './ingress-backend';
import { ICanaryPrimary, OPTION_KEYS, OptionKey, RoutingOptions } from './ingress-options';
import { resolveOptions } from './resolve-options';
import { annotationKeyProblem, annotationValueProblem, dangerousAnnotationReason, hostCovered, hostProblem, pathProblem } from './safety';
import { TlsCertificate } from './tls-certificate';
import { AppValidation } from '../validation/app-validation';

/** Props of `TlsIngress`. Every option below is rendered by the controller profile, or refused with an error that names the controller. */
export interface TlsIngressProps extends RoutingOptions {
  /** The controller that serves this Ingress. */
  readonly controller: IngressController;
  /** Routing rules; every rule has a host, and every host is covered by the certificate. */
  readonly rules: IngressRule[];
  /**
   * Where the certificate comes from.
   * @default - none; required, except for a canary, which serves its primary's certificate
   */
  readonly certificate?: TlsCertificate;
  /**
   * `metadata.name` (a DNS-1123 subdomain).
   * @default - derived from the construct id (`Public` -> `public`)
   */
  readonly name?: string;
  /**
   * The namespace (the backends must be in it: an Ingress routes to Services of its own namespace).
   * @default - the chart's namespace
   */
  readonly namespace?: INamespace;
  /**
   * Where requests that match no rule go.
   * @default - none: unmatched requests get the controller's 404
   */
  readonly defaultBackend?: IngressBackend;
  /**
   * Labels of the Ingress.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Extra annotations (escape hatch). Values are checked like rendered ones; snippet annotations
   * and other keys with published injection advisories are refused unless
   * `dangerouslyAllowUnsafeAnnotations` is set. A key the profile renders cannot be overridden,
   * under any prefix the controller reads as the same annotation (HAProxy: `haproxy.org/`,
   * `haproxy.com/`, `ingress.kubernetes.io/`). Keys that would override, disable or bypass a
   * rendered security option are refused unless `dangerouslyAllowUnsafeAnnotations` is set:
   * other keys the controller reads for the same setting and switches that undo it (ingress-nginx
   * `force-ssl-redirect`, `whitelist-source-range`, `limit-allowlist`, `satisfy`; F5 NGINX
   * `ingress.kubernetes.io/ssl-redirect`, `hsts-behind-proxy`, `limit-req-dry-run`; ALB
   * `security-groups`, which turns `inbound-cidrs` off; HAProxy `src-ip-header`,
   * `rate-limit-whitelist`; the README lists them all). `kubernetes.io/ingress.class` is always refused:
   * the class is `spec.ingressClassName` (GKE: the profile writes the annotation itself).
   * `kubernetes.io/ingress.allow-http`, which TlsIngress writes as `"false"` for policy tools
   * while plain HTTP is redirected or closed (see `sslRedirect`), may be set here to another
   * value for a controller that reads it (except GKE, whose profile decides it).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Accept snippet annotations, advisory-listed keys and values with `; { } ' " $ #` in
   * `annotations`. They reach the controller's configuration verbatim; a warning lists them.
   * @default false
   */
  readonly dangerouslyAllowUnsafeAnnotations?: boolean;
}

/**
 * Every route of each app (`host|path|pathType` -> construct path), for the duplicate check: one
 * Map per app, so checking a TlsIngress costs one lookup per rule. The class is not part of the
 * key: a host and path is routed once in the whole app, whatever the controller. The pathType is,
 * because Exact `/` and Prefix `/` are different routes (Exact wins on an exact match).
 */
const routeRegistry = new WeakMap<IConstruct, Map<string, string>>();

/** The weighted canaries of each primary (`namespace/name` -> construct paths and weights), one Map per app. */
const canaryRegistry = new WeakMap<IConstruct, Map<string, Array<{ path: string; weight: number }>>>();

/**
 * HTTP routing with TLS always on: an Ingress (or the objects the controller needs instead),
 * its certificate, and the NetworkPolicy rules that let the controller reach each backend.
 *
 * - Every rule has a host (DNS name or `*.` wildcard), a safe path (Prefix or Exact) and a
 *   backend in the Ingress namespace. A host, path and pathType is routed by one TlsIngress in
 *   the whole app, whatever its controller.
 * - The certificate covers every host; cert-manager annotations, a cert-manager Certificate, an
 *   existing Secret, or the cloud load balancer's own certificates.
 * - HTTP->HTTPS redirect and HSTS are on by default, in the controller's own terms.
 * - The class is set with `ingressClassName` only (GKE: the class annotation only).
 * - Each managed backend admits the controller's traffic sources on the backend's target port,
 *   written through the backend's own policy (`backend.allowFrom(controller, Port.named(port))`).
 *   When the controller's namespace is a `DenyAllNamespace` of the same app (its default-deny
 *   isolates the controller's egress), that namespace lets exactly the controller's pods out to
 *   each backend on the same port (policy `allow-<class>-controller-egress`).
 *
 * The Ingress is the default child (`ApiObject.of(ingress)` for patches).
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 * @example
 * new TlsIngress(chart, 'Public', {
 *   namespace: shop,
 *   controller: IngressController.traefik(),
 *   certificate: TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' }),
 *   rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) }],
 * });
 */
export class TlsIngress extends Construct implements ICanaryPrimary {
  /** The Ingress, unless the controller renders other objects (Istio). */
  public readonly apiObject?: ApiObject;
  /** The Ingress (the same object as `apiObject`), unless the controller renders other objects (Istio). */
  public readonly ingress?: ApiObject;
  /** The plain-HTTP Ingress that only redirects to HTTPS (Traefik without `redirectAtEntryPoint`). */
  public readonly redirectIngress?: ApiObject;
  /** The Traefik Middlewares this TlsIngress uses (headers, rate limit, redirect, ...); empty for other controllers. */
  public readonly middlewares: ApiObject[];
  /**
   * Every Kubernetes object this TlsIngress created: the Ingress, and whatever its controller and
   * certificate need (redirect Ingress, Middlewares, Certificate, FrontendConfig, BackendConfigs,
   * Istio Gateway and VirtualServices, ...). Escape hatches apply to these; app-wide validation
   * checks them after every patch (an Ingress without spec.tls is NET040).
   */
  public readonly objects: ApiObject[];
  public readonly ingressName: string;
  public readonly ingressNamespace?: string;
  /** The controller. */
  public readonly controller: IngressController;
  /** The hosts, in rule order. */
  public readonly hosts: string[];
  /** The routes, as `host + path` (`shop.example.com/api`). */
  public readonly routes: string[];
  /** The Secret that holds the certificate, for certificate sources that use one. */
  public readonly tlsSecretName?: string;
  /** The Ingress class of the controller (its canaries must have the same). */
  public readonly ingressClassName?: string;
  /**
   * Whether the Ingress carries `kubernetes.io/ingress.allow-http: "false"` (its canaries then do
   * too). Always set on a TlsIngress; optional only because `ICanaryPrimary.httpsOnly` is.
   */
  public readonly httpsOnly?: boolean;

  public constructor(scope: Construct, id: string, props: TlsIngressProps) {
    super(scope, uniqueId(scope, id, new.target.name));
    checkPropTypes(this, props);
    AppValidation._register(this);
    this.controller = props.controller;
    this.ingressClassName = props.controller.className;
    this.ingressName = props.name ?? nameFromId(id);
    const nameProblem = dns1123SubdomainProblem(this.ingressName);
    if (nameProblem) fail(this, `TlsIngress.name "${this.ingressName}" is not a valid Ingress name; ${nameProblem}.`);
    this.ingressNamespace = props.namespace?.namespaceName ?? Chart.of(this).namespace;
    for (const [k, v] of Object.entries(props.labels ?? {})) {
      const p = labelProblem(k, v);
      if (p) fail(this, `TlsIngress.labels: ${p}.`);
    }

    const rules = this.resolveRules(props);
    this.hosts = [...new Set(rules.map((r) => r.host))];
    this.routes = rules.map((r) => r.host + r.path);
    const defaultBackend = props.defaultBackend ? this.checkBackend(props.defaultBackend, 'defaultBackend') : undefined;
    const renderer = this.controller._renderer;
    if (defaultBackend && renderer.defaultBackendProblem) {
      fail(this, `TlsIngress.defaultBackend is set, but ${this.controller.displayName} cannot express it: ${renderer.defaultBackendProblem}; route every host explicitly.`);
    }
    const options = resolveOptions(this, props);
    this.checkCanary(props);
    if (!props.canary) this.register(rules);

    const certificate = this.resolveCertificate(props);
    this.tlsSecretName = this.secretNameOf(certificate, props);

    const backends: BackendInfo[] = [];
    for (const b of [...rules.map((r) => r.backend), ...(defaultBackend ? [defaultBackend] : [])]) {
      if (!backends.some((x) => x.serviceObject === b.serviceObject && x.servicePortNumber === b.servicePortNumber)) backends.push(b);
    }
    const ingressSpec = (): k8s.IngressSpec => ({
      defaultBackend: defaultBackend ? toKubeBackend(defaultBackend) : undefined,
      rules: this.hosts.map((host) => ({
        host,
        http: { paths: rules.filter((r) => r.host === host).map((r) => ({ path: r.path, pathType: r.pathType, backend: toKubeBackend(r.backend) })) },
      })),
      tls: this.tlsSecretName !== undefined || certificate._kind === 'acm' ? [{ hosts: [...this.hosts], secretName: this.tlsSecretName }] : undefined,
    });
    const ctx: RenderContext = {
      scope: this,
      controller: this.controller._info,
      ingressName: this.ingressName,
      namespace: this.ingressNamespace,
      hosts: this.hosts,
      rules,
      backends,
      options,
      certificate,
      tlsSecretName: this.tlsSecretName,
      isCanary: props.canary !== undefined,
      ingressSpec,
    };

    const sink = new RenderSink(ctx);
    renderer.prepare?.(ctx, sink);
    if (sink.renderIngress && !props.canary) {
      if (certificate._kind === 'cert-manager') {
        for (const [k, v] of Object.entries(certificate._shimAnnotations())) sink.annotate(k, v, 'certificate');
      }
      if (certificate._kind === 'cert-manager-certificate') {
        certificate._renderCertificate(this, 'Certificate', this.tlsSecretName!, this.ingressNamespace, this.tlsSecretName!, this.hosts);
      }
    }
    // The canary first: a controller that cannot split traffic should say so before anything else.
    const order: OptionKey[] = ['canary', ...OPTION_KEYS.filter((k) => k !== 'canary')];
    for (const key of order) {
      const value = options[key];
      if (value !== undefined) (renderer.handlers[key] as (c: RenderContext, s: RenderSink, v: unknown) => void)(ctx, sink, value);
    }
    renderer.finish?.(ctx, sink);
    // A canary serves plain HTTP as its primary does (the controller ignores its other annotations).
    const httpsOnly = props.canary
      ? props.canary.primary.httpsOnly ?? false
      : sink.markHttpsOnly;
    if (sink.renderIngress && sink.renderTls && httpsOnly && sink.annotations[ALLOW_HTTP_ANNOTATION] === undefined
      && props.annotations?.[ALLOW_HTTP_ANNOTATION] === undefined) {
      // Read by ingress-gce only (whose profile decides it itself); for the others it tells
      // policy tools (Kyverno require-ingress-https) that plain HTTP only redirects or is closed.
      // A value in TlsIngress.annotations wins (a custom controller that reads it).
      sink.annotate(ALLOW_HTTP_ANNOTATION, 'false', 'sslRedirect');
    }
    this.httpsOnly = (sink.annotations[ALLOW_HTTP_ANNOTATION] ?? props.annotations?.[ALLOW_HTTP_ANNOTATION]) === 'false';
    const annotations = { ...sink.annotations, ...this.rawAnnotations(props, sink) };

    if (sink.renderIngress) {
      const spec = ingressSpec();
      this.apiObject = new k8s.KubeIngress(this, 'Resource', {
        metadata: {
          name: this.ingressName,
          namespace: this.ingressNamespace,
          labels: { ...props.labels, [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE },
          annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
        },
        spec: {
          ...spec,
          ingressClassName: sink.useIngressClassName ? this.controller.className : undefined,
          tls: sink.renderTls ? spec.tls : undefined,
        },
      });
    } else if (props.annotations && Object.keys(props.annotations).length > 0) {
      fail(this, `TlsIngress.annotations is set, but ${this.controller.displayName} renders no Ingress to carry them; patch the objects it creates with ApiObject.of(...).`);
    }
    this.ingress = this.apiObject;
    this.objects = this.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    this.redirectIngress = this.objects.find((o) => o.node.id === 'HttpRedirect' && o.kind === 'Ingress');
    this.middlewares = this.objects.filter((o) => o.kind === 'Middleware');

    for (const b of backends) {
      if (b.connectable && b.allowPort) {
        const policyName = childName('allow', this.controller.className, 'controller-egress');
        for (const source of this.controller.trafficSources) admitSource(this, b, source, 'TlsIngress.controller', this.controller.displayName, policyName);
      } else {
        warnOn(this, `backend Service ${b.serviceName} is not a SecureService, so no NetworkPolicy rule was written for it; ` +
          `if its pods are isolated, allow ${this.controller.trafficSources.map((s) => s.peerId).join(', ')} to reach them.`);
      }
    }
  }

  private resolveRules(props: TlsIngressProps): ResolvedRule[] {
    if (!props.rules || props.rules.length === 0) fail(this, 'TlsIngress.rules is empty; give at least one rule (host, path and backend).');
    const seen = new Map<string, number>();
    return props.rules.map((rule, i) => {
      const f = `TlsIngress.rules[${i}]`;
      const hp = hostProblem(rule.host ?? '');
      if (hp) fail(this, `${f}.host "${rule.host ?? ''}" is not an Ingress host; ${hp}.`);
      const path = rule.path ?? '/';
      const pp = pathProblem(path);
      if (pp) fail(this, `${f}.path "${path}" is refused; ${pp}.`);
      const pathType = rule.pathType ?? IngressPathType.PREFIX;
      if (!Object.values(IngressPathType).includes(pathType)) fail(this, `${f}.pathType "${pathType}" is not Prefix or Exact.`);
      const key = rule.host + path;
      if (seen.has(key)) fail(this, `${f} routes ${key}, which TlsIngress.rules[${seen.get(key)}] already routes; route each host and path once.`);
      seen.set(key, i);
      return { host: rule.host, path, pathType, backend: this.checkBackend(rule.backend, `${f}.backend`) };
    });
  }

  private checkBackend(backend: IngressBackend, field: string): BackendInfo {
    const b = backend._info;
    const chartNs = Chart.of(this).namespace;
    const ns = b.namespace ?? chartNs;
    if (ns !== this.ingressNamespace) {
      fail(this, `${field} is Service ${b.serviceName} in namespace "${ns ?? '(none)'}", but the Ingress is in "${this.ingressNamespace ?? '(none)'}"; ` +
        'an Ingress routes only to Services of its own namespace, so put the TlsIngress in the backend\'s namespace.');
    }
    return b;
  }

  private register(rules: ResolvedRule[]) {
    const root = this.node.root;
    let registry = routeRegistry.get(root);
    if (!registry) routeRegistry.set(root, registry = new Map());
    const key = (r: ResolvedRule) => `${r.host}|${r.path}|${r.pathType}`;
    rules.forEach((r, i) => {
      const other = registry!.get(key(r));
      if (other !== undefined) {
        fail(this, `TlsIngress.rules[${i}] routes ${r.host}${r.path} (${r.pathType}), which TlsIngress ${other} already routes; ` +
          'each host and path may be routed by one TlsIngress in the app, whatever its controller (use TlsIngress.canary to shadow a route).');
      }
    });
    for (const r of rules) registry.set(key(r), this.node.path);
  }

  private checkCanary(props: TlsIngressProps) {
    const c = props.canary;
    if (!c) return;
    optionalBoolean(this, 'TlsIngress.canary.primary.httpsOnly', c.primary.httpsOnly, 'give true when its Ingress serves HTTPS only, or leave it unset');
    if (c.primary.ingressNamespace !== this.ingressNamespace) {
      fail(this, `TlsIngress.canary.primary is in namespace "${c.primary.ingressNamespace}", but this canary is in "${this.ingressNamespace}"; a canary must be in its primary's namespace.`);
    }
    if (c.primary.ingressClassName !== undefined && c.primary.ingressClassName !== this.controller.className) {
      fail(this, `TlsIngress.canary.primary ${c.primary.ingressName} is of Ingress class "${c.primary.ingressClassName}", but this canary's controller is `
        + `${this.controller.displayName} (class "${this.controller.className}"); a controller splits only the traffic of its own Ingresses, so give the canary the primary's controller.`);
    }
    const missing = this.routes.find((r) => !c.primary.routes.includes(r));
    if (missing) fail(this, `TlsIngress.canary: route ${missing} is not a route of the primary ${c.primary.ingressName}; a canary can only shadow its primary's routes.`);
    const inherited: Array<keyof TlsIngressProps> = ['sslRedirect', 'hsts', 'rateLimit', 'timeouts', 'maxRequestBodyBytes', 'allowSourceRanges', 'basicAuthSecret',
      'externalAuthUrl', 'backendProtocol', 'cors', 'retries', 'circuitBreaker', 'defaultBackend'];
    const set = inherited.find((k) => props[k] !== undefined);
    if (set) fail(this, `TlsIngress.${set} is set on a canary; a canary takes every option from its primary (the controller ignores them on canaries), so set it on ${c.primary.ingressName}.`);
    if (c.weightPercent !== undefined) {
      // The canaries of one primary share its requests: their weights add up to at most 100.
      const root = this.node.root;
      let byPrimary = canaryRegistry.get(root);
      if (!byPrimary) canaryRegistry.set(root, byPrimary = new Map());
      const key = `${c.primary.ingressNamespace ?? ''}/${c.primary.ingressName}`;
      const others = byPrimary.get(key) ?? [];
      const taken = others.reduce((sum, o) => sum + o.weight, 0);
      if (taken + c.weightPercent > 100) {
        fail(this, `TlsIngress.canary.weightPercent is ${c.weightPercent}, but the other canaries of ${c.primary.ingressName} already take ${taken}% `
          + `(${others.map((o) => `${o.path}: ${o.weight}`).join(', ')}); together they would get ${taken + c.weightPercent}% of its requests. `
          + 'Lower the weights so that they add up to at most 100.');
      }
      byPrimary.set(key, [...others, { path: this.node.path, weight: c.weightPercent }]);
    }
  }

  private resolveCertificate(props: TlsIngressProps): TlsCertificate {
    const renderer = this.controller._renderer;
    if (props.canary) {
      if (props.certificate) fail(this, 'TlsIngress.certificate is set on a canary; a canary serves its primary\'s certificate, so remove it.');
      return TlsCertificate.secret(props.canary.primary.tlsSecretName ?? childName(props.canary.primary.ingressName, 'tls'));
    }
    const cert = props.certificate;
    if (!cert) fail(this, 'TlsIngress.certificate is not set; TLS is always on, so choose TlsCertificate.certManager(), certManagerCertificate(), secret() or the cloud load balancer\'s certificates.');
    if (!renderer.certificateKinds.includes(cert._kind)) {
      fail(this, `TlsIngress.certificate is ${cert._description}, but ${this.controller.displayName} cannot use it: ${renderer.certificateAdvice}.`);
    }
    const names = cert._spec.hosts;
    if (names) {
      const uncovered = this.hosts.filter((h) => !names.some((n) => hostCovered(n, h)));
      if (uncovered.length > 0) {
        fail(this, `TlsIngress.certificate covers ${names.join(', ')}, which does not cover ${uncovered.join(', ')}; every host must be covered, so use a certificate for ${uncovered.length > 1 ? 'them' : 'it'} or remove the rule.`);
      }
    }
    return cert;
  }

  private secretNameOf(cert: TlsCertificate, props: TlsIngressProps): string | undefined {
    if (props.canary) return cert._spec.secretName;
    if (cert._kind === 'secret') return cert._spec.secretName;
    if (cert._kind === 'cert-manager' || cert._kind === 'cert-manager-certificate') {
      // In a shared controller namespace (Istio), the Ingress namespace keeps default names apart.
      const shared = this.controller._renderer.secretInControllerNamespace ? this.ingressNamespace ?? '' : '';
      return cert._spec.secretName ?? childName(shared, this.ingressName, 'tls');
    }
    return undefined;
  }

  private rawAnnotations(props: TlsIngressProps, sink: RenderSink): { [key: string]: string } {
    const raw = props.annotations ?? {};
    const unsafe: string[] = [];
    // Controllers that read several prefixes as one annotation (HAProxy) compare under one prefix.
    const aliases = this.controller._renderer.annotationPrefixAliases ?? [];
    const rendered = new Map(Object.keys(sink.annotations).map((k) => [canonicalAnnotationKey(k, aliases), k]));
    const given = new Map<string, string>();
    // Keys that would override, disable or bypass a setting the profile rendered (aliases, legacy keys, switches).
    const undoing = new Map<string, { rule: OverrideRule; why: string; renderedKey: string }>();
    for (const rule of this.controller._renderer.overrides ?? []) {
      const renderedKey = rule.renders.map((r) => rendered.get(canonicalAnnotationKey(r, aliases))).find((r) => r !== undefined);
      if (renderedKey === undefined) continue;
      for (const [key, why] of Object.entries(rule.keys)) undoing.set(canonicalAnnotationKey(key, aliases), { rule, why, renderedKey });
    }
    for (const [k, v] of Object.entries(raw)) {
      const keyProblem = annotationKeyProblem(k);
      if (keyProblem) fail(this, `TlsIngress.annotations key "${k}" is invalid; ${keyProblem}.`);
      if (k === LEGACY_CLASS_ANNOTATION && sink.useIngressClassName) {
        fail(this, `TlsIngress.annotations sets "${k}", but the Ingress names its class in spec.ingressClassName ("${this.controller.className}"), ` +
          'and the API server rejects an Ingress that sets both; remove the annotation and choose the class with the controller\'s className option.');
      }
      const canonical = canonicalAnnotationKey(k, aliases);
      const renderedKey = rendered.get(canonical);
      if (renderedKey !== undefined) {
        const from = this.renderedFrom(sink.fields[renderedKey]);
        const what = renderedKey === k ? `which the ${this.controller.displayName} profile renders` : `which ${this.controller.displayName} reads as "${renderedKey}", rendered`;
        fail(this, `TlsIngress.annotations sets "${k}", ${what} from ${from}; a raw value would override it, so set ${from} instead.`);
      }
      const undo = undoing.get(canonical);
      if (undo !== undefined && !props.dangerouslyAllowUnsafeAnnotations) {
        fail(this, `TlsIngress.annotations sets "${k}": ${undo.why}, which would undo ${undo.rule.setting} the profile renders from ${undo.rule.instead} (${undo.renderedKey}); ` +
          `use ${undo.rule.instead} instead, or set TlsIngress.dangerouslyAllowUnsafeAnnotations to true if you accept the risk.`);
      }
      if (undo !== undefined) unsafe.push(k);
      const twin = given.get(canonical);
      if (twin !== undefined) fail(this, `TlsIngress.annotations sets both "${twin}" and "${k}", which ${this.controller.displayName} reads as one annotation; keep one.`);
      given.set(canonical, k);
      const danger = dangerousAnnotationReason(k);
      const valueProblem = annotationValueProblem(v);
      if (!props.dangerouslyAllowUnsafeAnnotations) {
        if (danger) fail(this, `TlsIngress.annotations "${k}" is refused: ${danger}. Remove it, or set TlsIngress.dangerouslyAllowUnsafeAnnotations to true if you accept the risk.`);
        if (valueProblem) fail(this, `TlsIngress.annotations "${k}": "${v}" is refused; ${valueProblem}. Set TlsIngress.dangerouslyAllowUnsafeAnnotations to true if you accept the risk.`);
      } else if (danger || valueProblem) {
        unsafe.push(k);
      }
    }
    if (unsafe.length > 0) {
      warnOn(this, `TlsIngress.dangerouslyAllowUnsafeAnnotations lets ${unsafe.join(', ')} reach the controller's configuration unchecked.`);
      // The explicit opt-in, visible in the manifest: app-wide validation (NET041) accepts these keys.
      if (unsafe.some((k) => dangerousAnnotationReason(k))) return { ...raw, [UNSAFE_OPT_IN]: 'TlsIngress.dangerouslyAllowUnsafeAnnotations' };
    }
    return { ...raw };
  }

  /** The option a rendered annotation comes from, as messages name it. */
  private renderedFrom(field: string | undefined): string {
    if (field === 'controller') return `the ${this.controller._info.call}(...) options`;
    return `TlsIngress.${field ?? 'options'}`;
  }
}

/** The opt-out of NET041 (ingress-unsafe-annotation), written when the user opted in. */
const UNSAFE_OPT_IN = 'ignore-check.cdk8s-net.io/ingress-unsafe-annotation';
/** The class annotation that predates `spec.ingressClassName`; the API server refuses both on one Ingress. */
const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** GKE's switch for the plain-HTTP frontend, which policy tools also read as "HTTPS only". */
const ALLOW_HTTP_ANNOTATION = 'kubernetes.io/ingress.allow-http';

/** Types first (for callers outside TypeScript): nothing below may meet a null rule, a number for a host or a missing backend. */
function checkPropTypes(scope: Construct, props: TlsIngressProps) {
  const p = 'TlsIngress';
  requireProps(scope, p, props, "give TlsIngressProps, e.g. { controller: IngressController.traefik(), certificate: ..., rules: [{ host: 'shop.example.com', backend: ... }] }");
  checkIngressRuleTypes(scope, `${p}.rules`, props.rules);
  requireInstance(scope, `${p}.controller`, props.controller, IngressController, 'give an IngressController, e.g. IngressController.ingressNginx() or IngressController.traefik()');
  optionalInstance(scope, `${p}.certificate`, props.certificate, TlsCertificate, "give a TlsCertificate, e.g. TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' })");
  optionalString(scope, `${p}.name`, props.name, "give a DNS-1123 subdomain such as 'public'");
  optionalObject(scope, `${p}.namespace`, props.namespace, "give a DenyAllNamespace or NamespaceRef.named('shop')");
  optionalInstance(scope, `${p}.defaultBackend`, props.defaultBackend, IngressBackend, INGRESS_BACKEND_ADVICE);
  optionalLabels(scope, `${p}.labels`, props.labels);
  optionalStringMap(scope, `${p}.annotations`, props.annotations, "give a map of annotation keys to values, e.g. { 'example.com/team': 'web' }",
    'annotation values are strings, so quote it');
  optionalBoolean(scope, `${p}.dangerouslyAllowUnsafeAnnotations`, props.dangerouslyAllowUnsafeAnnotations, 'give true or false');
}

function toKubeBackend(b: BackendInfo): k8s.IngressBackend {
  return { service: { name: b.serviceName, port: b.servicePortName !== undefined ? { name: b.servicePortName } : { number: b.servicePortNumber } } };
}
