// SPDX-License-Identifier: Apache-2.0
// A log line parsed natively (JSON.parse) when the strict parser could neither refuse it nor read
// it differently: the line is exactly JSON.stringify's form of what JSON.parse read (so no
// whitespace, duplicate key, escape variant or number spelling the strict parser might judge),
// holds no escaped surrogate and no prototype key, and its integers and nesting are within the
// strict parser's limits. Any other line is left to strict-json's parser, the reference
// (test/line-json.test.ts holds the two to the same value or the same error on hostile lines).
import { parseJson } from '@agent-passport/strict-json';

export interface LineLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

/** Escaped surrogates (JSON.stringify writes a lone one as `\udxxx`) and prototype keys. */
const RISKY = /\\u[dD][89a-fA-F]|"(?:__proto__|constructor|prototype)":/;

/** No number the strict parser refuses (an integer beyond 2^53 − 1), no nesting past `maxDepth`. */
function withinLimits(v: unknown, level: number, maxDepth: number): boolean {
  if (typeof v === 'number') return !Number.isInteger(v) || Number.isSafeInteger(v);
  if (typeof v !== 'object' || v === null) return true;
  if (level > maxDepth) return false;
  if (Array.isArray(v)) {
    for (const item of v) if (!withinLimits(item, level + 1, maxDepth)) return false;
    return true;
  }
  for (const key in v)
    if (!withinLimits((v as Record<string, unknown>)[key], level + 1, maxDepth)) return false;
  return true;
}

/** The value when the native parse is certain to equal the strict one; undefined otherwise. */
export function parseNative(line: string, limits: LineLimits): unknown {
  if (line.length * 3 > limits.maxBytes || RISKY.test(line)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (JSON.stringify(value) !== line) return undefined;
  return withinLimits(value, 1, limits.maxDepth) ? value : undefined;
}

/** The line's value: natively when that is certain to be the strict result, else strictly (may throw). */
export function parseLine(line: string, limits: LineLimits, reference = false): unknown {
  const native = reference ? undefined : parseNative(line, limits);
  return native !== undefined ? native : parseJson(line, limits);
}
