/**
 * GKE Ingress (ingress-gce): class by the `kubernetes.io/ingress.class` annotation (`gce` or
 * `gce-internal`), FrontendConfig for the redirect and SSL policy, BackendConfig (attached to the
 * backend Services) for response headers and the backend timeout, and Google-managed
 * certificates.
 *
 * Traffic reaches the pods directly (container-native load balancing, NEGs) from Google's front
 * ends and health checkers (130.211.0.0/22, 35.191.0.0/16), or for internal Ingress from the
 * region's proxy-only subnet; the backends admit those ranges, not controller pods.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration
 * @internal
 */
import { Lazy } from 'cdk8s';
import { LabelKeys } from '../../core/labels';
import { lazyModule } from '../../core/lazy-module';
import { IPeer, Peer } from '../../core/peer';
import type * as gcb from '../../imports/cloud.google.com';
import type * as gke from '../../imports/networking.gke.io';
import { BackendInfo } from '../ingress-backend';
import { BackendProtocol, hstsHeaderValue } from '../ingress-options';
import { ProfileRenderer, RenderContext, childName, unsupported } from './render';
import { fail } from '../../core/errors';

/** The generated CRD classes, loaded when the first object is built (see core/lazy-module.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gkeMod = lazyModule((): typeof gke => require('../../imports/networking.gke.io'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gcbMod = lazyModule((): typeof gcb => require('../../imports/cloud.google.com'));

/** The Service annotation that sets the protocol per Service port. */
const APP_PROTOCOLS = 'cloud.google.com/app-protocols';

/** Google front-end and health-check ranges. @internal */
export const GOOGLE_FRONT_END_RANGES = ['130.211.0.0/22', '35.191.0.0/16'];

/** @internal */
export const GCE_DEFAULTS = {
  displayName: 'GKE Ingress (gce)',
  className: 'gce',
  controllerName: 'k8s.io/ingress-gce',
  namespace: 'kube-system',
  podLabels: { 'k8s-app': 'glbc' },
};

/** @internal */
export interface GceSettings {
  readonly internal: boolean;
  readonly proxyOnlySubnetCidr?: string;
  readonly staticIpName?: string;
  readonly sslPolicy?: string;
}

/** Which BackendConfig each Service already uses (a Service has one). */
/** The BackendConfig each Service uses: its name ('' for none) and, when written here, its spec. */
const attached = new WeakMap<object, { name: string; spec?: string }>();

const LABELS = { [LabelKeys.MANAGED_BY]: LabelKeys.MANAGED_BY_VALUE };

/** @internal */
export function gceRenderer(s: GceSettings): ProfileRenderer {
  const who = s.internal ? 'GKE internal Ingress (gce-internal)' : 'GKE Ingress (gce)';
  return {
    certificateKinds: ['secret', 'cert-manager', 'cert-manager-certificate', 'gke-managed'],
    certificateAdvice: 'GKE Ingress uses Secrets or Google-managed certificates: use TlsCertificate.secret(), certManager(), certManagerCertificate() or gkeManaged()',
    ingressClassProblem: 'GKE Ingress is selected by the kubernetes.io/ingress.class annotation and has no IngressClass',
    trafficSources: (): IPeer[] => [...GOOGLE_FRONT_END_RANGES, ...(s.proxyOnlySubnetCidr ? [s.proxyOnlySubnetCidr] : [])]
      .map((c) => Peer.ipBlock(c)),
    prepare: (ctx, sink) => {
      sink.useIngressClassName = false;
      // ingress-gce reads kubernetes.io/ingress.allow-http: the sslRedirect handler decides it.
      sink.markHttpsOnly = false;
      sink.annotate('kubernetes.io/ingress.class', s.internal ? 'gce-internal' : 'gce', 'controller');
      if (s.staticIpName) {
        sink.annotate(s.internal ? 'kubernetes.io/ingress.regional-static-ip-name' : 'kubernetes.io/ingress.global-static-ip-name', s.staticIpName, 'controller');
      }
      if (ctx.certificate._kind === 'gke-managed') {
        const wildcard = ctx.hosts.find((h) => h.startsWith('*.'));
        if (wildcard) unsupported(ctx, 'certificate', 'TlsCertificate.gkeManaged()', `Google-managed certificates cannot cover the wildcard host "${wildcard}"`, 'use a certificate from a Secret (TlsCertificate.certManager() with a DNS-01 issuer)');
        if (s.internal) unsupported(ctx, 'certificate', 'TlsCertificate.gkeManaged()', 'Google-managed certificates work with external Ingress only', 'use a certificate from a Secret');
        const name = childName(ctx.ingressName, 'cert');
        new gkeMod.ManagedCertificate(ctx.scope, 'ManagedCertificate', { metadata: { name, namespace: ctx.namespace, labels: LABELS }, spec: { domains: [...ctx.hosts] } });
        sink.annotate('networking.gke.io/managed-certificates', name, 'certificate');
        sink.renderTls = false;
      }
      sink.state.frontend = {};
      sink.state.backend = {};
    },
    handlers: {
      sslRedirect: (ctx, sink, on) => {
        if (!on) {
          sink.annotate('kubernetes.io/ingress.allow-http', 'false', 'sslRedirect');
          return;
        }
        if (s.internal) {
          unsupported(ctx, 'sslRedirect', true, `${who} has no HTTP-to-HTTPS redirect (FrontendConfig works with external Ingress only)`,
            'set sslRedirect to false, which also closes plain HTTP (kubernetes.io/ingress.allow-http: "false")');
        }
        sink.state.frontend.redirectToHttps = { enabled: true, responseCodeName: 'PERMANENT_REDIRECT' };
      },
      hsts: (_ctx, sink, h) => {
        if (h.enabled) sink.state.backend.customResponseHeaders = { headers: [`Strict-Transport-Security: ${hstsHeaderValue(h)}`] };
      },
      rateLimit: (ctx, _sink, v) => unsupported(ctx, 'rateLimit', v, 'Google Cloud load balancers rate-limit only through Cloud Armor security policies',
        'create a Cloud Armor policy with a rate-based rule and attach it with a BackendConfig securityPolicy'),
      timeouts: (ctx, sink, t) => {
        // BackendConfig timeoutSec is the backend service timeout: the time the load balancer waits for the
        // whole response (and the longest a WebSocket connection stays open), not a pause between two reads.
        for (const k of ['connectSeconds', 'readSeconds', 'sendSeconds'] as const) {
          if (t[k] !== undefined) {
            unsupported(ctx, `timeouts.${k}`, t[k], 'a Google Cloud backend service has one timeout, for the whole response (BackendConfig timeoutSec, also the WebSocket lifetime)',
              'set timeouts.responseSeconds instead');
          }
        }
        if (t.responseSeconds !== undefined) sink.state.backend.timeoutSec = t.responseSeconds;
      },
      maxRequestBodyBytes: (ctx, _sink, v) => unsupported(ctx, 'maxRequestBodyBytes', v, 'Google Cloud load balancers have no request body limit', 'enforce the limit in the application'),
      allowSourceRanges: (ctx, _sink, v) => unsupported(ctx, 'allowSourceRanges', v, 'Google Cloud load balancers filter clients only through Cloud Armor security policies',
        'create a Cloud Armor policy that allows these ranges and attach it with a BackendConfig securityPolicy'),
      basicAuthSecret: (ctx, _sink, v) => unsupported(ctx, 'basicAuthSecret', v, 'Google Cloud load balancers authenticate only with Identity-Aware Proxy', 'use IAP through a BackendConfig'),
      externalAuthUrl: (ctx, _sink, v) => unsupported(ctx, 'externalAuthUrl', v, 'Google Cloud load balancers authenticate only with Identity-Aware Proxy', 'use IAP through a BackendConfig'),
      backendProtocol: (ctx, _sink, p) => {
        // cloud.google.com/app-protocols on the Service: a JSON map from Service port name to HTTP, HTTPS or HTTP2. HTTP2 is
        // HTTP/2 over TLS only, so cleartext gRPC has no value.
        if (p === BackendProtocol.GRPC) {
          unsupported(ctx, 'backendProtocol', p, 'Google Cloud load balancers speak HTTP/2 to backends over TLS only (app-protocols HTTP2), never cleartext gRPC',
            'serve gRPC over TLS in the pods and set backendProtocol to HTTPS, or use TlsGateway');
        }
        for (const b of ctx.backends) {
          if (b.servicePortName === undefined) {
            unsupported(ctx, 'backendProtocol', p, `cloud.google.com/app-protocols names Service ports, and backend Service ${b.serviceName} is routed by port number`,
              'route to a named Service port (IngressBackend.fromSecureService(service, \'portName\'))');
          }
          addAppProtocol(ctx, b, p === BackendProtocol.HTTPS ? 'HTTPS' : 'HTTP');
        }
      },
      cors: (ctx, _sink, v) => unsupported(ctx, 'cors', v, 'Google Cloud load balancers cannot answer CORS preflights', 'handle CORS in the application'),
      retries: (ctx, _sink, v) => unsupported(ctx, 'retries', v, 'GKE Ingress (BackendConfig) has no retry policy', 'leave retries unset'),
      circuitBreaker: (ctx, _sink, v) => unsupported(ctx, 'circuitBreaker', v, 'GKE Ingress (BackendConfig) has no circuit breaker', 'leave circuitBreaker unset, or use TlsGateway with GatewayImplementation.envoyGateway()'),
      canary: (ctx, _sink, v) => unsupported(ctx, 'canary', v, 'GKE Ingress has no traffic splitting', 'use TlsGateway with a GKE Gateway class'),
    },
    finish: (ctx, sink) => {
      const frontend = sink.state.frontend;
      if (s.sslPolicy) frontend.sslPolicy = s.sslPolicy;
      if (s.sslPolicy && s.internal) {
        // FrontendConfig sslPolicy works with external Ingress only (GKE "Ingress configuration" feature table: SSL policy, Internal Ingress: "GA with Gateway").
        fail(ctx.scope, `GceOptions.sslPolicy is "${s.sslPolicy}", but ${who} cannot express it: FrontendConfig SSL policies work with external Ingress only (internal load balancers take them through Gateway API); ` +
          'remove sslPolicy, or use TlsGateway with the gke-l7-rilb class for an internal load balancer with an SSL policy.');
      }
      if (Object.keys(frontend).length > 0) {
        const name = childName(ctx.ingressName, 'frontend');
        new gkeMod.FrontendConfig(ctx.scope, 'FrontendConfig', { metadata: { name, namespace: ctx.namespace, labels: LABELS }, spec: frontend });
        sink.annotate('networking.gke.io/v1beta1.FrontendConfig', name, 'controller');
      }
      for (const b of ctx.backends) attachBackendConfig(ctx, b, sink.state.backend);
    },
  };
}

/** The app-protocols map of each Service (port name -> protocol), written once after every TlsIngress added its ports. */
const appProtocols = new WeakMap<object, { ports: { [port: string]: string }; paths: { [port: string]: string } }>();

function addAppProtocol(ctx: RenderContext, b: BackendInfo, protocol: string) {
  const svc = b.serviceObject;
  let entry = appProtocols.get(svc);
  if (!entry) {
    appProtocols.set(svc, entry = { ports: {}, paths: {} });
    // One JSON annotation per Service, rendered from the final map (a later TlsIngress may add a port).
    svc.metadata.addAnnotation(APP_PROTOCOLS, Lazy.any({ produce: () => JSON.stringify(entry!.ports) }));
  }
  const port = b.servicePortName!;
  const previous = entry.ports[port];
  if (previous !== undefined && previous !== protocol) {
    fail(ctx.scope, `TlsIngress.backendProtocol makes port ${port} of Service ${b.serviceName} ${protocol}, but TlsIngress ${entry.paths[port]} made it ${previous}; ` +
      'the load balancer speaks one protocol per Service port, so give both TlsIngresses the same backendProtocol.');
  }
  entry.ports[port] = protocol;
  entry.paths[port] ??= ctx.scope.node.path;
}

function attachBackendConfig(ctx: RenderContext, b: BackendInfo, spec: gcb.BackendConfigSpec) {
  const svc = b.serviceObject;
  // Container-native load balancing: the load balancer targets pod IPs, which ClusterIP Services need.
  if (!attached.has(svc)) svc.metadata.addAnnotation('cloud.google.com/neg', '{"ingress": true}');
  if (Object.keys(spec).length === 0) {
    if (!attached.has(svc)) attached.set(svc, { name: '' });
    return;
  }
  const name = childName(ctx.ingressName, b.serviceName);
  const previous = attached.get(svc);
  if (previous?.name) {
    // Several Ingresses may use a Service's one BackendConfig: the same settings share it.
    if (previous.spec === JSON.stringify(spec)) return;
    fail(ctx.scope, `TlsIngress routes to Service ${b.serviceName}, which already uses BackendConfig ${previous.name} of another GKE Ingress with other settings; ` +
      'a Service has one BackendConfig, so give both TlsIngresses the same hsts and timeouts, or route to it from one TlsIngress.');
  }
  attached.set(svc, { name, spec: JSON.stringify(spec) });
  new gcbMod.BackendConfig(ctx.scope, `BackendConfig${b.serviceName}`, { metadata: { name, namespace: b.namespace, labels: LABELS }, spec });
  svc.metadata.addAnnotation('cloud.google.com/backend-config', `{"default": "${name}"}`);
}
