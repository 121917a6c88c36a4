// SPDX-License-Identifier: Apache-2.0
// revoke | suspend | reinstate: change the issuer state durably, then sign the lists afresh into
// this home (what `verify` reads by default) so that `publish` and bundles carry the change.
import { PassportError } from '@agent-passport/core';
import type { PassportSelector, StatusChange } from '@agent-passport/issuer';
import type { VerbContext } from '../context.js';
import { agentDid, type Home, openHome, orgSigner } from '../home.js';
import { green } from '../output.js';
import { refreshStatusLists } from '../status-lists.js';
import { usage } from '../usage.js';

interface Options {
  agent?: string;
  subject?: string;
  all?: boolean;
}

const DONE: Record<StatusChange, string> = {
  revoke: 'revoked',
  suspend: 'suspended',
  reinstate: 'reinstated',
};

/** One passport by id, or (with --all, as a confirmation) every passport of an agent or did:key. */
async function selectorOf(home: Home, id: string | undefined, opts: Options): Promise<PassportSelector> {
  const given = [id, opts.agent, opts.subject].filter((v) => v !== undefined);
  if (given.length !== 1) throw usage('give exactly one of <passport-id>, --agent or --subject');
  if (id !== undefined) {
    if (opts.all === true) throw usage('--all goes with --agent or --subject, not with a passport id');
    return { id };
  }
  const who = opts.agent === undefined ? `--subject ${opts.subject}` : `--agent ${opts.agent}`;
  if (opts.all !== true)
    throw usage(`${who} selects every passport issued to it: add --all to confirm, or give one passport id`);
  return { subject: opts.subject ?? (await agentDid(home, opts.agent as string)) };
}

export function runFor(change: StatusChange) {
  return async ({ out, homeDir }: VerbContext, id: string | undefined, opts: Options): Promise<void> => {
    const home = openHome(homeDir);
    const selector = await selectorOf(home, id, opts);
    const { org: record, signer } = await orgSigner(home);
    const state = await home.issuerState(record);
    if (state === undefined)
      throw new PassportError(
        'ERR_STATUS_UNAVAILABLE',
        `${record.did} publishes no status lists (org init --status-base): its passports cannot be ${DONE[change]}`,
      );
    const now = new Date();
    const changed = await state.change(selector, change, now);
    await refreshStatusLists(home, record, signer, now);
    out.data({ change, passports: changed.map((c) => ({ id: c.id, ...c.passport })) });
    for (const c of changed) out.line(`${green('✓')} ${DONE[change]} ${c.id} (${c.passport.agentName})`);
    out.line('  publish (agent-passport publish) and rebuild trust bundles so verifiers learn it');
  };
}
