import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDidDocument } from '@agent-passport/did-web';
import { issuePassport, openIssuerState } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { createSigner, didKeySigner } from '@agent-passport/suites';
import { createTrustBundle, verifyTrustBundle } from '@agent-passport/trust-bundle';
import { createVerifier } from '@agent-passport/verifier';

// The issuer: a did:web, its key, and its state (status indexes, revocations) in a file.
const did = 'did:web:acme.example';
const orgKey = generateKey();
const didDocument = buildDidDocument({
  did,
  keys: [{ id: 'key-1', publicKeyMultibase: orgKey.publicKeyMultibase }],
});
const issuer = { id: did, signer: createSigner(orgKey, `${did}#key-1`), didDocument };
const state = openIssuerState(join(mkdtempSync(join(tmpdir(), 'acme-')), 'issuer-state.json'), {
  issuer: did,
  statusBase: 'https://acme.example/status',
});

// Reserve a status index durably, issue the passport with its entries, then revoke it.
const agent = generateKey();
const id = `urn:uuid:${crypto.randomUUID()}`;
const validUntil = new Date(Date.now() + 30 * 86_400_000).toISOString();
const { entries } = await state.allocate({
  id,
  subject: agent.did,
  agentName: 'research-12',
  issuedAt: new Date().toISOString(),
  validUntil,
});
const passport = await issuePassport({
  id,
  issuer,
  subject: agent.did,
  agentName: 'research-12',
  purpose: 'literature-review',
  scopes: ['read:arxiv'],
  validUntil,
  credentialStatus: entries,
});
await state.change({ id }, 'revoke', new Date());

// The verifier's operator bundles the issuer (DID document, signed lists, schema) and signs it.
const operator = generateKey();
const lists = await state.issueLists({ signer: issuer.signer });
const bundle = await createTrustBundle({
  author: { id: operator.did, signer: didKeySigner(operator) },
  issuers: [
    { id: did, didDocument, statusLists: lists.map((l) => l.credential), schema: AGENT_PASSPORT_SCHEMA },
  ],
});

// Offline: the verifier pins the operator's key and trusts exactly what the bundle holds.
const trust = await verifyTrustBundle(bundle, { authors: [operator.did] });
const verifier = createVerifier({ ...trust.verifierConfig({ statusMaxAgeSeconds: 3600 }) });
const result = await verifier.verifyCredential(passport);
console.log(result.errors); // [{ code: 'ERR_REVOKED', message: 'revoked (https://acme.example/status/revocation/1 index …)' }]

export { result };
