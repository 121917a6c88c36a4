// SPDX-License-Identifier: Apache-2.0
// The audit's public shapes: its options, one judged entry (row), a problem, and the report.
import type { ErrorCode } from '@agent-passport/core';
import type { LogHead } from './entry.js';

/** How a delegation chain is written: organisation → agent → … → the sub-agent that signed. */
export const CHAIN_SEPARATOR = ' → ';

/** event: an intact event entry (an exchange created, a login refused early, a session revoked). */
export type Outcome = 'accepted' | 'refused' | 'failed' | 'event';

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
  /** An event entry: what happened, as the service noted it (unsigned; nothing re-verified). */
  readonly event?: {
    readonly name: string;
    readonly agent?: string;
    readonly code?: string;
    readonly ref?: string;
  };
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
  /** `events`: intact event entries, evidence that is not a verified call (never accepted or refused). */
  readonly totals: Counts & { garbage: number; events: number };
  /** Intact event entries per event name. */
  readonly byEvent?: Readonly<Record<string, number>>;
  /** True when every line is an entry, every hash and link holds, and the log ends at its head. */
  readonly intact: boolean;
  readonly byAgent: Readonly<Record<string, Counts & { agentName?: string; issuer?: string }>>;
  readonly byIssuer: Readonly<Record<string, Counts>>;
  readonly byScope: Readonly<Record<string, Counts>>;
  /**
   * Delegated calls per chain, keyed by its principals joined with ' → ' (organisation → agent →
   * … → the sub-agent that signed), as re-verifying each chain establishes.
   */
  readonly byChain?: Readonly<Record<string, Counts>>;
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
  /**
   * Worker threads; 0 checks in this thread. Default: none for a log under 8 MiB (about 8,000
   * entries: no worker start-up), every core for a bigger one.
   */
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
