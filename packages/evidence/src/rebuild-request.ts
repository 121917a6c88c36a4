// SPDX-License-Identifier: Apache-2.0
// A logged request record turned back into the request the agent signed: its covered headers (the
// passport marker replaced by the logged passport), and its body when kept, held to the digest the
// agent signed. A record that cannot make that request is a coded problem, never a throw.
import { isObject } from '@agent-passport/core';
import { PASSPORT_HEADER } from '@agent-passport/http-signatures';
import { broken, type Reverified } from './checker-context.js';
import { type EvidenceEntry, PASSPORT_MARKER, type RequestRecord, sha256 } from './entry.js';

/** Methods whose rebuilt Request carries the kept body. */
export const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface Rebuilt {
  readonly record: RequestRecord;
  readonly request: Request;
  readonly headers: Headers;
  /** The body was logged by its digest only (compared here against the signed one). */
  readonly bodyWithheld: boolean;
}

/** The signed headers; a name or value no request can carry (Headers throws) is a coded problem. */
function headersOf(r: RequestRecord, passport: string | undefined): Headers | Reverified {
  const headers = new Headers();
  for (const [name, value] of Object.entries(r.headers)) {
    if (typeof value !== 'string') return broken('ERR_EVIDENCE_LINE', 'a header is not text');
    if (name === PASSPORT_HEADER && value === PASSPORT_MARKER) {
      if (passport === undefined)
        return broken('ERR_EVIDENCE_PASSPORT_MISSING', 'the passport is not in the log');
      // Its bytes as the service received them: the logged base64url, decoded and encoded again.
      headers.set(name, Buffer.from(passport, 'base64url').toString('base64url'));
      continue;
    }
    try {
      headers.set(name, value);
    } catch {
      return broken('ERR_EVIDENCE_LINE', `the header ${JSON.stringify(name)} is not one a request can carry`);
    }
  }
  return headers;
}

/**
 * The kept body (undefined: none kept), held to the signed and the recorded digest; `header` reads
 * the request's headers as a Headers object would.
 */
export function bodyOf(
  r: RequestRecord,
  header: (name: string) => string | null,
): Uint8Array | undefined | Reverified {
  if (!(r.bodyLength > 0)) return undefined;
  const signedDigest = header('content-digest') ?? '';
  if (r.bodyDigest === undefined || !signedDigest.includes(r.bodyDigest))
    return broken('ERR_EVIDENCE_BODY', 'the body digest is not the one the agent signed');
  if (!/(^|[\s(])"content-digest"/.test(header('signature-input') ?? ''))
    return broken('ERR_SIG_COMPONENT_MISSING', 'the body is not covered by the signature');
  if (r.body === undefined) return undefined;
  if (typeof r.body !== 'string') return broken('ERR_EVIDENCE_LINE', 'the kept body is not base64url text');
  const body = new Uint8Array(Buffer.from(r.body, 'base64url'));
  const digest = `sha-256=:${Buffer.from(sha256(body), 'base64url').toString('base64')}:`;
  if (body.length !== r.bodyLength || digest !== r.bodyDigest)
    return broken('ERR_EVIDENCE_BODY', 'the kept body is not the one recorded');
  return body;
}

/** `passport`: the logged passport (base64url), when the entry holds or names one. */
export function rebuildRequest(entry: EvidenceEntry, passport: string | undefined): Rebuilt | Reverified {
  const r = entry.request;
  if (!isObject(r) || typeof r.method !== 'string' || typeof r.url !== 'string' || !isObject(r.headers))
    return broken('ERR_EVIDENCE_LINE', 'the request record is incomplete');
  const headers = headersOf(r, passport);
  if (!(headers instanceof Headers)) return headers;
  const body = bodyOf(r, (name) => headers.get(name));
  if (body !== undefined && !(body instanceof Uint8Array)) return body;
  try {
    const request = new Request(r.url, {
      method: r.method,
      headers,
      ...(body !== undefined && METHODS_WITH_BODY.has(r.method.toUpperCase()) ? { body } : {}),
    });
    return { record: r, request, headers, bodyWithheld: r.bodyLength > 0 && body === undefined };
  } catch {
    return broken('ERR_EVIDENCE_LINE', 'the request record does not make a request');
  }
}
