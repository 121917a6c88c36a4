// SPDX-License-Identifier: Apache-2.0
// `bundle verify <file>`: a bundle against the pinned author key(s), offline. A bundle that does
// not verify is a refusal (exit 1), as it is wherever a bundle is read.
import { isPassportError } from '@agent-passport/core';
import { bundleAuthors, readTrustBundle } from '../bundle-authors.js';
import type { VerbContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { openHome } from '../home.js';
import { green, red } from '../output.js';

export async function run(
  { out, homeDir }: VerbContext,
  file: string,
  opts: { author?: string[] },
): Promise<void> {
  const authors = await bundleAuthors(opts.author, openHome(homeDir));
  try {
    const trust = await readTrustBundle(file, authors);
    const validUntil = trust.validUntil.toISOString();
    out.data({
      verified: true,
      author: trust.author,
      validUntil,
      issuers: trust.issuers.map((i) => ({ id: i.id, statusLists: i.statusLists.length })),
    });
    out.line(`${green('✓ verified')} bundle by ${trust.author}, valid until ${validUntil}`);
    for (const i of trust.issuers) out.line(`  ${i.id} · ${i.statusLists.length} status lists`);
  } catch (error) {
    if (!isPassportError(error) || !error.code.startsWith('ERR_BUNDLE_')) throw error;
    out.data({ verified: false, errors: [{ code: error.code, message: error.message }] });
    out.line(`${red('✗ refused')} ${error.code}: ${error.message}`);
    process.exitCode = EXIT.REFUSED;
  }
}
