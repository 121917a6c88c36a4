// SPDX-License-Identifier: Apache-2.0
// The data a report page embeds, compact enough for logs of tens of thousands of entries: every
// repeated string (DIDs, names, URLs, codes) once in a table, each row an array of indexes, times
// as offsets. The page decodes only the rows it shows, and rebuilds the full report on download.
import { type AuditReport, type AuditRow, CHAIN_SEPARATOR } from './audit-types.js';

/** Column order of a compact row (-1: absent). */
export const ROW_COLUMNS = [
  'seq',
  'time',
  'kind',
  'agent',
  'agentName',
  'issuer',
  'passportId',
  'scopes',
  'method',
  'url',
  'bodyDigest',
  'logged',
  'outcome',
  'code',
  'message',
  'file',
  'line',
  'principals',
] as const;

export interface CompactReport {
  readonly v: 1;
  readonly title: string;
  readonly summary: Omit<AuditReport, 'rows'>;
  readonly strings: readonly string[];
  /** Times are milliseconds after this one (a time that does not parse is kept as text). */
  readonly t0: number;
  readonly rows: readonly (readonly (number | string)[])[];
}

const OUTCOMES = ['accepted', 'refused', 'failed', 'event'] as const;

export function compactReport(report: AuditReport, title: string): CompactReport {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const s = (value: string | undefined): number => {
    if (value === undefined) return -1;
    let i = index.get(value);
    if (i === undefined) {
      i = strings.push(value) - 1;
      index.set(value, i);
    }
    return i;
  };
  let t0 = Number.POSITIVE_INFINITY;
  for (const r of report.rows) {
    const ms = Date.parse(r.time);
    if (ms < t0) t0 = ms;
  }
  if (t0 === Number.POSITIVE_INFINITY) t0 = 0;
  const time = (r: AuditRow) => {
    const ms = Date.parse(r.time);
    return Number.isFinite(ms) && ms >= t0 ? ms - t0 : r.time;
  };
  const { rows, ...summary } = report;
  return {
    v: 1,
    title,
    summary,
    strings,
    t0,
    rows: rows.map((r) => [
      r.seq,
      time(r),
      s(r.kind),
      s(r.agent),
      s(r.agentName),
      s(r.issuer),
      s(r.passportId),
      s(r.scopes.join(' ')),
      s(r.method),
      s(r.url),
      s(r.bodyDigest),
      r.logged === 'accepted' ? 0 : 1,
      OUTCOMES.indexOf(r.outcome),
      s(r.code),
      s(r.message),
      s(r.file),
      r.line,
      s(r.principals?.join(CHAIN_SEPARATOR)),
    ]),
  };
}
