// SPDX-License-Identifier: Apache-2.0
// The RFC 8785 (JCS) form of a parsed entry, natively: a copy with every object's members in
// JCS order (UTF-16 code units, Array#sort's default), serialised by JSON.stringify, whose strings
// and numbers are JCS's own (RFC 8785 §3.2.2). Only for values a strict or exact parse produced
// (plain JSON, no lone surrogate, finite numbers). An object with an array-index key is refused
// (undefined): JavaScript would put such keys first whatever the order. strict-json's canonicalize
// stays the reference (test/entry-canonical.test.ts holds the two to the same text).
import { canonicalize } from '@agent-passport/strict-json';
import { type EvidenceEntry, sha256 } from './entry.js';

const INDEX_LIKE = /^(?:0|[1-9][0-9]{0,9})$/;

class IndexKey extends Error {}

function sortedCopy(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(sortedCopy);
  const record = v as Record<string, unknown>;
  // No prototype: a member named __proto__ stays a member (strict parsing refuses it anyway).
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(record).sort()) {
    const c = key.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39 && INDEX_LIKE.test(key) && Number(key) < 4294967295) throw new IndexKey();
    out[key] = sortedCopy(record[key]);
  }
  return out;
}

/** The JCS form of `value`, or undefined when this fast form cannot be sure to match it. */
export function canonicalEntry(value: unknown): string | undefined {
  try {
    return JSON.stringify(sortedCopy(value));
  } catch (e) {
    if (e instanceof IndexKey) return undefined;
    throw e;
  }
}

/** The entry's own hash as the audit checks it: the fast form when sure, else the reference. */
export function checkedEntryHash(entry: EvidenceEntry, reference = false): string {
  const { hash: _, ...rest } = entry;
  const form = reference ? undefined : canonicalEntry(rest);
  return sha256(form ?? canonicalize(rest));
}
