// SPDX-License-Identifier: Apache-2.0
// Enveloped credentials (VC-JOSE-COSE §3.1, VCDM 2.0 §4.13.1): an EnvelopedVerifiableCredential
// whose id is a `data:application/vc+jwt,<compact JWS>` URL; the JWS payload is the credential.
// Issued by signing with the issuer's key (EdDSA for Ed25519, ES256 for P-256), opened by checking
// the JWS with `jose` against the key its `kid` names, listed under assertionMethod by the DID
// that is the credential's issuer.
import { type DidDocument, PassportError, type Signer } from '@agent-passport/core';
import { decodeMultikey, publicKeyObject } from '@agent-passport/did-key';
import { parseJson } from '@agent-passport/strict-json';
import { compactVerify, decodeProtectedHeader } from 'jose';

export const VC_JWT = 'application/vc+jwt';
const PREFIX = `data:${VC_JWT},`;
/** The largest enveloped credential opened (the data: URL). */
export const MAX_ENVELOPE_CHARS = 64 * 1024;
const ALG = { Ed25519: 'EdDSA', 'P-256': 'ES256' } as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalid = (message: string) => new PassportError('ERR_ENVELOPE_INVALID', message);
const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

/** Whether `doc` is an enveloped credential (its type says so). */
export function isEnveloped(doc: unknown): boolean {
  const t = isObject(doc) ? doc['type'] : undefined;
  return (
    t === 'EnvelopedVerifiableCredential' || (Array.isArray(t) && t.includes('EnvelopedVerifiableCredential'))
  );
}

/** Secure `credential` as a vc+jwt signed by `signer`, enveloped in a data: URL. */
export async function envelopeCredential(credential: Json, signer: Signer): Promise<Json> {
  const header = { alg: ALG[signer.algorithm], typ: 'vc+jwt', cty: 'vc', kid: signer.id };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(credential))}`;
  const signature = await signer.sign({ data: new TextEncoder().encode(input) });
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: `${PREFIX}${input}.${b64url(signature)}`,
    type: 'EnvelopedVerifiableCredential',
  };
}

/** The compact JWS inside an enveloped credential, or ERR_ENVELOPE_INVALID. */
function jwsOf(envelope: unknown): string {
  const id = isObject(envelope) ? envelope['id'] : undefined;
  if (typeof id !== 'string' || !id.startsWith(PREFIX))
    throw invalid(`an enveloped credential id is a ${PREFIX}… URL`);
  if (id.length > MAX_ENVELOPE_CHARS)
    throw invalid(`the envelope is longer than ${MAX_ENVELOPE_CHARS} characters`);
  const jws = id.slice(PREFIX.length);
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jws))
    throw invalid('the envelope is not a compact JWS');
  return jws;
}

/**
 * Open an enveloped credential: the JWS verifies with the key its `kid` names, the issuer's
 * (resolved by `resolve`), under assertionMethod. Returns the credential and its issuer's document.
 */
export async function openEnvelope(
  envelope: unknown,
  resolve: (did: string) => Promise<DidDocument>,
): Promise<{ credential: Json; issuerDocument: DidDocument }> {
  const jws = jwsOf(envelope);
  let header: Json;
  try {
    header = decodeProtectedHeader(jws) as Json;
  } catch {
    throw invalid('the JWS header is not valid');
  }
  const { alg, kid } = header;
  if (alg !== 'EdDSA' && alg !== 'ES256')
    throw invalid(`alg ${JSON.stringify(alg)} is not accepted (EdDSA, ES256)`);
  if (header['crit'] !== undefined) throw invalid('no critical header parameter is understood here');
  if (typeof kid !== 'string' || !kid.startsWith('did:') || !kid.includes('#'))
    throw invalid('kid must be the DID URL of the issuer key');
  const did = kid.split('#')[0] as string;
  const controller = await resolve(did);
  const listed = (controller.assertionMethod ?? []).some(
    (m) => m === kid || (isObject(m) && m['id'] === kid),
  );
  const method = (controller.verificationMethod ?? []).find((m) => m.id === kid);
  if (!listed || method === undefined || typeof method.publicKeyMultibase !== 'string')
    throw new PassportError('ERR_ISSUER_KEY', `${kid} is not an assertionMethod key of ${did}`);
  const key = decodeMultikey(method.publicKeyMultibase);
  if (ALG[key.type] !== alg)
    throw new PassportError('ERR_SUITE_KEY_MISMATCH', `${alg} needs another key type than ${kid}`);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, publicKeyObject(key.type, key.publicKey), { algorithms: [alg] }));
  } catch {
    throw new PassportError('ERR_PROOF_INVALID', 'the envelope signature does not verify');
  }
  const credential = parseJson(payload, { maxBytes: MAX_ENVELOPE_CHARS });
  if (!isObject(credential)) throw invalid('the envelope payload is not a credential object');
  const issuer = credential['issuer'];
  if ((isObject(issuer) ? issuer['id'] : issuer) !== did)
    throw new PassportError(
      'ERR_ISSUER_KEY',
      `the envelope is signed by ${did}, not by the credential's issuer`,
    );
  return { credential, issuerDocument: controller };
}
