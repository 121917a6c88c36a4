// SPDX-License-Identifier: Apache-2.0
// BitstringStatusListCredential (Bitstring Status List v1.0 §2.2): the signed document that carries
// one list, issued by the same DID as the passports it covers.
import { createDocumentLoader, VC_V2_CONTEXT } from '@agent-passport/contexts';
import { type DocumentLoader, formatDateTime, type Signer } from '@agent-passport/core';
import { type CryptosuiteName, signCredential } from '@agent-passport/suites';
import { encodeList, MIN_LIST_ENTRIES } from './bitstring.js';
import { statusSizeOf } from './message.js';
import { LIST_PURPOSES, type ListPurpose } from './purposes.js';

export interface BitstringStatusListCredential {
  readonly '@context': readonly string[];
  readonly id: string;
  readonly type: readonly ['VerifiableCredential', 'BitstringStatusListCredential'];
  readonly issuer: string;
  readonly validFrom: string;
  readonly validUntil: string;
  readonly credentialSubject: {
    readonly id: string;
    readonly type: 'BitstringStatusList';
    readonly statusPurpose: ListPurpose;
    readonly encodedList: string;
  };
  readonly proof: Readonly<Record<string, unknown>>;
}

export interface IssueStatusListOptions {
  /** Where the list credential is published (its `id`, the entries' `statusListCredential`). */
  readonly id: string;
  readonly issuer: { readonly id: string; readonly signer: Signer };
  readonly statusPurpose: ListPurpose;
  readonly bits: Uint8Array;
  /** Bits per entry (a `message` list's statusSize, default 1): the list holds at least 131,072 entries. */
  readonly statusSize?: number;
  /** The clock, read once: `validFrom` and the proof's `created`. */
  readonly now?: Date;
  /** How long the list may be relied on (`validUntil`), default 24 h: republish before then. */
  readonly validForMs?: number;
  readonly cryptosuite?: CryptosuiteName;
  readonly documentLoader?: DocumentLoader;
}

export const DEFAULT_LIST_VALIDITY_MS = 24 * 3600 * 1000;
const defaultLoader = createDocumentLoader();

/** Sign the current state of one list. */
export async function issueStatusListCredential(
  options: IssueStatusListOptions,
): Promise<BitstringStatusListCredential> {
  if (!/^https:\/\/[^\s#]+$/.test(options.id)) throw new TypeError('a status list id is an https URL');
  if (!(LIST_PURPOSES as readonly string[]).includes(options.statusPurpose))
    throw new TypeError(`statusPurpose is one of ${LIST_PURPOSES.join(', ')}`);
  const size = statusSizeOf({ statusSize: options.statusSize });
  if ((options.bits.length * 8) / size < MIN_LIST_ENTRIES)
    throw new RangeError(`a list of ${size}-bit entries holds at least ${MIN_LIST_ENTRIES} of them`);
  const validFor = options.validForMs ?? DEFAULT_LIST_VALIDITY_MS;
  if (!Number.isInteger(validFor) || validFor < 60_000)
    throw new RangeError('validForMs must be at least one minute');
  const now = options.now ?? new Date();
  const credential = {
    '@context': [VC_V2_CONTEXT],
    id: options.id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: options.issuer.id,
    validFrom: formatDateTime(now),
    validUntil: formatDateTime(new Date(now.getTime() + validFor)),
    credentialSubject: {
      id: `${options.id}#list`,
      type: 'BitstringStatusList',
      statusPurpose: options.statusPurpose,
      encodedList: encodeList(options.bits),
    },
  };
  const signed = await signCredential(credential, {
    signer: options.issuer.signer,
    created: now,
    documentLoader: options.documentLoader ?? defaultLoader,
    ...(options.cryptosuite === undefined ? {} : { cryptosuite: options.cryptosuite }),
  });
  return signed as unknown as BitstringStatusListCredential;
}
