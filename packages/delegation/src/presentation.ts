// SPDX-License-Identifier: Apache-2.0
// A chain in a presentation: the passport and every delegation in one VerifiablePresentation,
// signed by the presenting sub-agent (the leaf's subject) under `authentication`, bound to the
// verifier's challenge and domain.
import { createDocumentLoader } from '@agent-passport/contexts';
import { type AgentPassport, type DocumentLoader, PassportError, type Signer } from '@agent-passport/core';
import { isDidKey } from '@agent-passport/did-key';
import { signPresentation, createPresentation as wrap } from '@agent-passport/suites';
import type { AgentDelegation } from './types.js';

export interface PresentChainOptions {
  readonly passport: AgentPassport;
  /** Root first: the delegation made under the passport, then each one made under the one before. */
  readonly delegations: readonly AgentDelegation[];
  /** The presenting sub-agent's key: a verification method of the last delegation's subject. */
  readonly signer: Signer;
  readonly challenge: string;
  readonly domain?: string;
  readonly now?: Date;
  readonly documentLoader?: DocumentLoader;
}

const defaultLoader = createDocumentLoader();

/** Sign a presentation of the whole chain for one verifier's challenge (and domain). */
export async function presentChain(options: PresentChainOptions): Promise<Record<string, unknown>> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  if (typeof options.challenge !== 'string' || options.challenge.length === 0)
    throw new TypeError('challenge must be a non-empty string');
  const holder = options.delegations.at(-1)?.credentialSubject?.id;
  if (!isDidKey(holder)) throw new PassportError('ERR_DELEGATION_INVALID', 'the chain has no delegation');
  if (!options.signer.id.startsWith(`${holder}#`))
    throw new PassportError('ERR_HOLDER_MISMATCH', 'the signer is not a key of the last delegation subject');
  const vp = wrap({
    verifiableCredential: [options.passport, ...options.delegations] as unknown as Record<string, unknown>[],
    holder,
  });
  return signPresentation(vp, {
    signer: options.signer,
    created: options.now ?? new Date(),
    challenge: options.challenge,
    ...(options.domain === undefined ? {} : { domain: options.domain }),
    documentLoader: options.documentLoader ?? defaultLoader,
  });
}
