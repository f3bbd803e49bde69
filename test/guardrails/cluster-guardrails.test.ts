/*
 * ClusterGuardrails: what each object says, checked against the network-policy-api types
 * (kubernetes-sigs/network-policy-api v0.1.8 apis/v1alpha1/{adminnetworkpolicy,baselineadminnetworkpolicy,shared}_types.go;
 * v0.2.0 apis/v1alpha2/clusternetworkpolicy_types.go) and Cilium's policy docs
 * (docs.cilium.io/en/stable/security/policy/intro/ enableDefaultDeny, .../policy/deny/).
 * Every object is schema-checked against the committed CRD imports by synth().
 */
import { ClusterGuardrails, GuardrailAction, GuardrailApi, GuardrailTier, Peer, PolicyEngine, Port } from '../../src';
import { newChart, ofKind, one, synth } from '../util/synth';

function guardrails(props: ConstructorParameters<typeof ClusterGuardrails>[2] = {}, engine?: PolicyEngine) {
  const chart = newChart('test');
  if (engine) PolicyEngine.use(chart, engine);
  const g = new ClusterGuardrails(chart, 'Guardrails', props);
  return { chart, g };
}

describe('defaults (AdminNetworkPolicy + BaselineAdminNetworkPolicy)', () => {
  const { chart, g } = guardrails();
  g.allowMonitoring({ namespace: 'monitoring', ports: [Port.tcp(9090), Port.tcpRange(9100, 9110)] });
  const objects = synth(chart);

  test('objects are cluster-scoped: no namespace', () => {
    expect(objects.every((o) => o.metadata.namespace === undefined)).toBe(true);
  });

  test('the cloud metadata endpoint is denied first (lowest priority number), to every namespace, IPv4 and IPv6', () => {
    const anp = one(objects, 'AdminNetworkPolicy', 'guardrails-deny-cloud-metadata');
    expect(anp.apiVersion).toBe('policy.networking.k8s.io/v1alpha1');
    expect(anp.spec.priority).toBe(10);
    expect(Math.min(...ofKind(objects, 'AdminNetworkPolicy').map((o) => o.spec.priority))).toBe(10);
    // An empty namespaces selector selects every namespace (shared_types.go, AdminNetworkPolicySubject).
    expect(anp.spec.subject).toEqual({ namespaces: {} });
    expect(anp.spec.egress).toEqual([{ name: 'deny-cloud-metadata', action: 'Deny', to: [{ networks: ['169.254.169.254/32', 'fd00:ec2::254/128'] }] }]);
    expect(anp.spec.ingress).toBeUndefined();
  });

  test('DNS is always allowed: every pod to the kube-dns pods on UDP and TCP 53, and the kube-dns pods accept it', () => {
    const egress = one(objects, 'AdminNetworkPolicy', 'guardrails-allow-dns');
    const dnsPods = { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } };
    const ports = [{ portNumber: { protocol: 'UDP', port: 53 } }, { portNumber: { protocol: 'TCP', port: 53 } }];
    expect(egress.spec.subject).toEqual({ namespaces: {} });
    expect(egress.spec.egress).toEqual([{ name: 'allow-dns', action: 'Allow', to: [dnsPods], ports }]);
    const server = one(objects, 'AdminNetworkPolicy', 'guardrails-allow-dns-server');
    expect(server.spec.subject).toEqual(dnsPods);
    expect(server.spec.ingress).toEqual([{ name: 'allow-dns-queries', action: 'Allow', from: [{ namespaces: {} }], ports }]);
  });

  test('monitoring may scrape every pod on the metrics ports (port numbers and ranges)', () => {
    const anp = one(objects, 'AdminNetworkPolicy', 'guardrails-allow-monitoring');
    expect(anp.spec.ingress).toEqual([{
      name: 'allow-monitoring',
      action: 'Allow',
      from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ portNumber: { protocol: 'TCP', port: 9090 } }, { portRange: { protocol: 'TCP', start: 9100, end: 9110 } }],
    }]);
  });

  test('each admin policy has its own priority, in the order the guardrails were declared', () => {
    const priorities = ofKind(objects, 'AdminNetworkPolicy').map((o) => [o.metadata.name, o.spec.priority]);
    expect(priorities).toEqual([
      ['guardrails-deny-cloud-metadata', 10], ['guardrails-allow-dns', 11], ['guardrails-allow-dns-server', 12], ['guardrails-allow-monitoring', 13],
      ['guardrails-allow-monitoring-scrape', 14],
    ]);
  });

  test('monitoring may also send the scrapes: its own egress is allowed on the metrics ports (else the baseline would stop them)', () => {
    const anp = one(objects, 'AdminNetworkPolicy', 'guardrails-allow-monitoring-scrape');
    expect(anp.spec.subject).toEqual({ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } });
    expect(anp.spec.egress).toEqual([{
      name: 'allow-monitoring-scrape',
      action: 'Allow',
      to: [{ namespaces: {} }],
      ports: [{ portNumber: { protocol: 'TCP', port: 9090 } }, { portRange: { protocol: 'TCP', start: 9100, end: 9110 } }],
    }]);
  });

  test('the baseline default deny is the BaselineAdminNetworkPolicy "default" (the only name its CRD accepts), leaving kube-system out', () => {
    const banp = one(objects, 'BaselineAdminNetworkPolicy');
    expect(banp.metadata.name).toBe('default');
    expect(banp.spec.priority).toBeUndefined();
    expect(banp.spec.subject).toEqual({ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] } });
    expect(banp.spec.ingress).toEqual([{ name: 'baseline-deny-ingress', action: 'Deny', from: [{ namespaces: {} }] }]);
    expect(banp.spec.egress).toEqual([{ name: 'baseline-deny-egress', action: 'Deny', to: [{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }] }]);
  });
});

test('namespaces allowed to reach the cloud metadata endpoint are left out of the deny subject', () => {
  const { chart } = guardrails({ cloudMetadataAllowedNamespaces: ['node-agent', 'kube-system'] });
  const anp = one(synth(chart), 'AdminNetworkPolicy', 'guardrails-deny-cloud-metadata');
  expect(anp.spec.subject).toEqual({ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['node-agent', 'kube-system'] }] } });
});

test('namespaces allowed to reach the cloud metadata endpoint get an admin Allow to it (the baseline would deny them otherwise)', () => {
  const { chart } = guardrails({ cloudMetadataAllowedNamespaces: ['node-agent'] });
  const anp = one(synth(chart), 'AdminNetworkPolicy', 'guardrails-allow-cloud-metadata');
  expect(anp.spec.subject).toEqual({ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['node-agent'] }] } });
  expect(anp.spec.egress).toEqual([{ name: 'allow-cloud-metadata', action: 'Allow', to: [{ networks: ['169.254.169.254/32', 'fd00:ec2::254/128'] }] }]);
});

test('each ready-made rule can be switched off', () => {
  const { chart } = guardrails({ denyCloudMetadata: false, allowDns: false, baselineDefaultDeny: false });
  expect(synth(chart)).toEqual([]);
});

test('free rules: library peers and ports, in the order added, Pass included; baseline rules precede the default deny', () => {
  const { chart, g } = guardrails({ priority: 100 });
  g.addEgressRule({ name: 'pass-same-team', action: GuardrailAction.PASS, peers: [Peer.namespaces({ labels: { team: 'shop' } })], namespaces: ['shop'] });
  g.addEgressRule({ name: 'deny-legacy-db', action: GuardrailAction.DENY, peers: [Peer.pods({ labels: { app: 'db' }, namespace: 'legacy' }), Peer.ipBlock('10.20.0.0/16')], ports: [Port.tcp(5432)] });
  g.addIngressRule({ name: 'allow-probes', action: GuardrailAction.ALLOW, tier: GuardrailTier.BASELINE, peers: [Peer.namespace('monitoring')], ports: [Port.allTcp()] });
  const objects = synth(chart);
  const pass = one(objects, 'AdminNetworkPolicy', 'guardrails-pass-same-team');
  expect(pass.spec.priority).toBe(103);
  expect(pass.spec.subject).toEqual({ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop'] }] } });
  expect(pass.spec.egress).toEqual([{ name: 'pass-same-team', action: 'Pass', to: [{ namespaces: { matchLabels: { team: 'shop' } } }] }]);
  const deny = one(objects, 'AdminNetworkPolicy', 'guardrails-deny-legacy-db');
  expect(deny.spec.priority).toBe(104);
  expect(deny.spec.egress[0].to).toEqual([
    { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'legacy' } }, podSelector: { matchLabels: { app: 'db' } } } },
    { networks: ['10.20.0.0/16'] },
  ]);
  const banp = one(objects, 'BaselineAdminNetworkPolicy', 'default');
  expect(banp.spec.ingress.map((r: any) => r.name)).toEqual(['allow-probes', 'baseline-deny-ingress']);
  // Every TCP port: a range 1-65535 (AdminNetworkPolicyPort has no "all ports of a protocol" form).
  expect(banp.spec.ingress[0].ports).toEqual([{ portRange: { protocol: 'TCP', start: 1, end: 65535 } }]);
});

describe('in a Chart that has a namespace', () => {
  // The CRDs are cluster-scoped (kubernetes-sigs/network-policy-api v0.1.8/v0.2.0 config/crd/*: scope: Cluster;
  // cilium/cilium pkg/k8s/apis/cilium.io/client/crds/v2/ciliumclusterwidenetworkpolicies.yaml: scope: Cluster), but a
  // Chart's namespace is stamped on every object (cdk8s#1558), as for the Namespace of a DenyAllNamespace.
  test.each<[string, GuardrailApi | undefined, PolicyEngine | undefined]>([
    ['AdminNetworkPolicy + BaselineAdminNetworkPolicy', undefined, undefined],
    ['ClusterNetworkPolicy', GuardrailApi.CLUSTER_NETWORK_POLICY, undefined],
    ['CiliumClusterwideNetworkPolicy', undefined, PolicyEngine.cilium()],
  ])('%s: no object carries metadata.namespace', (_, api, engine) => {
    const chart = newChart('test', 'shop');
    if (engine) PolicyEngine.use(chart, engine);
    new ClusterGuardrails(chart, 'Guardrails', { api }).allowMonitoring({ namespace: 'monitoring', ports: [Port.tcp(9090)] });
    const objects = synth(chart);
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.filter((o) => o.metadata.namespace !== undefined).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  });
});

describe('ClusterNetworkPolicy (v1alpha2)', () => {
  const { chart, g } = guardrails({ api: GuardrailApi.CLUSTER_NETWORK_POLICY });
  g.allowMonitoring({ namespace: 'monitoring', ports: [Port.named('metrics'), Port.tcpRange(9100, 9110)] });
  g.addEgressRule({ name: 'pass-internal', action: GuardrailAction.PASS, peers: [Peer.allPodsInCluster()] });
  const objects = synth(chart);

  test('admin rules are tier Admin with priorities; Allow is written Accept', () => {
    const dns = one(objects, 'ClusterNetworkPolicy', 'guardrails-allow-dns');
    expect(dns.apiVersion).toBe('policy.networking.k8s.io/v1alpha2');
    expect(dns.spec.tier).toBe('Admin');
    expect(dns.spec.priority).toBe(11);
    expect(dns.spec.egress[0].action).toBe('Accept');
    expect(dns.spec.egress[0].protocols).toEqual([{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }]);
    expect(one(objects, 'ClusterNetworkPolicy', 'guardrails-pass-internal').spec.egress[0]).toEqual({ name: 'pass-internal', action: 'Pass', to: [{ namespaces: {} }] });
  });

  test('named metrics ports are destinationNamedPort; ranges are destinationPort.range', () => {
    const mon = one(objects, 'ClusterNetworkPolicy', 'guardrails-allow-monitoring');
    expect(mon.spec.ingress[0].protocols).toEqual([{ destinationNamedPort: 'metrics' }, { tcp: { destinationPort: { range: { start: 9100, end: 9110 } } } }]);
  });

  test('the baseline is a Baseline tier ClusterNetworkPolicy', () => {
    const base = one(objects, 'ClusterNetworkPolicy', 'guardrails-baseline');
    expect(base.spec.tier).toBe('Baseline');
    expect(base.spec.egress[0].action).toBe('Deny');
  });
});

describe('Cilium engine: CiliumClusterwideNetworkPolicy', () => {
  const { chart, g } = guardrails({}, PolicyEngine.cilium());
  g.allowMonitoring({ namespace: 'monitoring', ports: [Port.named('metrics')] });
  const objects = synth(chart);

  test('only CiliumClusterwideNetworkPolicy objects are written', () => {
    expect(new Set(objects.map((o) => `${o.apiVersion}/${o.kind}`))).toEqual(new Set(['cilium.io/v2/CiliumClusterwideNetworkPolicy']));
  });

  test('the metadata deny is an egressDeny (wins over every allow) that isolates nothing (enableDefaultDeny false)', () => {
    const ccnp = one(objects, 'CiliumClusterwideNetworkPolicy', 'guardrails-deny-cloud-metadata');
    expect(ccnp.spec.egressDeny).toEqual([{ toCIDR: ['169.254.169.254/32', 'fd00:ec2::254/128'] }]);
    expect(ccnp.spec.enableDefaultDeny).toEqual({ ingress: false, egress: false });
    expect(ccnp.spec.endpointSelector).toEqual({});
  });

  test('allows add to every policy without isolating the pods; namespaces are Cilium endpoint labels', () => {
    const dns = one(objects, 'CiliumClusterwideNetworkPolicy', 'guardrails-allow-dns');
    expect(dns.spec.enableDefaultDeny).toEqual({ ingress: false, egress: false });
    expect(dns.spec.egress).toEqual([{
      toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }],
      toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] }],
    }]);
    const mon = one(objects, 'CiliumClusterwideNetworkPolicy', 'guardrails-allow-monitoring');
    expect(mon.spec.ingress).toEqual([{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'monitoring' } }], toPorts: [{ ports: [{ port: 'metrics', protocol: 'TCP' }] }] }]);
  });

  test('the baseline default deny isolates the pods in both directions (allowed only what some policy allows)', () => {
    const base = one(objects, 'CiliumClusterwideNetworkPolicy', 'guardrails-baseline');
    expect(base.spec).toEqual({
      endpointSelector: { matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'NotIn', values: ['kube-system'] }] },
      enableDefaultDeny: { ingress: true, egress: true },
      ingress: [{}],
      egress: [{}],
    });
  });

  test('a Deny after Allows warns that Cilium denies win whatever the order', () => {
    g.addEgressRule({ name: 'deny-legacy', action: GuardrailAction.DENY, peers: [Peer.namespace('legacy')] });
    expect(g.node.metadata.filter((m) => m.type === 'warning').map((m) => m.data)).toEqual([
      'RuleDenyLegacy: a Deny rule after Allow rules; Cilium deny rules win over every allow whatever the order, so traffic both rules match is denied (AdminNetworkPolicy would allow it).',
    ]);
  });
});

describe('refused with the reason', () => {
  test.each<[string, (g: ClusterGuardrails) => void, string]>([
    ['a named port in an AdminNetworkPolicy (experimental channel only)', (g) => g.allowMonitoring({ namespace: 'monitoring', ports: [Port.named('metrics')] }),
      'test/Guardrails: AllowMonitoring: cannot be written as AdminNetworkPolicy: rule "allow-monitoring": TCP metrics is a named port; AdminNetworkPolicy has named ports only in the experimental channel of network-policy-api v0.1.8 (AdminNetworkPolicyPort.namedPort). Give the port number, or write the guardrails as ClusterNetworkPolicy (destinationNamedPort).'],
    ['an address block as an ingress peer', (g) => g.addIngressRule({ name: 'allow-office', action: GuardrailAction.ALLOW, peers: [Peer.ipBlock('203.0.113.0/24')] }),
      'test/Guardrails: ClusterGuardrails.addIngressRule(allow-office): peers[0] 203.0.113.0/24 is an address block; ingress rules of cluster-wide policies can name only namespaces and pods (AdminNetworkPolicyIngressPeer has no networks field, network-policy-api v0.1.8).'],
    ['an address block with exceptions', (g) => g.addEgressRule({ name: 'deny-net', action: GuardrailAction.DENY, peers: [Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16'])] }),
      'test/Guardrails: ClusterGuardrails.addEgressRule(deny-net): peers[0] 10.0.0.0/8 except 10.1.0.0/16 has exceptions; cluster-wide networks peers have no except field. Add a rule for the excepted blocks before this one instead.'],
    ['pods without a namespace', (g) => g.addEgressRule({ name: 'deny-db', action: GuardrailAction.DENY, peers: [Peer.pods({ labels: { app: 'db' } })] }),
      "test/Guardrails: ClusterGuardrails.addEgressRule(deny-db): peers[0] /app=db names pods without their namespace; a cluster-wide rule has no namespace of its own. Name it, e.g. Peer.pods({ labels, namespace: 'shop' })."],
    ['a Pass in the baseline', (g) => g.addEgressRule({ name: 'pass', action: GuardrailAction.PASS, tier: GuardrailTier.BASELINE, peers: [Peer.namespace('a')] }),
      'test/Guardrails: ClusterGuardrails.addEgressRule(pass): action is Pass on a baseline rule; the baseline is the last tier, so there is nothing to pass to (BaselineAdminNetworkPolicy actions are Allow and Deny).'],
    ['namespaces on a baseline rule', (g) => g.addEgressRule({ name: 'b', action: GuardrailAction.DENY, tier: GuardrailTier.BASELINE, peers: [Peer.namespace('a')], namespaces: ['x'] }),
      'test/Guardrails: ClusterGuardrails.addEgressRule(b): namespaces is set on a baseline rule; the baseline is one policy for every namespace not in ClusterGuardrailsProps.baselineExceptNamespaces. Remove namespaces.'],
    ['two rules with one name', (g) => { g.addEgressRule({ name: 'r', action: GuardrailAction.DENY, peers: [Peer.namespace('a')] }); g.addEgressRule({ name: 'r', action: GuardrailAction.DENY, peers: [Peer.namespace('b')] }); },
      'test/Guardrails: ClusterGuardrails.addEgressRule(r): a rule named "r" exists already; give each rule its own name.'],
    ['no peers', (g) => g.addEgressRule({ name: 'r', action: GuardrailAction.DENY, peers: [] }),
      'test/Guardrails: ClusterGuardrails.addEgressRule(r): peers is empty; a rule needs at least one peer (network-policy-api: from/to MinItems=1).'],
    ['monitoring on every port', (g) => g.allowMonitoring({ namespace: 'monitoring', ports: [] }),
      'test/Guardrails: ClusterGuardrails.allowMonitoring: ports is empty; name the metrics ports (e.g. Port.tcp(9090)): monitoring needs only those.'],
  ])('%s', (_d, act, message) => {
    expect(() => act(guardrails().g)).toThrow(new Error(message));
  });

  test.each<[string, ConstructorParameters<typeof ClusterGuardrails>[2], string]>([
    ['a priority above 1000', { priority: 1001 }, 'test/Guardrails: ClusterGuardrails.priority is 1001; a priority is an integer 0-1000 (network-policy-api spec.priority).'],
    ['a bad namespace name', { cloudMetadataAllowedNamespaces: ['Node_Agent'] }, 'test/Guardrails: ClusterGuardrails.cloudMetadataAllowedNamespaces[0] "Node_Agent" is not a namespace name;'],
    ['an allow list without the deny', { denyCloudMetadata: false, cloudMetadataAllowedNamespaces: ['a'] },
      'test/Guardrails: ClusterGuardrails.cloudMetadataAllowedNamespaces is set while ClusterGuardrails.denyCloudMetadata is false; the allow list only makes sense with the deny. Remove one.'],
  ])('props: %s', (_d, props, message) => {
    expect(() => guardrails(props)).toThrow(message);
  });

  test.each<[string, (g: ClusterGuardrails) => void, string]>([
    ['a Pass rule', (g) => g.addEgressRule({ name: 'p', action: GuardrailAction.PASS, peers: [Peer.namespace('a')] }),
      'test/Guardrails: RuleP: cannot be written as CiliumClusterwideNetworkPolicy (policy engine cilium): rule "p" is a Pass rule; Cilium has no Pass (no tiers to pass to). Use the kubernetes engine with AdminNetworkPolicy/ClusterNetworkPolicy for Pass rules.'],
    ['a baseline rule', (g) => g.addEgressRule({ name: 'b', action: GuardrailAction.ALLOW, tier: GuardrailTier.BASELINE, peers: [Peer.namespace('a')] }),
      'test/Guardrails: Baseline: cannot be written as CiliumClusterwideNetworkPolicy (policy engine cilium): Cilium has no baseline tier (rules that apply only where no NetworkPolicy decides): its allows add to every policy and its denies win over all of them. Write this rule as an admin rule, or use the kubernetes engine with AdminNetworkPolicy/ClusterNetworkPolicy.'],
  ])('Cilium cannot express %s', (_d, act, message) => {
    const { g } = guardrails({}, PolicyEngine.cilium());
    expect(() => act(g)).toThrow(new Error(message));
  });
});
