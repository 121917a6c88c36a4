// SPDX-License-Identifier: Apache-2.0
// Delegated agents on signed requests (issue 18): the sub-agent signs; the passport header (or its
// reference) carries the organisation's passport of the first delegating agent, and the delegation
// header (or its reference) the chain down to the signer, both covered by the signature. The chain
// verifier decides; calls count against every link's maxCalls.
import type { AgentPassport } from '@agent-passport/core';
import { CheckFailure } from '@agent-passport/core';
import type { ChainVerification, DelegationVerifier } from '@agent-passport/delegation';
import { DELEGATION_HEADER, DELEGATION_REF_HEADER, passportRef } from '@agent-passport/http-signatures';
import { parseJson } from '@agent-passport/strict-json';

/** The largest chain header read (base64url characters). */
const MAX_CHAIN_HEADER = 48_000;

export interface DelegatedCall {
  readonly verification: ChainVerification;
  readonly bytes: Uint8Array;
  readonly ref: string;
  readonly delegations: readonly Record<string, unknown>[];
}

/** Verified chains remembered by reference, so later requests send only the reference. */
export function createChainCache(size: number, resolve?: (ref: string) => Uint8Array | undefined) {
  const cache = new Map<string, Uint8Array>();
  return {
    /** Cached bytes, or resolved ones that hash to the reference. */
    get(ref: string) {
      const hit = cache.get(ref);
      if (hit !== undefined) return hit;
      const resolved = resolve?.(ref);
      return resolved !== undefined && passportRef(resolved) === ref ? resolved : undefined;
    },
    set(ref: string, bytes: Uint8Array) {
      if (cache.has(ref)) return;
      if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      cache.set(ref, bytes.slice());
    },
  };
}
type ChainCache = ReturnType<typeof createChainCache>;

/** The chain bytes of the request: inline, or from the cache by reference. */
function chainBytes(headers: Headers, cache: ChainCache): { bytes: Uint8Array; ref: string } {
  const inline = headers.get(DELEGATION_HEADER);
  const ref = headers.get(DELEGATION_REF_HEADER);
  if (inline !== null) {
    if (inline.length > MAX_CHAIN_HEADER || !/^[A-Za-z0-9_-]+$/.test(inline))
      throw new CheckFailure('ERR_DELEGATION_INVALID', 'the delegation header is not base64url of a chain');
    const bytes = new Uint8Array(Buffer.from(inline, 'base64url'));
    const own = passportRef(bytes);
    if (ref !== null && ref !== own)
      throw new CheckFailure('ERR_DELEGATION_INVALID', 'the delegation reference is not this chain');
    return { bytes, ref: own };
  }
  const bytes = cache.get(ref as string);
  if (bytes === undefined)
    throw new CheckFailure('ERR_DELEGATION_UNKNOWN', 'unknown delegation reference: send the chain');
  return { bytes, ref: ref as string };
}

/** Verify the chain from `passportBytes` down to `signer`; throws a CheckFailure with the chain's code. */
export async function verifyDelegatedCall(
  verifier: DelegationVerifier | undefined,
  headers: Headers,
  cache: ChainCache,
  passportBytes: Uint8Array,
  signer: string,
  requiredScopes: readonly string[],
  now: Date,
): Promise<DelegatedCall> {
  if (verifier === undefined)
    throw new CheckFailure('ERR_DELEGATION_INVALID', 'this service accepts no delegated agents');
  const { bytes, ref } = chainBytes(headers, cache);
  const delegations = parseJson(bytes, { maxBytes: 64 * 1024, maxDepth: 16 });
  if (!Array.isArray(delegations))
    throw new CheckFailure('ERR_DELEGATION_INVALID', 'the delegation header is not a list of delegations');
  const verification = await verifier.verifyChain(
    { passport: passportBytes, delegations },
    { presenter: signer, requiredScopes, now },
  );
  const first = verification.errors[0];
  if (!verification.verified)
    throw new CheckFailure(first?.code ?? 'ERR_VERIFIER_INTERNAL', first?.message ?? 'the chain was refused');
  cache.set(ref, bytes);
  return { verification, bytes, ref, delegations: delegations as Record<string, unknown>[] };
}

/** The credentials of a delegated call that carry a usage limit, root first. */
export function limitedCredentials(
  passport: AgentPassport,
  call: DelegatedCall,
): { readonly credential: Record<string, unknown>; readonly maxCalls: number }[] {
  const credentials = [passport as unknown as Record<string, unknown>, ...call.delegations];
  const limited = [];
  for (const credential of credentials) {
    const maxCalls = (credential['credentialSubject'] as { maxCalls?: number }).maxCalls;
    if (maxCalls !== undefined) limited.push({ credential, maxCalls });
  }
  return limited;
}
