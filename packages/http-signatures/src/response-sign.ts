// SPDX-License-Identifier: Apache-2.0
// The service side of mutual authentication: sign a response (RFC 9421 §2.4, §3.1) bound to the
// signed request it answers, with the service's own key (a did:web verification method).
import { randomBytes, toBase64url } from '@agent-passport/core';
import type { Parameters } from 'structured-headers';
import { serializeDictionary, serializeInnerList } from 'structured-headers';
import { contentDigest } from './digest.js';
import {
  componentItem,
  defaultResponseComponents,
  RESPONSE_TAG,
  requestLabel,
  responseSignatureBase,
} from './response-base.js';
import type { RawSigner } from './sign.js';

export interface SignResponseOptions {
  /** The service's verification method, e.g. `did:web:example.com#key-1`. */
  readonly keyId: string;
  /** Raw Ed25519 signing. */
  readonly signer: RawSigner;
  /** Seconds since the epoch (default: now). */
  readonly created?: number;
  /** Lifetime in seconds (default 60). */
  readonly expiresIn?: number;
  /** Default: 16 random bytes, base64url. */
  readonly nonce?: string;
  /** Default 'sig1'. */
  readonly label?: string;
}

/**
 * Sign `response` as the answer to `request` (which must carry one RFC 9421 signature): adds
 * Content-Digest, Signature-Input and Signature covering @status, the digest and the request's
 * method, target, Signature-Input and Signature members (`;req`). Returns a new Response.
 */
export async function signResponse(
  response: Response,
  request: Request,
  options: SignResponseOptions,
): Promise<Response> {
  if (!(response instanceof Response) || !(request instanceof Request))
    throw new TypeError('a Response and the Request it answers are required');
  if (typeof options?.keyId !== 'string' || typeof options.signer !== 'function')
    throw new TypeError('keyId and signer are required');
  const reqLabel = requestLabel(request.headers);
  if (reqLabel === undefined)
    throw new TypeError('the request carries no single RFC 9421 signature to bind to');
  const body = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.set('content-digest', contentDigest(body));
  const components = defaultResponseComponents(reqLabel);
  const created = options.created ?? Math.floor(Date.now() / 1000);
  const params: Parameters = new Map<string, string | number>([
    ['created', created],
    ['expires', created + (options.expiresIn ?? 60)],
    ['nonce', options.nonce ?? toBase64url(randomBytes(16))],
    ['keyid', options.keyId],
    ['tag', RESPONSE_TAG],
  ]);
  const paramsValue = serializeInnerList([components.map(componentItem), params]);
  const parts = { method: request.method, url: new URL(request.url), headers: request.headers };
  const built = responseSignatureBase({ status: response.status, headers }, parts, components, paramsValue);
  if ('missing' in built) throw new TypeError(`the exchange has no ${built.missing.name} to cover`);
  const signature = await options.signer(new TextEncoder().encode(built.base));
  const label = options.label ?? 'sig1';
  headers.set('signature-input', `${label}=${paramsValue}`);
  headers.set('signature', serializeDictionary(new Map([[label, [signature, new Map()]]])));
  return new Response(response.status === 204 || response.status === 304 ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
