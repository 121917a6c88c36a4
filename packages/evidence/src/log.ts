// SPDX-License-Identifier: Apache-2.0
// The evidence log (issue: evidence and offline audit): append-only JSON Lines, hash-chained,
// written with group commit (one write and one fsync for every call waiting), a head file replaced
// atomically after each commit, rotation by size, and repair of a torn last line after a crash
// (that line was never acknowledged: record() resolves only after its fsync). One writer per log:
// a second one would fork the chain, so open takes an owner-named lock and refuses while another
// live process holds it (ERR_EVIDENCE_LOCKED); a killed writer's lock is broken at once.
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatDateTime, PassportError } from '@agent-passport/core';
import { PASSPORT_HEADER, passportRef } from '@agent-passport/http-signatures';
import { describeOwner, type OwnedLock, tryLock } from '@agent-passport/keystore';
import type { EvidenceSink, RequestEvidence } from '@agent-passport/middleware';
import type { PassportVerification } from '@agent-passport/verifier';
import { parseDictionary } from 'structured-headers';
import {
  EVIDENCE_EVENTS,
  type EvidenceEntry,
  type EvidenceEvent,
  entryHash,
  GENESIS,
  type LogHead,
  PASSPORT_MARKER,
  type RequestRecord,
  sha256,
} from './entry.js';

export interface EvidenceLogOptions {
  /** Keep request bodies (default false: only their length and digest). */
  readonly keepBodies?: boolean;
  /** Rotate when the current file reaches this size (default 64 MiB). */
  readonly maxFileBytes?: number;
}

export interface PresentationEvidence {
  readonly time: Date;
  readonly presentation: unknown;
  readonly challenge: string;
  readonly domain?: string;
  readonly requiredScopes?: readonly string[];
  readonly verification: PassportVerification;
}

/** An event (no call to re-verify): an exchange created, a login refused early, a session revoked. */
export interface EventEvidence {
  readonly time: Date;
  readonly event: EvidenceEvent;
  /** Who it concerns, as the service knows it (unsigned: the audit never attributes by it). */
  readonly agent?: string;
  /** A refusal's code. */
  readonly code?: string;
  /** What it concerns: an exchange id, a session id. */
  readonly ref?: string;
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

const headPath = (path: string) => `${path}.head`;

/** Every file of a log in order: rotated segments (`name.000001.jsonl`, …) then the current one. */
export function logFiles(path: string): string[] {
  const dir = dirname(path);
  const stem = basename(path).replace(/\.jsonl$/, '');
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

/** The headers a signature covers (from Signature-Input), plus the signature headers themselves. */
function coveredHeaders(headers: Readonly<Record<string, string>>): string[] {
  const names = new Set(['signature-input', 'signature']);
  try {
    for (const [, member] of parseDictionary(headers['signature-input'] ?? '')) {
      if (!Array.isArray(member[0])) continue;
      for (const [item] of member[0]) if (typeof item === 'string' && !item.startsWith('@')) names.add(item);
    }
  } catch {
    // An unparsable Signature-Input is kept as is; the audit reports the signature as malformed.
  }
  return [...names].filter((n) => headers[n] !== undefined);
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

function openLocked(
  path: string,
  lock: OwnedLock,
  options: EvidenceLogOptions,
  maxFileBytes: number,
): EvidenceLog {
  let head: LogHead | undefined = existsSync(headPath(path))
    ? (JSON.parse(readFileSync(headPath(path), 'utf8')) as LogHead)
    : undefined;
  let fd = openSync(path, 'a+', 0o600);
  let size = repairTail();
  /** Passports already held by the current file (stored once per file, so each file stands alone). */
  let held = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /"digest":"([A-Za-z0-9+/=:_-]+)","bytes":/.exec(line);
    if (m !== null) held.add(m[1] as string);
  }

  /** Drop a torn last line (never acknowledged) and bring the head in line with the file. */
  function repairTail(): number {
    const { size: length } = fstatSync(fd);
    if (length === 0) return 0;
    const text = readFileSync(path, 'utf8');
    const cut = text.endsWith('\n') ? text.length : text.lastIndexOf('\n') + 1;
    if (cut !== text.length) {
      ftruncateSync(fd, Buffer.byteLength(text.slice(0, cut)));
      fsyncSync(fd);
    }
    const lines = text
      .slice(0, cut)
      .split('\n')
      .filter((l) => l.length > 0);
    const last = lines.at(-1);
    if (last !== undefined) {
      try {
        const entry = JSON.parse(last) as EvidenceEntry;
        if (head === undefined || entry.seq >= head.seq)
          head = { seq: entry.seq, hash: entry.hash, file: basename(path) };
      } catch {
        // A complete but unreadable last line is the audit's to report, not ours to hide.
      }
    }
    return Buffer.byteLength(text.slice(0, cut));
  }

  function writeHead(): void {
    const tmp = `${headPath(path)}.tmp`;
    const hfd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(hfd, JSON.stringify(head));
      fsyncSync(hfd);
    } finally {
      closeSync(hfd);
    }
    renameSync(tmp, headPath(path));
  }

  function rotate(): void {
    closeSync(fd);
    const dir = dirname(path);
    const stem = basename(path).replace(/\.jsonl$/, '');
    const n = logFiles(path).length;
    renameSync(path, join(dir, `${stem}.${String(n).padStart(6, '0')}.jsonl`));
    fd = openSync(path, 'a+', 0o600);
    size = 0;
    held = new Set();
  }

  // Group commit: entries are chained in call order; one write + fsync per batch.
  let queue: { line: string; entry: EvidenceEntry; done: (e?: Error) => void }[] = [];
  let flushing: Promise<void> | undefined;

  function flush(): Promise<void> {
    if (flushing !== undefined) return flushing;
    flushing = (async () => {
      await Promise.resolve();
      try {
        drain();
      } finally {
        // Cleared in the same turn as the last empty-queue check: a write queued by a caller
        // resumed from this batch starts its own flush instead of waiting on a finished one.
        flushing = undefined;
      }
    })();
    return flushing;
  }

  function drain(): void {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const data = batch.map((b) => b.line).join('');
        writeSync(fd, data);
        fsyncSync(fd);
        size += Buffer.byteLength(data);
        const last = batch.at(-1)?.entry as EvidenceEntry;
        head = { seq: last.seq, hash: last.hash, file: basename(path) };
        writeHead();
        for (const b of batch) b.done();
      } catch (cause) {
        for (const b of batch)
          b.done(new PassportError('ERR_EVIDENCE_UNAVAILABLE', `cannot write ${path}`, { cause }));
      }
      if (size >= maxFileBytes) rotate();
    }
  }

  let nextSeq = (head?.seq ?? 0) + 1;
  let prev = head?.hash ?? GENESIS;

  function append(fields: Omit<EvidenceEntry, 'v' | 'seq' | 'prev' | 'hash'>): Promise<EvidenceEntry> {
    const body = { v: 1 as const, seq: nextSeq, prev, ...fields };
    const entry = { ...body, hash: entryHash(body) } as EvidenceEntry;
    nextSeq += 1;
    prev = entry.hash;
    return new Promise((resolve, reject) => {
      queue.push({
        line: `${JSON.stringify(entry)}\n`,
        entry,
        done: (e) => (e ? reject(e) : resolve(entry)),
      });
      void flush();
    });
  }

  function passportField(bytes: Uint8Array | undefined) {
    if (bytes === undefined) return {};
    const digest = passportRef(bytes);
    if (held.has(digest)) return { passport: { digest } };
    held.add(digest);
    return { passport: { digest, bytes: Buffer.from(bytes).toString('base64url') } };
  }

  return {
    path,
    head: () => head,
    close() {
      closeSync(fd);
      lock.release();
    },
    record(evidence: RequestEvidence): Promise<EvidenceEntry> {
      const v = evidence.verification;
      const headers: Record<string, string> = {};
      for (const name of coveredHeaders(evidence.headers)) headers[name] = evidence.headers[name] as string;
      const inline = headers[PASSPORT_HEADER];
      if (
        inline !== undefined &&
        evidence.passport !== undefined &&
        inline === Buffer.from(evidence.passport).toString('base64url')
      )
        headers[PASSPORT_HEADER] = PASSPORT_MARKER;
      const body = evidence.body;
      const request: RequestRecord = {
        method: evidence.method,
        url: evidence.url,
        headers,
        bodyLength: body?.length ?? 0,
        ...(body === undefined || body.length === 0
          ? {}
          : { bodyDigest: `sha-256=:${Buffer.from(sha256(body), 'base64url').toString('base64')}:` }),
        ...(options.keepBodies === true && body !== undefined && body.length > 0
          ? { body: Buffer.from(body).toString('base64url') }
          : {}),
      };
      const p = v.passport;
      // A refused call still names its signer once the signature verified.
      const signer =
        v.agent ?? (v.keyId?.startsWith('did:') ? v.keyId.slice(0, v.keyId.indexOf('#')) : undefined);
      return append({
        time: formatDateTime(evidence.time),
        kind: 'request',
        verdict: { verified: v.verified, codes: v.errors.map((e) => e.code) },
        ...(p === undefined
          ? signer === undefined || signer === ''
            ? {}
            : { agent: signer }
          : {
              // A delegated call was made by the chain's last agent, on the passport's authority.
              agent: v.delegation === undefined ? p.credentialSubject.id : (v.agent as string),
              agentName: p.credentialSubject.agentName,
              issuer: typeof p.issuer === 'string' ? p.issuer : (p.issuer as { id: string }).id,
              passportId: p.id,
            }),
        requiredScopes: [...evidence.requiredScopes],
        ...passportField(evidence.passport),
        ...(v.delegation === undefined || evidence.delegations === undefined
          ? {}
          : {
              delegation: {
                principals: [...v.delegation.principals],
                ref: v.delegation.ref,
                bytes: Buffer.from(evidence.delegations).toString('base64url'),
              },
            }),
        request,
      });
    },
    recordPresentation(evidence: PresentationEvidence): Promise<EvidenceEntry> {
      const v = evidence.verification;
      const p = v.passport;
      return append({
        time: formatDateTime(evidence.time),
        kind: 'presentation',
        verdict: { verified: v.verified, codes: v.errors.map((e) => e.code) },
        ...(p === undefined
          ? {}
          : {
              // A chain login was made by the chain's last agent (the presenter).
              agent: v.agent ?? p.credentialSubject.id,
              agentName: p.credentialSubject.agentName,
              issuer: typeof p.issuer === 'string' ? p.issuer : (p.issuer as { id: string }).id,
              passportId: p.id,
            }),
        requiredScopes: [...(evidence.requiredScopes ?? [])],
        presentation: structuredClone(evidence.presentation),
        challenge: evidence.challenge,
        ...(evidence.domain === undefined ? {} : { domain: evidence.domain }),
      });
    },
    recordEvent(evidence: EventEvidence): Promise<EvidenceEntry> {
      if (!(EVIDENCE_EVENTS as readonly string[]).includes(evidence.event))
        return Promise.reject(new TypeError(`event is one of ${EVIDENCE_EVENTS.join(', ')}`));
      return append({
        time: formatDateTime(evidence.time),
        kind: 'event',
        verdict: { verified: false, codes: evidence.code === undefined ? [] : [evidence.code] },
        event: evidence.event,
        ...(evidence.agent === undefined ? {} : { agent: evidence.agent }),
        ...(evidence.code === undefined ? {} : { code: evidence.code }),
        ...(evidence.ref === undefined ? {} : { ref: evidence.ref }),
      });
    },
  };
}
