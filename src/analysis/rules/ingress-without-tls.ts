import { ManifestIndex } from './manifest-index';
import { asArray, Rule, ruleName, RuleFinding } from './rule';

/**
 * Annotations through which a controller takes its certificate without `spec.tls`: GKE reads
 * Google-managed and pre-shared certificates from annotations
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/managed-certs, `networking.gke.io/managed-certificates`;
 * https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-multi-ssl, `ingress.gcp.kubernetes.io/pre-shared-cert`),
 * and the AWS Load Balancer Controller reads ACM certificates from `alb.ingress.kubernetes.io/certificate-arn`
 * (kubernetes-sigs/aws-load-balancer-controller, docs/guide/ingress/annotations.md).
 */
const CERTIFICATE_ANNOTATIONS = [
  'networking.gke.io/managed-certificates',
  'ingress.gcp.kubernetes.io/pre-shared-cert',
  'alb.ingress.kubernetes.io/certificate-arn',
];

/**
 * An Ingress with no `spec.tls` (and no controller annotation that supplies a certificate)
 * serves its hosts over plain HTTP. Every Ingress this library renders has TLS; this finds one
 * written by hand, or one whose `spec.tls` an escape hatch removed (`ApiObject.of(ingress)
 * .addJsonPatch(JsonPatch.remove('/spec/tls'))`). An Ingress that exists only to redirect plain
 * HTTP (Traefik's `<name>-http-redirect`) says so with `ignore-check.cdk8s-net.io/ingress-without-tls`.
 */
const rule: Rule = {
  id: 'NET040',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Give the Ingress spec.tls (hosts and the certificate Secret), or restore the spec.tls the escape hatch removed.',
  explanation: 'An Ingress without spec.tls serves its hosts over plain HTTP: credentials and cookies cross the network in clear text.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    for (const o of ManifestIndex.of(objects).ofKind('Ingress')) {
      const obj = o.object;
      if (asArray(obj.spec?.tls).length > 0) continue;
      const annotations = obj.metadata?.annotations ?? {};
      if (CERTIFICATE_ANNOTATIONS.some((k) => typeof annotations[k] === 'string' && annotations[k] !== '')) continue;
      const hosts = asArray(obj.spec?.rules).map((r) => r?.host).filter((h): h is string => typeof h === 'string');
      out.push({
        object: o,
        field: 'spec.tls',
        message: `spec.tls is not set, so ${hosts.length ? hosts.join(', ') : 'every host'} ${hosts.length === 1 ? 'is' : 'are'} served over plain HTTP; `
          + 'add spec.tls with the hosts and a certificate Secret (TlsIngress always does: check escape-hatch patches).',
      });
    }
    return out;
  },
};
export default rule;
