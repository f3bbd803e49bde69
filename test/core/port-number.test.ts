/*
 * One test of a port number (isPortNumber in src/core/port.ts) behind every check of a TCP/UDP/SCTP
 * port: the constructs' options, the analyzer's reading of manifests and queries, and the CLI's
 * --port. Each check keeps its own message; all of them draw the same line, 1-65535 whole numbers.
 */
import { ConnectionSet, GatewayImplementation, NetworkAnalysis, PolicyEngine, ServiceMesh } from '../../src';
import { parsePort } from '../../src/analysis/reach';
import { isPortNumber } from '../../src/core/port';
import { TOPOLOGY } from '../analysis/topology';
import { errorWhereUsed } from '../util/bad-input';

const policyWithPort = (port: number) => `${TOPOLOGY}
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: x, namespace: shop }
spec:
  podSelector: {}
  ingress: [{ ports: [{ port: ${port} }] }]`;

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('a port number is a whole number 1-65535, wherever it is checked', () => {
  test.each([1, 80, 65535])('%d is a port number', (v) => {
    expect(isPortNumber(v)).toBe(true);
  });

  test.each([0, -1, 65536, 80.5, NaN, Infinity])('%d is not a port number', (v) => {
    expect(isPortNumber(v)).toBe(false);
  });

  const checks: Array<[string, (v: number) => string, (v: number) => string]> = [
    ['ServiceMesh.istio egressGateway.tlsPodPort',
      (v) => errorWhereUsed(() => ServiceMesh.istio({ egressGateway: { tlsPodPort: v } })),
      (v) => `test/Ns: DenyAllNamespace.mesh: ServiceMesh.istio: egressGateway.tlsPodPort ${v} is not a port; give 1-65535.`],
    ['PolicyEngine.cilium dnsPort',
      (v) => errorWhereUsed(() => PolicyEngine.cilium({ dnsPort: v })),
      (v) => `test: PolicyEngine.use(engine): PolicyEngine.cilium: dnsPort ${v} is not a port; give 1-65535.`],
    ['GatewayImplementation.traefik httpsPort',
      (v) => errorWhereUsed(() => GatewayImplementation.traefik({ httpsPort: v })),
      (v) => `test/Gw: TlsGateway.implementation: GatewayImplementation.traefik: httpsPort is ${v}; it must be a port 1-65535.`],
    ['ConnectionSet.ports',
      (v) => messageOf(() => ConnectionSet.ports('TCP', v)),
      (v) => `ConnectionSet.ports("TCP", ${v}): port ${v} is not an integer in 1-65535.`],
    ['a NetworkAnalysis query port',
      (v) => messageOf(() => NetworkAnalysis.fromYaml(TOPOLOGY).explain({ from: 'shop/web', to: 'shop/api', port: v })),
      (v) => `NetworkAnalysis: query port ${v} is not an integer in 1-65535.`],
    ['a NetworkPolicy port read by the analyzer',
      (v) => messageOf(() => NetworkAnalysis.fromYaml(policyWithPort(v))),
      (v) => `NetworkAnalysis: ingress[0].ports[0].port ${v} in policy shop/x is not an integer in 1-65535.`],
  ];

  test.each(checks.flatMap(([name, run, message]) => [0, 65536, 80.5].map((v) => [name, v, run, message] as const)))(
    '%s refuses %d with its own message', (_name, v, run, message) => {
      expect(run(v)).toBe(message(v));
    });

  test.each(checks.flatMap(([name, run]) => [1, 65535].map((v) => [name, v, run] as const)))(
    '%s accepts %d', (_name, v, run) => {
      expect(run(v)).toBe('no error');
    });

  test.each([
    ['0', '--port "0": 0 is not a port; a port must be 1-65535.'],
    ['65536', '--port "65536": 65536 is not a port; a port must be 1-65535.'],
  ])('the CLI\'s --port %s is refused', (text, message) => {
    expect(messageOf(() => parsePort(text))).toBe(message);
  });

  test.each([['1', 1], ['65535', 65535], ['53/UDP', 53]])('the CLI\'s --port %s is the port %d', (text, port) => {
    expect(parsePort(text).port).toBe(port);
  });
});
