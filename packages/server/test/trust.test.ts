// SPDX-License-Identifier: Apache-2.0
// Verifying other issuers' credentials through the VC API, from what a trust bundle gives (their
// DID documents with key history, their signed status lists), and the hostile classes of
// docs/security.md that reach the verification endpoints.
import { createDocumentLoader } from '@agent-passport/contexts';
import { buildDidDocument } from '@agent-passport/did-web';
import { generateKey } from '@agent-passport/keystore';
import { createBitstring, issueStatusListCredential, setBit } from '@agent-passport/status';
import {
  createPresentation,
  createSigner,
  didKeySigner,
  signCredential,
  signPresentation,
} from '@agent-passport/suites';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleCredential, loader, startTestServer, type TestServer } from './helpers.js';

const ORG = 'did:web:partner.example';
const current = generateKey();
const compromised = generateKey();
const COMPROMISED_AT = '2026-01-01T00:00:00Z';
const orgDoc = buildDidDocument({
  did: ORG,
  keys: [
    { id: 'key-2', publicKeyMultibase: current.publicKeyMultibase },
    { id: 'key-1', publicKeyMultibase: compromised.publicKeyMultibase, revoked: COMPROMISED_AT },
  ],
});
const signer = createSigner(current, `${ORG}#key-2`);
const LIST = 'https://partner.example/status/revocation/1';
const plainLoader = createDocumentLoader();

async function partnerCredential(extra: Record<string, unknown> = {}, by = signer, created = new Date()) {
  return signCredential(exampleCredential(ORG, extra), { signer: by, created, documentLoader: loader });
}
async function partnerList(revoked: number[] = []) {
  const bits = createBitstring();
  for (const i of revoked) setBit(bits, i, true);
  return issueStatusListCredential({
    id: LIST,
    issuer: { id: ORG, signer },
    statusPurpose: 'revocation',
    bits,
  });
}
const entry = (index: number) => ({
  id: `${LIST}#${index}`,
  type: 'BitstringStatusListEntry',
  statusPurpose: 'revocation',
  statusListIndex: String(index),
  statusListCredential: LIST,
});

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});
const verify = (vc: unknown) =>
  (server as TestServer).call('POST', '/credentials/verify', { verifiableCredential: vc });
const code = (r: { json: { errors: { code: string }[] } }) => r.json.errors[0]?.code;

describe('other issuers, from the documents and lists a trust bundle gives', () => {
  it('verifies a partner credential with its status offline; a revoked one and a compromised key are refused', async () => {
    server = await startTestServer({ didDocuments: [orgDoc], statusLists: [await partnerList([9])] });
    expect((await verify(await partnerCredential({ credentialStatus: entry(3) }))).status).toBe(200);
    const revoked = await verify(await partnerCredential({ credentialStatus: entry(9) }));
    expect([revoked.status, code(revoked)]).toEqual([400, 'ERR_REVOKED']);
    const oldKey = createSigner(compromised, `${ORG}#key-1`);
    const after = await verify(await partnerCredential({}, oldKey));
    expect([after.status, code(after)]).toEqual([400, 'ERR_KEY_COMPROMISED']);
    // Made before the compromise, the old key's proof still stands.
    const before = await partnerCredential({}, oldKey, new Date('2025-06-01T00:00:00Z'));
    expect((await verify(before)).status).toBe(200);
  });

  it('an unsigned or foreign status list is refused (fail closed)', async () => {
    const list = await partnerList();
    const { proof: _, ...unsigned } = list as unknown as Record<string, unknown>;
    server = await startTestServer({ didDocuments: [orgDoc], statusLists: [unsigned] });
    const r = await verify(await partnerCredential({ credentialStatus: entry(3) }));
    expect([r.status, code(r)]).toEqual([400, 'ERR_STATUS_LIST_UNSIGNED']);
  });

  it('with trusted issuers set, a credential from anyone else is refused; after the trust expires, nothing verifies', async () => {
    server = await startTestServer({
      didDocuments: [orgDoc],
      trustedIssuers: [ORG],
      trustValidUntil: new Date(Date.now() + 3_600_000),
    });
    expect((await verify(await partnerCredential())).status).toBe(200);
    const stranger = didKeySigner(generateKey());
    const strangerDid = stranger.id.split('#')[0] as string;
    const other = await signCredential(exampleCredential(strangerDid), {
      signer: stranger,
      created: new Date(),
      documentLoader: loader,
    });
    expect(code(await verify(other))).toBe('ERR_ISSUER_UNTRUSTED');
    await server.stop();
    server = await startTestServer({ didDocuments: [orgDoc], trustValidUntil: new Date(Date.now() - 1000) });
    const r = await verify(await partnerCredential());
    expect([r.status, r.json.checks, code(r)]).toEqual([400, ['trust'], 'ERR_BUNDLE_EXPIRED']);
    const vp = await server.call('POST', '/presentations/verify', { verifiablePresentation: {} });
    expect(code(vp)).toBe('ERR_BUNDLE_EXPIRED');
  });

  it('a trusted issuer named with an attacker key is refused (key substitution)', async () => {
    server = await startTestServer({ didDocuments: [orgDoc] });
    const attacker = didKeySigner(generateKey());
    // The attacker's own did:key proof on a credential that names the partner as issuer.
    const forged = await signCredential(exampleCredential(attacker.id.split('#')[0] as string), {
      signer: attacker,
      created: new Date(),
      documentLoader: loader,
    });
    const r = await verify({ ...forged, issuer: ORG });
    expect(code(r)).toBe('ERR_ISSUER_KEY');
    // A key of the partner's document that is not under assertionMethod does not sign credentials.
    const authOnly = buildDidDocument({
      did: ORG,
      keys: [{ id: 'key-2', publicKeyMultibase: current.publicKeyMultibase, purposes: ['authentication'] }],
    });
    await server.stop();
    server = await startTestServer({ didDocuments: [authOnly] });
    expect(code(await verify(await partnerCredential()))).toBe('ERR_ISSUER_KEY');
  });
});

describe('holder binding for passports', () => {
  it('an AgentPassport verifies in a presentation signed by its agent, and not by anyone else', async () => {
    const { issuePassport } = await import('@agent-passport/issuer');
    const agent = didKeySigner(generateKey());
    const agentDid = agent.id.split('#')[0] as string;
    const passport = (await issuePassport({
      issuer: { id: ORG, signer, didDocument: orgDoc },
      subject: agentDid,
      agentName: 'billing-3',
      purpose: 'invoicing',
      scopes: ['read:invoices'],
      validUntil: new Date(Date.now() + 86_400_000),
    })) as unknown as Record<string, unknown>;
    server = await startTestServer({ didDocuments: [orgDoc] });
    const present = async (by: typeof agent) =>
      signPresentation(
        createPresentation({ verifiableCredential: [passport], holder: by.id.split('#')[0] as string }),
        {
          signer: by,
          created: new Date(),
          challenge: 'c9',
          documentLoader: plainLoader,
        },
      );
    const ask = (vp: unknown, options: unknown = { challenge: 'c9' }) =>
      (server as TestServer).call('POST', '/presentations/verify', { verifiablePresentation: vp, options });
    const good = await ask(await present(agent));
    expect(good.status, JSON.stringify(good.json)).toBe(200);
    const thief = await ask(await present(didKeySigner(generateKey())));
    expect([thief.status, code(thief)]).toEqual([400, 'ERR_HOLDER_MISMATCH']);
    const unsigned = await ask(
      createPresentation({ verifiableCredential: [passport], holder: agentDid }),
      {},
    );
    expect([unsigned.status, code(unsigned)]).toEqual([400, 'ERR_HOLDER_MISMATCH']);
  });
});

describe('hostile inputs at the verification endpoints', () => {
  it('a lone surrogate and an unsafe integer are refused by the parser', async () => {
    server = await startTestServer();
    const raw = (text: string) =>
      (server as TestServer).call('POST', '/credentials/verify', undefined, {
        raw: text,
        headers: { 'content-type': 'application/json' },
      });
    expect(code(await raw('{"verifiableCredential": {"name": "\\ud800"}}'))).toBe('ERR_PARSE_STRING');
    expect(code(await raw('{"verifiableCredential": {"n": 9007199254740993}}'))).toBe('ERR_PARSE_NUMBER');
  });

  it('a presentation with one good and one tampered credential is refused: none vouches for another', async () => {
    server = await startTestServer({ didDocuments: [orgDoc] });
    const holder = didKeySigner(generateKey());
    const good = await partnerCredential();
    const bad = { ...(await partnerCredential()), name: 'edited after signing' };
    const vp = await signPresentation(
      createPresentation({ verifiableCredential: [good, bad], holder: holder.id.split('#')[0] as string }),
      { signer: holder, created: new Date(), challenge: 'c1', documentLoader: plainLoader },
    );
    const r = await server.call('POST', '/presentations/verify', {
      verifiablePresentation: vp,
      options: { challenge: 'c1' },
    });
    expect([r.status, r.json.checks.at(-1), code(r)]).toEqual([400, 'credentials', 'ERR_PROOF_INVALID']);
    const arrays = await server.call('POST', '/presentations/verify', {
      verifiablePresentation: vp,
      options: { challenge: ['c1'] },
    });
    expect(code(arrays)).toBe('ERR_API_REQUEST');
  });

  it('dates without an offset and a validity window that ends before it starts are refused', async () => {
    server = await startTestServer();
    const local = await server.call('POST', '/credentials/issue', {
      credential: exampleCredential(server.issuer, { validFrom: '2025-01-01T00:00:00' }),
    });
    expect([local.status, code(local)]).toEqual([422, 'ERR_VCDM_INVALID']);
  });
});
