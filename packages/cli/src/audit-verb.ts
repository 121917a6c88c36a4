// SPDX-License-Identifier: Apache-2.0
// `agent-passport audit <log>`: re-verify an evidence log offline against trust bundles, on every
// core, with a progress bar on a terminal (plain progress lines otherwise); JSON and HTML reports.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PassportError } from '@agent-passport/core';
import { auditDocuments, auditLog, renderHtmlReport } from '@agent-passport/evidence';
import { type Command, CommanderError } from 'commander';
import { bundleAuthors } from './bundle-verbs.js';
import { collect, globals, parseDuration } from './common.js';
import { EXIT } from './exit-codes.js';
import { toJson, writeFileAtomic } from './internal/files.js';
import { green, red } from './output.js';

function date(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(d.getTime()))
    throw new PassportError('ERR_DATE_INVALID', `${flag} ${value} is not a date-time`);
  return d;
}

async function progressReporter(): Promise<{
  update: (lines: number, done: number, total: number) => void;
  stop: () => void;
}> {
  if (process.stderr.isTTY) {
    const { SingleBar, Presets } = await import('cli-progress');
    const bar = new SingleBar(
      {
        format: 'auditing [{bar}] {percentage}% | {lines} entries | {eta_formatted} left',
        stream: process.stderr,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(lines, done, total) {
        if (!started) bar.start(Math.max(total, 1), 0, { lines: 0 });
        started = true;
        bar.update(done, { lines });
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = 0;
  return {
    update(lines, done, total) {
      const now = Date.now();
      if (now - last < 1000) return;
      last = now;
      process.stderr.write(
        `audit: ${lines} entries, ${total === 0 ? 100 : Math.floor((done / total) * 100)}%\n`,
      );
    },
    stop: () => {},
  };
}

export function registerAuditVerb(program: Command): void {
  program
    .command('audit <log>')
    .description('re-verify an evidence log offline, as of each entry time, and report who did what')
    .option(
      '--bundle <file>',
      'a trust bundle (repeat: bundles from different times give status history)',
      collect,
    )
    .option(
      '--bundle-author <did:key>',
      'pinned bundle author (default $AGENT_PASSPORT_BUNDLE_AUTHOR or this home)',
      collect,
    )
    .option('--entry <n>', 'which agent made this call: the entry with this number', (v: string) => Number(v))
    .option('--from <date>', 'entries from this time (RFC 3339)')
    .option('--to <date>', 'entries up to this time (RFC 3339)')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--out <file>', 'write the JSON report')
    .option('--workers <n>', 'worker threads (default: every core)', (v: string) => Number(v))
    .option(
      '--documents',
      'the argument is a folder of .json (or a .jsonl) credentials and presentations, not a log',
    )
    .option('--status-max-age <duration>', 'status lists older than this at an entry time are stale', '2d')
    .addHelpText(
      'after',
      '\nExit codes: 0 the log is intact and every accepted entry re-verifies · 1 otherwise.\n\nExamples:\n  $ agent-passport audit evidence.jsonl --bundle bundle.json --html report.html\n  $ agent-passport audit evidence.jsonl --bundle bundle.json --entry 5',
    )
    .action(async (logPath: string, opts: Record<string, unknown>, cmd: Command) => {
      const { home, out } = globals(cmd);
      const bundles = (opts['bundle'] as string[] | undefined) ?? [];
      if (bundles.length === 0) throw new CommanderError(EXIT.USAGE, 'usage', 'give at least one --bundle');
      const workers = opts['workers'] as number | undefined;
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 0 || workers > 64))
        throw new CommanderError(EXIT.USAGE, 'usage', '--workers is 0–64');
      const entry = opts['entry'] as number | undefined;
      if (entry !== undefined && (!Number.isInteger(entry) || entry < 1))
        throw new CommanderError(EXIT.USAGE, 'usage', '--entry is an entry number (1, 2, …)');
      if (opts['documents'] === true) {
        const r = await auditDocuments(resolve(logPath), {
          bundles: bundles.map((b) => readFileSync(b, 'utf8')),
          authors: bundleAuthors(opts['bundleAuthor'] as string[] | undefined, home),
          statusMaxAgeSeconds: parseDuration(opts['statusMaxAge'] as string) / 1000,
        });
        if (opts['out'] !== undefined) writeFileAtomic(resolve(opts['out'] as string), toJson(r));
        out.data(r);
        out.line(`${r.documents} documents: ${r.verified} verify, ${r.refused} do not`);
        for (const d of r.results)
          out.line(
            `  ${d.verified ? green('✓') : red('✗')} ${d.source} ${d.kind} ${d.agentName ?? ''} ${d.agent ?? ''} ${d.time ?? ''}${d.code === undefined ? '' : ` ${d.code}`}`,
          );
        process.exitCode = r.refused === 0 ? EXIT.OK : EXIT.REFUSED;
        return;
      }
      const from = date(opts['from'] as string | undefined, '--from');
      const to = date(opts['to'] as string | undefined, '--to');
      const progress = await progressReporter();
      let report: Awaited<ReturnType<typeof auditLog>>;
      try {
        report = await auditLog(resolve(logPath), {
          bundles: bundles.map((b) => readFileSync(b, 'utf8')),
          authors: bundleAuthors(opts['bundleAuthor'] as string[] | undefined, home),
          ...(workers === undefined ? {} : { workers }),
          statusMaxAgeSeconds: parseDuration(opts['statusMaxAge'] as string) / 1000,
          ...(entry !== undefined || from !== undefined || to !== undefined
            ? {
                query: {
                  ...(entry === undefined ? {} : { seq: entry }),
                  ...(from === undefined ? {} : { from }),
                  ...(to === undefined ? {} : { to }),
                },
              }
            : {}),
          onProgress: progress.update,
        });
      } finally {
        progress.stop();
      }
      if (opts['out'] !== undefined) writeFileAtomic(resolve(opts['out'] as string), toJson(report));
      if (opts['html'] !== undefined)
        writeFileAtomic(resolve(opts['html'] as string), renderHtmlReport(report));
      out.data(report);
      const t = report.totals;
      out.line(
        `${report.intact ? green('✓ intact') : red('✗ tampered or damaged')} ${report.entries} entries in ${report.files.length} file(s): ${t.accepted} accepted, ${t.refused} refused, ${t.failed} do not re-verify, ${t.garbage} garbage lines`,
      );
      for (const [did, a] of Object.entries(report.byAgent))
        out.line(
          `  ${(a.agentName ?? '?').padEnd(14)} ${did.slice(0, 40)}…  accepted ${a.accepted} · refused ${a.refused} · failed ${a.failed}`,
        );
      for (const p of report.problems.slice(0, 20))
        out.line(
          `  ${red('✗')} ${p.file}:${p.line}${p.seq === undefined ? '' : ` entry ${p.seq}`} ${p.code}: ${p.message}`,
        );
      if (report.problems.length > 20)
        out.line(`  … ${report.problems.length - 20} more problems (see --out / --html)`);
      for (const w of report.warnings) out.line(`  ! ${w}`);
      for (const m of report.matches)
        out.line(
          `  entry ${m.seq} at ${m.time}: ${m.agentName ?? '?'} (${m.agent ?? '?'}) ${m.method ?? m.kind} ${m.url ?? ''}${m.bodyDigest === undefined ? '' : ` body ${m.bodyDigest}`} — logged ${m.logged}, audit ${m.outcome}${m.code === undefined ? '' : ` ${m.code}`}`,
        );
      if (opts['html'] !== undefined) out.line(`  report: ${opts['html'] as string}`);
      process.exitCode = report.intact && t.failed === 0 && t.garbage === 0 ? EXIT.OK : EXIT.REFUSED;
    });
}
