// SPDX-License-Identifier: Apache-2.0
// RFC 9530 Content-Digest: a structured-field dictionary of algorithm → byte sequence.
import { bytesEqual, type ErrorCode, toBase64 } from '@agent-passport/core';
import { sha256, sha512 } from '@agent-passport/did-key';
import { parseDictionary } from './internal/sf.js';

/** `sha-256=:…:` for a body (RFC 9530 §2). */
export function contentDigest(body: Uint8Array): string {
  return `sha-256=:${toBase64(sha256(body))}:`;
}

/** Check a Content-Digest header against the body; sha-256 and sha-512 are accepted (RFC 9530 §5). */
export function checkContentDigest(
  header: string | null,
  body: Uint8Array,
): { ok: true } | { ok: false; code: ErrorCode; message: string } {
  if (header === null)
    return { ok: false, code: 'ERR_DIGEST_MISSING', message: 'the request has a body and no Content-Digest' };
  let dict: ReturnType<typeof parseDictionary>;
  try {
    dict = parseDictionary(header);
  } catch {
    return {
      ok: false,
      code: 'ERR_DIGEST_MISMATCH',
      message: 'Content-Digest is not a structured-field dictionary',
    };
  }
  let checked = false;
  for (const alg of ['sha-256', 'sha-512'] as const) {
    const member = dict.get(alg);
    if (member === undefined) continue;
    const value = member[0];
    if (!(value instanceof ArrayBuffer))
      return { ok: false, code: 'ERR_DIGEST_MISMATCH', message: `${alg} is not a byte sequence` };
    const expected = alg === 'sha-256' ? sha256(body) : sha512(body);
    if (!bytesEqual(expected, new Uint8Array(value)))
      return { ok: false, code: 'ERR_DIGEST_MISMATCH', message: `${alg} does not match the body` };
    checked = true;
  }
  return checked
    ? { ok: true }
    : { ok: false, code: 'ERR_DIGEST_UNSUPPORTED', message: 'no sha-256 or sha-512 digest' };
}
