// SPDX-License-Identifier: Apache-2.0
// The Uint8Array byte helpers agree with Node's Buffer, the reference they replace.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesEqual,
  concatBytes,
  fromBase64,
  fromBase64url,
  fromHex,
  toBase64,
  toBase64url,
  toHex,
  utf8Length,
} from '../src/index.js';

describe('byte helpers', () => {
  it('encode and decode as Buffer does', { timeout: 0 }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
        const b = Buffer.from(bytes);
        expect(toBase64url(bytes)).toBe(b.toString('base64url'));
        expect(toBase64(bytes)).toBe(b.toString('base64'));
        expect(toHex(bytes)).toBe(b.toString('hex'));
        expect(fromBase64url(b.toString('base64url'))).toEqual(bytes);
        expect(fromBase64(b.toString('base64'))).toEqual(bytes);
        expect(fromHex(b.toString('hex'))).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('count UTF-8 bytes as Buffer.byteLength does, lone surrogates included', { timeout: 0 }, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'));
      }),
      { numRuns: 300 },
    );
    for (const s of ['\ud800', 'a\udc00b', '\ud83d\ude00', '€'])
      expect(utf8Length(s)).toBe(Buffer.byteLength(s));
  });

  it('concatenate, compare and refuse bad hex', () => {
    expect(concatBytes(new Uint8Array([1]), new Uint8Array(), new Uint8Array([2, 3]))).toEqual(
      new Uint8Array([1, 2, 3]),
    );
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(bytesEqual(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false);
    expect(() => fromHex('abc')).toThrow(TypeError);
    expect(() => fromHex('zz')).toThrow(TypeError);
    expect(fromBase64url('AQID=garbage')).toEqual(new Uint8Array([1, 2, 3]));
  });
});
