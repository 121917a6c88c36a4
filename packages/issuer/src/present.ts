// SPDX-License-Identifier: Apache-2.0
// The agent side: wrap the passport in a VerifiablePresentation (VCDM 2.0 §4.13) signed with the
// agent's own did:key under `authentication`, bound to the verifier's challenge and domain.

import { createDocumentLoader } from '@agent-passport/contexts';
import {
  type AgentPassport,
  type DocumentLoader,
  PassportError,
  type PassportPresentation,
  type Signer,
} from '@agent-passport/core';
import { isDidKey } from '@agent-passport/did-key';
import { signPresentation, createPresentation as wrap } from '@agent-passport/suites';

export interface CreatePresentationOptions {
  readonly passport: AgentPassport;
  /** The agent's signer; its id must be a verification method of the passport subject. */
  readonly signer: Signer;
  readonly challenge: string;
  readonly domain?: string;
  readonly now?: Date;
  readonly documentLoader?: DocumentLoader;
}

const defaultLoader = createDocumentLoader();

/** Sign a presentation of `passport` for one verifier's challenge (and domain). */
export async function createPresentation(options: CreatePresentationOptions): Promise<PassportPresentation> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  if (typeof options.challenge !== 'string' || options.challenge.length === 0) {
    throw new TypeError('challenge must be a non-empty string');
  }
  if (options.domain !== undefined && (typeof options.domain !== 'string' || options.domain.length === 0)) {
    throw new TypeError('domain must be a non-empty string');
  }
  const holder = options.passport?.credentialSubject?.id;
  if (!isDidKey(holder)) throw new PassportError('ERR_NOT_PASSPORT', 'the passport has no did:key subject');
  if (!options.signer.id.startsWith(`${holder}#`)) {
    throw new PassportError('ERR_HOLDER_MISMATCH', 'the signer is not a key of the passport subject');
  }
  const vp = wrap({ verifiableCredential: [options.passport as unknown as Record<string, unknown>], holder });
  const signed = await signPresentation(vp, {
    signer: options.signer,
    created: options.now ?? new Date(),
    challenge: options.challenge,
    ...(options.domain === undefined ? {} : { domain: options.domain }),
    documentLoader: options.documentLoader ?? defaultLoader,
  });
  return signed as unknown as PassportPresentation;
}
