import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveDidKey } from '@agent-passport/did-key';
import { generateKey } from '@agent-passport/keystore';
import { createVcApi } from '@agent-passport/server';
import { didKeySigner } from '@agent-passport/suites';

// The issuer: a did:key here; in production the organisation's did:web, its signer and document.
const signer = didKeySigner(generateKey());
const did = signer.id.slice(0, signer.id.indexOf('#'));
const token = 'a-long-random-operator-token';

const server = createServer();
await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const api = createVcApi({
  issuer: { did, signer, didDocument: resolveDidKey(did) },
  publicUrl: origin, // https (startVcApiServer, or behind TLS): credentials then carry status entries
  operatorToken: token,
});
server.on('request', api.handle);

const post = (path: string, body: unknown, auth?: string) =>
  fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: JSON.stringify(body),
  });
const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential'],
  issuer: did,
  credentialSubject: { id: 'did:example:alice' },
};
const issued = await post('/credentials/issue', { credential }, token); // 201 {verifiableCredential}
const result = await (await post('/credentials/verify', await issued.json())).json(); // {verified: true, …}
server.close();
console.log(result); // { verified: true, checks: [ 'dataModel', 'proof', 'validity', 'credentialStatus' ], warnings: [], errors: [] }

export { result };
