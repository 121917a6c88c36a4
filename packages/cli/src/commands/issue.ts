// SPDX-License-Identifier: Apache-2.0
import type { Command } from 'commander';
import { lazy } from '../context.js';
import { collect, integerOption } from '../usage.js';

export function declareIssue(program: Command): void {
  program
    .command('issue')
    .description("issue a passport to an agent, signed with the organisation's key")
    .option('--agent <name>', 'an agent of this home (its did:key is the subject)')
    .option('--subject <did>', "the agent's did:key, for agents whose keys live elsewhere")
    .option('--name <agentName>', 'the agent name in the passport (default: --agent)')
    .requiredOption('--purpose <purpose>', 'what the agent is for')
    .requiredOption('--scope <scope>', 'a granted scope, action:resource (repeat for more)', collect)
    .option('--valid-for <duration>', 'validity from now: 90d, 12h, 30m', '90d')
    .option(
      '--valid-until <date>',
      'end of validity, RFC 3339 with a time and offset (2027-01-01T00:00:00Z); overrides --valid-for',
    )
    .option('--max-calls <n>', 'usage limit', integerOption('--max-calls', 1, 1_000_000_000))
    .option('--audience <origin>', 'an origin the agent may call (repeat for more)', collect)
    .option(
      '--delegation-depth <n>',
      'the agent may delegate (agent-passport delegate), this many links deep',
      integerOption('--delegation-depth', 1, 8),
    )
    .option('--out <file>', 'write the passport here instead of stdout')
    .addHelpText(
      'after',
      '\nExample:\n  $ agent-passport issue --agent research-12 --purpose literature-review \\\n      --scope read:arxiv --scope write:notes/* --valid-for 30d --max-calls 1000 --out passport.json',
    )
    .action(lazy(() => import('../verbs/issue.js')));
}
