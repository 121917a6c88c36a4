// SPDX-License-Identifier: Apache-2.0
// did:web's address guard (docs/security.md): addresses are classified by their parsed bytes,
// so every spelling of a refused address is refused: zero-padded, uncompressed, upper-case, dotted
// IPv4 tails, zone ids, brackets. Each row is an attacker's spelling that the resolver's DNS check
// (isForbiddenAddress) must refuse, or a public address it must let through.
import { describe, expect, it } from 'vitest';
import { isForbiddenAddress } from '../src/index.js';

const REFUSED: readonly (readonly [string, string])[] = [
  // ::1 loopback, spelled many ways
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback, uncompressed'],
  ['0000:0000:0000:0000:0000:0000:0000:0001', 'loopback, zero-padded'],
  ['::0:1', 'loopback, partly compressed'],
  ['0::1', 'loopback, leading zero group'],
  ['::0.0.0.1', 'loopback as a dotted tail'],
  ['[::1]', 'loopback in brackets'],
  // :: unspecified and the IPv4-compatible block ::/96
  ['::', 'unspecified'],
  ['0:0:0:0:0:0:0:0', 'unspecified, uncompressed'],
  ['::127.0.0.1', 'IPv4-compatible loopback'],
  ['::7f00:1', 'IPv4-compatible loopback, hex'],
  ['::8.8.8.8', 'IPv4-compatible, any (deprecated block ::/96)'],
  // ::ffff:0:0/96, v4-mapped: every spelling, and public targets too (a DNS answer never holds one)
  ['::ffff:127.0.0.1', 'v4-mapped loopback'],
  ['::FFFF:127.0.0.1', 'v4-mapped loopback, upper case'],
  ['::ffff:7f00:1', 'v4-mapped loopback, hex'],
  ['0:0:0:0:0:ffff:7f00:0001', 'v4-mapped loopback, uncompressed'],
  ['0000:0000:0000:0000:0000:FFFF:7F00:0001', 'v4-mapped loopback, zero-padded upper case'],
  ['::ffff:0:0', 'v4-mapped 0.0.0.0'],
  ['::ffff:a9fe:a9fe', 'v4-mapped metadata address'],
  ['::ffff:8.8.8.8', 'v4-mapped public address'],
  // ::ffff:0:0:0/96, IPv4-translated (SIIT)
  ['::ffff:0:7f00:1', 'IPv4-translated loopback'],
  // NAT64: the well-known prefix and the local-use prefix
  ['64:ff9b::7f00:1', 'NAT64 loopback'],
  ['64:ff9b::127.0.0.1', 'NAT64 loopback, dotted'],
  ['64:ff9b::808:808', 'NAT64 of a public address (the gateway is local)'],
  ['64:ff9b:1::a00:1', 'local-use NAT64'],
  // site-local (deprecated but routed by some stacks), link-local, unique local, multicast
  ['fec0::1', 'site-local'],
  ['FEC0:0:0:0:0:0:0:1', 'site-local, upper case'],
  ['feff::1', 'site-local, top of the block'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local with a zone id'],
  ['febf::1', 'link-local, top of the block'],
  ['fd00::1', 'unique local'],
  ['fc00::1', 'unique local, bottom of the block'],
  ['ff02::1', 'multicast'],
  // discard, documentation, 6to4, Teredo and other IETF assignments
  ['100::1', 'discard-only'],
  ['2001:db8::1', 'documentation'],
  ['3fff::1', 'documentation (RFC 9637)'],
  ['2002:7f00:1::', '6to4 of loopback'],
  ['2001::1', 'Teredo'],
  ['2001:10::1', 'ORCHID'],
  // IPv4
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback, top'],
  ['0.0.0.0', 'this network'],
  ['10.1.2.3', 'private'],
  ['100.64.0.1', 'CGNAT'],
  ['169.254.169.254', 'link-local metadata'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private, top'],
  ['192.0.0.1', 'IETF protocol assignments'],
  ['192.0.2.1', 'documentation'],
  ['192.88.99.1', '6to4 relay anycast'],
  ['192.168.1.1', 'private'],
  ['198.18.0.1', 'benchmarking'],
  ['224.0.0.1', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  // not an address at all, or an IPv4 spelling the resolver never returns
  ['not an address', 'garbage'],
  ['0177.0.0.1', 'octal IPv4'],
  ['2130706433', 'decimal IPv4'],
  ['', 'empty'],
];

const ALLOWED: readonly string[] = [
  '8.8.8.8',
  '1.1.1.1',
  '172.32.0.1',
  '100.128.0.1',
  '2606:4700::1111',
  '2606:4700:0000:0000:0000:0000:0000:1111',
  '2a00:1450:4001:82b::200e',
  '2001:4860:4860::8888',
];

describe('isForbiddenAddress classifies by parsed bytes', () => {
  for (const [address, why] of REFUSED)
    it(`refuses ${JSON.stringify(address)} (${why})`, () => expect(isForbiddenAddress(address)).toBe(true));
  for (const address of ALLOWED)
    it(`allows ${address}`, () => expect(isForbiddenAddress(address)).toBe(false));
});
