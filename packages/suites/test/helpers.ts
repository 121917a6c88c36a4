// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DidDocument, DocumentLoader } from '@agent-passport/core';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';

export const VECTORS = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'vectors');

export function vector<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(join(VECTORS, path), 'utf8')) as T;
}

/**
 * The VCDM 2.0 examples context (https://www.w3.org/ns/credentials/examples/v2) is one @vocab; the
 * vectors' RDFC canonical forms show its IRIs (https://www.w3.org/ns/credentials/examples#…).
 */
const EXAMPLES_V2 = { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } };

/** A closed-world loader for the W3C examples: VCDM 2.0 and its examples context only. */
export const testLoader: DocumentLoader = async (url) => {
  const document =
    credentialsContexts.get(url) ??
    (url === 'https://www.w3.org/ns/credentials/examples/v2' ? EXAMPLES_V2 : undefined);
  if (document === undefined) throw new Error(`test loader: unknown ${url}`);
  return { contextUrl: null, documentUrl: url, document };
};

/** The did:key document of a Multikey, built by hand (the proof layer needs only its shape). */
export function didKeyDocument(publicKeyMultibase: string): DidDocument {
  const did = `did:key:${publicKeyMultibase}`;
  const id = `${did}#${publicKeyMultibase}`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [{ id, type: 'Multikey', controller: did, publicKeyMultibase }],
    assertionMethod: [id],
    authentication: [id],
  };
}
