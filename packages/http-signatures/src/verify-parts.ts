// SPDX-License-Identifier: Apache-2.0
// verifySignatureHeaders (RFC 9421 §3.2) over a request's recorded parts, synchronously: an audit
// re-verifying a logged request builds no Request, Headers or URL per entry and resolves keys it
// already holds. The same checks as verifySignatureHeaders (verify.ts; the fields, parameters and
// coverage by the same functions), in the same order, with the same refusals;
// @agent-passport/evidence's differential tests hold the two to identical audit reports on every
// log they audit, tampered and hostile entries included.
import type { ErrorCode, KeyType } from '@agent-passport/core';
import { verifySignature } from '@agent-passport/did-key';
import { type MessageParts, signatureBase } from './base.js';
import { declaresBody } from './body.js';
import type { FieldReader } from './field-reader.js';
import { checkCoverage, checkSignatureParams, verifiedFields } from './internal/signature-checks.js';
import { type FieldsRefused, signatureFields } from './internal/signature-fields.js';
import { SIGNATURE_LIMITS, type SignatureVerification, type VerifySignatureOptions } from './verify.js';

/** A request as recorded: its method, its serialised URL, and its headers by lower-case name. */
export interface RecordedRequest {
  /** As a Request holds it (standard methods upper-case). */
  readonly method: string;
  /** As a Request's `url` serialises it. */
  readonly targetUri: string;
  /** The value a Headers object would answer for this lower-case name, or null. */
  header(name: string): string | null;
}

export interface VerifyRecordedOptions
  extends Omit<VerifySignatureOptions, 'body' | 'maxBodyBytes' | 'resolveKey'> {
  /** The public key for a keyid, known synchronously, or undefined when unknown. */
  readonly resolveKey: (keyId: string) => { type: KeyType; publicKey: Uint8Array } | undefined;
}

const UTF8 = new TextEncoder();
const fail = (code: ErrorCode, message: string): FieldsRefused => ({ ok: false, code, message });

/** RFC 9110 §5.1 field names (tokens): Headers.get throws a TypeError for any other. */
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A recorded request as signatureBase reads it: its fields as Headers.get answers them (and its
 * TypeError for a name no field can have), the URL parsed only when a component asks.
 */
class RecordedParts implements MessageParts {
  #url: URL | undefined;
  readonly method: string;
  readonly targetUri: string;
  readonly headers: FieldReader;
  constructor(request: RecordedRequest) {
    this.method = request.method;
    this.targetUri = request.targetUri;
    this.headers = {
      get(name) {
        if (!FIELD_NAME.test(name)) throw new TypeError(`${JSON.stringify(name)} is not a header name`);
        return request.header(name);
      },
    };
  }
  get url(): URL {
    this.#url ??= new URL(this.targetUri);
    return this.#url;
  }
}

/**
 * Verify the signature of a recorded request: verifySignatureHeaders' result, synchronously (a
 * promise only where the platform verifies Ed25519 asynchronously, which Node does not). Throws
 * where verifySignatureHeaders throws: a covered component that no header name can be.
 */
export function verifyRecordedSignature(
  request: RecordedRequest,
  options: VerifyRecordedOptions,
): SignatureVerification | Promise<SignatureVerification> {
  const parts = new RecordedParts(request);
  const { headers } = parts;
  const fields = signatureFields(headers, options.label, SIGNATURE_LIMITS);
  if ('ok' in fields) return fields;
  const refused =
    checkSignatureParams(fields.params, options) ??
    checkCoverage(fields.components, options, declaresBody(headers));
  if (refused !== undefined) return refused;
  const keyId = fields.params.get('keyid') as string;
  const key = options.resolveKey(keyId);
  if (key === undefined) return fail('ERR_SIG_KEY_UNKNOWN', `no key for ${keyId}`);
  const built = signatureBase(parts, fields.components, fields.paramsValue);
  if ('missing' in built) return fail('ERR_SIG_COMPONENT_MISSING', `the request has no ${built.missing}`);
  if (key.type !== 'Ed25519') return fail('ERR_SIG_INVALID', 'the signature does not verify');
  const verified = verifiedFields(fields, built.base);
  const checked = verifySignature('Ed25519', key.publicKey, UTF8.encode(built.base), fields.signature);
  const answer = (ok: boolean) => (ok ? verified : fail('ERR_SIG_INVALID', 'the signature does not verify'));
  return typeof checked === 'boolean' ? answer(checked) : checked.then(answer);
}
