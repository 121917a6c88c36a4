// SPDX-License-Identifier: Apache-2.0
// The VC API server over real HTTPS on 127.0.0.1: issue, verify, presentations, status, published
// files, and each class of bad input with its code and HTTP status.
import { decodeDidKey, resolveDidKey } from '@agent-passport/did-key';
import { jwkThumbprint } from '@agent-passport/http-signatures';
import { generateKey } from '@agent-passport/keystore';
import { decodeList, getBit } from '@agent-passport/status';
import { createPresentation, didKeySigner, signPresentation } from '@agent-passport/suites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVcApi } from '../src/index.js';
import { EXAMPLES_V2_URL, exampleCredential, loader, startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

async function issued(extra: Record<string, unknown> = {}, options: Record<string, unknown> = {}) {
  const r = await server.call('POST', '/credentials/issue', {
    credential: exampleCredential(server.issuer, extra),
    options,
  });
  expect(r.status, r.text).toBe(201);
  return r.json.verifiableCredential as Record<string, unknown>;
}
const verify = (vc: unknown, token: string | null = null) =>
  server.call('POST', '/credentials/verify', { verifiableCredential: vc }, { token });

function expectRefused(
  r: { status: number; json: { verified?: boolean; errors?: { code: string }[] } },
  code: string,
) {
  expect(r.json.errors?.[0]?.code).toBe(code);
  expect(r.json.verified).toBe(false);
  expect(r.status).toBe(400);
}

describe('issue and verify (W3C VC API)', () => {
  it('issues with eddsa-jcs-2022 by default: 201, an id, three status entries; verifies with exactly 200', async () => {
    const vc = await issued();
    expect(vc['id']).toMatch(/^urn:uuid:/);
    expect(vc['proof']).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-jcs-2022' });
    const status = vc['credentialStatus'] as Record<string, string>[];
    expect(status.map((s) => s['statusPurpose'])).toEqual(['revocation', 'suspension', 'message']);
    expect(status[0]?.['statusListCredential']).toBe(`${server.url}/status/revocation/1`);
    const r = await verify(vc, null);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      verified: true,
      checks: ['dataModel', 'proof', 'validity', 'credentialStatus'],
      warnings: [],
      errors: [],
      statusResults: status.map((s) => ({
        purpose: s['statusPurpose'],
        statusListCredential: s['statusListCredential'],
        statusListIndex: s['statusListIndex'],
        status: 0,
        ...(s['statusPurpose'] === 'message' ? { message: 'valid' } : {}),
      })),
    });
  });

  it('issues with eddsa-rdfc-2022 when asked, and verifies it', async () => {
    const vc = await issued({}, { cryptosuite: 'eddsa-rdfc-2022' });
    expect(vc['proof']).toMatchObject({ cryptosuite: 'eddsa-rdfc-2022' });
    expect((await verify(vc)).status).toBe(200);
  });

  it('keeps the id it is given and refuses bad issuance requests with their codes', async () => {
    expect((await issued({ id: 'https://example.edu/credentials/1' }))['id']).toBe(
      'https://example.edu/credentials/1',
    );
    const bad = async (body: unknown, code: string, status: number) => {
      const r = await server.call('POST', '/credentials/issue', body);
      expect([r.status, r.json.errors[0].code]).toEqual([status, code]);
      expect(r.text).not.toMatch(/\n\s+at /);
    };
    const good = exampleCredential(server.issuer);
    await bad({ credential: 'x' }, 'ERR_API_REQUEST', 400);
    await bad([good], 'ERR_API_REQUEST', 400);
    await bad({ credential: good, options: 'x' }, 'ERR_API_REQUEST', 400);
    await bad({ credential: { ...good, proof: 'z123' } }, 'ERR_API_REQUEST', 400);
    await bad(
      { credential: good, options: { cryptosuite: 'ecdsa-sd-2023' } },
      'ERR_CRYPTOSUITE_UNSUPPORTED',
      422,
    );
    await bad({ credential: { ...good, issuer: 'did:example:someone-else' } }, 'ERR_ISSUER_MISMATCH', 422);
    await bad({ credential: { ...good, issuer: { id: 'did:example:x' } } }, 'ERR_ISSUER_MISMATCH', 422);
    await bad({ credential: { ...good, type: ['ExampleAlumniCredential'] } }, 'ERR_VCDM_INVALID', 422);
    await bad({ credential: { ...good, '@context': [EXAMPLES_V2_URL] } }, 'ERR_VCDM_INVALID', 422);
    await bad(
      { credential: { ...good, validFrom: '2026-01-01T00:00:00Z', validUntil: '2025-01-01T00:00:00Z' } },
      'ERR_VCDM_INVALID',
      422,
    );
    await bad(
      {
        credential: {
          ...good,
          '@context': [...(good['@context'] as string[]), 'https://example.org/unknown/v1'],
        },
        options: { cryptosuite: 'eddsa-rdfc-2022' },
      },
      'ERR_DOCUMENT_NOT_FOUND',
      422,
    );
    await bad(
      {
        credential: {
          ...good,
          credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
        },
      },
      'ERR_STATUS_LIST_INVALID',
      422,
    );
    // alumniOf is defined by no context of a passport (JSON-LD safe mode refuses it too).
    await bad(
      {
        credential: {
          ...good,
          '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/agent-passport/v1'],
          type: ['VerifiableCredential', 'AgentPassport'],
        },
      },
      'ERR_VCDM_UNDEFINED_TERM',
      422,
    );
    await bad(
      {
        credential: {
          ...good,
          '@context': ['https://www.w3.org/ns/credentials/v2', 'https://w3id.org/agent-passport/v1'],
          type: ['VerifiableCredential', 'AgentPassport'],
          credentialSubject: { id: 'did:example:alice' },
        },
      },
      'ERR_SCHEMA_INVALID',
      422,
    );
  });

  it('adds its proof to a credential that has one (a proof set); an earlier proof without a key is refused', async () => {
    const earlier = {
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-jcs-2022',
      proofPurpose: 'assertionMethod',
    };
    const vc = await issued({ proof: earlier });
    const proofs = vc['proof'] as Record<string, unknown>[];
    expect(proofs).toHaveLength(2);
    expect(proofs[0]).toEqual(earlier);
    expect(proofs[1]).toMatchObject({ cryptosuite: 'eddsa-jcs-2022' });
    expectRefused(await verify(vc), 'ERR_PROOF_MALFORMED');
  });

  it('honours options.checks: status is checked unless the caller leaves it out (then a warning says so)', async () => {
    const vc = await issued();
    await server.call('POST', '/credentials/status', {
      credentialId: vc['id'],
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
    });
    const ask = (checks: unknown) =>
      server.call('POST', '/credentials/verify', { verifiableCredential: vc, options: { checks } });
    expectRefused(await ask(['proof', 'credentialStatus']), 'ERR_REVOKED');
    const proofOnly = await ask(['proof']);
    expect(proofOnly.status).toBe(200);
    expect(proofOnly.json.warnings[0]).toMatchObject({
      code: 'ERR_STATUS_UNAVAILABLE',
      check: 'credentialStatus',
    });
    const bad = await ask('proof');
    expect([bad.status, bad.json.errors[0].code]).toEqual([400, 'ERR_API_REQUEST']);
  });

  it('refuses what fails each verification check, with its code, and 400', async () => {
    const vc = await issued();
    expectRefused(
      await verify({ ...vc, credentialSubject: { id: 'did:example:mallory' } }),
      'ERR_PROOF_INVALID',
    );
    const { proof, ...unsigned } = vc;
    expectRefused(await verify(unsigned), 'ERR_PROOF_MISSING');
    expectRefused(
      await verify({ ...vc, proof: [proof, { ...(proof as object), verificationMethod: 42 }] }),
      'ERR_PROOF_MALFORMED',
    );
    expectRefused(
      await verify({ ...vc, type: ['VerifiableCredential', 'EnvelopedVerifiableCredential'] }),
      'ERR_ENVELOPE_INVALID', // an envelope's id is a data: URL of a vc+jwt
    );
    expectRefused(await verify({ ...vc, issuer: 'did:web:unknown.example' }), 'ERR_ISSUER_KEY');
    const p = proof as Record<string, unknown>;
    expectRefused(
      await verify({ ...vc, proof: { ...p, cryptosuite: 'ecdsa-sd-2023' } }),
      'ERR_CRYPTOSUITE_UNSUPPORTED',
    );
    expectRefused(
      await verify({ ...vc, proof: { ...p, proofPurpose: 'authentication' } }),
      'ERR_PROOF_PURPOSE',
    );
    expectRefused(
      await verify({ ...vc, proof: { ...p, created: '2999-01-01T00:00:00Z' } }),
      'ERR_PROOF_CREATED',
    );
    expectRefused(await verify({ ...vc, proof: { ...p, created: 'yesterday' } }), 'ERR_PROOF_CREATED');
    // Dates are checked on a credential whose proof verified: issue them.
    expectRefused(await verify(await issued({ validUntil: '2025-06-01T00:00:00Z' })), 'ERR_EXPIRED');
    expectRefused(await verify(await issued({ validFrom: '2999-01-01T00:00:00Z' })), 'ERR_NOT_YET_VALID');
    // A did:web issuer the server has no document for, and a status list it does not hold.
    const r = await verify({
      ...vc,
      issuer: 'did:web:unknown.example',
      proof: { ...p, verificationMethod: 'did:web:unknown.example#k' },
    });
    expectRefused(r, 'ERR_DID_NOT_FOUND');
    const elsewhere = await issued({
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '7',
        statusListCredential: 'https://elsewhere.example/status/1',
      },
    });
    expectRefused(await verify(elsewhere), 'ERR_STATUS_UNAVAILABLE');
  });

  it('a status entry of a type this verifier cannot check fails closed when status is asked for', async () => {
    const vc = await issued({
      credentialStatus: { id: 'https://example.org/status/1', type: 'ExampleStatusEntry' },
    });
    expectRefused(await verify(vc), 'ERR_STATUS_LIST_INVALID');
  });

  it('a credential from any did:key verifies; a server with trusted issuers refuses others', async () => {
    const other = await startTestServer({
      trustedIssuers: ['did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
    });
    try {
      const vc = await issued();
      const r = await other.call('POST', '/credentials/verify', { verifiableCredential: vc });
      expectRefused(r, 'ERR_ISSUER_UNTRUSTED');
      const open = await startTestServer();
      try {
        // Its own status lists are not held by the other server: fail closed.
        expectRefused(
          await open.call('POST', '/credentials/verify', { verifiableCredential: vc }),
          'ERR_STATUS_UNAVAILABLE',
        );
      } finally {
        await open.stop();
      }
    } finally {
      await other.stop();
    }
  });
});

describe('status: revoke, suspend, reinstate (POST /credentials/status)', () => {
  const setStatus = (credentialId: unknown, statusPurpose: string, status?: boolean) =>
    server.call('POST', '/credentials/status', {
      credentialId,
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose },
      ...(status === undefined ? {} : { status }),
    });

  it('suspends, reinstates and revokes; the list served over HTTPS carries the bit', async () => {
    const vc = await issued();
    const s = await setStatus(vc['id'], 'suspension');
    expect(s.status).toBe(200);
    expect(s.json).toEqual({
      credentialId: vc['id'],
      credentialStatus: [{ type: 'BitstringStatusListEntry', statusPurpose: 'suspension', status: true }],
    });
    expectRefused(await verify(vc), 'ERR_SUSPENDED');
    expect((await setStatus(vc['id'], 'suspension', false)).status).toBe(200);
    expect((await verify(vc)).status).toBe(200);
    expect((await setStatus(vc['id'], 'revocation')).status).toBe(200);
    expectRefused(await verify(vc), 'ERR_REVOKED');
    const entry = (vc['credentialStatus'] as Record<string, string>[])[0] as Record<string, string>;
    const list = await server.call(
      'GET',
      new URL(entry['statusListCredential'] as string).pathname,
      undefined,
      { token: null },
    );
    expect(list.status).toBe(200);
    expect(list.json.type).toContain('BitstringStatusListCredential');
    expect(list.json.proof.cryptosuite).toBe('eddsa-jcs-2022');
    const bits = decodeList(list.json.credentialSubject.encodedList);
    expect(getBit(bits, Number(entry['statusListIndex']))).toBe(true);
    // Revocation is permanent.
    const undo = await setStatus(vc['id'], 'revocation', false);
    expect([undo.status, undo.json.errors[0].code]).toEqual([422, 'ERR_REVOKED']);
    const reinstate = await setStatus(vc['id'], 'suspension', false);
    expect([reinstate.status, reinstate.json.errors[0].code]).toEqual([422, 'ERR_REVOKED']);
  });

  it('issuing does not re-sign the lists (no bit changes); a status change does', async () => {
    // A clock that moves 2 s per reading: a list signed again would carry another time and proof.
    let t = Date.now();
    const ticking = await startTestServer({
      clock: () => {
        t += 2000;
        return new Date(t);
      },
    });
    try {
      const issue = async () =>
        (await ticking.call('POST', '/credentials/issue', { credential: exampleCredential(ticking.issuer) }))
          .json.verifiableCredential as Record<string, unknown>;
      const vc = await issue();
      const url = new URL(
        (vc['credentialStatus'] as Record<string, string>[])[1]?.['statusListCredential'] as string,
      );
      const proofOf = async () =>
        (await ticking.call('GET', url.pathname, undefined, { token: null })).json.proof.proofValue as string;
      const before = await proofOf();
      await issue();
      expect(await proofOf()).toBe(before);
      await ticking.call('POST', '/credentials/status', {
        credentialId: vc['id'],
        credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'suspension' },
      });
      expect(await proofOf()).not.toBe(before);
    } finally {
      await ticking.stop();
    }
  });

  it('refuses unknown credentials and malformed requests', async () => {
    const r = await setStatus('urn:uuid:never-issued', 'revocation');
    expect([r.status, r.json.errors[0].code]).toEqual([404, 'ERR_PASSPORT_NOT_FOUND']);
    for (const body of [
      { credentialId: 1, credentialStatus: {} },
      { credentialId: 'x' },
      { credentialId: 'x', credentialStatus: { type: 'StatusList2021Entry', statusPurpose: 'revocation' } },
      { credentialId: 'x', credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'message' } },
      {
        credentialId: 'x',
        credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
        status: 'yes',
      },
    ]) {
      const bad = await server.call('POST', '/credentials/status', body);
      expect([bad.status, bad.json.errors[0].code]).toEqual([400, 'ERR_API_REQUEST']);
    }
  });
});

describe('presentations (POST /presentations/verify)', () => {
  const holderKey = generateKey();
  const holder = didKeySigner(holderKey);
  const holderDid = holder.id.split('#')[0] as string;
  const present = async (vcs: Record<string, unknown>[], challenge = 'c-123', domain = 'service.example') =>
    signPresentation(createPresentation({ verifiableCredential: vcs, holder: holderDid }), {
      signer: holder,
      created: new Date(Date.now() - 1000),
      challenge,
      domain,
      documentLoader: loader,
      cryptosuite: 'eddsa-rdfc-2022',
    });
  const verifyVp = (vp: unknown, options: unknown = { challenge: 'c-123', domain: 'service.example' }) =>
    server.call('POST', '/presentations/verify', { verifiablePresentation: vp, options }, { token: null });

  it('verifies an eddsa-rdfc-2022 presentation bound to the challenge and domain, and each credential in it', async () => {
    const vp = await present([await issued(), await issued({}, { cryptosuite: 'eddsa-rdfc-2022' })]);
    const r = await verifyVp(vp);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({
      verified: true,
      checks: ['dataModel', 'proof', 'credentials'],
      errors: [],
    });
  });

  it('accepts a well-formed unsigned presentation when no challenge is asked for', async () => {
    const vp = createPresentation({ verifiableCredential: [await issued()], holder: holderDid });
    expect((await verifyVp(vp, { checks: [] })).status).toBe(200);
    expectRefused(await verifyVp(vp), 'ERR_PROOF_MISSING');
  });

  it('refuses each failed check with its code', async () => {
    const vc = await issued();
    const vp = await present([vc]);
    expectRefused(await verifyVp(vp, { challenge: 'other' }), 'ERR_CHALLENGE_MISMATCH');
    expectRefused(await verifyVp(vp, { challenge: 'c-123', domain: 'evil.example' }), 'ERR_DOMAIN_MISMATCH');
    expectRefused(await verifyVp({ ...vp, holder: 'did:example:bob' }), 'ERR_HOLDER_MISMATCH');
    expectRefused(await verifyVp({ ...vp, type: ['Presentation'] }), 'ERR_VCDM_INVALID');
    expectRefused(await verifyVp({ ...vp, id: 'urn:uuid:changed' }), 'ERR_PROOF_INVALID');
    const tampered = await present([{ ...vc, credentialSubject: { id: 'did:example:mallory' } }]);
    expectRefused(await verifyVp(tampered), 'ERR_PROOF_INVALID');
    const bad = await server.call('POST', '/presentations/verify', {
      verifiablePresentation: vp,
      options: { challenge: 5 },
    });
    expect([bad.status, bad.json.verified, bad.json.errors[0].code]).toEqual([400, false, 'ERR_API_REQUEST']);
    const many = createPresentation({ verifiableCredential: Array(65).fill(vc), holder: holderDid });
    const tooMany = await verifyVp(many, {});
    expectRefused(tooMany, 'ERR_VCDM_INVALID');
    expect(tooMany.json.errors[0].message).toContain('at most 64 credentials');
    expect((await verifyVp({ ...many, verifiableCredential: Array(64).fill(vc) }, {})).status).toBe(200);
    const none = await server.call('POST', '/presentations/verify', { presentation: vp });
    expect([none.status, none.json.errors[0].code]).toEqual([400, 'ERR_API_REQUEST']);
  });
});

describe('HTTP hardening', () => {
  it('issuing and status need the operator token; verification is open unless a token is configured', async () => {
    const body = { credential: exampleCredential(server.issuer) };
    for (const token of [null, 'wrong-token-wrong-token', '']) {
      const r = await server.call('POST', '/credentials/issue', body, { token });
      expect([r.status, r.json.errors[0].code, r.headers['www-authenticate']]).toEqual([
        401,
        'ERR_API_UNAUTHORIZED',
        'Bearer',
      ]);
    }
    const s = await server.call('POST', '/credentials/status', {}, { token: null });
    expect(s.json.errors[0].code).toBe('ERR_API_UNAUTHORIZED');
    const locked = await startTestServer({ verifyToken: 'verify-token-0123456789' });
    try {
      const r = await locked.call(
        'POST',
        '/credentials/verify',
        { verifiableCredential: {} },
        { token: null },
      );
      expect([r.status, r.json.errors[0].code]).toEqual([401, 'ERR_API_UNAUTHORIZED']);
      const ok = await locked.call(
        'POST',
        '/credentials/verify',
        { verifiableCredential: {} },
        { token: 'verify-token-0123456789' },
      );
      expect(ok.json.errors[0].code).toBe('ERR_VCDM_INVALID');
    } finally {
      await locked.stop();
    }
  });

  it('hostile bodies: media type, size, broken JSON, duplicate and forbidden keys, depth', async () => {
    const raw = async (payload: string | Buffer, headers: Record<string, string> = {}) =>
      server.call('POST', '/credentials/verify', undefined, {
        raw: payload,
        headers: { 'content-type': 'application/json', ...headers },
      });
    const code = (r: { json: { errors: { code: string }[] } }) => r.json.errors[0]?.code;
    let r = await raw('{}', { 'content-type': 'text/plain' });
    expect([r.status, code(r)]).toEqual([415, 'ERR_API_MEDIA_TYPE']);
    r = await raw(Buffer.alloc(1024 * 1024 + 10, 0x20));
    expect([r.status, code(r)]).toEqual([413, 'ERR_API_TOO_LARGE']);
    r = await raw('{"verifiableCredential": ');
    expect([r.status, code(r)]).toEqual([400, 'ERR_PARSE_JSON']);
    r = await raw('{"verifiableCredential": {}, "verifiableCredential": {"a": 1}}');
    expect([r.status, code(r)]).toEqual([400, 'ERR_PARSE_DUPLICATE_KEY']);
    r = await raw('{"verifiableCredential": {"__proto__": {"admin": true}}}');
    expect([r.status, code(r)]).toEqual([400, 'ERR_PARSE_FORBIDDEN_KEY']);
    r = await raw(`{"verifiableCredential": ${'['.repeat(200)}${']'.repeat(200)}}`);
    expect([r.status, code(r)]).toEqual([400, 'ERR_PARSE_DEPTH']);
    r = await raw('{"verifiableCredential": {"n": 1e400}}');
    expect([r.status, code(r)]).toEqual([400, 'ERR_PARSE_NUMBER']);
  });

  it('a refusal before the body was read closes the connection (413 with Connection: close)', async () => {
    const small = await startTestServer({ maxBodyBytes: 2048 });
    try {
      const r = await small.call('POST', '/credentials/verify', undefined, {
        raw: Buffer.alloc(8192, 0x20),
        headers: { 'content-type': 'application/json', connection: 'keep-alive' },
      });
      expect([r.status, r.json.errors[0].code, r.headers['connection']]).toEqual([
        413,
        'ERR_API_TOO_LARGE',
        'close',
      ]);
      // A body that was read whole keeps the connection: only early refusals close it.
      const ok = await small.call(
        'POST',
        '/credentials/verify',
        { verifiableCredential: {} },
        {
          headers: { connection: 'keep-alive' },
        },
      );
      expect(ok.headers['connection']).not.toBe('close');
    } finally {
      await small.stop();
    }
  });

  it('a body over the limit sent without a length is cut off with 413', async () => {
    const small = await startTestServer({ maxBodyBytes: 2048 });
    try {
      const r = await small.call('POST', '/credentials/verify', undefined, {
        raw: Buffer.alloc(8192, 0x20),
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      expect([r.status, r.json.errors[0].code]).toEqual([413, 'ERR_API_TOO_LARGE']);
    } finally {
      await small.stop();
    }
  });

  it('unknown paths are 404, wrong methods 405, and an internal failure is 500 without a stack trace', async () => {
    let r = await server.call('GET', '/nothing/here', undefined, { token: null });
    expect([r.status, r.json.errors[0].code]).toEqual([404, 'ERR_API_NOT_FOUND']);
    r = await server.call('POST', '/nothing/here', {}, { token: null });
    expect([r.status, r.json.errors[0].code]).toEqual([404, 'ERR_API_NOT_FOUND']);
    r = await server.call('GET', '/credentials/issue', undefined, { token: null });
    expect([r.status, r.json.errors[0].code]).toEqual([405, 'ERR_API_METHOD']);
    r = await server.call('DELETE', '/.well-known/agent-passport-schema.json', undefined, { token: null });
    expect([r.status, r.json.errors[0].code]).toEqual([405, 'ERR_API_METHOD']);
    let broken = false;
    const flaky = await startTestServer({
      clock: () => {
        if (broken) throw new Error('clock failure /secret/path.ts:12');
        return new Date();
      },
    });
    try {
      broken = true;
      const x = await flaky.call('POST', '/credentials/issue', {
        credential: exampleCredential(flaky.issuer),
      });
      expect([x.status, x.json.errors[0].code]).toEqual([500, 'ERR_API_INTERNAL']);
      expect(x.text).not.toContain('secret');
      expect(x.text).not.toMatch(/\bat /);
    } finally {
      await flaky.stop();
    }
  });
});

describe('what an issuer publishes', () => {
  it('schema, context, status index, key directory and an index of endpoints', async () => {
    const get = (p: string) => server.call('GET', p, undefined, { token: null });
    const schema = await get('/.well-known/agent-passport-schema.json');
    expect([schema.status, schema.headers['content-type']]).toEqual([200, 'application/schema+json']);
    expect(schema.json.$schema).toContain('2020-12');
    const context = await get('/contexts/agent-passport/v1.jsonld');
    expect(context.json['@context']).toBeDefined();
    const index = await get('/.well-known/agent-passport-status.json');
    expect(index.json).toMatchObject({ issuer: server.issuer });
    expect(index.json.statusLists).toContain(`${server.url}/status/suspension/1`);
    const root = await get('/');
    expect(root.json.endpoints.issue).toBe('/credentials/issue');
    // HEAD: the headers of the GET (its length too), no body.
    const head = await server.call('HEAD', '/.well-known/agent-passport-schema.json', undefined, {
      token: null,
    });
    expect([head.status, head.headers['content-length'], head.text]).toEqual([
      200,
      String(Buffer.byteLength(schema.text)),
      '',
    ]);
  });

  it('the Web Bot Auth directory lists agents holding a current credential, and drops a revoked one', async () => {
    const agent = didKeySigner(generateKey());
    const agentDid = agent.id.split('#')[0] as string;
    const vc = await issued({ credentialSubject: { id: agentDid, alumniOf: 'x' } });
    const kid = jwkThumbprint(decodeDidKey(agentDid).publicKey);
    const dir = async () =>
      await server.call('GET', '/.well-known/http-message-signatures-directory', undefined, { token: null });
    const before = await dir();
    expect(before.headers['content-type']).toBe('application/http-message-signatures-directory+json');
    expect(before.json.keys.map((k: { kid: string }) => k.kid)).toContain(kid);
    await server.call('POST', '/credentials/status', {
      credentialId: vc['id'],
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
    });
    expect((await dir()).json.keys.map((k: { kid: string }) => k.kid)).not.toContain(kid);
  });

  it('a did:web issuer: its DID document is served, and plain HTTP issues without status', async () => {
    const key = generateKey();
    const plain = await startTestServer({}, { selfSigned: false });
    try {
      const vc = (
        await plain.call('POST', '/credentials/issue', { credential: exampleCredential(plain.issuer) })
      ).json.verifiableCredential;
      expect(vc.credentialStatus).toBeUndefined();
      const r = await plain.call('POST', '/credentials/status', {
        credentialId: vc.id,
        credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
      });
      expect([r.status, r.json.errors[0].code]).toEqual([404, 'ERR_PASSPORT_NOT_FOUND']);
    } finally {
      await plain.stop();
    }
    const { buildDidDocument } = await import('@agent-passport/did-web');
    const { createSigner } = await import('@agent-passport/suites');
    const did = 'did:web:issuer.example';
    const web = await startTestServer({
      issuer: {
        did,
        signer: createSigner(key, `${did}#key-1`),
        didDocument: buildDidDocument({
          did,
          keys: [{ id: 'key-1', publicKeyMultibase: key.publicKeyMultibase }],
        }),
      },
    });
    try {
      const doc = await web.call('GET', '/.well-known/did.json', undefined, { token: null });
      expect([doc.status, doc.json.id]).toEqual([200, did]);
      const vc = (await web.call('POST', '/credentials/issue', { credential: exampleCredential(did) })).json
        .verifiableCredential;
      expect((await web.call('POST', '/credentials/verify', { verifiableCredential: vc })).status).toBe(200);
    } finally {
      await web.stop();
    }
  });
});

describe('TLS', () => {
  it('serves HTTPS with a given certificate and key; one without the other is refused', async () => {
    const { selfSignedCertificate } = await import('../src/index.js');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'ap-tls-'));
    try {
      const { cert, key } = await selfSignedCertificate();
      writeFileSync(join(dir, 'cert.pem'), cert);
      writeFileSync(join(dir, 'key.pem'), key);
      const { listen } = await import('../src/index.js');
      const running = await listen((_req, res) => res.end('ok'), {
        tlsCert: join(dir, 'cert.pem'),
        tlsKey: join(dir, 'key.pem'),
      });
      try {
        expect(running.url).toMatch(/^https:\/\/localhost:\d+$/);
        expect(running.cert).toBe(cert);
      } finally {
        await running.close();
      }
      await expect(listen(() => {}, { tlsCert: join(dir, 'cert.pem') })).rejects.toThrow(TypeError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('configuration', () => {
  const key = generateKey();
  const signer = didKeySigner(key);
  const did = signer.id.split('#')[0] as string;
  const base = {
    issuer: { did, signer, didDocument: resolveDidKey(did) },
    publicUrl: 'https://localhost:8443',
    operatorToken: 'operator-token-0123456789',
  };
  it('is checked when the service is created', () => {
    expect(() => createVcApi({ ...base, operatorToken: 'short' })).toThrow(TypeError);
    expect(() => createVcApi({ ...base, verifyToken: 'short' })).toThrow(TypeError);
    // A token no Authorization header could carry as a bearer token (RFC 6750 b64token).
    expect(() => createVcApi({ ...base, operatorToken: 'operator token 0123456789' })).toThrow(TypeError);
    expect(() => createVcApi({ ...base, verifyToken: 'verify-token-0123456789!' })).toThrow(TypeError);
    expect(() => createVcApi({ ...base, publicUrl: 'https://localhost:8443/' })).toThrow(TypeError);
    expect(() => createVcApi({ ...base, publicUrl: 'ftp://x' })).toThrow(TypeError);
    expect(() => createVcApi({ ...base, cryptosuites: [] })).toThrow(TypeError);
    expect(() => createVcApi({ ...base, maxBodyBytes: 10 })).toThrow(RangeError);
    expect(() => createVcApi({ ...base, maxSkewSeconds: 10_000 })).toThrow(RangeError);
    const stranger = didKeySigner(generateKey());
    expect(() => createVcApi({ ...base, issuer: { ...base.issuer, signer: stranger } })).toThrow(TypeError);
    expect(() => createVcApi({ ...base, issuer: { ...base.issuer, did: 'x' } })).toThrow(TypeError);
    expect(createVcApi(base).state).toBeUndefined();
  });
});
