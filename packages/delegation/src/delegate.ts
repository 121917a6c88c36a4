// SPDX-License-Identifier: Apache-2.0
// Making an AgentDelegation: the holder of a passport (or of a delegation) signs a narrower part of
// it over to a sub-agent. Everything the chain verifier would refuse is refused here, with its code.
import {
  AGENT_DELEGATION_V1_CONTEXT,
  AGENT_PASSPORT_V1_CONTEXT,
  createDocumentLoader,
  VC_V2_CONTEXT,
} from '@agent-passport/contexts';
import {
  type AgentPassport,
  type DocumentLoader,
  formatDateTime,
  PassportError,
  randomUUID,
  type Signer,
  type StatusListEntry,
} from '@agent-passport/core';
import { isDidKey } from '@agent-passport/did-key';
import { type CryptosuiteName, signCredential } from '@agent-passport/suites';
import {
  assertAudienceNamed,
  assertDepth,
  assertMaxCalls,
  assertScopesNarrowed,
  assertWindowInside,
  delegationView,
  type ParentView,
  passportView,
} from './rules.js';
import { assertDelegationShape } from './shape.js';
import type { AgentDelegation } from './types.js';

export interface DelegateOptions {
  /** The credential the delegating agent holds: its passport, or a delegation made to it. */
  readonly parent: AgentPassport | AgentDelegation;
  /** The delegating agent's key: a verification method of the parent's subject did:key. */
  readonly signer: Signer;
  /** The sub-agent's did:key. */
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly validUntil: Date | string;
  /** Defaults to `now`. */
  readonly validFrom?: Date | string;
  /** Services that may accept the delegation; required when `maxDepth` > 0. */
  readonly audience?: readonly string[];
  /** How many more links may follow (default 0: the sub-agent may not delegate further). */
  readonly maxDepth?: number;
  readonly maxCalls?: number;
  readonly purpose?: string;
  readonly credentialStatus?: StatusListEntry | readonly StatusListEntry[];
  readonly id?: string;
  readonly cryptosuite?: CryptosuiteName;
  /** The clock, read once: proof `created` and the default `validFrom`. */
  readonly now?: Date;
  readonly documentLoader?: DocumentLoader;
}

const defaultLoader = createDocumentLoader();

function toDateTime(value: Date | string, name: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new PassportError('ERR_DATE_INVALID', `${name} is not a date`);
    return formatDateTime(value);
  }
  return value;
}

function isDelegation(parent: AgentPassport | AgentDelegation): parent is AgentDelegation {
  return Array.isArray(parent.type) && parent.type.includes('AgentDelegation');
}

/** Sign a delegation to `subject`; throws PassportError with the chain verifier's code. */
export async function delegate(options: DelegateOptions): Promise<AgentDelegation> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  if (typeof options.signer?.sign !== 'function') throw new TypeError('options.signer is required');
  if (!isDidKey(options.subject))
    throw new PassportError('ERR_DID_INVALID', 'subject must be the sub-agent did:key');
  const parent: ParentView = isDelegation(options.parent)
    ? delegationView(options.parent)
    : passportView(options.parent);
  if (!options.signer.id.startsWith(`${parent.subject}#`))
    throw new PassportError(
      'ERR_DELEGATION_SIGNER',
      `only the parent's subject ${parent.subject} can delegate it; the signer is ${options.signer.id}`,
    );
  const now = options.now ?? new Date();
  const subject: Record<string, unknown> = {
    id: options.subject,
    parentCredential: { id: parent.id, digestMultibase: parent.digestMultibase },
    scopes: [...options.scopes],
    maxDepth: options.maxDepth ?? 0,
  };
  if (options.audience !== undefined) subject['audience'] = [...options.audience];
  if (options.maxCalls !== undefined) subject['maxCalls'] = options.maxCalls;
  if (options.purpose !== undefined) subject['purpose'] = options.purpose;
  const credential: Record<string, unknown> = {
    '@context': [VC_V2_CONTEXT, AGENT_PASSPORT_V1_CONTEXT, AGENT_DELEGATION_V1_CONTEXT],
    id: options.id ?? `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'AgentDelegation'],
    issuer: parent.subject,
    validFrom: toDateTime(options.validFrom ?? now, 'validFrom'),
    validUntil: toDateTime(options.validUntil, 'validUntil'),
    credentialSubject: subject,
  };
  if (options.credentialStatus !== undefined)
    credential['credentialStatus'] = structuredClone(options.credentialStatus);

  assertDelegationShape(credential);
  assertScopesNarrowed(parent, credential);
  assertWindowInside(parent, credential);
  assertDepth(parent, credential);
  assertAudienceNamed(credential);
  assertMaxCalls(parent, credential);
  const signed = await signCredential(credential, {
    signer: options.signer,
    created: now,
    documentLoader: options.documentLoader ?? defaultLoader,
    ...(options.cryptosuite === undefined ? {} : { cryptosuite: options.cryptosuite }),
  });
  return signed as unknown as AgentDelegation;
}
