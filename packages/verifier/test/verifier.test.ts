// SPDX-License-Identifier: Apache-2.0
// createVerifier: options validated at creation, never a throw on untrusted input, and the
// behaviours the fixture cases (test/fixtures) do not already pin.
import { type KeyType, PassportError } from '@agent-passport/core';
import { encodeDidKey, encodeMultikey, randomSecretKey } from '@agent-passport/did-key';
import { buildDidDocument } from '@agent-passport/did-web';
import { createPresentation, issuePassport } from '@agent-passport/issuer';
import { createSigner, publicKeyOf } from '@agent-passport/suites';
import { describe, expect, it } from 'vitest';
import { CHECK_NAMES, createVerifier } from '../src/index.js';

function newKey(type: KeyType = 'Ed25519') {
  const key = {
    type,
    secretKey: randomSecretKey(type),
  };
  const publicKey = publicKeyOf(key);
  const multibase = encodeMultikey(publicKey, type);
  const did = encodeDidKey(publicKey, type);
  return { key, multibase, did, signer: createSigner(key, `${did}#${multibase}`) };
}

const org = newKey();
const agent = newKey();
const now = new Date('2026-06-01T00:00:00Z');
const clock = () => now;
const base = {
  issuer: { id: org.did, signer: org.signer },
  subject: agent.did,
  agentName: 'research-agent',
  purpose: 'literature-review',
  scopes: ['read:arxiv'],
  validFrom: '2026-05-01T00:00:00Z',
  validUntil: '2026-09-01T00:00:00Z',
  now: new Date('2026-05-01T00:00:00Z'),
};

describe('createVerifier validates its options when created', () => {
  const bad: [string, unknown, typeof TypeError | typeof RangeError][] = [
    ['no config', undefined, TypeError],
    ['trustedIssuers not an array', { trustedIssuers: 'did:key:z6Mk' }, TypeError],
    ['a trusted issuer that is not a DID', { trustedIssuers: ['https://acme.example'] }, TypeError],
    [
      'a didDocument for another DID',
      { trustedIssuers: [{ id: 'did:web:a.example', didDocument: { id: 'did:web:b.example' } }] },
      TypeError,
    ],
    ['negative skew', { trustedIssuers: [], maxSkewSeconds: -1 }, RangeError],
    ['unbounded skew', { trustedIssuers: [], maxSkewSeconds: 86_400 }, RangeError],
    ['NaN skew', { trustedIssuers: [], maxSkewSeconds: Number.NaN }, RangeError],
    ['an unknown cryptosuite', { trustedIssuers: [], cryptosuites: ['rsa-2048'] }, RangeError],
    ['a zero size limit', { trustedIssuers: [], maxBytes: 0 }, RangeError],
  ];
  for (const [name, config, type] of bad) {
    it(`throws ${type.name} for ${name}`, () => {
      expect(() => createVerifier(config as never)).toThrow(type);
    });
  }
});

describe('pinned issuer documents are validated when the verifier is created', () => {
  it('refuses a pinned document whose key another DID controls (ERR_DID_CONTROLLER_MISMATCH)', () => {
    const doc = structuredClone(
      buildDidDocument({
        did: 'did:web:acme.example',
        keys: [{ id: 'k1', publicKeyMultibase: org.multibase }],
      }),
    ) as unknown as Record<string, unknown>;
    (doc['verificationMethod'] as Record<string, unknown>[])[0]!['controller'] = 'did:web:evil.example';
    expect(() =>
      createVerifier({ trustedIssuers: [{ id: 'did:web:acme.example', didDocument: doc as never }] }),
    ).toThrow(expect.objectContaining({ code: 'ERR_DID_CONTROLLER_MISMATCH' }));
  });
});

describe('untrusted input never throws: it fails the parse or schema check with a code', () => {
  const verifier = createVerifier({ trustedIssuers: [org.did], clock });
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  const hostile: [string, unknown, string][] = [
    ['null', null, 'ERR_PARSE_TYPE'],
    ['a number', 42, 'ERR_PARSE_TYPE'],
    ['an array', [], 'ERR_PARSE_TYPE'],
    ['an empty string', '', 'ERR_PARSE_JSON'],
    ['a JSON array string', '[1,2]', 'ERR_PARSE_TYPE'],
    ['a cyclic object', cyclic, 'ERR_PARSE_TYPE'],
    ['an object holding a function', { f: () => 1 }, 'ERR_PARSE_TYPE'],
    ['an object holding NaN', { n: Number.NaN }, 'ERR_PARSE_NUMBER'],
    ['invalid UTF-8 bytes', new Uint8Array([0x7b, 0xff, 0x7d]), 'ERR_PARSE_JSON'],
    ['a lone surrogate', '{"a":"\\ud800"}', 'ERR_PARSE_STRING'],
  ];
  for (const [name, input, code] of hostile) {
    it(`${name} → ${code}`, async () => {
      const r = await verifier.verifyCredential(input);
      expect(r.verified).toBe(false);
      expect(r.errors[0]?.code).toBe(code);
      expect(r.checks.map((k) => k.name)).toEqual(CHECK_NAMES.filter((n) => n !== 'holder'));
    });
  }

  it('an object with an own __proto__ key is refused (ERR_PARSE_FORBIDDEN_KEY), and nothing is polluted', async () => {
    const input = JSON.parse('{"__proto__":{"polluted":true}}') as unknown;
    const r = await verifier.verifyCredential(input);
    expect(r.errors[0]?.code).toBe('ERR_PARSE_FORBIDDEN_KEY');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a presentation given as garbage fails the parse check (ERR_PARSE_JSON)', async () => {
    const r = await verifier.verifyPresentation('{"type":', { challenge: 'c' });
    expect(r.errors[0]?.code).toBe('ERR_PARSE_JSON');
    expect(r.checks.map((k) => k.name)).toEqual([...CHECK_NAMES]);
  });

  it('a presentation that is a credential is refused (ERR_PRESENTATION_INVALID)', async () => {
    const passport = await issuePassport(base);
    const r = await verifier.verifyPresentation(passport, { challenge: 'c' });
    expect(r.errors[0]?.code).toBe('ERR_PRESENTATION_INVALID');
  });
});

describe('verification', () => {
  it('returns the frozen passport and the agent, read from the verified object only', async () => {
    const passport = await issuePassport(base);
    const input = structuredClone(passport) as unknown as Record<string, unknown>;
    const verifier = createVerifier({ trustedIssuers: [org.did], clock });
    const r = await verifier.verifyCredential(input);
    expect(r.verified).toBe(true);
    expect(r.agent).toBe(agent.did);
    expect(Object.isFrozen(r.passport)).toBe(true);
    expect(Object.isFrozen(r.passport?.credentialSubject.scopes)).toBe(true);
    (input['credentialSubject'] as Record<string, unknown>)['scopes'] = ['admin:*'];
    expect(r.passport?.credentialSubject.scopes).toEqual(['read:arxiv']);
  });

  it('accepts a JSON string and bytes as input', async () => {
    const passport = await issuePassport(base);
    const verifier = createVerifier({ trustedIssuers: [org.did], clock });
    expect((await verifier.verifyCredential(JSON.stringify(passport))).verified).toBe(true);
    expect(
      (await verifier.verifyCredential(new TextEncoder().encode(JSON.stringify(passport)))).verified,
    ).toBe(true);
  });

  it('verifies a P-256 issuer (ecdsa-jcs-2019) and a P-256 agent presentation', async () => {
    const p256org = newKey('P-256');
    const p256agent = newKey('P-256');
    const passport = await issuePassport({
      ...base,
      issuer: { id: p256org.did, signer: p256org.signer },
      subject: p256agent.did,
    });
    const vp = await createPresentation({ passport, signer: p256agent.signer, challenge: 'c-1', now });
    const verifier = createVerifier({ trustedIssuers: [p256org.did], clock });
    const r = await verifier.verifyPresentation(vp, { challenge: 'c-1' });
    expect(r.errors).toEqual([]);
    expect(r.verified).toBe(true);
  });

  it('verifies eddsa-rdfc-2022 passports, and refuses them when rdfc is off the allowlist', async () => {
    const passport = await issuePassport({ ...base, cryptosuite: 'eddsa-rdfc-2022' });
    expect(passport.proof.cryptosuite).toBe('eddsa-rdfc-2022');
    expect(
      (await createVerifier({ trustedIssuers: [org.did], clock }).verifyCredential(passport)).verified,
    ).toBe(true);
    const jcsOnly = createVerifier({ trustedIssuers: [org.did], clock, cryptosuites: ['eddsa-jcs-2022'] });
    expect((await jcsOnly.verifyCredential(passport)).errors[0]?.code).toBe('ERR_CRYPTOSUITE_UNSUPPORTED');
  });

  it('resolves a trusted did:web issuer through the injected resolver, and fails closed when it cannot', async () => {
    const didDocument = buildDidDocument({
      did: 'did:web:acme.example',
      keys: [{ id: 'k1', publicKeyMultibase: org.multibase }],
    });
    const signer = createSigner(org.key, 'did:web:acme.example#k1');
    const passport = await issuePassport({
      ...base,
      issuer: { id: 'did:web:acme.example', signer, didDocument },
    });
    const ok = createVerifier({
      trustedIssuers: ['did:web:acme.example'],
      clock,
      resolveDid: async () => didDocument,
    });
    expect((await ok.verifyCredential(passport)).verified).toBe(true);
    const offline = createVerifier({ trustedIssuers: ['did:web:acme.example'], clock });
    expect((await offline.verifyCredential(passport)).errors[0]).toMatchObject({ code: 'ERR_DID_NOT_FOUND' });
    const wrongDoc = createVerifier({
      trustedIssuers: ['did:web:acme.example'],
      clock,
      resolveDid: async () => ({ ...didDocument, id: 'did:web:other.example' }),
    });
    expect((await wrongDoc.verifyCredential(passport)).errors[0]).toMatchObject({
      code: 'ERR_DID_ID_MISMATCH',
    });
    // A resolver's failure: its own code when it has one, ERR_DID_NOT_FOUND otherwise.
    for (const [failure, code] of [
      [new PassportError('ERR_DID_WEB_HOST_FORBIDDEN', 'unreachable'), 'ERR_DID_WEB_HOST_FORBIDDEN'],
      [new Error('boom'), 'ERR_DID_NOT_FOUND'],
    ] as const) {
      const failing = createVerifier({
        trustedIssuers: ['did:web:acme.example'],
        clock,
        resolveDid: async () => {
          throw failure;
        },
      });
      const result = await failing.verifyCredential(passport);
      expect(result.errors).toEqual([expect.objectContaining({ code })]);
      expect(result.checks.find((c) => c.name === 'issuer-key')).toMatchObject({ ok: false, code });
    }
  });

  it('a status checker is consulted for passports with credentialStatus, and its code is reported', async () => {
    const passport = await issuePassport({
      ...base,
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '7',
        statusListCredential: 'https://acme.example/status/1',
      },
    });
    const { PassportError } = await import('@agent-passport/core');
    const verifier = createVerifier({
      trustedIssuers: [org.did],
      clock,
      checkStatus: () => {
        throw new PassportError('ERR_STATUS_UNAVAILABLE', 'list not held');
      },
    });
    const r = await verifier.verifyCredential(passport);
    expect(r.checks.find((k) => k.name === 'status')).toMatchObject({
      ok: false,
      code: 'ERR_STATUS_UNAVAILABLE',
    });
  });

  it('an unexpected failure inside a check refuses the input (ERR_VERIFIER_INTERNAL), never throws', async () => {
    const passport = await issuePassport({
      ...base,
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '7',
        statusListCredential: 'https://acme.example/status/1',
      },
    });
    const verifier = createVerifier({
      trustedIssuers: [org.did],
      clock,
      checkStatus: () => {
        throw new Error('a bug in a status checker');
      },
    });
    const r = await verifier.verifyCredential(passport);
    expect(r.verified).toBe(false);
    expect(r.errors).toEqual([{ code: 'ERR_VERIFIER_INTERNAL', message: expect.any(String) }]);
  });

  it('refuses a presentation signed in the future (ERR_PROOF_CREATED)', async () => {
    const passport = await issuePassport(base);
    const vp = await createPresentation({
      passport,
      signer: agent.signer,
      challenge: 'c-1',
      now: new Date('2026-06-02T00:00:00Z'),
    });
    const r = await createVerifier({ trustedIssuers: [org.did], clock }).verifyPresentation(vp, {
      challenge: 'c-1',
    });
    expect(r.checks.find((k) => k.name === 'holder')).toMatchObject({ ok: false, code: 'ERR_PROOF_CREATED' });
  });

  it('requires a challenge from the caller (TypeError), never defaults one', async () => {
    const verifier = createVerifier({ trustedIssuers: [org.did], clock });
    await expect(verifier.verifyPresentation({}, { challenge: '' })).rejects.toBeInstanceOf(TypeError);
    await expect(verifier.verifyPresentation({}, undefined as never)).rejects.toBeInstanceOf(TypeError);
  });

  it('configured and per-call required scopes add up', async () => {
    const passport = await issuePassport({ ...base, scopes: ['read:arxiv', 'write:notes'] });
    const verifier = createVerifier({ trustedIssuers: [org.did], clock, requiredScopes: ['read:arxiv'] });
    expect((await verifier.verifyCredential(passport, { requiredScopes: ['write:notes'] })).verified).toBe(
      true,
    );
    const r = await verifier.verifyCredential(passport, { requiredScopes: ['write:billing'] });
    expect(r.errors[0]?.code).toBe('ERR_SCOPE_DENIED');
  });
});

describe('the verification cache never weakens a check', () => {
  it('a cached passport is still refused once expired, for a missing scope, or from an untrusted issuer', async () => {
    const passport = await issuePassport(base);
    const bytes = new TextEncoder().encode(JSON.stringify(passport));
    let t = now;
    const verifier = createVerifier({ trustedIssuers: [org.did], clock: () => t });
    expect((await verifier.verifyCredential(bytes)).verified).toBe(true);
    expect((await verifier.verifyCredential(bytes)).verified).toBe(true);
    expect(
      (await verifier.verifyCredential(bytes, { requiredScopes: ['write:billing'] })).errors[0]?.code,
    ).toBe('ERR_SCOPE_DENIED');
    t = new Date('2026-09-02T00:00:00Z');
    expect((await verifier.verifyCredential(bytes)).errors[0]?.code).toBe('ERR_EXPIRED');
    expect((await verifier.verifyCredential(passport)).errors[0]?.code).toBe('ERR_EXPIRED');
  });

  it('one changed byte is not a hit: the proof is verified and fails', async () => {
    const passport = await issuePassport(base);
    const verifier = createVerifier({ trustedIssuers: [org.did], clock });
    const text = JSON.stringify(passport);
    expect((await verifier.verifyCredential(text)).verified).toBe(true);
    const edited = text.replace('"research-agent"', '"research-agenT"');
    expect((await verifier.verifyCredential(edited)).errors[0]?.code).toBe('ERR_PROOF_INVALID');
  });

  it('a cached passport is refused when the issuer key behind it changed (rotation, substitution)', async () => {
    const didDocument = buildDidDocument({
      did: 'did:web:acme.example',
      keys: [{ id: 'k1', publicKeyMultibase: org.multibase }],
    });
    const signer = createSigner(org.key, 'did:web:acme.example#k1');
    const passport = await issuePassport({
      ...base,
      issuer: { id: 'did:web:acme.example', signer, didDocument },
    });
    let doc = didDocument;
    const verifier = createVerifier({
      trustedIssuers: ['did:web:acme.example'],
      clock,
      resolveDid: async () => doc,
    });
    expect((await verifier.verifyCredential(passport)).verified).toBe(true);
    doc = buildDidDocument({
      did: 'did:web:acme.example',
      keys: [{ id: 'k1', publicKeyMultibase: newKey().multibase }],
    });
    expect((await verifier.verifyCredential(passport)).errors[0]?.code).toBe('ERR_PROOF_INVALID');
  });

  it('inside presentations: a hit still checks expiry, status and the holder proof; a different proof is not a hit', async () => {
    const passport = await issuePassport({
      ...base,
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '7',
        statusListCredential: 'https://acme.example/status/1',
      },
    });
    const sign = (p: object, challenge: string) =>
      createPresentation({ passport: p as never, signer: agent.signer, challenge, now });
    let t = now;
    let revoked = false;
    const checkStatus = async () => {
      if (revoked) {
        const { PassportError } = await import('@agent-passport/core');
        throw new PassportError('ERR_REVOKED', 'revoked since it was cached');
      }
    };
    const verifier = createVerifier({ trustedIssuers: [org.did], clock: () => t, checkStatus });
    expect((await verifier.verifyPresentation(await sign(passport, 'a'), { challenge: 'a' })).verified).toBe(
      true,
    );
    // Cache hit: a presentation by another key embedding the same passport bytes is still refused.
    const thief = newKey();
    const genuine = await sign(passport, 'b');
    const stolen = {
      ...genuine,
      proof: { ...(genuine.proof as object), verificationMethod: thief.signer.id },
    };
    expect((await verifier.verifyPresentation(stolen, { challenge: 'b' })).errors[0]?.code).toBe(
      'ERR_HOLDER_MISMATCH',
    );
    // The holder proof is verified on every hit: a tampered presentation around a cached passport.
    const tampered = { ...(await sign(passport, 'c')), id: 'urn:uuid:added-after-signing' };
    expect((await verifier.verifyPresentation(tampered, { challenge: 'c' })).errors[0]?.code).toBe(
      'ERR_PROOF_INVALID',
    );
    // Same passport bytes with another proof value: not a hit, the proof is verified and fails.
    const proof = passport.proof as unknown as Record<string, unknown>;
    const otherProof = {
      ...passport,
      proof: { ...proof, proofValue: `${String(proof['proofValue']).slice(0, -2)}11` },
    };
    expect(
      (await verifier.verifyPresentation(await sign(otherProof, 'd'), { challenge: 'd' })).errors[0]?.code,
    ).toBe('ERR_PROOF_INVALID');
    // Revoked since it was cached, then expired since it was cached.
    revoked = true;
    expect(
      (await verifier.verifyPresentation(await sign(passport, 'e'), { challenge: 'e' })).errors[0]?.code,
    ).toBe('ERR_REVOKED');
    revoked = false;
    t = new Date('2026-09-02T00:00:00Z');
    const late = await createPresentation({ passport, signer: agent.signer, challenge: 'f', now: t });
    expect((await verifier.verifyPresentation(late, { challenge: 'f' })).errors[0]?.code).toBe('ERR_EXPIRED');
  });

  it('inside presentations: a hit skips only the embedded passport rules, never the presentation rules', async () => {
    const passport = await issuePassport(base);
    const verifier = createVerifier({ trustedIssuers: [org.did], clock });
    const vp = await createPresentation({ passport, signer: agent.signer, challenge: 'a', now });
    expect((await verifier.verifyPresentation(vp, { challenge: 'a' })).verified).toBe(true);
    const badHolder = { ...vp, holder: 'not a url' };
    const r = await verifier.verifyPresentation(badHolder, { challenge: 'a' });
    expect(r.checks[0]).toMatchObject({ name: 'parse', ok: false, code: 'ERR_PRESENTATION_INVALID' });
    const two = { ...vp, verifiableCredential: [passport, passport] };
    expect((await verifier.verifyPresentation(two, { challenge: 'a' })).errors[0]?.code).toBe(
      'ERR_PRESENTATION_INVALID',
    );
  });

  it('objects are keyed by their JCS form, or its digest past 4096 characters: equal forms hit, one change does not', async () => {
    const verifier = createVerifier({ trustedIssuers: [org.did], clock });
    const long = { notes: 'x'.repeat(5000) };
    for (const constraints of [undefined, long]) {
      const passport = await issuePassport({ ...base, ...(constraints ? { constraints } : {}) });
      expect(JSON.stringify(passport).length > 4096).toBe(constraints !== undefined);
      const first = await verifier.verifyCredential(passport);
      expect(first.verified).toBe(true);
      // The same JCS form (members in another order) is a hit: the remembered passport comes back.
      const reordered = Object.fromEntries(Object.entries(structuredClone(passport)).reverse());
      expect((await verifier.verifyCredential(reordered)).passport).toBe(first.passport);
      const vp = await createPresentation({ passport, signer: agent.signer, challenge: 'k', now });
      expect((await verifier.verifyPresentation(vp, { challenge: 'k' })).passport).toBe(first.passport);
      // One changed character is not a hit: the proof is verified, and fails.
      const edited = structuredClone(passport) as unknown as { credentialSubject: { agentName: string } };
      edited.credentialSubject.agentName = 'research-agenT';
      expect((await verifier.verifyCredential(edited)).errors[0]?.code).toBe('ERR_PROOF_INVALID');
    }
  });

  it('bytes are keyed by their digest: the same bytes hit, and their passport is found again as an object', async () => {
    const verifier = createVerifier({ trustedIssuers: [org.did], clock });
    const passport = await issuePassport(base);
    const bytes = new TextEncoder().encode(JSON.stringify(passport));
    const first = await verifier.verifyCredential(bytes);
    expect(first.verified).toBe(true);
    expect((await verifier.verifyCredential(bytes.slice())).passport).toBe(first.passport);
    expect((await verifier.verifyCredential(structuredClone(passport))).passport).toBe(first.passport);
  });

  it('cacheSize 0 disables it; a negative size is a RangeError', async () => {
    const passport = await issuePassport(base);
    const verifier = createVerifier({ trustedIssuers: [org.did], clock, cacheSize: 0 });
    expect((await verifier.verifyCredential(passport)).verified).toBe(true);
    expect((await verifier.verifyCredential(passport)).verified).toBe(true);
    expect(() => createVerifier({ trustedIssuers: [], cacheSize: -1 })).toThrow(RangeError);
  });
});
