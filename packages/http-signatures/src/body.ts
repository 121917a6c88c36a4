// SPDX-License-Identifier: Apache-2.0
// The request body, read only after the signature over the headers has verified, under a byte
// limit, and held to the signature: a covered Content-Digest (RFC 9530) is checked whatever the
// method and however short the body, and a body the signature does not cover is refused.
import type { ErrorCode } from '@agent-passport/core';
import { checkContentDigest } from './digest.js';
import type { FieldReader } from './field-reader.js';

export type BodyRead =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/** What a verifier reads of a body unless told otherwise: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export const bodyTooLarge = (maxBytes: number) => ({
  ok: false as const,
  code: 'ERR_BODY_TOO_LARGE' as const,
  message: `the body is larger than ${maxBytes} bytes`,
});

/** Does the request announce a body (RFC 9112 §6.3: Content-Length above 0, or Transfer-Encoding)? */
export function declaresBody(headers: FieldReader): boolean {
  const length = headers.get('content-length');
  return headers.get('transfer-encoding') !== null || (length !== null && length.trim() !== '0');
}

/** Is the announced Content-Length already above the limit? (Then nothing needs reading.) */
export function declaredTooLarge(headers: Headers, maxBytes: number): boolean {
  const length = Number(headers.get('content-length') ?? '0');
  return !(length <= maxBytes);
}

/**
 * Read a body stream, at most `maxBytes`. Past the limit it stops reading and releases the stream
 * without cancelling it: cancelling a server's request stream destroys the connection before the
 * refusal can be sent.
 */
export async function readBody(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<BodyRead> {
  if (stream === null) return { ok: true, bytes: new Uint8Array() };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) return bodyTooLarge(maxBytes);
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { ok: true, bytes };
}

/**
 * The body against the signature: covered `content-digest` → checked (an empty or stripped body
 * too); not covered → the body must be empty.
 */
export function checkBody(
  components: readonly string[],
  headers: Headers,
  body: Uint8Array,
): { ok: true } | { ok: false; code: ErrorCode; message: string } {
  if (components.includes('content-digest')) return checkContentDigest(headers.get('content-digest'), body);
  if (body.length > 0)
    return {
      ok: false,
      code: 'ERR_SIG_COMPONENT_MISSING',
      message: 'the request has a body and the signature does not cover content-digest',
    };
  return { ok: true };
}
