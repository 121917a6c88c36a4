// SPDX-License-Identifier: Apache-2.0
// The audit's synchronous path (plain records checked in place, passport verifications reused)
// held to the reference path (the live request verifier over a rebuilt Request): logs of calls the
// service should have refused but logged as accepted, in every credential form (inline passport,
// reference header, compact keyid), with kept and withheld bodies, and records only a Request reads
// right; each audited both ways by ./differential.ts, which requires identical reports. Then one
// attacker per part of what makes a passport verification reusable: the passport's exact bytes,
// the scopes asked, the entry's time against the validity window, the trust (the status lists'
// epoch: evidence.test.ts, 'an entry made after the passport was revoked').
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentPassport } from '@agent-passport/core';
import {
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  passportRef,
  signRequest,
} from '@agent-passport/http-signatures';
import { issuePassport } from '@agent-passport/issuer';
import type { KeyMaterial } from '@agent-passport/keystore';
import type { RequestEvidence } from '@agent-passport/middleware';
import { didKeySigner } from '@agent-passport/suites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckerContext } from '../src/checker-context.js';
import type { EvidenceEntry } from '../src/entry.js';
import { checkPlainRequest } from '../src/fast-request.js';
import { type AuditReport, entryHash, openEvidenceLog } from '../src/index.js';
import { parseEntry } from '../src/parse-entry.js';
import { type PlainRecord, plainRecord } from '../src/plain-record.js';
import { auditLog } from './differential.js';
import { at, createWorld } from './world.js';

const world = createWorld();
const other = createWorld(['research-12']);
afterAll(() => {
  rmSync(world.dir, { recursive: true, force: true });
  rmSync(other.dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const UNKNOWN_REF = `sha-256=:${Buffer.alloc(32, 7).toString('base64')}:`;

interface Call {
  readonly signer: string;
  /** Whose passport the call carries (default: the signer's). */
  readonly passport?: string;
  readonly form: 'inline' | 'ref' | 'compact';
  readonly when: Date;
  readonly created?: Date;
  readonly scopes?: string[];
  readonly body?: string;
  /** The body the service logged, when not the one signed. */
  readonly loggedBody?: string;
  /** Passport bytes other than the issued ones. */
  readonly bytes?: Uint8Array;
  /** Another passport of the signer's, logged as the one the call verified with. */
  readonly issued?: { readonly passport: AgentPassport; readonly bytes: Uint8Array };
  readonly unknownRef?: boolean;
  readonly tamper?: (headers: Record<string, string>) => void;
}

/** A signed call as a careless service would log it: accepted, whatever it holds. */
async function evidence(c: Call): Promise<RequestEvidence> {
  const s = world.agents.get(c.signer);
  const p = c.issued ?? world.agents.get(c.passport ?? c.signer);
  if (s === undefined || p === undefined) throw new Error('no such agent');
  const bytes = c.bytes ?? p.bytes;
  const ref = passportRef(bytes);
  const signer = didKeySigner(s.key);
  const extra =
    c.form === 'inline'
      ? { [PASSPORT_HEADER]: Buffer.from(bytes).toString('base64url') }
      : c.form === 'ref'
        ? { [PASSPORT_REF_HEADER]: c.unknownRef === true ? UNKNOWN_REF : ref }
        : {};
  const signed = await signRequest(
    new Request('https://api.acme.example/ledger', {
      method: c.body === undefined ? 'GET' : 'POST',
      ...(c.body === undefined ? {} : { body: c.body }),
    }),
    {
      keyId: c.form === 'compact' ? ref : signer.id,
      signer: (data) => signer.sign({ data }),
      created: Math.floor((c.created ?? c.when).getTime() / 1000),
      extraHeaders: extra,
    },
  );
  const headers = Object.fromEntries(signed.headers);
  c.tamper?.(headers);
  const logged = c.loggedBody ?? c.body;
  return {
    kind: 'request',
    time: c.when,
    method: signed.method,
    url: signed.url,
    headers,
    ...(logged === undefined ? {} : { body: new TextEncoder().encode(logged) }),
    ...(c.unknownRef === true ? {} : { passport: bytes }),
    requiredScopes: c.scopes ?? ['write:ledger'],
    verification: {
      verified: true,
      checks: [],
      errors: [],
      agent: s.key.did,
      // Logged as the signer's call (another's passport names no one: fields only tampering changes).
      ...(c.passport === undefined || c.passport === c.signer ? { passport: p.passport } : {}),
      passportRef: ref,
      keyId: signer.id,
      nonce: /nonce="([^"]+)"/.exec(headers['signature-input'] ?? '')?.[1] as string,
    },
  };
}

/** seq → the code its re-verification must give (undefined: accepted). */
const CALLS: [Call, string | undefined][] = [
  [{ signer: 'research-12', form: 'inline', when: at(11) }, undefined],
  [{ signer: 'research-12', form: 'ref', when: at(12) }, undefined],
  [{ signer: 'research-12', form: 'compact', when: at(13) }, undefined],
  // First sight of billing-3's passport in the compact form: the rebuilt Request's path.
  [{ signer: 'billing-3', form: 'compact', when: at(14) }, undefined],
  [{ signer: 'billing-3', form: 'compact', when: at(15) }, undefined],
  [{ signer: 'research-12', form: 'ref', when: at(16), scopes: ['admin:all'] }, 'ERR_SCOPE_DENIED'],
  [{ signer: 'research-12', passport: 'support-7', form: 'inline', when: at(17) }, 'ERR_HOLDER_MISMATCH'],
  [
    { signer: 'research-12', form: 'ref', when: at(18), body: '{"a":1}', loggedBody: '{"a":2}' },
    'ERR_EVIDENCE_BODY',
  ],
  [
    {
      signer: 'research-12',
      form: 'ref',
      when: at(19),
      tamper: (h) => {
        h['signature'] = (h['signature'] as string).replace(/:(.)/, (_, c) => `:${c === 'A' ? 'B' : 'A'}`);
      },
    },
    'ERR_SIG_INVALID',
  ],
  [{ signer: 'research-12', form: 'ref', when: at(20), created: at(10) }, 'ERR_SIG_EXPIRED'],
  [{ signer: 'research-12', form: 'ref', when: at(21), unknownRef: true }, 'ERR_PASSPORT_UNKNOWN'],
  [{ signer: 'research-12', form: 'ref', when: at(22), body: '{"a":3}' }, undefined],
  [{ signer: 'support-7', form: 'inline', when: at(23) }, undefined],
  [{ signer: 'billing-3', form: 'ref', when: at(24), body: '{"a":4}' }, undefined],
];

let bundle = '';
const logs: Record<'kept' | 'withheld', string> = { kept: '', withheld: '' };

beforeAll(async () => {
  await world.issueAll(at(0));
  await other.issueAll(at(0));
  for (const kind of ['kept', 'withheld'] as const) {
    logs[kind] = join(world.dir, `${kind}.jsonl`);
    const log = openEvidenceLog(logs[kind], { keepBodies: kind === 'kept' });
    for (const [call] of CALLS) await log.record(await evidence(call));
    log.close();
  }
  bundle = await world.bundle(at(30));
});

const audit = (file: string, bundles = [bundle], authors = [world.operator.did]) =>
  auditLog(file, { bundles, authors, workers: 0 });
const outcomes = (r: AuditReport) =>
  [...r.rows].sort((a, b) => a.seq - b.seq).map((row) => [row.seq, row.code ?? row.outcome]);

/** A copy of `file` with entries rewritten by `edit` and every hash and link made to hold again. */
/** The members of a logged request entry the rewrites below change. */
interface Logged {
  request: { url: string; method: string; headers: Record<string, string> };
  passport: { digest: string; bytes?: string };
}

function rewritten(file: string, name: string, edit: (e: Logged, i: number) => void): string {
  const copy = join(world.dir, `${name}.jsonl`);
  let prev = 'genesis';
  const out = readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line, i) => {
      const e = JSON.parse(line);
      edit(e, i);
      e.prev = prev;
      e.hash = entryHash(e);
      prev = e.hash;
      return JSON.stringify(e);
    });
  writeFileSync(copy, `${out.join('\n')}\n`);
  const last = JSON.parse(out.at(-1) as string);
  writeFileSync(`${copy}.head`, JSON.stringify({ seq: last.seq, hash: last.hash, file: `${name}.jsonl` }));
  return copy;
}

describe('the synchronous audit path gives the reference report', () => {
  for (const kind of ['kept', 'withheld'] as const)
    it(`on calls in every credential form, bodies ${kind}`, async () => {
      const report = await audit(logs[kind]);
      expect(outcomes(report)).toEqual(CALLS.map(([, code], i) => [i + 1, code ?? 'accepted']));
    });

  it('on a worker thread too (the worker checks batches of lines by the same path)', async () => {
    const report = await auditLog(logs.kept, {
      bundles: [bundle],
      authors: [world.operator.did],
      workers: 1,
    });
    expect(outcomes(report)).toEqual(CALLS.map(([, code], i) => [i + 1, code ?? 'accepted']));
  });

  it('on records only a rebuilt Request reads right (taken by the live verifier, same report)', async () => {
    const file = rewritten(logs.kept, 'unplain', (e, i) => {
      const r = e.request;
      if (i === 1) r.headers['x-note'] = 'a\tb';
      if (i === 2) r.url = 'https://api.acme.example:443/ledger';
      if (i === 4) r.method = 'get';
      if (i === 11) r.headers['Content-Length'] = '7';
      if (i === 12) r.headers['agent-passport-delegation-ref'] = UNKNOWN_REF;
    });
    const report = await audit(file);
    expect(report.totals.accepted).toBeGreaterThan(0);
  });

  it('on covered components no header can be named by (a Headers lookup throws in the reference)', async () => {
    const file = rewritten(logs.withheld, 'unnamed', (e, i) => {
      const h = e.request.headers;
      const input = h['signature-input'] as string;
      if (i === 1) h['signature-input'] = input.replace('"@method"', '"@method" "foo bar"');
      if (i === 2) h['signature-input'] = input.replace('"@method"', '"@method" ""');
      if (i === 13) h['signature-input'] = input.replace('"@method"', '"@method" "x-absent"');
    });
    const report = await audit(file);
    expect(report.totals.accepted).toBeGreaterThan(0);
  });

  it('on entries whose passport is named by a reference no earlier line holds', async () => {
    // The first line's passport bytes dropped: the next lines name a passport the log never held.
    const file = rewritten(logs.withheld, 'unheld', (e, i) => {
      if (i === 0) e.passport = { digest: e.passport.digest };
    });
    const report = await audit(file);
    expect(outcomes(report).slice(0, 2)).toEqual([
      [1, 'ERR_EVIDENCE_PASSPORT_MISSING'],
      [2, 'ERR_EVIDENCE_PASSPORT_MISSING'],
    ]);
  });
});

describe('a passport verification is reused only for the same bytes, scopes, time and trust', () => {
  it('bytes: a passport rewritten after the issued one verified is verified anew (refused)', async () => {
    const issued = world.agents.get('research-12')?.passport as AgentPassport;
    const widened = {
      ...issued,
      credentialSubject: { ...issued.credentialSubject, scopes: ['write:ledger', 'admin:all'] },
    };
    const file = join(world.dir, 'widened.jsonl');
    const log = openEvidenceLog(file);
    await log.record(await evidence({ signer: 'research-12', form: 'inline', when: at(11) }));
    const bytes = new TextEncoder().encode(JSON.stringify(widened));
    await log.record(
      await evidence({ signer: 'research-12', form: 'inline', when: at(12), bytes, scopes: ['admin:all'] }),
    );
    log.close();
    const rows = outcomes(await audit(file));
    expect(rows[0]).toEqual([1, 'accepted']);
    expect(rows[1]?.[1]).toMatch(/^ERR_PROOF|^ERR_SIGNATURE/);
  });

  it('scopes: a scope the passport lacks, asked after it verified for another, is refused', async () => {
    const rows = outcomes(await audit(logs.withheld));
    expect(rows.slice(0, 3).every(([, c]) => c === 'accepted')).toBe(true);
    expect(rows[5]).toEqual([6, 'ERR_SCOPE_DENIED']);
  });

  it('time: an entry past the passport validUntil, after it verified, is refused (ERR_EXPIRED)', async () => {
    const file = join(world.dir, 'expired.jsonl');
    const log = openEvidenceLog(file);
    await log.record(await evidence({ signer: 'research-12', form: 'inline', when: at(11) }));
    await log.record(
      await evidence({ signer: 'research-12', form: 'ref', when: new Date(at(0).getTime() + 91 * DAY) }),
    );
    log.close();
    expect(outcomes(await audit(file))).toEqual([
      [1, 'accepted'],
      [2, 'ERR_EXPIRED'],
    ]);
  });

  it('time: within one status epoch, an entry past a short validity window is refused (ERR_EXPIRED)', async () => {
    // No status entry, and both entries long before any status list threshold: only the validity
    // window tells the two times apart.
    const key = world.agents.get('research-12')?.key as KeyMaterial;
    const passport = await issuePassport({
      issuer: { id: world.document().id, signer: world.signer, didDocument: world.document() },
      subject: key.did,
      agentName: 'research-12',
      purpose: 'operations',
      scopes: ['write:ledger'],
      validUntil: at(20),
      now: at(0),
    });
    const issued = { passport, bytes: new TextEncoder().encode(JSON.stringify(passport)) };
    const file = join(world.dir, 'short.jsonl');
    const log = openEvidenceLog(file);
    for (const [minute, form] of [
      [11, 'inline'],
      [19, 'ref'],
      [22, 'ref'],
    ] as const)
      await log.record(await evidence({ signer: 'research-12', form, when: at(minute), issued }));
    log.close();
    expect(outcomes(await audit(file))).toEqual([
      [1, 'accepted'],
      [2, 'accepted'],
      [3, 'ERR_EXPIRED'],
    ]);
  });

  it('trust: another audit, with another key for the same issuer, verifies anew (refused)', async () => {
    expect((await audit(logs.withheld)).totals.accepted).toBeGreaterThan(0);
    const report = await audit(logs.withheld, [await other.bundle(at(30))], [other.operator.did]);
    expect(report.totals.accepted).toBe(0);
  });
});

describe('what the synchronous path checks in place', () => {
  it('an inline passport is checked in place, accepted or refused (no rebuilt Request)', async () => {
    const ctx = await createCheckerContext({
      bundles: [bundle],
      authors: [world.operator.did],
      statusMaxAgeSeconds: 2 * 86_400,
    });
    const entries = readFileSync(logs.withheld, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => parseEntry(line) as EvidenceEntry);
    // A passport is stored once per file: later lines name it by digest.
    const held = new Map(
      entries.map((e) => [e.passport?.digest, e.passport?.bytes] as const).filter(([, b]) => b),
    );
    const checked: unknown[] = [];
    for (const seq of [1, 7, 13]) {
      const entry = entries[seq - 1] as EvidenceEntry;
      const plain = plainRecord(entry, held.get(entry.passport?.digest)) as PlainRecord;
      const now = new Date(entry.time);
      const c = await checkPlainRequest({ ctx, plain, now, body: undefined, withheld: false });
      checked.push(c === 'rebuild' ? c : c.ok ? 'accepted' : c.code);
    }
    expect(checked).toEqual(['accepted', 'ERR_HOLDER_MISMATCH', 'accepted']);
  });
});
