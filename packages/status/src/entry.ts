// SPDX-License-Identifier: Apache-2.0
// One status entry (Bitstring Status List v1.0 §3.2 validate algorithm): its list (verified, fresh,
// of its purpose) and the value it holds there.
import { type DidDocument, isObject, type JsonObject as Json, PassportError } from '@agent-passport/core';
import { MIN_LIST_ENTRIES } from './bitstring.js';
import type { StatusResult } from './checker.js';
import { assertFresh, fail, type ListAgePolicy, type ListProofPolicy } from './list-verify.js';
import { type HeldLists, listFor } from './list-versions.js';
import { checkStatusEntryOptions, readStatus, statusMessageOf, statusSizeOf } from './message.js';
import { LIST_PURPOSES, type ListPurpose } from './purposes.js';

/** What a reader holds: the lists, how they are verified and judged, and the audit option. */
export interface ReaderSetup {
  readonly held: HeldLists;
  readonly proof: ListProofPolicy;
  readonly age: ListAgePolicy;
  /** Read on every call (audits: a later list may prove a clear bit). */
  readonly laterListsProveClear: () => boolean;
}

/** Read one entry of a credential issued by `issuerId` (whose document is `doc`) at `now`. */
export async function readEntry(
  entry: unknown,
  issuerId: string,
  doc: DidDocument,
  now: Date,
  setup: ReaderSetup,
): Promise<StatusResult> {
  const { fields, purpose, size, rawIndex, url } = entryFields(entry);
  const { skewMs } = setup.age;
  const list = await listFor(setup.held, url, issuerId, doc, now.getTime(), skewMs, setup.proof);
  const later = setup.laterListsProveClear() && list.issuedAt > now.getTime() + skewMs;
  if (!later) assertFresh(list, now.getTime(), setup.age);
  if (!list.purposes.includes(purpose))
    throw fail('ERR_STATUS_LIST_INVALID', `${url} is not a ${purpose} list`);
  // §3.2 step 10: a list holds at least 131,072 entries of statusSize bits (herd privacy).
  const entries = Math.floor((list.bits.length * 8) / size);
  if (entries < MIN_LIST_ENTRIES)
    throw fail(
      'ERR_STATUS_LIST_INVALID',
      `${url} holds ${entries} entries of ${size} bits, under ${MIN_LIST_ENTRIES}`,
    );
  const index = Number(rawIndex);
  if (index >= entries)
    throw new PassportError('ERR_STATUS_INDEX_RANGE', `index ${index} is beyond ${entries} entries`);
  const status = readStatus(list.bits, index, size);
  if (later && status !== 0)
    throw new PassportError(
      'ERR_STATUS_UNAVAILABLE',
      `${url} was issued after this time and shows index ${index} set: when it was set cannot be told`,
    );
  const message = statusMessageOf(fields, status);
  return {
    purpose,
    statusListCredential: url,
    statusListIndex: rawIndex,
    status,
    ...(message === undefined ? {} : { message }),
  };
}

/** The entry's own fields, checked before any list is looked at. */
function entryFields(entry: unknown): {
  fields: Json;
  purpose: ListPurpose;
  size: number;
  rawIndex: string;
  url: string;
} {
  if (!isObject(entry) || entry['type'] !== 'BitstringStatusListEntry')
    throw fail('ERR_STATUS_LIST_INVALID', 'a status entry must be a BitstringStatusListEntry');
  const purpose = entry['statusPurpose'];
  if (typeof purpose !== 'string' || !(LIST_PURPOSES as readonly string[]).includes(purpose))
    throw fail('ERR_STATUS_LIST_INVALID', `status purpose ${JSON.stringify(purpose)} is not supported here`);
  checkStatusEntryOptions(entry);
  const size = statusSizeOf(entry);
  if (purpose !== 'message' && size !== 1)
    throw fail('ERR_STATUS_LIST_INVALID', 'only statusSize 1 is supported for revocation and suspension');
  const rawIndex = entry['statusListIndex'];
  if (typeof rawIndex !== 'string' || !/^(0|[1-9][0-9]{0,9})$/.test(rawIndex))
    throw fail('ERR_STATUS_LIST_INVALID', 'statusListIndex must be a decimal string');
  const url = entry['statusListCredential'];
  if (typeof url !== 'string') throw fail('ERR_STATUS_LIST_INVALID', 'statusListCredential must be a URL');
  return { fields: entry, purpose: purpose as ListPurpose, size, rawIndex, url };
}
