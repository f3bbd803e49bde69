import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { INGRESS_NGINX_DEFAULTS, INGRESS_NGINX_VERSIONS } from './controllers/ingress-nginx';
import { resolveVersion, olderThan } from './controllers/versions';
import { HstsOptions } from './ingress-options';
import { resolveHsts } from './resolve-options';
import { fail, uniqueId } from '../core/errors';
import { optionalEnum, optionalObject, optionalString, requireProps } from '../core/guards';
import { LabelKeys } from '../core/labels';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/names';

/** ingress-nginx `annotations-risk-level`: annotations riskier than this are refused by the controller. */
export enum IngressNginxAnnotationsRiskLevel {
  /** Only low-risk annotations. */
  LOW = 'Low',
  /** Low and medium risk. */
  MEDIUM = 'Medium',
  /** Everything but critical-risk annotations (snippets and their kin); the controller default from 1.12. */
  HIGH = 'High',
}

/** Props of `IngressNginxConfig`. */
export interface IngressNginxConfigProps {
  /**
   * The ConfigMap name the controller reads (its `--configmap` flag).
   * @default 'ingress-nginx-controller' (the Helm chart with release name ingress-nginx)
   */
  readonly name?: string;
  /**
   * The controller's namespace.
   * @default 'ingress-nginx'
   */
  readonly namespace?: string;
  /**
   * The controller release you run; keys it does not read are refused.
   * @default '1.15'
   */
  readonly version?: string;
  /**
   * HSTS for every HTTPS server of the controller (`hsts`, `hsts-max-age`,
   * `hsts-include-subdomains`, `hsts-preload`): ingress-nginx has no per-Ingress HSTS key. A
   * `TlsIngress` whose controller names this config (`IngressController.ingressNginx({ config })`)
   * inherits these values, and may set only the same ones.
   * @default - enabled: max-age 31536000, includeSubDomains, no preload (the controller's defaults)
   */
  readonly hsts?: HstsOptions;
  /**
   * The riskiest annotations the controller accepts (`annotations-risk-level`, read from 1.9.1).
   * `Critical` (snippets and other free-text annotations) is not offered.
   * @default IngressNginxAnnotationsRiskLevel.HIGH
   */
  readonly annotationsRiskLevel?: IngressNginxAnnotationsRiskLevel;
}

/**
 * The ingress-nginx controller ConfigMap, for settings ingress-nginx has only controller-wide:
 * HSTS, snippet annotations off (`allow-snippet-annotations: "false"`), the annotation risk level,
 * client addresses from the connection only (`use-forwarded-headers: "false"`, so
 * `allowSourceRanges` cannot be bypassed with a forged X-Forwarded-For), and strict path types.
 *
 * Every key is written explicitly, so a changed controller default cannot loosen it. The
 * controller reads one ConfigMap: this object replaces the one its Helm chart writes
 * (`controller.config` in values.yaml must then be empty).
 *
 * @see https://github.com/kubernetes/ingress-nginx/blob/main/docs/user-guide/nginx-configuration/configmap.md
 * @example
 * const config = new IngressNginxConfig(chart, 'Nginx', { hsts: { maxAgeSeconds: 63072000, preload: true } });
 * const controller = IngressController.ingressNginx({ config });
 */
export class IngressNginxConfig extends Construct {
  /** The ConfigMap. */
  public readonly apiObject: ApiObject;
  /** The ConfigMap name. */
  public readonly configMapName: string;
  /** The controller namespace. */
  public readonly namespace: string;
  /** The controller release. */
  public readonly version: string;
  /** The HSTS the controller sends, after defaults. */
  public readonly hsts: HstsOptions;

  public constructor(scope: Construct, id: string, props: IngressNginxConfigProps = {}) {
    super(scope, uniqueId(scope, id, new.target.name));
    const c = 'IngressNginxConfig';
    requireProps(this, c, props, 'give IngressNginxConfigProps, e.g. { hsts: { maxAgeSeconds: 63072000 } }', true);
    optionalString(this, `${c}.name`, props.name, "give the ConfigMap name, e.g. 'ingress-nginx-controller'");
    optionalString(this, `${c}.namespace`, props.namespace, "give the controller namespace, e.g. 'ingress-nginx'");
    optionalString(this, `${c}.version`, props.version, "give a release such as '1.15'");
    optionalObject(this, `${c}.hsts`, props.hsts, 'give HstsOptions, e.g. { maxAgeSeconds: 63072000 }');
    optionalEnum(this, `${c}.annotationsRiskLevel`, props.annotationsRiskLevel, Object.values(IngressNginxAnnotationsRiskLevel), 'IngressNginxAnnotationsRiskLevel');
    this.configMapName = props.name ?? 'ingress-nginx-controller';
    const nameProblem = dns1123SubdomainProblem(this.configMapName);
    if (nameProblem) fail(this, `${c}.name "${this.configMapName}" is not a ConfigMap name; ${nameProblem}.`);
    this.namespace = props.namespace ?? INGRESS_NGINX_DEFAULTS.namespace;
    const nsProblem = dns1123LabelProblem(this.namespace);
    if (nsProblem) fail(this, `${c}.namespace "${this.namespace}" is not a namespace name; ${nsProblem}.`);
    this.version = resolveVersion(this, `${c}.version`, 'ingress-nginx', props.version, INGRESS_NGINX_VERSIONS);
    const hsts = resolveHsts(this, props.hsts ?? {}, c);
    this.hsts = hsts;
    const data: { [key: string]: string } = {
      'hsts': String(hsts.enabled),
      'allow-snippet-annotations': 'false',
      'use-forwarded-headers': 'false',
      'strict-validate-path-type': 'true',
    };
    if (hsts.enabled) {
      Object.assign(data, {
        'hsts-max-age': String(hsts.maxAgeSeconds),
        'hsts-include-subdomains': String(hsts.includeSubdomains),
        'hsts-preload': String(hsts.preload),
      });
    }
    // kubernetes/ingress-nginx internal/ingress/controller/config/config.go: AnnotationsRiskLevel from controller-v1.9.1
    // (default "Critical" until 1.11, "High" from 1.12).
    if (!olderThan(this.version, '1.9.1')) {
      data['annotations-risk-level'] = props.annotationsRiskLevel ?? IngressNginxAnnotationsRiskLevel.HIGH;
    } else if (props.annotationsRiskLevel !== undefined) {
      fail(this, `${c}.annotationsRiskLevel is set, but ingress-nginx reads annotations-risk-level from release 1.9.1 on and the config is for ${this.version}; upgrade the controller or leave it unset.`);
    }
    this.apiObject = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: this.configMapName, namespace: this.namespace, labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE } },
      data,
    });
  }
}
