// SPDX-License-Identifier: Apache-2.0
// Hosts and addresses the resolver refuses (docs/security.md): loopback, private, link-local,
// CGNAT, unspecified, multicast, and IP literals in any notation; checked on the name and on every
// address it resolves to.
import { BlockList, isIP } from 'node:net';

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

/**
 * Refused blocks (IANA special-purpose registries, RFC 6890 and its updates), matched on parsed
 * bytes by net.BlockList: every spelling of an address (zero-padded, uncompressed, dotted tail,
 * upper case) is the same address.
 */
const BLOCKS: readonly (readonly [string, number, 'ipv4' | 'ipv6'])[] = [
  ['0.0.0.0', 8, 'ipv4'], // this network
  ['10.0.0.0', 8, 'ipv4'], // private
  ['100.64.0.0', 10, 'ipv4'], // CGNAT
  ['127.0.0.0', 8, 'ipv4'], // loopback
  ['169.254.0.0', 16, 'ipv4'], // link-local (cloud metadata)
  ['172.16.0.0', 12, 'ipv4'], // private
  ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ['192.0.2.0', 24, 'ipv4'], // documentation
  ['192.88.99.0', 24, 'ipv4'], // 6to4 relay anycast
  ['192.168.0.0', 16, 'ipv4'], // private
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['198.51.100.0', 24, 'ipv4'], // documentation
  ['203.0.113.0', 24, 'ipv4'], // documentation
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 96, 'ipv6'], // unspecified, loopback, IPv4-compatible (deprecated)
  ['::ffff:0:0', 96, 'ipv6'], // IPv4-mapped: never a real DNS answer
  ['::ffff:0:0:0', 96, 'ipv6'], // IPv4-translated (SIIT)
  ['64:ff9b::', 96, 'ipv6'], // NAT64, well-known prefix: the gateway is local
  ['64:ff9b:1::', 48, 'ipv6'], // NAT64, local use
  ['100::', 64, 'ipv6'], // discard-only
  ['2001::', 23, 'ipv6'], // IETF protocol assignments (Teredo, ORCHID, ...)
  ['2001:db8::', 32, 'ipv6'], // documentation
  ['2002::', 16, 'ipv6'], // 6to4: embeds any IPv4 address
  ['3fff::', 20, 'ipv6'], // documentation
  ['5f00::', 16, 'ipv6'], // segment routing
  ['fc00::', 7, 'ipv6'], // unique local
  ['fe80::', 10, 'ipv6'], // link-local
  ['fec0::', 10, 'ipv6'], // site-local (deprecated, still routed by some stacks)
  ['ff00::', 8, 'ipv6'], // multicast
];

// One list per family: BlockList matches an IPv4 address against IPv6 rules as v4-mapped, so the
// ::ffff:0:0/96 rule would otherwise refuse every IPv4 address.
const REFUSED = { ipv4: new BlockList(), ipv6: new BlockList() };
for (const [network, prefix, type] of BLOCKS) REFUSED[type].addSubnet(network, prefix, type);

/** Is this resolved address one the resolver must not connect to? Anything unparsable is. */
export function isForbiddenAddress(address: string): boolean {
  if (typeof address !== 'string') return true;
  // A zone id names an interface, not an address: the address before it decides.
  const a = address.replace(/^\[|\]$/g, '').replace(/%[^%]*$/, '');
  const family = isIP(a);
  if (family === 0) return true;
  try {
    const type = family === 4 ? 'ipv4' : 'ipv6';
    return REFUSED[type].check(a, type);
  } catch {
    return true;
  }
}

/** Is this host name refused before any lookup? */
export function isForbiddenHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (isIpLiteral(h)) return true;
  if (!h.includes('.')) return true;
  return FORBIDDEN_SUFFIXES.some((s) => h === s || h.endsWith(`.${s}`));
}
