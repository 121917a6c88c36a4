// SPDX-License-Identifier: Apache-2.0
// Attacker: a bundle signed by the pinned author's Ed25519 key under the label ecdsa-jcs-2019 (and a
// P-256 author's key under eddsa-jcs-2022). The suite fixes the algorithm: the bundle is refused
// (ERR_BUNDLE_SIGNATURE), the proof layer's reason ERR_SUITE_KEY_MISMATCH.
import { isPassportError, type Signer } from '@agent-passport/core';
import { buildDidDocument } from '@agent-passport/did-web';
import { generateKey } from '@agent-passport/keystore';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { createSigner } from '@agent-passport/suites';
import { describe, expect, it } from 'vitest';
import { createTrustBundle, verifyTrustBundle } from '../src/index.js';

const ORG = 'did:web:acme.example';
const T0 = new Date('2026-06-01T00:00:00Z');
const issuers = [
  {
    id: ORG,
    didDocument: buildDidDocument({
      did: ORG,
      keys: [{ id: 'key-1', publicKeyMultibase: generateKey().publicKeyMultibase }],
    }),
    statusLists: [],
    schema: AGENT_PASSPORT_SCHEMA,
  },
];

describe('a trust bundle proof under a suite of another key type', () => {
  for (const [type, suite, claims] of [
    ['Ed25519', 'ecdsa-jcs-2019', 'P-256'],
    ['P-256', 'eddsa-jcs-2022', 'Ed25519'],
  ] as const) {
    it(`${type} author, label ${suite}: ERR_BUNDLE_SIGNATURE (proof: ERR_SUITE_KEY_MISMATCH)`, async () => {
      const author = generateKey(type);
      const honest = createSigner(author, `${author.did}#${author.publicKeyMultibase}`);
      const lying: Signer = { id: honest.id, algorithm: claims, sign: honest.sign };
      const bundle = await createTrustBundle({
        author: { id: author.did, signer: lying },
        issuers,
        now: T0,
        cryptosuite: suite,
      });
      const error = await verifyTrustBundle(bundle, { authors: [author.did], now: T0 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isPassportError(error, 'ERR_BUNDLE_SIGNATURE')).toBe(true);
      expect((error as { details?: unknown }).details).toEqual({ proof: 'ERR_SUITE_KEY_MISMATCH' });
      // The same author signing honestly is accepted.
      const good = await createTrustBundle({ author: { id: author.did, signer: honest }, issuers, now: T0 });
      await expect(verifyTrustBundle(good, { authors: [author.did], now: T0 })).resolves.toBeDefined();
    });
  }
});
