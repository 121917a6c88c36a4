// SPDX-License-Identifier: Apache-2.0
// An eddsa-rdfc-2022 bundle is an operator's file, larger than anything an open endpoint accepts:
// it signs and verifies under the bundle's own RDFC budget, not the open endpoints' one.
import { buildDidDocument } from '@agent-passport/did-web';
import { generateKey } from '@agent-passport/keystore';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { createSigner, RDFC_LIMITS } from '@agent-passport/suites';
import { describe, expect, it } from 'vitest';
import { createTrustBundle, verifyTrustBundle } from '../src/index.js';

describe('eddsa-rdfc-2022 trust bundles', () => {
  it('a bundle of 8 issuers (over the open endpoints’ JSON-value cap) signs and verifies', async () => {
    const author = generateKey();
    const issuers = Array.from({ length: 8 }, (_, i) => ({
      id: `did:web:org${i}.example`,
      didDocument: buildDidDocument({
        did: `did:web:org${i}.example`,
        keys: [{ id: 'key-1', publicKeyMultibase: generateKey().publicKeyMultibase }],
      }),
      statusLists: [],
      schema: AGENT_PASSPORT_SCHEMA,
    }));
    expect(JSON.stringify(issuers).split(/[,{[]/).length).toBeGreaterThan(RDFC_LIMITS.maxJsonValues);
    const bundle = await createTrustBundle({
      author: { id: author.did, signer: createSigner(author, `${author.did}#${author.publicKeyMultibase}`) },
      issuers,
      cryptosuite: 'eddsa-rdfc-2022',
    });
    const trust = await verifyTrustBundle(bundle, { authors: [author.did] });
    expect(trust.issuers.map((i) => i.id)).toEqual(issuers.map((i) => i.id));
  });
});
