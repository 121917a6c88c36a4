// SPDX-License-Identifier: Apache-2.0
// The audit's running totals, small whatever the log's length: counts per outcome, agent, issuer,
// scope and delegation chain, problems and report rows up to their caps, and the query's matches.
// Strings that repeat across entries (agents, names, issuers, passports) are kept once.
import { basename } from 'node:path';
import type { ErrorCode } from '@agent-passport/core';
import {
  type AuditOptions,
  type AuditProblem,
  type AuditReport,
  type AuditRow,
  CHAIN_SEPARATOR,
  type Counts,
} from './audit-types.js';

export const zero = (): Counts => ({ accepted: 0, refused: 0, failed: 0 });

export const chainKey = (principals: readonly string[]) => principals.join(CHAIN_SEPARATOR);

export interface Where {
  readonly file: string;
  readonly lineNo: number;
  readonly seq?: number;
}

type Query = NonNullable<AuditOptions['query']>;

function matchesQuery(q: Query, row: AuditRow): boolean {
  if (q.seq !== undefined) return row.seq === q.seq;
  if (q.from === undefined && q.to === undefined) return false;
  const t = Date.parse(row.time);
  return (q.from === undefined || t >= q.from.getTime()) && (q.to === undefined || t <= q.to.getTime());
}

/** The report's rows (problems first, then the rest) and the query's matches, up to maxRows each. */
function createRows(options: Pick<AuditOptions, 'maxRows' | 'query'>) {
  const maxRows = options.maxRows ?? 100_000;
  const problemRows: AuditRow[] = [];
  const goodRows: AuditRow[] = [];
  const matches: AuditRow[] = [];
  let omitted = 0;
  return {
    keep(row: AuditRow): void {
      if (row.outcome === 'failed') {
        if (problemRows.length < maxRows) problemRows.push(row);
        else omitted += 1;
      } else if (problemRows.length + goodRows.length < maxRows) goodRows.push(row);
      else omitted += 1;
      if (options.query !== undefined && matches.length < maxRows && matchesQuery(options.query, row))
        matches.push(row);
    },
    rows: () => [...problemRows, ...goodRows],
    matches: () => matches,
    omitted: () => omitted,
  };
}

export function createTally(options: Pick<AuditOptions, 'maxRows' | 'maxProblems' | 'query'>) {
  const kept = createRows(options);
  const maxProblems = options.maxProblems ?? 10_000;
  const totals = { ...zero(), garbage: 0, events: 0 };
  const byEvent: Record<string, number> = {};
  const byAgent: Record<string, Counts & { agentName?: string; issuer?: string }> = {};
  const byIssuer: Record<string, Counts> = {};
  const byScope: Record<string, Counts> = {};
  const byChain: Record<string, Counts> = {};
  const problems: AuditProblem[] = [];
  const strings = new Map<string, string>();
  /** The name (and issuer) a verified passport gave each signer: labels for its other entries. */
  const names = new Map<string, { agentName: string; issuer?: string }>();
  let problemsOmitted = 0;
  let entries = 0;
  /** A problem of the log itself (ERR_EVIDENCE_*) was found, kept or omitted. */
  let damaged = false;

  const once = (s: string | undefined): string | undefined => {
    if (s === undefined) return undefined;
    const known = strings.get(s);
    if (known !== undefined) return known;
    if (strings.size < 10_000) strings.set(s, s);
    return s;
  };
  const count = (table: Record<string, Counts>, key: string, outcome: keyof Counts) => {
    table[key] ??= zero();
    (table[key] as Counts)[outcome] += 1;
  };

  function problem(at: Where, code: ErrorCode, message: string): void {
    if (code.startsWith('ERR_EVIDENCE')) damaged = true;
    if (problems.length >= maxProblems) {
      problemsOmitted += 1;
      return;
    }
    problems.push({
      file: basename(at.file),
      line: at.lineNo,
      ...(at.seq === undefined ? {} : { seq: at.seq }),
      code,
      message,
    });
  }

  /** One judged entry: counted everywhere, and kept as a row while there is room. */
  function entry(row: AuditRow): void {
    entries += 1;
    if (row.outcome === 'event') {
      totals.events += 1;
      const name = row.event?.name ?? '(unknown event)';
      byEvent[name] = (byEvent[name] ?? 0) + 1;
      kept.keep(row);
      return;
    }
    totals[row.outcome] += 1;
    count(byAgent, row.agent ?? '(unknown agent)', row.outcome);
    count(byIssuer, row.issuer ?? '(unknown issuer)', row.outcome);
    for (const scope of row.scopes.length > 0 ? row.scopes : ['(none required)'])
      count(byScope, scope, row.outcome);
    if (row.principals !== undefined) count(byChain, chainKey(row.principals), row.outcome);
    if (row.agent !== undefined && row.agentName !== undefined && !names.has(row.agent))
      names.set(row.agent, {
        agentName: row.agentName,
        ...(row.issuer === undefined ? {} : { issuer: row.issuer }),
      });
    kept.keep(row);
  }

  /**
   * An entry whose own passport did not verify (refused, revoked) is labelled with the name its
   * signer's verified passport gave elsewhere in the log; the attribution itself is the signer.
   */
  const label = (row: AuditRow): AuditRow => {
    const known = row.agent === undefined ? undefined : names.get(row.agent);
    return known === undefined || row.agentName !== undefined ? row : { ...row, agentName: known.agentName };
  };

  function report(): Omit<AuditReport, 'files' | 'head' | 'lines' | 'intact' | 'warnings'> {
    for (const [agent, a] of Object.entries(byAgent)) {
      const known = names.get(agent);
      if (known !== undefined) Object.assign(a, known);
    }
    return {
      entries,
      totals,
      byAgent,
      byIssuer,
      byScope,
      byChain,
      byEvent,
      problems,
      problemsOmitted,
      rows: kept.rows().map(label),
      rowsOmitted: kept.omitted(),
      matches: kept.matches().map(label),
    };
  }

  return { once, problem, entry, report, totals, damaged: () => damaged };
}

export type Tally = ReturnType<typeof createTally>;
