import { DnsNames } from '../../src/dns/dns-names';

describe('DnsNames', () => {
  test('a Service is <service>.<namespace>.svc.<cluster domain>', () => {
    expect(DnsNames.service('api', 'shop')).toBe('api.shop.svc.cluster.local');
    expect(DnsNames.service('api', 'shop', 'corp.internal')).toBe('api.shop.svc.corp.internal');
  });

  test('a StatefulSet pod is <set>-<ordinal>.<headless service>.<namespace>.svc.<cluster domain>', () => {
    expect(DnsNames.statefulSetPod({ statefulSet: 'db', ordinal: 2, serviceName: 'db-headless', namespace: 'shop' }))
      .toBe('db-2.db-headless.shop.svc.cluster.local');
    expect(DnsNames.statefulSetPod({ statefulSet: 'db', ordinal: 0, serviceName: 'db', namespace: 'shop', clusterDomain: 'corp.internal' }))
      .toBe('db-0.db.shop.svc.corp.internal');
  });

  test('a pod A record is the IP with dashes under <namespace>.pod.<cluster domain>', () => {
    expect(DnsNames.podARecord('10.1.2.3', 'shop')).toBe('10-1-2-3.shop.pod.cluster.local');
    expect(DnsNames.podARecord('10.1.2.3', 'shop', 'corp.internal')).toBe('10-1-2-3.shop.pod.corp.internal');
  });

  // CoreDNS (coredns/coredns v1.14.7, plugin/kubernetes/kubernetes.go, findPods) turns the label back
  // into an address by replacing '-' with ':'. Under `pods insecure` any spelling that parses is
  // answered; under `pods verified` the result must equal the pod's status.podIP string
  // (`ip == p.PodIP`), which is the canonical (RFC 5952) text: only the compressed spelling resolves.
  test('an IPv6 pod record is the canonical (RFC 5952) address with dashes, which CoreDNS answers under pods verified too', () => {
    expect(DnsNames.podARecord('fd00::1', 'shop')).toBe('fd00--1.shop.pod.cluster.local');
    expect(DnsNames.podARecord('FD00:0:0:0:0:0:0:1', 'shop')).toBe('fd00--1.shop.pod.cluster.local');
    expect(DnsNames.podARecord('2001:db8:0:1:0:0:0:5', 'shop')).toBe('2001-db8-0-1--5.shop.pod.cluster.local');
    expect(DnsNames.podARecord('2001:db8:1:2:3:4:5:6', 'shop')).toBe('2001-db8-1-2-3-4-5-6.shop.pod.cluster.local');
  });

  test('an IPv6 address whose canonical text starts or ends with "::" is spelled with all eight groups, since no label may start or end with a dash', () => {
    expect(DnsNames.podARecord('fd00:1::', 'shop')).toBe('fd00-0001-0000-0000-0000-0000-0000-0000.shop.pod.cluster.local');
  });

  test('cluster-set names use the fixed clusterset.local domain', () => {
    expect(DnsNames.clusterSetService('api', 'shop')).toBe('api.shop.svc.clusterset.local');
    expect(DnsNames.clusterSetPod('db-0', 'east', 'db', 'shop')).toBe('db-0.east.db.shop.svc.clusterset.local');
  });

  test.each([
    ['a Service name starting with a digit', () => DnsNames.service('1api', 'shop'),
      "DnsNames.service('1api', 'shop'): service \"1api\" is not a Service name; it must consist of lower case alphanumeric characters or '-', start with a letter and end with an alphanumeric character."],
    ['a namespace with a dot', () => DnsNames.service('api', 'shop.eu'),
      "DnsNames.service('api', 'shop.eu'): namespace \"shop.eu\" is not a namespace name; it must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character."],
    ['a bad cluster domain', () => DnsNames.service('api', 'shop', 'Cluster.Local'),
      "DnsNames.service('api', 'shop', 'Cluster.Local'): clusterDomain \"Cluster.Local\" is not a DNS domain; it must consist of lower case alphanumeric characters, '-' or '.', and each label must start and end with an alphanumeric character."],
    ['a negative ordinal', () => DnsNames.statefulSetPod({ statefulSet: 'db', ordinal: -1, serviceName: 'db', namespace: 'shop' }),
      "DnsNames.statefulSetPod({ statefulSet: 'db', ordinal: -1, ... }): ordinal -1 is not a pod ordinal; ordinals are whole numbers from 0."],
    ['a pod name too long for a DNS label', () => DnsNames.statefulSetPod({ statefulSet: 'd'.repeat(62), ordinal: 10, serviceName: 'db', namespace: 'shop' }),
      `DnsNames.statefulSetPod({ statefulSet: '${'d'.repeat(62)}', ordinal: 10, ... }): pod name "${'d'.repeat(62)}-10" is not a DNS label; it has 65 characters; at most 63 are allowed. Use a shorter StatefulSet name.`],
    ['a pod record of a name', () => DnsNames.podARecord('db.example', 'shop'), "DnsNames.podARecord('db.example', 'shop'): \"db.example\" is not an IP address."],
    ['a cluster id that is not a label', () => DnsNames.clusterSetPod('db-0', 'East_1', 'db', 'shop'),
      "DnsNames.clusterSetPod('db-0', 'East_1', 'db', 'shop'): clusterId \"East_1\" is not a DNS label; it must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character."],
    // Callers outside TypeScript: a missing or mistyped argument is named, not a TypeError ("Cannot read properties of undefined").
    ['a statefulSet left out', () => DnsNames.statefulSetPod({ ordinal: 0, serviceName: 'db', namespace: 'shop' } as any),
      "DnsNames.statefulSetPod: statefulSet is not set; give the StatefulSet's name, e.g. 'db'."],
    ['positional arguments instead of the options', () => (DnsNames.statefulSetPod as any)('db', 0, 'db', 'shop'),
      'DnsNames.statefulSetPod: options is the string "db"; give { statefulSet, ordinal, serviceName, namespace }.'],
    ['a Service name left out', () => DnsNames.service(undefined as any, 'shop'),
      "DnsNames.service('undefined', 'shop'): service is not set; give the Service's name, e.g. 'api'."],
    ['a namespace that is a number', () => DnsNames.clusterSetService('api', 7 as any),
      "DnsNames.clusterSetService('api', '7'): namespace is the number 7; give the namespace's name, e.g. 'shop'."],
  ])('%s is refused', (_d, call, message) => {
    expect(call).toThrow(new Error(message));
  });
});
