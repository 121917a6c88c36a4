// SPDX-License-Identifier: Apache-2.0
// `org show`: the organisation DID, its keys with their history, and its DID document.
import type { VerbContext } from '../context.js';
import { openHome } from '../home.js';
import { toJson } from '../internal/files.js';

export function run({ out, homeDir }: VerbContext): void {
  const record = openHome(homeDir).readOrg();
  out.data(record);
  out.line(`organisation ${record.did}`);
  out.line(`signing key  ${record.verificationMethod}`);
  for (const k of record.keys) {
    const history = [
      k.retiredAt === undefined ? '' : ` retired ${k.retiredAt}`,
      k.compromisedAt === undefined ? '' : ` compromised since ${k.compromisedAt}`,
    ].join('');
    out.line(`  key ${k.fragment} added ${k.addedAt}${history}`);
  }
  out.line(toJson(record.didDocument).trimEnd());
}
