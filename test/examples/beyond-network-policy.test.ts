/*
 * Examples 08-10: what they mean. Cilium toFQDNs and the DNS proxy rule
 * (docs.cilium.io/en/v1.18/security/policy/language/#dns-based), Istio ServiceEntry and Sidecar
 * REGISTRY_ONLY (istio.io/latest/docs/reference/config/networking/service-entry/, .../sidecar/),
 * network-policy-api precedence (v0.1.8 apis/v1alpha1). Objects are schema-checked by synth().
 */
import { App } from 'cdk8s';
import { EgressByNameCilium, EgressByNameIstio, Guardrails } from '../../examples/charts/beyond-network-policy';
import { NetworkAnalysis } from '../../src';
import { ofKind, one, synth } from '../util/synth';

/** Pods of the cluster that the guardrails name, which the examples do not deploy. */
function clusterPods(): any[] {
  const pod = (namespace: string, name: string, labels: { [k: string]: string }) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  return [
    ...['kube-system', 'monitoring', 'node-agent', 'legacy'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
    pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }), pod('monitoring', 'prometheus', { app: 'prometheus' }),
    pod('node-agent', 'agent', { app: 'agent' }), pod('legacy', 'app', { app: 'legacy' }),
  ];
}

describe('08 egress by name under Cilium', () => {
  const app = new App();
  const chart = new EgressByNameCilium(app, '08-egress-by-name-cilium');
  const objects = synth(chart);

  test('the names are a CiliumNetworkPolicy (toFQDNs) next to the NetworkPolicy; no address range is opened', () => {
    const cnp = one(objects, 'CiliumNetworkPolicy', 'api-fqdn');
    expect(cnp.spec.egress.map((r: any) => r.toFQDNs ?? r.toPorts[0].rules)).toEqual([
      { dns: [{ matchPattern: '*' }] }, [{ matchPattern: '*.s3.amazonaws.com' }], [{ matchName: 'api.payments.example' }],
    ]);
    expect(JSON.stringify(one(objects, 'NetworkPolicy', 'api').spec)).not.toContain('ipBlock');
  });

  test('meaning: the api reaches the names on 443 only, and no address', () => {
    const net = NetworkAnalysis.fromManifests(objects);
    expect(net.matrix().filter((l) => l.src === 'billing/api[Deployment]' && l.dst.endsWith('[FQDN]'))).toEqual([
      { src: 'billing/api[Deployment]', dst: '*.s3.amazonaws.com[FQDN]', conn: 'TCP 443' },
      { src: 'billing/api[Deployment]', dst: 'api.payments.example[FQDN]', conn: 'TCP 443' },
    ]);
    expect(net.isAllowed({ from: 'billing/api', to: 'reports.s3.amazonaws.com[FQDN]', port: 443 })).toBe(true);
    expect(net.isAllowed({ from: 'billing/api', to: 'evil.example[FQDN]', port: 443 })).toBe(false);
    expect(net.allowedConnections('billing/api', '203.0.113.7')).toBe('');
    // The DNS proxy rule allows every lookup (matchPattern '*'), so it filters nothing and is not reported.
    expect(net.warnings()).toEqual([]);
  });
});

describe('09 the same in an Istio mesh', () => {
  const objects = synth(new EgressByNameIstio(new App(), '09-egress-by-name-istio'));

  test('a ServiceEntry for the host; the namespace reaches only registered hosts', () => {
    expect(one(objects, 'ServiceEntry').spec).toEqual({
      hosts: ['api.payments.example'],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      exportTo: ['.'],
      ports: [{ number: 443, name: 'tls-443', protocol: 'TLS' }],
    });
    expect(one(objects, 'Sidecar').spec).toEqual({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expect(ofKind(objects, 'CiliumNetworkPolicy')).toEqual([]);
  });

  test('meaning: the NetworkPolicy opens the provider range on 443 only', () => {
    const net = NetworkAnalysis.fromManifests(objects);
    expect(net.allowedConnections('billing-mesh/api', '203.0.113.0/24')).toBe('TCP 443');
    expect(net.isAllowed({ from: 'billing-mesh/api', to: '198.51.100.1', port: 443 })).toBe(false);
  });
});

describe('10 cluster guardrails', () => {
  const app = new App();
  const guardrails = new Guardrails(app, '10-cluster-guardrails');
  const cilium = new EgressByNameCilium(app, '08-egress-by-name-cilium');
  const net = NetworkAnalysis.fromManifests([...synth(guardrails), ...synth(cilium), ...clusterPods()]);

  test('cluster-scoped objects: AdminNetworkPolicies and the BaselineAdminNetworkPolicy default, no namespace', () => {
    const objects = synth(guardrails);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'AdminNetworkPolicy/guardrails-deny-cloud-metadata', 'AdminNetworkPolicy/guardrails-allow-dns', 'AdminNetworkPolicy/guardrails-allow-dns-server',
      'BaselineAdminNetworkPolicy/default', 'AdminNetworkPolicy/guardrails-allow-cloud-metadata', 'AdminNetworkPolicy/guardrails-allow-monitoring',
      'AdminNetworkPolicy/guardrails-allow-monitoring-scrape',
    ]);
    expect(objects.every((o) => o.metadata.namespace === undefined)).toBe(true);
  });

  test('meaning, with the apps of the cluster: metadata only for the node agent, DNS and scrapes always, nothing else for namespaces without policies', () => {
    expect(net.isAllowed({ from: 'billing/api', to: '169.254.169.254', port: 80 })).toBe(false);
    expect(net.isAllowed({ from: 'legacy/app', to: '169.254.169.254', port: 80 })).toBe(false);
    expect(net.isAllowed({ from: 'node-agent/agent', to: '169.254.169.254', port: 80 })).toBe(true);
    expect(net.isAllowed({ from: 'node-agent/agent', to: '198.51.100.1', port: 80 })).toBe(false);
    expect(net.isAllowed({ from: 'legacy/app', to: 'kube-system/coredns', port: 53, protocol: 'UDP' })).toBe(true);
    expect(net.isAllowed({ from: 'monitoring/prometheus', to: 'legacy/app', port: 9090 })).toBe(true);
    expect(net.isAllowed({ from: 'monitoring/prometheus', to: 'billing/api', port: 9090 })).toBe(true);
    expect(net.isAllowed({ from: 'legacy/app', to: 'billing/api', port: 8080 })).toBe(false);
    expect(net.isAllowed({ from: 'billing/api', to: 'api.payments.example[FQDN]', port: 443 })).toBe(true);
    expect(net.explain({ from: 'billing/api', to: '169.254.169.254', port: 80 }).text)
      .toBe('denied: egress from billing/api: AdminNetworkPolicy/guardrails-deny-cloud-metadata rule "deny-cloud-metadata" denies TCP 80');
  });
});
