// SPDX-License-Identifier: Apache-2.0
// `bundle author`: this home's bundle-signing key (created once); its did:key is what verifiers pin.
import { generateKey } from '@agent-passport/keystore';
import type { VerbContext } from '../context.js';
import { BUNDLE_AUTHOR_LABEL, openHome, passphrase } from '../home.js';

export async function run({ out, homeDir }: VerbContext): Promise<void> {
  const home = openHome(homeDir);
  const entry =
    (await home.findKey(BUNDLE_AUTHOR_LABEL)) ??
    (await (await home.keys()).save(BUNDLE_AUTHOR_LABEL, generateKey('Ed25519'), await passphrase(true)));
  out.data({ did: entry.did });
  out.line(`bundle author ${entry.did}`);
  out.line('  pin it in verifiers: agent-passport verify … --bundle bundle.json --bundle-author <this did>');
}
