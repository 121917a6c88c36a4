// SPDX-License-Identifier: Apache-2.0
// org init | show | rotate | compromise: the organisation identity (the issuer).
import { type Command, Option } from 'commander';
import { lazy } from '../context.js';

const keyType = () =>
  new Option('--key-type <type>', 'key type').choices(['Ed25519', 'P-256']).default('Ed25519');

export function declareOrg(program: Command): void {
  const org = program.command('org').description('the organisation identity (the issuer)');
  org
    .command('init')
    .description('create the organisation key and its DID document')
    .option('--did <did>', 'a did:web for the organisation, e.g. did:web:acme.example')
    .option('--did-key', 'use a did:key instead (development)')
    .addOption(keyType())
    .option(
      '--status-base <url>',
      'where status lists are published (default for did:web: https://<host>/status; none for did:key)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ agent-passport org init --did did:web:acme.example\n  $ agent-passport org init --did-key',
    )
    .action(lazy(() => import('../verbs/org-init.js')));
  org
    .command('show')
    .description('print the organisation DID and DID document')
    .action(lazy(() => import('../verbs/org-show.js')));
  org
    .command('rotate')
    .description(
      'add a new signing key and retire the current one (its passports stay valid until they expire)',
    )
    .addOption(keyType())
    .addHelpText('after', '\nExample:\n  $ agent-passport org rotate && agent-passport publish --out site')
    .action(lazy(() => import('../verbs/org-rotate.js')));
  org
    .command('compromise <key>')
    .description('declare a retired key compromised as of a time: proofs it made since then are refused')
    .requiredOption('--since <date>', 'when the key was compromised (RFC 3339 with offset)')
    .addHelpText('after', '\nExample:\n  $ agent-passport org compromise key-1 --since 2026-11-20T00:00:00Z')
    .action(lazy(() => import('../verbs/org-compromise.js')));
}
