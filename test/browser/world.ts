// SPDX-License-Identifier: Apache-2.0
// The inputs of the browser run, made on Node (signing happens here, never in the bundle): the
// fixture cases, the W3C vectors with the contexts they need, a trust bundle holding a did:web
// issuer and its status lists with a valid and a revoked passport, a signed request, encoded lists.
import { sign } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONTEXTS } from '@agent-passport/contexts';
import type { DidDocument } from '@agent-passport/core';
import { buildDidDocument } from '@agent-passport/did-web';
import { signRequest } from '@agent-passport/http-signatures';
import { issuePassport, openIssuerState } from '@agent-passport/issuer';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { createSigner, didKeySigner, privateKeyObject } from '@agent-passport/suites';
import { createTrustBundle } from '@agent-passport/trust-bundle';
import { NOW, trust } from '../fixtures/build.js';
import type { FixtureInput, World } from './portable.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');
const json = (path: string) => JSON.parse(readFileSync(join(fixtures, path), 'utf8'));

function didKeyDocument(publicKeyMultibase: string): DidDocument {
  const did = `did:key:${publicKeyMultibase}`;
  const id = `${did}#${publicKeyMultibase}`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [{ id, type: 'Multikey', controller: did, publicKeyMultibase }],
    assertionMethod: [id],
    authentication: [id],
  };
}

function vectors(): World['vectors'] {
  const eddsa = json('vectors/w3c/vc-di-eddsa.json');
  const ecdsa = json('vectors/w3c/vc-di-ecdsa-jcs-2019-p256.json');
  const edController = didKeyDocument(eddsa.keyPair.publicKeyMultibase);
  const edited = structuredClone(eddsa['eddsa-jcs-2022'].signedDocument);
  edited.credentialSubject.alumniOf = 'Another School';
  return [
    { name: 'eddsa-jcs-2022', document: eddsa['eddsa-jcs-2022'].signedDocument, controller: edController },
    { name: 'eddsa-jcs-2022 edited', document: edited, controller: edController },
    { name: 'eddsa-rdfc-2022', document: eddsa['eddsa-rdfc-2022'].signedDocument, controller: edController },
    {
      name: 'ecdsa-jcs-2019 P-256',
      document: ecdsa.signedDocument,
      controller: didKeyDocument(ecdsa.signedDocument.proof.verificationMethod.split('#')[1]),
    },
  ];
}

async function bundle(agent: KeyMaterial): Promise<World['bundle']> {
  const did = 'did:web:acme.example';
  const orgKey = generateKey('P-256');
  const didDocument = buildDidDocument({
    did,
    keys: [{ id: 'key-1', publicKeyMultibase: orgKey.publicKeyMultibase }],
  });
  const issuer = { id: did, signer: createSigner(orgKey, `${did}#key-1`), didDocument };
  const dir = mkdtempSync(join(tmpdir(), 'browser-world-'));
  try {
    const state = openIssuerState(join(dir, 'issuer-state.json'), {
      issuer: did,
      statusBase: 'https://acme.example/status',
    });
    const validUntil = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const passports: Record<string, unknown> = {};
    for (const name of ['valid', 'revoked']) {
      const id = `urn:uuid:${crypto.randomUUID()}`;
      const claims = { id, subject: agent.did, agentName: `agent-${name}`, validUntil };
      const { entries } = await state.allocate({ ...claims, issuedAt: new Date().toISOString() });
      passports[name] = await issuePassport({
        ...claims,
        issuer,
        purpose: 'literature-review',
        scopes: ['read:arxiv'],
        credentialStatus: entries,
      });
      if (name === 'revoked') await state.change({ id }, 'revoke', new Date());
    }
    const operator = generateKey();
    const lists = await state.issueLists({ signer: issuer.signer });
    const made = await createTrustBundle({
      author: { id: operator.did, signer: didKeySigner(operator) },
      issuers: [
        { id: did, didDocument, statusLists: lists.map((l) => l.credential), schema: AGENT_PASSPORT_SCHEMA },
      ],
    });
    return { file: JSON.stringify(made), author: operator.did, passports };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function request(agent: KeyMaterial): Promise<World['request']> {
  const key = privateKeyObject(agent);
  const signed = await signRequest(new Request('https://api.example/notes?x=1', { method: 'GET' }), {
    keyId: agent.did,
    signer: (data) => sign(null, data, key),
  });
  return {
    method: signed.method,
    url: signed.url,
    headers: [...signed.headers],
    publicKeyMultibase: agent.publicKeyMultibase,
  };
}

function encodedLists(): Record<string, string> {
  const example = json('vectors/w3c/bitstring-status-list-examples.json').notes[0].match(/"(u[^"]+)"/)[1];
  const bits = new Uint8Array(16 * 1024);
  bits[12] = 0b1010_0000;
  const gz = gzipSync(bits);
  const badCrc = Uint8Array.from(gz);
  badCrc[gz.length - 6] = (badCrc[gz.length - 6] as number) ^ 1;
  const u = (b: Uint8Array) => `u${Buffer.from(b).toString('base64url')}`;
  return {
    'W3C example': example,
    'two bits set': u(gz),
    'a GZIP bomb': u(gzipSync(new Uint8Array(32 * 1024 * 1024))),
    'a wrong CRC-32': u(badCrc),
    truncated: u(gz.subarray(0, 20)),
  };
}

/** Everything the browser verifies, made once. */
export async function makeWorld(): Promise<World> {
  const agent = generateKey();
  const cases = readdirSync(join(fixtures, 'cases'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => json(join('cases', f)) as FixtureInput);
  const contexts = [
    ...CONTEXTS,
    [
      'https://www.w3.org/ns/credentials/examples/v2',
      { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } },
    ],
  ] as [string, unknown][];
  return {
    now: NOW.toISOString(),
    liveNow: new Date().toISOString(),
    trust,
    cases,
    vectors: vectors(),
    contexts,
    bundle: await bundle(agent),
    request: await request(agent),
    encodedLists: encodedLists(),
  };
}
