import { ManifestIndex } from './manifest-index';
import { asArray, Rule, ruleName, RuleFinding } from './rule';
import { hostCovered } from '../../core/names';

/**
 * When an Ingress lists `spec.tls`, every rule host must be covered by a TLS host (exactly, or
 * by a `*.` wildcard one label up): an uncovered host gets the controller's default certificate,
 * which browsers reject (Kyverno's ingress-host-match-tls requires the same).
 */
const rule: Rule = {
  id: 'NET016',
  name: ruleName(__filename),
  level: 'error',
  synth: true,
  fix: 'List every rule host in spec.tls[].hosts, with a certificate that covers it.',
  explanation: 'A host that no spec.tls entry covers is served with the controller\'s default (wrong) certificate, or over plain HTTP.',
  check: (objects) => {
    const out: RuleFinding[] = [];
    for (const o of ManifestIndex.of(objects).ofKind('Ingress')) {
      const obj = o.object;
      const tls = asArray(obj.spec?.tls);
      if (tls.length === 0) continue;
      const tlsHosts = tls.flatMap((t) => asArray(t?.hosts)).filter((h): h is string => typeof h === 'string');
      asArray(obj.spec?.rules).forEach((r, i) => {
        const host = r?.host;
        if (typeof host !== 'string' || tlsHosts.some((t) => hostCovered(t, host))) return;
        out.push({
          object: o,
          field: `spec.rules[${i}].host`,
          message: `spec.rules[${i}].host "${host}" is not covered by spec.tls (hosts: ${tlsHosts.length ? tlsHosts.join(', ') : 'none'}); add it to a tls entry whose certificate covers it.`,
        });
      });
    }
    return out;
  },
};
export default rule;
