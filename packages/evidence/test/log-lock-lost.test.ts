// SPDX-License-Identifier: Apache-2.0
// A writer whose lock is gone. One writer per log: open takes the lock and a second writer is
// refused (ERR_EVIDENCE_LOCKED). Before: a writer never looked at its lock again, so once the lock
// was removed by hand (or broken by a process that judged its owner dead) a second writer opened
// the log and both chained entries after the same one: a forked chain, every call acknowledged.
// Now a writer checks its lock before each batch and, once it is not its own, stops for good.
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { EvidenceEntry } from '../src/entry.js';
import { openEvidenceLog } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'log-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const event = (minute: number) => ({
  time: new Date(Date.UTC(2026, 5, 1, 12, minute)),
  event: 'login-exchange' as const,
});
const entries = (file: string): EvidenceEntry[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as EvidenceEntry);

it('a writer whose lock was removed stops; the next writer chains after it, and the chain does not fork', async () => {
  const path = join(dir, 'removed.jsonl');
  const first = openEvidenceLog(path);
  await first.recordEvent(event(1));
  unlinkSync(`${path}.lock`);
  await expect(first.recordEvent(event(2))).rejects.toMatchObject({ code: 'ERR_EVIDENCE_LOCKED' });
  const second = openEvidenceLog(path);
  await second.recordEvent(event(3));
  // Stopped for good, and its close leaves the new writer's lock alone.
  await expect(first.recordEvent(event(4))).rejects.toMatchObject({ code: 'ERR_EVIDENCE_LOCKED' });
  first.close();
  expect(() => openEvidenceLog(path)).toThrow(expect.objectContaining({ code: 'ERR_EVIDENCE_LOCKED' }));
  await second.recordEvent(event(5));
  second.close();
  const [a, b, c, ...rest] = entries(path);
  expect(rest).toEqual([]);
  expect([a?.seq, b?.seq, c?.seq]).toEqual([1, 2, 3]);
  expect([b?.prev, c?.prev]).toEqual([a?.hash, b?.hash]);
});

it('a writer whose lock another process took stops', async () => {
  const path = join(dir, 'taken.jsonl');
  const log = openEvidenceLog(path);
  await log.recordEvent(event(1));
  const lock = JSON.parse(readFileSync(`${path}.lock`, 'utf8'));
  writeFileSync(`${path}.lock`, JSON.stringify({ ...lock, pid: lock.pid + 1, token: 'another writer' }));
  await expect(log.recordEvent(event(2))).rejects.toMatchObject({ code: 'ERR_EVIDENCE_LOCKED' });
  log.close();
  expect(entries(path).map((e) => e.seq)).toEqual([1]);
});
