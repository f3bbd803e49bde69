import { ApiObject, JsonPatch } from 'cdk8s';
import { ClusterDns, DenyAllNamespace, PodSecurityLevel, Port, SecureService } from '../../src';
import { NetworkAnalysis } from '../../src/analysis';
import { newChart, ofKind, one, synth } from '../util/synth';

const kubeDnsPeer = (ns = 'kube-system', labels: { [k: string]: string } = { 'k8s-app': 'kube-dns' }) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
  podSelector: { matchLabels: labels },
});
const DNS_PORTS = [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }];

function synthShop(props: ConstructorParameters<typeof DenyAllNamespace>[2] = {}, chart = newChart()) {
  const ns = new DenyAllNamespace(chart, 'Shop', props);
  return { ns, objects: synth(chart) };
}

describe('DenyAllNamespace Namespace', () => {
  test('is named after the construct id by default, or after the name prop', () => {
    expect(one(synthShop().objects, 'Namespace').metadata.name).toBe('shop');
    const chart = newChart();
    new DenyAllNamespace(chart, 'PaymentsTeam');
    expect(one(synth(chart), 'Namespace').metadata.name).toBe('payments-team');
    expect(one(synthShop({ name: 'store' }).objects, 'Namespace').metadata.name).toBe('store');
  });

  test('enforces, audits and warns at Pod Security Standards restricted, latest version, by default', () => {
    expect(one(synthShop().objects, 'Namespace').metadata.labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'latest',
      'app.kubernetes.io/managed-by': 'cdk8s-secure-networking',
    });
  });

  test('podSecurity and podSecurityVersion set the level and version of all three modes; extra labels are kept', () => {
    const { objects } = synthShop({ podSecurity: PodSecurityLevel.BASELINE, podSecurityVersion: 'v1.30', labels: { team: 'shop' } });
    const labels = one(objects, 'Namespace').metadata.labels;
    for (const mode of ['enforce', 'audit', 'warn']) {
      expect(labels[`pod-security.kubernetes.io/${mode}`]).toBe('baseline');
      expect(labels[`pod-security.kubernetes.io/${mode}-version`]).toBe('v1.30');
    }
    expect(labels.team).toBe('shop');
  });

  test('never carries metadata.namespace, even in a chart with a namespace', () => {
    const { objects } = synthShop({}, newChart('test', 'some-ns'));
    expect(one(objects, 'Namespace').metadata).not.toHaveProperty('namespace');
    expect(ofKind(objects, 'NetworkPolicy').map((p) => p.metadata.namespace)).toEqual(['shop', 'shop']);
  });

  test('the Namespace is a cdk8s-plus object reachable with ApiObject.of', () => {
    const chart = newChart();
    const ns = new DenyAllNamespace(chart, 'Shop');
    ApiObject.of(ns.namespace).addJsonPatch(JsonPatch.add('/metadata/annotations', { owner: 'shop' }));
    expect(one(synth(chart), 'Namespace').metadata.annotations).toEqual({ owner: 'shop' });
  });
});

describe('DenyAllNamespace policies', () => {
  test('default-deny selects every pod and isolates them for ingress and egress with no rules', () => {
    const policy = one(synthShop().objects, 'NetworkPolicy', 'default-deny');
    expect(policy.metadata.namespace).toBe('shop');
    expect(policy.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('allow-dns lets every pod reach kube-dns in kube-system on UDP and TCP 53, as one peer, and nothing else', () => {
    const policy = one(synthShop().objects, 'NetworkPolicy', 'allow-dns');
    expect(policy.metadata.namespace).toBe('shop');
    expect(policy.spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [kubeDnsPeer()], ports: DNS_PORTS }],
    });
  });

  test('only default-deny and allow-dns are written by default', () => {
    expect(ofKind(synthShop().objects, 'NetworkPolicy').map((p) => p.metadata.name)).toEqual(['default-deny', 'allow-dns']);
  });

  test('ClusterDns.kubeDns options set the DNS namespace, pod labels and ports', () => {
    const clusterDns = ClusterDns.kubeDns({ namespace: 'openshift-dns', podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' }, ports: [Port.udp(5353), Port.tcp(5353)] });
    const policy = one(synthShop({ clusterDns }).objects, 'NetworkPolicy', 'allow-dns');
    expect(policy.spec.egress).toEqual([{
      to: [kubeDnsPeer('openshift-dns', { 'dns.operator.openshift.io/daemonset-dns': 'default' })],
      ports: [{ protocol: 'UDP', port: 5353 }, { protocol: 'TCP', port: 5353 }],
    }]);
  });

  test('ClusterDns.nodeLocalDnsCache() allows the link-local cache address and still kube-dns', () => {
    const policy = one(synthShop({ clusterDns: ClusterDns.nodeLocalDnsCache() }).objects, 'NetworkPolicy', 'allow-dns');
    expect(policy.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: DNS_PORTS },
      { to: [kubeDnsPeer()], ports: DNS_PORTS },
    ]);
  });

  test('allowDns: false writes no allow-dns policy, so pods resolve nothing', () => {
    const { ns, objects } = synthShop({ allowDns: false });
    expect(ofKind(objects, 'NetworkPolicy').map((p) => p.metadata.name)).toEqual(['default-deny']);
    expect(ns.dnsPolicy).toBeUndefined();
  });

  test('allowDns: false also keeps DNS closed in the policies of services in the namespace', () => {
    const chart = newChart();
    const ns = new DenyAllNamespace(chart, 'Shop', { allowDns: false });
    new SecureService(chart, 'Api', { namespace: ns, image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    const objects = synth(chart);
    expect(one(objects, 'NetworkPolicy', 'api').spec.egress).toEqual([]);
    expect(NetworkAnalysis.fromManifests(objects).isAllowed({ from: 'shop/api', to: '10.96.0.10', port: 53, protocol: 'UDP' })).toBe(false);
  });

  test('allowWithinNamespace lets every pod of the namespace reach every other, both ways', () => {
    const { objects } = synthShop({ allowWithinNamespace: true });
    expect(one(objects, 'NetworkPolicy', 'allow-within-namespace').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });
  });

  test('allowFromNamespaces admits ingress from every pod of each named namespace, on every port', () => {
    const { objects } = synthShop({ allowFromNamespaces: ['monitoring', 'ingress-nginx'] });
    expect(one(objects, 'NetworkPolicy', 'allow-from-namespaces').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] },
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] },
      ],
    });
  });
});

describe('DenyAllNamespace reachability', () => {
  const IMAGE = 'ghcr.io/acme/app:1.0.0';

  test('pods of the namespace reach nothing but DNS until connections are declared', () => {
    const chart = newChart();
    const shop = new DenyAllNamespace(chart, 'Shop');
    new SecureService(chart, 'Web', { image: IMAGE, port: 8080, namespace: shop });
    new SecureService(chart, 'Api', { image: IMAGE, port: 8080, namespace: shop });
    const net = NetworkAnalysis.fromManifests(synth(chart));
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', port: 8080 })).toBe(false);
    expect(net.isAllowed({ from: 'shop/api', to: 'shop/web', port: 8080 })).toBe(false);
    expect(net.isAllowed({ from: 'shop/web', to: '203.0.113.10', port: 443 })).toBe(false);
  });

  test('allowWithinNamespace opens pod-to-pod traffic inside the namespace on every port', () => {
    const chart = newChart();
    const shop = new DenyAllNamespace(chart, 'Shop', { allowWithinNamespace: true });
    new SecureService(chart, 'Web', { image: IMAGE, port: 8080, namespace: shop });
    new SecureService(chart, 'Api', { image: IMAGE, port: 8080, namespace: shop });
    const net = NetworkAnalysis.fromManifests(synth(chart));
    expect(net.isAllowed({ from: 'shop/web', to: 'shop/api', port: 8080 })).toBe(true);
    expect(net.isAllowed({ from: 'shop/web', to: '203.0.113.10', port: 443 })).toBe(false);
  });
});

test('DenyAllNamespace manifests match the snapshot', () => {
  const { objects } = synthShop({ allowWithinNamespace: true, allowFromNamespaces: ['monitoring'], clusterDns: ClusterDns.nodeLocalDnsCache() });
  expect(objects).toMatchSnapshot();
});
