import { ConnectionSet } from '../../src/analysis';

describe('ConnectionSet', () => {
  test('every port of all three protocols is All Connections', () => {
    expect(ConnectionSet.all().toString()).toBe('All Connections');
    expect(ConnectionSet.all().isAll()).toBe(true);
    expect(ConnectionSet.protocol('TCP').union(ConnectionSet.protocol('udp')).union(ConnectionSet.ports('SCTP', 1, 65535)).toString()).toBe('All Connections');
  });

  test('no connection is the empty string', () => {
    expect(ConnectionSet.none().toString()).toBe('');
    expect(ConnectionSet.none().isEmpty()).toBe(true);
  });

  test('a whole protocol is written 1-65535', () => {
    expect(ConnectionSet.protocol('TCP').toString()).toBe('TCP 1-65535');
    expect(ConnectionSet.all().subtract(ConnectionSet.protocol('SCTP')).toString()).toBe('TCP 1-65535,UDP 1-65535');
  });

  test.each([
    ['TCP 8080'],
    ['TCP 8080,9090,UDP 8080'],
    ['TCP 10053-10054,UDP 10053'],
    ['SCTP 7070,TCP 8080-8081,UDP 9090'],
    ['SCTP 8956,9090'],
    ['TCP 1-79,81-65535'],
  ])('%s survives a parse and format round trip', (text) => {
    expect(ConnectionSet.parse(text).toString()).toBe(text);
  });

  test('ports are sorted, merged into runs, and protocols listed alphabetically', () => {
    const set = ConnectionSet.ports('UDP', 9090)
      .union(ConnectionSet.ports('TCP', 8081))
      .union(ConnectionSet.ports('SCTP', 7070))
      .union(ConnectionSet.ports('TCP', 8080))
      .union(ConnectionSet.ports('TCP', 80, 82))
      .union(ConnectionSet.ports('TCP', 83));
    expect(set.toString()).toBe('SCTP 7070,TCP 80-83,8080-8081,UDP 9090');
    expect(set.portRanges('tcp')).toEqual([{ start: 80, end: 83 }, { start: 8080, end: 8081 }]);
  });

  test('intersection, subtraction and containment work per protocol', () => {
    const a = ConnectionSet.parse('TCP 1-100,UDP 53');
    const b = ConnectionSet.parse('TCP 50-200,SCTP 1');
    expect(a.intersect(b).toString()).toBe('TCP 50-100');
    expect(a.subtract(b).toString()).toBe('TCP 1-49,UDP 53');
    expect(a.contains(ConnectionSet.ports('TCP', 7))).toBe(true);
    expect(a.contains(b)).toBe(false);
    expect(a.allows('UDP', 53)).toBe(true);
    expect(a.allows('TCP', 101)).toBe(false);
    expect(a.isEqualTo(ConnectionSet.parse('UDP 53,TCP 1-100'))).toBe(true);
  });

  test.each([
    ['an unknown protocol', () => ConnectionSet.ports('ICMP', 1), 'ConnectionSet.ports("ICMP", 1): protocol "ICMP" is not TCP, UDP or SCTP.'],
    ['a port out of range', () => ConnectionSet.ports('TCP', 0), 'ConnectionSet.ports("TCP", 0): port 0 is not an integer in 1-65535.'],
    ['a reversed range', () => ConnectionSet.ports('TCP', 90, 80), 'ConnectionSet.ports("TCP", 90, 80): the end port is less than the start port.'],
    ['a malformed string', () => ConnectionSet.parse('80'), 'ConnectionSet.parse("80"): "80" is not "PROTOCOL port", "port" or "start-end".'],
  ])('%s is rejected', (_description, make, message) => {
    expect(make).toThrow(new Error(message));
  });
});
