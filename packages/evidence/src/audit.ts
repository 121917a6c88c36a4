// SPDX-License-Identifier: Apache-2.0
// The offline audit: stream a log (every file, in order) in bounded memory, re-verify each entry on
// every core, check the hash chain with one entry of look-ahead (an edited entry whose hash was
// recomputed still breaks the next link, and both sides of a broken link are reported), judge
// replays and usage across the whole log, and aggregate per agent, issuer and scope.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '@agent-passport/core';
import { verifyTrustBundle } from '@agent-passport/trust-bundle';
import { type CheckerInit, createEntryChecker, type LineItem, type LineResult } from './check-entry.js';
import { GENESIS, type LogHead } from './entry.js';
import { logFiles } from './log.js';

export type Outcome = 'accepted' | 'refused' | 'failed';

/** One entry as the audit judged it. */
export interface AuditRow {
  readonly seq: number;
  readonly time: string;
  readonly kind: string;
  readonly file: string;
  readonly line: number;
  readonly agent?: string;
  readonly agentName?: string;
  readonly issuer?: string;
  readonly passportId?: string;
  /** A delegated call: organisation → agent → … → `agent`, as re-verifying the chain establishes. */
  readonly principals?: readonly string[];
  readonly scopes: readonly string[];
  readonly method?: string;
  readonly url?: string;
  /** `sha-256=:…:` of the request body, as the agent signed it. */
  readonly bodyDigest?: string;
  /** What the service decided at the time. */
  readonly logged: 'accepted' | 'refused';
  /** accepted: logged accepted and re-verifies; refused: logged refused; failed: does not re-verify. */
  readonly outcome: Outcome;
  readonly code?: ErrorCode;
  readonly message?: string;
}

export interface AuditProblem {
  readonly file: string;
  readonly line: number;
  readonly seq?: number;
  readonly code: ErrorCode;
  readonly message: string;
}

export interface Counts {
  accepted: number;
  refused: number;
  failed: number;
}

export interface AuditReport {
  readonly files: readonly string[];
  readonly head?: LogHead;
  readonly entries: number;
  readonly lines: number;
  readonly totals: Counts & { garbage: number };
  /** True when every line is an entry, every hash and link holds, and the log ends at its head. */
  readonly intact: boolean;
  readonly byAgent: Readonly<Record<string, Counts & { agentName?: string; issuer?: string }>>;
  readonly byIssuer: Readonly<Record<string, Counts>>;
  readonly byScope: Readonly<Record<string, Counts>>;
  readonly problems: readonly AuditProblem[];
  readonly problemsOmitted: number;
  /** Entries for the report's table (problems first, then the rest), capped at maxRows. */
  readonly rows: readonly AuditRow[];
  readonly rowsOmitted: number;
  /** Entries that answer the query (entry seq, or a time range). */
  readonly matches: readonly AuditRow[];
  readonly warnings: readonly string[];
}

export interface AuditOptions {
  /** Trust bundles (JSON text), possibly several made at different times. */
  readonly bundles: readonly string[];
  /** The pinned bundle authors (did:key). */
  readonly authors: readonly string[];
  /** Worker threads (default: every core); 0 checks in this thread. */
  readonly workers?: number;
  /** Status lists older than this at an entry's time are stale (default 2 days). */
  readonly statusMaxAgeSeconds?: number;
  /** Entries kept for the report's table (default 100,000); the rest are counted in rowsOmitted. */
  readonly maxRows?: number;
  /** Problems kept (default 10,000); the rest are counted in problemsOmitted. */
  readonly maxProblems?: number;
  /** Which agent made this call: entries with this seq, or within [from, to]. */
  readonly query?: { readonly seq?: number; readonly from?: Date; readonly to?: Date };
  readonly onProgress?: (linesDone: number, bytesDone: number, bytesTotal: number) => void;
}

const BATCH = 200;

interface Pool {
  run(items: LineItem[]): Promise<LineResult[]>;
  close(): Promise<void>;
}

function workerUrl(): URL {
  // From dist the worker sits beside this file; from source (tests) it is the built one.
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts')
    ? new URL('../dist/audit-worker.js', import.meta.url)
    : new URL('./audit-worker.js', import.meta.url);
}

async function createPool(init: CheckerInit, size: number): Promise<Pool> {
  if (size === 0) {
    const checker = await createEntryChecker(init);
    return {
      run: async (items) => {
        const out: LineResult[] = [];
        for (const item of items) out.push(await checker.check(item));
        return out;
      },
      close: async () => {},
    };
  }
  const url = workerUrl();
  if (!existsSync(url))
    throw new Error(`build @agent-passport/evidence first: ${fileURLToPath(url)} is missing`);
  // A plain worker: not the test runner's loader flags (which resolve TypeScript sources).
  const workers = Array.from({ length: size }, () => new Worker(url, { workerData: init, execArgv: [] }));
  const idle = [...workers];
  const waiting: ((w: Worker) => void)[] = [];
  let nextId = 0;
  const take = () =>
    new Promise<Worker>((resolve) => {
      const w = idle.pop();
      if (w !== undefined) resolve(w);
      else waiting.push(resolve);
    });
  const give = (w: Worker) => {
    const next = waiting.shift();
    if (next !== undefined) next(w);
    else idle.push(w);
  };
  return {
    async run(items) {
      const w = await take();
      const id = nextId++;
      try {
        return await new Promise<LineResult[]>((resolve, reject) => {
          const onMessage = (m: { id: number; results?: LineResult[]; error?: string }) => {
            if (m.id !== id) return;
            w.off('message', onMessage);
            w.off('error', reject);
            if (m.error !== undefined) reject(new Error(m.error));
            else resolve(m.results as LineResult[]);
          };
          w.on('message', onMessage);
          w.once('error', reject);
          w.postMessage({ id, items });
        });
      } finally {
        give(w);
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * A light look at a line for the passport it holds (remembered for later lines) and the passports
 * it names by reference (its digest field, a reference header or a compact keyid) that earlier
 * lines hold; the worker parses strictly and uses only what the signatures bind.
 */
function passportsNamed(line: string, held: Map<string, string>): { passports?: Record<string, string> } {
  const holds = /"passport":\{"digest":"([A-Za-z0-9+/=:_-]{1,80})","bytes":"([A-Za-z0-9_-]+)"\}/.exec(line);
  if (holds !== null) {
    if (!held.has(holds[1] as string)) held.set(holds[1] as string, holds[2] as string);
    return {};
  }
  const named: Record<string, string> = {};
  for (const [ref] of line.matchAll(/sha-256=:[A-Za-z0-9+/]{43}=:/g)) {
    const bytes = held.get(ref);
    if (bytes !== undefined) named[ref] = bytes;
  }
  return Object.keys(named).length === 0 ? {} : { passports: named };
}

const zero = (): Counts => ({ accepted: 0, refused: 0, failed: 0 });

/** Audit the log at `path` (its rotated files first) against the trust bundles. */
export async function auditLog(path: string, options: AuditOptions): Promise<AuditReport> {
  const files = logFiles(path);
  if (files.length === 0) throw new TypeError(`no evidence log at ${path}`);
  const headFile = `${path}.head`;
  let head: LogHead | undefined;
  const warnings: string[] = [];
  if (existsSync(headFile)) {
    try {
      head = JSON.parse(readFileSync(headFile, 'utf8')) as LogHead;
    } catch {
      warnings.push('the head file is unreadable: a cut tail cannot be detected');
    }
  } else warnings.push('no head file: a cut tail cannot be detected');
  const maxRows = options.maxRows ?? 100_000;
  const maxProblems = options.maxProblems ?? 10_000;
  const init: CheckerInit = {
    bundles: options.bundles,
    authors: options.authors,
    statusMaxAgeSeconds: options.statusMaxAgeSeconds ?? 2 * 86_400,
  };
  // Bundles are checked here first, so that a bad one fails with its own code, not in a worker.
  for (const b of options.bundles)
    await verifyTrustBundle(b, { authors: options.authors, allowExpired: true });
  const pool = await createPool(init, options.workers ?? availableParallelism());

  const totals = { ...zero(), garbage: 0 };
  const byAgent: Record<string, Counts & { agentName?: string; issuer?: string }> = {};
  const byIssuer: Record<string, Counts> = {};
  const byScope: Record<string, Counts> = {};
  const problems: AuditProblem[] = [];
  let problemsOmitted = 0;
  const problemRows: AuditRow[] = [];
  const goodRows: AuditRow[] = [];
  let rowsOmitted = 0;
  const matches: AuditRow[] = [];
  let entries = 0;
  let lines = 0;
  let intact = true;
  const nonces = new Map<string, number>();
  /** The name (and issuer) a verified passport gave each signer: labels for its other entries. */
  const names = new Map<string, { agentName: string; issuer?: string }>();
  const uses = new Map<string, number>();

  const problem = (r: { file: string; lineNo: number; seq?: number }, code: ErrorCode, message: string) => {
    if (code.startsWith('ERR_EVIDENCE')) intact = false;
    if (problems.length < maxProblems)
      problems.push({
        file: basename(r.file),
        line: r.lineNo,
        ...(r.seq === undefined ? {} : { seq: r.seq }),
        code,
        message,
      });
    else problemsOmitted += 1;
  };

  /** Final judgement of one entry, once both of its links are known. */
  function finalize(r: LineResult, chainCode: ErrorCode | undefined, chainMessage: string): void {
    entries += 1;
    let code = r.hashOk ? chainCode : 'ERR_EVIDENCE_HASH';
    let message = r.hashOk ? chainMessage : 'the entry does not match its own hash: it was edited';
    if (code === undefined && r.fieldProblem !== undefined) {
      code = 'ERR_EVIDENCE_FIELD';
      message = r.fieldProblem;
    }
    const tampered = code !== undefined;
    if (code === undefined && r.loggedVerified && r.reverified === false) {
      code = r.code;
      message = r.message ?? '';
    }
    if (code === undefined && r.loggedVerified && r.reverified === true && r.keyId !== undefined) {
      const key = `${r.keyId} ${r.nonce}`;
      if (nonces.has(key)) {
        code = 'ERR_REPLAY';
        message = `the nonce of entry ${nonces.get(key)} was accepted again`;
      } else nonces.set(key, r.seq as number);
      if (nonces.size > 100_000)
        for (const [k, seq] of nonces) if (seq < (r.seq as number) - 100_000) nonces.delete(k);
      if (code === undefined && r.maxCalls !== undefined && r.passportId !== undefined) {
        const n = (uses.get(r.passportId) ?? 0) + 1;
        uses.set(r.passportId, n);
        if (n > r.maxCalls) {
          code = 'ERR_USAGE_EXCEEDED';
          message = `call ${n} of a passport allowing ${r.maxCalls}`;
        }
      }
    }
    const outcome: Outcome =
      code !== undefined && (r.loggedVerified || tampered)
        ? 'failed'
        : r.loggedVerified
          ? 'accepted'
          : 'refused';
    if (outcome === 'failed') problem(r, code as ErrorCode, message);
    totals[outcome] += 1;
    const agentKey = r.agent ?? '(unknown agent)';
    byAgent[agentKey] ??= zero();
    const a = byAgent[agentKey];
    a[outcome] += 1;
    if (r.agent !== undefined && r.agentName !== undefined && !names.has(r.agent))
      names.set(r.agent, { agentName: r.agentName, ...(r.issuer === undefined ? {} : { issuer: r.issuer }) });
    const issuerKey = r.issuer ?? '(unknown issuer)';
    byIssuer[issuerKey] ??= zero();
    const i = byIssuer[issuerKey];
    i[outcome] += 1;
    for (const scope of (r.requiredScopes ?? []).length > 0
      ? (r.requiredScopes as string[])
      : ['(none required)']) {
      byScope[scope] ??= zero();
      const s = byScope[scope];
      s[outcome] += 1;
    }
    const row: AuditRow = {
      seq: r.seq as number,
      time: r.time as string,
      kind: r.kind as string,
      file: basename(r.file),
      line: r.lineNo,
      ...(r.agent === undefined ? {} : { agent: r.agent }),
      ...(r.agentName === undefined ? {} : { agentName: r.agentName }),
      ...(r.issuer === undefined ? {} : { issuer: r.issuer }),
      ...(r.passportId === undefined ? {} : { passportId: r.passportId }),
      ...(r.principals === undefined ? {} : { principals: r.principals }),
      scopes: r.requiredScopes ?? [],
      ...(r.method === undefined ? {} : { method: r.method }),
      ...(r.url === undefined ? {} : { url: r.url }),
      ...(r.bodyDigest === undefined ? {} : { bodyDigest: r.bodyDigest }),
      logged: r.loggedVerified ? 'accepted' : 'refused',
      outcome,
      ...(code === undefined
        ? r.code === undefined
          ? {}
          : { code: r.code, message: r.message ?? '' }
        : { code, message }),
    };
    if (outcome === 'failed') {
      if (problemRows.length < maxRows) problemRows.push(row);
      else rowsOmitted += 1;
    } else if (problemRows.length + goodRows.length < maxRows) goodRows.push(row);
    else rowsOmitted += 1;
    const q = options.query;
    if (q !== undefined && matches.length < maxRows) {
      const t = Date.parse(row.time);
      const bySeq = q.seq !== undefined && row.seq === q.seq;
      const byTime =
        q.seq === undefined &&
        (q.from !== undefined || q.to !== undefined) &&
        (q.from === undefined || t >= q.from.getTime()) &&
        (q.to === undefined || t <= q.to.getTime());
      if (bySeq || byTime) matches.push(row);
    }
  }

  // The chain, judged with one entry of look-ahead.
  let pending: { r: LineResult; code?: ErrorCode; message: string } | undefined;
  let expectedSeq: number | undefined;
  let lastHash: string | undefined;
  function link(r: LineResult): void {
    let code: ErrorCode | undefined;
    let message = '';
    if (lastHash === undefined) {
      if (r.prev !== GENESIS || r.seq !== 1) {
        code = 'ERR_EVIDENCE_TRUNCATED';
        message = `the log starts at entry ${r.seq}, not at its beginning`;
      }
    } else if (r.prev !== lastHash || r.seq !== expectedSeq) {
      code = 'ERR_EVIDENCE_CHAIN';
      message = `entry ${r.seq} does not follow entry ${(expectedSeq ?? 1) - 1} (deleted, reordered or inserted entries)`;
      if (pending !== undefined && pending.code === undefined) {
        pending.code = 'ERR_EVIDENCE_CHAIN';
        pending.message = `the entry after it (${r.seq}) does not link to it`;
      }
    }
    if (code !== undefined) intact = false;
    if (pending !== undefined) finalize(pending.r, pending.code, pending.message);
    pending = { r, ...(code === undefined ? {} : { code }), message };
    lastHash = r.hash;
    expectedSeq = (r.seq as number) + 1;
  }

  const passports = new Map<string, string>();
  let bytesTotal = 0;
  for (const f of files) bytesTotal += statSync(f).size;
  let bytesDone = 0;
  const inFlight: Promise<LineResult[]>[] = [];
  const maxInFlight = Math.max(2, (options.workers ?? availableParallelism()) * 2);
  const drainOne = async () => {
    const results = await (inFlight.shift() as Promise<LineResult[]>);
    for (const r of results) {
      lines += 1;
      if (r.garbage !== undefined) {
        totals.garbage += 1;
        intact = false;
        problem(r, 'ERR_EVIDENCE_LINE', r.garbage.message);
        continue;
      }
      link(r);
    }
    options.onProgress?.(lines, bytesDone, bytesTotal);
  };

  try {
    for (const file of files) {
      let batch: LineItem[] = [];
      let lineNo = 0;
      const rl = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
      for await (const line of rl) {
        lineNo += 1;
        bytesDone += Buffer.byteLength(line) + 1;
        if (line.length === 0) continue;
        batch.push({ line, file, lineNo, ...passportsNamed(line, passports) });
        if (batch.length >= BATCH) {
          inFlight.push(pool.run(batch));
          batch = [];
          if (inFlight.length >= maxInFlight) await drainOne();
        }
      }
      if (batch.length > 0) inFlight.push(pool.run(batch));
    }
    while (inFlight.length > 0) await drainOne();
  } finally {
    await pool.close();
  }

  // The last entry's forward link is the head file.
  if (pending !== undefined) {
    const last = pending.r;
    if (head !== undefined && pending.code === undefined) {
      if ((last.seq as number) < head.seq) {
        pending.code = 'ERR_EVIDENCE_TRUNCATED';
        pending.message = `the log ends at entry ${last.seq}; its head says ${head.seq}`;
      } else if (last.seq === head.seq && last.hash !== head.hash) {
        pending.code = 'ERR_EVIDENCE_CHAIN';
        pending.message = 'the last entry is not the one the head names';
      }
      if (pending.code !== undefined) intact = false;
    }
    finalize(pending.r, pending.code, pending.message);
  } else if (head !== undefined && head.seq > 0) {
    intact = false;
    problems.push({
      file: basename(path),
      line: 0,
      code: 'ERR_EVIDENCE_TRUNCATED',
      message: `the log is empty; its head says ${head.seq}`,
    });
  }

  // An entry whose own passport did not verify (refused, revoked) is labelled with the name its
  // signer's verified passport gave elsewhere in the log; the attribution itself is the signer.
  const label = (row: AuditRow): AuditRow => {
    const known = row.agent === undefined ? undefined : names.get(row.agent);
    return known === undefined || row.agentName !== undefined ? row : { ...row, agentName: known.agentName };
  };
  for (const [agent, a] of Object.entries(byAgent)) {
    const known = names.get(agent);
    if (known !== undefined) Object.assign(a, known);
  }
  return {
    files: files.map((f) => basename(f)),
    ...(head === undefined ? {} : { head }),
    entries,
    lines,
    totals,
    intact: intact && problems.every((p) => !p.code.startsWith('ERR_EVIDENCE')),
    byAgent,
    byIssuer,
    byScope,
    problems,
    problemsOmitted,
    rows: [...problemRows, ...goodRows].map(label),
    rowsOmitted,
    matches: matches.map(label),
    warnings,
  };
}
