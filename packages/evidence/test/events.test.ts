// SPDX-License-Identifier: Apache-2.0
// Event entries (an exchange created, a login refused early, a session revoked): hash-chained like
// every entry, counted as events (never accepted or refused), and tampering with one is found.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash, openEvidenceLog } from '../src/index.js';
import { auditLog } from './differential.js';
import { at, createWorld } from './world.js';

const world = createWorld();
afterAll(() => rmSync(world.dir, { recursive: true, force: true }));
let bundle = '';
const path = join(world.dir, 'events.jsonl');
const audit = (file = path) =>
  auditLog(file, { bundles: [bundle], authors: [world.operator.did], workers: 0 });

beforeAll(async () => {
  await world.issueAll(at(0));
  const log = openEvidenceLog(path);
  const service = await world.service(log, at(10));
  await log.recordEvent({ time: at(11), event: 'login-exchange', ref: 'x1' });
  expect((await service.call('research-12', at(12))).verified).toBe(true);
  await log.recordEvent({
    time: at(13),
    event: 'login-refused',
    code: 'ERR_LOGIN_EXCHANGE_EXPIRED',
    ref: 'x1',
  });
  const revoked = await log.recordEvent({
    time: at(14),
    event: 'session-revoked',
    ref: 's1',
    agent: 'did:key:z6Mk',
  });
  expect(revoked).toMatchObject({ kind: 'event', event: 'session-revoked', ref: 's1', seq: 4 });
  await expect(log.recordEvent({ time: at(15), event: 'nonsense' as 'login-exchange' })).rejects.toThrow(
    TypeError,
  );
  log.close();
  bundle = await world.bundle(at(30));
});

/** Audit a copy of the log whose lines `change` rewrote (the head naming its last entry). */
async function auditCopy(name: string, change: (entries: Record<string, unknown>[]) => void) {
  const entries = readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  change(entries);
  const copy = join(world.dir, `${name}.jsonl`);
  writeFileSync(copy, `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`);
  const head = JSON.parse(readFileSync(`${path}.head`, 'utf8'));
  // The head names the last entry as it now stands: only the change itself is to be found.
  writeFileSync(`${copy}.head`, JSON.stringify({ ...head, hash: entries.at(-1)?.['hash'] }));
  return audit(copy);
}

describe('event entries', () => {
  it('audit intact, counted as events, never as accepted or refused', async () => {
    const report = await audit();
    expect(report.intact).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.totals).toEqual({ accepted: 1, refused: 0, failed: 0, garbage: 0, events: 3 });
    expect(report.byEvent).toEqual({ 'login-exchange': 1, 'login-refused': 1, 'session-revoked': 1 });
    const refused = report.rows.find((r) => r.event?.name === 'login-refused');
    expect(refused).toMatchObject({
      outcome: 'event',
      event: { code: 'ERR_LOGIN_EXCHANGE_EXPIRED', ref: 'x1' },
    });
    // The service's note of who an event concerns is no attribution.
    expect(report.rows.find((r) => r.event?.name === 'session-revoked')?.agent).toBeUndefined();
    // Checked on a worker thread, the same.
    const onWorker = await auditLog(path, { bundles: [bundle], authors: [world.operator.did], workers: 1 });
    expect(onWorker.totals).toEqual(report.totals);
    expect(onWorker.byEvent).toEqual(report.byEvent);
  });

  it('an edited event breaks its hash (ERR_EVIDENCE_HASH)', async () => {
    const report = await auditCopy('edited', (e) => {
      (e[3] as Record<string, unknown>)['ref'] = 's2';
    });
    expect(report.intact).toBe(false);
    expect(report.problems.map((p) => [p.seq, p.code])).toEqual([[4, 'ERR_EVIDENCE_HASH']]);
    expect(report.totals.events).toBe(2);
  });

  it('a deleted event breaks the chain (ERR_EVIDENCE_CHAIN)', async () => {
    const report = await auditCopy('deleted', (e) => {
      e.splice(2, 1);
    });
    expect(report.intact).toBe(false);
    expect(report.problems.map((p) => p.code)).toContain('ERR_EVIDENCE_CHAIN');
  });

  it('an unknown event, even re-hashed, is not evidence (ERR_EVIDENCE_LINE)', async () => {
    const report = await auditCopy('unknown', (e) => {
      const last = e[3] as Record<string, unknown>;
      last['event'] = 'session-opened';
      last['hash'] = entryHash(last as never);
    });
    expect(report.intact).toBe(false);
    expect(report.problems.map((p) => [p.seq, p.code])).toContainEqual([4, 'ERR_EVIDENCE_LINE']);
    expect(report.totals.events).toBe(2);
  });
});
