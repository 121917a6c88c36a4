// SPDX-License-Identifier: Apache-2.0
import type { Command } from 'commander';
import { lazy } from '../context.js';
import { collect, integerOption } from '../usage.js';

export function declareAudit(program: Command): void {
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
    .option(
      '--entry <n>',
      'which agent made this call: the entry with this number',
      integerOption('--entry', 1, Number.MAX_SAFE_INTEGER),
    )
    .option('--from <date>', 'entries from this time (RFC 3339)')
    .option('--to <date>', 'entries up to this time (RFC 3339)')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--out <file>', 'write the JSON report')
    .option(
      '--workers <n>',
      'worker threads (default: none for a log under 8 MiB, every core for a bigger one)',
      integerOption('--workers', 0, 64),
    )
    .option(
      '--documents',
      'the argument is a folder of .json (or a .jsonl) credentials and presentations, not a log',
    )
    .option('--status-max-age <duration>', 'status lists older than this at an entry time are stale', '2d')
    .addHelpText(
      'after',
      '\nExit codes: 0 the log is intact and every accepted entry re-verifies · 1 otherwise.\n\nExamples:\n  $ agent-passport audit evidence.jsonl --bundle bundle.json --html report.html\n  $ agent-passport audit evidence.jsonl --bundle bundle.json --entry 5',
    )
    .action(lazy(() => import('../verbs/audit.js')));
}
