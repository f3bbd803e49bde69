import { ManifestIndex } from './manifest-index';
import { Rule, ruleName, RuleFinding } from './rule';
import { dangerousAnnotationReason } from '../../core/annotations';

/**
 * An Ingress annotation that copies free text into the controller's configuration (snippets) or
 * was the vector of a published injection advisory (the keys TlsIngress refuses in its raw
 * `annotations`). Finds them on hand-written Ingresses and on those changed after construction
 * through an escape hatch (`ApiObject.of(ingress).metadata.addAnnotation(...)`). TlsIngress with
 * `dangerouslyAllowUnsafeAnnotations` marks its Ingress with
 * `ignore-check.cdk8s-net.io/ingress-unsafe-annotation`, the explicit opt-in.
 */
/**
 * The one advisory-listed key TlsIngress renders itself: ingress-nginx's `auth-url`, from the
 * checked `externalAuthUrl`. CVE-2025-24514 is injection through its value, so a plain URL of
 * safe characters is accepted; anything else is reported.
 */
const SAFE_AUTH_URL = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~\/-]*)?$/;

const rule: Rule = {
  id: 'NET041',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Remove the annotation, or set TlsIngress.dangerouslyAllowUnsafeAnnotations (which marks the Ingress with the opt-out) if you accept the risk.',
  explanation: 'Snippet and advisory-listed annotations reach the proxy configuration verbatim: whoever can write the Ingress can configure the controller (CVE-2021-25742 and others).',
  check: (objects) => {
    const out: RuleFinding[] = [];
    for (const o of ManifestIndex.of(objects).ofKind('Ingress')) {
      const obj = o.object;
      for (const [key, value] of Object.entries(obj.metadata?.annotations ?? {})) {
        if (/(^|\/)auth-url$/.test(key) && typeof value === 'string' && SAFE_AUTH_URL.test(value)) continue;
        const why = dangerousAnnotationReason(key);
        if (why) out.push({ object: o, field: `metadata.annotations.${key}`, message: `annotation ${key} is unsafe: ${why}; remove it.` });
      }
    }
    return out;
  },
};
export default rule;
