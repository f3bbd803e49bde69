/**
 * A controller this library has no profile for. It renders the redirect and HSTS with the
 * annotations its options declare and refuses every other neutral option: set those with
 * `TlsIngress.annotations`, where they are still checked for safety.
 *
 * @internal
 */
import { OptionKey } from '../ingress-options';
import { OptionHandlers, ProfileRenderer, RenderContext, RenderSink, unsupported } from './render';

/** @internal */
export interface CustomSettings {
  readonly sslRedirectAnnotations?: { [key: string]: string };
  readonly hstsAnnotations?: { [key: string]: string };
}

/** @internal */
export function customRenderer(s: CustomSettings): ProfileRenderer {
  const instead = 'set the controller\'s own annotations with TlsIngress.annotations';
  const refuse = (field: OptionKey) => (ctx: RenderContext, _sink: RenderSink, v: unknown) =>
    unsupported(ctx, field, v, 'a custom controller profile renders only the redirect and HSTS', instead);
  const handlers: OptionHandlers = {
    sslRedirect: (ctx, sink, on) => {
      if (!on) {
        sink.markHttpsOnly = false; // whether plain HTTP is served is the controller's default
        return;
      }
      if (!s.sslRedirectAnnotations) {
        unsupported(ctx, 'sslRedirect', true, 'its profile declares no redirect annotations',
          'set CustomIngressControllerOptions.sslRedirectAnnotations, or set TlsIngress.sslRedirect to false');
      }
      for (const [k, v] of Object.entries(s.sslRedirectAnnotations)) sink.annotate(k, v, 'sslRedirect');
    },
    hsts: (ctx, sink, h) => {
      if (!h.enabled) return;
      if (!s.hstsAnnotations) {
        unsupported(ctx, 'hsts', 'enabled', 'its profile declares no HSTS annotations',
          'set CustomIngressControllerOptions.hstsAnnotations, or set TlsIngress.hsts to { enabled: false }');
      }
      const e = ctx.options.hstsExplicit;
      if (e.maxAgeSeconds !== undefined || e.includeSubdomains !== undefined || e.preload !== undefined) {
        unsupported(ctx, 'hsts', { maxAgeSeconds: e.maxAgeSeconds, includeSubdomains: e.includeSubdomains, preload: e.preload },
          'its profile sets HSTS with fixed annotations (CustomIngressControllerOptions.hstsAnnotations)', 'put the values into those annotations and leave them unset here');
      }
      for (const [k, v] of Object.entries(s.hstsAnnotations)) sink.annotate(k, v, 'hsts');
    },
    rateLimit: refuse('rateLimit'),
    timeouts: refuse('timeouts'),
    maxRequestBodyBytes: refuse('maxRequestBodyBytes'),
    allowSourceRanges: refuse('allowSourceRanges'),
    basicAuthSecret: refuse('basicAuthSecret'),
    externalAuthUrl: refuse('externalAuthUrl'),
    backendProtocol: (ctx, sink, p) => { if (p !== 'HTTP') refuse('backendProtocol')(ctx, sink, p); },
    cors: refuse('cors'),
    retries: refuse('retries'),
    circuitBreaker: refuse('circuitBreaker'),
    canary: refuse('canary'),
  };
  return {
    certificateKinds: ['secret', 'cert-manager', 'cert-manager-certificate'],
    certificateAdvice: 'a custom controller is assumed to read certificates from Secrets: use TlsCertificate.secret(), certManager() or certManagerCertificate()',
    handlers,
  };
}
