// SPDX-License-Identifier: Apache-2.0
// Offline status checking (Bitstring Status List v1.0 §3.2 validate algorithm, §6 security): each
// list is verified once per issuer document (shape, issuer, proof, key history, encoding), then
// every call checks freshness, purpose, range and the bit. Every doubt fails closed with a code.
import { createDocumentLoader } from '@agent-passport/contexts';
import {
  type AgentPassport,
  type DidDocument,
  type DocumentLoader,
  isObject,
  type JsonObject as Json,
  PassportError,
  parseDateTime,
  type StatusContext,
} from '@agent-passport/core';
import { checkVcdm2 } from '@agent-passport/schema';
import { parseJson } from '@agent-passport/strict-json';
import { CRYPTOSUITES, type CryptosuiteName, verifyControlledProof } from '@agent-passport/suites';
import { decodeList, MAX_LIST_BYTES, MIN_LIST_ENTRIES } from './bitstring.js';
import { checkStatusEntryOptions, readStatus, statusMessageOf, statusSizeOf } from './message.js';
import { LIST_PURPOSES, type ListPurpose } from './purposes.js';

export interface StatusCheckerOptions {
  /** Signed BitstringStatusListCredentials (objects or JSON text), e.g. from a trust bundle. */
  readonly lists: readonly unknown[];
  /** A list signed longer ago than this is stale (default 86,400 s, one day). */
  readonly maxAgeSeconds?: number;
  /** Tolerated clock skew, 0–600 s (default 60). */
  readonly maxSkewSeconds?: number;
  readonly cryptosuites?: readonly CryptosuiteName[];
  readonly documentLoader?: DocumentLoader;
  /** Largest decoded list accepted (default 16 MiB). */
  readonly maxListBytes?: number;
  /**
   * Audits: when no version of a list was issued by the time checked, use the oldest later one. A
   * clear bit there proves the passport was not revoked then (revocation is permanent; a suspension
   * lifted before that version cannot be seen); a set bit cannot be dated: ERR_STATUS_UNAVAILABLE.
   */
  readonly laterListsProveClear?: boolean;
}

const fail = (code: 'ERR_STATUS_LIST_INVALID' | 'ERR_STATUS_LIST_UNSIGNED' | 'ERR_STATUS_STALE', m: string) =>
  new PassportError(code, m);

/** A list whose shape, issuer, proof and encoding were checked. */
interface VerifiedList {
  readonly id: string;
  readonly purposes: readonly string[];
  readonly bits: Uint8Array;
  readonly issuedAt: number;
  readonly validUntil: number | undefined;
  readonly ttlMs: number | undefined;
}

/** A status checker (a `StatusChecker`, always asynchronous). */
export type AsyncStatusChecker = (
  passport: AgentPassport,
  now: Date,
  context: StatusContext,
) => Promise<void>;

/** What one status entry says (§3.2 result): its purpose, value and, when the entry has one, message. */
export interface StatusResult {
  readonly purpose: ListPurpose;
  readonly statusListCredential: string;
  readonly statusListIndex: string;
  /** The entry's value: 0 or 1 for one bit, up to 2^statusSize − 1. */
  readonly status: number;
  readonly message?: string;
}

/** Reads every entry of a credential (any VC: its issuer and credentialStatus); throws a PassportError when one cannot be read (fail closed). */
export type StatusReader = (
  credential: { readonly issuer?: unknown; readonly credentialStatus?: unknown },
  now: Date,
  context: StatusContext,
) => Promise<StatusResult[]>;

/** Read every status entry of a credential: its purpose, value and message (§3.2 validate algorithm). */
export function createStatusReader(options: StatusCheckerOptions): StatusReader {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.lists))
    throw new TypeError('options.lists must be an array');
  const maxAgeMs = (options.maxAgeSeconds ?? 86_400) * 1000;
  const skewMs = (options.maxSkewSeconds ?? 60) * 1000;
  if (!Number.isFinite(maxAgeMs) || maxAgeMs <= 0) throw new RangeError('maxAgeSeconds must be positive');
  if (!Number.isFinite(skewMs) || skewMs < 0 || skewMs > 600_000)
    throw new RangeError('maxSkewSeconds must be between 0 and 600');
  const suites = options.cryptosuites ?? CRYPTOSUITES;
  const documentLoader = options.documentLoader ?? createDocumentLoader();
  const maxListBytes = options.maxListBytes ?? MAX_LIST_BYTES;

  // Several versions of one list may be held (an auditor's history): each call uses the newest
  // version issued by its time.
  const lists = new Map<string, Json[]>();
  for (const raw of options.lists) {
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

  const verified = new WeakMap<DidDocument, Map<string, Promise<VerifiedList>>>();

  async function verifyList(list: Json, issuerId: string, doc: DidDocument): Promise<VerifiedList> {
    const types = list['type'];
    if (!Array.isArray(types) || !types.includes('BitstringStatusListCredential'))
      throw fail('ERR_STATUS_LIST_INVALID', `${String(list['id'])} is not a BitstringStatusListCredential`);
    const vcdm = checkVcdm2(list);
    if (!vcdm.ok) throw fail('ERR_STATUS_LIST_INVALID', `${vcdm.path}: ${vcdm.message}`);
    const issuer = list['issuer'];
    const listIssuer = typeof issuer === 'string' ? issuer : isObject(issuer) ? issuer['id'] : undefined;
    if (listIssuer !== issuerId)
      throw fail('ERR_STATUS_LIST_UNSIGNED', `the list is issued by ${String(listIssuer)}, not ${issuerId}`);
    const result = await verifyControlledProof({
      document: list,
      controller: issuerId,
      controllerDocument: doc,
      purpose: 'assertionMethod',
      cryptosuites: suites,
      documentLoader,
    });
    // Key history keeps its own codes; any other reason (e.g. ERR_SUITE_KEY_MISMATCH) stays
    // readable in details.proof.
    if (!result.verified) {
      if (result.code === 'ERR_KEY_RETIRED' || result.code === 'ERR_KEY_COMPROMISED')
        throw new PassportError(result.code, result.message);
      throw new PassportError(
        'ERR_STATUS_LIST_UNSIGNED',
        `the status list proof fails: ${result.code} ${result.message}`,
        { details: { proof: result.code } },
      );
    }

    const subject = list['credentialSubject'];
    if (!isObject(subject) || subject['type'] !== 'BitstringStatusList')
      throw fail('ERR_STATUS_LIST_INVALID', 'credentialSubject must be a BitstringStatusList');
    const purpose = subject['statusPurpose'];
    const purposes = typeof purpose === 'string' ? [purpose] : purpose;
    if (!Array.isArray(purposes) || purposes.length === 0 || purposes.some((p) => typeof p !== 'string'))
      throw fail('ERR_STATUS_LIST_INVALID', 'statusPurpose must be a string or a list of strings');
    const bits = decodeList(subject['encodedList'], maxListBytes);
    const validFrom = parseDateTime(list['validFrom']);
    const issuedAt = validFrom ?? result.created;
    if (issuedAt === undefined)
      throw fail('ERR_STATUS_STALE', 'the status list has neither validFrom nor a proof creation time');
    const ttl = subject['ttl'];
    if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl <= 0))
      throw fail('ERR_STATUS_LIST_INVALID', 'ttl must be a positive integer (milliseconds)');
    return Object.freeze({
      id: list['id'] as string,
      purposes: purposes as string[],
      bits,
      issuedAt,
      validUntil: parseDateTime(list['validUntil']),
      ttlMs: ttl as number | undefined,
    });
  }

  function listFor(url: string, issuerId: string, doc: DidDocument, nowMs: number): Promise<VerifiedList> {
    const versions = lists.get(url);
    if (versions === undefined)
      return Promise.reject(
        new PassportError('ERR_STATUS_UNAVAILABLE', `no status list ${url} is held here (fail closed)`),
      );
    // The newest version issued by now (else the oldest, which assertFresh refuses as future).
    const usable = versions.filter((v) => (parseDateTime(v['validFrom']) ?? 0) <= nowMs + skewMs);
    const list = usable.at(-1) ?? (versions[0] as Json);
    return verifiedVersion(list, issuerId, doc);
  }

  function verifiedVersion(list: Json, issuerId: string, doc: DidDocument): Promise<VerifiedList> {
    const url = list['id'] as string;
    let perDoc = verified.get(doc);
    if (perDoc === undefined) {
      perDoc = new Map();
      verified.set(doc, perDoc);
    }
    const key = `${issuerId} ${url} ${String(list['validFrom'])}`;
    let entry = perDoc.get(key);
    if (entry === undefined) {
      entry = verifyList(list, issuerId, doc);
      perDoc.set(key, entry);
    }
    return entry;
  }

  function assertFresh(list: VerifiedList, nowMs: number): void {
    if (list.issuedAt > nowMs + skewMs)
      throw fail('ERR_STATUS_LIST_INVALID', `${list.id} was issued in the future`);
    if (list.validUntil !== undefined && list.validUntil <= nowMs - skewMs)
      throw fail('ERR_STATUS_STALE', `${list.id} expired (validUntil); the issuer must republish it`);
    const age = nowMs - list.issuedAt;
    if (age > maxAgeMs + skewMs)
      throw fail(
        'ERR_STATUS_STALE',
        `${list.id} is ${Math.round(age / 1000)} s old; the policy allows ${maxAgeMs / 1000} s`,
      );
    if (list.ttlMs !== undefined && age > list.ttlMs + skewMs)
      throw fail('ERR_STATUS_STALE', `${list.id} is older than its ttl`);
  }

  /** One entry: its list (verified, fresh, of its purpose) and the value it holds there. */
  async function readEntry(
    entry: unknown,
    issuerId: string,
    doc: DidDocument,
    now: Date,
  ): Promise<StatusResult> {
    if (!isObject(entry) || entry['type'] !== 'BitstringStatusListEntry')
      throw fail('ERR_STATUS_LIST_INVALID', 'a status entry must be a BitstringStatusListEntry');
    const purpose = entry['statusPurpose'];
    if (typeof purpose !== 'string' || !(LIST_PURPOSES as readonly string[]).includes(purpose))
      throw fail(
        'ERR_STATUS_LIST_INVALID',
        `status purpose ${JSON.stringify(purpose)} is not supported here`,
      );
    checkStatusEntryOptions(entry);
    const size = statusSizeOf(entry);
    if (purpose !== 'message' && size !== 1)
      throw fail('ERR_STATUS_LIST_INVALID', 'only statusSize 1 is supported for revocation and suspension');
    const rawIndex = entry['statusListIndex'];
    if (typeof rawIndex !== 'string' || !/^(0|[1-9][0-9]{0,9})$/.test(rawIndex))
      throw fail('ERR_STATUS_LIST_INVALID', 'statusListIndex must be a decimal string');
    const url = entry['statusListCredential'];
    if (typeof url !== 'string') throw fail('ERR_STATUS_LIST_INVALID', 'statusListCredential must be a URL');
    const list = await listFor(url, issuerId, doc, now.getTime());
    const later = options.laterListsProveClear === true && list.issuedAt > now.getTime() + skewMs;
    if (!later) assertFresh(list, now.getTime());
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
    const message = statusMessageOf(entry, status);
    return {
      purpose: purpose as ListPurpose,
      statusListCredential: url,
      statusListIndex: rawIndex,
      status,
      ...(message === undefined ? {} : { message }),
    };
  }

  return async (credential, now, context) => {
    const raw = credential.credentialStatus;
    if (raw === undefined) return [];
    const entries = Array.isArray(raw) ? raw : [raw];
    const issuer = credential.issuer;
    const issuerId = typeof issuer === 'string' ? issuer : isObject(issuer) ? issuer['id'] : undefined;
    if (typeof issuerId !== 'string' || !isObject(context?.issuerDocument))
      throw new PassportError('ERR_STATUS_UNAVAILABLE', 'no issuer document to check status lists against');
    const results: StatusResult[] = [];
    for (const entry of entries) results.push(await readEntry(entry, issuerId, context.issuerDocument, now));
    return results;
  };
}

/** Refuse a credential whose revocation or suspension bit is set (a `message` value never refuses). */
export function assertStatusAllows(results: readonly StatusResult[]): void {
  for (const r of results) {
    if (r.status === 0 || r.purpose === 'message') continue;
    const where = `${r.statusListCredential} index ${r.statusListIndex}`;
    throw r.purpose === 'revocation'
      ? new PassportError('ERR_REVOKED', `revoked (${where})`)
      : new PassportError('ERR_SUSPENDED', `suspended (${where})`);
  }
}

/**
 * The status checker of a verifier: every entry is read, and a set revocation or suspension bit
 * refuses the credential (ERR_REVOKED, ERR_SUSPENDED).
 */
export function createStatusChecker(options: StatusCheckerOptions): AsyncStatusChecker {
  const read = createStatusReader(options);
  return async (passport, now, context) => assertStatusAllows(await read(passport, now, context));
}
