import { Chart, Testing } from 'cdk8s';
import { DnsPolicy, resolvePodDns } from '../../src/dns/pod-dns';

function scope() {
  return new Chart(Testing.app(), 'test');
}

describe('PodDns validation and rendering', () => {
  test('no dns props means no DNS settings (the Kubernetes default, ClusterFirst)', () => {
    expect(resolvePodDns(scope(), 'X', undefined)).toBeUndefined();
  });

  test('nameservers are written canonically and each gets UDP and TCP 53 egress; loopback needs none', () => {
    const dns = resolvePodDns(scope(), 'X', { policy: DnsPolicy.NONE, nameservers: ['2001:DB8::53', '127.0.0.1', '10.0.0.10'] })!;
    expect(dns.props.nameservers).toEqual(['2001:db8::53', '127.0.0.1', '10.0.0.10']);
    expect(dns.egress.map((r) => `${r.peer.peerId} ${r.ports.join(',')}`)).toEqual(['2001:db8::53/128 UDP 53,TCP 53', '10.0.0.10/32 UDP 53,TCP 53']);
  });

  test('a fully qualified search domain and the valued options at their limits are accepted', () => {
    const dns = resolvePodDns(scope(), 'X', {
      searches: ['corp.example.'],
      options: [{ name: 'ndots', value: '0' }, { name: 'ndots', value: '15' }, { name: 'timeout', value: '30' }, { name: 'attempts', value: '5' }, { name: 'edns0' }, { name: 'custom-opt', value: 'x' }],
    })!;
    expect(dns.props.policy).toBe('ClusterFirst');
    expect(dns.props.options).toHaveLength(6);
  });

  test('ClusterFirstWithHostNet is accepted with a warning: these pods never use the host network', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const s = scope();
    resolvePodDns(s, 'X', { policy: DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET });
    expect(s.node.metadata.map((m) => m.data)).toEqual(['X.dns.policy is ClusterFirstWithHostNet, but these pods do not use the host network, so it behaves as ClusterFirst.']);
    warn.mockRestore();
  });

  test.each([
    ['a timeout above 30', { options: [{ name: 'timeout', value: '31' }] }, 'test: X.dns.options[0] timeout is "31"; it must be a whole number 1-30 (the resolver caps timeout at 30 seconds).'],
    ['attempts of 0', { options: [{ name: 'attempts', value: '0' }] }, 'test: X.dns.options[0] attempts is "0"; it must be a whole number 1-5 (the resolver caps attempts at 5).'],
    ['a fractional ndots', { options: [{ name: 'ndots', value: '1.5' }] }, 'test: X.dns.options[0] ndots is "1.5"; it must be a whole number 0-15 (the resolver caps ndots at 15).'],
    ['a multicast nameserver', { nameservers: ['224.0.0.251'] }, 'test: X.dns.nameservers[0] "224.0.0.251" cannot be a nameserver; it is a multicast address.'],
    ['the same IPv6 nameserver written twice in different case', { nameservers: ['2001:db8::1', '2001:DB8::1'] }, 'test: X.dns.nameservers lists "2001:DB8::1" twice; list each nameserver once.'],
    // cdk8s-plus-28 throws "There can be at most 6 search domains specified" when it renders more
    // (node_modules/cdk8s-plus-28/lib/pod.js, PodDns._toKube); said at construction, with that cause.
    ['seven search domains (more than cdk8s-plus-28 renders)', { searches: Array.from({ length: 7 }, (_, i) => `d${i}.example`) },
      'test: X.dns.searches lists 7 domains; at most 6 can be rendered, because cdk8s-plus-28, which writes the pod spec, refuses more (Kubernetes itself allows 32 since 1.28). Keep the 6 the pods need.'],
  ])('%s is refused', (_d, dns, message) => {
    expect(() => resolvePodDns(scope(), 'X', dns)).toThrow(new Error(message));
  });
});
