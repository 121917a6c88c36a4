// SPDX-License-Identifier: Apache-2.0
// bundle author | create | verify: the verifier operator packages what it trusts, signs it with its
// own key, and verifiers pin that key.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isPassportError } from '@agent-passport/core';
import { generateKey } from '@agent-passport/keystore';
import { createSigner } from '@agent-passport/suites';
import {
  type BundledIssuer,
  collectFromPublishFolder,
  collectFromWeb,
  createTrustBundle,
  verifyTrustBundle,
} from '@agent-passport/trust-bundle';
import { type Command, CommanderError } from 'commander';
import { collect, emit, globals, parseDuration } from './common.js';
import { EXIT } from './exit-codes.js';
import { type Home, passphrase } from './home.js';
import { readJsonFile } from './internal/files.js';
import { green, red } from './output.js';

export const BUNDLE_AUTHOR_LABEL = 'bundle-author';

/**
 * The pinned bundle authors: given ones, else $AGENT_PASSPORT_BUNDLE_AUTHOR, else this home's own
 * bundle author (an operator verifying the bundles it signs itself).
 */
export function bundleAuthors(given: readonly string[] | undefined, home: Home): readonly string[] {
  const env = process.env['AGENT_PASSPORT_BUNDLE_AUTHOR'];
  const own = home.keys.list().find((k) => k.label === BUNDLE_AUTHOR_LABEL)?.did;
  const authors = given ?? (env !== undefined ? [env] : own !== undefined ? [own] : []);
  if (authors.length === 0)
    throw new CommanderError(
      EXIT.USAGE,
      'usage',
      'no pinned bundle author: give --bundle-author <did:key> (or run `bundle author` in this home)',
    );
  if (!authors.every((a) => a.startsWith('did:key:')))
    throw new CommanderError(EXIT.USAGE, 'usage', 'a bundle author is a did:key');
  return authors;
}

export function registerBundleVerbs(program: Command): void {
  const bundle = program
    .command('bundle')
    .description('signed trust bundles: what an offline verifier trusts, signed by its operator');

  bundle
    .command('author')
    .description(
      "create (once) this home's bundle-signing key and print its did:key, the value verifiers pin",
    )
    .addHelpText('after', '\nExample:\n  $ agent-passport bundle author')
    .action(async (_opts: unknown, cmd: Command) => {
      const { home, out } = globals(cmd);
      let entry = home.keys.list().find((k) => k.label === BUNDLE_AUTHOR_LABEL);
      if (entry === undefined) {
        await home.keys.save(BUNDLE_AUTHOR_LABEL, generateKey('Ed25519'), await passphrase(true));
        entry = home.keys.list().find((k) => k.label === BUNDLE_AUTHOR_LABEL);
      }
      const did = entry?.did as string;
      out.data({ did });
      out.line(`bundle author ${did}`);
      out.line(
        '  pin it in verifiers: agent-passport verify … --bundle bundle.json --bundle-author <this did>',
      );
    });

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
    .action(
      async (
        opts: {
          from?: string[];
          resolve?: string[];
          validFor: string;
          allowHost?: string[];
          ca?: string;
          out?: string;
        },
        cmd: Command,
      ) => {
        const { home, out } = globals(cmd);
        if ((opts.from ?? []).length + (opts.resolve ?? []).length === 0)
          throw new CommanderError(
            EXIT.USAGE,
            'usage',
            'give at least one --from <dir> or --resolve <did:web>',
          );
        const issuers: BundledIssuer[] = (opts.from ?? []).map((d) => collectFromPublishFolder(resolve(d)));
        for (const did of opts.resolve ?? []) {
          issuers.push(
            await collectFromWeb(did, {
              ...(opts.allowHost === undefined ? {} : { allowInsecureHosts: opts.allowHost }),
              ...(opts.ca === undefined ? {} : { ca: readFileSync(opts.ca, 'utf8') }),
            }),
          );
        }
        const key = await home.keys.load(BUNDLE_AUTHOR_LABEL, await passphrase());
        const signed = await createTrustBundle({
          author: { id: key.did, signer: createSigner(key, `${key.did}#${key.publicKeyMultibase}`) },
          issuers,
          validForMs: parseDuration(opts.validFor),
        });
        out.data(signed);
        emit(out, opts.out, signed);
        out.line(`${green('✓')} bundle by ${key.did}: ${issuers.map((i) => i.id).join(', ')}`);
        out.line(`  valid until ${String(signed['validUntil'])}`);
      },
    );

  bundle
    .command('verify <file>')
    .description('verify a bundle against the pinned author key(s), offline')
    .option(
      '--author <did:key>',
      'a pinned author (repeat for more; default $AGENT_PASSPORT_BUNDLE_AUTHOR)',
      collect,
    )
    .addHelpText('after', '\nExample:\n  $ agent-passport bundle verify bundle.json --author did:key:z6Mk…')
    .action(async (file: string, opts: { author?: string[] }, cmd: Command) => {
      const { home, out } = globals(cmd);
      const authors = bundleAuthors(opts.author, home);
      try {
        const trust = await verifyTrustBundle(readJsonFile(file, 32 * 1024 * 1024), { authors });
        out.data({
          verified: true,
          author: trust.author,
          validUntil: trust.validUntil.toISOString(),
          issuers: trust.issuers.map((i) => ({ id: i.id, statusLists: i.statusLists.length })),
        });
        out.line(
          `${green('✓ verified')} bundle by ${trust.author}, valid until ${trust.validUntil.toISOString()}`,
        );
        for (const i of trust.issuers) out.line(`  ${i.id} · ${i.statusLists.length} status lists`);
      } catch (error) {
        if (!isPassportError(error) || !error.code.startsWith('ERR_BUNDLE_')) throw error;
        out.data({ verified: false, errors: [{ code: error.code, message: error.message }] });
        out.line(`${red('✗ refused')} ${error.code}: ${error.message}`);
        process.exitCode = EXIT.REFUSED;
      }
    });
}
