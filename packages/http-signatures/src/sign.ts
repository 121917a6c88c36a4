// SPDX-License-Identifier: Apache-2.0
// The agent side: sign a request (RFC 9421 §3.1) with a Content-Digest of its body (RFC 9530).
import { randomBytes, toBase64url } from '@agent-passport/core';
import { serializeDictionary } from 'structured-headers';
import { type MessageParts, serializeSignatureParams, signatureBase } from './base.js';
import { contentDigest } from './digest.js';

export type RawSigner = (data: Uint8Array) => Uint8Array | Promise<Uint8Array>;

export interface SignRequestOptions {
  /** The key id: the agent's did:key verification method (or a JWK thumbprint for Web Bot Auth). */
  readonly keyId: string;
  /** Raw Ed25519 signing. */
  readonly signer: RawSigner;
  /** Covered components (default: @method, @target-uri, and content-digest when the body is not empty). */
  readonly components?: readonly string[];
  /** Seconds since the epoch (default: now). */
  readonly created?: number;
  /** Lifetime in seconds (default 60). */
  readonly expiresIn?: number;
  /** Default: 16 random bytes, base64url. */
  readonly nonce?: string;
  /** Default 'agent-passport'. */
  readonly tag?: string;
  /** Default 'sig1'. */
  readonly label?: string;
  /** Headers added before signing, and covered (e.g. a passport reference). */
  readonly extraHeaders?: Readonly<Record<string, string>>;
  /** Also add `alg="ed25519"`. */
  readonly includeAlg?: boolean;
}

/** Sign a request; returns a new Request with Content-Digest, Signature-Input and Signature. */
export async function signRequest(request: Request, options: SignRequestOptions): Promise<Request> {
  if (!(request instanceof Request)) throw new TypeError('request must be a Request');
  if (typeof options?.keyId !== 'string' || typeof options.signer !== 'function')
    throw new TypeError('keyId and signer are required');
  const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
  // A bodiless request (no body, or an empty one) carries no digest: a verifier refuses any body
  // the signature does not cover, so an empty body is bound without one.
  const digested = body !== undefined && body.length > 0;
  const headers = new Headers(request.headers);
  for (const [k, v] of Object.entries(options.extraHeaders ?? {})) headers.set(k, v);
  if (digested) headers.set('content-digest', contentDigest(body));
  const extra = Object.keys(options.extraHeaders ?? {}).map((k) => k.toLowerCase());
  const components = options.components ?? [
    '@method',
    '@target-uri',
    ...(digested ? ['content-digest'] : []),
    ...extra,
  ];
  const created = options.created ?? Math.floor(Date.now() / 1000);
  const params = serializeSignatureParams(components, {
    created,
    expires: created + (options.expiresIn ?? 60),
    nonce: options.nonce ?? toBase64url(randomBytes(16)),
    keyid: options.keyId,
    ...(options.includeAlg === true ? { alg: 'ed25519' } : {}),
    tag: options.tag ?? 'agent-passport',
  });
  const parts: MessageParts = { method: request.method, url: new URL(request.url), headers };
  const built = signatureBase(parts, components, params);
  if ('missing' in built) throw new TypeError(`the request has no ${built.missing} to cover`);
  const signature = await options.signer(new TextEncoder().encode(built.base));
  const label = options.label ?? 'sig1';
  headers.set('signature-input', `${label}=${params}`);
  headers.set('signature', serializeDictionary(new Map([[label, [signature, new Map()]]])));
  return new Request(request.url, {
    method: request.method,
    headers,
    ...(body !== undefined ? { body, duplex: 'half' } : {}),
    redirect: request.redirect,
    signal: request.signal,
  } as RequestInit);
}

/** A fetch that signs every request: the one-line change for an agent. */
export function createSigningFetch(options: SignRequestOptions & { fetch?: typeof fetch }): typeof fetch {
  const inner = options.fetch ?? globalThis.fetch;
  return async (input, init) => inner(await signRequest(new Request(input, init), options));
}
