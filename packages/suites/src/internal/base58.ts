// SPDX-License-Identifier: Apache-2.0
// base58btc decoding (draft-msporny-base58 §3; Multibase prefix `z` stripped by the caller) for
// proof values on the verification hot path: multiformats' base-x decoder costs about as much as
// hashing the document (~10 µs for a 64-byte signature). This one accumulates four digits at a
// time into 24-bit limbs (every product stays below 2^53). multiformats stays the reference: a
// property test requires identical bytes, and identical refusals, for any string.

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;
const LIMB = 2 ** 24;

/**
 * Limbs reused by every call up to 192 bytes (the decoder never yields, so calls never overlap):
 * proof values and keys are short, and two typed arrays per call were most of what a decode
 * allocated. A longer string gets its own limbs, so nothing large stays allocated.
 */
const SCRATCH = new Float64Array(64);

/** The bytes of a base58btc string (without its multibase prefix), or undefined when it is not base58. */
export function decodeBase58btc(text: string): Uint8Array | undefined {
  const n = text.length;
  let zeros = 0;
  // Each leading '1' stands for a leading zero byte.
  while (zeros < n && text.charCodeAt(zeros) === 0x31) zeros++;
  // log(58)/log(2^24) < 0.244 limbs per digit.
  const need = Math.ceil((n - zeros) * 0.244) + 1;
  const limbs = need <= SCRATCH.length ? SCRATCH : new Float64Array(need);
  let used = 0;
  let i = zeros;
  while (i < n) {
    let chunk = 0;
    let scale = 1;
    const end = Math.min(i + 4, n);
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      const d = c < 128 ? (DIGIT[c] as number) : -1;
      if (d < 0) return undefined;
      chunk = chunk * 58 + d;
      scale *= 58;
    }
    let carry = chunk;
    for (let k = 0; k < used; k++) {
      const x = (limbs[k] as number) * scale + carry;
      carry = Math.floor(x / LIMB);
      limbs[k] = x - carry * LIMB;
    }
    while (carry > 0) {
      const q = Math.floor(carry / LIMB);
      limbs[used++] = carry - q * LIMB;
      carry = q;
    }
  }
  return bigEndian(limbs, used, zeros);
}

/** `zeros` zero bytes, then the little-endian 24-bit limbs as big-endian bytes without leading zeros. */
function bigEndian(limbs: Float64Array, used: number, zeros: number): Uint8Array {
  let significant = used * 3;
  const top = used > 0 ? (limbs[used - 1] as number) : 0;
  // The top limb holds the leading bytes; the lower limbs always fill their three.
  if (used > 0) significant -= top < 0x100 ? 2 : top < 0x10000 ? 1 : 0;
  const out = new Uint8Array(zeros + significant);
  let at = out.length;
  for (let k = 0; k < used && at > zeros; k++) {
    const limb = limbs[k] as number;
    out[--at] = limb & 0xff;
    if (at > zeros) out[--at] = (limb >>> 8) & 0xff;
    if (at > zeros) out[--at] = (limb >>> 16) & 0xff;
  }
  return out;
}
