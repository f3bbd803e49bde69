import { ApiObject, JsonPatch, Size } from 'cdk8s';
import { ClusterDns, DenyAllNamespace, NetworkAnalysis, Peer, Port, SecureService } from '../../src';
import { DnsPolicy } from '../../src/dns/pod-dns';
import {
  HeadlessStatefulEndpoint, HeadlessStatefulEndpointProps, PodManagementPolicy, StorageAccessMode,
} from '../../src/stateful/headless-stateful-endpoint';
import { newChart, ofKind, one, synth } from '../util/synth';

const IMAGE = 'postgres:16.4';
const PG = [{ name: 'pg', port: 5432 }];

function shopDb(props: Partial<HeadlessStatefulEndpointProps> = {}) {
  const chart = newChart();
  const shop = new DenyAllNamespace(chart, 'Shop', { name: 'shop' });
  const db = new HeadlessStatefulEndpoint(chart, 'Db', { namespace: shop, image: IMAGE, ports: PG, replicas: 3, ...props });
  return { chart, shop, db };
}

function synthDb(props: Partial<HeadlessStatefulEndpointProps> = {}) {
  const { chart, shop, db } = shopDb(props);
  const objects = synth(chart);
  const set = one(objects, 'StatefulSet', 'db');
  return { chart, shop, db, objects, set, pod: set.spec.template.spec, container: set.spec.template.spec.containers[0] };
}

describe('HeadlessStatefulEndpoint objects and DNS names', () => {
  test('it creates a StatefulSet, exactly one headless Service, a ServiceAccount, a PDB and a NetworkPolicy, all named db', () => {
    const { objects } = synthDb();
    expect(objects.filter((o) => o.metadata.namespace === 'shop' && !['default-deny', 'allow-dns'].includes(o.metadata.name))
      .map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'NetworkPolicy/db', 'PodDisruptionBudget/db', 'Service/db', 'ServiceAccount/db', 'StatefulSet/db',
    ]);
  });

  test('the headless Service has clusterIP None, named ports by name, selects the pods, and publishes not-ready addresses', () => {
    const { objects, set } = synthDb();
    const svc = one(objects, 'Service', 'db');
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      ports: [{ name: 'pg', port: 5432, targetPort: 'pg' }],
      selector: { 'app.kubernetes.io/name': 'db' },
    });
    expect(set.spec.serviceName).toBe('db');
    expect(set.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
  });

  test('publishNotReadyAddresses can be turned off', () => {
    const { objects } = synthDb({ publishNotReadyAddresses: false });
    expect(one(objects, 'Service', 'db').spec.publishNotReadyAddresses).toBe(false);
  });

  test('pod DNS names are <set>-<i>.<headless service>.<namespace>.svc.<cluster domain>', () => {
    const { db } = shopDb();
    expect(db.podDnsName(0)).toBe('db-0.db.shop.svc.cluster.local');
    expect(db.podDnsNames()).toEqual(['db-0.db.shop.svc.cluster.local', 'db-1.db.shop.svc.cluster.local', 'db-2.db.shop.svc.cluster.local']);
    expect(db.fqdn).toBe('db.shop.svc.cluster.local');
  });

  test("the cluster domain comes from the namespace's cluster DNS, and the clusterDomain prop wins", () => {
    const chart = newChart();
    const shop = new DenyAllNamespace(chart, 'Shop', { clusterDns: ClusterDns.kubeDns({ clusterDomain: 'corp.internal' }) });
    const a = new HeadlessStatefulEndpoint(chart, 'A', { namespace: shop, image: IMAGE, ports: PG });
    const b = new HeadlessStatefulEndpoint(chart, 'B', { namespace: shop, image: IMAGE, ports: PG, clusterDomain: 'example.org' });
    expect(a.podDnsName(0)).toBe('a-0.a.shop.svc.corp.internal');
    expect(b.fqdn).toBe('b.shop.svc.example.org');
  });

  test('the optional client Service is an ordinary ClusterIP Service over the same pods', () => {
    const { objects, db } = synthDb({ clientService: true });
    const client = one(objects, 'Service', 'db-client');
    expect(client.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'db' },
      ports: [{ name: 'pg', port: 5432, targetPort: 'pg', protocol: 'TCP' }],
    });
    expect(db.clientFqdn).toBe('db-client.shop.svc.cluster.local');
    expect(ofKind(objects, 'Service').filter((s) => s.spec.clusterIP === 'None')).toHaveLength(1);
  });

  test('replicas default to 1, with no PodDisruptionBudget', () => {
    const chart = newChart();
    new HeadlessStatefulEndpoint(chart, 'Db', { image: IMAGE, ports: PG });
    const objects = synth(chart);
    expect(one(objects, 'StatefulSet', 'db').spec.replicas).toBe(1);
    expect(ofKind(objects, 'PodDisruptionBudget')).toEqual([]);
  });

  test('with replicas > 1 the PodDisruptionBudget allows one pod down at a time', () => {
    const { objects } = synthDb();
    expect(one(objects, 'PodDisruptionBudget', 'db').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'db' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('pod management policy Parallel is passed through', () => {
    const { set } = synthDb({ podManagementPolicy: PodManagementPolicy.PARALLEL });
    expect(set.spec.podManagementPolicy).toBe('Parallel');
  });

  test('the StatefulSet is the default child, so ApiObject.of() reaches it for JSON patches', () => {
    const { chart, db } = shopDb();
    ApiObject.of(db).addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 10));
    expect(one(synth(chart), 'StatefulSet', 'db').spec.minReadySeconds).toBe(10);
  });
});

describe('HeadlessStatefulEndpoint storage', () => {
  test('storage becomes a volume claim template mounted in the container', () => {
    const { set, container } = synthDb({
      storage: { size: Size.gibibytes(10), mountPath: '/var/lib/postgresql/data', storageClassName: 'fast-ssd', accessMode: StorageAccessMode.READ_WRITE_ONCE_POD },
    });
    expect(set.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data', labels: { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/managed-by': 'cdk8s-secure-networking' } },
      spec: { accessModes: ['ReadWriteOncePod'], storageClassName: 'fast-ssd', resources: { requests: { storage: '10Gi' } } },
    }]);
    expect(container.volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/postgresql/data' }]);
    // The controller adds the pod volume for the claim; a pod volume of the same name would clash.
    expect(set.spec.template.spec.volumes).toBeUndefined();
  });

  test('storage defaults: ReadWriteOnce, /data, the default StorageClass, and it sits beside writable paths', () => {
    const { set, container } = synthDb({ storage: { size: Size.mebibytes(512) }, writablePaths: ['/tmp'] });
    expect(set.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '512Mi' } } });
    expect(container.volumeMounts).toEqual([{ name: 'writable-0', mountPath: '/tmp' }, { name: 'data', mountPath: '/data' }]);
  });

  test('the volume ownership is changed only when its root does not match fsGroup', () => {
    const { pod } = synthDb({ storage: { size: Size.gibibytes(1) } });
    expect(pod.securityContext).toMatchObject({ fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch' });
  });
});

describe('HeadlessStatefulEndpoint pod hardening (the same as SecureService)', () => {
  test('pods and containers meet the restricted Pod Security Standard', () => {
    const { pod, container } = synthDb({ runAsUser: 999, runAsGroup: 999 });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('db');
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 999,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('the pod spec matches a SecureService with the same props, field by field', () => {
    const chart = newChart();
    const common = { image: IMAGE, writablePaths: ['/tmp', '/var/run/postgresql'], healthCheckPath: '/healthz', cpuLimitMillis: 1000, env: { A: 'b' } };
    new HeadlessStatefulEndpoint(chart, 'Db', { ...common, ports: PG, replicas: 3, spreadAcrossZones: true });
    new SecureService(chart, 'Svc', { ...common, ports: PG, replicas: 3, spreadAcrossZones: true });
    const objects = synth(chart);
    const set = one(objects, 'StatefulSet', 'db').spec.template.spec;
    const dep = one(objects, 'Deployment', 'svc').spec.template.spec;
    const relabel = (x: any) => JSON.parse(JSON.stringify(x).replace(/"svc"/g, '"db"'));
    expect(set.containers).toEqual(relabel(dep.containers));
    expect(set.volumes).toEqual(dep.volumes);
    expect(set.topologySpreadConstraints).toEqual(relabel(dep.topologySpreadConstraints));
    const { fsGroupChangePolicy: _a, ...setCtx } = set.securityContext;
    const { fsGroupChangePolicy: _b, ...depCtx } = dep.securityContext;
    expect(setCtx).toEqual(depCtx);
  });

  test('default probes check the first container port; resources have requests and limits', () => {
    const { container } = synthDb();
    expect(container.readinessProbe.tcpSocket).toEqual({ port: 5432 });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 5432 });
    expect(container.startupProbe).toBeUndefined();
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
  });
});

describe('HeadlessStatefulEndpoint DNS settings', () => {
  test('dns renders dnsPolicy and dnsConfig, and its nameservers get DNS egress', () => {
    const { pod, objects } = synthDb({
      dns: { policy: DnsPolicy.NONE, nameservers: ['10.0.0.53'], searches: ['shop.svc.cluster.local'], options: [{ name: 'ndots', value: '2' }] },
    });
    expect(pod.dnsPolicy).toBe('None');
    expect(pod.dnsConfig).toEqual({ nameservers: ['10.0.0.53'], searches: ['shop.svc.cluster.local'], options: [{ name: 'ndots', value: '2' }] });
    const net = NetworkAnalysis.fromManifests(objects);
    expect(net.isAllowed({ from: 'shop/db', to: '10.0.0.53', port: 53, protocol: 'UDP' })).toBe(true);
    expect(net.isAllowed({ from: 'shop/db', to: '10.0.0.53', port: 53, protocol: 'TCP' })).toBe(true);
    expect(net.isAllowed({ from: 'shop/db', to: '10.0.0.53', port: 443 })).toBe(false);
  });
});

describe('HeadlessStatefulEndpoint network policy', () => {
  test('its policy selects exactly its pods with both policyTypes', () => {
    const { objects, set } = synthDb();
    const policy = one(objects, 'NetworkPolicy', 'db');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'db' } });
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(set.spec.template.metadata.labels).toMatchObject(policy.spec.podSelector.matchLabels);
  });

  test('pods of the set reach each other on the peer ports and nothing else, and nobody else reaches them', () => {
    const { chart } = shopDb({ ports: [{ name: 'pg', port: 5432 }, { name: 'metrics', port: 9187 }], peerPorts: [Port.named('pg')] });
    new SecureService(chart, 'Web', { namespace: undefined, image: 'web:1', port: 8080 });
    const net = NetworkAnalysis.fromManifests(synth(chart));
    expect(net.allowedConnections('shop/db', 'shop/db')).toBe('TCP 5432');
    expect(net.isAllowed({ from: 'shop/db', to: 'shop/db', port: 9187 })).toBe(false);
    expect(net.isAllowed({ from: 'shop/db', to: '203.0.113.1' })).toBe(false);
  });

  test('peer ports default to all of its ports, and an empty list allows no peer traffic', () => {
    const all = NetworkAnalysis.fromManifests(synth(shopDb({ ports: [{ name: 'client', port: 2379 }, { name: 'peer', port: 2380 }] }).chart));
    expect(all.allowedConnections('shop/db', 'shop/db')).toBe('TCP 2379-2380');
    const none = NetworkAnalysis.fromManifests(synth(shopDb({ peerPorts: [] }).chart));
    expect(none.isAllowed({ from: 'shop/db', to: 'shop/db' })).toBe(false);
  });

  test('allowFrom and allowTo work through the connection model on both sides', () => {
    const { chart, shop, db } = shopDb();
    const api = new SecureService(chart, 'Api', { namespace: shop, image: 'api:1', port: 8080 });
    const web = new SecureService(chart, 'Web', { namespace: shop, image: 'web:1', port: 8080 });
    api.allowTo(db);
    db.allowFrom(Peer.namespace('backup'), Port.named('pg'));
    const net = NetworkAnalysis.fromManifests(synth(chart));
    expect(net.allowedConnections('shop/api', 'shop/db')).toBe('TCP 5432');
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/db', port: 5432 })).toBe(false);
    expect(web.peerId).toBe('shop/web');
    expect(db.peerId).toBe('shop/db');
    expect(db.peerNamespace).toBe('shop');
  });

  test('a namespace with allowDns false keeps cluster DNS closed in its policy too, as SecureService does', () => {
    const chart = newChart();
    const a = new DenyAllNamespace(chart, 'A', { name: 'a', allowDns: false });
    new HeadlessStatefulEndpoint(chart, 'Db', { namespace: a, image: IMAGE, ports: PG, replicas: 1 });
    const objects = synth(chart);
    const egress = one(objects, 'NetworkPolicy', 'db').spec.egress;
    expect(egress.some((r: any) => (r.ports ?? []).some((p: any) => p.port === 53))).toBe(false);
    const kubeDns = { namespace: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' } };
    const net = NetworkAnalysis.fromManifests([...objects, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: kubeDns.name, namespace: kubeDns.namespace, labels: kubeDns.labels }, spec: { containers: [{ name: 'c', image: 'coredns:1' }] },
    }]);
    expect(net.isAllowed({ from: 'a/db', to: 'kube-system/coredns', port: 53, protocol: 'UDP' })).toBe(false);
    // With DNS allowed (the default) the same set resolves names.
    const open = synthDb({ replicas: 1 }).objects;
    expect(one(open, 'NetworkPolicy', 'db').spec.egress.some((r: any) => (r.ports ?? []).some((p: any) => p.port === 53))).toBe(true);
  });

  test('as a peer in another namespace it is named by namespace AND pod selector', () => {
    const { db } = shopDb();
    expect(db.toPeerSpecs('ops')).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } },
    }]);
    expect(db.toPeerSpecs('shop')).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } } }]);
  });
});

describe('HeadlessStatefulEndpoint bad input', () => {
  const cases: Array<[string, Partial<HeadlessStatefulEndpointProps>, string]> = [
    ['an invalid name', { name: 'Db' }, 'test/Db: HeadlessStatefulEndpoint.name "Db" is not a valid Service name; it must consist of lower case alphanumeric characters or \'-\', start with a letter and end with an alphanumeric character.'],
    ['a name too long for the revision label', { name: 'd'.repeat(53) }, `test/Db: HeadlessStatefulEndpoint.name "${'d'.repeat(53)}" has 53 characters; a StatefulSet name has at most 52, because its pods carry the label controller-revision-hash: <name>-<10-character hash>.`],
    ['no ports', { ports: [] }, "test/Db: HeadlessStatefulEndpoint.ports is empty; give at least one named port, e.g. [{ name: 'pg', port: 5432 }]."],
    ['a port out of range', { ports: [{ name: 'pg', port: 70000 }] }, 'test/Db: HeadlessStatefulEndpoint.ports[0].port is 70000; a port must be 1-65535. Use a port in that range.'],
    ['a node port', { ports: [{ name: 'pg', port: 5432, nodePort: 30001 }] }, 'test/Db: HeadlessStatefulEndpoint.ports[0].nodePort is set; a headless Service has no node ports (clusterIP None). Omit nodePort.'],
    ['two ports with one name', { ports: [{ name: 'pg', port: 5432 }, { name: 'pg', port: 5433 }] }, 'test/Db: HeadlessStatefulEndpoint.ports[1].name "pg" is used by another port; port names must be unique.'],
    ['a bad port name', { ports: [{ name: 'PG', port: 5432 }] }, 'test/Db: HeadlessStatefulEndpoint.ports[0].name "PG" is not a valid port name; a port name must consist of lower case alphanumeric characters or \'-\', must not start or end with \'-\' or contain \'--\'.'],
    ['two ports on one container port', { ports: [{ name: 'a', port: 80, targetPort: 8080 }, { name: 'b', port: 8080 }] }, 'test/Db: HeadlessStatefulEndpoint.ports[1].port makes container port TCP 8080, which HeadlessStatefulEndpoint.ports[0] already uses; each port needs its own container port.'],
    ['negative replicas', { replicas: -1 }, 'test/Db: HeadlessStatefulEndpoint.replicas is -1; replicas must be a whole number >= 0.'],
    ['a peer port it does not listen on', { peerPorts: [Port.tcp(7000)] }, 'test/Db: HeadlessStatefulEndpoint.peerPorts[0] is TCP 7000, which its pods do not listen on (container ports TCP 5432); add it to HeadlessStatefulEndpoint.ports or use one of those.'],
    ['an unknown named peer port', { peerPorts: [Port.named('gossip')] }, 'test/Db: HeadlessStatefulEndpoint.peerPorts[0] is TCP gossip, which is not one of its ports; its port names are pg.'],
    ['a client Service name without a client Service', { clientServiceName: 'db-ro' }, 'test/Db: HeadlessStatefulEndpoint.clientServiceName is set but HeadlessStatefulEndpoint.clientService is false; set clientService to true to create the client Service.'],
    ['a client Service named like the headless one', { clientService: true, clientServiceName: 'db' }, 'test/Db: HeadlessStatefulEndpoint.clientServiceName "db" is the name of the headless Service; give the client Service another name.'],
    ['an empty volume', { storage: { size: Size.gibibytes(0) } }, 'test/Db: HeadlessStatefulEndpoint.storage.size is 0Gi; a volume needs at least 1Ki, e.g. Size.gibibytes(10).'],
    ['a relative mount path', { storage: { size: Size.gibibytes(1), mountPath: 'data' } }, 'test/Db: HeadlessStatefulEndpoint.storage.mountPath "data" is not an absolute directory path below /.'],
    ['a mount path that is also writable scratch', { storage: { size: Size.gibibytes(1) }, writablePaths: ['/data'] }, 'test/Db: HeadlessStatefulEndpoint.storage.mountPath "/data" is also in HeadlessStatefulEndpoint.writablePaths; a path is either persistent storage or a scratch emptyDir, so remove it from writablePaths.'],
    ['a bad StorageClass name', { storage: { size: Size.gibibytes(1), storageClassName: 'Fast_SSD' } }, 'test/Db: HeadlessStatefulEndpoint.storage.storageClassName "Fast_SSD" is not a StorageClass name; it must consist of lower case alphanumeric characters, \'-\' or \'.\', and each label must start and end with an alphanumeric character.'],
    ['running as root', { runAsUser: 0 }, 'test/Db: HeadlessStatefulEndpoint.runAsUser is 0; it must be a non-zero user/group id (0 is root).'],
    ['a limit below the request', { memoryRequestMebibytes: 512, memoryLimitMebibytes: 256 }, 'test/Db: HeadlessStatefulEndpoint.memoryLimitMebibytes (256) is below memoryRequestMebibytes (512); a limit must be >= the request.'],
    ['an image with spaces', { image: 'postgres 16' }, 'test/Db: HeadlessStatefulEndpoint.image "postgres 16" is not an image reference; give e.g. \'ghcr.io/acme/api:1.4.2\'.'],
    ['a label that would change the selector', { labels: { 'app.kubernetes.io/name': 'x' } }, 'test/Db: HeadlessStatefulEndpoint.labels sets "app.kubernetes.io/name", which selects this endpoint\'s pods; set HeadlessStatefulEndpoint.name instead.'],
    ['DNS policy None without nameservers', { dns: { policy: DnsPolicy.NONE } }, 'test/Db: HeadlessStatefulEndpoint.dns.policy is DnsPolicy.NONE but HeadlessStatefulEndpoint.dns.nameservers is empty; with NONE the pods know only the nameservers listed, so list at least one.'],
    ['four nameservers', { dns: { nameservers: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'] } }, 'test/Db: HeadlessStatefulEndpoint.dns.nameservers lists 4 addresses; at most 3 are allowed (the resolver ignores the rest).'],
    ['a nameserver that is a name', { dns: { nameservers: ['dns.example'] } }, 'test/Db: HeadlessStatefulEndpoint.dns.nameservers[0] "dns.example" is not an IP address; nameservers are addresses, e.g. 10.0.0.10.'],
    ['a repeated nameserver', { dns: { nameservers: ['10.0.0.1', '10.0.0.1'] } }, 'test/Db: HeadlessStatefulEndpoint.dns.nameservers lists "10.0.0.1" twice; list each nameserver once.'],
    ['the unspecified address as nameserver', { dns: { nameservers: ['0.0.0.0'] } }, 'test/Db: HeadlessStatefulEndpoint.dns.nameservers[0] "0.0.0.0" cannot be a nameserver; it is the unspecified address.'],
    ['ndots above 15', { dns: { options: [{ name: 'ndots', value: '16' }] } }, 'test/Db: HeadlessStatefulEndpoint.dns.options[0] ndots is "16"; it must be a whole number 0-15 (the resolver caps ndots at 15).'],
    ['ndots without a value', { dns: { options: [{ name: 'ndots' }] } }, 'test/Db: HeadlessStatefulEndpoint.dns.options[0] ndots is missing its value; it must be a whole number 0-15 (the resolver caps ndots at 15).'],
    ['a flag option with a value', { dns: { options: [{ name: 'edns0', value: '1' }] } }, 'test/Db: HeadlessStatefulEndpoint.dns.options[0] edns0 is a flag and takes no value; omit value "1".'],
    ['an option name with spaces', { dns: { options: [{ name: 'nd ots', value: '1' }] } }, 'test/Db: HeadlessStatefulEndpoint.dns.options[0].name "nd ots" is not a resolver option name (e.g. ndots, edns0).'],
    ['a search domain that is not a domain', { dns: { searches: ['corp_internal'] } }, 'test/Db: HeadlessStatefulEndpoint.dns.searches[0] "corp_internal" is not a DNS domain; it must consist of lower case alphanumeric characters, \'-\' or \'.\', and each label must start and end with an alphanumeric character.'],
    ['7 search domains', { dns: { searches: Array.from({ length: 7 }, (_, i) => `d${i}.example`) } },
      'test/Db: HeadlessStatefulEndpoint.dns.searches lists 7 domains; at most 6 can be rendered, because cdk8s-plus-28, which writes the pod spec, refuses more (Kubernetes itself allows 32 since 1.28). Keep the 6 the pods need.'],
  ];

  test.each(cases)('%s is refused', (_description, props, message) => {
    // An Error argument makes toThrow compare the whole message, not a substring.
    expect(() => shopDb(props)).toThrow(new Error(message));
  });

  test('a set is not connected to itself with allowTo; peerPorts says how', () => {
    const { db } = shopDb();
    expect(() => db.allowTo(db)).toThrow(
      'test/Db: HeadlessStatefulEndpoint.allowTo(shop/db): a set is not connected to itself this way; its pods reach each other on HeadlessStatefulEndpoint.peerPorts, so set that prop instead.');
  });

  test('pod DNS names outside the set are refused', () => {
    const { db } = shopDb();
    expect(() => db.podDnsName(3)).toThrow('test/Db: HeadlessStatefulEndpoint.podDnsName(3): ordinal 3 is not a pod of this set; use 0-2 (replicas is 3).');
  });

  test('DNS names need a namespace', () => {
    const db = new HeadlessStatefulEndpoint(newChart(), 'Db', { image: IMAGE, ports: PG });
    expect(() => db.fqdn).toThrow('test/Db: HeadlessStatefulEndpoint.fqdn needs a namespace; set HeadlessStatefulEndpoint.namespace or the chart namespace.');
    expect(() => db.clientFqdn).toThrow('test/Db: HeadlessStatefulEndpoint.clientFqdn needs a client Service; set HeadlessStatefulEndpoint.clientService to true.');
  });

  test('DnsPolicy.DEFAULT is accepted with a warning that the node resolvers are not allowed', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { db } = shopDb({ dns: { policy: DnsPolicy.DEFAULT } });
    const warnings = db.node.metadata.filter((m) => m.type === 'warning').map((m) => m.data);
    expect(warnings).toEqual([
      "HeadlessStatefulEndpoint.dns.policy is Default: the pods use the node's resolvers, which their NetworkPolicy does not allow; allow them with allowTo(Peer.ipBlock(...), Port.DNS_UDP, Port.DNS_TCP), and note that cluster names do not resolve.",
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});

test('HeadlessStatefulEndpoint snapshot', () => {
  const { chart, shop, db } = shopDb({ clientService: true, storage: { size: Size.gibibytes(10), mountPath: '/var/lib/postgresql/data' }, writablePaths: ['/var/run/postgresql'], runAsUser: 999, runAsGroup: 999 });
  const api = new SecureService(chart, 'Api', { namespace: shop, image: 'api:1', port: 8080 });
  api.allowTo(db);
  expect(synth(chart).filter((o) => o.metadata.labels?.['app.kubernetes.io/name'] === 'db')).toMatchSnapshot();
});
