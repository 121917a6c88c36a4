// SPDX-License-Identifier: Apache-2.0
// One log line parsed strictly into an evidence entry, or the reason it is not one.
import { isObject } from '@agent-passport/core';
import { parseJson } from '@agent-passport/strict-json';
import type { EvidenceEntry } from './entry.js';

export function parseEntry(line: string): EvidenceEntry | { garbage: string } {
  try {
    const parsed = parseJson(line, { maxBytes: 4 * 1024 * 1024, maxDepth: 64 });
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
