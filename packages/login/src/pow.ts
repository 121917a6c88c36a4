// SPDX-License-Identifier: Apache-2.0
// Proof of work for unknown agents (LIME uses one instead of a CAPTCHA): find a solution such
// that SHA-256(seed ":" solution) starts with `difficulty` zero bits. The site picks the seed (bound
// to the exchange and the agent) and the difficulty; the agent refuses a difficulty above its cap.
import { createHash } from 'node:crypto';

/** The most difficulty a site may ask for, and the default cap of an agent. */
export const MAX_POW_DIFFICULTY = 24;
export const DEFAULT_AGENT_POW_CAP = 20;

/** Leading zero bits of SHA-256(seed ":" solution). */
export function powBits(seed: string, solution: string): number {
  const digest = createHash('sha256').update(`${seed}:${solution}`).digest();
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    bits += Math.clz32(byte) - 24;
    break;
  }
  return bits;
}

/** Search for a solution (the agent's side): about 2^difficulty hashes. */
export function solvePow(seed: string, difficulty: number): string {
  if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > MAX_POW_DIFFICULTY)
    throw new RangeError(`difficulty is an integer from 0 to ${MAX_POW_DIFFICULTY}`);
  for (let i = 0; ; i++) {
    const solution = i.toString(36);
    if (powBits(seed, solution) >= difficulty) return solution;
  }
}
