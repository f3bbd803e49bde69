import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { hostProblem } from './safety';
import { failCall } from '../core/errors';
import { optionalEnum, optionalNumber, optionalString, optionalStringArray, requireObject, requireString } from '../core/guards';
import { LabelKeys } from '../core/labels';
import { lazyModule } from '../core/lazy-module';
import { dns1123SubdomainProblem } from '../core/names';
import { checkedValue } from '../core/value-checks';
import type * as cm from '../imports/cert-manager.io';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cmMod = lazyModule((): typeof cm => require('../imports/cert-manager.io'));

/** Private key algorithms for certificates issued by cert-manager. */
export enum CertificateKeyAlgorithm {
  /** ECDSA P-256: small and fast, accepted everywhere TLS 1.2+ is. */
  ECDSA = 'ECDSA',
  /** RSA 2048. */
  RSA = 'RSA',
  /** Ed25519 (not accepted by most public CAs). */
  ED25519 = 'Ed25519',
}

/** Which cert-manager issuer signs the certificate. Set exactly one of `clusterIssuer` and `issuer`. */
export interface CertManagerOptions {
  /**
   * A ClusterIssuer (`cert-manager.io/cluster-issuer`).
   * @default - use `issuer`
   */
  readonly clusterIssuer?: string;
  /**
   * An Issuer in the Ingress namespace (`cert-manager.io/issuer`), or an external issuer with `issuerKind`/`issuerGroup`.
   * @default - use `clusterIssuer`
   */
  readonly issuer?: string;
  /**
   * Kind of an external issuer (`cert-manager.io/issuer-kind`), e.g. `AWSPCAClusterIssuer`.
   * @default - Issuer or ClusterIssuer
   */
  readonly issuerKind?: string;
  /**
   * API group of an external issuer (`cert-manager.io/issuer-group`).
   * @default 'cert-manager.io'
   */
  readonly issuerGroup?: string;
  /**
   * The Secret cert-manager writes the certificate into.
   * @default - `<ingress name>-tls`
   */
  readonly secretName?: string;
}

/** Options of `TlsCertificate.certManagerCertificate()`. */
export interface CertManagerCertificateOptions extends CertManagerOptions {
  /**
   * Certificate lifetime requested from the issuer, in hours (at least 1).
   * @default 2160 (90 days)
   */
  readonly durationHours?: number;
  /**
   * Renew this many hours before expiry (less than the duration).
   * @default 720 (30 days)
   */
  readonly renewBeforeHours?: number;
  /**
   * Private key algorithm. The key is rotated on every renewal.
   * @default CertificateKeyAlgorithm.ECDSA
   */
  readonly privateKeyAlgorithm?: CertificateKeyAlgorithm;
}

/** Options of `TlsCertificate.secret()`. */
export interface TlsSecretOptions {
  /**
   * The names the certificate in the Secret covers (its SANs, wildcards allowed). When set,
   * every host of the TlsIngress must be covered by one of them.
   * @default - assumed to cover every host of the TlsIngress
   */
  readonly hosts?: string[];
}

/** @internal */
export type CertificateKind = 'secret' | 'cert-manager' | 'cert-manager-certificate' | 'acm' | 'gke-managed';

/**
 * Where the TLS certificate of a TlsIngress comes from. TLS is not optional: every TlsIngress
 * has a certificate that covers all of its hosts.
 *
 * @example
 * TlsCertificate.certManager({ clusterIssuer: 'letsencrypt-prod' });
 * TlsCertificate.secret('shop-tls');
 */
export class TlsCertificate {
  /**
   * cert-manager's ingress-shim: annotations on the Ingress make cert-manager create a
   * Certificate named after the TLS secret, with the Ingress hosts as DNS names.
   *
   * @see https://cert-manager.io/docs/usage/ingress/
   */
  public static certManager(options: CertManagerOptions): TlsCertificate {
    return checkedValue(TlsCertificate.prototype, () => {
      checkIssuer('TlsCertificate.certManager', options);
      return new TlsCertificate('cert-manager', { issuer: options, secretName: options.secretName });
    });
  }

  /**
   * An explicit cert-manager `Certificate` object (created beside the Ingress), for control over
   * duration, renewal and key algorithm, or where the shim does not apply (Istio gateways).
   *
   * @see https://cert-manager.io/docs/usage/certificate/
   */
  public static certManagerCertificate(options: CertManagerCertificateOptions): TlsCertificate {
    return checkedValue(TlsCertificate.prototype, () => {
      const call = 'TlsCertificate.certManagerCertificate';
      checkIssuer(call, options);
      optionalNumber(call, 'durationHours', options.durationHours, 'give a whole number of hours >= 1');
      optionalNumber(call, 'renewBeforeHours', options.renewBeforeHours, 'give a whole number of hours >= 1');
      optionalEnum(call, 'privateKeyAlgorithm', options.privateKeyAlgorithm, Object.values(CertificateKeyAlgorithm), 'CertificateKeyAlgorithm');
      const duration = options.durationHours ?? 2160;
      const renew = options.renewBeforeHours ?? 720;
      if (!Number.isInteger(duration) || duration < 1) failCall(call, `durationHours is ${duration}; cert-manager requires a whole number of hours >= 1.`);
      if (!Number.isInteger(renew) || renew < 1 || renew >= duration) {
        failCall(call, `renewBeforeHours is ${renew}; it must be a whole number of hours >= 1 and below durationHours (${duration}).`);
      }
      return new TlsCertificate('cert-manager-certificate', {
        issuer: options,
        secretName: options.secretName,
        durationHours: duration,
        renewBeforeHours: renew,
        algorithm: options.privateKeyAlgorithm ?? CertificateKeyAlgorithm.ECDSA,
      });
    });
  }

  /**
   * An existing `kubernetes.io/tls` Secret in the Ingress namespace (for Istio: in the gateway's namespace).
   *
   * @param secretName the Secret name
   */
  public static secret(secretName: string, options: TlsSecretOptions = {}): TlsCertificate {
    return checkedValue(TlsCertificate.prototype, () => {
      requireString('TlsCertificate.secret', 'secretName', secretName, "give the name of a kubernetes.io/tls Secret, e.g. 'shop-tls'");
      const call = `TlsCertificate.secret('${secretName}')`;
      requireObject(call, 'options', options as unknown, "give TlsSecretOptions, e.g. { hosts: ['shop.example.com'] }, or nothing");
      optionalStringArray(call, 'hosts', options.hosts, "give a list of host names, e.g. ['shop.example.com']", "give a host name such as 'shop.example.com'");
      checkSecretName(call, 'secretName', secretName);
      (options.hosts ?? []).forEach((h, i) => {
        const p = hostProblem(h);
        if (p) failCall(call, `hosts[${i}] "${h}" is not a certificate name; ${p}.`);
      });
      return new TlsCertificate('secret', { secretName, hosts: options.hosts });
    });
  }

  /**
   * AWS Certificate Manager certificates, for the AWS Load Balancer Controller only
   * (`alb.ingress.kubernetes.io/certificate-arn`).
   *
   * @param certificateArns the certificate ARNs; empty lets the controller discover certificates by the Ingress hosts
   * @default certificateArns - discovery by host
   */
  public static acm(certificateArns?: string[]): TlsCertificate {
    return checkedValue(TlsCertificate.prototype, () => {
      optionalStringArray('TlsCertificate.acm', 'certificateArns', certificateArns, 'give a list of ACM certificate ARNs, or nothing',
        'give an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)');
      (certificateArns ?? []).forEach((arn, i) => {
        if (!/^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(arn)) {
          failCall('TlsCertificate.acm', `certificateArns[${i}] "${arn}" is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>).`);
        }
      });
      return new TlsCertificate('acm', { arns: certificateArns ?? [] });
    });
  }

  /**
   * A Google-managed certificate (`networking.gke.io/v1` ManagedCertificate), for GKE Ingress
   * (`IngressController.gce()`) only. Google-managed certificates cannot cover wildcard hosts.
   *
   * @see https://cloud.google.com/kubernetes-engine/docs/how-to/managed-certs
   */
  public static gkeManaged(): TlsCertificate {
    return new TlsCertificate('gke-managed', {});
  }

  /** @internal */
  public readonly _kind: CertificateKind;
  /** @internal */
  public readonly _spec: CertificateSpecInternal;

  private constructor(kind: CertificateKind, spec: CertificateSpecInternal) {
    this._kind = kind;
    this._spec = spec;
  }

  /** Readable name for messages: `TlsCertificate.secret('shop-tls')`. @internal */
  public get _description(): string {
    switch (this._kind) {
      case 'secret': return `TlsCertificate.secret('${this._spec.secretName}')`;
      case 'cert-manager': return 'TlsCertificate.certManager(...)';
      case 'cert-manager-certificate': return 'TlsCertificate.certManagerCertificate(...)';
      case 'acm': return 'TlsCertificate.acm(...)';
      default: return 'TlsCertificate.gkeManaged()';
    }
  }

  /** The cert-manager ingress-shim annotations. @internal */
  public _shimAnnotations(): { [key: string]: string } {
    const i = this._spec.issuer!;
    const out: { [key: string]: string } = {};
    if (i.clusterIssuer) out['cert-manager.io/cluster-issuer'] = i.clusterIssuer;
    if (i.issuer) out['cert-manager.io/issuer'] = i.issuer;
    if (i.issuerKind) out['cert-manager.io/issuer-kind'] = i.issuerKind;
    if (i.issuerGroup) out['cert-manager.io/issuer-group'] = i.issuerGroup;
    return out;
  }

  /** Creates the cert-manager Certificate object. @internal */
  public _renderCertificate(scope: Construct, id: string, name: string, namespace: string | undefined,
    secretName: string, hosts: string[]): ApiObject {
    const i = this._spec.issuer!;
    const algorithm = this._spec.algorithm ?? CertificateKeyAlgorithm.ECDSA;
    return new cmMod.Certificate(scope, id, {
      metadata: { name, namespace, labels: { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE } },
      spec: {
        secretName,
        dnsNames: [...hosts],
        issuerRef: {
          name: (i.clusterIssuer ?? i.issuer)!,
          kind: i.issuerKind ?? (i.clusterIssuer ? 'ClusterIssuer' : 'Issuer'),
          group: i.issuerGroup,
        },
        duration: `${this._spec.durationHours ?? 2160}h`,
        renewBefore: `${this._spec.renewBeforeHours ?? 720}h`,
        privateKey: {
          algorithm: algorithm as unknown as cm.CertificateSpecPrivateKeyAlgorithm,
          size: algorithm === CertificateKeyAlgorithm.ECDSA ? 256 : algorithm === CertificateKeyAlgorithm.RSA ? 2048 : undefined,
          rotationPolicy: cmMod.CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
        },
      },
    });
  }
}

/** @internal */
export interface CertificateSpecInternal {
  readonly secretName?: string;
  readonly hosts?: string[];
  readonly issuer?: CertManagerOptions;
  readonly durationHours?: number;
  readonly renewBeforeHours?: number;
  readonly algorithm?: CertificateKeyAlgorithm;
  readonly arns?: string[];
}

function checkSecretName(call: string, field: string, name: string) {
  const p = dns1123SubdomainProblem(name);
  if (p) failCall(call, `${field} "${name}" is not a Secret name; ${p}.`);
}

function checkIssuer(call: string, o: CertManagerOptions) {
  requireObject(call, 'options', o as unknown, "give CertManagerOptions, e.g. { clusterIssuer: 'letsencrypt-prod' }");
  const advice = {
    clusterIssuer: "give the ClusterIssuer name, e.g. 'letsencrypt-prod'",
    issuer: "give the Issuer name, e.g. 'letsencrypt-prod'",
    issuerKind: "give a kind such as 'AWSPCAClusterIssuer'",
    issuerGroup: "give an API group such as 'awspca.cert-manager.io'",
    secretName: "give a Secret name such as 'shop-tls'",
  } as const;
  for (const field of Object.keys(advice) as Array<keyof typeof advice>) optionalString(call, field, o[field], advice[field]);
  if ((o.clusterIssuer === undefined) === (o.issuer === undefined)) {
    failCall(call, 'set exactly one of clusterIssuer and issuer.');
  }
  const name = (o.clusterIssuer ?? o.issuer)!;
  const p = dns1123SubdomainProblem(name);
  if (p) failCall(call, `${o.clusterIssuer !== undefined ? 'clusterIssuer' : 'issuer'} "${name}" is not an issuer name; ${p}.`);
  if (o.issuerKind !== undefined && !/^[A-Z][A-Za-z0-9]{0,62}$/.test(o.issuerKind)) {
    failCall(call, `issuerKind "${o.issuerKind}" is not a Kubernetes kind (UpperCamelCase letters and digits).`);
  }
  if (o.issuerGroup !== undefined && dns1123SubdomainProblem(o.issuerGroup)) {
    failCall(call, `issuerGroup "${o.issuerGroup}" is not an API group (a DNS subdomain).`);
  }
  if ((o.issuerKind !== undefined || o.issuerGroup !== undefined) && o.clusterIssuer !== undefined) {
    failCall(call, 'issuerKind and issuerGroup name an external issuer; give its name in issuer, not clusterIssuer.');
  }
  if (o.secretName !== undefined) checkSecretName(call, 'secretName', o.secretName);
}
