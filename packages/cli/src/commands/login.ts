// SPDX-License-Identifier: Apache-2.0
import type { Command } from 'commander';
import { lazy } from '../context.js';
import { collect } from '../usage.js';

export function declareLogin(program: Command): void {
  program
    .command('login <url>')
    .description(
      "log an agent in at a site's agent-login workflow: the site proves itself first (a signed answer), then the agent presents its passport",
    )
    .requiredOption('--agent <name>', 'the agent of this home logging in')
    .requiredOption('--passport <file>', "the agent's passport JSON ('-': standard input)")
    .option(
      '--delegation <file>',
      "a sub-agent's delegation chain, root first (repeat; a file may hold a list): --passport is then the passport it descends from",
      collect,
    )
    .option('--site-document <file>', "the site's DID document (its did:web), as you pinned it")
    .option('--bundle <file>', "a signed trust bundle holding the site's DID document")
    .option(
      '--bundle-author <did:key>',
      "the pinned author of the bundle (repeat; default $AGENT_PASSPORT_BUNDLE_AUTHOR, else this home's bundle author)",
      collect,
    )
    .option('--site <did>', "the site's DID (default: the document's id, or the https origin's did:web)")
    .option('--get <path>', 'then GET this path of the site with the session and print the answer')
    .addHelpText(
      'after',
      '\nExample:\n  $ agent-passport login https://shop.example/workflows/agent-login --agent buyer-1 --passport passport.json --site-document shop-did.json --get /api/me',
    )
    .action(lazy(() => import('../verbs/login.js')));
}
