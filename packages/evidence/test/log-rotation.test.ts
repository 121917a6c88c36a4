// SPDX-License-Identifier: Apache-2.0
// Rotation never overwrites a segment. Segments were numbered by counting them, so once the oldest
// was archived (moved away, as operators do with old logs) the next rotation took the number of
// the newest one and replaced it: acknowledged entries were lost without a word. A segment now
// takes the number after the highest one present.
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openEvidenceLog } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'log-rotation-'));
const archive = mkdtempSync(join(tmpdir(), 'log-archive-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(archive, { recursive: true, force: true });
});

/** Each log file of `dir` with the sequence numbers of its entries. */
const contents = () =>
  Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .map((f) => [
        f,
        readFileSync(join(dir, f), 'utf8')
          .split('\n')
          .filter((l) => l.length > 0)
          .map((l) => (JSON.parse(l) as { seq: number }).seq),
      ]),
  );

it('numbers a new segment after the highest one, so that archiving the oldest loses nothing', async () => {
  const log = openEvidenceLog(join(dir, 'e.jsonl'), { maxFileBytes: 4096 });
  // Each entry fills a file: one rotation per entry.
  const record = (n: number) =>
    log.recordEvent({
      time: new Date(Date.UTC(2026, 5, 1, 12, 0, n)),
      event: 'login-exchange',
      ref: `${n}${'x'.repeat(4096)}`,
    });
  for (const n of [1, 2, 3]) await record(n);
  expect(contents()).toEqual({
    'e.000001.jsonl': [1],
    'e.000002.jsonl': [2],
    'e.000003.jsonl': [3],
    'e.jsonl': [],
  });
  renameSync(join(dir, 'e.000001.jsonl'), join(archive, 'e.000001.jsonl'));
  await record(4);
  log.close();
  expect(contents()).toEqual({
    'e.000002.jsonl': [2],
    'e.000003.jsonl': [3],
    'e.000004.jsonl': [4],
    'e.jsonl': [],
  });
});
