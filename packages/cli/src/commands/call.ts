// SPDX-License-Identifier: Apache-2.0
import type { Command } from 'commander';
import { lazy } from '../context.js';
import { collect } from '../usage.js';

export function declareCall(program: Command): void {
  program
    .command('call <url>')
    .description(
      'make a signed request as an agent of this home (RFC 9421, its passport bound in); with --delegation, as a sub-agent on a delegation chain',
    )
    .requiredOption('--agent <name>', 'the agent of this home that signs')
    .requiredOption(
      '--passport <file>',
      "the agent's passport; for a sub-agent, the passport at the root of its chain",
    )
    .option(
      '--delegation <file>',
      'a delegation of the chain, root first (repeat for a longer chain); the last names this agent',
      collect,
    )
    .option('--method <method>', 'HTTP method', 'GET')
    .option('--data <file>', "the request body ('-': standard input)")
    .option('--content-type <type>', 'the body media type', 'application/json')
    .addHelpText(
      'after',
      '\nExit codes: 0 the service answered 2xx or 3xx · 1 it refused (its code is printed).\n\nExample:\n  $ agent-passport call http://127.0.0.1:8444/papers --agent researcher --passport passport.json --delegation delegation.json',
    )
    .action(lazy(() => import('../verbs/call.js')));
}
