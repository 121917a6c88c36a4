// SPDX-License-Identifier: Apache-2.0
// The offline audit, in named steps: read the head, check the bundles, stream the log's lines
// (audit-lines.ts) to the checkers (audit-pool.ts: this thread for a small log, worker threads for
// a big one), walk the hash chain with one entry of look-ahead (audit-chain.ts), judge each entry
// (audit-judge.ts: replays within a signature's window, usage across the log) and count it
// (audit-tally.ts). Memory stays bounded whatever the log's length.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { createChainWalk } from './audit-chain.js';
import { createJudge } from './audit-judge.js';
import { lineBatches } from './audit-lines.js';
import { createPool, type Pool } from './audit-pool.js';
import { createNonceWindow } from './audit-replay.js';
import { createTally, type Tally } from './audit-tally.js';
import type { AuditOptions, AuditReport } from './audit-types.js';
import type { LineResult } from './check-entry.js';
import { verifyBundles } from './checker-trust.js';
import type { LogHead } from './entry.js';
import { logFiles } from './log.js';

export type { AuditOptions, AuditProblem, AuditReport, AuditRow, Counts, Outcome } from './audit-types.js';

/** A log smaller than this is audited in this thread: worker start-up would cost more than it saves. */
export const SMALL_LOG_BYTES = 8 * 1024 * 1024;
/** Lines per batch handed to a worker (a thread of its own checks them one by one). */
const WORKER_BATCH = 200;

function readHead(path: string): { head?: LogHead; warnings: string[] } {
  const headFile = `${path}.head`;
  if (!existsSync(headFile)) return { warnings: ['no head file: a cut tail cannot be detected'] };
  try {
    return { head: JSON.parse(readFileSync(headFile, 'utf8')) as LogHead, warnings: [] };
  } catch {
    return { warnings: ['the head file is unreadable: a cut tail cannot be detected'] };
  }
}

interface Stream {
  readonly pool: Pool;
  readonly batch: number;
  readonly maxInFlight: number;
  readonly take: (results: readonly LineResult[]) => void;
  readonly onBytes: (bytes: number) => void;
  readonly reference: boolean;
}

/** Every batch to the pool in log order, a bounded number in flight, results taken in order. */
async function checkAll(files: readonly string[], s: Stream): Promise<void> {
  const inFlight: Promise<LineResult[]>[] = [];
  const drainOne = async () => s.take(await (inFlight.shift() as Promise<LineResult[]>));
  for await (const batch of lineBatches(files, s.batch, s.onBytes, s.reference)) {
    const checked = s.pool.run(batch);
    // In this thread a batch is answered before the next is read (its lines share one checker),
    // at once when no line had to wait. Workers answer batches in parallel, taken in order.
    if (s.pool.inThread) {
      s.take(checked instanceof Promise ? await checked : checked);
      continue;
    }
    inFlight.push(Promise.resolve(checked));
    if (inFlight.length >= s.maxInFlight) await drainOne();
  }
  while (inFlight.length > 0) await drainOne();
}

function taker(tally: Tally, link: (r: LineResult) => void) {
  return (results: readonly LineResult[]) => {
    for (const r of results) {
      if (r.garbage === undefined) link(r);
      else {
        tally.totals.garbage += 1;
        tally.problem(r, 'ERR_EVIDENCE_LINE', r.garbage.message);
      }
    }
  };
}

/** Audit the log at `path` (its rotated files first) against the trust bundles. */
export function auditLog(path: string, options: AuditOptions): Promise<AuditReport> {
  return runAudit(path, options, false);
}

/**
 * The same audit by the reference path only (strict parsing, the reference JCS, the live request
 * verifier over a rebuilt Request): the fast path's differential tests compare the two reports.
 */
export function auditLogByReference(path: string, options: AuditOptions): Promise<AuditReport> {
  return runAudit(path, options, true);
}

async function runAudit(path: string, options: AuditOptions, reference: boolean): Promise<AuditReport> {
  const files = logFiles(path);
  if (files.length === 0) throw new TypeError(`no evidence log at ${path}`);
  const { head, warnings } = readHead(path);
  // Bundles are checked here first, so that a bad one fails with its own code, not in a worker
  // (a checker in this thread reuses them).
  const verified = await verifyBundles(options);
  let bytesTotal = 0;
  for (const f of files) bytesTotal += statSync(f).size;
  const workers = options.workers ?? (bytesTotal < SMALL_LOG_BYTES ? 0 : availableParallelism());
  const init = {
    bundles: options.bundles,
    authors: options.authors,
    statusMaxAgeSeconds: options.statusMaxAgeSeconds ?? 2 * 86_400,
    reference,
  };
  const tally = createTally(options);
  const chain = createChainWalk(createJudge(tally, createNonceWindow()));
  const take = taker(tally, (r) => chain.link(r));
  let lines = 0;
  let bytesDone = 0;
  const pool = await createPool(init, workers, verified);
  try {
    await checkAll(files, {
      pool,
      // In this thread a batch is at most one read's lines (the fast path) or one line (reference).
      batch: workers === 0 && reference ? 1 : WORKER_BATCH,
      reference,
      maxInFlight: Math.max(2, workers * 2),
      take: (results) => {
        lines += results.length;
        take(results);
        options.onProgress?.(lines, bytesDone, bytesTotal);
      },
      onBytes: (n) => {
        bytesDone += n;
      },
    });
  } finally {
    await pool.close();
  }
  const empty = chain.end(head);
  if (empty?.code !== undefined) tally.problem({ file: path, lineNo: 0 }, empty.code, empty.message);
  return {
    files: files.map((f) => basename(f)),
    ...(head === undefined ? {} : { head }),
    lines,
    intact: !tally.damaged() && !chain.broken && tally.totals.garbage === 0,
    warnings,
    ...tally.report(),
  };
}
