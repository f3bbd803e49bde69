import { IConstruct } from 'constructs';
import { ICanaryPrimary } from './ingress-options';
import { appApiObject, appIngress } from '../core/app-objects';
import { failCall } from '../core/errors';
import { hostCovered } from '../core/names';

/** The annotation a TlsIngress canary copies from its primary (kubernetes.io/ingress.allow-http). */
const ALLOW_HTTP = 'kubernetes.io/ingress.allow-http';

/**
 * Primaries for `TlsIngress.canary` that the app made itself.
 *
 * A `TlsIngress` is a primary as it is (`canary: { primary: ingress }`); this class makes one
 * from an Ingress that is not a TlsIngress.
 *
 * @example
 * const legacy = new kplus.k8s.KubeIngress(chart, 'Legacy', {
 *   metadata: { name: 'legacy', namespace: 'shop' },
 *   spec: {
 *     ingressClassName: 'nginx',
 *     rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'old-web', port: { number: 80 } } } }] } }],
 *     tls: [{ hosts: ['shop.example.com'], secretName: 'legacy-tls' }],
 *   },
 * });
 * new TlsIngress(chart, 'Canary', {
 *   namespace: ns,
 *   controller: IngressController.ingressNginx(),
 *   canary: { primary: CanaryPrimary.fromIngress(legacy), weightPercent: 10 },
 *   rules: [{ host: 'shop.example.com', backend: IngressBackend.fromSecureService(web) }],
 * });
 */
export class CanaryPrimary {
  /**
   * An Ingress the app made itself, as the primary of a `TlsIngress` canary: a cdk8s-plus Ingress
   * of any version (28, 33, ...), or a plain `ApiObject` / generated `KubeIngress`.
   *
   * Its name, namespace, routes (`host + path` of each rule), class, TLS Secret and whether it
   * serves HTTPS only (`kubernetes.io/ingress.allow-http: "false"`) are read from
   * its manifest when this is called: rules added to it afterwards are not seen (the canary then
   * refuses the routes its primary does not have). Every host of the Ingress must be listed in
   * `spec.tls` with one `secretName`, because a canary serves its primary's certificate; with a
   * class (`spec.ingressClassName` or the `kubernetes.io/ingress.class` annotation), the canary's
   * controller must be of that class.
   *
   * Which controllers split the traffic of a plain Ingress: ingress-nginx (the canary is its own
   * Ingress with `nginx.ingress.kubernetes.io/canary`, matched to the primary by host and path).
   * Istio and AWS ALB canaries change their primary's own objects, so they refuse a primary that
   * is not a TlsIngress of theirs.
   *
   * @param ingress the Ingress (any construct whose default child is an Ingress object)
   */
  public static fromIngress(ingress: IConstruct): ICanaryPrimary {
    const api = appApiObject('CanaryPrimary.fromIngress', 'ingress', ingress, ['Ingress'],
      'give an Ingress (cdk8s-plus of any version, or a KubeIngress), or the TlsIngress itself as primary');
    const call = `CanaryPrimary.fromIngress(${ingress.node.path})`;
    const ing = appIngress(api);
    if (ing.routes.length === 0) {
      failCall(call, `Ingress ${ing.name} has no rules with paths; a canary shadows its primary's routes, so add its rules before this call.`);
    }
    const hosts = [...new Set(ing.routes.map((r) => r.host))];
    if (hosts.includes('')) {
      failCall(call, `Ingress ${ing.name} has a rule without a host; a TlsIngress canary routes named hosts only, so give every rule of the primary a host.`);
    }
    const secrets = new Map<string, string>();
    for (const host of hosts) {
      const entry = ing.tls.find((t) => t.hosts.some((h) => hostCovered(h, host)));
      if (!entry?.secretName) {
        failCall(call, `Ingress ${ing.name} serves host ${host} without TLS (no spec.tls entry with a secretName lists it); `
          + 'a canary serves its primary\'s certificate, so give the primary spec.tls for every host.');
      }
      secrets.set(host, entry.secretName);
    }
    const distinct = [...new Set(secrets.values())];
    if (distinct.length > 1) {
      failCall(call, `Ingress ${ing.name} serves its hosts with ${distinct.length} TLS Secrets (${[...secrets].map(([h, s]) => `${h}: ${s}`).join(', ')}); `
        + 'a canary serves one certificate, its primary\'s, so give the primary one Secret for all its hosts (or make one primary Ingress per Secret).');
    }
    return {
      ingressName: ing.name,
      ingressNamespace: ing.namespace,
      routes: ing.routes.map((r) => r.host + r.path),
      tlsSecretName: distinct[0],
      ingressClassName: ing.className,
      httpsOnly: ing.annotations[ALLOW_HTTP] === 'false',
    };
  }

  private constructor() {}
}
