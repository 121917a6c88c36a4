// SPDX-License-Identifier: Apache-2.0
// revoke, suspend, reinstate: change the issuer state durably, then sign the lists afresh into
// this home (what `verify` reads by default) so that `publish` and bundles carry the change.
import { join } from 'node:path';
import { PassportError, type Signer } from '@agent-passport/core';
import type { PassportSelector, StatusChange } from '@agent-passport/issuer';
import { type Command, CommanderError } from 'commander';
import { globals } from './common.js';
import { EXIT } from './exit-codes.js';
import { agentLabel, type Home, type OrgRecord, orgSigner } from './home.js';
import { toJson, writeFileAtomic } from './internal/files.js';
import { green } from './output.js';

/** Sign every status list as the state has it now and keep them in the home's status folder. */
export async function refreshStatusLists(
  home: Home,
  record: OrgRecord,
  signer: Signer,
  now = new Date(),
  validForMs?: number,
) {
  const state = home.issuerState(record);
  if (state === undefined) return [];
  const lists = await state.issueLists({
    signer,
    now,
    ...(validForMs === undefined ? {} : { validForMs }),
  });
  for (const l of lists) {
    const [purpose, n] = new URL(l.url).pathname.split('/').slice(-2);
    writeFileAtomic(join(home.statusDir, purpose as string, `${n}.json`), toJson(l.credential));
  }
  return lists;
}

const VERBS: [StatusChange, string, string][] = [
  ['revoke', 'revoke passports for good (by id, or every passport of an agent)', 'revoked'],
  ['suspend', 'suspend passports until reinstated', 'suspended'],
  ['reinstate', 'lift a suspension (a revocation is permanent)', 'reinstated'],
];

export function registerStatusVerbs(program: Command): void {
  for (const [change, description, done] of VERBS) {
    program
      .command(`${change} [passport-id]`)
      .description(description)
      .option('--agent <name>', 'every passport issued to this agent of the home')
      .option('--subject <did>', 'every passport issued to this did:key')
      .addHelpText(
        'after',
        `\nExamples:\n  $ agent-passport ${change} --agent research-12\n  $ agent-passport ${change} urn:uuid:…\n\nThen publish (agent-passport publish) and rebuild trust bundles so verifiers learn it.`,
      )
      .action(async (id: string | undefined, opts: { agent?: string; subject?: string }, cmd: Command) => {
        const { home, out } = globals(cmd);
        const given = [id, opts.agent, opts.subject].filter((v) => v !== undefined);
        if (given.length !== 1)
          throw new CommanderError(
            EXIT.USAGE,
            'usage',
            'give exactly one of <passport-id>, --agent or --subject',
          );
        let selector: PassportSelector;
        if (id !== undefined) selector = { id };
        else if (opts.subject !== undefined) selector = { subject: opts.subject };
        else {
          const entry = home.keys.list().find((k) => k.label === agentLabel(opts.agent as string));
          if (entry === undefined)
            throw new PassportError('ERR_KEYSTORE_NOT_FOUND', `no agent ${opts.agent} in ${home.dir}`);
          selector = { subject: entry.did };
        }
        const { org: record, signer } = await orgSigner(home);
        const state = home.issuerState(record);
        if (state === undefined)
          throw new PassportError(
            'ERR_STATUS_UNAVAILABLE',
            `${record.did} publishes no status lists (org init --status-base): its passports cannot be revoked`,
          );
        const now = new Date();
        const changed = await state.change(selector, change, now);
        await refreshStatusLists(home, record, signer, now);
        out.data({ change, passports: changed.map((c) => ({ id: c.id, ...c.passport })) });
        for (const c of changed) out.line(`${green('✓')} ${done} ${c.id} (${c.passport.agentName})`);
        out.line('  publish (agent-passport publish) and rebuild trust bundles so verifiers learn it');
      });
  }
}
