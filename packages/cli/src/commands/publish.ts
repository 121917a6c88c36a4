// SPDX-License-Identifier: Apache-2.0
import type { Command } from 'commander';
import { lazy } from '../context.js';

export function declarePublish(program: Command): void {
  program
    .command('publish')
    .description(
      'write the folder an issuer serves: DID document (with key history), passport schema, context, signed status lists',
    )
    .requiredOption('--out <dir>', 'the folder to write')
    .option('--lists-valid-for <duration>', 'how long the signed status lists may be relied on', '1d')
    .addHelpText(
      'after',
      '\nStatus lists are signed afresh on every publish: run it again before --lists-valid-for runs out.\n\nExample:\n  $ agent-passport publish --out site',
    )
    .action(lazy(() => import('../verbs/publish.js')));
}
