import { dns1123LabelProblem, dns1123SubdomainProblem, labelProblem } from '../../core/names';
import { IPeer, NetworkPolicyPeerSpec, Peer } from '../../core/peer';
import { annotationKeyProblem, annotationValueProblem, cidrProblem, dangerousAnnotationReason } from '../safety';
import { AWS_ALB_DEFAULTS, awsAlbRenderer } from './aws-alb';
import { customRenderer } from './custom';
import { GCE_DEFAULTS, gceRenderer } from './gce';
import { HAPROXY_DEFAULTS, haproxyRenderer } from './haproxy';
import { INGRESS_NGINX_DEFAULTS, ingressNginxRenderer } from './ingress-nginx';
import { ISTIO_DEFAULTS, istioRenderer } from './istio';
import { NGINX_INC_DEFAULTS, nginxIncRenderer } from './nginx-inc';
import { ControllerInfo, ProfileRenderer } from './render';
import { TRAEFIK_DEFAULTS, traefikRenderer } from './traefik';
import { resolveVersion } from './versions';
import { Connections } from '../../core/connections';
import { failCall } from '../../core/errors';
import { checkedValue } from '../../core/value-checks';
import { _declareExternalPeer } from '../../validation/app-validation';
import { IngressNginxConfig } from '../ingress-nginx-config';
import { HstsOptions } from '../ingress-options';

/** Where a controller's pods run and what it is called; every field has the profile's usual value as default. */
export interface IngressControllerOptions {
  /**
   * The namespace of the controller's pods (the proxies that connect to the backends).
   * @default - the namespace the controller's Helm chart uses (`ingress-nginx`, `traefik`, ...)
   */
  readonly namespace?: string;
  /**
   * Labels that select the controller's pods.
   * @default - the labels of the controller's Helm chart (`app.kubernetes.io/name: ingress-nginx`, ...)
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * The IngressClass name the Ingresses use.
   * @default - the profile's usual class (`nginx`, `traefik`, `haproxy`, `alb`, `istio`)
   */
  readonly className?: string;
  /**
   * The controller string of the IngressClass (`spec.controller`) the controller was installed
   * to serve, for `IngressClass`. A class whose controller string the controller does not
   * recognise is ignored, with every Ingress of it.
   *
   * Defaults, as each controller's Helm chart installs it: ingress-nginx `k8s.io/ingress-nginx`
   * (`controller.ingressClassResource.controllerValue`); F5 NGINX `nginx.org/ingress-controller`;
   * Traefik `traefik.io/ingress-controller`; AWS `ingress.k8s.aws/alb`; Istio `istio.io/ingress-controller`;
   * HAProxy `haproxy.org/ingress-controller/<className>`: the chart passes `--ingress.class`
   * (`controller.ingressClass`, default `haproxy`), and the controller then serves the class whose
   * controller string ends in that name; without the flag (plain manifests) it is
   * `haproxy.org/ingress-controller` (pkg/store/store.go @ v3.2.11).
   * @default - the Helm chart's controller string (see above)
   */
  readonly controllerName?: string;
  /**
   * The controller release you run (`major.minor` or `major.minor.patch`), so every key is
   * written the way that release reads it.
   *
   * A key newer than this release is replaced by the key the release reads for the same setting
   * (ingress-nginx before 1.9.1: `whitelist-source-range`), or, when the release has none,
   * refused at synth with the release that reads it (F5 NGINX `limit-req-rate` needs 3.5).
   * The README's controller table lists the release each option needs. GKE Ingress is managed
   * by Google and takes no version.
   * @default - the newest release this library was checked against: ingress-nginx 1.15, F5 NGINX 5.5,
   * Traefik 3.7, HAProxy 3.2, AWS Load Balancer Controller 3.5, Istio 1.30
   */
  readonly version?: string;
}

/** Options of `IngressController.ingressNginx()`. */
export interface IngressNginxOptions extends IngressControllerOptions {
  /**
   * The controller ConfigMap this app writes. TlsIngress HSTS then means the config's HSTS (which
   * may be any value), instead of the controller's ConfigMap defaults; its namespace and version
   * are the profile's defaults.
   * @default - the controller's ConfigMap defaults (HSTS max-age 31536000, includeSubDomains, no preload)
   */
  readonly config?: IngressNginxConfig;
}

/** Options of `IngressController.traefik()`. */
export interface TraefikOptions extends IngressControllerOptions {
  /**
   * The entry point that serves HTTPS.
   * @default 'websecure'
   */
  readonly httpsEntryPoint?: string;
  /**
   * The entry point that serves plain HTTP (the redirect).
   * @default 'web'
   */
  readonly httpEntryPoint?: string;
  /**
   * Traefik's static configuration already redirects the HTTP entry point to HTTPS, so no
   * redirect router is written.
   *
   * The recommended set-up: redirect at the entry point
   * (`--entryPoints.web.http.redirections.entryPoint.to=websecure`, `.scheme=https`,
   * `.permanent=true`; Helm `ports.web.redirections.entryPoint`) and set this to true. Otherwise
   * each TlsIngress writes a second Ingress `<name>-http-redirect` on the HTTP entry point. That
   * Ingress has no `spec.tls`, and cannot: Traefik makes the router of an Ingress with `spec.tls`
   * TLS-only, so it would ignore the plain-HTTP requests it must redirect. Checks that require
   * `spec.tls` on every Ingress (Polaris tlsSettingsMissing, Kyverno require-ingress-https) flag it.
   * @default false
   */
  readonly redirectAtEntryPoint?: boolean;
}

/** Whether an Application Load Balancer faces the internet. */
export enum AlbScheme {
  /** Reachable from inside the VPC only. */
  INTERNAL = 'internal',
  /** Reachable from the internet. */
  INTERNET_FACING = 'internet-facing',
}

/** The IP address types of an Application Load Balancer (`alb.ingress.kubernetes.io/ip-address-type`). */
export enum AlbIpAddressType {
  /** IPv4 only. */
  IPV4 = 'ipv4',
  /** IPv4 and IPv6: needs subnets with IPv6 CIDRs; required for IPv6 source ranges. */
  DUALSTACK = 'dualstack',
}

/** Options of `IngressController.awsAlb()`. */
export interface AwsAlbOptions extends IngressControllerOptions {
  /**
   * The CIDRs of the subnets the load balancer lives in. With target type `ip` the load
   * balancer connects to the pods from these addresses, so the backends admit them.
   */
  readonly vpcCidrs: string[];
  /**
   * Internal or internet-facing.
   * @default AlbScheme.INTERNAL
   */
  readonly scheme?: AlbScheme;
  /**
   * The TLS security policy of the HTTPS listener.
   * @default 'ELBSecurityPolicy-TLS13-1-2-2021-06'
   */
  readonly sslPolicy?: string;
  /**
   * Share one load balancer among the Ingresses of this group (`group.name`).
   *
   * The group's Ingresses share listeners and one managed security group, so `inbound-cidrs`
   * (`TlsIngress.allowSourceRanges`) applies to every Ingress of the group: every TlsIngress of a
   * group in the app must have the same allowSourceRanges (or none), and differing ones are
   * refused at synth. Ingresses of the group outside this app are not seen: keep them equal too.
   * @default - a load balancer per Ingress
   */
  readonly groupName?: string;
  /**
   * An AWS WAFv2 web ACL to attach.
   * @default - none
   */
  readonly wafAclArn?: string;
  /**
   * The IP address type of the load balancer (`ip-address-type`).
   *
   * IPv6 CIDRs in `TlsIngress.allowSourceRanges` (`inbound-cidrs`) need `DUALSTACK`; the
   * controller rejects them on an IPv4 load balancer.
   * @default AlbIpAddressType.IPV4
   */
  readonly ipAddressType?: AlbIpAddressType;
}

/** Options of `IngressController.gce()`. */
export interface GceOptions extends IngressControllerOptions {
  /**
   * An internal Application Load Balancer (class `gce-internal`).
   * @default false
   */
  readonly internal?: boolean;
  /**
   * The region's proxy-only subnet, where an internal load balancer connects from. Required with `internal`.
   * @default - none (external load balancers connect from Google's front-end ranges)
   */
  readonly proxyOnlySubnetCidr?: string;
  /**
   * A reserved static IP address name (global for external, regional for internal).
   * @default - an ephemeral address
   */
  readonly staticIpName?: string;
  /**
   * A Google Cloud SSL policy name, set through the FrontendConfig.
   * @default - Google's default policy
   */
  readonly sslPolicy?: string;
}

/** Options of `IngressController.custom()`. */
export interface CustomIngressControllerOptions {
  /** The IngressClass name. */
  readonly className: string;
  /** The controller string of its IngressClass (`example.com/ingress-controller`). */
  readonly controllerName: string;
  /** The namespace of its pods. */
  readonly namespace: string;
  /** Labels that select its pods. */
  readonly podLabels: { [key: string]: string };
  /**
   * Name used in messages.
   * @default - `custom controller <controllerName>`
   */
  readonly displayName?: string;
  /**
   * Annotations that make the controller redirect HTTP to HTTPS.
   * @default - none: TlsIngress.sslRedirect must be set to false
   */
  readonly sslRedirectAnnotations?: { [key: string]: string };
  /**
   * Annotations that make the controller send HSTS.
   * @default - none: TlsIngress.hsts must be disabled
   */
  readonly hstsAnnotations?: { [key: string]: string };
}

/** The data side of a controller profile. */
export interface IIngressControllerProfile extends IPeer {
  /** Name used in messages (`ingress-nginx`). */
  readonly displayName: string;
  /** The IngressClass name its Ingresses use. */
  readonly className: string;
  /** The controller string of its IngressClass (`spec.controller`). */
  readonly controllerName: string;
  /** The namespace of its pods. */
  readonly namespace: string;
  /** Labels that select its pods. */
  readonly podLabels: { [key: string]: string };
  /** The peers that connect to the backend pods: its pods, or a cloud load balancer's addresses. */
  readonly trafficSources: IPeer[];
}

/**
 * An ingress controller: what it is called, where its pods run, and how it expresses the
 * neutral TlsIngress options. An enum-like class: use the static factories.
 *
 * Each controller is also a connection peer meaning its pods, so other rules can name it
 * (`api.allowFrom(IngressController.traefik())`).
 *
 * @example
 * IngressController.traefik();
 * IngressController.ingressNginx({ namespace: 'edge', className: 'nginx-public' });
 * IngressController.awsAlb({ vpcCidrs: ['10.0.0.0/16'], scheme: AlbScheme.INTERNET_FACING });
 */
export class IngressController implements IIngressControllerProfile {
  /**
   * Community ingress-nginx (`nginx.ingress.kubernetes.io/*`).
   *
   * **Retired:** its best-effort maintenance ended in March 2026 and it receives no more
   * releases, security fixes included. Its maintainers recommend Gateway API (`TlsGateway`);
   * `nginxInc()`, `traefik()` and `haproxy()` are Ingress alternatives. Run v1.12.1 or later
   * (CVE-2025-1974) with snippets disabled while you migrate.
   *
   * HSTS lives only in its ConfigMap (defaults `max-age=31536000; includeSubDomains`), so
   * `TlsIngress.hsts` must equal those defaults, or the HSTS of the `IngressNginxConfig` given as
   * `config` (which writes the ConfigMap). Controller-wide settings that can undo TlsIngress
   * options live there too: `use-forwarded-headers: "true"` lets clients forge the address
   * `allowSourceRanges` checks; `allow-snippet-annotations: "true"` lets any Ingress rewrite
   * nginx.conf. Rate limits count per controller replica.
   *
   * @see https://github.com/kubernetes/ingress-nginx
   */
  public static ingressNginx(options: IngressNginxOptions = {}): IngressController {
    return checkedValue(IngressController.prototype, () => {
      const call = 'IngressController.ingressNginx';
      const config = options.config;
      if (config !== undefined && !(config instanceof IngressNginxConfig)) failCall(call, 'config is not an IngressNginxConfig; give new IngressNginxConfig(chart, id, {...}).');
      if (config && options.namespace !== undefined && options.namespace !== config.namespace) {
        failCall(call, `namespace is "${options.namespace}", but config is the ConfigMap of the controller in "${config.namespace}"; the controller reads its ConfigMap from its own namespace, so make them equal.`);
      }
      if (config && options.version !== undefined && options.version.replace(/^v/, '') !== config.version) {
        failCall(call, `version is "${options.version}", but config is written for ${config.version}; set one version.`);
      }
      const resolved = config ? { ...options, namespace: config.namespace, version: config.version } : options;
      const configHsts = config ? { hsts: config.hsts as Required<HstsOptions>, path: config.node.path } : undefined;
      return new IngressController(call, INGRESS_NGINX_DEFAULTS, resolved, ingressNginxRenderer(configHsts));
    });
  }

  /**
   * F5 NGINX Ingress Controller (`nginx.org/*`). Its request rate limit is divided among its
   * replicas (`limit-req-scale`).
   *
   * - HSTS: its Ingress header always carries `preload`, so with this profile `hsts.preload`
   *   defaults to true; `preload: false` is refused (disable hsts to send the header yourself).
   * - Versions: the default is 5.5; `nginx.org/ssl-redirect` is written from 5.4 on (the legacy
   *   `ingress.kubernetes.io/ssl-redirect` before), rate limits need 3.5 (`limit-req-scale` 3.6).
   * - `backendProtocol: GRPC` writes `nginx.org/grpc-services`, which works only with HTTP/2
   *   enabled in the controller ConfigMap (`http2: "true"`).
   * - `basicAuthSecret` names a Secret of type `nginx.org/htpasswd` (key `htpasswd`); other
   *   Secret types are ignored by the controller.
   *
   * @see https://docs.nginx.com/nginx-ingress-controller/
   */
  public static nginxInc(options: IngressControllerOptions = {}): IngressController {
    return checkedValue(IngressController.prototype, () => {
      return new IngressController('IngressController.nginxInc', NGINX_INC_DEFAULTS, options, nginxIncRenderer());
    });
  }

  /**
   * Traefik: router annotations and Middleware objects. Rate limits count per Traefik instance.
   *
   * @see https://doc.traefik.io/traefik/routing/providers/kubernetes-ingress/
   */
  public static traefik(options: TraefikOptions = {}): IngressController {
    return checkedValue(IngressController.prototype, () => {
      const call = 'IngressController.traefik';
      const https = options.httpsEntryPoint ?? 'websecure';
      const http = options.httpEntryPoint ?? 'web';
      for (const [field, ep] of [['httpsEntryPoint', https], ['httpEntryPoint', http]]) {
        if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(ep)) failCall(call, `${field} "${ep}" is not an entry point name (letters, digits, - and _).`);
      }
      return new IngressController(call, TRAEFIK_DEFAULTS, options,
        traefikRenderer({ httpsEntryPoint: https, httpEntryPoint: http, redirectAtEntryPoint: options.redirectAtEntryPoint ?? false }));
    });
  }

  /**
   * HAProxy Kubernetes Ingress Controller by HAProxy Technologies (`haproxy.org/*`).
   *
   * - Rate limits count per client address in each replica's stick table. HAProxy names the table
   *   after the period and shares it among all Ingresses with that period, so each TlsIngress gets
   *   a period of its own (10 requests/s: 11 requests per 1100ms), never the default 1s.
   * - CORS preflights are answered at the proxy (`cors-respond-to-options`, 3.2 and later); unset
   *   `cors.allowHeaders` is written as the safelisted headers, not the controller's `*`.
   * - `basicAuthSecret` names a Secret whose keys are the user names and whose values are crypt(3)
   *   password hashes (`kubectl create secret generic users --from-literal=bob=$(openssl passwd -6 ...)`);
   *   plain-text passwords are not accepted.
   * - The IngressClass controller string is `haproxy.org/ingress-controller/<className>`, as the
   *   Helm chart installs it; see `controllerName`.
   *
   * @see https://github.com/haproxytech/kubernetes-ingress
   */
  public static haproxy(options: IngressControllerOptions = {}): IngressController {
    return checkedValue(IngressController.prototype, () => {
      const defaults = { ...HAPROXY_DEFAULTS, controllerName: `haproxy.org/ingress-controller/${options.className ?? HAPROXY_DEFAULTS.className}` };
      return new IngressController('IngressController.haproxy', defaults, options, haproxyRenderer());
    });
  }

  /**
   * AWS Load Balancer Controller (`alb.ingress.kubernetes.io/*`), target type `ip`. Its
   * backends admit the load balancer's subnets (`vpcCidrs`), which is where connections come from.
   *
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/
   */
  public static awsAlb(options: AwsAlbOptions): IngressController {
    return checkedValue(IngressController.prototype, () => {
      const call = 'IngressController.awsAlb';
      if (!options.vpcCidrs || options.vpcCidrs.length === 0) {
        failCall(call, 'vpcCidrs is empty; list the CIDRs of the load balancer\'s subnets, which the backends must admit.');
      }
      options.vpcCidrs.forEach((c, i) => {
        const p = cidrProblem(c);
        if (p) failCall(call, `vpcCidrs[${i}] "${c}" is not a CIDR; ${p}.`);
      });
      const sslPolicy = options.sslPolicy ?? 'ELBSecurityPolicy-TLS13-1-2-2021-06';
      if (!/^ELBSecurityPolicy-[A-Za-z0-9-]+$/.test(sslPolicy)) failCall(call, `sslPolicy "${sslPolicy}" is not an ELB security policy name (ELBSecurityPolicy-...).`);
      if (options.groupName !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/.test(options.groupName)) {
        failCall(call, `groupName "${options.groupName}" is not a group name (at most 63 lower-case letters, digits, '-' and '.').`);
      }
      if (options.ipAddressType !== undefined && !Object.values(AlbIpAddressType).includes(options.ipAddressType)) {
        failCall(call, `ipAddressType "${options.ipAddressType}" is not one of ${Object.values(AlbIpAddressType).join(', ')}.`);
      }
      if (options.wafAclArn !== undefined && !/^arn:aws(-cn|-us-gov)?:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[A-Za-z0-9_-]+\/[A-Za-z0-9-]+$/.test(options.wafAclArn)) {
        failCall(call, `wafAclArn "${options.wafAclArn}" is not a regional WAFv2 web ACL ARN.`);
      }
      return new IngressController(call, AWS_ALB_DEFAULTS, options, awsAlbRenderer({
        scheme: options.scheme ?? AlbScheme.INTERNAL,
        vpcCidrs: [...options.vpcCidrs],
        sslPolicy,
        groupName: options.groupName,
        wafAclArn: options.wafAclArn,
        ipAddressType: options.ipAddressType ?? AlbIpAddressType.IPV4,
      }));
    });
  }

  /**
   * GKE Ingress (ingress-gce), class `gce` or `gce-internal` (set by annotation: GKE has no
   * IngressClass). Its backends admit Google's front-end ranges (and the proxy-only subnet).
   *
   * @see https://cloud.google.com/kubernetes-engine/docs/concepts/ingress
   */
  public static gce(options: GceOptions = {}): IngressController {
    return checkedValue(IngressController.prototype, () => {
      const call = 'IngressController.gce';
      if (options.className !== undefined) failCall(call, 'className is set, but GKE selects Ingresses by class "gce" or "gce-internal" only; use internal to choose.');
      if (options.controllerName !== undefined) failCall(call, 'controllerName is set, but GKE Ingress has no IngressClass to name a controller in; remove controllerName.');
      if (options.internal && options.proxyOnlySubnetCidr === undefined) {
        failCall(call, 'internal is true but proxyOnlySubnetCidr is not set; give the region\'s proxy-only subnet, which internal load balancers connect from.');
      }
      if (!options.internal && options.proxyOnlySubnetCidr !== undefined) failCall(call, 'proxyOnlySubnetCidr is set but internal is not; it applies to internal load balancers only.');
      if (options.proxyOnlySubnetCidr !== undefined) {
        const p = cidrProblem(options.proxyOnlySubnetCidr);
        if (p) failCall(call, `proxyOnlySubnetCidr "${options.proxyOnlySubnetCidr}" is not a CIDR; ${p}.`);
      }
      for (const [field, v] of [['staticIpName', options.staticIpName], ['sslPolicy', options.sslPolicy]]) {
        if (v !== undefined && !/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v)) failCall(call, `${field} "${v}" is not a Google Cloud resource name.`);
      }
      const defaults = { ...GCE_DEFAULTS, className: options.internal ? 'gce-internal' : 'gce', displayName: options.internal ? 'GKE internal Ingress (gce-internal)' : GCE_DEFAULTS.displayName };
      return new IngressController(call, defaults, options, gceRenderer({
        internal: options.internal ?? false,
        proxyOnlySubnetCidr: options.proxyOnlySubnetCidr,
        staticIpName: options.staticIpName,
        sslPolicy: options.sslPolicy,
      }));
    });
  }

  /**
   * The Istio ingress gateway, rendered as an Istio Gateway (in the gateway's namespace) and
   * VirtualServices.
   *
   * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/
   */
  public static istio(options: IngressControllerOptions = {}): IngressController {
    return checkedValue(IngressController.prototype, () => {
      return new IngressController('IngressController.istio', ISTIO_DEFAULTS, options, istioRenderer());
    });
  }

  /** A controller without a profile here: it renders only the redirect and HSTS annotations you declare. */
  public static custom(options: CustomIngressControllerOptions): IngressController {
    return checkedValue(IngressController.prototype, () => {
      const displayName = options.displayName ?? `custom controller ${options.controllerName}`;
      for (const [field, map] of [['sslRedirectAnnotations', options.sslRedirectAnnotations], ['hstsAnnotations', options.hstsAnnotations]] as const) {
        if (map !== undefined && Object.keys(map).length === 0) failCall('IngressController.custom', `${field} is empty; leave it unset if the controller has no such annotations.`);
        for (const [k, v] of Object.entries(map ?? {})) {
          const problem = annotationKeyProblem(k) ?? (dangerousAnnotationReason(k) ? `it is refused: ${dangerousAnnotationReason(k)}` : undefined) ?? annotationValueProblem(v);
          if (problem) failCall('IngressController.custom', `${field} "${k}": "${v}" is refused; ${problem}.`);
        }
      }
      return new IngressController('IngressController.custom', { ...options, displayName }, {}, customRenderer(options));
    });
  }

  public readonly displayName: string;
  public readonly className: string;
  public readonly controllerName: string;
  public readonly namespace: string;
  public readonly podLabels: { [key: string]: string };
  /**
   * The controller release the profile renders for.
   * @default - none: GKE Ingress and custom controllers have no version
   */
  public readonly version?: string;
  public readonly connections: Connections;
  public readonly peerId: string;
  public readonly peerNamespace?: string;
  /** @internal */
  public readonly _renderer: ProfileRenderer;
  private readonly pods: IPeer;
  private readonly call: string;
  private sources?: IPeer[];

  private constructor(call: string, defaults: ControllerInfo, options: IngressControllerOptions, renderer: ProfileRenderer) {
    this.displayName = defaults.displayName;
    this.className = options.className ?? defaults.className;
    this.controllerName = options.controllerName ?? defaults.controllerName;
    this.namespace = options.namespace ?? defaults.namespace;
    this.podLabels = { ...(options.podLabels ?? defaults.podLabels) };
    const classProblem = dns1123SubdomainProblem(this.className);
    if (classProblem) failCall(call, `className "${this.className}" is not an IngressClass name; ${classProblem}.`);
    if (!/^[a-z0-9.-]+\/[A-Za-z0-9/._-]+$/.test(this.controllerName) || this.controllerName.length > 250) {
      failCall(call, `controllerName "${this.controllerName}" is not a controller string (a domain-prefixed path such as example.com/ingress-controller).`);
    }
    const nsProblem = dns1123LabelProblem(this.namespace);
    if (nsProblem) failCall(call, `namespace "${this.namespace}" is not a namespace name; ${nsProblem}.`);
    if (Object.keys(this.podLabels).length === 0) failCall(call, 'podLabels is empty; an empty selector would name every pod of the namespace.');
    for (const [k, v] of Object.entries(this.podLabels)) {
      const p = labelProblem(k, v);
      if (p) failCall(call, `podLabels: ${p}.`);
    }
    if (options.version !== undefined && !renderer.versions) {
      failCall(call, `version is set, but ${this.displayName} has no releases to choose from (it is managed by its provider); remove version.`);
    }
    if (renderer.versions) this.version = resolveVersion(call, 'version', this.displayName, options.version, renderer.versions);
    this.call = call;
    this._renderer = renderer;
    this.pods = Peer.pods({ namespace: this.namespace, labels: this.podLabels });
    this.peerId = this.pods.peerId;
    this.peerNamespace = this.namespace;
    this.connections = new Connections({ peer: this, description: `${this.displayName} (${this.peerId})` });
    // No construct owns a controller: a refused call on its connections names the factory call.
    this.connections._owner = `${call}()`;
    // Choosing the controller declares its namespace (app-wide check NET019).
    _declareExternalPeer(this);
  }

  /** The peers that connect to backend pods: its pods, or the load balancer's addresses for cloud load balancers. */
  public get trafficSources(): IPeer[] {
    this.sources ??= this._renderer.trafficSources ? this._renderer.trafficSources(this) : [this];
    return [...this.sources];
  }

  /** Its pods, as seen from a policy in `policyNamespace`. */
  public toPeerSpecs(policyNamespace?: string): NetworkPolicyPeerSpec[] {
    return this.pods.toPeerSpecs(policyNamespace);
  }

  /** @internal */
  public get _info(): ControllerInfo {
    return {
      displayName: this.displayName,
      className: this.className,
      controllerName: this.controllerName,
      namespace: this.namespace,
      podLabels: { ...this.podLabels },
      version: this.version,
      call: this.call,
      versions: this._renderer.versions,
    };
  }
}
