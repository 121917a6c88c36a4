// SPDX-License-Identifier: Apache-2.0
// A link's proof, verified with the key of its parent's subject (never with whatever key the
// `issuer` field names), through the suites' verifyProof. Verified links are remembered by the
// parent's subject and the digest of the link's exact signed form.
import { createDocumentLoader } from '@agent-passport/contexts';
import { CheckFailure, failIf } from '@agent-passport/core';
import { resolveDidKey } from '@agent-passport/did-key';
import { CRYPTOSUITES, type CryptosuiteName, verifyProof } from '@agent-passport/suites';
import type { ParentView } from './rules.js';
import type { AgentDelegation } from './types.js';

export function createLinkSignerCheck(options: {
  readonly cryptosuites?: readonly CryptosuiteName[] | undefined;
  readonly cacheSize: number;
}) {
  const documentLoader = createDocumentLoader();
  // JCS suites only: a delegation is checked on its exact JSON, never canonicalised through RDF.
  const suites = (options.cryptosuites ?? CRYPTOSUITES).filter((s) => s !== 'eddsa-rdfc-2022');
  const verified = new Map<string, true>();
  return async function checkSigner(
    parent: ParentView,
    link: AgentDelegation,
    digest: string,
  ): Promise<void> {
    failIf(
      link.issuer !== parent.subject,
      'ERR_DELEGATION_SIGNER',
      `${link.id} is issued by ${link.issuer}, not ${parent.subject}`,
    );
    const key = `${parent.subject} ${digest}`;
    if (verified.has(key)) return;
    const result = await verifyProof(link, {
      proofPurpose: 'assertionMethod',
      controller: resolveDidKey(parent.subject),
      documentLoader,
      allowedCryptosuites: suites,
    });
    if (!result.verified) {
      const code = result.code === 'ERR_ISSUER_KEY' ? 'ERR_DELEGATION_SIGNER' : result.code;
      throw new CheckFailure(code, `${link.id}: ${result.message}`);
    }
    if (options.cacheSize === 0) return;
    if (verified.size >= options.cacheSize) verified.delete(verified.keys().next().value as string);
    verified.set(key, true);
  };
}
