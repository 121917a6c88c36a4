// SPDX-License-Identifier: Apache-2.0
import type { Command } from 'commander';
import { lazy } from '../context.js';
import { collect, integerOption } from '../usage.js';

export function declareGate(program: Command): void {
  program
    .command('gate')
    .description(
      "run a service behind the request middleware: it accepts signed requests of this home's organisation's agents (and their delegates) holding --scope, and answers who acted",
    )
    .requiredOption('--scope <scope>', 'a scope every request requires (repeat for more)', collect)
    .option('--port <port>', 'port (0 picks a free one)', integerOption('--port', 0, 65535), 8444)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--public-url <origin>', 'the origin agents sign for (default: where it listens)')
    .option('--evidence <file>', 'log every accepted call to this evidence log (agent-passport audit)')
    .option(
      '--max-skew <seconds>',
      'tolerated clock skew for validity windows and signatures',
      integerOption('--max-skew', 0, 600),
      60,
    )
    .option('--status-max-age <duration>', 'refuse status lists older than this', '1d')
    .addHelpText(
      'after',
      "\nThe organisation's status lists are read again whenever revoke, suspend or issue changes them.\n\nExample:\n  $ agent-passport gate --port 8444 --scope read:arxiv --evidence evidence.jsonl",
    )
    .action(lazy(() => import('../verbs/gate.js')));
}
