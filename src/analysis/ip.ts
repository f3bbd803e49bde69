/**
 * IP address arithmetic for the reachability engine: parsing IPv4 and IPv6
 * addresses and CIDRs, and sets of addresses kept as sorted, disjoint,
 * inclusive intervals.
 *
 * Addresses are `bigint`s so that one code path handles both families (an
 * IPv6 address does not fit in a JavaScript number). Nothing here uses
 * bitwise operators: masks are computed with powers of two.
 *
 * Internal to `src/analysis`; not part of the public API.
 */

/** 4 or 6. */
export type IpFamily = 4 | 6;

/** An inclusive range of addresses of one family. */
export interface IpInterval {
  readonly family: IpFamily;
  readonly start: bigint;
  readonly end: bigint;
}

/** A parsed CIDR (the host bits are cleared, as Kubernetes does when it applies an ipBlock). */
export interface Cidr extends IpInterval {
  readonly prefix: number;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** The number of addresses in a family's space, minus one: the highest address. */
export function maxAddress(family: IpFamily): bigint {
  return 2n ** BigInt(BITS[family]) - 1n;
}

/** The whole address space of one family. */
export function fullSpace(family: IpFamily): IpInterval {
  return { family, start: 0n, end: maxAddress(family) };
}

/**
 * Parses an IPv4 address in dotted-decimal form.
 *
 * Leading zeros are read as decimal, as Kubernetes' own (sloppy) parser does.
 */
function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) {
      return undefined;
    }
    const octet = Number(part);
    if (octet > 255) {
      return undefined;
    }
    value = value * 256n + BigInt(octet);
  }
  return value;
}

/** Parses an IPv6 address, with `::` compression and an optional dotted IPv4 tail. */
function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) {
    return undefined;
  }
  const doubleColon = text.indexOf('::');
  if (doubleColon !== -1 && text.indexOf('::', doubleColon + 1) !== -1) {
    return undefined;
  }
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') {
      return [];
    }
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) {
          return undefined;
        }
        out.push(Number(v4 / 65536n), Number(v4 % 65536n));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  let groups: number[];
  if (doubleColon === -1) {
    const all = groupsOf(text);
    if (all === undefined || all.length !== 8) {
      return undefined;
    }
    groups = all;
  } else {
    const head = groupsOf(text.slice(0, doubleColon));
    const tail = groupsOf(text.slice(doubleColon + 2));
    if (head === undefined || tail === undefined || head.length + tail.length > 7) {
      return undefined;
    }
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  let value = 0n;
  for (const group of groups) {
    value = value * 65536n + BigInt(group);
  }
  return value;
}

/** Parses an IPv4 or IPv6 address (no prefix). Returns `undefined` if `text` is not one. */
export function parseIp(text: string): { family: IpFamily; value: bigint } | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseIpv6(trimmed);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(trimmed);
  return value === undefined ? undefined : { family: 4, value };
}

/**
 * Parses `address/prefix`. Returns `undefined` if `text` is not a valid CIDR.
 *
 * Host bits are allowed and cleared (`10.0.0.1/8` is `10.0.0.0/8`), as the
 * Kubernetes API accepts such values.
 */
export function parseCidr(text: string): Cidr | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash === -1) {
    return undefined;
  }
  const address = parseIp(trimmed.slice(0, slash));
  const prefixText = trimmed.slice(slash + 1);
  if (address === undefined || !/^\d{1,3}$/.test(prefixText)) {
    return undefined;
  }
  const prefix = Number(prefixText);
  if (prefix > BITS[address.family]) {
    return undefined;
  }
  const size = 2n ** BigInt(BITS[address.family] - prefix);
  const start = address.value - (address.value % size);
  return { family: address.family, start, end: start + size - 1n, prefix };
}

/**
 * Parses an address or a CIDR into the interval it covers (an address is a
 * single-address interval). Returns `undefined` for anything else.
 */
export function parseAddressOrCidr(text: string): IpInterval | undefined {
  if (text.includes('/')) {
    return parseCidr(text);
  }
  const address = parseIp(text);
  return address === undefined ? undefined : { family: address.family, start: address.value, end: address.value };
}

/** Formats an address: dotted decimal for IPv4, RFC 5952 compressed form for IPv6. */
export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) {
    const octets: bigint[] = [];
    let rest = value;
    for (let i = 0; i < 4; i++) {
      octets.unshift(rest % 256n);
      rest = rest / 256n;
    }
    return octets.join('.');
  }
  const groups: number[] = [];
  let rest = value;
  for (let i = 0; i < 8; i++) {
    groups.unshift(Number(rest % 65536n));
    rest = rest / 65536n;
  }
  // RFC 5952: compress the longest run (of at least two) zero groups, the first one on ties.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) {
      j++;
    }
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestLength < 2) {
    return hex(groups);
  }
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** `start-end`, for example `10.0.0.0-10.255.255.255`. */
export function formatInterval(interval: IpInterval): string {
  return `${formatIp(interval.family, interval.start)}-${formatIp(interval.family, interval.end)}`;
}

/** Whether `outer` contains every address of `inner`. */
export function intervalContains(outer: IpInterval, inner: IpInterval): boolean {
  return outer.family === inner.family && outer.start <= inner.start && inner.end <= outer.end;
}

/**
 * An immutable set of addresses of both families, kept per family as sorted,
 * disjoint, non-adjacent inclusive intervals.
 */
export class IpSet {
  public static empty(): IpSet {
    return new IpSet([], []);
  }

  public static of(...intervals: IpInterval[]): IpSet {
    return new IpSet(
      normalize(intervals.filter((i) => i.family === 4)),
      normalize(intervals.filter((i) => i.family === 6)),
    );
  }

  private constructor(private readonly v4: IpInterval[], private readonly v6: IpInterval[]) {}

  /** The intervals of one family, sorted. */
  public intervals(family: IpFamily): readonly IpInterval[] {
    return family === 4 ? this.v4 : this.v6;
  }

  public isEmpty(): boolean {
    return this.v4.length === 0 && this.v6.length === 0;
  }

  public union(other: IpSet): IpSet {
    return IpSet.of(...this.v4, ...this.v6, ...other.v4, ...other.v6);
  }

  public subtract(other: IpSet): IpSet {
    return new IpSet(subtractIntervals(this.v4, other.v4), subtractIntervals(this.v6, other.v6));
  }

  /** Whether every address of `interval` is in the set. */
  public covers(interval: IpInterval): boolean {
    return this.intervals(interval.family).some((i) => intervalContains(i, interval));
  }

  /** Whether some address of `interval` is in the set. */
  public overlaps(interval: IpInterval): boolean {
    return this.intervals(interval.family).some((i) => i.start <= interval.end && interval.start <= i.end);
  }
}

function normalize(intervals: IpInterval[]): IpInterval[] {
  const sorted = [...intervals].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: IpInterval[] = [];
  for (const interval of sorted) {
    const last = out[out.length - 1];
    if (last && interval.start <= last.end + 1n) {
      if (interval.end > last.end) {
        out[out.length - 1] = { family: last.family, start: last.start, end: interval.end };
      }
    } else {
      out.push({ family: interval.family, start: interval.start, end: interval.end });
    }
  }
  return out;
}

function subtractIntervals(from: IpInterval[], remove: IpInterval[]): IpInterval[] {
  let current = from;
  for (const r of remove) {
    const next: IpInterval[] = [];
    for (const i of current) {
      if (r.end < i.start || r.start > i.end) {
        next.push(i);
        continue;
      }
      if (i.start < r.start) {
        next.push({ family: i.family, start: i.start, end: r.start - 1n });
      }
      if (i.end > r.end) {
        next.push({ family: i.family, start: r.end + 1n, end: i.end });
      }
    }
    current = next;
  }
  return current;
}

/**
 * Cuts a family's address space into disjoint intervals at the given
 * boundaries. A boundary `b` starts a new interval at address `b`.
 *
 * With the start and end+1 of every ipBlock `cidr` and `except` as
 * boundaries, each resulting interval is either wholly inside or wholly
 * outside every ipBlock, so one evaluation per interval is exact.
 */
export function splitSpace(family: IpFamily, boundaries: Iterable<bigint>): IpInterval[] {
  const max = maxAddress(family);
  const cuts = [...new Set([0n, ...boundaries])].filter((b) => b >= 0n && b <= max).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: IpInterval[] = [];
  for (let i = 0; i < cuts.length; i++) {
    const end = i + 1 < cuts.length ? cuts[i + 1] - 1n : max;
    out.push({ family, start: cuts[i], end });
  }
  return out;
}
