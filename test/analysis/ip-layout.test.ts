/**
 * The IP layout of `matrix()` (and so of `cdk8s-net reach`): netpol-analyzer's split of the address
 * space, per direction, at the edges of every ipBlock (cidr minus except), one line per piece.
 */
import { NetworkAnalysis } from '../../src/analysis';

const pod = (name: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: shop, labels: { app: ${name} } }
spec: { containers: [{ name: c, image: i }] }
`;

const policy = (name: string, app: string, spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: shop }
spec: { podSelector: { matchLabels: { app: ${app} } }, ${spec} }
`;

const yaml = (...docs: string[]) => docs.join('---\n');

const SPLIT = yaml(pod('db'), pod('web'),
  // db admits 10.0.0.0/8 except two adjacent halves of 10.0.0.0/16 on 5432.
  policy('db', 'db', 'policyTypes: [Ingress], ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8, except: [10.0.0.0/17, 10.0.128.0/17] } }], ports: [{ port: 5432 }] }]'),
  // web may only reach 203.0.113.0/24.
  policy('web', 'web', 'policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: 203.0.113.0/24 } }] }]'));

describe('matrix() IP layout', () => {
  const net = NetworkAnalysis.fromYaml(SPLIT);
  const ipLines = (entries = net.matrix()) => entries.filter((e) => e.src.endsWith('[External]') || e.dst.endsWith('[External]'))
    .map((e) => `${e.src} => ${e.dst} : ${e.conn}`);

  test('ingress sources are cut at the ingress ipBlock edges for every workload; adjacent excepts leave no edge between them', () => {
    expect(ipLines().filter((l) => l.includes('=> shop/db[Pod]'))).toEqual([
      '10.1.0.0-10.255.255.255[External] => shop/db[Pod] : TCP 5432',
    ]);
    // web is not isolated for ingress: still one line per piece of the ingress cut, never merged.
    expect(ipLines().filter((l) => l.includes('=> shop/web[Pod]'))).toEqual([
      '0.0.0.0-10.0.255.255[External] => shop/web[Pod] : All Connections',
      '10.1.0.0-10.255.255.255[External] => shop/web[Pod] : All Connections',
      '11.0.0.0-255.255.255.255[External] => shop/web[Pod] : All Connections',
    ]);
  });

  test('egress destinations are cut at the egress ipBlock edges only', () => {
    expect(ipLines().filter((l) => l.startsWith('shop/'))).toEqual([
      'shop/db[Pod] => 0.0.0.0-203.0.112.255[External] : All Connections',
      'shop/db[Pod] => 203.0.113.0-203.0.113.255[External] : All Connections',
      'shop/db[Pod] => 203.0.114.0-255.255.255.255[External] : All Connections',
      'shop/web[Pod] => 203.0.113.0-203.0.113.255[External] : All Connections',
    ]);
  });

  test('mergeIpRanges merges neighbours with the same connections', () => {
    expect(ipLines(net.matrix({ mergeIpRanges: true }))).toEqual([
      '0.0.0.0-255.255.255.255[External] => shop/web[Pod] : All Connections',
      '10.1.0.0-10.255.255.255[External] => shop/db[Pod] : TCP 5432',
      'shop/db[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'shop/web[Pod] => 203.0.113.0-203.0.113.255[External] : All Connections',
    ]);
  });
});

describe('ipBlock except must be a strict subset of cidr (API server validation)', () => {
  test.each([
    ['outside the cidr', '10.0.0.0/8', '192.168.0.0/16'],
    ['the cidr itself', '10.0.0.0/8', '10.0.0.0/8'],
    ['a larger block', '10.1.0.0/16', '10.0.0.0/8'],
  ])('%s is an error', (_, cidr, except) => {
    expect(() => NetworkAnalysis.fromYaml(yaml(pod('db'), policy('db', 'db', `ingress: [{ from: [{ ipBlock: { cidr: ${cidr}, except: [${except}] } }] }]`))))
      .toThrow(`NetworkAnalysis: ipBlock.except[0] "${except}" in policy shop/db is not a strict subset of ipBlock.cidr "${cidr}"; `
        + 'the API server rejects an except that is not inside the cidr with a longer prefix');
  });

  test('a smaller block inside is fine, also with host bits in the cidr', () => {
    expect(() => NetworkAnalysis.fromYaml(yaml(pod('db'), policy('db', 'db', 'ingress: [{ from: [{ ipBlock: { cidr: 10.1.2.3/8, except: [10.0.0.0/9] } }] }]')))).not.toThrow();
  });
});
