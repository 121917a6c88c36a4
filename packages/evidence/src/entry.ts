// SPDX-License-Identifier: Apache-2.0
// One evidence entry: a JSON object on one line, chained to the entry before it by hash. `hash` is
// the SHA-256 (base64url) of the JCS form of the entry without `hash`; `prev` is the hash of the
// entry before it (GENESIS for the first entry of a log). Editing an entry breaks its hash,
// deleting, reordering or inserting breaks the next entry's `prev`, and the head file names the
// last entry so that a cut tail shows too.
import { hash } from 'node:crypto';
import { canonicalize } from '@agent-passport/strict-json';

export const GENESIS = 'genesis';
export const ENTRY_VERSION = 1;

/** The request as the agent signed it, enough to re-verify the signature offline. */
export interface RequestRecord {
  readonly method: string;
  readonly url: string;
  /**
   * The headers the signature covers, plus `signature-input` and `signature`. The inline passport
   * header is replaced by PASSPORT_MARKER when it is exactly the base64url of the logged passport.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** Length of the body in bytes (0: none). */
  readonly bodyLength: number;
  /** `sha-256=:…:` of the body as received (RFC 9530 form). */
  readonly bodyDigest?: string;
  /** The body (base64url), only when the log keeps bodies. */
  readonly body?: string;
}

export const PASSPORT_MARKER = '$passport';

/** The events a log records besides calls: evidence of what happened, never a verified call. */
export const EVIDENCE_EVENTS = ['login-exchange', 'login-refused', 'session-revoked'] as const;
export type EvidenceEvent = (typeof EVIDENCE_EVENTS)[number];

export interface EvidenceEntry {
  readonly v: 1;
  readonly seq: number;
  readonly time: string;
  readonly kind: 'request' | 'presentation' | 'event';
  readonly prev: string;
  readonly verdict: { readonly verified: boolean; readonly codes: readonly string[] };
  readonly agent?: string;
  readonly agentName?: string;
  readonly issuer?: string;
  readonly passportId?: string;
  readonly requiredScopes?: readonly string[];
  /** The passport: its digest always, its bytes (base64url) the first time a log file holds it. */
  readonly passport?: { readonly digest: string; readonly bytes?: string };
  /**
   * A delegated call: who acted on whose authority (organisation → agent → … → the signer), and
   * the chain it was verified with (its reference, and its bytes, base64url, in every such entry).
   */
  readonly delegation?: {
    readonly principals: readonly string[];
    readonly ref: string;
    readonly bytes: string;
  };
  readonly request?: RequestRecord;
  /** A presentation entry: the presentation as received, with the challenge and domain required. */
  readonly presentation?: unknown;
  readonly challenge?: string;
  readonly domain?: string;
  /**
   * An event entry: what happened (no call to re-verify), the site's code for a refusal, and a
   * reference (an exchange id, a session id). Its `agent`, if any, is the service's unsigned note.
   */
  readonly event?: EvidenceEvent;
  readonly code?: string;
  readonly ref?: string;
  readonly hash: string;
}

export const sha256 = (data: string | Uint8Array): string => hash('sha256', data, 'base64url');

/** The hash of an entry: SHA-256 of the JCS of everything but `hash`. */
export function entryHash(entry: Omit<EvidenceEntry, 'hash'> | EvidenceEntry): string {
  const { hash: _, ...rest } = entry as EvidenceEntry;
  return sha256(canonicalize(rest));
}

/** The head file: the last entry written, so that a cut tail can be told from a short log. */
export interface LogHead {
  readonly seq: number;
  readonly hash: string;
  readonly file: string;
}
