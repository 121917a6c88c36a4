// SPDX-License-Identifier: Apache-2.0
// A signed request from an agent to the site's exchange or prove endpoint: the RFC 9421 signature
// by a did:key (the request verifier of @agent-passport/http-signatures), its body held to the
// signed Content-Digest, and its nonce consumed once (replay store, shared by the instances).
import type { DidKey, ErrorCode } from '@agent-passport/core';
import { decodeMultikey, dereferenceDidKey } from '@agent-passport/did-key';
import { verifyRequestSignature } from '@agent-passport/http-signatures';
import type { SiteConfig } from './options.js';

export type SignedRequest =
  | { readonly ok: true; readonly agent: DidKey; readonly body: Uint8Array }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

const MAX_BODY = 256 * 1024;

export async function checkSignedRequest(
  request: Request,
  config: SiteConfig,
  now: Date,
): Promise<SignedRequest> {
  const maxAge = 300;
  let body = new Uint8Array();
  const r = await verifyRequestSignature(request, {
    now,
    maxAgeSeconds: maxAge,
    maxSkewSeconds: config.skew,
    maxBodyBytes: MAX_BODY,
    resolveKey: (keyId) => {
      try {
        return decodeMultikey(dereferenceDidKey(keyId).publicKeyMultibase);
      } catch {
        return undefined;
      }
    },
  });
  if (!r.ok) return r;
  const first = await config.store.checkAndSet(`login-request:${r.keyId}:${r.nonce}`, {
    created: r.created,
    until: r.created + maxAge + config.skew,
  });
  if (!first) return { ok: false, code: 'ERR_REPLAY', message: 'this request nonce was used before' };
  if (request.body !== null) body = new Uint8Array(await request.arrayBuffer());
  return { ok: true, agent: r.keyId.slice(0, r.keyId.indexOf('#')) as DidKey, body };
}
