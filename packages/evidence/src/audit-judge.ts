// SPDX-License-Identifier: Apache-2.0
// The final judgement of one entry, once both of its links are known: tampering (its hash, its
// links, its unsigned fields) first, then re-verification, then what only the whole log shows
// (a nonce accepted twice within its window, usage beyond a passport's maxCalls).
import { basename } from 'node:path';
import type { ErrorCode } from '@agent-passport/core';
import type { NonceWindow } from './audit-replay.js';
import type { Tally } from './audit-tally.js';
import type { AuditRow, Outcome } from './audit-types.js';
import type { LineResult } from './check-entry.js';

export interface Finding {
  readonly code?: ErrorCode;
  readonly message: string;
}

export type Judge = (r: LineResult, chain: Finding) => void;

/** Tampering: a broken hash, then a broken link, then a rewritten unsigned field. */
function tampering(r: LineResult, chain: Finding): Finding {
  if (!r.hashOk)
    return { code: 'ERR_EVIDENCE_HASH', message: 'the entry does not match its own hash: it was edited' };
  if (chain.code !== undefined) return chain;
  if (r.fieldProblem !== undefined) return { code: 'ERR_EVIDENCE_FIELD', message: r.fieldProblem };
  return { message: '' };
}

/** A row being built: members set in the report's order, optional ones only when present. */
type RowDraft = { -readonly [K in keyof AuditRow]: AuditRow[K] };

/** The row of an entry (`file`: its file's base name). Strings that repeat are kept once. */
/**
 * The code a row shows: what the audit found, else what re-verification failed with, else for a
 * call logged refused the service's own logged code (a refusal re-verification cannot re-derive:
 * a session ended, a purpose the operation does not take, a nonce already used).
 */
function rowFinding(r: LineResult, outcome: Outcome, found: Finding): Finding {
  if (found.code !== undefined) return found;
  if (r.code !== undefined) return { code: r.code, message: r.message ?? '' };
  if (outcome === 'refused' && r.loggedCode !== undefined)
    return { code: r.loggedCode, message: 'as the service logged it (not re-derived by the audit)' };
  return found;
}

function toRow(r: LineResult, tally: Tally, file: string, outcome: Outcome, found: Finding): AuditRow {
  const shown = rowFinding(r, outcome, found);
  const row = {
    seq: r.seq as number,
    time: r.time as string,
    kind: tally.once(r.kind) as string,
    file,
    line: r.lineNo,
  } as RowDraft;
  if (r.agent !== undefined) row.agent = tally.once(r.agent) as string;
  if (r.agentName !== undefined) row.agentName = tally.once(r.agentName) as string;
  if (r.issuer !== undefined) row.issuer = tally.once(r.issuer) as string;
  if (r.passportId !== undefined) row.passportId = tally.once(r.passportId) as string;
  if (r.principals !== undefined) row.principals = r.principals.map((p) => tally.once(p) as string);
  row.scopes = r.requiredScopes ?? [];
  if (r.method !== undefined) row.method = tally.once(r.method) as string;
  if (r.url !== undefined) row.url = r.url;
  if (r.bodyDigest !== undefined) row.bodyDigest = r.bodyDigest;
  if (r.event !== undefined) row.event = r.event;
  row.logged = r.loggedVerified ? 'accepted' : 'refused';
  row.outcome = outcome;
  if (shown.code !== undefined) {
    row.code = shown.code;
    row.message = shown.message;
  }
  return row;
}

export function createJudge(tally: Tally, nonces: NonceWindow): Judge {
  const uses = new Map<string, number>();
  let lastFile: string | undefined;
  let lastBase = '';

  /** What only the whole log shows about an accepted entry that re-verifies. */
  function acrossTheLog(r: LineResult): Finding {
    if (r.keyId === undefined) return { message: '' };
    const first = nonces.seen(r.keyId, r.nonce as string, r.seq as number, Date.parse(r.time as string));
    if (first !== undefined)
      return { code: 'ERR_REPLAY', message: `the nonce of entry ${first} was accepted again` };
    if (r.maxCalls === undefined || r.passportId === undefined) return { message: '' };
    const n = (uses.get(r.passportId) ?? 0) + 1;
    uses.set(r.passportId, n);
    return n > r.maxCalls
      ? { code: 'ERR_USAGE_EXCEEDED', message: `call ${n} of a passport allowing ${r.maxCalls}` }
      : { message: '' };
  }

  return (r, chain) => {
    const tampered = tampering(r, chain);
    let found = tampered;
    if (found.code === undefined && r.loggedVerified)
      found =
        r.reverified === false
          ? { code: r.code ?? 'ERR_VERIFIER_INTERNAL', message: r.message ?? '' }
          : acrossTheLog(r);
    // An event is evidence, not a call: intact, or failed (tampered, unknown), never accepted/refused.
    if (found.code === undefined && r.kind === 'event' && r.reverified === false)
      found = { code: r.code ?? 'ERR_EVIDENCE_LINE', message: r.message ?? '' };
    const outcome: Outcome =
      found.code !== undefined && (r.loggedVerified || tampered.code !== undefined || r.kind === 'event')
        ? 'failed'
        : r.kind === 'event'
          ? 'event'
          : r.loggedVerified
            ? 'accepted'
            : 'refused';
    if (outcome === 'failed') tally.problem(r, found.code as ErrorCode, found.message);
    // A log has few files: each one's base name is found once.
    if (r.file !== lastFile) {
      lastFile = r.file;
      lastBase = tally.once(basename(r.file)) as string;
    }
    tally.entry(toRow(r, tally, lastBase, outcome, found));
  };
}
