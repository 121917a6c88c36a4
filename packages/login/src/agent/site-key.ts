// SPDX-License-Identifier: Apache-2.0
// Whom the agent expects to answer: the site's DID and its document, given or taken from a
// verified trust bundle, never from the site's own answer. A response key must be one of that
// document's `authentication` methods, valid (key history) when the response was signed.
import { type DidDocument, type KeyType, PassportError } from '@agent-passport/core';
import { decodeMultikey } from '@agent-passport/did-key';
import { assertKeyValidAt, urlToDidWeb, validateDidDocument } from '@agent-passport/did-web';
import type { TrustBundle } from '@agent-passport/trust-bundle';

export interface SiteTrust {
  /** The site's DID document (its did:web, as the agent's operator pinned it). */
  readonly siteDocument?: DidDocument;
  /** Or a verified trust bundle holding it. */
  readonly bundle?: Pick<TrustBundle, 'issuers'>;
  /** The DID expected (default: the document's id, or the did:web of the https origin). */
  readonly site?: string;
}

export type KeyResolver = (
  keyId: string,
  created: number,
) => { type: KeyType; publicKey: Uint8Array } | undefined;

/** The expected site DID and a key resolver over its document. Throws ERR_DID_NOT_FOUND. */
export function siteKeys(trust: SiteTrust, origin: string): { did: string; resolveKey: KeyResolver } {
  const did =
    trust.site ??
    trust.siteDocument?.id ??
    (origin.startsWith('https:') ? urlToDidWeb(new URL(origin)) : undefined);
  if (did === undefined)
    throw new TypeError('give siteDocument, or site with a bundle (an http origin has no did:web)');
  const found = trust.siteDocument ?? trust.bundle?.issuers.find((i) => i.id === did)?.didDocument;
  if (found === undefined) throw new PassportError('ERR_DID_NOT_FOUND', `no document for ${did}`);
  const doc = validateDidDocument(did, found);
  const auth = new Set((doc.authentication ?? []).map((a) => (typeof a === 'string' ? a : a.id)));
  const resolveKey: KeyResolver = (keyId, created) => {
    const method = doc.verificationMethod?.find((m) => m.id === keyId);
    if (method === undefined || !auth.has(keyId)) return undefined;
    try {
      assertKeyValidAt(method, new Date(created * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      return decodeMultikey(method.publicKeyMultibase);
    } catch {
      return undefined;
    }
  };
  return { did, resolveKey };
}
