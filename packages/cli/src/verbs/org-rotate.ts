// SPDX-License-Identifier: Apache-2.0
// `org rotate`: a new signing key; the current one is retired (its passports stay valid).
import { PassportError } from '@agent-passport/core';
import { generateKey } from '@agent-passport/keystore';
import { createSigner } from '@agent-passport/suites';
import type { VerbContext } from '../context.js';
import { openHome, passphrase } from '../home.js';
import { orgRecord } from '../org-record.js';
import { green } from '../output.js';
import { refreshStatusLists } from '../status-lists.js';

export async function run(
  { out, homeDir }: VerbContext,
  opts: { keyType: 'Ed25519' | 'P-256' },
): Promise<void> {
  const home = openHome(homeDir);
  const record = home.readOrg();
  if (!record.did.startsWith('did:web:'))
    throw new PassportError(
      'ERR_DID_METHOD_UNSUPPORTED',
      'a did:key organisation is its key: it cannot rotate',
    );
  const key = generateKey(opts.keyType);
  const n = record.keys.length + 1;
  const label = `org-key-${n}`;
  const pass = await passphrase();
  const keys = await home.keys();
  await keys.load(record.keyLabel, pass); // the organisation's passphrase, checked first
  await keys.save(label, key, pass);
  const now = new Date().toISOString();
  const next = orgRecord({
    did: record.did,
    createdAt: record.createdAt,
    statusBase: record.statusBase,
    keys: [
      { fragment: `key-${n}`, label, publicKeyMultibase: key.publicKeyMultibase, addedAt: now },
      ...record.keys.map((k) => (k.label === record.keyLabel ? { ...k, retiredAt: now } : k)),
    ],
  });
  home.writeOrg(next);
  await refreshStatusLists(home, next, createSigner(key, next.verificationMethod));
  out.data({
    did: next.did,
    verificationMethod: next.verificationMethod,
    retired: record.verificationMethod,
  });
  out.line(`${green('✓')} new signing key ${next.verificationMethod}`);
  out.line(`  retired ${record.verificationMethod} at ${now}: its passports stay valid until they expire`);
  out.line('  publish the new DID document (agent-passport publish) and rebuild trust bundles');
}
