// SPDX-License-Identifier: Apache-2.0
// One status list, checked once per issuer document (shape, issuer, proof, key history, encoding),
// and its freshness, checked on every call (Bitstring Status List v1.0 §3.2, §6).
import {
  type DidDocument,
  type DocumentLoader,
  isObject,
  type JsonObject as Json,
  PassportError,
  parseDateTime,
} from '@agent-passport/core';
import { checkVcdm2 } from '@agent-passport/schema';
import { type CryptosuiteName, verifyControlledProof } from '@agent-passport/suites';
import { decodeList } from './bitstring.js';

export const fail = (
  code: 'ERR_STATUS_LIST_INVALID' | 'ERR_STATUS_LIST_UNSIGNED' | 'ERR_STATUS_STALE',
  m: string,
): PassportError => new PassportError(code, m);

/** A list whose shape, issuer, proof and encoding were checked. */
export interface VerifiedList {
  readonly id: string;
  readonly purposes: readonly string[];
  readonly bits: Uint8Array;
  readonly issuedAt: number;
  readonly validUntil: number | undefined;
  readonly ttlMs: number | undefined;
}

/** What verifying a list's proof and encoding needs. */
export interface ListProofPolicy {
  readonly suites: readonly CryptosuiteName[];
  readonly documentLoader: DocumentLoader;
  readonly maxListBytes: number;
}

/** What a list's freshness is judged by. */
export interface ListAgePolicy {
  readonly maxAgeMs: number;
  readonly skewMs: number;
}

/** Check a list's shape, issuer and proof (key history keeps its own codes), then decode it. */
export async function verifyList(
  list: Json,
  issuerId: string,
  doc: DidDocument,
  policy: ListProofPolicy,
): Promise<VerifiedList> {
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
    cryptosuites: policy.suites,
    documentLoader: policy.documentLoader,
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
  return decodeVerifiedList(list, result.created, policy.maxListBytes);
}

/** The subject of a list whose proof holds: purposes, bits, issue time and ttl. */
function decodeVerifiedList(list: Json, created: number | undefined, maxListBytes: number): VerifiedList {
  const subject = list['credentialSubject'];
  if (!isObject(subject) || subject['type'] !== 'BitstringStatusList')
    throw fail('ERR_STATUS_LIST_INVALID', 'credentialSubject must be a BitstringStatusList');
  const purpose = subject['statusPurpose'];
  const purposes = typeof purpose === 'string' ? [purpose] : purpose;
  if (!Array.isArray(purposes) || purposes.length === 0 || purposes.some((p) => typeof p !== 'string'))
    throw fail('ERR_STATUS_LIST_INVALID', 'statusPurpose must be a string or a list of strings');
  const bits = decodeList(subject['encodedList'], maxListBytes);
  const validFrom = parseDateTime(list['validFrom']);
  const issuedAt = validFrom ?? created;
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

/** Refuse a list issued in the future, past its validUntil, older than the policy or its ttl. */
export function assertFresh(list: VerifiedList, nowMs: number, policy: ListAgePolicy): void {
  const { maxAgeMs, skewMs } = policy;
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
