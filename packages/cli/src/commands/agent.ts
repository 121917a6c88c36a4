// SPDX-License-Identifier: Apache-2.0
// agent create | list: agents' own keys (did:key).
import { type Command, Option } from 'commander';
import { lazy } from '../context.js';

export function declareAgent(program: Command): void {
  const agent = program.command('agent').description("agents' own keys (did:key)");
  agent
    .command('create <name>')
    .description('create an agent key; its did:key is the subject of its passports')
    .addOption(new Option('--key-type <type>', 'key type').choices(['Ed25519', 'P-256']).default('Ed25519'))
    .addHelpText('after', '\nExample:\n  $ agent-passport agent create research-12')
    .action(lazy(() => import('../verbs/agent-create.js')));
  agent
    .command('list')
    .description('list agent keys (public data only)')
    .action(lazy(() => import('../verbs/agent-list.js')));
}
