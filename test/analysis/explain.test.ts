import { analyse } from './topology';
import { NetworkAnalysis } from '../../src/analysis';

/**
 * db admits api on 5432. api is isolated both ways: ingress from monitor (any
 * namespace) and from web on its named port http; egress to db on 5432 and to
 * 10.0.0.0/8 on UDP 53.
 */
const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: api } } }]
      ports: [{ port: 5432 }]
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: api, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  policyTypes: [Ingress, Egress]
  ingress:
    - from: [{ podSelector: { matchLabels: { app: monitor } }, namespaceSelector: {} }]
    - from: [{ podSelector: { matchLabels: { app: web } } }]
      ports: [{ port: http }]
  egress:
    - to: [{ podSelector: { matchLabels: { app: db } } }]
      ports: [{ port: 5432 }]
    - to: [{ ipBlock: { cidr: 10.0.0.0/8 } }]
      ports: [{ port: 53, protocol: UDP }]
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: api-metrics, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
    - from: [{ namespaceSelector: { matchLabels: { team: ops } } }]
      ports: [{ port: metrics }]
`);

describe('explanations', () => {
  test('a denial names the isolating policy and the traffic no rule admits', () => {
    const verdict = net.explain({ from: 'shop/web', to: 'shop/db', port: 5432 });
    expect(verdict.allowed).toBe(false);
    expect(verdict.text).toBe('denied: shop/db is isolated for ingress by policy shop/db; no ingress rule admits shop/web on TCP 5432');
    expect(verdict.ingress).toMatchObject({ allowed: false, isolated: true, isolatingPolicies: ['shop/db'], admittingRules: [] });
    expect(verdict.egress).toMatchObject({ allowed: true, isolated: false, text: 'egress from shop/web is not isolated' });
  });

  test('an admission names the policy and rule index on each side', () => {
    const verdict = net.explain({ from: 'shop/api', to: 'shop/db', port: 5432 });
    expect(verdict.allowed).toBe(true);
    expect(verdict.text).toBe('allowed: egress from shop/api admitted by policy shop/api rule 0; ingress to shop/db admitted by policy shop/db rule 0');
    expect(verdict.egress.admittingRules).toEqual([{ policy: 'shop/api', direction: 'egress', ruleIndex: 0 }]);
    expect(verdict.ingress.admittingRules).toEqual([{ policy: 'shop/db', direction: 'ingress', ruleIndex: 0 }]);
    expect(verdict.from).toBe('shop/api[Pod]');
    expect(verdict.to).toBe('shop/db[Pod]');
    expect(verdict.connections).toBe('TCP 5432');
  });

  test('a side that is not isolated says so', () => {
    expect(net.explain({ from: 'shop/web', to: 'shop/api', port: 8080 }).text)
      .toBe('allowed: egress from shop/web is not isolated; ingress to shop/api admitted by policy shop/api rule 1');
  });

  test('a denial on both sides gives both reasons, with what the rules do admit', () => {
    const verdict = net.explain({ from: 'shop/api', to: 'shop/db', port: 80 });
    expect(verdict.text).toBe('denied: shop/api is isolated for egress by policy shop/api; no egress rule admits shop/db on TCP 80 '
      + '(its egress rules admit only TCP 5432 to shop/db); '
      + 'shop/db is isolated for ingress by policy shop/db; no ingress rule admits shop/api on TCP 80 (its ingress rules admit only TCP 5432 from shop/api)');
  });

  test('several isolating policies are all named', () => {
    const verdict = net.explain({ from: 'shop/db', to: 'shop/api', port: 9090 });
    expect(verdict.text).toBe('denied: shop/api is isolated for ingress by policies shop/api, shop/api-metrics; no ingress rule admits shop/db on TCP 9090');
  });

  test('rules of several policies that admit the traffic are all named', () => {
    const verdict = net.explain({ from: 'ops/monitor', to: 'shop/api', portName: 'metrics' });
    expect(verdict.text).toBe('allowed: egress from ops/monitor is not isolated; ingress to shop/api admitted by policy shop/api rule 0, policy shop/api-metrics rule 0');
    expect(verdict.traffic).toBe('port "metrics" (TCP 9090)');
  });

  test('a named port the destination does not declare is denied with that reason', () => {
    const verdict = net.explain({ from: 'shop/web', to: 'shop/api', portName: 'grpc' });
    expect(verdict.allowed).toBe(false);
    expect(verdict.text).toBe('denied: shop/api has no TCP container port named "grpc"');
  });

  test('a named port towards an IP address cannot be resolved', () => {
    expect(net.explain({ from: 'shop/web', to: '8.8.8.8', portName: 'https' }).text).toMatch(/^denied: the named port "https" cannot be resolved/);
  });

  test('an IP endpoint is outside the cluster and not governed', () => {
    const verdict = net.explain({ from: 'shop/api', to: '10.1.2.3', port: 53, protocol: 'udp' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.to).toBe('10.1.2.3-10.1.2.3[External]');
    expect(verdict.ingress.text).toBe('ingress to 10.1.2.3 is outside the cluster; NetworkPolicy does not govern it');
  });

  test('a CIDR must be admitted as a whole', () => {
    expect(net.explain({ from: 'shop/api', to: '0.0.0.0/0', port: 53, protocol: 'UDP' }).text)
      .toBe('denied: shop/api is isolated for egress by policy shop/api; no egress rule admits all of 0.0.0.0/0 on UDP 53');
    expect(net.isAllowed({ from: 'shop/api', to: '10.0.0.0/8', port: 53, protocol: 'UDP' })).toBe(true);
  });

  test('without a port, any allowed connection counts', () => {
    expect(net.explain({ from: 'shop/web', to: 'shop/api' })).toMatchObject({ allowed: true, traffic: 'any port', connections: 'TCP 8080' });
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', protocol: 'UDP' })).toBe(false);
    expect(net.explain({ from: 'ops/monitor', to: 'shop/db' }).text)
      .toBe('denied: shop/db is isolated for ingress by policy shop/db; no ingress rule admits ops/monitor on any port');
  });

  test('sides that each admit something but nothing in common are explained together', () => {
    const disjoint = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
  egress: [{ ports: [{ port: 80 }] }]
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress: [{ ports: [{ port: 5432 }] }]
`);
    const verdict = disjoint.explain({ from: 'shop/web', to: 'shop/db' });
    expect(verdict.allowed).toBe(false);
    expect(verdict.egress.allowed && verdict.ingress.allowed).toBe(true);
    expect(verdict.text).toBe('denied: egress from shop/web admits only TCP 80 and ingress to shop/db admits only TCP 5432; together they admit nothing, not any port');
  });
});

describe('endpoint names', () => {
  test.each([
    ['a full workload id', 'shop/db[Pod]'],
    ['namespace/name', 'shop/db'],
    ['a bare name unique across namespaces', 'db'],
  ])('%s resolves to the workload', (_description, name) => {
    expect(net.explain({ from: 'shop/api', to: name }).to).toBe('shop/db[Pod]');
  });

  test.each([
    ['an unknown workload', { from: 'shop/nope', to: 'shop/db' },
      'NetworkAnalysis: from "shop/nope" is neither a workload of the manifests nor an IP address or CIDR. '
      + 'Known workloads: ops/backup[Pod], ops/monitor[Pod], shop/api[Pod], shop/db[Pod], shop/web[Pod].'],
    ['an unknown workload id', { from: 'shop/api', to: 'shop/db[Deployment]' },
      'NetworkAnalysis: to "shop/db[Deployment]" is not a workload of the manifests. '
      + 'Known workloads: ops/backup[Pod], ops/monitor[Pod], shop/api[Pod], shop/db[Pod], shop/web[Pod].'],
    ['two IP addresses', { from: '1.2.3.4', to: '10.0.0.0/8' },
      'NetworkAnalysis: from "1.2.3.4" and to "10.0.0.0/8" are both IP addresses; NetworkPolicy only governs traffic of pods, so one side must be a workload.'],
    ['both port and portName', { from: 'shop/web', to: 'shop/api', port: 8080, portName: 'http' },
      'NetworkAnalysis: the query sets both port 8080 and portName "http"; set one of them.'],
    ['a port out of range', { from: 'shop/web', to: 'shop/api', port: 70000 },
      'NetworkAnalysis: query port 70000 is not an integer in 1-65535.'],
    ['an unknown protocol', { from: 'shop/web', to: 'shop/api', port: 80, protocol: 'ICMP' },
      'NetworkAnalysis: query protocol "ICMP" is not TCP, UDP or SCTP.'],
  ])('a query with %s is rejected', (_description, query, message) => {
    expect(() => net.explain(query)).toThrow(message);
    expect(() => net.explain(query)).toThrow(Error);
  });

  test('a name shared by two workloads of one namespace must be written in full', () => {
    const twins = NetworkAnalysis.fromYaml(`
kind: Deployment
apiVersion: apps/v1
metadata: { name: app }
spec: { template: { metadata: { labels: { app: a } } } }
---
kind: StatefulSet
apiVersion: apps/v1
metadata: { name: app }
spec: { template: { metadata: { labels: { app: b } } } }
`);
    expect(() => twins.isAllowed({ from: 'default/app', to: 'default/app[StatefulSet]' }))
      .toThrow('NetworkAnalysis: from "default/app" matches several workloads (default/app[Deployment], default/app[StatefulSet]). Use the full id namespace/name[Kind].');
    // Explanations then use the full ids.
    expect(twins.explain({ from: 'default/app[Deployment]', to: 'default/app[StatefulSet]' }).text)
      .toBe('allowed: egress from default/app[Deployment] is not isolated; ingress to default/app[StatefulSet] is not isolated');
  });
});
