// SPDX-License-Identifier: Apache-2.0
// `org init`: the organisation key (encrypted in the home) and its DID document.
import { PassportError } from '@agent-passport/core';
import { didWebToUrl } from '@agent-passport/did-web';
import { generateKey } from '@agent-passport/keystore';
import type { VerbContext } from '../context.js';
import { ORG_KEY_LABEL, openHome, passphrase } from '../home.js';
import { defaultStatusBase, orgRecord } from '../org-record.js';
import { green } from '../output.js';
import { usage } from '../usage.js';

interface Options {
  did?: string;
  didKey?: boolean;
  keyType: 'Ed25519' | 'P-256';
  statusBase?: string;
}

function statusBaseFor(did: string, given: string | undefined): string | undefined {
  const base = given ?? (did.startsWith('did:web:') ? defaultStatusBase(did) : undefined);
  if (base !== undefined && !/^https:\/\/[^\s#?]+[^/\s#?]$/.test(base))
    throw usage('--status-base is an https URL without a trailing slash');
  return base;
}

export async function run({ out, homeDir }: VerbContext, opts: Options): Promise<void> {
  if ((opts.did === undefined) === (opts.didKey !== true))
    throw usage('give exactly one of --did <did:web:…> or --did-key');
  const home = openHome(homeDir);
  if (home.hasOrg()) throw new PassportError('ERR_ORG_EXISTS', `${home.dir} already has an organisation`);
  const key = generateKey(opts.keyType);
  const did = opts.did ?? key.did;
  if (opts.did !== undefined) didWebToUrl(did);
  const statusBase = statusBaseFor(did, opts.statusBase);
  await (await home.keys()).save(ORG_KEY_LABEL, key, await passphrase(true));
  const now = new Date().toISOString();
  const fragment = did.startsWith('did:key:') ? key.publicKeyMultibase : 'key-1';
  const record = orgRecord({
    did,
    createdAt: now,
    statusBase,
    keys: [{ fragment, label: ORG_KEY_LABEL, publicKeyMultibase: key.publicKeyMultibase, addedAt: now }],
  });
  home.writeOrg(record);
  const { verificationMethod, didDocument } = record;
  out.data({ did, verificationMethod, didDocument, home: home.dir });
  out.line(`${green('✓')} organisation ${did}`);
  out.line(`  signing key ${verificationMethod} (encrypted in ${home.dir}/keys)`);
  if (did.startsWith('did:web:'))
    out.line(`  publish its DID document at ${didWebToUrl(did).href} (agent-passport publish)`);
  if (statusBase !== undefined) out.line(`  status lists at ${statusBase}/…`);
}
