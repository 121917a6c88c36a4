// SPDX-License-Identifier: Apache-2.0
// Trust bundles end to end (issue → revoke → rebundle → refused; rotate → old passports still
// verify), key history, and every way a bundle can be tampered with, expired or wrongly signed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentLoader } from '@agent-passport/contexts';
import { type DidDocument, isPassportError } from '@agent-passport/core';
import { buildDidDocument, type DocumentKey } from '@agent-passport/did-web';
import { issuePassport, openIssuerState } from '@agent-passport/issuer';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { createSigner, signCredential } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { afterAll, describe, expect, it } from 'vitest';
import { type BundledIssuer, createTrustBundle, verifyTrustBundle } from '../src/index.js';

const ORG = 'did:web:acme.example';
const BASE = 'https://acme.example/status';
const work = mkdtempSync(join(tmpdir(), 'ap-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const operator = generateKey();
const operatorSigner = createSigner(operator, `${operator.did}#${operator.publicKeyMultibase}`);
const intruder = generateKey();
const agent = generateKey();
const key1 = generateKey();
const key2 = generateKey();
const T0 = new Date('2026-06-01T00:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3600_000);

function orgDocument(keys: DocumentKey[]): DidDocument {
  return buildDidDocument({ did: ORG, keys });
}

async function bundleOf(issuers: BundledIssuer[], now = T0, author = operator, validForMs?: number) {
  return createTrustBundle({
    author: { id: author.did, signer: createSigner(author, `${author.did}#${author.publicKeyMultibase}`) },
    issuers,
    now,
    ...(validForMs === undefined ? {} : { validForMs }),
  });
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (isPassportError(e)) return e.code;
    throw e;
  }
}

/** An organisation with an issuer state, issuing with `signingKey` under fragment `fragment`. */
function organisation(name: string) {
  const state = openIssuerState(join(work, name, 'state.json'), { issuer: ORG, statusBase: BASE });
  return {
    state,
    async issue(key: KeyMaterial, fragment: string, doc: DidDocument, now: Date) {
      const id = `urn:uuid:${crypto.randomUUID()}`;
      const validUntil = new Date(now.getTime() + 90 * 86_400_000).toISOString();
      const { entries } = await state.allocate({
        id,
        subject: agent.did,
        agentName: 'research-12',
        issuedAt: now.toISOString(),
        validUntil,
      });
      return issuePassport({
        id,
        issuer: { id: ORG, signer: createSigner(key, `${ORG}#${fragment}`), didDocument: doc },
        subject: agent.did,
        agentName: 'research-12',
        purpose: 'literature-review',
        scopes: ['read:arxiv'],
        validUntil,
        credentialStatus: entries,
        now,
      });
    },
    async entry(doc: DidDocument, key: KeyMaterial, fragment: string, now: Date): Promise<BundledIssuer> {
      const lists = await state.issueLists({ signer: createSigner(key, `${ORG}#${fragment}`), now });
      return {
        id: ORG,
        didDocument: doc,
        statusLists: lists.map((l) => l.credential as never),
        schema: AGENT_PASSPORT_SCHEMA,
      };
    },
  };
}

async function verifierFrom(bundle: unknown, now: Date) {
  const trust = await verifyTrustBundle(bundle, { authors: [operator.did], now });
  return createVerifier({ ...trust.verifierConfig(), clock: () => now });
}

describe('a trust bundle carries revocation to an offline verifier', () => {
  it('revoke an agent, rebuild the bundle: the agent is refused with ERR_REVOKED', async () => {
    const org = organisation('revoke');
    const doc = orgDocument([{ id: 'key-1', publicKeyMultibase: key1.publicKeyMultibase }]);
    const passport = await org.issue(key1, 'key-1', doc, T0);
    const before = await verifierFrom(
      await bundleOf([await org.entry(doc, key1, 'key-1', at(1))], at(1)),
      at(2),
    );
    const ok = await before.verifyCredential(passport);
    expect(ok.errors).toEqual([]);
    expect(ok.checks.find((c) => c.name === 'status')?.ok).toBe(true);

    await org.state.change({ subject: agent.did }, 'revoke', at(3));
    const after = await verifierFrom(
      await bundleOf([await org.entry(doc, key1, 'key-1', at(4))], at(4)),
      at(5),
    );
    const refused = await after.verifyCredential(passport);
    expect(refused.verified).toBe(false);
    expect(refused.checks.find((c) => c.name === 'status')?.code).toBe('ERR_REVOKED');

    // The old bundle still says "not revoked" until it expires or its lists go stale: the freshness
    // policy bounds how long an old bundle can hide a revocation.
    const old = await verifyTrustBundle(await bundleOf([await org.entry(doc, key1, 'key-1', at(1))], at(1)), {
      authors: [operator.did],
      now: at(30),
    });
    const stale = await createVerifier({ ...old.verifierConfig(), clock: () => at(30) }).verifyCredential(
      passport,
    );
    expect(stale.errors.map((e) => e.code)).toEqual(['ERR_STATUS_STALE']);
  });

  it('suspend then reinstate', async () => {
    const org = organisation('suspend');
    const doc = orgDocument([{ id: 'key-1', publicKeyMultibase: key1.publicKeyMultibase }]);
    const passport = await org.issue(key1, 'key-1', doc, T0);
    await org.state.change({ id: passport.id }, 'suspend', at(1));
    let v = await verifierFrom(await bundleOf([await org.entry(doc, key1, 'key-1', at(1))], at(1)), at(2));
    expect((await v.verifyCredential(passport)).errors.map((e) => e.code)).toEqual(['ERR_SUSPENDED']);
    await org.state.change({ id: passport.id }, 'reinstate', at(3));
    v = await verifierFrom(await bundleOf([await org.entry(doc, key1, 'key-1', at(3))], at(3)), at(4));
    expect((await v.verifyCredential(passport)).verified).toBe(true);
  });

  it('a verifier whose bundle expired refuses everything with ERR_BUNDLE_EXPIRED', async () => {
    const org = organisation('expiry');
    const doc = orgDocument([{ id: 'key-1', publicKeyMultibase: key1.publicKeyMultibase }]);
    const passport = await org.issue(key1, 'key-1', doc, T0);
    const trust = await verifyTrustBundle(
      await bundleOf([await org.entry(doc, key1, 'key-1', at(1))], at(1), operator, 3600_000),
      { authors: [operator.did], now: at(1.5) },
    );
    const v = createVerifier({ ...trust.verifierConfig(), clock: () => at(3) });
    const result = await v.verifyCredential(passport);
    expect(result.checks.find((c) => c.name === 'issuer-trusted')?.code).toBe('ERR_BUNDLE_EXPIRED');
  });
});

describe('key rotation with history', () => {
  it('rotate: old passports still verify, new ones use the new key, a retired key cannot sign new ones', async () => {
    const org = organisation('rotate');
    const doc1 = orgDocument([{ id: 'key-1', publicKeyMultibase: key1.publicKeyMultibase }]);
    const old = await org.issue(key1, 'key-1', doc1, T0);
    // Rotation at +10 h: key-2 added, key-1 retired (kept, with its retirement time).
    const rotatedAt = at(10).toISOString();
    const doc2 = orgDocument([
      { id: 'key-2', publicKeyMultibase: key2.publicKeyMultibase },
      { id: 'key-1', publicKeyMultibase: key1.publicKeyMultibase, retired: rotatedAt },
    ]);
    const fresh = await org.issue(key2, 'key-2', doc2, at(11));
    expect(fresh.proof.verificationMethod).toBe(`${ORG}#key-2`);
    // The retired key refuses nothing it signed before, and everything it signs afterwards.
    const late = await org.issue(key1, 'key-1', doc1, at(12));
    const v = await verifierFrom(
      await bundleOf([await org.entry(doc2, key2, 'key-2', at(12))], at(12)),
      at(13),
    );
    expect((await v.verifyCredential(old)).verified).toBe(true);
    expect((await v.verifyCredential(fresh)).verified).toBe(true);
    const refused = await v.verifyCredential(late);
    expect(refused.checks.find((c) => c.name === 'issuer-key')?.code).toBe('ERR_KEY_RETIRED');
  });

  it('a compromised key: proofs made before the compromise time verify, proofs after are refused', async () => {
    const org = organisation('compromise');
    const doc1 = orgDocument([{ id: 'key-1', publicKeyMultibase: key1.publicKeyMultibase }]);
    const before = await org.issue(key1, 'key-1', doc1, T0);
    const forged = await org.issue(key1, 'key-1', doc1, at(20));
    const doc2 = orgDocument([
      { id: 'key-2', publicKeyMultibase: key2.publicKeyMultibase },
      { id: 'key-1', publicKeyMultibase: key1.publicKeyMultibase, revoked: at(15).toISOString() },
    ]);
    const v = await verifierFrom(
      await bundleOf([await org.entry(doc2, key2, 'key-2', at(21))], at(21)),
      at(22),
    );
    expect((await v.verifyCredential(before)).verified).toBe(true);
    const refused = await v.verifyCredential(forged);
    expect(refused.checks.find((c) => c.name === 'issuer-key')?.code).toBe('ERR_KEY_COMPROMISED');
    expect(refused.errors[0]?.message).toContain('compromised');
  });

  it('refuses a DID document whose key history is not a date-time', () => {
    expect(() =>
      orgDocument([{ id: 'key-1', publicKeyMultibase: key1.publicKeyMultibase, retired: 'last tuesday' }]),
    ).toThrow(expect.objectContaining({ code: 'ERR_DID_DOCUMENT_INVALID' }));
  });
});

describe('verifyTrustBundle refuses bad bundles, each with its code', () => {
  const doc = orgDocument([{ id: 'key-1', publicKeyMultibase: key1.publicKeyMultibase }]);
  const entry = async () => organisation(`bad-${crypto.randomUUID()}`).entry(doc, key1, 'key-1', T0);
  const resign = (b: Record<string, unknown>, key = operator) => {
    const { proof: _, ...rest } = b;
    return signCredential(rest, {
      signer: createSigner(key, `${key.did}#${key.publicKeyMultibase}`),
      created: T0,
      documentLoader: createDocumentLoader(),
    });
  };
  type Case = [string, () => Promise<unknown>, string, Date?];
  const cases: Case[] = [
    [
      'a tampered bundle (an issuer key swapped after signing)',
      async () => {
        const b = structuredClone(await bundleOf([await entry()])) as never as {
          credentialSubject: {
            trustedIssuers: { didDocument: { verificationMethod: { publicKeyMultibase: string }[] } }[];
          };
        };
        (
          b.credentialSubject.trustedIssuers[0]?.didDocument.verificationMethod[0] as {
            publicKeyMultibase: string;
          }
        ).publicKeyMultibase = intruder.publicKeyMultibase;
        return b;
      },
      'ERR_BUNDLE_SIGNATURE',
    ],
    [
      'a bundle by an author who is not pinned',
      async () => bundleOf([await entry()], T0, intruder),
      'ERR_BUNDLE_SIGNATURE',
    ],
    [
      'a bundle naming the pinned author, signed by another key',
      async () => {
        const b = structuredClone(await bundleOf([await entry()])) as Record<string, unknown>;
        const forged = (await resign(b, intruder)) as Record<string, unknown>;
        const proof = forged['proof'] as Record<string, unknown>;
        proof['verificationMethod'] = `${operator.did}#${operator.publicKeyMultibase}`;
        return forged;
      },
      'ERR_BUNDLE_SIGNATURE',
    ],
    [
      'a bundle without its proof',
      async () => {
        const { proof: _, ...rest } = (await bundleOf([await entry()])) as Record<string, unknown>;
        return rest;
      },
      'ERR_BUNDLE_SIGNATURE',
    ],
    [
      'an expired bundle',
      async () => bundleOf([await entry()], T0, operator, 3600_000),
      'ERR_BUNDLE_EXPIRED',
      at(2),
    ],
    ['a bundle from the future', async () => bundleOf([await entry()], at(48)), 'ERR_BUNDLE_EXPIRED', T0],
    ['garbage', async () => '{"not json', 'ERR_BUNDLE_INVALID'],
    ['JSON with a duplicate key', async () => '{"type": 1, "type": 2}', 'ERR_BUNDLE_INVALID'],
    [
      'a credential that is not a bundle',
      async () => ({ type: ['VerifiableCredential'] }),
      'ERR_BUNDLE_INVALID',
    ],
    [
      'a bundle whose issuer publishes another schema',
      async () => {
        const b = structuredClone(await bundleOf([await entry()])) as never as {
          credentialSubject: { trustedIssuers: { schema: Record<string, unknown> }[] };
        };
        (b.credentialSubject.trustedIssuers[0] as { schema: Record<string, unknown> }).schema = {
          type: 'object',
        };
        return resign(b as never);
      },
      'ERR_BUNDLE_INVALID',
    ],
    [
      'a bundle with an invalid issuer DID document (id mismatch)',
      async () => {
        const b = structuredClone(await bundleOf([await entry()])) as never as {
          credentialSubject: { trustedIssuers: { didDocument: Record<string, unknown> }[] };
        };
        (b.credentialSubject.trustedIssuers[0] as { didDocument: Record<string, unknown> }).didDocument[
          'id'
        ] = 'did:web:evil.example';
        return resign(b as never);
      },
      'ERR_BUNDLE_INVALID',
    ],
    [
      'a bundle with a status list of another issuer',
      async () => {
        const e = await entry();
        const list = { ...(e.statusLists[0] as Record<string, unknown>), issuer: 'did:web:evil.example' };
        const b = structuredClone(await bundleOf([e])) as never as {
          credentialSubject: { trustedIssuers: { statusLists: unknown[] }[] };
        };
        (b.credentialSubject.trustedIssuers[0] as { statusLists: unknown[] }).statusLists = [list];
        return resign(b as never);
      },
      'ERR_BUNDLE_INVALID',
    ],
    [
      'a bundle listing the same issuer twice',
      async () => {
        const b = structuredClone(await bundleOf([await entry()])) as never as {
          credentialSubject: { trustedIssuers: unknown[] };
        };
        b.credentialSubject.trustedIssuers.push(b.credentialSubject.trustedIssuers[0]);
        return resign(b as never);
      },
      'ERR_BUNDLE_INVALID',
    ],
    [
      'a bundle trusting nobody',
      async () => {
        const b = structuredClone(await bundleOf([await entry()])) as never as {
          credentialSubject: { trustedIssuers: unknown[] };
        };
        b.credentialSubject.trustedIssuers = [];
        return resign(b as never);
      },
      'ERR_BUNDLE_INVALID',
    ],
  ];
  for (const [name, make, code, now] of cases) {
    it(`${name}: ${code}`, async () => {
      expect(
        await codeOf(verifyTrustBundle(await make(), { authors: [operator.did], now: now ?? at(1) })),
      ).toBe(code);
    });
  }

  it('accepts the bundle as JSON text, and pins more than one author', async () => {
    const b = await bundleOf([await entry()]);
    const trust = await verifyTrustBundle(JSON.stringify(b), {
      authors: [intruder.did, operator.did],
      now: at(1),
    });
    expect(trust.author).toBe(operator.did);
    expect(trust.issuers.map((i) => i.id)).toEqual([ORG]);
  });

  it('validates options: pinned authors are did:keys; an author signs for itself', async () => {
    await expect(verifyTrustBundle({}, { authors: [] })).rejects.toThrow(TypeError);
    await expect(verifyTrustBundle({}, { authors: ['did:web:acme.example'] })).rejects.toThrow(TypeError);
    await expect(
      createTrustBundle({
        author: { id: operator.did, signer: createSigner(key1, `${ORG}#key-1`) },
        issuers: [],
      }),
    ).rejects.toThrow(TypeError);
    await expect(
      createTrustBundle({ author: { id: operator.did, signer: operatorSigner }, issuers: [] }),
    ).rejects.toMatchObject({
      code: 'ERR_BUNDLE_INVALID',
    });
  });
});

describe('the issuer honours its own key history', () => {
  it('refuses to sign with a retired or compromised key', async () => {
    const org = organisation('own-history');
    for (const history of [{ retired: at(1).toISOString() }, { revoked: at(1).toISOString() }]) {
      const doc = orgDocument([
        { id: 'key-2', publicKeyMultibase: key2.publicKeyMultibase },
        { id: 'key-1', publicKeyMultibase: key1.publicKeyMultibase, ...history },
      ]);
      const code = 'retired' in history ? 'ERR_KEY_RETIRED' : 'ERR_KEY_COMPROMISED';
      expect(await codeOf(org.issue(key1, 'key-1', doc, at(2)))).toBe(code);
    }
  });
});

describe('audits: expired bundles on request', () => {
  it('allowExpired accepts a signed bundle past its expiry, never an unsigned one', async () => {
    const doc = orgDocument([{ id: 'key-1', publicKeyMultibase: key1.publicKeyMultibase }]);
    const org = organisation('audit-expired');
    const b = await bundleOf([await org.entry(doc, key1, 'key-1', T0)], T0, operator, 3600_000);
    const later = at(24 * 365);
    expect(await codeOf(verifyTrustBundle(b, { authors: [operator.did], now: later }))).toBe(
      'ERR_BUNDLE_EXPIRED',
    );
    const trust = await verifyTrustBundle(b, { authors: [operator.did], now: later, allowExpired: true });
    expect(trust.validUntil.getTime()).toBe(at(1).getTime());
    const { proof: _, ...unsigned } = b as Record<string, unknown>;
    expect(
      await codeOf(verifyTrustBundle(unsigned, { authors: [operator.did], now: later, allowExpired: true })),
    ).toBe('ERR_BUNDLE_SIGNATURE');
  });
});
