// SPDX-License-Identifier: Apache-2.0
// The owner-named lock (docs/security.md): one holder at a time; a dead
// owner's lock (an exited process, a reused pid) is broken at once, a live one's never; an owner on
// another host only after the caller's age limit; a breaker left by a killed breaker does not block.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLock, type LockOwner, ownerIsDead, tryLock } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ap-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `l${n++}.lock`);
const owner = (o: Partial<LockOwner>): string =>
  JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-06-01T00:00:00Z', token: 't', ...o });
const age = (path: string, seconds: number) => {
  const t = new Date(Date.now() - seconds * 1000);
  utimesSync(path, t, t);
};
/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number;

describe('tryLock', () => {
  it('has one holder at a time, naming it, until it releases', () => {
    const path = fresh();
    const a = tryLock(path);
    if (!('release' in a)) throw new Error('not taken');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    const b = tryLock(path);
    expect(b).toEqual({ heldBy: a.owner });
    a.release();
    expect(existsSync(path)).toBe(false);
    const c = tryLock(path);
    expect('release' in c).toBe(true);
    a.release(); // not ours any more: a late release leaves the new holder's lock alone
    expect(existsSync(path)).toBe(true);
  });

  it('knows whether it still holds the lock: not once it was removed, nor once another took it', () => {
    const path = fresh();
    const a = tryLock(path);
    if (!('release' in a)) throw new Error('not taken');
    expect(a.held()).toBe(true);
    rmSync(path);
    expect(a.held()).toBe(false);
    const b = tryLock(path);
    if (!('release' in b)) throw new Error('not taken');
    expect([a.held(), b.held()]).toEqual([false, true]);
    writeFileSync(path, JSON.stringify({ ...b.owner, token: 'another writer' }));
    expect(b.held()).toBe(false);
  });

  it("breaks a dead owner's lock at once: an exited process, or a live pid that started later", () => {
    const exited = fresh();
    writeFileSync(exited, owner({ pid: deadPid() }));
    expect('release' in tryLock(exited)).toBe(true);

    const reused = fresh();
    const mine = tryLock(fresh());
    if (!('release' in mine)) throw new Error('not taken');
    writeFileSync(
      reused,
      owner({ ...(mine.owner.boot === undefined ? {} : { boot: mine.owner.boot }), start: '1' }),
    );
    expect(ownerIsDead(JSON.parse(readFileSync(reused, 'utf8')))).toBe(process.platform === 'linux');
  });

  it("never breaks a live owner's lock, however old", () => {
    const path = fresh();
    const live = tryLock(fresh());
    if (!('release' in live)) throw new Error('not taken');
    writeFileSync(path, JSON.stringify({ ...live.owner, token: 'other' }));
    age(path, 3600);
    expect(tryLock(path, { breakUnknownAfterMs: 1000 })).toMatchObject({ heldBy: { token: 'other' } });
  });

  it('keeps an owner on another host (or an unreadable record) until the age limit', () => {
    for (const content of [owner({ host: 'elsewhere.example', pid: deadPid() }), 'not json']) {
      const path = fresh();
      writeFileSync(path, content);
      expect('heldBy' in tryLock(path)).toBe(true);
      expect('heldBy' in tryLock(path, { breakUnknownAfterMs: 60_000 })).toBe(true);
      age(path, 120);
      expect('release' in tryLock(path, { breakUnknownAfterMs: 60_000 })).toBe(true);
    }
    expect(ownerIsDead(JSON.parse(owner({ host: 'elsewhere.example', pid: deadPid() })))).toBe(false);
  });

  it('clears a breaker left by a process killed mid-break', () => {
    const path = fresh();
    writeFileSync(path, owner({ pid: deadPid() }));
    writeFileSync(`${path}.break`, '12345');
    expect('heldBy' in tryLock(path)).toBe(true); // someone is breaking it right now
    age(`${path}.break`, 60);
    expect('release' in tryLock(path)).toBe(true);
    expect(existsSync(`${path}.break`)).toBe(false);
  });
});

describe('acquireLock', () => {
  it('waits for a live holder to release, or gives up after waitMs naming it', async () => {
    const path = fresh();
    const a = tryLock(path);
    if (!('release' in a)) throw new Error('not taken');
    expect(await acquireLock(path, { waitMs: 150 })).toEqual({ heldBy: a.owner });
    setTimeout(() => a.release(), 100);
    const b = await acquireLock(path, { waitMs: 10_000 });
    expect('release' in b).toBe(true);
  });
});
