// SPDX-License-Identifier: Apache-2.0
// Decoding of the two digest notations of VCDM 2.0 §5.3 into (algorithm, bytes): `digestSRI`
// (W3C Subresource Integrity, `sha384-<base64>`) and `digestMultibase` (a multibase multihash).

export type DigestAlgorithm = 'sha256' | 'sha384' | 'sha512';
export interface Digest {
  readonly alg: DigestAlgorithm;
  readonly bytes: Uint8Array;
}

const LENGTH: Readonly<Record<DigestAlgorithm, number>> = { sha256: 32, sha384: 48, sha512: 64 };
/** Multihash codes (multicodec table): sha2-256, sha2-384, sha2-512. */
const MULTIHASH: ReadonlyMap<number, DigestAlgorithm> = new Map([
  [0x12, 'sha256'],
  [0x20, 'sha384'],
  [0x13, 'sha512'],
]);

function base64Bytes(text: string, url: boolean): Uint8Array | undefined {
  const pattern = url ? /^[A-Za-z0-9_-]*$/ : /^[A-Za-z0-9+/]*={0,2}$/;
  if (!pattern.test(text) || text.length > 200) return undefined;
  const std = url ? text.replaceAll('-', '+').replaceAll('_', '/') : text.replace(/=+$/, '');
  if (std.length % 4 === 1) return undefined;
  const binary = atob(std + '='.repeat((4 - (std.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58Bytes(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length > 200) return undefined;
  let n = 0n;
  for (const c of text) {
    const i = BASE58.indexOf(c);
    if (i < 0) return undefined;
    n = n * 58n + BigInt(i);
  }
  const out: number[] = [];
  for (; n > 0n; n >>= 8n) out.unshift(Number(n & 0xffn));
  for (const c of text) {
    if (c !== '1') break;
    out.unshift(0);
  }
  return Uint8Array.from(out);
}

/** Every digest of an SRI value (space-separated `alg-base64[?options]`); undefined when malformed. */
export function parseSri(value: string): Digest[] | undefined {
  const parts = value.trim().split(/\s+/);
  const out: Digest[] = [];
  for (const part of parts) {
    const m = /^(sha256|sha384|sha512)-([^?]+)(\?.*)?$/.exec(part);
    if (m === null) return undefined;
    const alg = m[1] as DigestAlgorithm;
    const bytes = base64Bytes(m[2] as string, false);
    if (bytes === undefined || bytes.length !== LENGTH[alg]) return undefined;
    out.push({ alg, bytes });
  }
  return out;
}

const BY_LENGTH: ReadonlyMap<number, DigestAlgorithm> = new Map([
  [32, 'sha256'],
  [48, 'sha384'],
  [64, 'sha512'],
]);

/**
 * A multibase (`u` base64url, `z` base58btc) sha2 multihash, or a bare sha2 digest (as the W3C
 * suite and the VCDM 2.0 base-context table write it: the algorithm told by the length);
 * undefined when malformed.
 */
export function parseMultibaseDigest(value: string): Digest | undefined {
  const body = value.slice(1);
  const bytes = value[0] === 'u' ? base64Bytes(body, true) : value[0] === 'z' ? base58Bytes(body) : undefined;
  if (bytes === undefined || bytes.length < 2) return undefined;
  const bare = BY_LENGTH.get(bytes.length);
  if (
    bare !== undefined &&
    !(MULTIHASH.get(bytes[0] as number) !== undefined && bytes[1] === bytes.length - 2)
  )
    return { alg: bare, bytes };
  const alg = MULTIHASH.get(bytes[0] as number);
  if (alg === undefined || bytes[1] !== LENGTH[alg] || bytes.length !== 2 + LENGTH[alg]) return undefined;
  return { alg, bytes: bytes.slice(2) };
}

/** Whether `digest` is the base64 digest `expected` of the same algorithm. */
export function digestEquals(digest: Digest, expectedBase64: string): boolean {
  const expected = base64Bytes(expectedBase64, false);
  return (
    expected !== undefined &&
    expected.length === digest.bytes.length &&
    expected.every((b, i) => b === digest.bytes[i])
  );
}
