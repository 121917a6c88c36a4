// SPDX-License-Identifier: Apache-2.0
// The bitstring of Bitstring Status List v1.0 §4.1 (generation) and §3.2/§4.2 (validation): index 0
// is the left-most bit, i.e. the most significant bit of the first byte; the list travels as the
// multibase base64url (prefix `u`, no padding) of its GZIP compression.
import { fromBase64url, PassportError, toBase64url } from '@agent-passport/core';
import { gunzip, gzip } from '#gzip';

/** The smallest list the spec allows: 16 KB, 131,072 entries (herd privacy, §6.1). */
export const MIN_LIST_BYTES = 16 * 1024;
export const MIN_LIST_ENTRIES = MIN_LIST_BYTES * 8;
/** The largest decoded list accepted from untrusted input (a GZIP bomb stops here). */
export const MAX_LIST_BYTES = 16 * 1024 * 1024;

const invalid = (message: string) => new PassportError('ERR_STATUS_LIST_INVALID', message);

/** A fresh all-zero list with room for `entries` statuses (at least the spec minimum). */
export function createBitstring(entries = MIN_LIST_ENTRIES): Uint8Array {
  if (!Number.isInteger(entries) || entries < MIN_LIST_ENTRIES || entries % 8 !== 0)
    throw new RangeError(`a list holds a multiple of 8 entries, at least ${MIN_LIST_ENTRIES}`);
  return new Uint8Array(entries / 8);
}

function position(bits: Uint8Array, index: number): [number, number] {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8)
    throw new PassportError(
      'ERR_STATUS_INDEX_RANGE',
      `index ${index} is outside a list of ${bits.length * 8}`,
    );
  return [index >> 3, 0x80 >> (index & 7)];
}

export function getBit(bits: Uint8Array, index: number): boolean {
  const [byte, mask] = position(bits, index);
  return ((bits[byte] as number) & mask) !== 0;
}

export function setBit(bits: Uint8Array, index: number, value: boolean): void {
  const [byte, mask] = position(bits, index);
  bits[byte] = value ? (bits[byte] as number) | mask : (bits[byte] as number) & ~mask;
}

/** GZIP, then multibase base64url without padding (§4.1 step 4–5). */
export function encodeList(bits: Uint8Array): string {
  if (bits.length < MIN_LIST_BYTES) throw new RangeError(`a list is at least ${MIN_LIST_BYTES} bytes`);
  return `u${toBase64url(gzip(bits))}`;
}

/**
 * Decode an `encodedList` from untrusted input: the multibase prefix must be `u`, the base64url
 * strict, the GZIP complete, the result no larger than `maxBytes` (a bomb is cut off while
 * inflating) and no shorter than the spec minimum. Every defect is ERR_STATUS_LIST_INVALID.
 */
export function decodeList(encoded: unknown, maxBytes = MAX_LIST_BYTES): Uint8Array {
  if (typeof encoded !== 'string' || !encoded.startsWith('u'))
    throw invalid('encodedList must be a multibase base64url string (prefix u)');
  const body = encoded.slice(1);
  if (!/^[A-Za-z0-9_-]*$/.test(body) || body.length % 4 === 1)
    throw invalid('encodedList is not base64url without padding');
  const gz = fromBase64url(body);
  if (toBase64url(gz) !== body) throw invalid('encodedList is not canonical base64url');
  let bits: Uint8Array | 'too-large';
  try {
    bits = gunzip(gz, maxBytes);
  } catch (cause) {
    throw new PassportError('ERR_STATUS_LIST_INVALID', 'encodedList is not valid GZIP', { cause });
  }
  if (bits === 'too-large') throw invalid(`the list inflates beyond ${maxBytes} bytes`);
  if (bits.length < MIN_LIST_BYTES)
    throw invalid(`the list has ${bits.length} bytes; the minimum is ${MIN_LIST_BYTES} (131,072 entries)`);
  return new Uint8Array(bits.buffer, bits.byteOffset, bits.length);
}
