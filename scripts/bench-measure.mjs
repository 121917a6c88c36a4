// SPDX-License-Identifier: Apache-2.0
// The bench's one timing loop. The baseline is one raw Ed25519 verify with a reused KeyObject,
// measured again right before every row: each row's ratio uses that adjacent baseline, because on
// a shared, noisy machine load comes and goes during a run and a ratio should compare the two under
// the same conditions.
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';

/** A raw Ed25519 verify (the baseline) and `measure(name, fn, n?, adjacent?)` for `iterations` after `warm`. */
export function createMeasure({ iterations, warm }) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const message = createHash('sha256').update('baseline').digest();
  const signature = sign(null, message, privateKey);
  const rawVerify = () => {
    if (!verify(null, message, publicKey, signature)) throw new Error('baseline broken');
  };
  async function measure(name, fn, n = iterations, adjacent = true) {
    const baselineUs = adjacent
      ? (await measure('baseline', rawVerify, iterations, false)).medianUs
      : undefined;
    for (let i = 0; i < warm; i++) await fn(i);
    const times = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = process.hrtime.bigint();
      await fn(i);
      times[i] = Number(process.hrtime.bigint() - t) / 1000;
    }
    times.sort();
    const at = (q) => times[Math.min(n - 1, Math.floor(q * n))];
    return { name, iterations: n, medianUs: at(0.5), p99Us: at(0.99), ...(adjacent ? { baselineUs } : {}) };
  }
  return { rawVerify, measure };
}
