// SPDX-License-Identifier: Apache-2.0
// An inter-process lock that names its owner (docs/security.md): a
// lock file published whole with link(2) (create-exclusive, never seen half-written) holding the
// owner's pid, host, boot and process start. A lock whose owner is provably dead (same host and
// boot, and no process with that pid and start time) is broken at once, under a short breaker
// file so that two processes never both break it; a live owner, or one on another host, keeps it.
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { writeAll } from './atomic-file.js';

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** The boot this process runs in (Linux boot_id), when known: a reboot kills every owner. */
  readonly boot?: string;
  /** The owner's process start (Linux: clock ticks since boot), telling a reused pid apart. */
  readonly start?: string;
  /** When the lock was taken (ISO 8601), for people. */
  readonly since: string;
  readonly token: string;
}

export interface OwnedLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Whether the lock is still ours: not removed, nor broken and taken by another process. */
  held(): boolean;
  /** Remove the lock if it is still ours. */
  release(): void;
}

export interface LockOptions {
  /**
   * Break a lock whose owner cannot be checked (another host, an unreadable record) once it is this
   * old (default: never). A live owner on this host is never broken.
   */
  readonly breakUnknownAfterMs?: number;
}

const readText = (path: string) => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
};
const BOOT = readText('/proc/sys/kernel/random/boot_id');

/** A process's start time (field 22 of /proc/PID/stat), or undefined where /proc is absent. */
function processStart(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function self(): LockOwner {
  const start = processStart(process.pid);
  return {
    pid: process.pid,
    host: hostname(),
    ...(BOOT === undefined ? {} : { boot: BOOT }),
    ...(start === undefined ? {} : { start }),
    since: new Date().toISOString(),
    token: randomBytes(12).toString('base64url'),
  };
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return Number.isInteger(o?.pid) && typeof o.host === 'string' && typeof o.token === 'string'
      ? o
      : undefined;
  } catch {
    return undefined;
  }
}

/** Is the owner provably gone? Only on this host and boot; anywhere else it might be alive. */
export function ownerIsDead(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  if (owner.boot !== undefined && BOOT !== undefined && owner.boot !== BOOT) return true;
  // A live process with the owner's pid but another start time is a reused pid.
  const start = owner.start === undefined ? undefined : processStart(owner.pid);
  if (start !== undefined && owner.boot === BOOT) return start !== owner.start;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Write `content` to a fresh file and link it to `path`: false when `path` exists. */
function publish(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeAll(fd, content);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkQuietly(tmp);
  }
}

const unlinkQuietly = (path: string) => {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
};

const ageMs = (path: string) => {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};

/**
 * Remove the lock if `owner` (undefined: an unreadable record) still holds it, serialised by a
 * breaker file so that a lock just taken by a third process is never removed by a late breaker.
 */
function breakLock(path: string, owner: LockOwner | undefined): void {
  const breaker = `${path}.break`;
  if (!publish(breaker, String(process.pid))) {
    // A valid breaker lives for a few fs calls; an old one was left by a process killed mid-break.
    if (ageMs(breaker) > 5000) unlinkQuietly(breaker);
    return;
  }
  try {
    const now = readOwner(path);
    if (owner === undefined ? now === undefined : now?.token === owner.token) unlinkQuietly(path);
  } finally {
    unlinkQuietly(breaker);
  }
}

/** Take the lock at `path` now, or return the owner that holds it. */
export function tryLock(
  path: string,
  options: LockOptions = {},
): OwnedLock | { readonly heldBy: LockOwner | undefined } {
  const me = self();
  const held = () => readOwner(path)?.token === me.token;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (publish(path, JSON.stringify(me)))
      return {
        path,
        owner: me,
        held,
        release() {
          if (held()) unlinkQuietly(path);
        },
      };
    const owner = readOwner(path);
    const checkable = owner !== undefined && owner.host === hostname();
    const dead = checkable
      ? ownerIsDead(owner)
      : options.breakUnknownAfterMs !== undefined && ageMs(path) > options.breakUnknownAfterMs;
    if (dead) breakLock(path, owner);
    else return { heldBy: owner };
  }
  return { heldBy: readOwner(path) };
}

/** Take the lock, waiting up to `waitMs` for a live owner to release it. */
export async function acquireLock(
  path: string,
  options: LockOptions & { readonly waitMs: number },
): Promise<OwnedLock | { readonly heldBy: LockOwner | undefined }> {
  const until = Date.now() + options.waitMs;
  let pause = 5;
  for (;;) {
    const r = tryLock(path, options);
    if ('release' in r || Date.now() >= until) return r;
    await new Promise((ok) => setTimeout(ok, pause));
    pause = Math.min(100, pause * 2);
  }
}

/** A short description of an owner for error messages. */
export const describeOwner = (owner: LockOwner | undefined) =>
  owner === undefined ? 'an unknown process' : `process ${owner.pid} on ${owner.host} (since ${owner.since})`;
