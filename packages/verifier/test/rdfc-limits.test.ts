// SPDX-License-Identifier: Apache-2.0
// Attacker: an eddsa-rdfc-2022 passport carrying a ring of blank nodes (cheap to send, super-linear
// to canonicalise). The verifier spends one RDFC budget per call and refuses it (ERR_RDFC_LIMIT)
// at the issuer-proof check, quickly.
import { issuePassport } from '@agent-passport/issuer';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../src/index.js';
import { newKey } from './test-keys.js';

const NEXT = 'https://example.org/vocab#next';

describe('a passport too costly to canonicalise', () => {
  it('a ring of blank nodes in an eddsa-rdfc-2022 passport: ERR_RDFC_LIMIT within 2 s', async () => {
    const org = newKey();
    const agent = newKey();
    const now = new Date('2026-06-01T00:00:00Z');
    const passport = (await issuePassport({
      issuer: { id: org.did, signer: org.signer },
      subject: agent.did,
      agentName: 'research-agent',
      purpose: 'literature-review',
      scopes: ['read:arxiv'],
      validFrom: '2026-05-01T00:00:00Z',
      validUntil: '2026-09-01T00:00:00Z',
      now: new Date('2026-05-01T00:00:00Z'),
      cryptosuite: 'eddsa-rdfc-2022',
    })) as unknown as Record<string, unknown>;
    const verifier = createVerifier({ trustedIssuers: [org.did], clock: () => now });
    expect((await verifier.verifyCredential(passport)).verified).toBe(true);
    const n = 1500;
    const hostile = {
      ...passport,
      'https://example.org/vocab#ring': Array.from({ length: n }, (_, i) => ({
        '@id': `_:b${i}`,
        [NEXT]: { '@id': `_:b${(i + 1) % n}` },
      })),
    };
    const start = performance.now();
    const r = await verifier.verifyCredential(hostile);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(r.errors[0]?.code).toBe('ERR_RDFC_LIMIT');
    expect(r.checks.find((c) => !c.ok)?.name).toBe('issuer-proof');
  });
});
