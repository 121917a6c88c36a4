// SPDX-License-Identifier: Apache-2.0
// `agent-passport audit <log>`: re-verify an evidence log offline against trust bundles (a big log
// on every core), with progress on stderr; JSON and HTML reports. Exit 0: intact and every accepted entry
// re-verifies; 1 otherwise.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { PassportError } from '@agent-passport/core';
import {
  type AuditReport,
  auditDocuments,
  auditLog,
  CHAIN_SEPARATOR,
  renderHtmlReport,
} from '@agent-passport/evidence';
import { bundleAuthors } from '../bundle-authors.js';
import type { VerbContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { openHome } from '../home.js';
import { fileError, readBounded, toJson, writeFileAtomic } from '../internal/files.js';
import { MAX_BUNDLE_BYTES } from '../limits.js';
import { green, type Out, red } from '../output.js';
import { progressReporter } from '../progress.js';
import { parseDateTime, parseDuration, usage } from '../usage.js';

interface Options {
  bundle?: string[];
  bundleAuthor?: string[];
  entry?: number;
  from?: string;
  to?: string;
  html?: string;
  out?: string;
  workers?: number;
  documents?: boolean;
  statusMaxAge: string;
}

interface Trust {
  readonly bundles: string[];
  readonly authors: readonly string[];
  readonly statusMaxAgeSeconds: number;
}

/** The log (or folder of documents) must exist before workers start on it. */
function mustExist(path: string): string {
  try {
    statSync(path);
  } catch (cause) {
    throw fileError(path, cause);
  }
  return resolve(path);
}

function queryOf(opts: Options) {
  const from = opts.from === undefined ? undefined : parseDateTime(opts.from, '--from');
  const to = opts.to === undefined ? undefined : parseDateTime(opts.to, '--to');
  if (opts.entry === undefined && from === undefined && to === undefined) return {};
  return {
    query: {
      ...(opts.entry === undefined ? {} : { seq: opts.entry }),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    },
  };
}

async function auditDocumentsVerb(out: Out, path: string, trust: Trust, opts: Options): Promise<void> {
  const r = await auditDocuments(path, trust);
  if (opts.out !== undefined) writeFileAtomic(resolve(opts.out), toJson(r));
  out.data(r);
  out.line(`${r.documents} documents: ${r.verified} verify, ${r.refused} do not`);
  for (const d of r.results)
    out.line(
      `  ${d.verified ? green('✓') : red('✗')} ${d.source} ${d.kind} ${d.agentName ?? ''} ${d.agent ?? ''} ${d.time ?? ''}${d.code === undefined ? '' : ` ${d.code}`}`,
    );
  process.exitCode = r.refused === 0 ? EXIT.OK : EXIT.REFUSED;
}

async function runAudit(path: string, trust: Trust, opts: Options): Promise<AuditReport> {
  const query = queryOf(opts);
  const progress = await progressReporter();
  try {
    return await auditLog(path, {
      ...trust,
      ...(opts.workers === undefined ? {} : { workers: opts.workers }),
      ...query,
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
  }
}

function printReport(out: Out, report: AuditReport, html: string | undefined): void {
  const t = report.totals;
  out.line(
    `${report.intact ? green('✓ intact') : red('✗ tampered or damaged')} ${report.entries} entries in ${report.files.length} file(s): ${t.accepted} accepted, ${t.refused} refused, ${t.failed} do not re-verify, ${t.events} events, ${t.garbage} garbage lines`,
  );
  for (const [did, a] of Object.entries(report.byAgent))
    out.line(
      `  ${(a.agentName ?? '?').padEnd(14)} ${did.slice(0, 40)}…  accepted ${a.accepted} · refused ${a.refused} · failed ${a.failed}`,
    );
  for (const [chain, c] of Object.entries(report.byChain ?? {}))
    out.line(`  delegated: ${chain}  accepted ${c.accepted} · refused ${c.refused} · failed ${c.failed}`);
  for (const p of report.problems.slice(0, 20))
    out.line(
      `  ${red('✗')} ${p.file}:${p.line}${p.seq === undefined ? '' : ` entry ${p.seq}`} ${p.code}: ${p.message}`,
    );
  if (report.problems.length > 20)
    out.line(`  … ${report.problems.length - 20} more problems (see --out / --html)`);
  for (const w of report.warnings) out.line(`  ! ${w}`);
  for (const m of report.matches)
    out.line(
      `  entry ${m.seq} at ${m.time}: ${m.agentName ?? '?'} (${m.agent ?? '?'}) ${m.method ?? m.event?.name ?? m.kind} ${m.url ?? ''}${m.bodyDigest === undefined ? '' : ` body ${m.bodyDigest}`} — logged ${m.logged}, audit ${m.outcome}${m.code === undefined ? '' : ` ${m.code}`}${m.principals === undefined ? '' : `; on the authority of ${m.principals.join(CHAIN_SEPARATOR)}`}`,
    );
  // A delegated call: who acted on whose authority, as re-verifying the chain establishes.
  for (const m of report.matches)
    if (m.principals !== undefined) out.line(`  entry ${m.seq} delegated: ${m.principals.join(' → ')}`);
  if (html !== undefined) out.line(`  report: ${html}`);
}

export async function run({ out, homeDir }: VerbContext, logPath: string, opts: Options): Promise<void> {
  const bundles = opts.bundle ?? [];
  if (bundles.length === 0) throw usage('give at least one --bundle');
  const path = mustExist(logPath);
  const trust: Trust = {
    bundles: bundles.map((b) => readBounded(b, MAX_BUNDLE_BYTES).toString('utf8')),
    authors: await bundleAuthors(opts.bundleAuthor, openHome(homeDir)),
    statusMaxAgeSeconds: parseDuration(opts.statusMaxAge, '--status-max-age') / 1000,
  };
  if (opts.documents === true) return auditDocumentsVerb(out, path, trust, opts);
  const report = await runAudit(path, trust, opts);
  if (opts.entry !== undefined && !report.matches.some((m) => m.seq === opts.entry))
    throw new PassportError(
      'ERR_AUDIT_ENTRY_NOT_FOUND',
      `the log has no entry ${opts.entry} (it holds ${report.entries} entries)`,
    );
  if (opts.out !== undefined) writeFileAtomic(resolve(opts.out), toJson(report));
  if (opts.html !== undefined) writeFileAtomic(resolve(opts.html), renderHtmlReport(report));
  out.data(report);
  printReport(out, report, opts.html);
  const t = report.totals;
  process.exitCode = report.intact && t.failed === 0 && t.garbage === 0 ? EXIT.OK : EXIT.REFUSED;
}
