// SPDX-License-Identifier: Apache-2.0
// The README's example, quoted there verbatim between the markers and run by readme.test.ts.
// README:begin
import { AgentCard } from '@a2a-js/sdk';
import { attachPassport, createCardVerifier, signAgentCard } from '@agent-passport/a2a';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';

// The organisation issues the agent its passport; the agent's key is its did:key.
const org = generateKey();
const agent = generateKey();
const passport = await issuePassport({
  issuer: { id: org.did, signer: didKeySigner(org) },
  subject: agent.did,
  agentName: 'travel-agent',
  purpose: 'bookings',
  scopes: ['read:flights'],
  validUntil: new Date(Date.now() + 86_400_000),
});

// The agent's A2A card carries the passport (a declared extension) and is signed with its did:key.
const card = await signAgentCard(
  attachPassport(
    AgentCard.fromJSON({
      name: 'Travel agent',
      description: 'Books flights',
      version: '1.0.0',
      supportedInterfaces: [
        { url: 'https://agent.example/a2a', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
      ],
      defaultInputModes: ['text/plain'],
      defaultOutputModes: ['text/plain'],
    }),
    { passport },
  ),
  agent,
);

// A client checks the card's signature, the passport, and that the passport's subject signed the card.
const cards = createCardVerifier({ verifier: createVerifier({ trustedIssuers: [org.did] }) });
const result = await cards.verifyCard(card);
console.log(result.verified, result.agent === agent.did); // true true

// README:end

export { result };
