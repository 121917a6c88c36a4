// SPDX-License-Identifier: Apache-2.0
// Attacker: a status list signed by the issuer's Ed25519 key under the label ecdsa-jcs-2019, given
// to a checker that allows only ecdsa-jcs-2019. The suite fixes the algorithm: the list is refused
// as not signed (ERR_STATUS_LIST_UNSIGNED), the proof layer's reason ERR_SUITE_KEY_MISMATCH.
import type { AgentPassport, Signer } from '@agent-passport/core';
import { isPassportError } from '@agent-passport/core';
import { buildDidDocument } from '@agent-passport/did-web';
import { generateKey } from '@agent-passport/keystore';
import { createSigner } from '@agent-passport/suites';
import { describe, expect, it } from 'vitest';
import { createBitstring, createStatusChecker, issueStatusListCredential } from '../src/index.js';

const ORG = 'did:web:acme.example';
const key = generateKey('Ed25519');
const issuerDocument = buildDidDocument({
  did: ORG,
  keys: [{ id: 'key-1', publicKeyMultibase: key.publicKeyMultibase }],
});
const honest = createSigner(key, `${ORG}#key-1`);
const NOW = new Date('2026-06-01T12:00:00Z');
const REV = 'https://acme.example/status/revocation/1';
const passport = {
  issuer: ORG,
  credentialStatus: {
    id: `${REV}#7`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: '7',
    statusListCredential: REV,
  },
} as unknown as AgentPassport;

const issueList = (signer: Signer, cryptosuite: 'eddsa-jcs-2022' | 'ecdsa-jcs-2019') =>
  issueStatusListCredential({
    id: REV,
    issuer: { id: ORG, signer },
    statusPurpose: 'revocation',
    bits: createBitstring(),
    now: new Date('2026-06-01T06:00:00Z'),
    cryptosuite,
  });

describe('a status list proof under a suite of another key type', () => {
  it('is refused by a checker allowing only ecdsa-jcs-2019 (Ed25519 key, label ecdsa-jcs-2019)', async () => {
    const lying: Signer = { id: honest.id, algorithm: 'P-256', sign: honest.sign };
    const list = await issueList(lying, 'ecdsa-jcs-2019');
    const check = createStatusChecker({ lists: [list], cryptosuites: ['ecdsa-jcs-2019'] });
    let error: unknown;
    try {
      await check(passport, NOW, { issuerDocument });
    } catch (e) {
      error = e;
    }
    expect(isPassportError(error, 'ERR_STATUS_LIST_UNSIGNED')).toBe(true);
    expect((error as { details?: unknown }).details).toEqual({ proof: 'ERR_SUITE_KEY_MISMATCH' });
  });

  it('the honest list (eddsa-jcs-2022) passes a checker allowing it', async () => {
    const check = createStatusChecker({ lists: [await issueList(honest, 'eddsa-jcs-2022')] });
    await expect(check(passport, NOW, { issuerDocument })).resolves.toBeUndefined();
  });
});
