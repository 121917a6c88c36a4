// SPDX-License-Identifier: Apache-2.0
// A client that talks only to agents whose card verifies: the official SDK fetches the card, the
// card verifier checks it (signature, passport, holder), and only then does the SDK build a client.
import { type Client, ClientFactory, DefaultAgentCardResolver } from '@a2a-js/sdk/client';
import { PassportError } from '@agent-passport/core';
import type { CardVerification, CardVerifier } from './verify.js';

/** Connect to the A2A agent at `baseUrl`, or throw the card's first refusal as a PassportError. */
export async function connectVerifiedAgent(
  baseUrl: string,
  cardVerifier: CardVerifier,
): Promise<{ client: Client; verification: CardVerification }> {
  const card = await new DefaultAgentCardResolver().resolve(baseUrl);
  const verification = await cardVerifier.verifyCard(card);
  const first = verification.errors[0];
  if (!verification.verified)
    throw new PassportError(first?.code ?? 'ERR_VERIFIER_INTERNAL', first?.message ?? 'the card was refused');
  return { client: await new ClientFactory().createFromAgentCard(card), verification };
}
