// SPDX-License-Identifier: Apache-2.0
// Offline status checking (Bitstring Status List v1.0 §3.2 validate algorithm, §6 security): each
// list is verified once per issuer document (shape, issuer, proof, key history, encoding), then
// every call checks freshness, purpose, range and the bit. Every doubt fails closed with a code.
import { createDocumentLoader } from '@agent-passport/contexts';
import {
  type AgentPassport,
  type DocumentLoader,
  isObject,
  PassportError,
  type StatusContext,
} from '@agent-passport/core';
import { CRYPTOSUITES, type CryptosuiteName } from '@agent-passport/suites';
import { MAX_LIST_BYTES } from './bitstring.js';
import { type ReaderSetup, readEntry } from './entry.js';
import { holdLists } from './list-versions.js';
import type { ListPurpose } from './purposes.js';

export interface StatusCheckerOptions {
  /** Signed BitstringStatusListCredentials (objects or JSON text), e.g. from a trust bundle. */
  readonly lists: readonly unknown[];
  /** A list signed longer ago than this is stale (default 86,400 s, one day). */
  readonly maxAgeSeconds?: number;
  /** Tolerated clock skew, 0–600 s (default 60). */
  readonly maxSkewSeconds?: number;
  readonly cryptosuites?: readonly CryptosuiteName[];
  readonly documentLoader?: DocumentLoader;
  /** Largest decoded list accepted (default 16 MiB). */
  readonly maxListBytes?: number;
  /**
   * Audits: when no version of a list was issued by the time checked, use the oldest later one. A
   * clear bit there proves the passport was not revoked then (revocation is permanent; a suspension
   * lifted before that version cannot be seen); a set bit cannot be dated: ERR_STATUS_UNAVAILABLE.
   */
  readonly laterListsProveClear?: boolean;
}

/** A status checker (a `StatusChecker`, always asynchronous). */
export type AsyncStatusChecker = (
  passport: AgentPassport,
  now: Date,
  context: StatusContext,
) => Promise<void>;

/** What one status entry says (§3.2 result): its purpose, value and, when the entry has one, message. */
export interface StatusResult {
  readonly purpose: ListPurpose;
  readonly statusListCredential: string;
  readonly statusListIndex: string;
  /** The entry's value: 0 or 1 for one bit, up to 2^statusSize − 1. */
  readonly status: number;
  readonly message?: string;
}

/** Reads every entry of a credential (any VC: its issuer and credentialStatus); throws a PassportError when one cannot be read (fail closed). */
export type StatusReader = (
  credential: { readonly issuer?: unknown; readonly credentialStatus?: unknown },
  now: Date,
  context: StatusContext,
) => Promise<StatusResult[]>;

/** Read every status entry of a credential: its purpose, value and message (§3.2 validate algorithm). */
export function createStatusReader(options: StatusCheckerOptions): StatusReader {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.lists))
    throw new TypeError('options.lists must be an array');
  const maxAgeMs = (options.maxAgeSeconds ?? 86_400) * 1000;
  const skewMs = (options.maxSkewSeconds ?? 60) * 1000;
  if (!Number.isFinite(maxAgeMs) || maxAgeMs <= 0) throw new RangeError('maxAgeSeconds must be positive');
  if (!Number.isFinite(skewMs) || skewMs < 0 || skewMs > 600_000)
    throw new RangeError('maxSkewSeconds must be between 0 and 600');
  const setup: ReaderSetup = {
    proof: {
      suites: options.cryptosuites ?? CRYPTOSUITES,
      documentLoader: options.documentLoader ?? createDocumentLoader(),
      maxListBytes: options.maxListBytes ?? MAX_LIST_BYTES,
    },
    held: holdLists(options.lists),
    age: { maxAgeMs, skewMs },
    laterListsProveClear: () => options.laterListsProveClear === true,
  };

  return async (credential, now, context) => {
    const raw = credential.credentialStatus;
    if (raw === undefined) return [];
    const entries = Array.isArray(raw) ? raw : [raw];
    const issuer = credential.issuer;
    const issuerId = typeof issuer === 'string' ? issuer : isObject(issuer) ? issuer['id'] : undefined;
    if (typeof issuerId !== 'string' || !isObject(context?.issuerDocument))
      throw new PassportError('ERR_STATUS_UNAVAILABLE', 'no issuer document to check status lists against');
    const results: StatusResult[] = [];
    for (const entry of entries)
      results.push(await readEntry(entry, issuerId, context.issuerDocument, now, setup));
    return results;
  };
}

/** Refuse a credential whose revocation or suspension bit is set (a `message` value never refuses). */
export function assertStatusAllows(results: readonly StatusResult[]): void {
  for (const r of results) {
    if (r.status === 0 || r.purpose === 'message') continue;
    const where = `${r.statusListCredential} index ${r.statusListIndex}`;
    throw r.purpose === 'revocation'
      ? new PassportError('ERR_REVOKED', `revoked (${where})`)
      : new PassportError('ERR_SUSPENDED', `suspended (${where})`);
  }
}

/**
 * The status checker of a verifier: every entry is read, and a set revocation or suspension bit
 * refuses the credential (ERR_REVOKED, ERR_SUSPENDED).
 */
export function createStatusChecker(options: StatusCheckerOptions): AsyncStatusChecker {
  const read = createStatusReader(options);
  return async (passport, now, context) => assertStatusAllows(await read(passport, now, context));
}
