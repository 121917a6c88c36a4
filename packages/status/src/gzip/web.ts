// SPDX-License-Identifier: Apache-2.0
// The portable back-end of the GZIP seam (`#gzip`): fflate, fed in chunks so a bomb is cut off
// while it inflates. fflate does not check the RFC 1952 trailer, so it is checked here (CRC-32
// and ISIZE of a single member, as zlib does); a multi-member stream is refused.
import { concatBytes } from '@agent-passport/core';
import { gzipSync, Gunzip as Inflater } from 'fflate';
import type { Gunzip, Gzip } from './types.js';

export const gzip: Gzip = (bytes) => gzipSync(bytes, { level: 9 });

const CHUNK = 16 * 1024;
const TOO_LARGE = Symbol('too-large');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 255] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const le32 = (b: Uint8Array, at: number) =>
  ((b[at] as number) |
    ((b[at + 1] as number) << 8) |
    ((b[at + 2] as number) << 16) |
    ((b[at + 3] as number) << 24)) >>>
  0;

export const gunzip: Gunzip = (gz, maxBytes) => {
  const parts: Uint8Array[] = [];
  let size = 0;
  let members = 0;
  let ended = false;
  const inflater = new Inflater((chunk, final) => {
    size += chunk.length;
    if (size > maxBytes) throw TOO_LARGE;
    parts.push(chunk);
    if (final) ended = true;
  });
  inflater.onmember = () => members++;
  try {
    for (let at = 0; at < gz.length; at += CHUNK)
      inflater.push(gz.subarray(at, at + CHUNK), at + CHUNK >= gz.length);
  } catch (error) {
    if (error === TOO_LARGE) return 'too-large';
    throw error;
  }
  const out = concatBytes(...parts);
  if (!ended || members > 0 || gz.length < 18) throw new Error('incomplete or multi-member GZIP');
  if (crc32(out) !== le32(gz, gz.length - 8) || out.length >>> 0 !== le32(gz, gz.length - 4))
    throw new Error('GZIP trailer mismatch');
  return out;
};
