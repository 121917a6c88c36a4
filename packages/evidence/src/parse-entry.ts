// SPDX-License-Identifier: Apache-2.0
// One log line parsed strictly into an evidence entry, or the reason it is not one (natively when
// that is certain to give the strict parser's result: line-json.ts).
import { isObject } from '@agent-passport/core';
import type { EvidenceEntry } from './entry.js';
import { parseLine } from './line-json.js';

const LIMITS = { maxBytes: 4 * 1024 * 1024, maxDepth: 64 };

/** `reference`: strict-json's parser only (the fast path's differential tests compare the two). */
export function parseEntry(line: string, reference = false): EvidenceEntry | { garbage: string } {
  try {
    const parsed = parseLine(line, LIMITS, reference);
    if (
      !isObject(parsed) ||
      parsed['v'] !== 1 ||
      !Number.isInteger(parsed['seq']) ||
      typeof parsed['hash'] !== 'string'
    )
      return { garbage: 'not an evidence entry' };
    return parsed as unknown as EvidenceEntry;
  } catch (e) {
    return { garbage: e instanceof Error ? e.message : 'not JSON' };
  }
}
