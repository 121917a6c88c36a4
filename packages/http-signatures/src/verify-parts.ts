// SPDX-License-Identifier: Apache-2.0
// verifySignatureHeaders (RFC 9421 §3.2) over a request's recorded parts, synchronously: an audit
// re-verifying a logged request builds no Request, Headers or URL per entry and resolves keys it
// already holds. The same checks, in the same order, with the same refusals as
// verifySignatureHeaders (verify.ts); @agent-passport/evidence's differential tests hold the two
// to identical audit reports on every log they audit, tampered and hostile entries included.
import type { ErrorCode, KeyType } from '@agent-passport/core';
import { verifySignature } from '@agent-passport/did-key';
import { componentValue, type MessageParts } from './base.js';
import { compactSignatureFields, type SignatureFields } from './internal/sf-compact.js';
import { type FieldsRefused, generalSignatureFields } from './internal/signature-fields.js';
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
const TARGET_PARTS = ['@scheme', '@authority', '@path', '@query'];
/** Derived components never read a header (componentValue answers them from the method and URL). */
const NO_HEADERS = new Headers();

const fail = (code: ErrorCode, message: string): FieldsRefused => ({ ok: false, code, message });

/** Derived components (§2.2) from the method and target URI, the URL parsed only when asked. */
class Derived implements MessageParts {
  #url: URL | undefined;
  readonly headers = NO_HEADERS;
  constructor(
    readonly method: string,
    readonly targetUri: string,
  ) {}
  get url(): URL {
    this.#url ??= new URL(this.targetUri);
    return this.#url;
  }
}

/** signatureFields over the recorded headers: the compact reader first, else the general parser. */
function fieldsOf(request: RecordedRequest): SignatureFields | FieldsRefused {
  const input = request.header('signature-input');
  const signature = request.header('signature');
  const limits = SIGNATURE_LIMITS;
  if (
    input !== null &&
    signature !== null &&
    input.length <= limits.headerBytes &&
    signature.length <= limits.headerBytes
  ) {
    const compact = compactSignatureFields(input, signature, undefined, limits);
    if (compact !== undefined) return compact;
  }
  return generalSignatureFields(input, signature, undefined, limits);
}

/** RFC 9110 §5.1 field names (tokens): Headers.get throws a TypeError for any other. */
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A field's value as Headers.get gives it (and its TypeError for a name no field can have). */
function fieldValue(request: RecordedRequest, name: string): string | null {
  if (!FIELD_NAME.test(name)) throw new TypeError(`${JSON.stringify(name)} is not a header name`);
  return request.header(name);
}

/** The signature base (§2.5): a field's value as Headers gives it, trimmed (§2.1). */
function baseOf(request: RecordedRequest, components: readonly string[], paramsValue: string) {
  const derived = new Derived(request.method, request.targetUri);
  let base = '';
  for (const id of components) {
    const value = id.startsWith('@')
      ? componentValue(derived, id)
      : id === id.toLowerCase()
        ? fieldValue(request, id)?.trim()
        : undefined;
    if (value === undefined) return { missing: id };
    base += `"${id}": ${value}\n`;
  }
  return { base: `${base}"@signature-params": ${paramsValue}` };
}

/** RFC 9112 §6.3, as declaresBody reads it from Headers. */
function declaresBody(request: RecordedRequest): boolean {
  const length = request.header('content-length');
  return request.header('transfer-encoding') !== null || (length !== null && length.trim() !== '0');
}

type Params = SignatureFields['params'];

/** The parameters' checks, cheapest first, as verifySignatureHeaders makes them. */
function checkParams(params: Params, options: VerifyRecordedOptions): FieldsRefused | undefined {
  const created = params.get('created');
  const expires = params.get('expires');
  const nonce = params.get('nonce');
  if (created === undefined) return fail('ERR_SIG_CREATED_MISSING', 'created is required');
  if (!Number.isInteger(created) || (expires !== undefined && !Number.isInteger(expires)))
    return fail('ERR_SIG_MALFORMED', 'created/expires are integers');
  if (typeof params.get('keyid') !== 'string') return fail('ERR_SIG_MALFORMED', 'keyid is required');
  const alg = params.get('alg');
  if (alg !== undefined && alg !== 'ed25519')
    return fail('ERR_SIG_ALG', `alg ${String(alg)} is not accepted`);
  if (typeof nonce !== 'string' || nonce.length === 0)
    return fail('ERR_SIG_NONCE_MISSING', 'a nonce is required');
  const requiredTag = options.requiredTag ?? 'agent-passport';
  if (params.get('tag') !== requiredTag) return fail('ERR_SIG_TAG', `tag must be ${requiredTag}`);
  const now = Math.floor(options.now.getTime() / 1000);
  const skew = options.maxSkewSeconds ?? 60;
  if ((created as number) > now + skew) return fail('ERR_SIG_NOT_YET_VALID', 'created is in the future');
  if (now - (created as number) > (options.maxAgeSeconds ?? 300))
    return fail('ERR_SIG_EXPIRED', 'the signature is too old');
  if (
    expires !== undefined &&
    ((expires as number) < (created as number) || now - skew >= (expires as number))
  )
    return fail('ERR_SIG_EXPIRED', 'the signature has expired');
  return undefined;
}

function uncoveredOf(
  request: RecordedRequest,
  components: readonly string[],
  options: VerifyRecordedOptions,
) {
  const required = [...(options.requiredComponents ?? ['@method', '@target-uri'])];
  if (declaresBody(request)) required.push('content-digest');
  return required.find(
    (c) =>
      !components.includes(c) && !(c === '@target-uri' && TARGET_PARTS.every((t) => components.includes(t))),
  );
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
  const fields = fieldsOf(request);
  if ('ok' in fields) return fields;
  const { label, components, params } = fields;
  const refused = checkParams(params, options);
  if (refused !== undefined) return refused;
  const uncovered = uncoveredOf(request, components, options);
  if (uncovered !== undefined) return fail('ERR_SIG_COMPONENT_MISSING', `${uncovered} must be covered`);
  const keyId = params.get('keyid') as string;
  const key = options.resolveKey(keyId);
  if (key === undefined) return fail('ERR_SIG_KEY_UNKNOWN', `no key for ${keyId}`);
  const built = baseOf(request, components, fields.paramsValue);
  if ('missing' in built) return fail('ERR_SIG_COMPONENT_MISSING', `the request has no ${built.missing}`);
  if (key.type !== 'Ed25519') return fail('ERR_SIG_INVALID', 'the signature does not verify');
  const verified: SignatureVerification = {
    ok: true,
    keyId,
    created: params.get('created') as number,
    expires: params.get('expires') as number | undefined,
    nonce: params.get('nonce') as string,
    tag: params.get('tag') as string,
    components,
    signatureBase: built.base,
    signature: fields.signature,
    label,
  };
  const checked = verifySignature('Ed25519', key.publicKey, UTF8.encode(built.base), fields.signature);
  const answer = (ok: boolean) => (ok ? verified : fail('ERR_SIG_INVALID', 'the signature does not verify'));
  return typeof checked === 'boolean' ? answer(checked) : checked.then(answer);
}
