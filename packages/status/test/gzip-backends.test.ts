// SPDX-License-Identifier: Apache-2.0
// The two back-ends of the GZIP seam (node:zlib, fflate) give the same answers on lists, on
// damaged streams and on a bomb.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as node from '../src/gzip/node.js';
import * as web from '../src/gzip/web.js';

const outcome = (gunzip: typeof node.gunzip, gz: Uint8Array, max: number) => {
  try {
    const out = gunzip(gz, max);
    return out === 'too-large' ? out : Buffer.from(out).toString('base64');
  } catch {
    return 'invalid';
  }
};

describe('GZIP back-ends', () => {
  const list = new Uint8Array(16 * 1024);
  list[3] = 0x80;
  list[9000] = 1;
  const good = gzipSync(list);
  const badCrc = Uint8Array.from(good);
  badCrc[badCrc.length - 6] = (badCrc[badCrc.length - 6] as number) ^ 1;
  const badSize = Uint8Array.from(good);
  badSize[badSize.length - 2] = (badSize[badSize.length - 2] as number) ^ 1;
  const cases: [string, Uint8Array, number][] = [
    ['a list', good, 1 << 24],
    ['a list compressed by fflate', web.gzip(list), 1 << 24],
    ['a list at exactly the limit', good, list.length],
    ['a list one byte over the limit', good, list.length - 1],
    ['a bomb', gzipSync(new Uint8Array(32 * 1024 * 1024)), 1 << 24],
    ['a truncated stream', good.subarray(0, 30), 1 << 24],
    ['a stream without its trailer', good.subarray(0, good.length - 8), 1 << 24],
    ['a wrong CRC-32', badCrc, 1 << 24],
    ['a wrong length', badSize, 1 << 24],
    ['not GZIP', new TextEncoder().encode('hello world'), 1 << 24],
    ['nothing', new Uint8Array(), 1 << 24],
  ];
  for (const [name, gz, max] of cases) {
    it(`agree on ${name}`, () => {
      expect(outcome(web.gunzip, gz, max)).toBe(outcome(node.gunzip, gz, max));
    });
  }

  it('round-trip through each other', () => {
    expect(node.gunzip(web.gzip(list), 1 << 24)).toEqual(Buffer.from(list));
    expect(web.gunzip(node.gzip(list), 1 << 24)).toEqual(list);
  });
});
