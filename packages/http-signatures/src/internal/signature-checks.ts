// SPDX-License-Identifier: Apache-2.0
// The checks RFC 9421 §3.2 leaves to the verifier's policy, made before any key or signature:
// the parameters (created, expires, keyid, alg, nonce, tag, the window) and the components that
// must be covered. One implementation for the two entry points: a live Request (verify.ts) and a
// recorded one (verify-parts.ts).
import type { ErrorCode } from '@agent-passport/core';
import type { SignatureFields } from './sf-compact.js';
import type { FieldsRefused } from './signature-fields.js';

/** The policy the checks read (VerifySignatureOptions' members of the same names). */
export interface SignaturePolicy {
  readonly now: Date;
  readonly maxAgeSeconds?: number | undefined;
  readonly maxSkewSeconds?: number | undefined;
  readonly requiredComponents?: readonly string[] | undefined;
  readonly requiredTag?: string | undefined;
}

/** @target-uri may be covered as its parts (RFC 9421 §2.2): all of them, query included. */
const TARGET_PARTS = ['@scheme', '@authority', '@path', '@query'];

const fail = (code: ErrorCode, message: string): FieldsRefused => ({ ok: false, code, message });

/** The parameters' checks, cheapest first; undefined when they pass. */
export function checkSignatureParams(
  params: SignatureFields['params'],
  policy: SignaturePolicy,
): FieldsRefused | undefined {
  const created = params.get('created');
  const expires = params.get('expires');
  const nonce = params.get('nonce');
  const alg = params.get('alg');
  if (created === undefined) return fail('ERR_SIG_CREATED_MISSING', 'created is required');
  if (!Number.isInteger(created) || (expires !== undefined && !Number.isInteger(expires)))
    return fail('ERR_SIG_MALFORMED', 'created/expires are integers');
  if (typeof params.get('keyid') !== 'string') return fail('ERR_SIG_MALFORMED', 'keyid is required');
  if (alg !== undefined && alg !== 'ed25519')
    return fail('ERR_SIG_ALG', `alg ${String(alg)} is not accepted`);
  if (typeof nonce !== 'string' || nonce.length === 0)
    return fail('ERR_SIG_NONCE_MISSING', 'a nonce is required');
  const requiredTag = policy.requiredTag ?? 'agent-passport';
  if (params.get('tag') !== requiredTag) return fail('ERR_SIG_TAG', `tag must be ${requiredTag}`);
  const now = Math.floor(policy.now.getTime() / 1000);
  const skew = policy.maxSkewSeconds ?? 60;
  if ((created as number) > now + skew) return fail('ERR_SIG_NOT_YET_VALID', 'created is in the future');
  if (now - (created as number) > (policy.maxAgeSeconds ?? 300))
    return fail('ERR_SIG_EXPIRED', 'the signature is too old');
  if (
    expires !== undefined &&
    ((expires as number) < (created as number) || now - skew >= (expires as number))
  )
    return fail('ERR_SIG_EXPIRED', 'the signature has expired');
  return undefined;
}

/**
 * The first required component the signature does not cover (content-digest is required when the
 * request announces a body), as its refusal; undefined when all are covered.
 */
export function checkCoverage(
  components: readonly string[],
  policy: SignaturePolicy,
  announcesBody: boolean,
): FieldsRefused | undefined {
  const required = [...(policy.requiredComponents ?? ['@method', '@target-uri'])];
  if (announcesBody) required.push('content-digest');
  const uncovered = required.find(
    (c) =>
      !components.includes(c) && !(c === '@target-uri' && TARGET_PARTS.every((t) => components.includes(t))),
  );
  return uncovered === undefined
    ? undefined
    : fail('ERR_SIG_COMPONENT_MISSING', `${uncovered} must be covered`);
}

/** The verified signature's fields, as both entry points answer them. */
export function verifiedFields(fields: SignatureFields, signatureBase: string) {
  const { params } = fields;
  return {
    ok: true as const,
    keyId: params.get('keyid') as string,
    created: params.get('created') as number,
    expires: params.get('expires') as number | undefined,
    nonce: params.get('nonce') as string,
    tag: params.get('tag') as string,
    components: fields.components,
    signatureBase,
    signature: fields.signature,
    label: fields.label,
  };
}
