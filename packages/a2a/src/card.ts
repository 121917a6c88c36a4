// SPDX-License-Identifier: Apache-2.0
// An A2A Agent Card (A2A v1.0 §8.4) signed with the agent's did:key and carrying its passport through
// a declared extension. Signing and canonicalisation (JWS over the RFC 8785 form of the card without
// its signatures) are the official SDK's; this file chooses the key, the header and the extension.
import { createPrivateKey } from 'node:crypto';
import { AgentCard, type AgentExtension, generateAgentCardSignature } from '@a2a-js/sdk';
import { encodeDidKey, encodeMultikey } from '@agent-passport/did-key';
import { passportRef } from '@agent-passport/http-signatures';

/** The A2A extension that names the organisation behind the agent: its passport. */
export const PASSPORT_EXTENSION_URI = 'https://w3id.org/agent-passport/a2a/v1';

/** The passport itself, or where to fetch it with the digest of its exact bytes. */
export type PassportAttachment =
  | { readonly passport: object }
  | { readonly passportUrl: string; readonly passportBytes: Uint8Array };

/** `card` with the passport extension declared in `capabilities.extensions` (any earlier one replaced). */
export function attachPassport(card: AgentCard, attachment: PassportAttachment): AgentCard {
  const params =
    'passport' in attachment
      ? { passport: structuredClone(attachment.passport) }
      : { passportUrl: attachment.passportUrl, passportDigest: passportRef(attachment.passportBytes) };
  const extension: AgentExtension = {
    uri: PASSPORT_EXTENSION_URI,
    description: 'The Agent Passport (W3C Verifiable Credential) of the organisation behind this agent',
    required: false,
    params,
  };
  const capabilities = card.capabilities ?? { extensions: [] };
  return AgentCard.fromJSON(
    AgentCard.toJSON({
      ...card,
      capabilities: {
        ...capabilities,
        extensions: [...capabilities.extensions.filter((e) => e.uri !== PASSPORT_EXTENSION_URI), extension],
      },
    }),
  );
}

/** The agent's Ed25519 key: its 32-byte seed. */
export interface CardSigningKey {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/**
 * Sign `card` with the agent's did:key: a JWS (alg EdDSA, kid the did:key verification method,
 * typ JOSE) over the SDK's canonical form of the card, added to `signatures`.
 */
export async function signAgentCard(card: AgentCard, key: CardSigningKey): Promise<AgentCard> {
  const multibase = encodeMultikey(key.publicKey, 'Ed25519');
  const kid = `${encodeDidKey(key.publicKey, 'Ed25519')}#${multibase}`;
  const privateKey = createPrivateKey({
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      d: Buffer.from(key.secretKey).toString('base64url'),
      x: Buffer.from(key.publicKey).toString('base64url'),
    },
    format: 'jwk',
  });
  return generateAgentCardSignature(privateKey, { alg: 'EdDSA', kid, typ: 'JOSE' })(card);
}
