// SPDX-License-Identifier: Apache-2.0
// One signed call of the agent to the site, whose answer must be signed by the expected site key
// and bound to this very request (RFC 9421 §2.4) before a byte of it is believed.
import { PassportError } from '@agent-passport/core';
import { type RawSigner, signRequest, verifyResponseSignature } from '@agent-passport/http-signatures';
import { parseJson } from '@agent-passport/strict-json';
import type { KeyResolver } from './site-key.js';

export interface CallContext {
  readonly keyId: string;
  readonly signer: RawSigner;
  readonly resolveKey: KeyResolver;
  readonly fetch: (request: Request) => Promise<Response>;
  readonly clock: () => Date;
}

export interface VerifiedAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** POST `body` to `url`, signed (a fresh 128-bit nonce); the verified answer, or a PassportError. */
export async function signedCall(ctx: CallContext, url: string, body: unknown): Promise<VerifiedAnswer> {
  const request = await signRequest(
    new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
    { keyId: ctx.keyId, signer: ctx.signer },
  );
  const response = await ctx.fetch(request.clone());
  const verified = await verifyResponseSignature(response, request, {
    now: ctx.clock(),
    resolveKey: ctx.resolveKey,
  });
  if (!verified.ok) throw new PassportError(verified.code, verified.message);
  let parsed: unknown;
  try {
    parsed = parseJson(verified.body, { maxBytes: 256 * 1024 });
  } catch (cause) {
    throw new PassportError('ERR_LOGIN_REQUEST_INVALID', 'the site answered with no JSON', { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new PassportError('ERR_LOGIN_REQUEST_INVALID', 'the site answered with no JSON object');
  return { status: response.status, body: parsed as Record<string, unknown> };
}

/** A refusal the site signed: ERR_LOGIN_REFUSED naming the site's own code. */
export function refused(answer: VerifiedAnswer): PassportError {
  const code = typeof answer.body['code'] === 'string' ? answer.body['code'] : 'unknown';
  const message = typeof answer.body['message'] === 'string' ? answer.body['message'] : '';
  return new PassportError('ERR_LOGIN_REFUSED', `${answer.status} ${code}: ${message}`.slice(0, 500));
}
