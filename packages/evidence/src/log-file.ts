// SPDX-License-Identifier: Apache-2.0
// The evidence log's files: the current file, opened for append and repaired of a torn last line
// after a crash (that line was never acknowledged), the head file replaced atomically after each
// commit, and rotation by size into numbered segments (`name.000001.jsonl`, …). Each file stands
// alone: it holds the bytes of every passport its entries name.
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PassportError } from '@agent-passport/core';
import { passportRef } from '@agent-passport/http-signatures';
import { writeAll } from '@agent-passport/keystore';
import type { EvidenceEntry, LogHead } from './entry.js';
import type { PassportField } from './log-records.js';

const headPath = (path: string): string => `${path}.head`;
const stemOf = (path: string): string => basename(path).replace(/\.jsonl$/, '');
const headOf = (entry: EvidenceEntry, path: string): LogHead => ({
  seq: entry.seq,
  hash: entry.hash,
  file: basename(path),
});

/** Every file of a log in order: rotated segments (`name.000001.jsonl`, …) then the current one. */
export function logFiles(path: string): string[] {
  const dir = dirname(path);
  const stem = stemOf(path);
  const rotated = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) =>
          new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\d{6}\\.jsonl$`).test(f),
        )
        .sort()
        .map((f) => join(dir, f))
    : [];
  return existsSync(path) ? [...rotated, path] : rotated;
}

function readHead(path: string): LogHead | undefined {
  return existsSync(headPath(path))
    ? (JSON.parse(readFileSync(headPath(path), 'utf8')) as LogHead)
    : undefined;
}

function writeHead(path: string, head: LogHead): void {
  const tmp = `${headPath(path)}.tmp`;
  const hfd = openSync(tmp, 'w', 0o600);
  try {
    writeAll(hfd, JSON.stringify(head));
    fsyncSync(hfd);
  } finally {
    closeSync(hfd);
  }
  renameSync(tmp, headPath(path));
}

/**
 * Drop a torn last line (never acknowledged) and bring the head in line with the file: the file's
 * size after the repair, and the head (the last complete entry, unless the head file is ahead).
 */
function repairTail(
  fd: number,
  path: string,
  head: LogHead | undefined,
): { readonly size: number; readonly head: LogHead | undefined } {
  const { size: length } = fstatSync(fd);
  if (length === 0) return { size: 0, head };
  const text = readFileSync(path, 'utf8');
  const cut = text.endsWith('\n') ? text.length : text.lastIndexOf('\n') + 1;
  if (cut !== text.length) {
    ftruncateSync(fd, Buffer.byteLength(text.slice(0, cut)));
    fsyncSync(fd);
  }
  const last = text
    .slice(0, cut)
    .split('\n')
    .filter((l) => l.length > 0)
    .at(-1);
  let repaired = head;
  if (last !== undefined) {
    try {
      const entry = JSON.parse(last) as EvidenceEntry;
      if (head === undefined || entry.seq >= head.seq) repaired = headOf(entry, path);
    } catch {
      // A complete but unreadable last line is the audit's to report, not ours to hide.
    }
  }
  return { size: Buffer.byteLength(text.slice(0, cut)), head: repaired };
}

/** The digests of the passports whose bytes the file already holds. */
function heldPassports(path: string): Set<string> {
  const held = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /"digest":"([A-Za-z0-9+/=:_-]+)","bytes":/.exec(line);
    if (m !== null) held.add(m[1] as string);
  }
  return held;
}

/**
 * Whether the open file `fd` is no longer the log's current file at `path`: removed (its entries
 * would go nowhere an audit looks) or moved away and replaced.
 */
function displaced(fd: number, path: string): boolean {
  const current = statSync(path, { throwIfNoEntry: false });
  const open = fstatSync(fd);
  return current === undefined || current.ino !== open.ino || current.dev !== open.dev;
}

/**
 * Move the current file to the segment numbered after the highest one present (not after the count
 * of them: once the oldest is archived, a count names the newest, and the rename would replace it).
 */
function rotateFile(path: string): void {
  const numbers = logFiles(path)
    .filter((f) => f !== path)
    .map((f) => Number(/\.(\d{6})\.jsonl$/.exec(f)?.[1]));
  const n = Math.max(0, ...numbers) + 1;
  renameSync(path, join(dirname(path), `${stemOf(path)}.${String(n).padStart(6, '0')}.jsonl`));
}

export interface LogFile {
  /** The last entry written. */
  head(): LogHead | undefined;
  /** An entry's passport member: the bytes only the first time the current file holds them. */
  passportField(bytes: Uint8Array | undefined): PassportField;
  /**
   * Write entries with one write and one fsync, then the head; rotate when full. On failure
   * (ERR_EVIDENCE_UNAVAILABLE) the file is cut back to its last acknowledged entry, so the next
   * entries chain after that one; a file that cannot be cut back refuses every later write. A
   * current file removed or replaced from under the log refuses the batch written to it and is
   * opened again at its path: the next entries chain after the last acknowledged one, so an audit
   * reports the entries that went with the removed file.
   */
  append(entries: readonly EvidenceEntry[]): void;
  close(): void;
}

const unavailable = (path: string, cause: unknown): PassportError =>
  new PassportError('ERR_EVIDENCE_UNAVAILABLE', `cannot write ${path}`, { cause });

/** Open the current file of the log at `path` (the caller holds its lock). */
export function openLogFile(path: string, maxFileBytes: number): LogFile {
  let fd = openSync(path, 'a+', 0o600);
  let { size, head } = repairTail(fd, path, readHead(path));
  let held = heldPassports(path);
  let unacknowledged: string[] = []; // passports first held by entries not yet written
  let broken: unknown;

  /** Undo a failed write: the file back to its acknowledged length, its passports as they were. */
  function cutBack(): void {
    for (const digest of unacknowledged) held.delete(digest);
    unacknowledged = [];
    try {
      ftruncateSync(fd, size);
      fsyncSync(fd);
    } catch (cause) {
      broken = cause; // what the file ends with is unknown: nothing more is chained onto it
    }
  }

  function write(entries: readonly EvidenceEntry[]): void {
    const bytes = Buffer.from(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const last = headOf(entries.at(-1) as EvidenceEntry, path);
    writeAll(fd, bytes);
    fsyncSync(fd);
    if (displaced(fd, path)) throw new Error(`${path} was removed or replaced while open`);
    writeHead(path, last);
    size += bytes.length;
    head = last;
    unacknowledged = [];
  }

  /** Start a new current file; if that fails the current one stays (and rotation is tried again). */
  function rotate(): void {
    try {
      rotateFile(path);
    } catch {
      return;
    }
    try {
      const next = openSync(path, 'a+', 0o600);
      closeSync(fd);
      fd = next;
      size = 0;
      held = new Set();
    } catch (cause) {
      broken = cause; // the open file is now a segment: entries written to it would be misplaced
    }
  }

  /** Open the file now at `path` in place of a displaced one, as opening the log would. */
  function reopenIfDisplaced(): void {
    try {
      if (!displaced(fd, path)) return;
      const next = openSync(path, 'a+', 0o600);
      closeSync(fd);
      fd = next;
      ({ size, head } = repairTail(fd, path, head));
      held = heldPassports(path);
      broken = undefined; // whatever the displaced file ends with is no longer chained onto
    } catch (cause) {
      broken = cause;
    }
  }

  function append(entries: readonly EvidenceEntry[]): void {
    if (broken !== undefined) throw unavailable(path, broken);
    try {
      write(entries);
    } catch (cause) {
      cutBack();
      reopenIfDisplaced();
      throw unavailable(path, cause);
    }
    if (size >= maxFileBytes) rotate();
  }

  function passportField(bytes: Uint8Array | undefined): PassportField {
    if (bytes === undefined) return {};
    const digest = passportRef(bytes);
    if (held.has(digest)) return { passport: { digest } };
    held.add(digest);
    unacknowledged.push(digest);
    return { passport: { digest, bytes: Buffer.from(bytes).toString('base64url') } };
  }

  return {
    head: () => head,
    passportField,
    append,
    close: () => closeSync(fd),
  };
}
