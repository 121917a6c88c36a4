// SPDX-License-Identifier: Apache-2.0
// A write the file cannot take (a full disk, a file-size limit) loses nothing and forks nothing.
// Before: a short write was acknowledged as whole (its entry torn, the head naming it), and an
// entry that failed kept its place in the chain, so every later entry chained onto one the file
// never held. Now the whole batch is written or refused (ERR_EVIDENCE_UNAVAILABLE) and cut back,
// and the next entry chains after the last one written. The limit is a real one: `ulimit -f`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type EvidenceEntry, entryHash, GENESIS } from '../src/entry.js';
import { openEvidenceLog } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'log-full-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The file's entries; throws on a torn or unreadable line. */
function entries(file: string): EvidenceEntry[] {
  const text = readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as EvidenceEntry);
}

/** Each entry follows the one before it: the next sequence number, its hash, and a hash of its own. */
function expectChained(list: readonly EvidenceEntry[]): void {
  let prev = GENESIS;
  for (const [i, entry] of list.entries()) {
    const { hash, ...body } = entry;
    expect({ seq: entry.seq, prev: entry.prev, hash }).toEqual({ seq: i + 1, prev, hash: entryHash(body) });
    prev = hash;
  }
}

/** Run log-full-writer.mjs on `file` under a file-size limit of `kib` KiB; its output lines. */
function writeUnderLimit(file: string, kib: number, turns: readonly string[]): string[] {
  const writer = join(import.meta.dirname, 'log-full-writer.mjs');
  const run = spawnSync(
    'bash',
    ['-c', `ulimit -f ${kib} && exec "${process.execPath}" "$@"`, 'bash', writer, file, ...turns],
    { encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim().split('\n');
}

it('refuses a write the file-size limit cuts short, cuts it back, and chains the next entry after the last one written', () => {
  const file = join(dir, 'e.jsonl');
  // 4 KiB: three entries of about 1.1 KB fit, the fourth crosses the limit, a small one still fits.
  expect(writeUnderLimit(file, 4, ['900', '900', '900', '900', '10'])).toEqual([
    'ok 1',
    'ok 2',
    'ok 3',
    'fail ERR_EVIDENCE_UNAVAILABLE',
    'ok 4',
  ]);
  expect(entries(file).map((e) => e.ref?.length)).toEqual([900, 900, 900, 10]);
  expectChained(entries(file));
});

it('a refused batch does not count as holding its passport: the next call carries the bytes again', () => {
  const file = join(dir, 'p.jsonl');
  // 8 KiB: the second turn (a call with the passport and a 5 KB event) crosses it; the third fits.
  expect(writeUnderLimit(file, 8, ['900', 'p,5000', 'p'])).toEqual([
    'ok 1',
    'fail ERR_EVIDENCE_UNAVAILABLE',
    'fail ERR_EVIDENCE_UNAVAILABLE',
    'ok 2',
  ]);
  const [, call] = entries(file);
  expect(call?.passport?.bytes).toBeTypeOf('string');
  expectChained(entries(file));
});

it('after a restart the log goes on from the last acknowledged entry', async () => {
  const file = join(dir, 'e.jsonl');
  const log = openEvidenceLog(file);
  const next = await log.recordEvent({ time: new Date(), event: 'login-exchange' });
  log.close();
  expect(next.seq).toBe(5);
  expectChained(entries(file));
});

it('a current file removed from under the log when it is due to rotate: refused once, then written and rotated', async () => {
  const file = join(dir, 'gone.jsonl');
  const log = openEvidenceLog(file, { maxFileBytes: 4096 });
  unlinkSync(file);
  const big = { time: new Date(), event: 'login-exchange' as const, ref: 'x'.repeat(5000) };
  // The first write went to the removed file: refused. The file is opened again at its path.
  await expect(log.recordEvent(big)).rejects.toMatchObject({ code: 'ERR_EVIDENCE_UNAVAILABLE' });
  await expect(log.recordEvent(big)).resolves.toMatchObject({ seq: 1 });
  await expect(log.recordEvent(big)).resolves.toMatchObject({ seq: 2 });
  log.close();
  expect([1, 2].map((n) => entries(join(dir, `gone.00000${n}.jsonl`))[0]?.seq)).toEqual([1, 2]);
});
