/**
 * NetworkPolicy (networking.k8s.io/v1) semantics, one fact per test.
 * Policies are YAML literals applied to the topology of `./topology.ts`.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import { analyse } from './topology';
import { NetworkAnalysis } from '../../src/analysis';

const ALL = 'All Connections';

describe('isolation', () => {
  test('with no policies every workload reaches every other on every port', () => {
    const net = analyse();
    expect(net.allowedConnections('shop/web', 'shop/db')).toBe(ALL);
    expect(net.allowedConnections('ops/monitor', 'shop/api')).toBe(ALL);
    expect(net.allowedConnections('0.0.0.0/0', 'shop/db')).toBe(ALL);
  });

  test('ingress: [] with policyTypes Ingress denies everything', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  policyTypes: [Ingress]
  ingress: []
`);
    for (const from of ['shop/web', 'shop/api', 'ops/monitor', '0.0.0.0/0', '10.1.2.3']) {
      expect(net.allowedConnections(from, 'shop/db')).toBe('');
    }
    // db's own egress is untouched.
    expect(net.allowedConnections('shop/db', 'shop/web')).toBe(ALL);
  });

  test('a pod is only isolated for a direction a selecting policy lists', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web-no-egress, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
`);
    expect(net.allowedConnections('shop/web', 'shop/api')).toBe('');
    expect(net.allowedConnections('shop/web', '8.8.8.8')).toBe('');
    // Ingress to web is not isolated: the policy lists only Egress.
    expect(net.allowedConnections('shop/api', 'shop/web')).toBe(ALL);
    expect(net.allowedConnections('1.2.3.4', 'shop/web')).toBe(ALL);
  });

  test('policyTypes omitted with egress rules isolates egress (and ingress)', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  egress:
    - to: [{ podSelector: { matchLabels: { app: api } } }]
`);
    expect(net.allowedConnections('shop/web', 'shop/api')).toBe(ALL);
    expect(net.allowedConnections('shop/web', 'shop/db')).toBe('');
    // Ingress is always among the defaulted policyTypes, and there are no ingress rules.
    expect(net.allowedConnections('shop/api', 'shop/web')).toBe('');
  });

  test('policyTypes omitted without egress rules isolates only ingress, even with egress: []', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  egress: []
`);
    expect(net.allowedConnections('shop/api', 'shop/web')).toBe('');
    expect(net.allowedConnections('shop/web', 'shop/db')).toBe(ALL);
    expect(net.explain({ from: 'shop/web', to: 'shop/db' }).egress.isolated).toBe(false);
  });

  test('policyTypes: [] is defaulted like an absent policyTypes', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: []
`);
    expect(net.allowedConnections('shop/api', 'shop/web')).toBe('');
    expect(net.allowedConnections('shop/web', 'shop/api')).toBe(ALL);
  });

  test('connection needs both egress and ingress', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
  egress:
    - to: [{ podSelector: { matchLabels: { app: db } } }]
      ports: [{ port: 5432 }]
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: api } } }]
`);
    // web's egress allows it, db's ingress does not.
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/db', port: 5432 })).toBe(false);
    // api's egress is not isolated and db's ingress admits api.
    expect(net.isAllowed({ from: 'shop/api', to: 'shop/db', port: 5432 })).toBe(true);
  });

  test('policies are additive: an isolated pod allows the union of every selecting policy', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: db-from-api, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: api } } }]
      ports: [{ port: 5432 }]
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: db-from-web, namespace: shop }
spec:
  podSelector: {}
  ingress:
    - from: [{ podSelector: { matchLabels: { app: web } } }]
      ports: [{ port: 80 }]
`);
    expect(net.allowedConnections('shop/api', 'shop/db')).toBe('TCP 5432');
    expect(net.allowedConnections('shop/web', 'shop/db')).toBe('TCP 80');
    expect(net.allowedConnections('ops/monitor', 'shop/db')).toBe('');
  });

  test('a policy selects pods only in its own namespace', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: deny-all, namespace: ops }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`);
    expect(net.allowedConnections('shop/web', 'shop/db')).toBe(ALL);
    expect(net.allowedConnections('shop/web', 'ops/monitor')).toBe('');
    expect(net.allowedConnections('ops/monitor', 'shop/web')).toBe('');
  });
});

describe('a pod and itself', () => {
  // kubernetes.io/docs/concepts/services-networking/network-policies/ (kubernetes/website
  // content/en/docs/concepts/services-networking/network-policies.md): "Other pods that are allowed
  // (exception: a pod cannot block access to itself)".
  test('a single Pod reaches itself under a deny-all policy; replicas of a workload do not', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: deny-all, namespace: shop }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
---
kind: Deployment
apiVersion: apps/v1
metadata: { name: cache, namespace: shop }
spec:
  template:
    metadata: { labels: { app: cache } }
    spec: { containers: [{ name: c, image: c }] }
`);
    expect(net.allowedConnections('shop/db', 'shop/db')).toBe(ALL);
    const verdict = net.explain({ from: 'shop/db', to: 'shop/db', port: 5432 });
    expect(verdict.allowed).toBe(true);
    expect(verdict.text).toBe('allowed: egress from shop/db is the pod\'s connection to itself, which no policy can block; '
      + 'ingress to shop/db is the pod\'s connection to itself, which no policy can block');
    // Isolation is still reported as it is.
    expect(verdict.ingress.isolated).toBe(true);
    // One replica of cache to another is a connection between two pods: the policy applies.
    expect(net.allowedConnections('shop/cache', 'shop/cache')).toBe('');
    expect(net.allowedConnections('shop/db', 'shop/web')).toBe('');
  });
});

describe('peers', () => {
  const dbIngressFrom = (from: string) => analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from: ${from}
`);

  test('a podSelector alone selects pods in the policy namespace', () => {
    // ops/monitor has app=monitor too, but it is in another namespace.
    const net = dbIngressFrom('[{ podSelector: {} }]');
    expect(net.allowedConnections('shop/web', 'shop/db')).toBe(ALL);
    expect(net.allowedConnections('ops/monitor', 'shop/db')).toBe('');
  });

  test('a namespaceSelector alone selects every pod in the selected namespaces', () => {
    const net = dbIngressFrom('[{ namespaceSelector: { matchLabels: { team: ops } } }]');
    expect(net.allowedConnections('ops/monitor', 'shop/db')).toBe(ALL);
    expect(net.allowedConnections('ops/backup', 'shop/db')).toBe(ALL);
    expect(net.allowedConnections('shop/web', 'shop/db')).toBe('');
  });

  test('a namespaceSelector and podSelector in one peer are ANDed', () => {
    const net = dbIngressFrom('[{ namespaceSelector: { matchLabels: { team: ops } }, podSelector: { matchLabels: { app: monitor } } }]');
    expect(net.allowedConnections('ops/monitor', 'shop/db')).toBe(ALL);
    expect(net.allowedConnections('ops/backup', 'shop/db')).toBe('');
    expect(net.allowedConnections('shop/web', 'shop/db')).toBe('');
  });

  test('two peers are ORed', () => {
    const net = dbIngressFrom('[{ namespaceSelector: { matchLabels: { team: ops } } }, { podSelector: { matchLabels: { app: monitor } } }]');
    // The second peer looks for app=monitor in shop, where there is none; the first admits all of ops.
    expect(net.allowedConnections('ops/monitor', 'shop/db')).toBe(ALL);
    expect(net.allowedConnections('ops/backup', 'shop/db')).toBe(ALL);
    expect(net.allowedConnections('shop/web', 'shop/db')).toBe('');
  });

  test('namespaceSelector {} selects every namespace', () => {
    const net = dbIngressFrom('[{ namespaceSelector: {}, podSelector: { matchLabels: { app: backup } } }]');
    expect(net.allowedConnections('ops/backup', 'shop/db')).toBe(ALL);
    expect(net.allowedConnections('ops/monitor', 'shop/db')).toBe('');
    // Peers with selectors never match IP addresses.
    expect(net.allowedConnections('0.0.0.0/0', 'shop/db')).toBe('');
  });

  test('from: [] admits every source, IP addresses included', () => {
    const net = dbIngressFrom('[]');
    expect(net.allowedConnections('ops/monitor', 'shop/db')).toBe(ALL);
    expect(net.allowedConnections('0.0.0.0/0', 'shop/db')).toBe(ALL);
    expect(net.matrix()).toContainEqual({ src: '0.0.0.0-255.255.255.255[External]', dst: 'shop/db[Pod]', conn: ALL });
  });

  test('a rule {} allows every source on every port', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  policyTypes: [Ingress, Egress]
  ingress: [{}]
  egress: [{}]
`);
    expect(net.allowedConnections('ops/monitor', 'shop/db')).toBe(ALL);
    expect(net.allowedConnections('shop/db', '192.168.0.1')).toBe(ALL);
  });

  test('the automatic kubernetes.io/metadata.name label selects a namespace by name', () => {
    const net = dbIngressFrom("[{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ops } } }]");
    expect(net.allowedConnections('ops/backup', 'shop/db')).toBe(ALL);
    expect(net.allowedConnections('shop/web', 'shop/db')).toBe('');
  });

  test('a namespace that no manifest declares has only the automatic label', () => {
    const net = NetworkAnalysis.fromYaml(`
kind: Pod
apiVersion: v1
metadata: { name: probe, namespace: tools, labels: { app: probe } }
---
kind: Pod
apiVersion: v1
metadata: { name: target, namespace: prod, labels: { app: target } }
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: target, namespace: prod }
spec:
  podSelector: {}
  ingress:
    - from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: In, values: [tools] }] } }]
    - from: [{ namespaceSelector: { matchLabels: { team: tools } } }]
      ports: [{ port: 1 }]
`);
    expect(net.allowedConnections('tools/probe', 'prod/target')).toBe(ALL);
  });

  test.each([
    ['In', '{ key: app, operator: In, values: [monitor, web] }', ['ops/monitor', 'shop/web']],
    ['NotIn (which also matches pods without the key)', '{ key: app, operator: NotIn, values: [monitor, web] }', ['ops/backup', 'shop/api']],
    ['Exists', '{ key: app, operator: Exists }', ['ops/backup', 'ops/monitor', 'shop/api', 'shop/web']],
    ['DoesNotExist', '{ key: app, operator: DoesNotExist }', []],
  ])('matchExpressions operator %s', (_name, expression, expected) => {
    const net = dbIngressFrom(`[{ namespaceSelector: {}, podSelector: { matchExpressions: [${expression}] } }]`);
    const sources = net.workloads().map((w) => `${w.namespace}/${w.name}`).filter((w) => w !== 'shop/db');
    expect(sources.filter((s) => net.allowedConnections(s, 'shop/db') !== '')).toEqual(expected);
  });

  test('matchLabels and matchExpressions in one selector are ANDed', () => {
    const net = dbIngressFrom('[{ namespaceSelector: {}, podSelector: { matchLabels: { app: monitor }, matchExpressions: [{ key: app, operator: In, values: [backup] }] } }]');
    expect(net.allowedConnections('ops/monitor', 'shop/db')).toBe('');
    expect(net.allowedConnections('ops/backup', 'shop/db')).toBe('');
  });
});

describe('ports', () => {
  const apiIngressPorts = (ports: string) => analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: api, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
    - ports: ${ports}
`);

  test('UDP must be listed explicitly; TCP is the default', () => {
    const net = apiIngressPorts('[{ port: 53 }]');
    expect(net.allowedConnections('shop/web', 'shop/api')).toBe('TCP 53');
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', port: 53 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', port: 53, protocol: 'UDP' })).toBe(false);
  });

  test('SCTP and UDP ports are listed per protocol, alphabetically', () => {
    const net = apiIngressPorts('[{ port: 9090, protocol: UDP }, { port: 7070, protocol: SCTP }, { port: 8081 }, { port: 8080 }]');
    expect(net.allowedConnections('shop/web', 'shop/api')).toBe('SCTP 7070,TCP 8080-8081,UDP 9090');
  });

  test('a port entry without port allows every port of its protocol', () => {
    const net = apiIngressPorts('[{ protocol: UDP }]');
    expect(net.allowedConnections('shop/web', 'shop/api')).toBe('UDP 1-65535');
  });

  test('a rule with no ports allows every port and protocol', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: api, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: web } } }]
`);
    expect(net.allowedConnections('shop/web', 'shop/api')).toBe(ALL);
  });

  test('endPort ranges', () => {
    const net = apiIngressPorts('[{ port: 8000, endPort: 8080 }, { port: 1, endPort: 65535, protocol: SCTP }]');
    expect(net.allowedConnections('shop/web', 'shop/api')).toBe('SCTP 1-65535,TCP 8000-8080');
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', port: 8081 })).toBe(false);
  });

  test('endPort 1-65535 for all three protocols is All Connections', () => {
    const net = apiIngressPorts('[{ port: 1, endPort: 65535 }, { port: 1, endPort: 65535, protocol: UDP }, { port: 1, endPort: 65535, protocol: SCTP }]');
    expect(net.allowedConnections('shop/web', 'shop/api')).toBe(ALL);
  });

  test('named ports resolve against the destination container ports', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
  egress:
    - ports: [{ port: http }, { port: pg }]
`);
    // api declares http (8080), db declares pg (5432): each destination resolves the names itself.
    expect(net.allowedConnections('shop/web', 'shop/api')).toBe('TCP 8080');
    expect(net.allowedConnections('shop/web', 'shop/db')).toBe('TCP 5432');
    // monitor declares neither.
    expect(net.allowedConnections('shop/web', 'ops/monitor')).toBe('');
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', portName: 'http' })).toBe(true);
  });

  test('a named port matches only a container port of the same protocol', () => {
    const net = apiIngressPorts('[{ port: dns }, { port: dns, protocol: UDP }, { port: http, protocol: UDP }]');
    // dns is 53/UDP on api; `{ port: dns }` means TCP and matches nothing; http is TCP.
    expect(net.allowedConnections('shop/web', 'shop/api')).toBe('UDP 53');
  });

  // A quoted number is an IntOrString of Type String (k8s.io/apimachinery pkg/util/intstr/intstr.go
  // UnmarshalJSON), which ValidateNetworkPolicyPort (kubernetes/kubernetes pkg/apis/networking/validation/
  // validation.go) checks as a port name and rejects: the policy never exists, so no verdict is given.
  test('a quoted port number is refused, not read as the number', () => {
    expect(() => apiIngressPorts('[{ port: "8080" }]')).toThrow(
      'ingress[0].ports[0].port "8080" in policy shop/api is not a valid port name; a port name must contain at least one letter. '
      + 'A quoted number is a port name to the API server: write 8080 without quotes.');
  });

  test('a named port in egress to an ipBlock matches nothing', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: api, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  policyTypes: [Egress]
  egress:
    - to: [{ ipBlock: { cidr: 0.0.0.0/0 } }]
      ports: [{ port: http }, { port: 443 }]
`);
    expect(net.allowedConnections('shop/api', '8.8.8.8')).toBe('TCP 443');
  });
});

describe('IP addresses', () => {
  const dbIngressFromIp = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from: [{ ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] } }]
`);

  test('ipBlock except carves out addresses', () => {
    expect(dbIngressFromIp.isAllowed({ from: '10.2.3.4', to: 'shop/db', port: 5432 })).toBe(true);
    expect(dbIngressFromIp.isAllowed({ from: '10.1.2.3', to: 'shop/db', port: 5432 })).toBe(false);
    expect(dbIngressFromIp.isAllowed({ from: '11.0.0.1', to: 'shop/db', port: 5432 })).toBe(false);
    const ranges = dbIngressFromIp.matrix().filter((e) => e.dst === 'shop/db[Pod]' && e.src.endsWith('[External]'));
    expect(ranges).toEqual([
      { src: '10.0.0.0-10.0.255.255[External]', dst: 'shop/db[Pod]', conn: ALL },
      { src: '10.2.0.0-10.255.255.255[External]', dst: 'shop/db[Pod]', conn: ALL },
    ]);
  });

  test('a CIDR endpoint is allowed only if every address in it is', () => {
    expect(dbIngressFromIp.isAllowed({ from: '10.2.0.0/16', to: 'shop/db' })).toBe(true);
    expect(dbIngressFromIp.isAllowed({ from: '10.0.0.0/8', to: 'shop/db' })).toBe(false);
  });

  test('an ipBlock never matches pods', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from: [{ ipBlock: { cidr: 0.0.0.0/0 } }]
`);
    expect(net.allowedConnections('shop/web', 'shop/db')).toBe('');
    expect(net.allowedConnections('203.0.113.9', 'shop/db')).toBe(ALL);
  });

  test('egress to IP ranges is reported per range', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
  egress:
    - to: [{ ipBlock: { cidr: 192.168.0.0/16 } }]
      ports: [{ port: 443 }]
`);
    expect(net.matrix().filter((e) => e.src === 'shop/web[Pod]')).toEqual([
      { src: 'shop/web[Pod]', dst: '192.168.0.0-192.168.255.255[External]', conn: 'TCP 443' },
    ]);
  });

  test('IPv6 ipBlocks are evaluated and reported separately from IPv4', () => {
    const net = analyse(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }]
`);
    expect(net.isAllowed({ from: '2001:db8:2::1', to: 'shop/db' })).toBe(true);
    expect(net.isAllowed({ from: '2001:db8:1::1', to: 'shop/db' })).toBe(false);
    expect(net.isAllowed({ from: '10.0.0.1', to: 'shop/db' })).toBe(false);
    expect(net.matrix().filter((e) => e.dst === 'shop/db[Pod]' && e.src.endsWith('[External]')).map((e) => e.src)).toEqual([
      '2001:db8::-2001:db8:0:ffff:ffff:ffff:ffff:ffff[External]',
      '2001:db8:2::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff[External]',
    ]);
  });
});

describe('workloads', () => {
  // kubernetes.io/docs/concepts/services-networking/network-policies/ "NetworkPolicy and hostNetwork pods"
  // (kubernetes/website content/en/docs/concepts/services-networking/network-policies.md): behaviour for
  // hostNetwork pods is undefined; most plugins treat their traffic as the node's, so a policy that
  // selects them does not isolate them. The analyzer reports them as ordinary pods: warnings() must say so.
  test('hostNetwork pods are named by warnings() once some policy could decide their traffic', () => {
    const exporter = `
kind: DaemonSet
apiVersion: apps/v1
metadata: { name: node-exporter, namespace: monitoring }
spec:
  template:
    metadata: { labels: { app: node-exporter } }
    spec: { hostNetwork: true, containers: [{ name: e, image: e, ports: [{ name: metrics, containerPort: 9100 }] }] }
---
kind: Pod
apiVersion: v1
metadata: { name: scraper, namespace: monitoring, labels: { app: scraper } }
spec: { containers: [{ name: s, image: s }] }
`;
    expect(NetworkAnalysis.fromYaml(exporter).warnings()).toEqual([]);
    const net = NetworkAnalysis.fromYaml(`${exporter}
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: deny-all, namespace: monitoring }
spec: { podSelector: {} }
`);
    expect(net.warnings()).toEqual([
      'monitoring/node-exporter[DaemonSet]: hostNetwork pods; NetworkPolicy behaviour for them is undefined (most network plugins treat '
      + 'their traffic as the node\'s: policies that select them do not isolate them, and pod and namespace selectors do not match them), '
      + 'but they are analysed as ordinary pods, so their connections may be reported wrongly',
    ]);
    // The verdict itself is unchanged (as for an ordinary pod); only the warning is new.
    expect(net.isAllowed({ from: 'monitoring/scraper', to: 'monitoring/node-exporter', port: 9100 })).toBe(false);
  });

  test('pods are merged into their owning workload; other pods stand alone', () => {
    const net = NetworkAnalysis.fromYaml(`
kind: Pod
apiVersion: v1
metadata:
  name: cart-7d9f-abcde
  namespace: shop
  labels: { app: cart }
  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: cart-7d9f, controller: true }]
---
kind: Pod
apiVersion: v1
metadata:
  name: cart-7d9f-fghij
  namespace: shop
  labels: { app: cart }
  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: cart-7d9f, controller: true }]
---
kind: Pod
apiVersion: v1
metadata:
  name: etcd-node1
  namespace: kube-system
  ownerReferences: [{ apiVersion: v1, kind: Node, name: node1 }]
`);
    expect(net.workloads().map((w) => w.id)).toEqual(['kube-system/etcd-node1[Pod]', 'shop/cart-7d9f[ReplicaSet]']);
    // A pod name resolves to the workload it was merged into.
    expect(net.explain({ from: 'shop/cart-7d9f-abcde', to: 'kube-system/etcd-node1' }).from).toBe('shop/cart-7d9f[ReplicaSet]');
  });

  test('workload kinds use their pod template labels (CronJob: the job template)', () => {
    const net = NetworkAnalysis.fromYaml(`
kind: CronJob
apiVersion: batch/v1
metadata: { name: report, namespace: shop }
spec:
  schedule: '@daily'
  jobTemplate:
    spec:
      template:
        metadata: { labels: { app: report } }
        spec: { containers: [{ name: r, image: r }] }
---
kind: StatefulSet
apiVersion: apps/v1
metadata: { name: db, namespace: shop }
spec:
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: db, ports: [{ name: pg, containerPort: 5432 }] }] }
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
    - from: [{ podSelector: { matchLabels: { app: report } } }]
      ports: [{ port: pg }]
`);
    expect(net.workloads().map((w) => w.id)).toEqual(['shop/db[StatefulSet]', 'shop/report[CronJob]']);
    expect(net.workloads()[0].ports).toEqual(['pg:5432/TCP']);
    expect(net.allowedConnections('shop/report', 'shop/db')).toBe('TCP 5432');
  });

  test('a manifest without metadata.namespace is in default', () => {
    const net = NetworkAnalysis.fromYaml(`
kind: Deployment
apiVersion: apps/v1
metadata: { name: web }
spec: { template: { metadata: { labels: { app: web } } } }
`);
    expect(net.workloads().map((w) => w.id)).toEqual(['default/web[Deployment]']);
  });

  test('List objects are read item by item, and items take their kind from the list', () => {
    const net = NetworkAnalysis.fromManifests([
      { apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'a', labels: { app: 'a' } } }, { metadata: { name: 'b' } }] },
      { apiVersion: 'v1', kind: 'List', items: [{ kind: 'NetworkPolicy', metadata: { name: 'a' }, spec: { podSelector: { matchLabels: { app: 'a' } } } }] },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ignored' } },
    ]);
    expect(net.workloads().map((w) => w.id)).toEqual(['default/a[Pod]', 'default/b[Pod]']);
    expect(net.allowedConnections('default/b', 'default/a')).toBe('');
  });

  test('traffic from a workload to itself is not listed in the matrix', () => {
    const net = analyse();
    expect(net.matrix().filter((e) => e.src === e.dst)).toEqual([]);
    // 5 workloads: 20 ordered pairs, plus one IP range in and one out per workload.
    expect(net.matrix()).toHaveLength(20 + 10);
  });
});
