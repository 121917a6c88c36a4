// SPDX-License-Identifier: Apache-2.0
// The per-call context the named checks share: what the call asked for (time, scopes, binding)
// and what earlier checks established (the parsed credential, the issuer's key). A check reads
// what an earlier check set through `established`, which narrows instead of casting.
import {
  CheckFailure,
  type DidDocument,
  type JsonObject,
  type MultikeyVerificationMethod,
} from '@agent-passport/core';
import type { PreparedJcs, RdfcBudget } from '@agent-passport/suites';
import type { VerifiedPassport } from './cache.js';
import type { Settings } from './config.js';

/** The challenge and domain a presentation must be bound to. */
export interface Binding {
  readonly challenge: string;
  readonly domain: string | undefined;
}

/** Every member is set when the context is made (one shape for every call). */
export interface CallContext {
  readonly settings: Settings;
  /** What the call was given: bytes, text, an object or a handle (the `parse` check reads it). */
  readonly input: unknown;
  /** The call's one clock reading. */
  readonly now: Date;
  readonly nowMs: number;
  /** Scopes this call requires: the configured ones and the call's own. */
  readonly scopes: readonly string[];
  /** One RDFC-1.0 budget per call, shared by the passport's and the presentation's proofs. */
  readonly rdfcBudget: RdfcBudget;
  /** Presentations only: what the holder's proof must be bound to. */
  readonly binding: Binding | undefined;
  /** The parsed input with its canonical forms (absent after a cache hit on raw bytes). */
  prepared: PreparedJcs | undefined;
  /** The cache key of the passport (raw bytes or JCS form), when it has one. */
  key: string | undefined;
  /** The remembered verification of exactly these signed bytes. */
  hit: VerifiedPassport | undefined;
  /** The passport as parsed, before the schema check. */
  document: unknown;
  /** The VCDM rules already ran on the passport (inside a checked presentation). */
  vcdmChecked: boolean;
  /** The presentation (presentations only). */
  presentation: JsonObject | undefined;
  /** The passport, once it passed the schema check. */
  credential: JsonObject | undefined;
  issuer: string | undefined;
  issuerDocument: DidDocument | undefined;
  issuerMethod: MultikeyVerificationMethod | undefined;
  /** The issuer's document is fixed by the configuration (pinned, or a did:key), not resolved. */
  issuerStatic: boolean;
}

/** What an earlier check established; its absence is a bug in the order of checks. */
export function established<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new CheckFailure('ERR_VERIFIER_INTERNAL', `${what} was not established by an earlier check`);
  return value;
}
