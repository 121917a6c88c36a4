// SPDX-License-Identifier: Apache-2.0
import type { Command } from 'commander';
import { lazy } from '../context.js';

export function declarePresent(program: Command): void {
  program
    .command('present')
    .description(
      "sign a presentation of a passport with the agent's key, for a verifier's challenge and domain",
    )
    .requiredOption('--agent <name>', 'the agent of this home holding the passport')
    .requiredOption('--passport <file>', "the passport JSON ('-': standard input)")
    .requiredOption('--challenge <challenge>', "the verifier's challenge")
    .option('--domain <domain>', "the verifier's domain")
    .option('--out <file>', 'write the presentation here instead of stdout')
    .addHelpText(
      'after',
      '\nExample:\n  $ agent-passport present --agent research-12 --passport passport.json --challenge 4f1c --domain api.example',
    )
    .action(lazy(() => import('../verbs/present.js')));
}
