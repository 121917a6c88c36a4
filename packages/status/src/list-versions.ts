// SPDX-License-Identifier: Apache-2.0
// The lists held by a reader: several versions of one list may be held (an auditor's history), and
// each call uses the newest version issued by its time, verified once per issuer document.
import {
  type DidDocument,
  isObject,
  type JsonObject as Json,
  PassportError,
  parseDateTime,
} from '@agent-passport/core';
import { parseJson } from '@agent-passport/strict-json';
import { fail, type ListProofPolicy, type VerifiedList, verifyList } from './list-verify.js';

/** Every version of every list held, oldest first, and the verified versions per issuer document. */
export interface HeldLists {
  readonly versions: ReadonlyMap<string, readonly Json[]>;
  readonly verified: WeakMap<DidDocument, Map<string, Promise<VerifiedList>>>;
}

/** Parse and group the given lists by id (copies, oldest validFrom first); two equal validFrom refuse. */
export function holdLists(raws: readonly unknown[]): HeldLists {
  const lists = new Map<string, Json[]>();
  for (const raw of raws) {
    const list = typeof raw === 'string' ? parseJson(raw, { maxBytes: 8 * 1024 * 1024 }) : raw;
    if (!isObject(list) || typeof list['id'] !== 'string')
      throw fail('ERR_STATUS_LIST_INVALID', 'a status list credential is an object with an id');
    const versions = lists.get(list['id']) ?? [];
    if (versions.some((v) => v['validFrom'] === list['validFrom']))
      throw fail('ERR_STATUS_LIST_INVALID', `two versions of ${list['id']} have the same validFrom`);
    versions.push(structuredClone(list));
    lists.set(list['id'], versions);
  }
  for (const versions of lists.values())
    versions.sort((a, b) => (parseDateTime(a['validFrom']) ?? 0) - (parseDateTime(b['validFrom']) ?? 0));
  return { versions: lists, verified: new WeakMap() };
}

/** The verified version of `url` to use at `nowMs`; none held: ERR_STATUS_UNAVAILABLE (fail closed). */
export function listFor(
  held: HeldLists,
  url: string,
  issuerId: string,
  doc: DidDocument,
  nowMs: number,
  skewMs: number,
  policy: ListProofPolicy,
): Promise<VerifiedList> {
  const versions = held.versions.get(url);
  if (versions === undefined)
    return Promise.reject(
      new PassportError('ERR_STATUS_UNAVAILABLE', `no status list ${url} is held here (fail closed)`),
    );
  // The newest version issued by now (else the oldest, which assertFresh refuses as future).
  const usable = versions.filter((v) => (parseDateTime(v['validFrom']) ?? 0) <= nowMs + skewMs);
  const list = usable.at(-1) ?? (versions[0] as Json);
  return verifiedVersion(held, list, issuerId, doc, policy);
}

/** Verify one version once per issuer document (the promise is kept, failures included). */
function verifiedVersion(
  held: HeldLists,
  list: Json,
  issuerId: string,
  doc: DidDocument,
  policy: ListProofPolicy,
): Promise<VerifiedList> {
  const url = list['id'] as string;
  let perDoc = held.verified.get(doc);
  if (perDoc === undefined) {
    perDoc = new Map();
    held.verified.set(doc, perDoc);
  }
  const key = `${issuerId} ${url} ${String(list['validFrom'])}`;
  let entry = perDoc.get(key);
  if (entry === undefined) {
    entry = verifyList(list, issuerId, doc, policy);
    perDoc.set(key, entry);
  }
  return entry;
}
