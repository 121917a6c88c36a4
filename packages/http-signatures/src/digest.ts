// SPDX-License-Identifier: Apache-2.0
// RFC 9530 Content-Digest: a structured-field dictionary of algorithm → byte sequence.
import { bytesEqual, type ErrorCode, toBase64 } from '@agent-passport/core';
import { sha256, sha512 } from '@agent-passport/did-key';
import { parseDictionary } from './internal/sf.js';

/** The header of a SHA-256 digest. */
const sha256Member = (digest: Uint8Array) => `sha-256=:${toBase64(digest)}:`;

/** `sha-256=:…:` for a body (RFC 9530 §2). */
export function contentDigest(body: Uint8Array): string {
  return sha256Member(sha256(body));
}

type DigestCheck = { ok: true } | { ok: false; code: ErrorCode; message: string };

/** The header contentDigest sends: one sha-256 member, padded base64 of its 32 bytes. */
const COMPACT = /^sha-256=:[A-Za-z0-9+/]{43}=:$/;

/**
 * Check a Content-Digest header against the body; sha-256 and sha-512 are accepted (RFC 9530 §5).
 * The header contentDigest sends is accepted when it is the body's digest, character for
 * character (canonical base64 names exactly one digest); anything else, a mismatch included, is
 * decided by the general path (a differential test holds both to the same verdicts).
 */
export function checkContentDigest(header: string | null, body: Uint8Array): DigestCheck {
  if (header === null)
    return { ok: false, code: 'ERR_DIGEST_MISSING', message: 'the request has a body and no Content-Digest' };
  if (!COMPACT.test(header)) return checkDigestDictionary(header, body, undefined);
  const digest = sha256(body);
  if (header === sha256Member(digest)) return { ok: true };
  return checkDigestDictionary(header, body, digest);
}

/** The general path: the header as a dictionary, each sha-256 and sha-512 member checked. */
export function checkDigestDictionary(
  header: string,
  body: Uint8Array,
  knownSha256: Uint8Array | undefined,
): DigestCheck {
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
    const expected = alg === 'sha-256' ? (knownSha256 ?? sha256(body)) : sha512(body);
    if (!bytesEqual(expected, new Uint8Array(value)))
      return { ok: false, code: 'ERR_DIGEST_MISMATCH', message: `${alg} does not match the body` };
    checked = true;
  }
  return checked
    ? { ok: true }
    : { ok: false, code: 'ERR_DIGEST_UNSUPPORTED', message: 'no sha-256 or sha-512 digest' };
}
