// SPDX-License-Identifier: Apache-2.0
// Which counter a passport's calls are counted on (maxCalls): the issuer's id and the digest of
// what the issuer signed. Neither `id` (optional, and the issuer's free choice) nor the issuer as
// text (it may be an object), nor the exact bytes (the agent can re-serialise them at will, or, for
// a malleable signature, re-encode the proof) may decide it.
import { toBase64 } from '@agent-passport/core';
import { sha256 } from '@agent-passport/did-key';
import { canonicalize } from '@agent-passport/strict-json';

/** `<issuer id> sha-256=:<base64 of SHA-256 over the JCS form of the passport without its proof>:` */
export function usageKey(passport: { readonly issuer: unknown }): string {
  const { issuer } = passport;
  const issuerId =
    typeof issuer === 'string'
      ? issuer
      : typeof issuer === 'object' && issuer !== null
        ? (issuer as { id?: unknown }).id
        : undefined;
  if (typeof issuerId !== 'string' || issuerId === '') throw new TypeError('the passport has no issuer id');
  const { proof: _proof, ...signed } = passport as Record<string, unknown>;
  const digest = toBase64(sha256(canonicalize(signed)));
  return `${issuerId} sha-256=:${digest}:`;
}
