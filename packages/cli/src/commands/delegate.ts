// SPDX-License-Identifier: Apache-2.0
import type { Command } from 'commander';
import { lazy } from '../context.js';
import { collect, integerOption } from '../usage.js';

export function declareDelegate(program: Command): void {
  program
    .command('delegate')
    .description("hand a narrower part of an agent's passport to a sub-agent, signed with the agent's key")
    .requiredOption('--from <agent>', 'the agent of this home that delegates (its key signs)')
    .requiredOption('--to <did>', "the sub-agent's did:key")
    .requiredOption('--parent <file>', "the passport (or delegation) --from holds ('-': standard input)")
    .requiredOption(
      '--scope <scope>',
      'a delegated scope, within the parent scopes (repeat for more)',
      collect,
    )
    .option('--valid-for <duration>', 'validity from now, inside the parent window: 10m, 2h, 1d', '1h')
    .option(
      '--valid-until <date>',
      'end of validity, RFC 3339 with a time and offset, inside the parent window; overrides --valid-for',
    )
    .option(
      '--audience <origin>',
      'a service that may accept it (repeat; required with --max-depth)',
      collect,
    )
    .option(
      '--max-depth <n>',
      'how many more links may follow (default 0)',
      integerOption('--max-depth', 0, 8),
    )
    .option(
      '--max-calls <n>',
      'usage limit, at most the parent one',
      integerOption('--max-calls', 1, 1_000_000_000),
    )
    .option('--purpose <purpose>', 'what the sub-agent is for')
    .option('--out <file>', 'write the delegation here instead of stdout')
    .addHelpText(
      'after',
      '\nExample:\n  $ agent-passport delegate --from planner --to did:key:z6Mk… --parent passport.json \\\n      --scope read:arxiv --valid-for 10m --audience https://api.example --out delegation.json',
    )
    .action(lazy(() => import('../verbs/delegate.js')));
}
