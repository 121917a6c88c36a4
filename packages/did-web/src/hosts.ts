// SPDX-License-Identifier: Apache-2.0
// Hosts and addresses the resolver refuses (SECURITY.md "did:web"): loopback, private, link-local,
// CGNAT, unspecified, multicast, and IP literals in any notation; checked on the name and on every
// address it resolves to.
import { isIP } from 'node:net';

const FORBIDDEN_SUFFIXES = [
  'localhost',
  'local',
  'internal',
  'localdomain',
  'home.arpa',
  'onion',
  'test',
  'invalid',
];

/** Is this host name an IP literal in any notation the WHATWG URL parser accepts? */
export function isIpLiteral(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isIP(h) !== 0) return true;
  // Decimal (2130706433), hex (0x7f000001), octal (0177.0.0.1) and short (127.1) IPv4 forms.
  try {
    const parsed = new URL(`https://${h}/`).hostname;
    return isIP(parsed.replace(/^\[|\]$/g, '')) !== 0;
  } catch {
    return /^[0-9.]+$/.test(h) || /^0x/i.test(h);
  }
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

const V4_BLOCKS: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

/** Is this resolved address one the resolver must not connect to? */
export function isForbiddenAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  const family = isIP(a);
  if (family === 4) {
    const n = ipv4ToInt(a);
    return V4_BLOCKS.some(([base, bits]) => {
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      return (n & mask) >>> 0 === (ipv4ToInt(base) & mask) >>> 0;
    });
  }
  if (family === 6) {
    if (a === '::' || a === '::1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
    if (mapped) return isForbiddenAddress(mapped[1]!);
    if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(a)) return true;
    const first = Number.parseInt(a.split(':')[0] || '0', 16);
    if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
    if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
    if ((first & 0xff00) === 0xff00) return true; // multicast
    if (a.startsWith('64:ff9b:') || a.startsWith('2001:db8:') || a.startsWith('2002:')) return true;
    return false;
  }
  return true;
}

/** Is this host name refused before any lookup? */
export function isForbiddenHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (isIpLiteral(h)) return true;
  if (!h.includes('.')) return true;
  return FORBIDDEN_SUFFIXES.some((s) => h === s || h.endsWith(`.${s}`));
}
