// SPDX-License-Identifier: Apache-2.0
// bundle author | create | verify: the verifier operator packages what it trusts, signs it with its
// own key, and verifiers pin that key.
import type { Command } from 'commander';
import { lazy } from '../context.js';
import { collect } from '../usage.js';

export function declareBundle(program: Command): void {
  const bundle = program
    .command('bundle')
    .description('signed trust bundles: what an offline verifier trusts, signed by its operator');
  bundle
    .command('author')
    .description(
      "create (once) this home's bundle-signing key and print its did:key, the value verifiers pin",
    )
    .addHelpText('after', '\nExample:\n  $ agent-passport bundle author')
    .action(lazy(() => import('../verbs/bundle-author.js')));
  bundle
    .command('create')
    .description('collect trusted issuers (publish folders, or did:web over HTTPS) into a signed bundle')
    .option('--from <dir>', "an issuer's publish folder (repeat for more)", collect)
    .option(
      '--resolve <did:web>',
      'fetch an issuer with the hardened did:web resolver (repeat for more)',
      collect,
    )
    .option('--valid-for <duration>', 'bundle validity', '7d')
    .option('--allow-host <host>', 'tests only: allow this loopback host for --resolve', collect)
    .option('--ca <file>', 'tests only: an extra CA certificate (PEM) for --resolve')
    .option('--out <file>', 'write the bundle here instead of stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  $ agent-passport bundle create --from site --out bundle.json\n  $ agent-passport bundle create --resolve did:web:acme.example --valid-for 1d --out bundle.json',
    )
    .action(lazy(() => import('../verbs/bundle-create.js')));
  bundle
    .command('verify <file>')
    .description('verify a bundle against the pinned author key(s), offline')
    .option(
      '--author <did:key>',
      'a pinned author (repeat for more; default $AGENT_PASSPORT_BUNDLE_AUTHOR)',
      collect,
    )
    .addHelpText('after', '\nExample:\n  $ agent-passport bundle verify bundle.json --author did:key:z6Mk…')
    .action(lazy(() => import('../verbs/bundle-verify.js')));
}
