// SPDX-License-Identifier: Apache-2.0
// The did:key method (W3C CCG did:key v0.7): `did:key:` + a Multikey; resolution is offline and
// deterministic (§3.1.3 "Read"), so documents are memoised.
import {
  createBoundedCache,
  type DidDocument,
  type DidKey,
  deepFreeze,
  type KeyType,
  type MultikeyVerificationMethod,
  PassportError,
} from '@agent-passport/core';
import type { DIDResolutionResult, DIDResolver } from 'did-resolver';
import { type DecodedKey, decodeMultikey, encodeMultikey } from './multikey.js';

const DID_KEY = /^did:key:z[1-9A-HJ-NP-Za-km-z]+$/;

/** Syntax only: `did:key:z` followed by base58btc characters. */
export function isDidKey(value: unknown): value is DidKey {
  return typeof value === 'string' && value.length <= 256 && DID_KEY.test(value);
}

export function encodeDidKey(publicKey: Uint8Array, type: KeyType): DidKey {
  return `did:key:${encodeMultikey(publicKey, type)}` as DidKey;
}

export interface DecodedDidKey {
  readonly did: DidKey;
  readonly type: KeyType;
  readonly publicKey: Uint8Array;
  readonly multibase: string;
}

/** Decode a did:key (a DID, not a DID URL) and validate its key. */
export function decodeDidKey(did: string): DecodedDidKey {
  if (typeof did !== 'string') throw new TypeError('did must be a string');
  if (!did.startsWith('did:')) throw new PassportError('ERR_DID_INVALID', 'not a DID');
  if (!did.startsWith('did:key:')) throw new PassportError('ERR_DID_METHOD_UNSUPPORTED', 'not a did:key');
  const multibase = did.slice('did:key:'.length);
  if (multibase.length === 0 || multibase.length > 248 || /[^A-Za-z0-9]/.test(multibase)) {
    throw new PassportError('ERR_DID_INVALID', 'the did:key method-specific id is malformed');
  }
  const { type, publicKey } = decodeMultikey(multibase);
  return { did: did as DidKey, type, publicKey, multibase };
}

const MAX_CACHE = 1024;
const cache = createBoundedCache<string, DidDocument>(MAX_CACHE);

/** Resolve a did:key to its DID document, offline; memoised (bounded) and frozen. */
export function resolveDidKey(did: string): DidDocument {
  const hit = cache.get(did);
  if (hit !== undefined) return hit;
  const { multibase } = decodeDidKey(did);
  const id = `${did}#${multibase}`;
  const doc: DidDocument = deepFreeze({
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [{ id, type: 'Multikey', controller: did, publicKeyMultibase: multibase }],
    authentication: [id],
    assertionMethod: [id],
    capabilityInvocation: [id],
    capabilityDelegation: [id],
  });
  cache.set(did, doc);
  return doc;
}

/** Dereference `did:key:z…#z…` to its verification method. */
export function dereferenceDidKey(didUrl: string): MultikeyVerificationMethod {
  if (typeof didUrl !== 'string') throw new TypeError('didUrl must be a string');
  const hash = didUrl.indexOf('#');
  const did = hash === -1 ? didUrl : didUrl.slice(0, hash);
  const doc = resolveDidKey(did);
  const method = doc.verificationMethod?.[0];
  if (hash === -1 || method === undefined || method.id !== didUrl) {
    throw new PassportError(
      'ERR_VERIFICATION_METHOD_NOT_FOUND',
      `${didUrl} is not a verification method of ${did}`,
    );
  }
  return method;
}

/** did-resolver error names (DID Resolution §7.1) for our codes. */
function resolutionError(code: string): string {
  if (code === 'ERR_DID_INVALID' || code === 'ERR_DID_METHOD_UNSUPPORTED') return 'invalidDid';
  if (code === 'ERR_VERIFICATION_METHOD_NOT_FOUND') return 'notFound';
  return 'invalidPublicKey';
}

/** A `did-resolver` driver for did:key: failures come back as resolution metadata, never thrown. */
export function getResolver(): Record<string, DIDResolver> {
  const key: DIDResolver = async (did): Promise<DIDResolutionResult> => {
    try {
      return {
        didResolutionMetadata: { contentType: 'application/did+json' },
        didDocument: resolveDidKey(did) as unknown as DIDResolutionResult['didDocument'],
        didDocumentMetadata: {},
      };
    } catch (e) {
      const code = e instanceof PassportError ? e.code : 'ERR_DID_INVALID';
      return {
        didResolutionMetadata: { error: resolutionError(code), code, message: (e as Error).message },
        didDocument: null,
        didDocumentMetadata: {},
      };
    }
  };
  return { key };
}

/** The key of a did:key, or undefined for any other DID (or a malformed one). */
export function didKeyPublicKey(did: string): DecodedKey | undefined {
  try {
    const { type, publicKey } = decodeDidKey(did);
    return { type, publicKey };
  } catch {
    return undefined;
  }
}

/** The key of a did:key verification method (`did:key:z…#z…`), or undefined for any other URL. */
export function didKeyMethodKey(didUrl: string): DecodedKey | undefined {
  try {
    return decodeMultikey(dereferenceDidKey(didUrl).publicKeyMultibase);
  } catch {
    return undefined;
  }
}
