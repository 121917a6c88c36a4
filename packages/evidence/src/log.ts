// SPDX-License-Identifier: Apache-2.0
// The evidence log (issue: evidence and offline audit): append-only JSON Lines, hash-chained,
// written with group commit (one write and one fsync for every call waiting), a head file replaced
// atomically after each commit, rotation by size, and repair of a torn last line after a crash
// (that line was never acknowledged: record() resolves only after its fsync). One writer per log:
// a second one would fork the chain, so open takes an owner-named lock and refuses while another
// live process holds it (ERR_EVIDENCE_LOCKED); a killed writer's lock is broken at once, and a
// writer whose lock is no longer its own stops writing (checked before each batch).
// The parts: log-records.ts builds each kind of entry, log-commit.ts batches the writes,
// log-file.ts owns the files (repair, head, rotation); this file chains the entries. A batch is
// chained only as it is written: one the file cannot take (ERR_EVIDENCE_UNAVAILABLE) is cut back
// out of it, and the next entries follow the last one written, so a refusal leaves no gap.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PassportError } from '@agent-passport/core';
import { describeOwner, type OwnedLock, tryLock } from '@agent-passport/keystore';
import type { EvidenceSink, RequestEvidence } from '@agent-passport/middleware';
import { EVIDENCE_EVENTS, type EvidenceEntry, entryHash, GENESIS, type LogHead } from './entry.js';
import { createGroupCommit, type Pending } from './log-commit.js';
import { type LogFile, openLogFile } from './log-file.js';
import {
  type EntryFields,
  type EventEvidence,
  eventFields,
  type PresentationEvidence,
  presentationFields,
  requestFields,
} from './log-records.js';

export { logFiles } from './log-file.js';
export type { EventEvidence, PresentationEvidence } from './log-records.js';

export interface EvidenceLogOptions {
  /** Keep request bodies (default false: only their length and digest). */
  readonly keepBodies?: boolean;
  /** Rotate when the current file reaches this size (default 64 MiB). */
  readonly maxFileBytes?: number;
}

export interface EvidenceLog extends EvidenceSink {
  readonly path: string;
  record(evidence: RequestEvidence): Promise<EvidenceEntry>;
  recordPresentation(evidence: PresentationEvidence): Promise<EvidenceEntry>;
  /** Record an event; rejects with a TypeError for an unknown event, ERR_EVIDENCE_UNAVAILABLE when unwritten. */
  recordEvent(evidence: EventEvidence): Promise<EvidenceEntry>;
  /** The last entry written. */
  head(): LogHead | undefined;
  /** Close the file and release the lock (entries still being written are lost). */
  close(): void;
}

/** Open (or create) a log at `path` (e.g. /var/log/api/evidence.jsonl). */
export function openEvidenceLog(path: string, options: EvidenceLogOptions = {}): EvidenceLog {
  const maxFileBytes = options.maxFileBytes ?? 64 * 1024 * 1024;
  if (!Number.isInteger(maxFileBytes) || maxFileBytes < 4096)
    throw new RangeError('maxFileBytes must be at least 4096');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const lock = takeLock(path);
  try {
    return openLocked(path, lock, options, maxFileBytes);
  } catch (e) {
    lock.release();
    throw e;
  }
}

function takeLock(path: string): OwnedLock {
  const lock = tryLock(`${path}.lock`);
  if ('release' in lock) return lock;
  throw new PassportError(
    'ERR_EVIDENCE_LOCKED',
    `${path} is being written by ${describeOwner(lock.heldBy)}: one writer per log (give each instance its own log, or remove ${path}.lock if that process is gone)`,
  );
}

/**
 * A check, before each batch, that this process still holds the log's lock. One whose lock was
 * removed, or broken and taken by another writer, stops writing for good (ERR_EVIDENCE_LOCKED): the
 * other writer may already chain after the last entry this one wrote, and two would fork the chain.
 */
function lockGuard(path: string, lock: OwnedLock): () => void {
  let lost = false;
  return () => {
    lost ||= !lock.held();
    if (lost)
      throw new PassportError(
        'ERR_EVIDENCE_LOCKED',
        `${path}.lock is no longer this process's (removed, or taken by another writer): it has stopped writing the log`,
      );
  };
}

/**
 * Chain and write one batch: each entry gets the sequence number and hash after the last one
 * written. Entries are chained only here, so a batch that fails leaves no gap: the next one
 * chains after the last entry the file holds.
 */
function commitBatch(file: LogFile, batch: readonly Pending<EntryFields, EvidenceEntry>[]): void {
  let seq = file.head()?.seq ?? 0;
  let prev = file.head()?.hash ?? GENESIS;
  const entries = batch.map((p) => {
    seq += 1;
    const body = { v: 1 as const, seq, prev, ...p.value };
    const entry = { ...body, hash: entryHash(body) } as EvidenceEntry;
    prev = entry.hash;
    return entry;
  });
  file.append(entries);
  for (const [i, p] of batch.entries()) p.resolve(entries[i] as EvidenceEntry);
}

function openLocked(
  path: string,
  lock: OwnedLock,
  options: EvidenceLogOptions,
  maxFileBytes: number,
): EvidenceLog {
  const file = openLogFile(path, maxFileBytes);
  const stillWriter = lockGuard(path, lock);
  const append = createGroupCommit<EntryFields, EvidenceEntry>((batch) => {
    stillWriter();
    commitBatch(file, batch);
  });
  return {
    path,
    head: () => file.head(),
    close() {
      file.close();
      lock.release();
    },
    record: (evidence: RequestEvidence): Promise<EvidenceEntry> =>
      append(requestFields(evidence, options.keepBodies === true, file.passportField)),
    recordPresentation: (evidence: PresentationEvidence): Promise<EvidenceEntry> =>
      append(presentationFields(evidence)),
    recordEvent(evidence: EventEvidence): Promise<EvidenceEntry> {
      if (!(EVIDENCE_EVENTS as readonly string[]).includes(evidence.event))
        return Promise.reject(new TypeError(`event is one of ${EVIDENCE_EVENTS.join(', ')}`));
      return append(eventFields(evidence));
    },
  };
}
