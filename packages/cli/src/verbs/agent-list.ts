// SPDX-License-Identifier: Apache-2.0
// `agent list`: the agents of this home (public data only).
import type { VerbContext } from '../context.js';
import { openHome } from '../home.js';

export async function run({ out, homeDir }: VerbContext): Promise<void> {
  const agents = (await openHome(homeDir).keys())
    .list()
    .filter((k) => k.label.startsWith('agent-'))
    .map((k) => ({ name: k.label.slice('agent-'.length), did: k.did, createdAt: k.createdAt }));
  out.data(agents);
  for (const a of agents) out.line(`${a.name}\t${a.did}`);
}
