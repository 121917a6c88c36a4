// SPDX-License-Identifier: Apache-2.0
// The evidence log and the offline audit: which agent made a call, provably; every kind of
// tampering found with its code, and never a tampered entry reported as good.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { refusal } from '@agent-passport/middleware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditReport, entryHash, openEvidenceLog, renderHtmlReport } from '../src/index.js';
import { auditLog } from './differential.js';
import { at, createWorld, ORG } from './world.js';

const world = createWorld();
afterAll(() => rmSync(world.dir, { recursive: true, force: true }));
let bundle = '';
const path = join(world.dir, 'evidence.jsonl');
const authors = () => [world.operator.did];

beforeAll(async () => {
  await world.issueAll(at(0));
  const log = openEvidenceLog(path);
  const service = await world.service(log, at(10));
  // Twelve calls: research-12 ×5, billing-3 ×4 (one with a body), support-7 ×3.
  const plan: [string, number, string | undefined][] = [
    ['research-12', 11, undefined],
    ['billing-3', 12, '{"amount":4200,"currency":"EUR"}'],
    ['support-7', 13, undefined],
    ['research-12', 14, undefined],
    ['billing-3', 15, undefined],
    ['research-12', 16, undefined],
    ['support-7', 17, undefined],
    ['billing-3', 18, undefined],
    ['research-12', 19, undefined],
    ['support-7', 20, undefined],
    ['billing-3', 21, '{"amount":12,"currency":"EUR"}'],
    ['research-12', 22, undefined],
  ];
  for (const [name, minute, body] of plan) {
    const r = await service.call(name, at(minute), body === undefined ? {} : { body });
    expect(r.verified, JSON.stringify(r.errors)).toBe(true);
  }
  log.close();
  bundle = await world.bundle(at(30));
});

const audit = (file = path, extra: Partial<Parameters<typeof auditLog>[1]> = {}) =>
  auditLog(file, { bundles: [bundle], authors: authors(), workers: 0, ...extra });

const lines = () => readFileSync(path, 'utf8').trimEnd().split('\n');
/** Run `change` on a copy of the log (and its head), audit the copy. */
async function auditCopy(
  change: (lines: string[]) => string[],
  name: string,
  keepHead = true,
): Promise<AuditReport> {
  const copy = join(world.dir, `${name}.jsonl`);
  writeFileSync(copy, `${change(lines()).join('\n')}\n`);
  if (keepHead) writeFileSync(`${copy}.head`, readFileSync(`${path}.head`));
  return audit(copy);
}
const bySeq = (r: AuditReport) => [...r.rows].sort((a, b) => a.seq - b.seq);
const codes = (r: AuditReport) => [...new Set(r.problems.map((p) => p.code))].sort();
const noTamperedGood = (r: AuditReport, tampered: number[]) => {
  for (const seq of tampered)
    expect(r.rows.find((row) => row.seq === seq)?.outcome ?? 'failed').toBe('failed');
};

describe('the evidence log', () => {
  it('writes one chained entry per accepted call; the passport once, then its digest; bodies redacted', () => {
    const entries = lines().map((l) => JSON.parse(l));
    expect(entries).toHaveLength(12);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(entries[0].prev).toBe('genesis');
    for (let i = 1; i < entries.length; i++) expect(entries[i].prev).toBe(entries[i - 1].hash);
    for (const e of entries) expect(entryHash(e)).toBe(e.hash);
    expect(entries.filter((e) => e.passport.bytes !== undefined)).toHaveLength(3);
    const paid = entries[1];
    expect(paid.agentName).toBe('billing-3');
    expect(paid.request.bodyLength).toBe(32);
    expect(paid.request.bodyDigest).toMatch(/^sha-256=:/);
    expect(paid.request.body).toBeUndefined();
    expect(paid.request.headers['agent-passport']).toBe('$passport');
    expect(Object.keys(paid.request.headers).sort()).toEqual(
      ['agent-passport', 'content-digest', 'signature', 'signature-input'].sort(),
    );
    expect(JSON.parse(readFileSync(`${path}.head`, 'utf8'))).toMatchObject({
      seq: 12,
      hash: entries[11].hash,
    });
  });

  it('keeps bodies when asked, and records presentations', async () => {
    const w = createWorld(['solo-1']);
    await w.issueAll(at(0));
    const file = join(w.dir, 'bodies.jsonl');
    const log = openEvidenceLog(file, { keepBodies: true });
    const service = await w.service(log, at(1));
    expect((await service.call('solo-1', at(2), { body: 'hello' })).verified).toBe(true);
    const entry = JSON.parse(readFileSync(file, 'utf8').trim());
    expect(Buffer.from(entry.request.body, 'base64url').toString()).toBe('hello');
    log.close();
    const report = await auditLog(file, {
      bundles: [await w.bundle(at(3))],
      authors: [w.operator.did],
      workers: 0,
    });
    expect(report.totals).toMatchObject({ accepted: 1, failed: 0 });
    // Rewritten consistently (body, hash and head): the chain holds, but the agent signed another body.
    entry.request.body = Buffer.from('HELLO').toString('base64url');
    entry.hash = entryHash(entry);
    writeFileSync(file, `${JSON.stringify(entry)}\n`);
    writeFileSync(`${file}.head`, JSON.stringify({ seq: 1, hash: entry.hash, file: 'bodies.jsonl' }));
    const forged = await auditLog(file, {
      bundles: [await w.bundle(at(3))],
      authors: [w.operator.did],
      workers: 0,
    });
    expect(forged.rows.map((r) => [r.outcome, r.code])).toEqual([['failed', 'ERR_EVIDENCE_BODY']]);
    rmSync(w.dir, { recursive: true, force: true });
  });

  it('refuses the call when its evidence cannot be recorded (fail closed, 503)', async () => {
    const w = createWorld(['solo-1']);
    await w.issueAll(at(0));
    const service = await w.service(
      {
        record: () => {
          throw new Error('disk full');
        },
      },
      at(1),
    );
    const r = await service.call('solo-1', at(2));
    expect(r.verified).toBe(false);
    expect(r.errors.map((e) => e.code)).toEqual(['ERR_EVIDENCE_UNAVAILABLE']);
    expect(refusal(r).status).toBe(503);
    rmSync(w.dir, { recursive: true, force: true });
  });

  it('repairs a torn last line left by a crash, keeping every acknowledged entry', async () => {
    const w = createWorld(['solo-1']);
    await w.issueAll(at(0));
    const file = join(w.dir, 'torn.jsonl');
    let log = openEvidenceLog(file);
    let service = await w.service(log, at(1));
    await service.call('solo-1', at(2));
    await service.call('solo-1', at(3));
    log.close();
    appendFileSync(file, '{"v":1,"seq":3,"time":"2026-06-01T00:04:00Z","ki');
    const bundleW = await w.bundle(at(9));
    const torn = await auditLog(file, { bundles: [bundleW], authors: [w.operator.did], workers: 0 });
    expect(codes(torn)).toEqual(['ERR_EVIDENCE_LINE']);
    log = openEvidenceLog(file);
    service = await w.service(log, at(4));
    await service.call('solo-1', at(5));
    log.close();
    const repaired = await auditLog(file, { bundles: [bundleW], authors: [w.operator.did], workers: 0 });
    expect(repaired.intact).toBe(true);
    expect(repaired.totals).toMatchObject({ accepted: 3, failed: 0, garbage: 0 });
    rmSync(w.dir, { recursive: true, force: true });
  });

  it('rotates by size; the audit follows the chain across files and sees a missing one', async () => {
    const w = createWorld(['solo-1']);
    await w.issueAll(at(0));
    const file = join(w.dir, 'rotating.jsonl');
    const log = openEvidenceLog(file, { maxFileBytes: 4096 });
    const service = await w.service(log, at(1));
    for (let i = 0; i < 12; i++) expect((await service.call('solo-1', at(2 + i / 10))).verified).toBe(true);
    log.close();
    const b = await w.bundle(at(3));
    const report = await auditLog(file, { bundles: [b], authors: [w.operator.did], workers: 0 });
    expect(report.files.length).toBeGreaterThan(1);
    expect(report.intact).toBe(true);
    expect(report.totals.accepted).toBe(12);
    rmSync(join(w.dir, report.files[0] as string));
    const cut = await auditLog(file, { bundles: [b], authors: [w.operator.did], workers: 0 });
    expect(codes(cut)).toContain('ERR_EVIDENCE_TRUNCATED');
    rmSync(w.dir, { recursive: true, force: true });
  });
});

describe('one writer per log (issue 15, item 12)', () => {
  /** A real second process running log-writer.mjs; resolves with its first line of output. */
  function writer(file: string) {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'log-writer.mjs'), file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const first = new Promise<string>((ok) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) ok(out.trim());
      });
    });
    return { child, first };
  }
  const exited = (c: ChildProcess) => new Promise((ok) => (c.exitCode === null ? c.once('exit', ok) : ok(0)));

  it('refuses a second writer, in another process or this one (ERR_EVIDENCE_LOCKED); a killed writer does not block the next', {
    timeout: 120_000, // three child processes start and load the package: slow on a busy machine
  }, async () => {
    const w = createWorld(['solo-1']);
    const file = join(w.dir, 'shared.jsonl');
    const a = writer(file);
    expect(await a.first).toBe('open');
    try {
      // Two instances appending to one chain would fork it (duplicate sequence numbers).
      const b = writer(file);
      const answer = await b.first;
      b.child.kill('SIGKILL');
      await exited(b.child);
      expect(answer).toBe('refused ERR_EVIDENCE_LOCKED');
      expect(() => openEvidenceLog(file)).toThrow(expect.objectContaining({ code: 'ERR_EVIDENCE_LOCKED' }));
    } finally {
      a.child.kill('SIGKILL');
      await exited(a.child);
    }
    // Its owner is dead: the lock is broken at once, and held by us until close().
    const started = Date.now();
    const log = openEvidenceLog(file);
    expect(Date.now() - started).toBeLessThan(2000);
    const c = writer(file);
    const answer = await c.first;
    c.child.kill('SIGKILL');
    await exited(c.child);
    expect(answer).toBe('refused ERR_EVIDENCE_LOCKED');
    log.close();
    openEvidenceLog(file).close();
    rmSync(w.dir, { recursive: true, force: true });
  });
});

describe('the audit', () => {
  it('re-verifies an intact log and says which agent made each call', async () => {
    const report = await audit();
    expect(report.intact).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.totals).toEqual({ accepted: 12, refused: 0, failed: 0, garbage: 0, events: 0 });
    const byName = Object.fromEntries(Object.values(report.byAgent).map((a) => [a.agentName, a.accepted]));
    expect(byName).toEqual({ 'research-12': 5, 'billing-3': 4, 'support-7': 3 });
    expect(report.byIssuer[ORG]?.accepted).toBe(12);
    expect(report.byScope['write:ledger']?.accepted).toBe(12);
    const which = await audit(path, { query: { seq: 2 } });
    expect(which.matches).toHaveLength(1);
    expect(which.matches[0]).toMatchObject({ agentName: 'billing-3', method: 'POST', outcome: 'accepted' });
    expect(which.matches[0]?.agent).toBe(world.agents.get('billing-3')?.key.did);
    const range = await audit(path, { query: { from: at(15), to: at(17) } });
    expect(range.matches.map((m) => m.agentName)).toEqual(['billing-3', 'research-12', 'support-7']);
  });

  it('gives the same report on two worker threads as in one thread', async () => {
    const one = await audit();
    const two = await audit(path, { workers: 2 });
    expect(two).toEqual(one);
  });

  /** An entry as parsed JSON, to be rewritten by a hostile test. */
  type Raw = Record<string, Record<string, unknown>>;
  const tamper: [string, (l: string[]) => string[], string[], number[], boolean?][] = [
    [
      'an entry edited (the URL of the $4,200 call)',
      (l) => l.map((x, i) => (i === 1 ? x.replace('/ledger', '/refunds') : x)),
      ['ERR_EVIDENCE_HASH'],
      [2],
    ],
    [
      'an entry edited with its hash recomputed',
      (l) =>
        l.map((x, i) => {
          if (i !== 1) return x;
          const e = JSON.parse(x);
          e.request.url = 'https://api.acme.example/refunds';
          e.hash = entryHash(e);
          return JSON.stringify(e);
        }),
      ['ERR_EVIDENCE_CHAIN'],
      [2, 3],
    ],
    ['an entry deleted', (l) => l.filter((_, i) => i !== 4), ['ERR_EVIDENCE_CHAIN'], [4, 6]],
    [
      'two entries swapped',
      (l) => [l[0], l[2], l[1], ...l.slice(3)] as string[],
      ['ERR_EVIDENCE_CHAIN'],
      [2, 3],
    ],
    ['the last entry cut off', (l) => l.slice(0, -1), ['ERR_EVIDENCE_TRUNCATED'], [11]],
    [
      'the first entries cut off (and with them the passports they held)',
      (l) => l.slice(3),
      ['ERR_EVIDENCE_PASSPORT_MISSING', 'ERR_EVIDENCE_TRUNCATED'],
      [4, 5, 6],
    ],
    [
      'a garbage line inserted',
      (l) => [...l.slice(0, 5), 'rm -rf /', ...l.slice(5)],
      ['ERR_EVIDENCE_LINE'],
      [],
    ],
    [
      'a line of duplicate keys inserted',
      (l) => [...l.slice(0, 5), '{"v":1,"v":1}', ...l.slice(5)],
      ['ERR_EVIDENCE_LINE'],
      [],
    ],
    [
      'an entry replayed (the same signed request logged twice)',
      (l) => {
        const copy = JSON.parse(l[3] as string);
        const rest = l.slice(4).map((x) => JSON.parse(x));
        const chain = [copy, ...rest];
        let prev = JSON.parse(l[3] as string).hash;
        const out = l.slice(0, 4);
        for (const e of chain) {
          e.seq = JSON.parse(out.at(-1) as string).seq + 1;
          e.prev = prev;
          e.hash = entryHash(e);
          prev = e.hash;
          out.push(JSON.stringify(e));
        }
        return out;
      },
      ['ERR_REPLAY'],
      [5],
      false,
    ],
    ...(['a header name with a space', 'a header value with a line break'] as const).map(
      (what, k): [string, (l: string[]) => string[], string[], number[], boolean] => [
        `the last entry re-hashed with ${what} (no request carries it)`,
        (l) =>
          l.map((x, i) => {
            if (i !== l.length - 1) return x;
            const e = JSON.parse(x);
            if (k === 0) e.request.headers['x bad'] = '1';
            else e.request.headers['x-bad'] = 'one\ntwo';
            e.hash = entryHash(e);
            return JSON.stringify(e);
          }),
        ['ERR_EVIDENCE_LINE'],
        [12],
        false,
      ],
    ),
    ...(
      [
        ['its passport bytes a number', (e: Raw) => (e.passport = { ...e.passport, bytes: 5 }), 0],
        [
          'a delegation whose chain bytes are a number',
          (e: Raw) => (e.delegation = { principals: [], ref: 'x', bytes: 5 }),
          0,
        ],
        // The last call with a body (the log cut after it).
        ['a kept body that is a number', (e: Raw) => (e.request = { ...e.request, body: 5 }), 1],
      ] as const
    ).map(([what, edit, cut]): [string, (l: string[]) => string[], string[], number[], boolean] => [
      `the last entry re-hashed with ${what}`,
      (l) =>
        l.slice(0, l.length - cut).map((x, i) => {
          if (i !== l.length - cut - 1) return x;
          const e = JSON.parse(x);
          edit(e);
          e.hash = entryHash(e);
          return JSON.stringify(e);
        }),
      ['ERR_EVIDENCE_LINE'],
      [12 - cut],
      false,
    ]),
    ...(
      [
        ['a domain that is a number', { domain: 5 }],
        ['scopes that are not text', { domain: 'https://api.acme.example', requiredScopes: [5] }],
      ] as const
    ).map(([what, fields]): [string, (l: string[]) => string[], string[], number[], boolean] => [
      `a presentation entry appended with ${what}`,
      (l) => {
        const last = JSON.parse(l.at(-1) as string);
        const e: Record<string, unknown> = {
          v: 1,
          seq: last.seq + 1,
          prev: last.hash,
          time: last.time,
          kind: 'presentation',
          verdict: { verified: true, codes: [] },
          requiredScopes: [],
          presentation: {},
          challenge: 'c',
          ...fields,
        };
        e['hash'] = entryHash(e as unknown as Parameters<typeof entryHash>[0]);
        return [...l, JSON.stringify(e)];
      },
      ['ERR_EVIDENCE_LINE'],
      [13],
      false,
    ]),
  ];
  for (const [name, change, expected, bad, keepHead] of tamper) {
    it(`finds ${name}: ${expected.join(', ')}`, async () => {
      const report = await auditCopy(change, name.replace(/\W+/g, '-'), keepHead ?? true);
      // A replay is a finding about the service, not damage to the log.
      expect(report.intact).toBe(!expected.some((c) => c.startsWith('ERR_EVIDENCE')));
      const found = codes(report);
      for (const code of expected) expect(found).toContain(code);
      noTamperedGood(report, bad);
    });
  }
});

describe('attribution by the re-verified signer (issue 15, item 11)', () => {
  /** Rewrite entry `index` with `edit`, then re-chain every later entry and the head (a thorough forger). */
  function forge(l: string[], index: number, edit: (e: Record<string, unknown>) => void): string[] {
    const out: string[] = [];
    let prev = 'genesis';
    for (const [i, line] of l.entries()) {
      const e = JSON.parse(line);
      if (i === index) edit(e);
      e.prev = prev;
      e.hash = entryHash(e);
      prev = e.hash;
      out.push(JSON.stringify(e));
    }
    return out;
  }

  it('moves no call to another agent when the unsigned agent fields are rewritten (ERR_EVIDENCE_FIELD)', async () => {
    const research = world.agents.get('research-12');
    const billing = world.agents.get('billing-3');
    if (research === undefined || billing === undefined) throw new Error('world');
    const forged = forge(lines(), 1, (e) => {
      e['agent'] = research.key.did;
      e['agentName'] = 'research-12';
      e['passportId'] = research.passport.id;
    });
    const copy = join(world.dir, 'agent-rewritten.jsonl');
    writeFileSync(copy, `${forged.join('\n')}\n`);
    const last = JSON.parse(forged.at(-1) as string);
    writeFileSync(
      `${copy}.head`,
      JSON.stringify({ seq: last.seq, hash: last.hash, file: 'agent-rewritten.jsonl' }),
    );
    const report = await audit(copy);
    const row = report.rows.find((r) => r.seq === 2);
    expect(row?.agent).toBe(billing.key.did);
    expect(row?.agentName).toBe('billing-3');
    expect(row?.outcome).toBe('failed');
    expect(codes(report)).toEqual(['ERR_EVIDENCE_FIELD']);
    expect(report.problems[0]?.seq).toBe(2);
    expect(report.intact).toBe(false);
    const byName = Object.fromEntries(
      Object.values(report.byAgent).map((a) => [a.agentName, a.accepted + a.failed]),
    );
    expect(byName).toEqual({ 'research-12': 5, 'billing-3': 4, 'support-7': 3 });
  });

  it('flags a rewritten issuer too: the per-issuer count follows the verified passport', async () => {
    const forged = forge(lines(), 4, (e) => {
      e['issuer'] = 'did:web:evil.example';
    });
    const copy = join(world.dir, 'issuer-rewritten.jsonl');
    writeFileSync(copy, `${forged.join('\n')}\n`);
    const report = await audit(copy);
    expect(report.problems.map((p) => [p.seq, p.code])).toContainEqual([5, 'ERR_EVIDENCE_FIELD']);
    expect(report.byIssuer['did:web:evil.example']).toBeUndefined();
    expect(report.rows.find((r) => r.seq === 5)?.issuer).toBe(ORG);
  });
});

describe('as of the time of each entry', () => {
  it('an entry made after the passport was revoked does not re-verify (ERR_REVOKED); earlier ones do', async () => {
    const w = createWorld(['solo-1', 'other-2']);
    await w.issueAll(at(0));
    const file = join(w.dir, 'revoked.jsonl');
    const log = openEvidenceLog(file);
    // The service kept using lists from minute 1: it accepted calls after the revocation at minute 5.
    const service = await w.service(log, at(1));
    await service.call('solo-1', at(2));
    const before = await w.bundle(at(3));
    await w.state.change({ subject: w.agents.get('solo-1')?.key.did as string }, 'revoke', at(5));
    const after = await w.bundle(at(6));
    await service.call('solo-1', at(8));
    await service.call('other-2', at(9));
    log.close();
    const report = await auditLog(file, { bundles: [before, after], authors: [w.operator.did], workers: 0 });
    expect(bySeq(report).map((r) => [r.seq, r.outcome, r.code])).toEqual([
      [1, 'accepted', undefined],
      [2, 'failed', 'ERR_REVOKED'],
      [3, 'accepted', undefined],
    ]);
    expect(report.intact).toBe(true);
    // This thread's checker reuses the bundles the audit verified first; a worker verifies its own.
    const onWorker = await auditLog(file, {
      bundles: [before, after],
      authors: [w.operator.did],
      workers: 1,
    });
    expect(onWorker).toEqual(report);
    rmSync(w.dir, { recursive: true, force: true });
  });

  it('an entry whose passport was signed after the key compromise does not re-verify (ERR_KEY_COMPROMISED)', async () => {
    const w = createWorld(['solo-1']);
    await w.issueAll(at(0));
    const file = join(w.dir, 'compromised.jsonl');
    const log = openEvidenceLog(file);
    const service = await w.service(log, at(1));
    await service.call('solo-1', at(2));
    log.close();
    w.compromise(at(-1));
    const report = await auditLog(file, {
      bundles: [await w.bundle(at(3))],
      authors: [w.operator.did],
      workers: 0,
    });
    expect(report.rows[0]).toMatchObject({ outcome: 'failed', code: 'ERR_KEY_COMPROMISED' });
    rmSync(w.dir, { recursive: true, force: true });
  });

  it('usage beyond maxCalls across the log is found (ERR_USAGE_EXCEEDED), and refused calls are kept apart', async () => {
    const w = createWorld(['solo-1']);
    await w.issueAll(at(0), 2);
    const file = join(w.dir, 'usage.jsonl');
    const log = openEvidenceLog(file);
    // Three service instances without a shared store each allowed a call: 3 calls on maxCalls 2.
    for (const minute of [2, 3, 4]) await (await w.service(log, at(1))).call('solo-1', at(minute));
    const strict = await w.service(log, at(1), { recordRefused: true });
    await strict.call('solo-1', at(5), { scopes: ['delete:everything'] });
    log.close();
    const report = await auditLog(file, {
      bundles: [await w.bundle(at(6))],
      authors: [w.operator.did],
      workers: 0,
    });
    expect(bySeq(report).map((r) => [r.outcome, r.code])).toEqual([
      ['accepted', undefined],
      ['accepted', undefined],
      ['failed', 'ERR_USAGE_EXCEEDED'],
      ['refused', 'ERR_SCOPE_DENIED'],
    ]);
    expect(report.totals).toMatchObject({ accepted: 2, refused: 1, failed: 1 });
    // The refused call is attributed by its verified signer, named by the passport it carried.
    expect(bySeq(report)[3]).toMatchObject({
      agent: w.agents.get('solo-1')?.key.did,
      agentName: 'solo-1',
      issuer: ORG,
    });
    expect(Object.keys(report.byIssuer)).toEqual([ORG]);
    rmSync(w.dir, { recursive: true, force: true });
  });

  it("a refused row shows the service's logged code when re-verification cannot re-derive it, and only a known code", async () => {
    const w = createWorld(['solo-1']);
    await w.issueAll(at(0));
    const file = join(w.dir, 'refused.jsonl');
    const log = openEvidenceLog(file);
    const service = await w.service(log, at(1), { recordRefused: true });
    await service.call('solo-1', at(2), { scopes: ['delete:everything'] });
    log.close();
    const trust = { bundles: [await w.bundle(at(6))], authors: [w.operator.did], workers: 0 };
    const [line] = readFileSync(file, 'utf8').trimEnd().split('\n');
    /** The log with its one entry's scopes and logged codes rewritten (rehashed, the head with it). */
    const rewritten = (codes: string[]) => {
      const { hash: _, ...entry } = JSON.parse(line as string);
      const body = { ...entry, requiredScopes: ['write:ledger'], verdict: { verified: false, codes } };
      const hash = entryHash(body);
      writeFileSync(file, `${JSON.stringify({ ...body, hash })}\n`);
      const head = JSON.parse(readFileSync(`${file}.head`, 'utf8'));
      writeFileSync(`${file}.head`, JSON.stringify({ ...head, hash }));
      return auditLog(file, trust);
    };
    // As logged: re-verification re-derives the scope refusal, with its own message.
    const derived = (await auditLog(file, trust)).rows[0];
    expect(derived).toMatchObject({ outcome: 'refused', code: 'ERR_SCOPE_DENIED' });
    expect(derived?.message).toMatch(/delete:everything/);
    // A refusal re-verification passes (a replay is seen live, not in one entry): the logged code.
    expect((await rewritten(['ERR_REPLAY'])).rows[0]).toMatchObject({
      outcome: 'refused',
      code: 'ERR_REPLAY',
      message: 'as the service logged it (not re-derived by the audit)',
    });
    // Whatever else a log says is not shown as a code.
    for (const codes of [['<img src=x>'], [], [42 as unknown as string]]) {
      const row = (await rewritten(codes)).rows[0];
      expect(row).toMatchObject({ outcome: 'refused' });
      expect(row?.code).toBeUndefined();
    }
    rmSync(w.dir, { recursive: true, force: true });
  });

  it('refuses bundles that are not by a pinned author', async () => {
    await expect(
      auditLog(path, {
        bundles: [bundle],
        authors: [
          world.agents.get('solo-1')?.key.did ?? 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
        ],
        workers: 0,
      }),
    ).rejects.toMatchObject({
      code: 'ERR_BUNDLE_SIGNATURE',
    });
  });
});

describe('the HTML report', () => {
  it('is one self-contained page that forbids network access and embeds the data safely', async () => {
    const report = await audit();
    const html = renderHtmlReport({ ...report, warnings: ['</script><script>alert(1)</script>'] });
    expect(html).toContain("default-src 'none'");
    // Only this page's own style and script run: allowed by hash, never 'unsafe-inline'.
    expect(html).not.toContain('unsafe-inline');
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const { createHash } = await import('node:crypto');
    expect(html).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(html).not.toMatch(/<(link|img|iframe)\b|src=["']http/);
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html.match(/<script/g)).toHaveLength(2);
  });
});

describe('auditing what agents presented (no log)', () => {
  it('verifies a folder of credentials and presentations as of their proofs, and a JSONL of them', async () => {
    const { createPresentation } = await import('@agent-passport/issuer');
    const { didKeySigner } = await import('@agent-passport/suites');
    const { mkdirSync } = await import('node:fs');
    const { auditDocuments } = await import('../src/index.js');
    const w = createWorld(['solo-1', 'other-2']);
    await w.issueAll(at(0));
    const solo = w.agents.get('solo-1');
    const other = w.agents.get('other-2');
    if (solo === undefined || other === undefined) throw new Error('world');
    const vp = await createPresentation({
      passport: solo.passport,
      signer: didKeySigner(solo.key),
      challenge: 'c-1',
      domain: 'api.example',
      now: at(2),
    } as never);
    await w.state.change({ subject: other.key.did }, 'revoke', at(1));
    const b = await w.bundle(at(3));
    const dir = join(w.dir, 'presented');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-vp.json'), JSON.stringify(vp));
    writeFileSync(join(dir, 'b-passport.json'), JSON.stringify(solo.passport));
    writeFileSync(join(dir, 'c-revoked.json'), JSON.stringify(other.passport));
    writeFileSync(join(dir, 'd-garbage.json'), '{"a":1,"a":2}');
    const r = await auditDocuments(dir, { bundles: [b], authors: [w.operator.did] });
    expect(r.results.map((x) => [x.source, x.kind, x.verified, x.code])).toEqual([
      ['a-vp.json', 'presentation', true, undefined],
      ['b-passport.json', 'credential', true, undefined],
      ['c-revoked.json', 'credential', false, 'ERR_STATUS_UNAVAILABLE'],
      ['d-garbage.json', 'unknown', false, 'ERR_PARSE_JSON'],
    ]);
    const jsonl = join(w.dir, 'presented.jsonl');
    writeFileSync(
      jsonl,
      `${JSON.stringify(vp)}\n${JSON.stringify({ ...vp, proof: { ...(vp as { proof: object }).proof, challenge: undefined } })}\n`,
    );
    const j = await auditDocuments(jsonl, { bundles: [b], authors: [w.operator.did] });
    expect(j.results.map((x) => x.verified)).toEqual([true, false]);
    rmSync(w.dir, { recursive: true, force: true });
  });
});
