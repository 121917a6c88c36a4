// SPDX-License-Identifier: Apache-2.0
// `org compromise <key> --since <time>`: proofs the retired key made since then are refused.
import { PassportError } from '@agent-passport/core';
import type { VerbContext } from '../context.js';
import { openHome } from '../home.js';
import { orgRecord } from '../org-record.js';
import { green } from '../output.js';
import { parseDateTime, usage } from '../usage.js';

export function run({ out, homeDir }: VerbContext, fragment: string, opts: { since: string }): void {
  const home = openHome(homeDir);
  const record = home.readOrg();
  const since = parseDateTime(opts.since, '--since');
  const key = record.keys.find((k) => k.fragment === fragment || `${record.did}#${k.fragment}` === fragment);
  if (key === undefined)
    throw new PassportError('ERR_VERIFICATION_METHOD_NOT_FOUND', `${record.did} has no key ${fragment}`);
  if (key.label === record.keyLabel) throw usage('this is the current signing key: run `org rotate` first');
  const next = orgRecord({
    did: record.did,
    createdAt: record.createdAt,
    statusBase: record.statusBase,
    keys: record.keys.map((k) => (k === key ? { ...k, compromisedAt: since.toISOString() } : k)),
  });
  home.writeOrg(next);
  out.data({ key: `${record.did}#${key.fragment}`, compromisedAt: since.toISOString() });
  out.line(`${green('✓')} ${record.did}#${key.fragment} compromised since ${since.toISOString()}`);
  out.line('  proofs it made since then are refused; publish the DID document and rebuild trust bundles');
}
