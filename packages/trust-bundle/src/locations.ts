// SPDX-License-Identifier: Apache-2.0
// Where an issuer publishes what a bundle collects: next to its did:web DID document.
//   did:web:acme.example              → https://acme.example/.well-known/{did.json, agent-passport-*.json}
//   did:web:example.com:orgs:acme     → https://example.com/orgs/acme/{did.json, agent-passport-*.json}
import { didWebToUrl } from '@agent-passport/did-web/document';

export const STATUS_INDEX_FILE = 'agent-passport-status.json';
export const SCHEMA_FILE = 'agent-passport-schema.json';

/** The URL of a file an issuer publishes beside its DID document. */
export function issuerFileUrl(did: string, file: string): URL {
  return new URL(file, didWebToUrl(did));
}

/** The status index: which status list credentials an issuer publishes. */
export interface StatusIndex {
  readonly issuer: string;
  readonly statusLists: readonly string[];
}
