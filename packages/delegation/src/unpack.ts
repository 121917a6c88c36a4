// SPDX-License-Identifier: Apache-2.0
// A chain presentation, before the chain is checked: strict JSON, the VCDM 2.0 presentation rules,
// [passport, ...delegations] held by a did:key, and its authentication proof made by that did:key
// for this verifier's challenge and domain.
import type { DocumentLoader } from '@agent-passport/core';
import { CheckFailure, failIf } from '@agent-passport/core';
import { isDidKey, resolveDidKey } from '@agent-passport/did-key';
import { checkVcdm2Presentation } from '@agent-passport/schema';
import { parseJson } from '@agent-passport/strict-json';
import { CRYPTOSUITES, verifyProof } from '@agent-passport/suites';
import type { VerifierConfig } from '@agent-passport/verifier';
import type { ChainPresentationOptions, DelegationChainInput } from './verify-chain.js';

export async function unpackPresentation(
  input: unknown,
  options: ChainPresentationOptions,
  documentLoader: DocumentLoader,
  config: VerifierConfig,
): Promise<{ chain: DelegationChainInput; holder: string }> {
  failIf(
    typeof options?.challenge !== 'string' || options.challenge === '',
    'ERR_CHALLENGE_MISMATCH',
    'the verifier must give the challenge it issued',
  );
  const vp = typeof input === 'string' ? parseJson(input, { maxBytes: 128 * 1024, maxDepth: 32 }) : input;
  const vcdm = checkVcdm2Presentation(vp);
  failIf(!vcdm.ok, 'ERR_PRESENTATION_INVALID', vcdm.ok ? '' : `${vcdm.path}: ${vcdm.message}`);
  const { holder, verifiableCredential: vcs } = vp as { holder?: unknown; verifiableCredential?: unknown };
  failIf(!isDidKey(holder), 'ERR_HOLDER_MISMATCH', 'the presentation holder must be a did:key');
  failIf(
    !Array.isArray(vcs) || vcs.length < 2,
    'ERR_PRESENTATION_INVALID',
    'a chain presentation holds the passport and at least one delegation',
  );
  const result = await verifyProof(vp, {
    proofPurpose: 'authentication',
    controller: resolveDidKey(holder as string),
    documentLoader,
    challenge: options.challenge,
    ...(options.domain === undefined ? {} : { domain: options.domain }),
    allowedCryptosuites: config.cryptosuites ?? CRYPTOSUITES,
  });
  if (!result.verified) {
    const code = result.code === 'ERR_ISSUER_KEY' ? 'ERR_HOLDER_MISMATCH' : result.code;
    throw new CheckFailure(code, result.message);
  }
  const [passport, ...delegations] = vcs as unknown[];
  return { chain: { passport, delegations }, holder: holder as string };
}
