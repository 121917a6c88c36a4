// SPDX-License-Identifier: Apache-2.0
// The audit streams: it judges the first entries of a log before the rest of the log exists (a
// named pipe written in two halves), and replay detection remembers a nonce only within a
// signature's validity window, so its memory follows the log's rate, not its length.
import { execFileSync } from 'node:child_process';
import { copyFileSync, createWriteStream, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNonceWindow, REPLAY_WINDOW_MS } from '../src/audit-replay.js';
import { auditLog, openEvidenceLog } from '../src/index.js';
import { at, createWorld } from './world.js';

const world = createWorld();
afterAll(() => rmSync(world.dir, { recursive: true, force: true }));
const path = join(world.dir, 'evidence.jsonl');
let bundle = '';

beforeAll(async () => {
  await world.issueAll(at(0));
  const log = openEvidenceLog(path);
  const service = await world.service(log, at(10));
  for (let i = 0; i < 12; i++) {
    const r = await service.call(['research-12', 'billing-3', 'support-7'][i % 3] as string, at(11 + i));
    expect(r.verified, JSON.stringify(r.errors)).toBe(true);
  }
  log.close();
  bundle = await world.bundle(at(30));
});

describe('the audit streams the log', () => {
  it('judges the first entries before the rest of the log is written (a named pipe)', {
    timeout: 60_000,
  }, async () => {
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const pipe = join(world.dir, 'pipe.jsonl');
    execFileSync('mkfifo', [pipe]);
    copyFileSync(`${path}.head`, `${pipe}.head`);
    const events: string[] = [];
    let firstHalfJudged: () => void = () => {};
    const judged = new Promise<void>((resolve) => {
      firstHalfJudged = resolve;
    });
    const report = auditLog(pipe, {
      bundles: [bundle],
      authors: [world.operator.did],
      onProgress: (done) => {
        events.push(`judged ${done}`);
        if (done >= 5) firstHalfJudged();
      },
    });
    const writer = createWriteStream(pipe);
    writer.write(`${lines.slice(0, 6).join('\n')}\n`);
    // Only once the audit has judged entries of the first half does the second half exist.
    await judged;
    events.push('second half written');
    writer.end(`${lines.slice(6).join('\n')}\n`);
    const r = await report;
    expect(r.entries).toBe(12);
    expect(r.totals.accepted).toBe(12);
    expect(r.intact).toBe(true);
    // Progress comes per batch (a read's lines): some count of at least 5 came before the rest.
    const firstHalf = events.findIndex((e) => e.startsWith('judged ') && Number(e.slice(7)) >= 5);
    expect(firstHalf).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('second half written')).toBeGreaterThan(firstHalf);
  });
});

describe('replay detection in bounded memory', () => {
  it('remembers a nonce for its signature window only: a log ten windows long holds one window', () => {
    const nonces = createNonceWindow();
    const second = 1000;
    const windowEntries = REPLAY_WINDOW_MS / second;
    let most = 0;
    for (let i = 0; i < 10 * windowEntries; i++) {
      expect(nonces.seen('did:key:z6Mk#a', `n${i}`, i + 1, i * second)).toBeUndefined();
      most = Math.max(most, nonces.size);
    }
    expect(most).toBeLessThanOrEqual(windowEntries + 1);
    const last = 10 * windowEntries - 1;
    // A nonce accepted again within the window is a replay, named by the entry that first used it.
    expect(nonces.seen('did:key:z6Mk#a', `n${last - 5}`, last + 2, (last + 1) * second)).toBe(last - 4);
    // Another key's nonce of the same value is not.
    expect(nonces.seen('did:key:z6Mk#b', `n${last - 5}`, last + 3, (last + 1) * second)).toBeUndefined();
  });
});
