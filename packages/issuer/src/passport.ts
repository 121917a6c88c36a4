// SPDX-License-Identifier: Apache-2.0
// Issuing an AgentPassport (VCDM 2.0 §4, secured per VC Data Integrity 1.0). Issuers throw:
// anything that would not verify is refused here, with the code the verifier would give.
import { randomUUID } from 'node:crypto';
import { AGENT_PASSPORT_V1_CONTEXT, createDocumentLoader, VC_V2_CONTEXT } from '@agent-passport/contexts';
import {
  type AgentPassport,
  type DelegationClaim,
  type DidDocument,
  type DidKey,
  type DocumentLoader,
  PassportError,
  type Signer,
  type StatusListEntry,
} from '@agent-passport/core';
import { isDidKey, resolveDidKey } from '@agent-passport/did-key';
import { assertKeyValidAt } from '@agent-passport/did-web';
import { assertPassportValid } from '@agent-passport/schema';
import { type CryptosuiteName, signCredential } from '@agent-passport/suites';
import { toDateTime } from './internal/dates.js';

/** Who issues: the organisation's DID, its signer and (for did:web) its DID document. */
export interface PassportIssuer {
  readonly id: string;
  readonly signer: Signer;
  /** Required for did:web issuers; did:key issuers are resolved offline. */
  readonly didDocument?: DidDocument;
}

export interface IssuePassportOptions {
  readonly issuer: PassportIssuer;
  /** The agent's own did:key: the holder who will prove possession. */
  readonly subject: string;
  readonly agentName: string;
  readonly purpose: string;
  readonly scopes: readonly string[];
  readonly validUntil: Date | string;
  /** Defaults to `now`. */
  readonly validFrom?: Date | string;
  readonly maxCalls?: number;
  readonly audience?: readonly string[];
  readonly delegation?: DelegationClaim;
  readonly constraints?: Readonly<Record<string, unknown>>;
  readonly id?: string;
  readonly credentialSchema?: { readonly id: string; readonly type: 'JsonSchema' };
  readonly credentialStatus?: StatusListEntry | readonly StatusListEntry[];
  readonly cryptosuite?: CryptosuiteName;
  /** The clock, read once: proof `created` and the default `validFrom`. */
  readonly now?: Date;
  readonly documentLoader?: DocumentLoader;
}

const defaultLoader = createDocumentLoader();

/** The issuer's DID document: given, or resolved offline for did:key. */
function issuerDocument(issuer: PassportIssuer): DidDocument {
  if (issuer.didDocument !== undefined) {
    if (issuer.didDocument.id !== issuer.id) {
      throw new PassportError('ERR_DID_ID_MISMATCH', 'issuer.didDocument.id is not issuer.id');
    }
    return issuer.didDocument;
  }
  if (isDidKey(issuer.id)) return resolveDidKey(issuer.id);
  throw new PassportError(
    'ERR_DID_NOT_FOUND',
    `give the DID document of ${issuer.id} (only did:key resolves offline)`,
  );
}

/** Refuse a signer whose key is not listed under the issuer's assertionMethod (DID Core §5.3.2). */
export function assertAssertionMethod(document: DidDocument, verificationMethod: string): void {
  const listed = (document.assertionMethod ?? []).some((r) =>
    typeof r === 'string' ? r === verificationMethod : r.id === verificationMethod,
  );
  if (!listed) {
    throw new PassportError(
      'ERR_ISSUER_KEY',
      `${verificationMethod} is not an assertionMethod of ${document.id}`,
    );
  }
}

/** Issue a passport to an agent. Throws PassportError with the verifier's code for anything invalid. */
export async function issuePassport(options: IssuePassportOptions): Promise<AgentPassport> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const { issuer } = options;
  if (issuer === null || typeof issuer !== 'object' || typeof issuer.id !== 'string') {
    throw new TypeError('issuer must be { id, signer }');
  }
  if (issuer.signer === null || typeof issuer.signer?.sign !== 'function')
    throw new TypeError('issuer.signer is required');
  if (!isDidKey(options.subject))
    throw new PassportError('ERR_DID_INVALID', 'subject must be the agent did:key');
  const now = options.now ?? new Date();
  const validFrom = toDateTime(options.validFrom ?? now, 'validFrom');
  const validUntil = toDateTime(options.validUntil, 'validUntil');
  if (Date.parse(validUntil) <= Date.parse(validFrom)) {
    throw new PassportError('ERR_VALIDITY_WINDOW', 'validUntil must be after validFrom');
  }
  const document = issuerDocument(issuer);
  assertAssertionMethod(document, issuer.signer.id);
  // Key history: a retired or compromised key signs nothing new.
  const method = (document.verificationMethod ?? []).find((m) => m.id === issuer.signer.id);
  if (method !== undefined) assertKeyValidAt(method, toDateTime(now, 'now'));

  const subject: Record<string, unknown> = {
    id: options.subject as DidKey,
    agentName: options.agentName,
    purpose: options.purpose,
    scopes: [...options.scopes],
  };
  if (options.maxCalls !== undefined) subject['maxCalls'] = options.maxCalls;
  if (options.audience !== undefined) subject['audience'] = [...options.audience];
  if (options.delegation !== undefined) subject['delegation'] = { ...options.delegation };
  if (options.constraints !== undefined) subject['constraints'] = structuredClone(options.constraints);

  const credential: Record<string, unknown> = {
    '@context': [VC_V2_CONTEXT, AGENT_PASSPORT_V1_CONTEXT],
    id: options.id ?? `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'AgentPassport'],
    issuer: issuer.id,
    validFrom,
    validUntil,
    credentialSubject: subject,
  };
  if (options.credentialSchema !== undefined)
    credential['credentialSchema'] = { ...options.credentialSchema };
  if (options.credentialStatus !== undefined)
    credential['credentialStatus'] = structuredClone(options.credentialStatus);

  assertValid(credential);
  const signed = await signCredential(credential, {
    signer: issuer.signer,
    created: now,
    documentLoader: options.documentLoader ?? defaultLoader,
    ...(options.cryptosuite === undefined ? {} : { cryptosuite: options.cryptosuite }),
  });
  return signed as unknown as AgentPassport;
}

/** The schema and VCDM 2.0 rules the verifier will apply, applied before signing. */
function assertValid(credential: Record<string, unknown>): void {
  assertPassportValid(credential, { scopeCode: 'ERR_SCOPE_INVALID' });
}
