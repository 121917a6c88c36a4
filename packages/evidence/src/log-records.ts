// SPDX-License-Identifier: Apache-2.0
// The fields of each kind of evidence entry (entry.ts): a request, a presentation, an event. The
// key order of each object is the order of the logged line's members (JSON.stringify keeps
// insertion order), so logs stay byte for byte what earlier versions wrote: keep it.
import { formatDateTime } from '@agent-passport/core';
import { PASSPORT_HEADER } from '@agent-passport/http-signatures';
import type { RequestEvidence, RequestVerification } from '@agent-passport/middleware';
import type { PassportVerification } from '@agent-passport/verifier';
import { parseDictionary } from 'structured-headers';
import {
  type EvidenceEntry,
  type EvidenceEvent,
  PASSPORT_MARKER,
  type RequestRecord,
  sha256,
} from './entry.js';

export interface PresentationEvidence {
  readonly time: Date;
  readonly presentation: unknown;
  readonly challenge: string;
  readonly domain?: string;
  readonly requiredScopes?: readonly string[];
  readonly verification: PassportVerification;
}

/** An event (no call to re-verify): an exchange created, a login refused early, a session revoked. */
export interface EventEvidence {
  readonly time: Date;
  readonly event: EvidenceEvent;
  /** Who it concerns, as the service knows it (unsigned: the audit never attributes by it). */
  readonly agent?: string;
  /** A refusal's code. */
  readonly code?: string;
  /** What it concerns: an exchange id, a session id. */
  readonly ref?: string;
}

/** An entry before it is chained: everything but `v`, `seq`, `prev` and `hash`. */
export type EntryFields = Omit<EvidenceEntry, 'v' | 'seq' | 'prev' | 'hash'>;

/** The `passport` member of an entry, or nothing when the call carried no passport. */
export type PassportField = Pick<EvidenceEntry, 'passport'>;

type Passport = NonNullable<PassportVerification['passport']>;

/** The headers a signature covers (from Signature-Input), plus the signature headers themselves. */
function coveredHeaders(headers: Readonly<Record<string, string>>): string[] {
  const names = new Set(['signature-input', 'signature']);
  try {
    for (const [, member] of parseDictionary(headers['signature-input'] ?? '')) {
      if (!Array.isArray(member[0])) continue;
      for (const [item] of member[0]) if (typeof item === 'string' && !item.startsWith('@')) names.add(item);
    }
  } catch {
    // An unparsable Signature-Input is kept as is; the audit reports the signature as malformed.
  }
  return [...names].filter((n) => headers[n] !== undefined);
}

/** The request as signed: its covered headers (the inline passport as PASSPORT_MARKER) and body digest. */
function requestRecord(evidence: RequestEvidence, keepBodies: boolean): RequestRecord {
  const headers: Record<string, string> = {};
  for (const name of coveredHeaders(evidence.headers)) headers[name] = evidence.headers[name] as string;
  const inline = headers[PASSPORT_HEADER];
  if (
    inline !== undefined &&
    evidence.passport !== undefined &&
    inline === Buffer.from(evidence.passport).toString('base64url')
  )
    headers[PASSPORT_HEADER] = PASSPORT_MARKER;
  const body = evidence.body;
  return {
    method: evidence.method,
    url: evidence.url,
    headers,
    bodyLength: body?.length ?? 0,
    ...(body === undefined || body.length === 0
      ? {}
      : { bodyDigest: `sha-256=:${Buffer.from(sha256(body), 'base64url').toString('base64')}:` }),
    ...(keepBodies && body !== undefined && body.length > 0
      ? { body: Buffer.from(body).toString('base64url') }
      : {}),
  };
}

const verdict = (v: {
  readonly verified: boolean;
  readonly errors: readonly { readonly code: string }[];
}) => ({
  verified: v.verified,
  codes: v.errors.map((e) => e.code),
});

/** Who a passport names, with the agent that acted on it. */
function passportNames(agent: string, p: Passport) {
  return {
    agent,
    agentName: p.credentialSubject.agentName,
    issuer: typeof p.issuer === 'string' ? p.issuer : (p.issuer as { id: string }).id,
    passportId: p.id,
  };
}

/** Who made a call: the passport's agent, or (a refused call) its signer once the signature verified. */
function requestAgent(v: RequestVerification) {
  const p = v.passport;
  if (p !== undefined)
    // A delegated call was made by the chain's last agent, on the passport's authority.
    return passportNames(v.delegation === undefined ? p.credentialSubject.id : (v.agent as string), p);
  const signer =
    v.agent ?? (v.keyId?.startsWith('did:') ? v.keyId.slice(0, v.keyId.indexOf('#')) : undefined);
  return signer === undefined || signer === '' ? {} : { agent: signer };
}

/**
 * A request entry. `passportField` is asked for the passport member in the entry's key order (it
 * decides whether the current file still needs the passport's bytes).
 */
export function requestFields(
  evidence: RequestEvidence,
  keepBodies: boolean,
  passportField: (bytes: Uint8Array | undefined) => PassportField,
): EntryFields {
  const v = evidence.verification;
  const request = requestRecord(evidence, keepBodies);
  return {
    time: formatDateTime(evidence.time),
    kind: 'request',
    verdict: verdict(v),
    ...requestAgent(v),
    requiredScopes: [...evidence.requiredScopes],
    ...passportField(evidence.passport),
    ...(v.delegation === undefined || evidence.delegations === undefined
      ? {}
      : {
          delegation: {
            principals: [...v.delegation.principals],
            ref: v.delegation.ref,
            bytes: Buffer.from(evidence.delegations).toString('base64url'),
          },
        }),
    request,
  };
}

/** A presentation entry: the presentation as received, with the challenge and domain required. */
export function presentationFields(evidence: PresentationEvidence): EntryFields {
  const v = evidence.verification;
  const p = v.passport;
  return {
    time: formatDateTime(evidence.time),
    kind: 'presentation',
    verdict: verdict(v),
    // A chain login was made by the chain's last agent (the presenter).
    ...(p === undefined ? {} : passportNames(v.agent ?? p.credentialSubject.id, p)),
    requiredScopes: [...(evidence.requiredScopes ?? [])],
    presentation: structuredClone(evidence.presentation),
    challenge: evidence.challenge,
    ...(evidence.domain === undefined ? {} : { domain: evidence.domain }),
  };
}

/** An event entry; the event must be one of EVIDENCE_EVENTS (the caller checks). */
export function eventFields(evidence: EventEvidence): EntryFields {
  return {
    time: formatDateTime(evidence.time),
    kind: 'event',
    verdict: { verified: false, codes: evidence.code === undefined ? [] : [evidence.code] },
    event: evidence.event,
    ...(evidence.agent === undefined ? {} : { agent: evidence.agent }),
    ...(evidence.code === undefined ? {} : { code: evidence.code }),
    ...(evidence.ref === undefined ? {} : { ref: evidence.ref }),
  };
}
