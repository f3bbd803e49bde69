/**
 * The contract between `TlsIngress` and the controller profiles: a profile is a table with one
 * handler per neutral option (the compiler checks that none is missing, so no option can be
 * dropped silently), plus the certificate sources it accepts.
 *
 * @internal
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { fail, warn as warnOn } from '../../core/errors';
import { IPeer } from '../../core/peer';
import { BackendInfo, IngressPathType } from '../ingress-backend';
import { OptionKey, ResolvedOptions } from '../ingress-options';
import { annotationKeyProblem, annotationValueProblem } from '../safety';
import { CertificateKind, TlsCertificate } from '../tls-certificate';
import { VersionTable, keyForVersion, olderThan } from './versions';

/** One rule after validation. @internal */
export interface ResolvedRule {
  readonly host: string;
  readonly path: string;
  readonly pathType: IngressPathType;
  readonly backend: BackendInfo;
}

/** What a profile knows about itself. @internal */
export interface ControllerInfo {
  readonly displayName: string;
  readonly className: string;
  readonly controllerName: string;
  readonly namespace: string;
  readonly podLabels: { [key: string]: string };
  /** The release the profile renders for (profiles with versions only). */
  readonly version?: string;
  /** The factory that made the profile (`IngressController.nginxInc`), for messages. */
  readonly call?: string;
  /** From which release the controller reads each key (profiles with versions only). */
  readonly versions?: VersionTable;
}

/** Everything a profile renders from. @internal */
export interface RenderContext {
  readonly scope: Construct;
  readonly controller: ControllerInfo;
  readonly ingressName: string;
  readonly namespace?: string;
  readonly hosts: string[];
  readonly rules: ResolvedRule[];
  /** Every distinct backend (rules and default backend). */
  readonly backends: BackendInfo[];
  readonly options: ResolvedOptions;
  readonly certificate: TlsCertificate;
  /** The Secret that holds the certificate, for certificate kinds that use one. */
  readonly tlsSecretName?: string;
  readonly isCanary: boolean;
  /** The Ingress spec TlsIngress renders (for profiles that need a second Ingress). */
  readonly ingressSpec: () => k8s.IngressSpec;
}

/** What a profile produces besides objects it creates itself. @internal */
export class RenderSink {
  public readonly annotations: { [key: string]: string } = {};
  /** The option each annotation was rendered from (`sslRedirect`, `hsts.maxAgeSeconds`, `controller`, ...). */
  public readonly fields: { [key: string]: string } = {};
  /** Whether TlsIngress renders an Ingress object (Istio renders Gateway + VirtualService instead). */
  public renderIngress = true;
  /** Whether the Ingress lists `spec.tls` (GKE-managed certificates do not use it). */
  public renderTls = true;
  /** Whether the class is set with `ingressClassName` (GKE uses the legacy annotation instead). */
  public useIngressClassName = true;
  /**
   * Whether TlsIngress writes `kubernetes.io/ingress.allow-http: "false"` (which Kyverno's
   * require-ingress-https asks of every Ingress). Only ingress-gce reads that annotation, so for
   * the other controllers it is a statement for policy tools: true while plain HTTP is either
   * redirected or not served. A profile whose controller serves plain HTTP without a redirect
   * (sslRedirect false) sets it to false, so the annotation never claims what is untrue; GKE,
   * which does read it, writes it itself (and must not with its FrontendConfig redirect).
   */
  public markHttpsOnly = true;
  /** Scratch space of the profile for one rendering. */
  public readonly state: { [key: string]: any } = {};

  public constructor(private readonly ctx: RenderContext) {}

  /**
   * Adds an annotation after checking its value. `composed` values are built by this library
   * from numbers and fixed words only and may contain `;` and `"` where a controller's syntax
   * needs them (an HSTS header value); no user text reaches them.
   */
  public annotate(key: string, value: string, field: string, composed = false): void {
    const keyProblem = annotationKeyProblem(key);
    if (keyProblem) fail(this.ctx.scope, `TlsIngress.${field} renders annotation key "${key}", which is invalid; ${keyProblem}.`);
    const problem = composed ? (/[\n\r$#`\\']/.test(value) ? 'it contains a forbidden character' : undefined) : annotationValueProblem(value);
    if (problem) {
      fail(this.ctx.scope, `TlsIngress.${field} renders ${key}: "${value}", which is refused; ${problem}. Remove the offending characters.`);
    }
    this.put(this.versionedKey(key, field), value, field);
  }

  /**
   * The key the chosen controller release reads for `key`: `key` itself, the key older releases
   * read, or an error naming the release that reads it.
   */
  private versionedKey(key: string, field: string): string {
    const { key: readKey, since } = keyForVersion(this.ctx.controller.versions, this.ctx.controller.version, key);
    if (readKey === undefined) tooOld(this.ctx, field, key, since!);
    return readKey;
  }

  /**
   * Adds an anchored, escaped regular expression for exactly one origin
   * (`^https://app\.example\.com$`, from `exactOriginRegex`): the only value that may contain
   * `^ \ $`, and only in that shape.
   */
  public annotateExactOriginRegex(key: string, value: string, field: string): void {
    const problem = annotationValueProblem(value, 'exact-origin-regex');
    if (problem) fail(this.ctx.scope, `TlsIngress.${field} renders ${key}: "${value}", which is refused; ${problem}.`);
    this.put(this.versionedKey(key, field), value, field);
  }

  private put(key: string, value: string, field: string): void {
    const existing = this.annotations[key];
    if (existing !== undefined && existing !== value) {
      fail(this.ctx.scope, `TlsIngress.${field} renders ${key}: "${value}", but another option already set it to "${existing}"; these options conflict for ${this.ctx.controller.displayName}.`);
    }
    this.annotations[key] = value;
    this.fields[key] ??= field;
  }
}

/**
 * Keys a controller reads that would undo one setting the profile renders.
 * @internal
 */
export interface OverrideRule {
  /** Keys the profile writes for the setting; the rule applies when it rendered one of them. */
  readonly renders: string[];
  /** Each key that undoes the setting, with what it does (`it exempts the listed clients from the limit`). */
  readonly keys: { [key: string]: string };
  /** The setting, as the message names it (`the HTTP-to-HTTPS redirect`). */
  readonly setting: string;
  /** The option to use instead (`TlsIngress.sslRedirect`). */
  readonly instead: string;
}

/** A handler renders one option or throws (via `unsupported`). @internal */
export type OptionHandlers = { [K in OptionKey]: (ctx: RenderContext, sink: RenderSink, value: NonNullable<ResolvedOptions[K]>) => void };

/** A controller profile's renderer. @internal */
export interface ProfileRenderer {
  readonly handlers: OptionHandlers;
  /** The certificate sources the controller can use; others fail with `certificateAdvice`. */
  readonly certificateKinds: CertificateKind[];
  readonly certificateAdvice: string;
  /** The TLS Secret lives in the controller's namespace (Istio), so default names carry the Ingress namespace. */
  readonly secretInControllerNamespace?: boolean;
  /** Why the controller cannot serve a default backend, if it cannot. */
  readonly defaultBackendProblem?: string;
  /** Why an IngressClass cannot be made for this controller, if it cannot. */
  readonly ingressClassProblem?: string;
  /**
   * Annotation prefixes the controller reads as one (HAProxy: `haproxy.org/`, `haproxy.com/`,
   * `ingress.kubernetes.io/`); the first is the one the profile writes.
   */
  readonly annotationPrefixAliases?: string[];
  /** From which release the controller reads each key (profiles with versions only). */
  readonly versions?: VersionTable;
  /**
   * Raw annotations that would override, disable or bypass a setting the profile rendered: other
   * keys the controller reads for the same setting (aliases, legacy keys) and keys that switch it
   * off or around. `TlsIngress.annotations` refuses them unless `dangerouslyAllowUnsafeAnnotations`.
   */
  readonly overrides?: OverrideRule[];
  /** Runs before the option handlers. */
  prepare?(ctx: RenderContext, sink: RenderSink): void;
  /** Runs after the option handlers. */
  finish?(ctx: RenderContext, sink: RenderSink): void;
  /** The peers that open connections to the backend pods. */
  trafficSources?(self: IPeer): IPeer[];
}

/**
 * Throws the error for an option a controller cannot express:
 * `<path>: TlsIngress.<field> is <value>, but <controller> cannot express it: <why>; <what to do>.`
 * @internal
 */
export function unsupported(ctx: RenderContext, field: string, value: unknown, why: string, instead: string): never {
  return fail(ctx.scope, `TlsIngress.${field} is ${show(value)}, but ${ctx.controller.displayName} cannot express it: ${why}; ${instead}.`);
}

/**
 * Throws unless the chosen controller release reads `what` (an object kind or key), which it does
 * from release `since` on.
 * @internal
 */
export function requireVersion(ctx: RenderContext, field: string, what: string, since: string): void {
  const v = ctx.controller.version;
  if (v !== undefined && olderThan(v, since)) tooOld(ctx, field, what, since);
}

function tooOld(ctx: RenderContext, field: string, what: string, since: string): never {
  const c = ctx.controller;
  return fail(ctx.scope, `TlsIngress.${field} renders ${what}, which ${c.displayName} reads from release ${since} on, but the profile renders for ${c.version} ` +
    `(${c.call}({ version })); upgrade the controller to ${since} or later and set that version, or leave ${field} unset.`);
}

/**
 * Refuses `timeouts.responseSeconds` for a controller whose timeouts run between two reads or
 * writes, never over the whole response.
 * @internal
 */
export function refuseResponseTimeout(ctx: RenderContext, value: number | undefined, why: string): void {
  if (value === undefined) return;
  unsupported(ctx, 'timeouts.responseSeconds', value, why, 'use timeouts.readSeconds (the longest pause between two reads of the response), or leave responseSeconds unset');
}

/** The annotation values TlsIngresses put on each backend Service (`key -> value and the TlsIngress`). */
const serviceAnnotations = new WeakMap<object, Map<string, { value: string; path: string }>>();

/**
 * Annotates a backend Service for the controller (a Service is shared by every Ingress that routes
 * to it), refusing a value another TlsIngress already gave it: the controller would apply one of
 * them to both.
 * @internal
 */
export function annotateService(ctx: RenderContext, b: BackendInfo, key: string, value: string, field: string): void {
  const svc = b.serviceObject;
  let given = serviceAnnotations.get(svc);
  if (!given) serviceAnnotations.set(svc, given = new Map());
  const previous = given.get(key);
  if (previous && previous.value !== value) {
    fail(ctx.scope, `TlsIngress.${field} annotates backend Service ${b.serviceName} with ${key}: "${value}", but TlsIngress ${previous.path} gave it "${previous.value}"; ` +
      `${ctx.controller.displayName} reads it from the Service, for every Ingress that routes there, so give both TlsIngresses the same ${field}.`);
  }
  if (previous) return;
  given.set(key, { value, path: ctx.scope.node.path });
  svc.metadata.addAnnotation(key, value);
}

/** @internal */
export function show(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value && typeof value === 'object') {
    if ('primary' in (value as any)) return 'set';
    return `{ ${Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${show(v)}`).join(', ')} }`;
  }
  return String(value);
}


/** `key` with an alias prefix replaced by the first of `aliases`, so aliases compare equal. @internal */
export function canonicalAnnotationKey(key: string, aliases: string[]): string {
  const alias = aliases.find((a) => key.startsWith(a));
  return alias !== undefined ? aliases[0] + key.slice(alias.length) : key;
}

/** Adds a warning to the TlsIngress. @internal */
export function warn(ctx: RenderContext, message: string): void {
  warnOn(ctx.scope, message);
}

/** Seconds as `30s`. @internal */
export function seconds(n: number): string {
  return `${n}s`;
}

/** A size in bytes in nginx syntax (`8m`, `512k`, or bytes). @internal */
export function nginxSize(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}m`;
  if (bytes % 1024 === 0) return `${bytes / 1024}k`;
  return `${bytes}`;
}

/** A stable DNS-1123 object name from parts, shortened with a hash past 63 characters. @internal */
export function childName(...parts: string[]): string {
  const name = parts.filter((p) => p).join('-').replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  if (name.length <= 63) return name;
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 4294967296;
  return `${name.slice(0, 54).replace(/-$/, '')}-${h.toString(16).padStart(8, '0').slice(0, 8)}`;
}
