/*
 * How every Cilium policy of this library writes a port (src/engine/cilium-selectors.ts
 * ciliumPortProtocol, used by the DNS-name egress policies and by the cluster guardrails).
 * Every port of a protocol is port "0": cilium/cilium pkg/policy/api/l4.go (commit d5e4735d)
 * defines the wildcard PortProtocol as `PortProtocolAny = "0/ANY"`, and the CRD of v1.18.4
 * (../shared/crds/cilium, spec.egress.toPorts.ports.port pattern `...|[0-9]{1,4}`) admits "0".
 * The range 1-65535 would need Cilium's port ranges and costs 30 policy-map entries instead of
 * one wildcard (cilium/cilium#20633, PortRangeToMaskedPorts: "1-65535 30 (the worst case)").
 */
import { ClusterGuardrails, PolicyEngine, Port } from '../../src';
import { ciliumPortProtocol } from '../../src/engine/cilium-selectors';
import { newChart, one, synth } from '../util/synth';

describe('ciliumPortProtocol', () => {
  test.each([
    ['a port number is a string', { start: 443 }, { port: '443', protocol: 'TCP' }],
    ['a range is port + endPort', { start: 9100, end: 9110 }, { port: '9100', endPort: 9110, protocol: 'TCP' }],
    ['a named port is its name', { name: 'metrics' }, { port: 'metrics', protocol: 'TCP' }],
    ['every port of the protocol is Cilium\'s wildcard port "0"', {}, { port: '0', protocol: 'TCP' }],
  ])('%s', (_d, port, expected) => {
    expect(ciliumPortProtocol('TCP', port)).toEqual(expected);
  });
});

test('a guardrail on every TCP port renders port "0" (not 1-65535) in its CiliumClusterwideNetworkPolicy', () => {
  const chart = newChart('test');
  PolicyEngine.use(chart, PolicyEngine.cilium());
  new ClusterGuardrails(chart, 'Guardrails', {}).allowMonitoring({ namespace: 'monitoring', ports: [Port.allTcp()] });
  const ccnp = one(synth(chart), 'CiliumClusterwideNetworkPolicy', 'guardrails-allow-monitoring');
  expect(ccnp.spec.ingress[0].toPorts).toEqual([{ ports: [{ port: '0', protocol: 'TCP' }] }]);
});
