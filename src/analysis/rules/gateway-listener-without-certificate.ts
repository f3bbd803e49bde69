import { isGatewayApi } from './gateway-model';
import { ManifestIndex } from './manifest-index';
import { asArray, Rule, ruleName, RuleFinding } from './rule';

/** An HTTPS listener (or a TLS listener that terminates) must name a certificate. */
const rule: Rule = {
  id: 'NET025',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'Give the listener tls.certificateRefs (TlsGateway and SharedGateway do from their certificate).',
  explanation: 'A listener that terminates TLS without a certificate is not programmed (ResolvedRefs: False, InvalidCertificateRef): its hosts are not served over HTTPS.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    for (const o of ManifestIndex.of(objects).ofKind('Gateway')) {
      if (!isGatewayApi(o.object)) continue;
      asArray(o.object.spec?.listeners).forEach((l, i) => {
        const terminates = l?.protocol === 'HTTPS' || (l?.protocol === 'TLS' && (l?.tls?.mode ?? 'Terminate') === 'Terminate');
        if (terminates && asArray(l?.tls?.certificateRefs).length === 0) {
          out.push({ object: o, field: `spec.listeners[${i}].tls.certificateRefs`, message: `spec.listeners[${i}] (${l?.name}) terminates TLS but names no certificate; add tls.certificateRefs with the Secret of its hosts' certificate.` });
        }
      });
    }
    return out;
  },
};
export default rule;
