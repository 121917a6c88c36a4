// SPDX-License-Identifier: Apache-2.0
// The service side: verify a request signature (RFC 9421 §3.2) and its Content-Digest. It never
// throws on untrusted input; every refusal has its code. Passport checks, replay and usage live a
// layer above (verifyRequest), which calls this.
import type { ErrorCode, KeyType } from '@agent-passport/core';
import { verifySignature } from '@agent-passport/did-key';
import type { Dictionary, InnerList } from 'structured-headers';
import { type MessageParts, signatureBase } from './base.js';
import { checkContentDigest } from './digest.js';
import { parseDictionary, serializeInnerList } from './internal/sf.js';

export interface VerifySignatureOptions {
  /** The verifier's clock, read once by the caller. */
  readonly now: Date;
  /** Oldest accepted `created`, in seconds (default 300). */
  readonly maxAgeSeconds?: number;
  /** Tolerated clock skew, in seconds (default 30). */
  readonly skewSeconds?: number;
  /** Components that must be covered (default @method, @target-uri; content-digest is added when there is a body). */
  readonly requiredComponents?: readonly string[];
  /** The tag this verifier accepts (default 'agent-passport'). */
  readonly requiredTag?: string;
  /** The label to verify; default: the only one present. */
  readonly label?: string;
  /**
   * The request's body bytes when the caller already holds them (a Node server reads them anyway):
   * they are then checked against Content-Digest instead of reading the body from a clone of the
   * request, which costs about as much as the signature check. The caller must hand the same bytes
   * to its handler.
   */
  readonly body?: Uint8Array;
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

const fail = (code: ErrorCode, message: string): SignatureVerification => ({ ok: false, code, message });

function parse(header: string | null): Dictionary | undefined | null {
  if (header === null) return undefined;
  try {
    return parseDictionary(header);
  } catch {
    return null;
  }
}

/**
 * Verify the signature on a request. The body is `options.body` when given, else read from a clone:
 * the request stays usable.
 */
export async function verifyRequestSignature(
  request: Request,
  options: VerifySignatureOptions,
): Promise<SignatureVerification> {
  if (options.body !== undefined && !(options.body instanceof Uint8Array))
    throw new TypeError('options.body must be a Uint8Array');
  const inputs = parse(request.headers.get('signature-input'));
  const signatures = parse(request.headers.get('signature'));
  if (inputs === undefined || signatures === undefined)
    return fail('ERR_SIG_MISSING', 'no Signature-Input and Signature');
  if (inputs === null || signatures === null)
    return fail('ERR_SIG_MALFORMED', 'Signature-Input or Signature is not a dictionary');
  let label = options.label;
  if (label === undefined) {
    if (inputs.size !== 1) return fail('ERR_SIG_MALFORMED', 'several signatures and no label configured');
    label = inputs.keys().next().value as string;
  }
  const input = inputs.get(label);
  const sig = signatures.get(label);
  if (input === undefined || sig === undefined)
    return fail('ERR_SIG_MISSING', `no signature labelled ${label}`);
  if (!Array.isArray(input[0]) || !(sig[0] instanceof ArrayBuffer))
    return fail('ERR_SIG_MALFORMED', 'bad member types');
  const [items, params] = input as InnerList;
  const components: string[] = [];
  for (const [item, itemParams] of items) {
    if (typeof item !== 'string' || itemParams.size > 0)
      return fail('ERR_SIG_MALFORMED', 'component identifiers are plain strings');
    if (components.includes(item)) return fail('ERR_SIG_MALFORMED', `${item} is covered twice`);
    components.push(item);
  }
  const created = params.get('created');
  const expires = params.get('expires');
  const nonce = params.get('nonce');
  const keyId = params.get('keyid');
  const tag = params.get('tag');
  const alg = params.get('alg');
  if (created === undefined) return fail('ERR_SIG_CREATED_MISSING', 'created is required');
  if (!Number.isInteger(created) || (expires !== undefined && !Number.isInteger(expires)))
    return fail('ERR_SIG_MALFORMED', 'created/expires are integers');
  if (typeof keyId !== 'string') return fail('ERR_SIG_MALFORMED', 'keyid is required');
  if (alg !== undefined && alg !== 'ed25519')
    return fail('ERR_SIG_ALG', `alg ${String(alg)} is not accepted`);
  if (typeof nonce !== 'string' || nonce.length === 0)
    return fail('ERR_SIG_NONCE_MISSING', 'a nonce is required');
  const requiredTag = options.requiredTag ?? 'agent-passport';
  if (tag !== requiredTag) return fail('ERR_SIG_TAG', `tag must be ${requiredTag}`);
  const now = Math.floor(options.now.getTime() / 1000);
  const skew = options.skewSeconds ?? 30;
  if ((created as number) > now + skew) return fail('ERR_SIG_NOT_YET_VALID', 'created is in the future');
  if (now - (created as number) > (options.maxAgeSeconds ?? 300))
    return fail('ERR_SIG_EXPIRED', 'the signature is too old');
  if (
    expires !== undefined &&
    ((expires as number) < (created as number) || now - skew >= (expires as number))
  ) {
    return fail('ERR_SIG_EXPIRED', 'the signature has expired');
  }
  const body =
    options.body !== undefined
      ? options.body
      : request.body === null
        ? undefined
        : new Uint8Array(await request.clone().arrayBuffer());
  const required = [...(options.requiredComponents ?? ['@method', '@target-uri'])];
  if (body !== undefined && body.length > 0) required.push('content-digest');
  // @target-uri may be covered as its parts (RFC 9421 §2.2): all of them, query included.
  const targetParts = ['@scheme', '@authority', '@path', '@query'];
  const uncovered = required.find(
    (c) =>
      !components.includes(c) && !(c === '@target-uri' && targetParts.every((t) => components.includes(t))),
  );
  if (uncovered !== undefined) return fail('ERR_SIG_COMPONENT_MISSING', `${uncovered} must be covered`);
  if (body !== undefined && body.length > 0) {
    const digest = checkContentDigest(request.headers.get('content-digest'), body);
    if (!digest.ok) return fail(digest.code, digest.message);
  }
  const key = await options.resolveKey(keyId);
  if (key === undefined) return fail('ERR_SIG_KEY_UNKNOWN', `no key for ${keyId}`);
  const msg: MessageParts = { method: request.method, url: new URL(request.url), headers: request.headers };
  // §2.3: @signature-params is this label's inner list, re-serialized canonically.
  const built = signatureBase(msg, components, serializeInnerList(input as InnerList));
  if ('missing' in built) return fail('ERR_SIG_COMPONENT_MISSING', `the request has no ${built.missing}`);
  const signature = new Uint8Array(sig[0]);
  if (
    key.type !== 'Ed25519' ||
    !verifySignature('Ed25519', key.publicKey, new TextEncoder().encode(built.base), signature)
  ) {
    return fail('ERR_SIG_INVALID', 'the signature does not verify');
  }
  return {
    ok: true,
    keyId,
    created: created as number,
    expires: expires as number | undefined,
    nonce,
    tag,
    components,
    signatureBase: built.base,
    signature,
    label,
  };
}
