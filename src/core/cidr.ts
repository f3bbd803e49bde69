/* eslint-disable no-bitwise */ // IP arithmetic
/**
 * CIDR parsing for input validation (IPv4 and IPv6).
 * @internal
 */
export interface ParsedCidr {
  readonly version: 4 | 6;
  readonly prefix: number;
  /** The network address as a bigint. */
  readonly network: bigint;
  /** The canonical text (`10.0.0.0/8`). */
  readonly normalized: string;
  contains(other: ParsedCidr): boolean;
}

/** Parses an IPv4 or IPv6 address to a bigint; undefined when it is not one. @internal */
export function parseIp(text: string): { version: 4 | 6; value: bigint } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p) => p > 255) || text.split('.').some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
    return { version: 4, value: parts.reduce((acc, p) => (acc << 8n) + BigInt(p), 0n) };
  }
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  // An embedded IPv4 address in the last 32 bits (`::ffff:127.0.0.1`) is two 16-bit groups.
  const dotted = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted) {
    const v4 = parseIp(dotted[2]);
    if (!v4 || v4.version !== 4) return undefined;
    const hi = Number(v4.value / 65536n).toString(16);
    const lo = Number(v4.value % 65536n).toString(16);
    return parseIp(`${dotted[1]}${hi}:${lo}`);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) + BigInt(parseInt(g, 16));
  }
  return { version: 6, value };
}

function formatIp(version: 4 | 6, value: bigint): string {
  if (version === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups.
  let best = -1; let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/**
 * The canonical text of an IP address (RFC 5952 for IPv6: lower case, no leading zeros, the
 * longest run of zero groups compressed: `2001:DB8:0::1` -> `2001:db8::1`), or undefined when
 * `text` is not an address.
 * @internal
 */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip ? formatIp(ip.version, ip.value) : undefined;
}

/** Parses `addr/prefix`; undefined when it is not a CIDR. @internal */
export function parseCidr(text: string): ParsedCidr | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const ip = parseIp(m[1]);
  if (!ip) return undefined;
  const bits = ip.version === 4 ? 32 : 128;
  const prefix = Number(m[2]);
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const network = (ip.value >> hostBits) << hostBits;
  const cidr: ParsedCidr = {
    version: ip.version,
    prefix,
    network,
    normalized: `${formatIp(ip.version, network)}/${prefix}`,
    contains(other: ParsedCidr) {
      if (other.version !== ip.version || other.prefix < prefix) return false;
      return (other.network >> hostBits) << hostBits === network;
    },
  };
  return cidr;
}

/** Why an address may not be an endpoint (loopback, link-local, unspecified, multicast), or undefined. @internal */
export function specialIpProblem(text: string): string | undefined {
  const ip = parseIp(text);
  if (!ip) return 'it is not an IP address';
  const inside = (c: string) => parseCidr(c)!.contains(parseCidr(`${text}/${ip.version === 4 ? 32 : 128}`)!);
  if (ip.value === 0n) return 'it is the unspecified address';
  if (inside('::ffff:0:0/96')) return 'it is an IPv4-mapped IPv6 address; give the IPv4 address itself';
  if (inside('0.0.0.0/8')) return 'it is in 0.0.0.0/8, which means "this network" and is not routable';
  if (text === '255.255.255.255') return 'it is the broadcast address';
  if (inside('127.0.0.0/8') || inside('::1/128')) return 'it is a loopback address';
  if (inside('169.254.0.0/16') || inside('fe80::/10')) return 'it is a link-local address';
  if (inside('224.0.0.0/4') || inside('ff00::/8')) return 'it is a multicast address';
  return undefined;
}
