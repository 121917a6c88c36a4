// SPDX-License-Identifier: Apache-2.0
// `agent create <name>`: an agent key; its did:key is the subject of its passports.
import { generateKey } from '@agent-passport/keystore';
import type { VerbContext } from '../context.js';
import { AGENT_NAME, agentLabel, openHome, passphrase } from '../home.js';
import { green } from '../output.js';
import { usage } from '../usage.js';

export async function run(
  { out, homeDir }: VerbContext,
  name: string,
  opts: { keyType: 'Ed25519' | 'P-256' },
): Promise<void> {
  if (!AGENT_NAME.test(name))
    throw usage('an agent name is 1 to 41 lowercase letters, digits and -, starting with a letter or digit');
  const key = generateKey(opts.keyType);
  await (await openHome(homeDir).keys()).save(agentLabel(name), key, await passphrase(true));
  out.data({ name, did: key.did });
  out.line(`${green('✓')} agent ${name}: ${key.did}`);
}
