// SPDX-License-Identifier: Apache-2.0
// Mutual authentication on its own: ask a service to prove itself (a response signed by its DID's
// authentication key over the agent's signed request and nonce) before sending it a passport.
import { PassportError } from '@agent-passport/core';
import type { PrivateKey } from '@agent-passport/suites';
import { didKeySigner } from '@agent-passport/suites';
import { PROVE_PATH } from '../protocol.js';
import { signedCall } from './call.js';
import { type SiteTrust, siteKeys } from './site-key.js';

export interface VerifySiteOptions extends SiteTrust {
  /** The agent's key: the request is signed with it (its did:key is all the service learns). */
  readonly key: PrivateKey;
  readonly fetch?: (request: Request) => Promise<Response>;
  readonly clock?: () => Date;
}

/** Resolves to the service's DID once it proved itself at `origin`; throws ERR_RESPONSE_* otherwise. */
export async function verifySite(
  origin: string | URL,
  options: VerifySiteOptions,
): Promise<{ did: string; origin: string }> {
  const at = new URL(origin).origin;
  const { did, resolveKey } = siteKeys(options, at);
  const sign = didKeySigner(options.key);
  const answer = await signedCall(
    {
      keyId: sign.id,
      signer: (data) => sign.sign({ data }),
      resolveKey,
      fetch: options.fetch ?? ((r) => globalThis.fetch(r)),
      clock: options.clock ?? (() => new Date()),
    },
    `${at}${PROVE_PATH}`,
    {},
  );
  if (answer.status !== 200 || answer.body['id'] !== did || answer.body['origin'] !== at)
    throw new PassportError('ERR_RESPONSE_SIGNER', `the service did not prove to be ${did} at ${at}`);
  return { did, origin: at };
}
