// SPDX-License-Identifier: Apache-2.0
// What the page reads from its fields and what one inspection answers.

export type Kind = 'passport' | 'presentation' | 'delegation' | 'proof' | 'request' | 'bundle' | 'evidence';

export interface TrustInput {
  /** DID documents (one JSON document or an array) or did:key DIDs, one per line. */
  readonly docs: string;
  /** A signed trust bundle (JSON text). */
  readonly bundle: string;
  /** The pinned author of the bundle (did:key). */
  readonly bundleAuthor: string;
}

export interface OptionsInput {
  /** The time to verify as of (ISO 8601); empty: now. */
  readonly asOf: string;
  readonly challenge: string;
  readonly domain: string;
  /** Space or comma separated. */
  readonly scopes: string;
  readonly purposes: string;
  readonly origin: string;
}

export interface CheckRow {
  readonly name: string;
  readonly ok: boolean;
  readonly skipped?: boolean;
  readonly code?: string;
  readonly message?: string;
}

/** One line of the readable layout; `did` values are shown short, the full value a click away. */
export interface Field {
  readonly label: string;
  readonly value: string;
  readonly did?: boolean;
}

export interface Report {
  readonly kind: Kind;
  /** undefined: not verified (an input problem says why). */
  readonly verified: boolean | undefined;
  readonly codes: readonly string[];
  readonly checks: readonly CheckRow[];
  readonly summary: readonly Field[];
  /** The document as JSON, when it is JSON. */
  readonly json?: unknown;
  /** Why the document could not be verified (missing challenge, no pinned author...). */
  readonly problem?: string;
  /** Notes on trust and on what was assumed. */
  readonly notes: readonly string[];
}

/** The settings of one run, read from the fields. */
export interface RunSettings {
  readonly now: Date;
  readonly options: OptionsInput;
  readonly trust: TrustInput;
}

/** Space or comma separated words. */
export const words = (s: string): string[] => s.split(/[\s,]+/).filter((w) => w.length > 0);
