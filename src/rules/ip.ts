// IPv4/IPv6 parsing and CIDR tests for Sigma's `cidr` modifier. Hand-written
// rather than node:net's BlockList because a BlockList check crosses into C++
// and costs microseconds per call, and this runs per event on attacker text
// (CloudTrail's sourceIPAddress is often a service name, not an address).

export interface Cidr {
  v: 4 | 6;
  bits: number;
  /** For IPv4: the network, already masked. */
  n: number;
  mask: number;
  /** For IPv6: the network words. */
  w: Uint16Array;
}

/** Parses a dotted-quad IPv4 address without allocating; NaN when it is not one. */
export function parseIPv4(s: string, start = 0, end = s.length): number {
  let value = 0;
  let octet = -1;
  let octets = 0;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      octet = (octet < 0 ? 0 : octet) * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return NaN;
    } else if (c === 46 && octet >= 0 && octets < 3) {
      value = value * 256 + octet;
      octets++;
      octet = -1;
      digits = 0;
    } else {
      return NaN;
    }
  }
  if (octet < 0 || octets !== 3) return NaN;
  return value * 256 + octet;
}

/** Parses an IPv6 address (with `::`, an embedded IPv4 tail, a `%zone`); null when it is not one. */
export function parseIPv6(text: string): Uint16Array | null {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s.length < 2 || s.length > 45 || !s.includes(':')) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const toWords = (part: string, allowV4Tail: boolean): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    const words: number[] = [];
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      if (allowV4Tail && g === groups.length - 1 && group.includes('.')) {
        const v4 = parseIPv4(group);
        if (Number.isNaN(v4)) return null;
        words.push(Math.floor(v4 / 65536), v4 % 65536);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
        words.push(parseInt(group, 16));
      } else {
        return null;
      }
    }
    return words;
  };
  const head = toWords(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? toWords(halves[1]!, true) : [];
  if (!head || !tail) return null;
  const out = new Uint16Array(8);
  if (halves.length === 1) {
    if (head.length !== 8) return null;
    out.set(head);
  } else {
    if (head.length + tail.length > 7) return null;
    out.set(head, 0);
    out.set(tail, 8 - tail.length);
  }
  return out;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), else NaN. */
function mappedIPv4(w: Uint16Array): number {
  for (let i = 0; i < 5; i++) if (w[i] !== 0) return NaN;
  if (w[5] !== 0xffff) return NaN;
  return w[6]! * 65536 + w[7]!;
}

/** Parses `a.b.c.d/n` or `x::y/n` (a bare address is a /32 or /128); null when invalid. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const bitsText = slash < 0 ? null : text.slice(slash + 1);
  if (bitsText !== null && !/^\d{1,3}$/.test(bitsText)) return null;
  const v4 = parseIPv4(addr);
  if (!Number.isNaN(v4)) {
    const bits = bitsText === null ? 32 : Number(bitsText);
    if (bits > 32) return null;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return { v: 4, bits, n: (v4 & mask) >>> 0, mask, w: new Uint16Array(8) };
  }
  const v6 = parseIPv6(addr);
  if (!v6) return null;
  const bits = bitsText === null ? 128 : Number(bitsText);
  if (bits > 128) return null;
  const w = new Uint16Array(8);
  for (let i = 0; i < 8; i++) w[i] = v6[i]! & wordMask(bits, i);
  return { v: 6, bits, n: 0, mask: 0, w };
}

function wordMask(bits: number, word: number): number {
  const inWord = Math.max(0, Math.min(16, bits - word * 16));
  return inWord === 0 ? 0 : (0xffff << (16 - inWord)) & 0xffff;
}

/** True when `text` is an IP address inside the CIDR block. */
export function inCidr(cidr: Cidr, text: string): boolean {
  if (cidr.v === 4) {
    let ip = parseIPv4(text);
    if (Number.isNaN(ip)) {
      if (!text.includes(':')) return false;
      const v6 = parseIPv6(text);
      if (!v6) return false;
      ip = mappedIPv4(v6);
      if (Number.isNaN(ip)) return false;
    }
    return ((ip & cidr.mask) >>> 0) === cidr.n;
  }
  if (!text.includes(':')) return false;
  const v6 = parseIPv6(text);
  if (!v6) return false;
  for (let i = 0; i < 8; i++) {
    if ((v6[i]! & wordMask(cidr.bits, i)) !== cidr.w[i]) return false;
  }
  return true;
}
