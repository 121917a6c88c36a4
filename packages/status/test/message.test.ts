// SPDX-License-Identifier: Apache-2.0
// The optional BitstringStatusListEntry features (Bitstring Status List v1.0 §2.1): statusSize,
// statusMessage, statusReference, and multi-bit values read and written left-most bit first.
import { describe, expect, it } from 'vitest';
import {
  checkStatusEntryOptions,
  createBitstring,
  getBit,
  MAX_STATUS_SIZE,
  readStatus,
  statusMessageOf,
  writeStatus,
} from '../src/index.js';

type Json = Record<string, unknown>;
const entry = (extra: Json = {}): Json => ({
  id: 'https://issuer.example/status/3#94567',
  type: 'BitstringStatusListEntry',
  statusPurpose: 'message',
  statusListIndex: '94567',
  statusListCredential: 'https://issuer.example/status/3',
  statusSize: 2,
  statusMessage: [
    { status: '0x0', message: 'pending review' },
    { status: '0x1', message: 'accepted' },
    { status: '0x2', message: 'rejected' },
    { status: '0x3', message: 'undefined' },
  ],
  statusReference: 'https://issuer.example/status-dictionary/',
  ...extra,
});
const refusal = { code: 'ERR_STATUS_LIST_INVALID' };

describe('statusSize, statusMessage, statusReference', () => {
  it('accepts a message entry of 2 bits with its 4 messages and a reference (or a list of them)', () => {
    expect(() => checkStatusEntryOptions(entry())).not.toThrow();
    expect(() =>
      checkStatusEntryOptions(entry({ statusReference: ['https://a.example/x', 'https://b.example/y'] })),
    ).not.toThrow();
    const plain = { ...entry({ statusPurpose: 'revocation' }) };
    delete plain['statusSize'];
    delete plain['statusMessage'];
    expect(() => checkStatusEntryOptions(plain)).not.toThrow();
  });

  it.each([
    ['statusSize 0', { statusSize: 0 }],
    ['statusSize not an integer', { statusSize: 1.5 }],
    ['statusSize above the cap', { statusSize: MAX_STATUS_SIZE + 1 }],
    ['statusSize above 1 without statusMessage', { statusMessage: undefined }],
    ['too few messages', { statusMessage: [{ status: '0x0', message: 'a' }] }],
    ['a message without text', { statusMessage: [0, 1, 2, 3].map((i) => ({ status: `0x${i}` })) }],
    [
      'a status that is not hexadecimal',
      { statusMessage: [0, 1, 2, 3].map((i) => ({ status: `${i}`, message: 'm' })) },
    ],
    ['a repeated status', { statusMessage: [0, 1, 1, 3].map((i) => ({ status: `0x${i}`, message: 'm' })) }],
    [
      'a status out of range',
      { statusMessage: [0, 1, 2, 4].map((i) => ({ status: `0x${i}`, message: 'm' })) },
    ],
    ['a statusReference that is no URL', { statusReference: 'see the docs' }],
    ['an empty statusReference list', { statusReference: [] }],
    ['a message entry without messages', { statusSize: 1, statusMessage: undefined }],
  ])('refuses %s with ERR_STATUS_LIST_INVALID', (_label, extra) => {
    const e = entry(extra);
    for (const [k, v] of Object.entries(extra)) if (v === undefined) delete e[k];
    expect(() => checkStatusEntryOptions(e)).toThrow(expect.objectContaining(refusal));
  });
});

describe('multi-bit status values', () => {
  it('writes and reads each value of entries of 1 to 8 bits, left-most bit first', () => {
    const bits = createBitstring();
    for (let size = 1; size <= MAX_STATUS_SIZE; size++)
      for (const value of [0, 1, 2 ** size - 1, (2 ** size - 1) >> 1]) {
        writeStatus(bits, 1000 + size, size, value);
        expect(readStatus(bits, 1000 + size, size)).toBe(value);
      }
    const fresh = createBitstring();
    writeStatus(fresh, 3, 2, 0b10);
    expect([getBit(fresh, 6), getBit(fresh, 7)]).toEqual([true, false]);
    expect(() => writeStatus(fresh, 3, 2, 4)).toThrow(RangeError);
  });

  it('gives the message of a value', () => {
    expect(statusMessageOf(entry(), 2)).toBe('rejected');
    expect(statusMessageOf(entry({ statusMessage: undefined }), 2)).toBeUndefined();
  });
});
