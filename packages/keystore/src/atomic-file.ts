// SPDX-License-Identifier: Apache-2.0
// Atomic file writes: a complete temporary file in the same directory, fsynced, then renamed (or
// hard-linked, create-exclusive) into place, and the directory fsynced. A crash mid-write leaves
// the previous file intact, never a half-written one.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Write all of `content` at the file's position: a short write (a full disk, a file-size limit)
 * goes on with the rest, and the error that stops it is thrown. `writeSync` alone reports a short
 * write only by its return value, and a caller that ignores it keeps a torn file as if whole.
 */
export function writeAll(fd: number, content: string | Uint8Array): void {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done);
}

/** A complete, fsynced temporary file in `dir` holding `content`. */
function writeTemp(dir: string, content: string, mode: number): string {
  const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeAll(fd, content);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  return tmp;
}

function syncDir(dir: string): void {
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

/** Write `content` to `path` atomically with `mode`, replacing any file there. */
export function writeAtomic(path: string, dir: string, content: string, mode = 0o600): void {
  renameSync(writeTemp(dir, content, mode), path);
  syncDir(dir);
}

/**
 * Write `content` to `path` atomically, only if no file is there: the complete temporary file is
 * hard-linked to `path`, which fails if the name exists (create-exclusive, like O_EXCL, and never
 * a half-written file). Returns false, writing nothing, when `path` exists.
 */
export function writeAtomicExclusive(path: string, dir: string, content: string, mode = 0o600): boolean {
  const tmp = writeTemp(dir, content, mode);
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
  syncDir(dir);
  return true;
}
