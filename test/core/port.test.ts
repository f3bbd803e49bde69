import { Port, Protocol } from '../../src';

describe('Port', () => {
  test.each<[string, Port, string, any]>([
    ['Port.tcp', Port.tcp(5432), 'TCP 5432', { protocol: 'TCP', port: 5432, endPort: undefined }],
    ['Port.udp', Port.udp(53), 'UDP 53', { protocol: 'UDP', port: 53, endPort: undefined }],
    ['Port.sctp', Port.sctp(3868), 'SCTP 3868', { protocol: 'SCTP', port: 3868, endPort: undefined }],
    ['Port.tcpRange', Port.tcpRange(8000, 8080), 'TCP 8000-8080', { protocol: 'TCP', port: 8000, endPort: 8080 }],
    ['Port.udpRange', Port.udpRange(60000, 61000), 'UDP 60000-61000', { protocol: 'UDP', port: 60000, endPort: 61000 }],
    ['Port.range of one port', Port.range(Protocol.SCTP, 9, 9), 'SCTP 9', { protocol: 'SCTP', port: 9, endPort: undefined }],
    ['Port.named', Port.named('http'), 'TCP http', { protocol: 'TCP', port: undefined, portName: 'http', endPort: undefined }],
    ['Port.named with a protocol', Port.named('dns', Protocol.UDP), 'UDP dns', { protocol: 'UDP', port: undefined, portName: 'dns', endPort: undefined }],
    ['Port.allTcp', Port.allTcp(), 'all TCP', { protocol: 'TCP', port: undefined, endPort: undefined }],
    ['Port.allUdp', Port.allUdp(), 'all UDP', { protocol: 'UDP', port: undefined, endPort: undefined }],
  ])('%s reads as its meaning and becomes one NetworkPolicy port entry', (_name, port, text, entry) => {
    expect(port.toString()).toBe(text);
    expect(port.toNetworkPolicyPort()).toEqual(entry);
  });

  test('Port.allTraffic() is every port of every protocol: a rule without ports', () => {
    expect(Port.allTraffic().toString()).toBe('all traffic');
    expect(Port.allTraffic().toNetworkPolicyPort()).toBeUndefined();
    expect(Port.allTraffic().isAllTraffic).toBe(true);
  });

  test('the constants are the well-known ports', () => {
    expect([Port.HTTP, Port.HTTPS, Port.DNS_UDP, Port.DNS_TCP].map(String)).toEqual(['TCP 80', 'TCP 443', 'UDP 53', 'TCP 53']);
  });

  test.each<[string, Port, Port, boolean]>([
    ['a port covers itself', Port.tcp(80), Port.tcp(80), true],
    ['a range covers a port inside it', Port.tcpRange(8000, 8080), Port.tcp(8042), true],
    ['a range covers a smaller range inside it', Port.tcpRange(8000, 8080), Port.tcpRange(8010, 8020), true],
    ['a range does not cover a range that sticks out', Port.tcpRange(8000, 8080), Port.tcpRange(8070, 8090), false],
    ['a port does not cover a range that starts at it', Port.tcp(8000), Port.tcpRange(8000, 8001), false],
    ['TCP does not cover UDP on the same number', Port.tcp(53), Port.udp(53), false],
    ['all TCP covers any TCP port', Port.allTcp(), Port.tcp(1), true],
    ['all TCP does not cover all traffic', Port.allTcp(), Port.allTraffic(), false],
    ['all traffic covers everything', Port.allTraffic(), Port.udpRange(1, 65535), true],
    ['a named port covers the same name only', Port.named('http'), Port.named('http'), true],
    ['a named port does not cover a number', Port.named('http'), Port.tcp(8080), false],
  ])('%s', (_name, port, other, expected) => {
    expect(port.covers(other)).toBe(expected);
  });
});
