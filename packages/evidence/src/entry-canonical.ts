// SPDX-License-Identifier: Apache-2.0
// The RFC 8785 (JCS) form of a parsed entry, natively: a copy with every object's members in
// JCS order (UTF-16 code units, Array#sort's default), serialised by JSON.stringify, whose strings
// and numbers are JCS's own (RFC 8785 §3.2.2). Only for values a strict or exact parse produced
// (plain JSON, no lone surrogate, finite numbers). An object with an array-index key is refused
// (undefined): JavaScript would put such keys first whatever the order; so is a member named
// __proto__ (a plain object would take it as its prototype). strict-json's canonicalize
// stays the reference (test/entry-canonical.test.ts holds the two to the same text).
import { canonicalize } from '@agent-passport/strict-json';
import { type EvidenceEntry, sha256 } from './entry.js';

const INDEX_LIKE = /^(?:0|[1-9][0-9]{0,9})$/;

/** A key this form cannot place exactly: the reference decides. */
class Unsure extends Error {}

/** A copy with every object's members in JCS order (`omit`: a member of the top object left out). */
function sortedCopy(v: unknown, omit?: string): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map((item) => sortedCopy(item));
  const record = v as Record<string, unknown>;
  // A plain object (a null-prototype one is a slow dictionary in V8): __proto__ cannot be a member.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    if (key === omit) continue;
    const c = key.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39 && INDEX_LIKE.test(key) && Number(key) < 4294967295) throw new Unsure();
    if (key === '__proto__') throw new Unsure();
    out[key] = sortedCopy(record[key]);
  }
  return out;
}

/**
 * The JCS form of `value` (without its top member `omit`, when given), or undefined when this fast
 * form cannot be sure to match it.
 */
export function canonicalEntry(value: unknown, omit?: string): string | undefined {
  try {
    return JSON.stringify(sortedCopy(value, omit));
  } catch (e) {
    if (e instanceof Unsure) return undefined;
    throw e;
  }
}

/** The entry's own hash as the audit checks it: the fast form when sure, else the reference. */
export function checkedEntryHash(entry: EvidenceEntry, reference = false): string {
  const form = reference ? undefined : canonicalEntry(entry, 'hash');
  if (form !== undefined) return sha256(form);
  const { hash: _, ...rest } = entry;
  return sha256(canonicalize(rest));
}
