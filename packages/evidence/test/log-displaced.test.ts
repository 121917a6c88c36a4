// SPDX-License-Identifier: Apache-2.0
// A current file removed or replaced from under a running log. Before: the log kept writing to the
// file it had open, so every later call was acknowledged (and let in) with its evidence in a file
// nobody could read any more: removed, or moved where no audit looks. Now the batch written to a
// displaced file is refused (ERR_EVIDENCE_UNAVAILABLE, the call is not let in), the file at the
// log's path is opened again, and the next entries chain after the last acknowledged one, so the
// audit reports what went with the removed file.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EvidenceEntry } from '../src/entry.js';
import { openEvidenceLog } from '../src/index.js';
import { auditLog } from './differential.js';
import { at, createWorld } from './world.js';

const world = createWorld(['research-12']);
let bundle = '';
beforeAll(async () => {
  await world.issueAll(at(0));
  bundle = await world.bundle(at(30));
});
afterAll(() => rmSync(world.dir, { recursive: true, force: true }));

const lines = (file: string): EvidenceEntry[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as EvidenceEntry);

/** A log with a service in front of it that has accepted `calls` calls. */
async function runningLog(name: string, calls: number) {
  const path = join(world.dir, `${name}.jsonl`);
  const log = openEvidenceLog(path);
  const service = await world.service(log, at(1));
  for (let i = 0; i < calls; i++) expect((await service.call('research-12', at(2 + i))).verified).toBe(true);
  return { path, log, call: (minute: number) => service.call('research-12', at(minute)) };
}

const codesOf = (r: { errors: readonly { code: string }[] }) => r.errors.map((e) => e.code);

it('a removed current file: the call written to it is refused, the next goes to a new file, and the audit reports the loss', async () => {
  const { path, log, call } = await runningLog('removed', 2);
  unlinkSync(path);
  expect(codesOf(await call(10))).toEqual(['ERR_EVIDENCE_UNAVAILABLE']);
  expect((await call(11)).verified).toBe(true);
  log.close();
  const [entry, ...rest] = lines(path);
  expect(rest).toEqual([]);
  // It follows the last acknowledged entry, and carries its passport's bytes: the file stands alone.
  expect(entry).toMatchObject({ seq: 3, verdict: { verified: true } });
  expect(entry?.passport?.bytes).toBeTypeOf('string');
  const report = await auditLog(path, { bundles: [bundle], authors: [world.operator.did], workers: 0 });
  expect(report.intact).toBe(false);
  expect(report.problems.map((p) => p.code)).toEqual(['ERR_EVIDENCE_TRUNCATED']);
  expect(report.rows.map((r) => [r.seq, r.outcome, r.code])).toEqual([
    [3, 'failed', 'ERR_EVIDENCE_TRUNCATED'],
  ]);
});

it('a current file moved away: the batch is cut back out of it, and the log goes on at its path', async () => {
  const { path, log, call } = await runningLog('moved', 2);
  const moved = join(world.dir, 'moved-away.jsonl');
  renameSync(path, moved);
  const before = readFileSync(moved, 'utf8');
  expect(codesOf(await call(10))).toEqual(['ERR_EVIDENCE_UNAVAILABLE']);
  expect(readFileSync(moved, 'utf8')).toBe(before);
  expect((await call(11)).verified).toBe(true);
  log.close();
  expect(lines(path).map((e) => e.seq)).toEqual([3]);
  expect(lines(moved).map((e) => e.seq)).toEqual([1, 2]);
});

it('a current file replaced by another: the log writes to the file at its path, not to the one it had open', async () => {
  const { path, log, call } = await runningLog('replaced', 1);
  renameSync(path, join(world.dir, 'replaced-old.jsonl'));
  writeFileSync(path, '');
  expect(codesOf(await call(10))).toEqual(['ERR_EVIDENCE_UNAVAILABLE']);
  expect((await call(11)).verified).toBe(true);
  log.close();
  expect(lines(path).map((e) => e.seq)).toEqual([2]);
});

it('a removed file is opened again once: later calls are accepted and chained', async () => {
  const { path, log, call } = await runningLog('again', 1);
  unlinkSync(path);
  expect(codesOf(await call(10))).toEqual(['ERR_EVIDENCE_UNAVAILABLE']);
  for (const minute of [11, 12, 13]) expect((await call(minute)).verified).toBe(true);
  log.close();
  expect(existsSync(path)).toBe(true);
  const [a, b, c] = lines(path);
  expect([a?.seq, b?.seq, c?.seq]).toEqual([2, 3, 4]);
  expect([b?.prev, c?.prev]).toEqual([a?.hash, b?.hash]);
});

it('a file that cannot be opened again at its path: every later call is refused, none acknowledged', async () => {
  const { path, log, call } = await runningLog('unopenable', 1);
  unlinkSync(path);
  mkdirSync(path); // what is at the path now cannot be opened as the log's file
  expect(codesOf(await call(10))).toEqual(['ERR_EVIDENCE_UNAVAILABLE']);
  const event = { time: at(12), event: 'login-exchange' as const };
  await expect(log.recordEvent(event)).rejects.toMatchObject({ code: 'ERR_EVIDENCE_UNAVAILABLE' });
  log.close();
});
