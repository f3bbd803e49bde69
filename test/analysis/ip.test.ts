import { TOPOLOGY } from './topology';
import { NetworkAnalysis } from '../../src/analysis';
import { formatInterval, formatIp, IpSet, parseAddressOrCidr, parseCidr, parseIp, splitSpace } from '../../src/analysis/ip';

const range = (text: string) => {
  const r = parseAddressOrCidr(text);
  if (!r) {
    throw new Error(`bad test range ${text}`);
  }
  return r;
};

describe('IP math', () => {
  test.each([
    ['0.0.0.0/0', '0.0.0.0-255.255.255.255'],
    ['10.0.0.0/8', '10.0.0.0-10.255.255.255'],
    ['10.1.2.3/8', '10.0.0.0-10.255.255.255'],
    ['192.168.1.7/32', '192.168.1.7-192.168.1.7'],
    ['172.21.0.0/16', '172.21.0.0-172.21.255.255'],
    ['::/0', '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['2001:db8::/32', '2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['fe80::1/128', 'fe80::1-fe80::1'],
    ['::ffff:10.0.0.0/104', '::ffff:a00:0-::ffff:aff:ffff'],
  ])('the CIDR %s covers %s', (cidr, expected) => {
    expect(formatInterval(parseCidr(cidr)!)).toBe(expected);
  });

  test.each([
    '10.0.0.0/33', '10.0.0/8', '10.0.0.256/8', '10.0.0.0', '10.0.0.0/', '10.0.0.0/-1', 'a.b.c.d/8', '::1::/64', '2001:db8::/129',
    '1:2:3:4:5:6:7:8:9/64', 'fe80::1%eth0/64', '', '/8',
  ])('%j is not a CIDR', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  test.each([
    ['1.2.3.4', 4], ['::', 6], ['::1', 6], ['2001:DB8::A', 6], ['1:2:3:4:5:6:7:8', 6], ['::ffff:1.2.3.4', 6],
  ])('%s is an IPv%d address', (text, family) => {
    expect(parseIp(text)?.family).toBe(family);
  });

  test.each(['1.2.3', '1.2.3.4.5', '256.1.1.1', '1:2:3:4:5:6:7', 'g::1', 'shop/db'])('%s is not an address', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  test.each([
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['1:0:0:0:0:0:0:0', '1::'],
  ])('IPv6 %s is written %s (RFC 5952)', (text, expected) => {
    const ip = parseIp(text)!;
    expect(formatIp(ip.family, ip.value)).toBe(expected);
  });

  test('subtracting excepts leaves the addresses around them', () => {
    const set = IpSet.of(range('10.0.0.0/8')).subtract(IpSet.of(range('10.1.0.0/16'), range('10.255.0.0/16')));
    expect(set.intervals(4).map(formatInterval)).toEqual(['10.0.0.0-10.0.255.255', '10.2.0.0-10.254.255.255']);
    expect(set.covers(range('10.2.3.0/24'))).toBe(true);
    expect(set.covers(range('10.1.3.0/24'))).toBe(false);
    expect(set.covers(range('10.0.0.0/8'))).toBe(false);
    expect(set.overlaps(range('10.0.0.0/8'))).toBe(true);
    expect(set.covers(range('::/0'))).toBe(false);
  });

  test('sets merge adjacent and overlapping intervals', () => {
    const set = IpSet.of(range('10.0.0.0/9'), range('10.128.0.0/9'), range('10.5.0.0/16'));
    expect(set.intervals(4).map(formatInterval)).toEqual(['10.0.0.0-10.255.255.255']);
    expect(IpSet.empty().isEmpty()).toBe(true);
    expect(IpSet.empty().union(set).isEmpty()).toBe(false);
  });

  test('the address space is split at every boundary', () => {
    const cidr = parseCidr('10.0.0.0/8')!;
    expect(splitSpace(4, [cidr.start, cidr.end + 1n]).map(formatInterval))
      .toEqual(['0.0.0.0-9.255.255.255', '10.0.0.0-10.255.255.255', '11.0.0.0-255.255.255.255']);
    expect(splitSpace(4, []).map(formatInterval)).toEqual(['0.0.0.0-255.255.255.255']);
    expect(splitSpace(4, [0n, 2n ** 32n]).map(formatInterval)).toEqual(['0.0.0.0-255.255.255.255']);
  });
});

describe('invalid policies', () => {
  const policy = (spec: string) => `${TOPOLOGY}
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: x, namespace: shop }
spec:
${spec}`;

  test.each([
    ['an ipBlock.cidr prefix over 32', '  podSelector: {}\n  ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/33 } }] }]',
      'NetworkAnalysis: ipBlock.cidr "10.0.0.0/33" in policy shop/x is not a valid CIDR'],
    ['an ipBlock.cidr without a prefix', '  podSelector: {}\n  egress: [{ to: [{ ipBlock: { cidr: 10.0.0.1 } }] }]',
      'NetworkAnalysis: ipBlock.cidr "10.0.0.1" in policy shop/x is not a valid CIDR'],
    ['an invalid except', '  podSelector: {}\n  ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.300.0.0/16] } }] }]',
      'NetworkAnalysis: ipBlock.except[1] "10.300.0.0/16" in policy shop/x is not a valid CIDR'],
    ['an except of the other family', "  podSelector: {}\n  ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8, except: ['fd00::/8'] } }] }]",
      'NetworkAnalysis: ipBlock.except[0] "fd00::/8" in policy shop/x is not in the address family of ipBlock.cidr "10.0.0.0/8"'],
    ['an ipBlock with a selector', '  podSelector: {}\n  ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8 }, podSelector: {} }] }]',
      'NetworkAnalysis: ingress[0].from[0] in policy shop/x has an ipBlock and a selector; Kubernetes rejects such a peer. Use separate peers.'],
    ['an empty peer', '  podSelector: {}\n  egress: [{ to: [{ podSelector: {} }, {}] }]',
      'NetworkAnalysis: egress[0].to[1] in policy shop/x is empty; a peer needs a podSelector, a namespaceSelector or an ipBlock (Kubernetes rejects an empty peer).'],
    ['a lowercase protocol', '  podSelector: {}\n  ingress: [{ ports: [{ port: 80, protocol: tcp }] }]',
      'NetworkAnalysis: ingress[0].ports[0].protocol "tcp" in policy shop/x is not TCP, UDP or SCTP (protocols are case-sensitive).'],
    ['a port out of range', '  podSelector: {}\n  ingress: [{ ports: [{ port: 70000 }] }]',
      'NetworkAnalysis: ingress[0].ports[0].port 70000 in policy shop/x is not an integer in 1-65535.'],
    ['endPort below port', '  podSelector: {}\n  ingress: [{ ports: [{ port: 8080, endPort: 80 }] }]',
      'NetworkAnalysis: ingress[0].ports[0].endPort 80 in policy shop/x is less than port 8080; endPort must be at least port.'],
    ['endPort with a named port', '  podSelector: {}\n  ingress: [{ ports: [{ port: http, endPort: 80 }] }]',
      'NetworkAnalysis: ingress[0].ports[0].endPort 80 in policy shop/x is set with the named port "http"; endPort needs a numeric port.'],
    // A quoted number is a string, so a named port to the API server (ValidateNetworkPolicyPort: "may not be
    // specified when `port` is non-numeric"); the message says how to write it.
    ['endPort with a quoted port number', '  podSelector: {}\n  ingress: [{ ports: [{ port: "8000", endPort: 8080 }] }]',
      'NetworkAnalysis: ingress[0].ports[0].endPort 8080 in policy shop/x is set with the named port "8000"; endPort needs a numeric port. '
      + 'A quoted number is a port name to the API server: write 8000 without quotes.'],
    ['endPort without a port', '  podSelector: {}\n  ingress: [{ ports: [{ endPort: 80, protocol: UDP }] }]',
      'NetworkAnalysis: ingress[0].ports[0].endPort 80 in policy shop/x is set without a port; endPort needs a numeric port.'],
    ['an unknown policy type', '  podSelector: {}\n  policyTypes: [Ingress, Outgress]',
      'NetworkAnalysis: spec.policyTypes value "Outgress" in policy shop/x is not Ingress or Egress.'],
    ['an unknown selector operator', '  podSelector: { matchExpressions: [{ key: app, operator: Equals, values: [a] }] }',
      'NetworkAnalysis: spec.podSelector.matchExpressions[0].operator "Equals" in policy shop/x is not In, NotIn, Exists or DoesNotExist.'],
  ])('a policy with %s is rejected', (_description, spec, message) => {
    expect(() => NetworkAnalysis.fromYaml(policy(spec))).toThrow(new Error(message));
  });
});
