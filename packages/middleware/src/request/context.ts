// SPDX-License-Identifier: Apache-2.0
// The per-call context the request checks share: what the call asked for (one time, the scopes,
// the body) and what earlier checks established (the verified signature, the passport, the
// chain). A check reads what an earlier check set through `established`, which narrows instead of
// casting.
import { type AgentPassport, CheckFailure } from '@agent-passport/core';
import type { SignatureVerification } from '@agent-passport/http-signatures';
import type { DelegatedCall } from '../delegated.js';
import type { RequestCallOptions } from '../verify-request.js';
import type { Admission } from './admission.js';
import type { Carried } from './carried.js';
import type { KnownPassport } from './known-passports.js';
import type { RequestSettings } from './settings.js';

export type VerifiedSignature = Extract<SignatureVerification, { ok: true }>;

export interface RequestContext {
  readonly settings: RequestSettings;
  readonly request: Request;
  readonly call: RequestCallOptions;
  /** The call's one clock reading, handed to every check, the passport verifier and the evidence. */
  readonly now: Date;
  readonly scopes: readonly string[];
  /** The credential headers, read once. */
  readonly carried: Carried;
  /** The verified request signature. */
  signature?: VerifiedSignature;
  /** Who signed: the keyid's DID, or in the compact form the referenced passport's subject. */
  signer?: string;
  /** Compact form: the passport the keyid names, and why it gave no key when it did not. */
  byKeyId?: Uint8Array;
  refProblem?: CheckFailure;
  /** The verified passport, its exact bytes, its reference and its cache entry. */
  passport?: AgentPassport;
  bytes?: Uint8Array;
  ref?: string;
  known?: KnownPassport;
  /** The body, once read and checked (absent when empty). */
  body?: Uint8Array;
  delegated?: DelegatedCall;
  /** What the store answered for the nonce and the counters. */
  admission?: Admission;
}

/** What an earlier check established; its absence is a bug in the order of checks. */
export function established<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new CheckFailure('ERR_VERIFIER_INTERNAL', `${what} was not established by an earlier check`);
  return value;
}
