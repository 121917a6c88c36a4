// SPDX-License-Identifier: Apache-2.0
import type { Command } from 'commander';
import { lazy } from '../context.js';
import { collect } from '../usage.js';

export function declareVerify(program: Command): void {
  program
    .command('verify <file>')
    .description("verify a passport or a presentation offline and print every check ('-': stdin)")
    .option(
      '--trust <did-or-file>',
      'a trusted issuer: a did:key or a DID document file (default: this home org)',
      collect,
    )
    .option('--challenge <challenge>', 'the challenge you issued (required for presentations)')
    .option('--domain <domain>', 'your domain (checked when given)')
    .option('--scope <scope>', 'a scope the call requires (repeat for more)', collect)
    .option('--purpose <purpose>', 'an accepted purpose (repeat for more)', collect)
    .option('--origin <origin>', 'your origin, checked against a passport audience')
    .option('--at <date>', 'verify as of this time (RFC 3339) instead of now')
    .option('--resolve', 'allow fetching did:web issuers over HTTPS (hardened); offline otherwise')
    .option(
      '--status <file>',
      'a signed status list credential to check status against (repeat for more)',
      collect,
    )
    .option(
      '--bundle <file>',
      'trust exactly what this signed trust bundle holds (issuers, key history, status lists)',
    )
    .option(
      '--bundle-author <did:key>',
      "the pinned author of the bundle (repeat; default $AGENT_PASSPORT_BUNDLE_AUTHOR, else this home's bundle author)",
      collect,
    )
    .option('--status-max-age <duration>', 'refuse status lists older than this (default 1d)', '1d')
    .addHelpText(
      'after',
      '\nExamples:\n  $ agent-passport verify passport.json --scope read:arxiv\n  $ agent-passport verify vp.json --challenge 4f1c --domain api.example --trust org-did.json\n  $ agent-passport verify passport.json --bundle bundle.json --bundle-author did:key:z6Mk…',
    )
    .action(lazy(() => import('../verbs/verify.js')));
}
