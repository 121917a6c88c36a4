// SPDX-License-Identifier: Apache-2.0
// A closed-world JSON-LD document loader (docs/architecture.md): known contexts answer from
// the bundle, DIDs from a resolver the caller passes, and every other URL is an error. It never
// fetches.
import { type DocumentLoader, deepFreeze, PassportError, type RemoteDocument } from '@agent-passport/core';
import { CONTEXT_BYTE_DIGESTS, CONTEXT_DOCUMENTS } from './generated.js';

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
/** The VCDM 1.1 context (credentials from issuers that have not moved to 2.0). */
export const VC_V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
export const DID_V1_CONTEXT = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_V1_CONTEXT = 'https://w3id.org/security/multikey/v1';
export const DATA_INTEGRITY_V2_CONTEXT = 'https://w3id.org/security/data-integrity/v2';
export const AGENT_PASSPORT_V1_CONTEXT = 'https://w3id.org/agent-passport/v1';
/** Terms of the AgentDelegation credential (used with the AgentPassport context). */
export const AGENT_DELEGATION_V1_CONTEXT = 'https://w3id.org/agent-passport/delegation/v1';

/** URL → parsed context document (deep-frozen). */
export const CONTEXTS: ReadonlyMap<string, unknown> = new Map(
  CONTEXT_DOCUMENTS.map(([url, doc]) => [url, deepFreeze(doc)]),
);

/** The digest algorithms whose values are known for every bundled context. */
export type ContextDigestAlgorithm = 'sha256' | 'sha384' | 'sha512';

/** URL → base64 SHA-2 digests of the context's published bytes (not of its parsed JSON). */
export const CONTEXT_DIGESTS: ReadonlyMap<string, Readonly<Record<ContextDigestAlgorithm, string>>> = new Map(
  CONTEXT_BYTE_DIGESTS.map(([url, d]) => [url, Object.freeze({ ...d })]),
);

export interface DocumentLoaderOptions {
  /** Resolve `did:` URLs (a DID, or a DID URL with a fragment) to their document. */
  readonly resolveDid?: (didUrl: string) => Promise<unknown> | unknown;
  /** More documents by URL (e.g. a test's example context). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Create a closed-world loader; an unknown URL is ERR_DOCUMENT_NOT_FOUND, never a fetch. */
export function createDocumentLoader(options: DocumentLoaderOptions = {}): DocumentLoader {
  const extra = new Map(Object.entries(options.extra ?? {}));
  return async (url: string): Promise<RemoteDocument> => {
    if (typeof url !== 'string') throw new PassportError('ERR_DOCUMENT_NOT_FOUND', 'the URL is not a string');
    const known = CONTEXTS.get(url) ?? extra.get(url);
    if (known !== undefined) return { contextUrl: null, documentUrl: url, document: known };
    if (url.startsWith('did:') && options.resolveDid !== undefined) {
      const document = await options.resolveDid(url);
      if (document === undefined || document === null)
        throw new PassportError('ERR_DOCUMENT_NOT_FOUND', `${url} did not resolve`);
      return { contextUrl: null, documentUrl: url, document };
    }
    throw new PassportError(
      'ERR_DOCUMENT_NOT_FOUND',
      `${url} is not in the bundled contexts (closed world: nothing is fetched)`,
    );
  };
}
