// SPDX-License-Identifier: Apache-2.0
// Only the validated, frozen configuration is read after creation, and each call reads one time:
// its own `now`, or the configured clock once.
import { encodeDidKey, encodeMultikey, randomSecretKey } from '@agent-passport/did-key';
import { issuePassport } from '@agent-passport/issuer';
import { createSigner, publicKeyOf } from '@agent-passport/suites';
import { describe, expect, it } from 'vitest';
import { createVerifier, type VerifierConfig } from '../src/index.js';

function newKey() {
  const key = {
    type: 'Ed25519' as const,
    secretKey: randomSecretKey('Ed25519'),
  };
  const publicKey = publicKeyOf(key);
  const multibase = encodeMultikey(publicKey, 'Ed25519');
  const did = encodeDidKey(publicKey, 'Ed25519');
  return { did, signer: createSigner(key, `${did}#${multibase}`) };
}

const org = newKey();
const other = newKey();
const agent = newKey();
const inside = new Date('2026-06-01T00:00:00Z');
const passport = await issuePassport({
  issuer: { id: org.did, signer: org.signer },
  subject: agent.did,
  agentName: 'research-agent',
  purpose: 'literature-review',
  scopes: ['read:arxiv'],
  validFrom: '2026-05-01T00:00:00Z',
  validUntil: '2026-09-01T00:00:00Z',
  now: new Date('2026-05-01T00:00:00Z'),
});
const codes = (r: { errors: readonly { code: string }[] }) => r.errors.map((e) => e.code);

describe('a caller mutating its config object after creation changes nothing', () => {
  it('keeps issuers, purposes, scopes, origin, trust expiry, status and clock as validated', async () => {
    const trustedIssuers = [org.did];
    const acceptedPurposes = ['literature-review'];
    const requiredScopes = ['read:arxiv'];
    const trustValidUntil = new Date('2027-01-01T00:00:00Z');
    const config: { -readonly [K in keyof VerifierConfig]: VerifierConfig[K] } = {
      trustedIssuers,
      acceptedPurposes,
      requiredScopes,
      trustValidUntil,
      clock: () => inside,
    };
    const verifier = createVerifier(config);
    expect((await verifier.verifyCredential(passport)).verified).toBe(true);

    trustedIssuers.splice(0, 1, other.did);
    acceptedPurposes.splice(0, 1, 'something-else');
    requiredScopes.push('write:everything');
    trustValidUntil.setTime(0);
    config.trustedIssuers = [other.did];
    config.origin = 'https://elsewhere.example';
    config.maxSkewSeconds = 0;
    config.clock = () => new Date('2030-01-01T00:00:00Z');
    config.checkStatus = () => {
      throw new Error('never called');
    };
    const again = await verifier.verifyCredential(passport);
    expect(codes(again)).toEqual([]);
    expect(again.verified).toBe(true);
  });
});

describe('one clock reading per call', () => {
  it('a call passes its own now; without it the configured clock is read exactly once', async () => {
    let reads = 0;
    const verifier = createVerifier({
      trustedIssuers: [org.did],
      clock: () => {
        reads += 1;
        return inside;
      },
    });
    expect((await verifier.verifyCredential(passport)).verified).toBe(true);
    expect(reads).toBe(1);
    const late = await verifier.verifyCredential(passport, { now: new Date('2026-10-01T00:00:00Z') });
    expect(codes(late)).toEqual(['ERR_EXPIRED']);
    const early = await verifier.verifyCredential(passport, { now: new Date('2026-04-01T00:00:00Z') });
    // Before the proof was made: the proof step reads the same time.
    expect(codes(early)).toEqual(['ERR_PROOF_CREATED']);
    expect(reads).toBe(1);
  });

  it('refuses a now that is not a valid Date (TypeError)', async () => {
    const verifier = createVerifier({ trustedIssuers: [org.did] });
    await expect(verifier.verifyCredential(passport, { now: new Date(Number.NaN) })).rejects.toThrow(
      TypeError,
    );
  });
});
