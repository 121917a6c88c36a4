// SPDX-License-Identifier: Apache-2.0

export type { CardSigningKey, PassportAttachment } from './card.js';
export { attachPassport, PASSPORT_EXTENSION_URI, signAgentCard } from './card.js';
export { connectVerifiedAgent } from './client.js';
export type { CardVerification, CardVerifier, CardVerifierOptions } from './verify.js';
export { CARD_CHECK_NAMES, createCardVerifier } from './verify.js';
