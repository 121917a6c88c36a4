// SPDX-License-Identifier: Apache-2.0
// Mutual authentication on its own: any toolkit service answers a signed agent request at
// PROVE_PATH with its DID and origin, signed by its key and bound to the agent's request (its
// signature and nonce), before the agent sends anything else. The agent reveals its did:key only.
import { answer, json, refuse } from './answers.js';
import type { SiteConfig } from './options.js';
import { checkSignedRequest } from './signed-request.js';

export async function prove(config: SiteConfig, request: Request, now: Date): Promise<Response> {
  let response: Response;
  try {
    const signed = await checkSignedRequest(request, config, now);
    response = signed.ok
      ? json(200, { id: config.did, origin: config.origin })
      : refuse(signed.code, signed.message);
  } catch {
    response = refuse('ERR_STORE_UNAVAILABLE', 'the replay store cannot be reached');
  }
  return answer(response, request, config.key);
}
