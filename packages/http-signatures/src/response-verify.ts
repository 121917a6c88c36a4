// SPDX-License-Identifier: Apache-2.0
// The agent side of mutual authentication: verify a signed response (RFC 9421 §2.4, §3.2) against
// the signed request the agent sent, before trusting anything in it. Never throws on untrusted
// input: every refusal has its code (ERR_RESPONSE_*, or the body's digest codes).
import type { ErrorCode, KeyType } from '@agent-passport/core';
import { verifySignature } from '@agent-passport/did-key';
import type { InnerList } from 'structured-headers';
import { DEFAULT_MAX_BODY_BYTES, readBody } from './body.js';
import { checkContentDigest } from './digest.js';
import { parseDictionary, serializeInnerList } from './internal/sf.js';
import {
  RESPONSE_TAG,
  type ResponseComponent,
  requestLabel,
  responseSignatureBase,
} from './response-base.js';
import { SIGNATURE_LIMITS } from './verify.js';

export interface VerifyResponseOptions {
  /** The agent's clock, read once by the caller. */
  readonly now: Date;
  /** Oldest accepted `created`, in seconds (default 60). */
  readonly maxAgeSeconds?: number;
  /** Tolerated clock skew, in seconds (default 60, as everywhere). */
  readonly maxSkewSeconds?: number;
  /** The most body bytes read (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /**
   * The public key for the response's keyid when it is a key of the service the agent expects
   * (e.g. an `authentication` method of its did:web document), else undefined.
   */
  readonly resolveKey: (
    keyId: string,
    created: number,
  ) => { type: KeyType; publicKey: Uint8Array } | undefined;
}

export type ResponseVerification =
  | { readonly ok: true; readonly keyId: string; readonly created: number; readonly body: Uint8Array }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

const PARAMS = ['alg', 'created', 'expires', 'keyid', 'nonce', 'tag'];
const fail = (code: ErrorCode, message: string): ResponseVerification => ({ ok: false, code, message });

type Parsed = { components: ResponseComponent[]; params: InnerList[1]; input: InnerList; sig: Uint8Array };

/** Signature-Input and Signature of the response: one label, plain components with req/key only. */
function parseSignature(headers: Headers): Parsed | ResponseVerification {
  const inputHeader = headers.get('signature-input');
  const sigHeader = headers.get('signature');
  if (inputHeader === null || sigHeader === null)
    return fail('ERR_RESPONSE_UNSIGNED', 'the response has no Signature-Input and Signature');
  if (inputHeader.length > SIGNATURE_LIMITS.headerBytes || sigHeader.length > SIGNATURE_LIMITS.headerBytes)
    return fail('ERR_RESPONSE_MALFORMED', 'Signature-Input or Signature is too long');
  let inputs: ReturnType<typeof parseDictionary>;
  let sigs: ReturnType<typeof parseDictionary>;
  try {
    inputs = parseDictionary(inputHeader);
    sigs = parseDictionary(sigHeader);
  } catch {
    return fail('ERR_RESPONSE_MALFORMED', 'Signature-Input or Signature is not a dictionary');
  }
  if (inputs.size !== 1) return fail('ERR_RESPONSE_MALFORMED', 'exactly one response signature is taken');
  const [label, input] = inputs.entries().next().value as [string, InnerList];
  const sig = sigs.get(label)?.[0];
  if (!Array.isArray(input[0]) || !(sig instanceof ArrayBuffer))
    return fail('ERR_RESPONSE_MALFORMED', `no signature labelled ${label}`);
  if (input[0].length > SIGNATURE_LIMITS.components || input[1].size > SIGNATURE_LIMITS.parameters)
    return fail('ERR_RESPONSE_MALFORMED', 'too many components or parameters');
  const components: ResponseComponent[] = [];
  const seen = new Set<string>();
  for (const [name, p] of input[0]) {
    const req = p.get('req');
    const key = p.get('key');
    if (
      typeof name !== 'string' ||
      [...p.keys()].some((k) => k !== 'req' && k !== 'key') ||
      (req !== undefined && req !== true) ||
      (key !== undefined && typeof key !== 'string')
    )
      return fail('ERR_RESPONSE_MALFORMED', 'a component identifier is not a string with req/key');
    const id = `${name};${String(req)};${String(key)}`;
    if (seen.has(id)) return fail('ERR_RESPONSE_MALFORMED', `${name} is covered twice`);
    seen.add(id);
    components.push({ name, ...(req === true ? { req } : {}), ...(key === undefined ? {} : { key }) });
  }
  return { components, params: input[1], input, sig: new Uint8Array(sig) };
}

/** The created time of the request's own signature (to refuse a response that predates it). */
function requestCreated(headers: Headers, label: string): number | undefined {
  try {
    const member = parseDictionary(headers.get('signature-input') ?? '').get(label);
    const created = Array.isArray(member?.[0]) ? member[1].get('created') : undefined;
    return typeof created === 'number' ? created : undefined;
  } catch {
    return undefined;
  }
}

/** Check the parameters and the binding to the request; undefined when they hold. */
function checkParams(p: Parsed, request: Request, options: VerifyResponseOptions) {
  const created = p.params.get('created');
  const expires = p.params.get('expires');
  const keyId = p.params.get('keyid');
  if (!Number.isInteger(created) || (expires !== undefined && !Number.isInteger(expires)))
    return fail('ERR_RESPONSE_MALFORMED', 'created is required; created and expires are integers');
  if (typeof keyId !== 'string') return fail('ERR_RESPONSE_MALFORMED', 'keyid is required');
  if (p.params.get('tag') !== RESPONSE_TAG)
    return fail('ERR_RESPONSE_MALFORMED', `tag must be ${RESPONSE_TAG}`);
  if ([...p.params.keys()].some((k) => !PARAMS.includes(k)))
    return fail('ERR_RESPONSE_MALFORMED', 'unknown signature parameter');
  const alg = p.params.get('alg');
  if (alg !== undefined && alg !== 'ed25519') return fail('ERR_RESPONSE_MALFORMED', 'alg must be ed25519');
  const label = requestLabel(request.headers);
  if (label === undefined) return fail('ERR_RESPONSE_NOT_BOUND', 'the request carries no single signature');
  const covers = (name: string) =>
    p.components.some((c) => c.name === name && c.req === true && c.key === label);
  if (!covers('signature') || !covers('signature-input'))
    return fail(
      'ERR_RESPONSE_NOT_BOUND',
      `the response does not cover the request's signature ${label} (;req)`,
    );
  if (!p.components.some((c) => c.name === '@status' && c.req !== true))
    return fail('ERR_RESPONSE_MALFORMED', 'the response does not cover @status');
  if (!p.components.some((c) => c.name === 'content-digest' && c.req !== true))
    return fail('ERR_RESPONSE_MALFORMED', 'the response does not cover content-digest');
  const now = Math.floor(options.now.getTime() / 1000);
  const skew = options.maxSkewSeconds ?? 60;
  const c = created as number;
  if (c > now + skew) return fail('ERR_RESPONSE_EXPIRED', 'the response is dated in the future');
  if (now - c > (options.maxAgeSeconds ?? 60)) return fail('ERR_RESPONSE_EXPIRED', 'the response is too old');
  if (expires !== undefined && ((expires as number) < c || now - skew >= (expires as number)))
    return fail('ERR_RESPONSE_EXPIRED', 'the response signature has expired');
  const asked = requestCreated(request.headers, label);
  if (asked !== undefined && c < asked - skew)
    return fail('ERR_RESPONSE_NOT_BOUND', 'the response was signed before the request was made');
  return undefined;
}

/**
 * Verify `response` as the signed answer to `request` (the exact signed Request the agent sent):
 * the signature's form, its binding to the request (`;req` over its Signature-Input and
 * Signature), its time window, the key (the caller's `resolveKey`: a key of the expected
 * service), the signature, then the body against the covered Content-Digest. The body is read
 * (at most maxBodyBytes) and returned.
 */
export async function verifyResponseSignature(
  response: Response,
  request: Request,
  options: VerifyResponseOptions,
): Promise<ResponseVerification> {
  if (!(response instanceof Response) || !(request instanceof Request))
    throw new TypeError('a Response and the Request it answers are required');
  if (typeof options?.resolveKey !== 'function' || !(options.now instanceof Date))
    throw new TypeError('options.now and options.resolveKey are required');
  const parsed = parseSignature(response.headers);
  if (!('components' in parsed)) return parsed;
  const problem = checkParams(parsed, request, options);
  if (problem !== undefined) return problem;
  const keyId = parsed.params.get('keyid') as string;
  const created = parsed.params.get('created') as number;
  const key = options.resolveKey(keyId, created);
  if (key === undefined)
    return fail('ERR_RESPONSE_SIGNER', `${keyId} is not an authentication key of the expected service`);
  const parts = { method: request.method, url: new URL(request.url), headers: request.headers };
  const built = responseSignatureBase(response, parts, parsed.components, serializeInnerList(parsed.input));
  if ('missing' in built)
    return built.missing.req === true
      ? fail('ERR_RESPONSE_NOT_BOUND', `the request has no ${built.missing.name} the response covers`)
      : fail('ERR_RESPONSE_MALFORMED', `the response has no ${built.missing.name}`);
  if (
    key.type !== 'Ed25519' ||
    !verifySignature('Ed25519', key.publicKey, new TextEncoder().encode(built.base), parsed.sig)
  )
    return fail('ERR_RESPONSE_SIGNATURE_INVALID', 'the response signature does not verify');
  const read = await readBody(response.body, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  if (!read.ok) return read;
  const digest = checkContentDigest(response.headers.get('content-digest'), read.bytes);
  if (!digest.ok) return digest;
  return { ok: true, keyId, created, body: read.bytes };
}
