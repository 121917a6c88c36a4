// SPDX-License-Identifier: Apache-2.0
// Verify an A2A Agent Card that carries a passport, in named steps (docs/architecture.md): the
// card's signatures (each a JWS by a did:key, checked with the official SDK), the passport extension, the
// passport (the full passport verifier), and that the passport's subject signed the card.
import { createPublicKey } from 'node:crypto';
import { AgentCard, type AgentCardSignature, verifyAgentCardSignature } from '@a2a-js/sdk';
import {
  type AgentPassport,
  type Check,
  CheckFailure,
  type ErrorCode,
  failIf,
  isObject,
  type JsonObject as Json,
  runChecks,
} from '@agent-passport/core';
import { decodeMultikey, dereferenceDidKey } from '@agent-passport/did-key';
import { passportRef } from '@agent-passport/http-signatures';
import type { PassportVerifier } from '@agent-passport/verifier';
import { PASSPORT_EXTENSION_URI } from './card.js';

export const CARD_CHECK_NAMES = ['card-signature', 'card-passport', 'passport', 'holder'] as const;

export interface CardVerifierOptions {
  /** The passport verifier (trusted issuers, clock, status lists…). */
  readonly verifier: PassportVerifier;
  /** Fetch a passport named by URL (its bytes are checked against the card's digest). */
  readonly fetchPassport?: (url: string) => Promise<Uint8Array>;
  readonly requiredScopes?: readonly string[];
}

export interface CardVerification {
  readonly verified: boolean;
  readonly checks: readonly Check[];
  readonly errors: readonly { readonly code: ErrorCode; readonly message: string }[];
  /** The agent (the passport subject, who signed the card), only when verified. */
  readonly agent?: string;
  readonly passport?: AgentPassport;
}

/** The did:key of one signature's signer, once its JWS verifies over the card. */
async function signerOf(card: AgentCard, signature: AgentCardSignature): Promise<string> {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(signature.protected, 'base64url').toString('utf8'));
  } catch {
    throw new CheckFailure('ERR_CARD_SIGNATURE', 'the protected header is not base64url JSON');
  }
  const kid = isObject(header) ? header['kid'] : undefined;
  failIf(!isObject(header) || header['alg'] !== 'EdDSA', 'ERR_CARD_SIGNATURE', 'alg must be EdDSA');
  let publicKey: Uint8Array;
  try {
    const method = dereferenceDidKey(String(kid));
    const decoded = decodeMultikey(method.publicKeyMultibase);
    failIf(decoded.type !== 'Ed25519', 'ERR_CARD_SIGNATURE', 'the kid is not an Ed25519 did:key');
    publicKey = decoded.publicKey;
  } catch (cause) {
    if (cause instanceof CheckFailure) throw cause;
    throw new CheckFailure('ERR_CARD_SIGNATURE', 'the kid is not a did:key verification method');
  }
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });
  try {
    await verifyAgentCardSignature(async () => key)({ ...card, signatures: [signature] });
  } catch {
    throw new CheckFailure('ERR_CARD_SIGNATURE', `the signature by ${String(kid)} does not verify`);
  }
  return String(kid).slice(0, String(kid).indexOf('#'));
}

/** The passport the card declares: the object itself, or fetched bytes matching the digest. */
async function passportOf(card: AgentCard, options: CardVerifierOptions): Promise<unknown> {
  const extension = card.capabilities?.extensions.find((e) => e.uri === PASSPORT_EXTENSION_URI);
  const params: unknown = extension?.params;
  failIf(!isObject(params), 'ERR_CARD_PASSPORT_MISSING', `no ${PASSPORT_EXTENSION_URI} extension`);
  const p = params as Json;
  if (isObject(p['passport'])) return p['passport'];
  const url = p['passportUrl'];
  const digest = p['passportDigest'];
  failIf(
    typeof url !== 'string' || typeof digest !== 'string',
    'ERR_CARD_PASSPORT_MISSING',
    'the extension holds neither a passport nor a URL with a digest',
  );
  if (options.fetchPassport === undefined)
    throw new CheckFailure(
      'ERR_PASSPORT_UNKNOWN',
      'the passport is by URL and no fetchPassport is configured',
    );
  const bytes = await options.fetchPassport(url as string);
  failIf(
    passportRef(bytes) !== digest,
    'ERR_PASSPORT_REF_MISMATCH',
    'the fetched passport is not the one the card names',
  );
  return bytes;
}

/** Create a card verifier: configured once, then called per card (an SDK AgentCard or its JSON). */
export function createCardVerifier(options: CardVerifierOptions) {
  if (typeof options?.verifier?.verifyCredential !== 'function')
    throw new TypeError('options.verifier is required (createVerifier from @agent-passport/verifier)');
  return Object.freeze({
    async verifyCard(input: AgentCard | Json): Promise<CardVerification> {
      const state: { card?: AgentCard; signers?: string[]; passport?: AgentPassport; input?: unknown } = {};
      const { checks, errors } = await runChecks<(typeof CARD_CHECK_NAMES)[number]>([
        [
          'card-signature',
          async () => {
            try {
              state.card = AgentCard.fromJSON(AgentCard.toJSON(AgentCard.fromJSON(input)));
            } catch {
              throw new CheckFailure('ERR_PARSE_TYPE', 'not an A2A Agent Card');
            }
            const signatures = state.card.signatures;
            failIf(signatures.length === 0, 'ERR_CARD_UNSIGNED', 'the card is not signed');
            state.signers = [];
            for (const s of signatures) state.signers.push(await signerOf(state.card, s));
          },
        ],
        [
          'card-passport',
          async () => {
            state.input = await passportOf(state.card as AgentCard, options);
          },
        ],
        [
          'passport',
          async () => {
            const r = await options.verifier.verifyCredential(state.input, {
              requiredScopes: options.requiredScopes ?? [],
            });
            const first = r.errors[0];
            if (!r.verified || r.passport === undefined)
              throw new CheckFailure(first?.code ?? 'ERR_VERIFIER_INTERNAL', first?.message ?? 'refused');
            state.passport = r.passport;
          },
        ],
        [
          'holder',
          () =>
            failIf(
              !(state.signers ?? []).includes(state.passport?.credentialSubject.id as string),
              'ERR_HOLDER_MISMATCH',
              'the card is not signed by the passport subject',
            ),
        ],
      ]);
      if (errors.length > 0) return { verified: false, checks, errors };
      const passport = state.passport as AgentPassport;
      return { verified: true, checks, errors, agent: passport.credentialSubject.id, passport };
    },
  });
}

export type CardVerifier = ReturnType<typeof createCardVerifier>;
