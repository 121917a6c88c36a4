// SPDX-License-Identifier: Apache-2.0
// The parse walk takes a cached passport's verified copy for an input passport with the same proof
// value when the input is the same JSON (suites' prepareJcs `adopt`): against a verifier without a
// cache, every fixture case and vector as fresh objects, as text and as bytes, and one attacker
// case per way an input can share the proof value and differ, must give the same verification.
import { createPresentation, issuePassport } from '@agent-passport/issuer';
import { describe, expect, it } from 'vitest';
import { createVerifier, type VerifierConfig } from '../src/index.js';
import { cases, optionsOf, seen, trust, vectors } from './fixture-cases.js';
import { newKey } from './test-keys.js';

describe('adopted passports give the reference verification', () => {
  it('every presentation case and vector: the object, fresh copies, its text and bytes, after its passport was cached', async () => {
    const all = [
      ...cases
        .filter((k) => k.kind === 'presentation')
        .map((k) => ({ name: k.name, presentation: k.input, options: k.options, now: undefined })),
      ...vectors.vectors,
    ];
    const config: VerifierConfig = { trustedIssuers: [trust] };
    const cached = createVerifier(config);
    const reference = createVerifier({ ...config, cacheSize: 0 });
    const credentials = cases.filter((k) => k.kind === 'credential');
    for (const v of all) {
      const options = optionsOf(v);
      const expected = seen(await reference.verifyPresentation(v.presentation, options));
      const text = JSON.stringify(v.presentation);
      const inputs = [v.presentation, structuredClone(v.presentation), text, new TextEncoder().encode(text)];
      for (const input of [...inputs, ...inputs])
        expect(seen(await cached.verifyPresentation(input, options)), v.name).toEqual(expected);
      // The passports of the credential cases, cached as credentials, then met at another depth.
      for (const c of credentials)
        await cached.verifyCredential(structuredClone(c.input), { now: options.now });
      expect(seen(await cached.verifyPresentation(structuredClone(v.presentation), options)), v.name).toEqual(
        expected,
      );
    }
  });
});

describe('an input sharing a cached passport’s proof value is adopted only when it is the same JSON', async () => {
  const org = newKey();
  const agent = newKey();
  const now = new Date('2026-06-01T00:00:00Z');
  const passport = (await issuePassport({
    issuer: { id: org.did, signer: org.signer },
    subject: agent.did,
    agentName: 'adoption-attacker-tests',
    purpose: 'testing',
    scopes: ['read:arxiv'],
    validFrom: '2026-05-01T00:00:00Z',
    validUntil: '2026-09-01T00:00:00Z',
    now: new Date('2026-05-01T00:00:00Z'),
  })) as unknown as Record<string, unknown>;
  const present = async (credential: unknown) => {
    const vp = await createPresentation({
      passport: passport as never,
      signer: agent.signer,
      challenge: 'c',
      now,
    });
    return { ...vp, verifiableCredential: [credential] };
  };
  const copy = () => structuredClone(passport);
  const subjectOf = () => copy()['credentialSubject'] as Record<string, unknown>;
  const withScopes = (scopes: unknown) => ({ ...copy(), credentialSubject: { ...subjectOf(), scopes } });
  class NotPlain {
    constructor(from: Record<string, unknown>) {
      Object.assign(this, from);
    }
  }
  const variants: [string, () => unknown][] = [
    ['a member changed', () => ({ ...copy(), id: 'urn:uuid:00000000-0000-4000-8000-000000000000' })],
    ['a member added', () => ({ ...copy(), name: 'x' })],
    [
      'a subject member changed',
      () => ({
        ...copy(),
        credentialSubject: { ...(copy()['credentialSubject'] as object), scopes: ['write:all'] },
      }),
    ],
    [
      'a member removed',
      () => {
        const c = copy();
        delete c['validUntil'];
        return c;
      },
    ],
    [
      'the last member of the subject removed',
      () => {
        const subject = { ...(copy()['credentialSubject'] as Record<string, unknown>) };
        delete subject[Object.keys(subject).at(-1) as string];
        return { ...copy(), credentialSubject: subject };
      },
    ],
    ['a scope added at the end', () => withScopes([...(subjectOf()['scopes'] as string[]), 'write:all'])],
    ['the scopes as an array-like object', () => withScopes({ 0: 'read:arxiv', length: 1 })],
    [
      'a hidden member (NaN)',
      () => Object.defineProperty(copy(), 'h', { value: Number.NaN, enumerable: false }),
    ],
    [
      'a hidden member the walk does not copy',
      () => Object.defineProperty(copy(), 'issuer', { enumerable: false }),
    ],
    ['a symbol key', () => ({ ...copy(), [Symbol('s')]: 1 })],
    ['not a plain object', () => new NotPlain(copy())],
    ['the same members in another order', () => Object.fromEntries(Object.entries(copy()).reverse())],
  ];

  for (const [name, variant] of variants) {
    it(`${name}: as the reference, in a presentation and alone`, async () => {
      const cached = createVerifier({ trustedIssuers: [org.did] });
      const reference = createVerifier({ trustedIssuers: [org.did], cacheSize: 0 });
      expect((await cached.verifyPresentation(await present(copy()), { challenge: 'c', now })).verified).toBe(
        true,
      );
      const vp = await present(variant());
      expect(seen(await cached.verifyPresentation(vp, { challenge: 'c', now }))).toEqual(
        seen(await reference.verifyPresentation(vp, { challenge: 'c', now })),
      );
      const alone = variant();
      expect(seen(await cached.verifyCredential(alone, { now }))).toEqual(
        seen(await reference.verifyCredential(alone, { now })),
      );
    });
  }

  it('deeper than maxDepth inside a presentation, after it was cached alone: refused as the reference', async () => {
    const config = { trustedIssuers: [org.did], maxDepth: 4 };
    const cached = createVerifier(config);
    const reference = createVerifier({ ...config, cacheSize: 0 });
    expect((await cached.verifyCredential(copy(), { now })).verified).toBe(true);
    const vp = await present(copy());
    const expected = seen(await reference.verifyPresentation(vp, { challenge: 'c', now }));
    expect(expected.errors[0]?.code).toBe('ERR_PARSE_DEPTH');
    expect(seen(await cached.verifyPresentation(vp, { challenge: 'c', now }))).toEqual(expected);
  });
});
