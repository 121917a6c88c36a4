// SPDX-License-Identifier: Apache-2.0
// The service side: verify a request signature (RFC 9421 §3.2) and its Content-Digest. It never
// throws on untrusted input; every refusal has its code. Passport checks, replay and usage live a
// layer above (verifyRequest), which calls this.
import type { ErrorCode, KeyType } from '@agent-passport/core';
import { verifySignature } from '@agent-passport/did-key';
import { requestParts, signatureBase } from './base.js';
import {
  bodyTooLarge,
  checkBody,
  DEFAULT_MAX_BODY_BYTES,
  declaredTooLarge,
  declaresBody,
  readBody,
} from './body.js';
import { checkCoverage, checkSignatureParams, verifiedFields } from './internal/signature-checks.js';
import { signatureFields } from './internal/signature-fields.js';

/**
 * What a verifier reads of Signature-Input and Signature before authentication: each header at
 * most 8 KiB, at most 32 components and 16 parameters per signature (a signature of ours has 3 to
 * 6 components and 6 parameters). The header is parsed in one pass; duplicates are found with a set.
 */
export const SIGNATURE_LIMITS = Object.freeze({ headerBytes: 8192, components: 32, parameters: 16 });

export interface VerifySignatureOptions {
  /** The verifier's clock, read once by the caller. */
  readonly now: Date;
  /** Oldest accepted `created`, in seconds (default 300). */
  readonly maxAgeSeconds?: number;
  /** Tolerated clock skew, in seconds (default 60, as everywhere in the toolkit). */
  readonly maxSkewSeconds?: number;
  /**
   * Components that must be covered (default @method, @target-uri; content-digest is added when
   * the request announces a body, and a body found later must be covered by it).
   */
  readonly requiredComponents?: readonly string[];
  /** The tag this verifier accepts (default 'agent-passport'). */
  readonly requiredTag?: string;
  /** The label to verify; default: the only one present. */
  readonly label?: string;
  /**
   * The request's body bytes when the caller already holds them: they are then checked against
   * Content-Digest instead of reading the body from a clone of the request. The caller must hand
   * the same bytes to its handler.
   */
  readonly body?: Uint8Array;
  /** The most body bytes read from the request (default 1 MiB); more is ERR_BODY_TOO_LARGE. */
  readonly maxBodyBytes?: number;
  /** The public key for a keyid, or undefined when unknown. */
  readonly resolveKey: (
    keyId: string,
  ) =>
    | { type: KeyType; publicKey: Uint8Array }
    | undefined
    | Promise<{ type: KeyType; publicKey: Uint8Array } | undefined>;
}

export type SignatureVerification =
  | {
      readonly ok: true;
      readonly keyId: string;
      readonly created: number;
      readonly expires: number | undefined;
      readonly nonce: string;
      readonly tag: string;
      readonly components: readonly string[];
      readonly signatureBase: string;
      readonly signature: Uint8Array;
      readonly label: string;
    }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

const UTF8 = new TextEncoder();

const fail = (code: ErrorCode, message: string): SignatureVerification => ({ ok: false, code, message });

/**
 * Verify the signature over the request's headers (RFC 9421 §3.2), without reading its body: the
 * cheap checks first (limits, parameters, window, required components), then the key, then the
 * signature. A caller that goes on to read the body checks it with `checkBody` against the
 * returned components.
 */
export async function verifySignatureHeaders(
  request: Request,
  options: Omit<VerifySignatureOptions, 'body' | 'maxBodyBytes'>,
): Promise<SignatureVerification> {
  const fields = signatureFields(request.headers, options.label, SIGNATURE_LIMITS);
  if ('ok' in fields) return fields;
  const refused =
    checkSignatureParams(fields.params, options) ??
    checkCoverage(fields.components, options, declaresBody(request.headers));
  if (refused !== undefined) return refused;
  const keyId = fields.params.get('keyid') as string;
  // A key known synchronously (a did:key, a cached passport) costs no extra turn of the event loop.
  const resolved = options.resolveKey(keyId);
  const key = resolved instanceof Promise ? await resolved : resolved;
  if (key === undefined) return fail('ERR_SIG_KEY_UNKNOWN', `no key for ${keyId}`);
  // §2.3: @signature-params is this label's inner list, serialized canonically.
  const built = signatureBase(requestParts(request), fields.components, fields.paramsValue);
  if ('missing' in built) return fail('ERR_SIG_COMPONENT_MISSING', `the request has no ${built.missing}`);
  if (key.type !== 'Ed25519') return fail('ERR_SIG_INVALID', 'the signature does not verify');
  // Synchronous on Node; a promise on WebCrypto platforms.
  const checked = verifySignature('Ed25519', key.publicKey, UTF8.encode(built.base), fields.signature);
  if (!(typeof checked === 'boolean' ? checked : await checked))
    return fail('ERR_SIG_INVALID', 'the signature does not verify');
  return verifiedFields(fields, built.base);
}

/**
 * Verify the signature on a request, then its body: `options.body` when given, else read from a
 * clone (the request stays usable), at most `maxBodyBytes`, and only once the signature verified.
 */
export async function verifyRequestSignature(
  request: Request,
  options: VerifySignatureOptions,
): Promise<SignatureVerification> {
  if (options.body !== undefined && !(options.body instanceof Uint8Array))
    throw new TypeError('options.body must be a Uint8Array');
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
    throw new RangeError('maxBodyBytes is a non-negative integer');
  const verified = await verifySignatureHeaders(request, options);
  if (!verified.ok) return verified;
  let body = options.body;
  if (body === undefined) {
    if (declaredTooLarge(request.headers, maxBytes)) return bodyTooLarge(maxBytes);
    const read = await readBody(request.body === null ? null : request.clone().body, maxBytes);
    if (!read.ok) return read;
    body = read.bytes;
  }
  const checked = checkBody(verified.components, request.headers, body);
  return checked.ok ? verified : checked;
}
