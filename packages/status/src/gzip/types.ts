// SPDX-License-Identifier: Apache-2.0
// The GZIP seam of the status list: node:zlib on Node, fflate elsewhere (both synchronous).

/** GZIP (RFC 1952) at the highest compression level. */
export type Gzip = (bytes: Uint8Array) => Uint8Array;

/**
 * Inflate GZIP, stopping as soon as the output would exceed `maxBytes` ('too-large'); throws on
 * anything that is not complete, valid GZIP (its CRC-32 and length checked).
 */
export type Gunzip = (gz: Uint8Array, maxBytes: number) => Uint8Array | 'too-large';
