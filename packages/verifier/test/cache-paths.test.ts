// SPDX-License-Identifier: Apache-2.0
// The cached paths against the reference (a verifier without a cache): every fixture case and
// presentation vector, verified on first sight and again, as bytes, through a handle, and mixed,
// with the issuer's document pinned (the cached issuer-key result) and resolved (no cached
// result), at times around the passport's validity window and proof creation, must give the same
// verification, check by check. Then one attacker test per thing the cache key and the cached
// results must include.
import { PassportError } from '@agent-passport/core';
import { buildDidDocument } from '@agent-passport/did-web';
import { createPresentation, issuePassport } from '@agent-passport/issuer';
import { createSigner } from '@agent-passport/suites';
import { describe, expect, it } from 'vitest';
import {
  createPassportHandle,
  createVerifier,
  type PassportVerification,
  type PassportVerifier,
  type VerifierConfig,
} from '../src/index.js';
import { cases, optionsOf, seen, trust, vectors } from './fixture-cases.js';
import { newKey } from './test-keys.js';

/** Around the fixture passport: its proof and validFrom (2026-05-25), validUntil (2026-08-25). */
const TIMES = [
  '2026-06-01T12:00:00Z',
  '2026-05-24T23:50:00Z', // the proof's created is in the future, and not yet valid
  '2026-05-24T23:59:30Z', // within the skew
  '2026-08-25T00:00:30Z', // past validUntil, within the skew
  '2026-08-25T00:02:00Z', // expired
].map((t) => new Date(t));

/** The issuer's document pinned (the cached issuer-key result is used) or resolved (it is not). */
const configs: Record<string, (extra?: Partial<VerifierConfig>) => VerifierConfig> = {
  pinned: (extra) => ({ trustedIssuers: [trust], ...extra }),
  resolved: (extra) => ({
    trustedIssuers: [trust.id],
    resolveDid: async () => trust.didDocument,
    ...extra,
  }),
};

const UTF8 = new TextEncoder();
const bytesOf = (input: unknown) => UTF8.encode(typeof input === 'string' ? input : JSON.stringify(input));

describe('cached, handle and byte paths give the reference verification', () => {
  for (const [kind, config] of Object.entries(configs)) {
    it(`every credential case, at every time, first sight and again (issuer document ${kind})`, async () => {
      for (const c of cases.filter((k) => k.kind === 'credential')) {
        const make = (cacheSize?: number) =>
          createVerifier(config({ ...c.verifier, ...(cacheSize === undefined ? {} : { cacheSize }) }));
        const bytes = bytesOf(c.input);
        const [viaBytes, viaHandle, mixed, reference] = [make(), make(), make(), make(0)];
        const handle = createPassportHandle(bytes);
        for (const now of TIMES) {
          const options = { ...c.options, now };
          const expected = seen(await reference.verifyCredential(bytes, options));
          const label = `${c.name} at ${now.toISOString()}`;
          for (let round = 0; round < 2; round++) {
            expect(seen(await viaBytes.verifyCredential(bytes, options)), label).toEqual(expected);
            expect(seen(await viaHandle.verifyCredential(handle, options)), label).toEqual(expected);
            const input = round === 0 ? bytes : handle;
            expect(seen(await mixed.verifyCredential(input, options)), label).toEqual(expected);
          }
          // The reference on an object, and the object path cached.
          if (typeof c.input !== 'string')
            expect(seen(await viaBytes.verifyCredential(c.input, options)), label).toEqual(
              seen(await reference.verifyCredential(c.input, options)),
            );
        }
      }
    });

    it(`every presentation case and vector, first sight and again (issuer document ${kind})`, async () => {
      const all = [
        ...cases
          .filter((k) => k.kind === 'presentation')
          .map((k) => ({ name: k.name, presentation: k.input, options: k.options, now: undefined })),
        ...vectors.vectors,
      ];
      const cached = createVerifier(config());
      const reference = createVerifier(config({ cacheSize: 0 }));
      for (const v of all) {
        const options = optionsOf(v);
        const expected = seen(await reference.verifyPresentation(v.presentation, options));
        for (let round = 0; round < 2; round++)
          expect(seen(await cached.verifyPresentation(v.presentation, options)), v.name).toEqual(expected);
      }
    });
  }
});

describe('a cached passport is refused whenever the reference would refuse it', () => {
  const org = newKey();
  const agent = newKey();
  const now = new Date('2026-06-01T00:00:00Z');
  const claims = {
    issuer: { id: org.did, signer: org.signer },
    subject: agent.did,
    agentName: 'cache-attacker-tests',
    purpose: 'testing',
    scopes: ['read:arxiv'],
    validFrom: '2026-05-01T00:00:00Z',
    validUntil: '2026-09-01T00:00:00Z',
    now: new Date('2026-05-01T00:00:00Z'),
  };
  const encoded = async (extra: Record<string, unknown> = {}) => {
    const passport = await issuePassport({ ...claims, ...extra });
    return { passport, bytes: UTF8.encode(JSON.stringify(passport)) };
  };
  const code = (r: PassportVerification) => r.errors[0]?.code ?? 'ok';
  const warmed = async (verifier: PassportVerifier, input: unknown, at = now) => {
    expect(code(await verifier.verifyCredential(input, { now: at }))).toBe('ok');
    expect(code(await verifier.verifyCredential(input, { now: at }))).toBe('ok');
  };

  it('changed bytes under a handle: the handle keeps its own copy; other bytes are not a hit', async () => {
    const { bytes } = await encoded();
    const verifier = createVerifier({ trustedIssuers: [org.did] });
    const handle = createPassportHandle(bytes);
    await warmed(verifier, handle);
    const text = new TextDecoder().decode(bytes);
    bytes.set(UTF8.encode(text.replace('cache-attacker-tests', 'cache-attacker-testZ')));
    expect(code(await verifier.verifyCredential(bytes, { now }))).toBe('ERR_PROOF_INVALID');
    expect(code(await verifier.verifyCredential(createPassportHandle(bytes), { now }))).toBe(
      'ERR_PROOF_INVALID',
    );
    // A lookalike of a handle is not one: it is verified as the object it is (not a plain one).
    const lookalike = Object.create(Object.getPrototypeOf(handle));
    expect(code(await verifier.verifyCredential(lookalike, { now }))).toBe('ERR_PARSE_TYPE');
  });

  it('the caller swaps the bytes it made a handle from for another valid passport: the handle still stands for the first', async () => {
    const a = await encoded();
    let b = await encoded({ agentName: 'cache-attacker-testZ' });
    while (b.bytes.length !== a.bytes.length) b = await encoded({ agentName: 'cache-attacker-testZ' });
    const original = a.bytes.slice();
    const verifier = createVerifier({ trustedIssuers: [org.did], cacheSize: 1 });
    const handle = createPassportHandle(a.bytes);
    await warmed(verifier, handle);
    // B pushes A out of the cache, then takes A's place in the caller's buffer.
    await warmed(verifier, b.bytes);
    a.bytes.set(b.bytes);
    const again = await verifier.verifyCredential(handle, { now });
    expect(again.passport?.credentialSubject.agentName).toBe('cache-attacker-tests');
    const byOriginal = await verifier.verifyCredential(original, { now });
    expect(byOriginal.passport?.credentialSubject.agentName).toBe('cache-attacker-tests');
  });

  it('trust: another verifier that does not trust the issuer, and trust that expired', async () => {
    const { bytes } = await encoded();
    const handle = createPassportHandle(bytes);
    await warmed(createVerifier({ trustedIssuers: [org.did] }), handle);
    const other = createVerifier({ trustedIssuers: [newKey().did] });
    expect(code(await other.verifyCredential(handle, { now }))).toBe('ERR_ISSUER_UNTRUSTED');
    const bundle = createVerifier({
      trustedIssuers: [org.did],
      trustValidUntil: new Date('2026-07-01T00:00:00Z'),
    });
    await warmed(bundle, handle);
    const later = new Date('2026-07-02T00:00:00Z');
    expect(code(await bundle.verifyCredential(handle, { now: later }))).toBe('ERR_BUNDLE_EXPIRED');
  });

  it('a resolved issuer document that no longer lists the key: refused on the cached path', async () => {
    const did = 'did:web:acme.example';
    const signer = createSigner(org.key, `${did}#k1`);
    const listed = buildDidDocument({ did, keys: [{ id: 'k1', publicKeyMultibase: org.multibase }] });
    const { bytes } = await encoded({ issuer: { id: did, signer, didDocument: listed } });
    let doc = listed;
    const verifier = createVerifier({ trustedIssuers: [did], resolveDid: async () => doc });
    const handle = createPassportHandle(bytes);
    await warmed(verifier, handle);
    doc = buildDidDocument({
      did,
      keys: [{ id: 'k1', publicKeyMultibase: org.multibase, purposes: ['authentication'] }],
    });
    expect(code(await verifier.verifyCredential(handle, { now }))).toBe('ERR_ISSUER_KEY');
  });

  it('status changed since the passport was cached', async () => {
    const { bytes } = await encoded({
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '7',
        statusListCredential: 'https://acme.example/status/1',
      },
    });
    let revoked = false;
    const checkStatus = async () => {
      if (revoked) throw new PassportError('ERR_REVOKED', 'revoked since it was cached');
    };
    const verifier = createVerifier({ trustedIssuers: [org.did], checkStatus });
    const handle = createPassportHandle(bytes);
    await warmed(verifier, handle);
    revoked = true;
    expect(code(await verifier.verifyCredential(handle, { now }))).toBe('ERR_REVOKED');
    expect(code(await verifier.verifyCredential(bytes, { now }))).toBe('ERR_REVOKED');
  });

  it('time: past validUntil, before validFrom, before the proof was created', async () => {
    const { bytes } = await encoded();
    const verifier = createVerifier({ trustedIssuers: [org.did] });
    const handle = createPassportHandle(bytes);
    await warmed(verifier, handle);
    const at = (t: string) => verifier.verifyCredential(handle, { now: new Date(t) });
    expect(code(await at('2026-09-01T00:01:01Z'))).toBe('ERR_EXPIRED');
    // The proof was created at 2026-05-01T00:00:00Z, as was validFrom: the proof step comes first.
    expect(code(await at('2026-04-30T23:58:59Z'))).toBe('ERR_PROOF_CREATED');
    const early = await encoded({ validFrom: '2026-05-10T00:00:00Z' });
    const earlyHandle = createPassportHandle(early.bytes);
    await warmed(verifier, earlyHandle);
    const before = await verifier.verifyCredential(earlyHandle, { now: new Date('2026-05-09T00:00:00Z') });
    expect(code(before)).toBe('ERR_NOT_YET_VALID');
  });

  it('another verifier configuration: its own cache, its own answer', async () => {
    const { bytes } = await encoded();
    const handle = createPassportHandle(bytes);
    await warmed(createVerifier({ trustedIssuers: [org.did] }), handle);
    const purposes = createVerifier({ trustedIssuers: [org.did], acceptedPurposes: ['payments'] });
    expect(code(await purposes.verifyCredential(handle, { now }))).toBe('ERR_PURPOSE_DENIED');
    const scopes = createVerifier({ trustedIssuers: [org.did], requiredScopes: ['write:billing'] });
    expect(code(await scopes.verifyCredential(handle, { now }))).toBe('ERR_SCOPE_DENIED');
    const suites = createVerifier({ trustedIssuers: [org.did], cryptosuites: ['ecdsa-jcs-2019'] });
    const reference = await suites.verifyCredential(bytes, { now });
    expect(code(reference)).not.toBe('ok');
    expect(code(await suites.verifyCredential(handle, { now }))).toBe(code(reference));
  });

  it('a handle whose passport left the cache is verified again from its own bytes', async () => {
    const verifier = createVerifier({ trustedIssuers: [org.did], cacheSize: 1 });
    const [a, b] = [await encoded(), await encoded({ agentName: 'another-agent' })];
    const handles = [createPassportHandle(a.bytes), createPassportHandle(b.bytes)];
    for (let i = 0; i < 4; i++) {
      const r = await verifier.verifyCredential(handles[i % 2], { now });
      expect(code(r)).toBe('ok');
      expect(r.passport).toEqual(i % 2 === 0 ? a.passport : b.passport);
    }
  });

  it('inside a presentation: the cached passport at a time before its proof was created', async () => {
    const { passport } = await encoded();
    const verifier = createVerifier({ trustedIssuers: [org.did] });
    const vp = await createPresentation({ passport, signer: agent.signer, challenge: 'c', now });
    expect(code(await verifier.verifyPresentation(vp, { challenge: 'c', now }))).toBe('ok');
    const early = new Date('2026-04-30T23:58:59Z');
    const late = await createPresentation({ passport, signer: agent.signer, challenge: 'd', now: early });
    expect(code(await verifier.verifyPresentation(late, { challenge: 'd', now: early }))).toBe(
      'ERR_PROOF_CREATED',
    );
  });
});
