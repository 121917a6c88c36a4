// SPDX-License-Identifier: Apache-2.0
// The wire-format test vectors (docs/wire-format.md): keys from fixed seeds, the passport and a
// presentation with their canonical forms, signed requests with the exact signature base, headers
// and signature, and broken variants with the verdict and code a verifier must give. Everything is
// made by the toolkit itself (Ed25519 is deterministic; created and nonces are pinned), so
// `UPDATE_VECTORS=1` rebuilds fixtures/vectors/agent-passport byte for byte.
import { createHash } from 'node:crypto';
import { createDocumentLoader } from '@agent-passport/contexts';
import type { ErrorCode } from '@agent-passport/core';
import { passportRef, signRequest } from '@agent-passport/http-signatures';
import { createPresentation } from '@agent-passport/issuer';
import { canonicalize } from '@agent-passport/strict-json';
import { createSigner, signPresentation, createPresentation as wrap } from '@agent-passport/suites';
import {
  buildFixtures,
  CHALLENGE,
  DOMAIN,
  fixtureSeed,
  ISSUER_DID,
  issuerDocument,
  keys,
  NOW,
} from '../fixtures/build.js';

export const ORIGIN = 'https://api.service.example';
export const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
/** The verifier every vector assumes. */
export const VERIFIER = {
  now: NOW.toISOString(),
  trustedIssuers: [{ id: ISSUER_DID, didDocument: issuerDocument }],
  origin: ORIGIN,
  maxAgeSeconds: 300,
  skewSeconds: 30,
  maxSkewSeconds: 60,
  requiredTag: 'agent-passport',
};

type Json = Record<string, unknown>;
type Expect = { verified: true } | { verified: false; check: string; code: ErrorCode };

export interface WireRequest {
  readonly method: string;
  readonly url: string;
  /** Every header as sent, lower-case names, in the order they were set. */
  readonly headers: Record<string, string>;
  /** The body as UTF-8 text, when there is one. */
  readonly body?: string;
}

export interface RequestStep {
  readonly request: WireRequest;
  /** What the agent signed (absent for requests altered after signing or not signed at all). */
  readonly signed?: { readonly signatureBase: string; readonly signatureHex: string; readonly seed: string };
  readonly expect: Expect;
}

export interface RequestVector {
  readonly name: string;
  readonly description: string;
  /** Run in order against one fresh verifier (a verifier remembers passports and nonces). */
  readonly steps: readonly RequestStep[];
}

export interface PresentationVector {
  readonly name: string;
  readonly description: string;
  readonly presentation: Json;
  readonly options: { challenge: string; domain?: string };
  readonly now?: string;
  readonly expect: Expect;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const agentKeyId = `${keys.agent.did}#${keys.agent.multibase}`;
const attackerKeyId = `${keys.attacker.did}#${keys.attacker.multibase}`;

/** A raw signer that also records what it signed. */
function recorder(key: typeof keys.agent) {
  const signer = createSigner(key.key, 'did:key:recorder#k');
  const seen: { base?: string; signature?: Uint8Array } = {};
  const sign = async (data: Uint8Array) => {
    const signature = await signer.sign({ data });
    seen.base = new TextDecoder().decode(data);
    seen.signature = signature;
    return signature;
  };
  return { sign, seen };
}

async function wire(request: Request): Promise<WireRequest> {
  const body = request.body === null ? undefined : await request.text();
  return {
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(request.headers),
    ...(body === undefined ? {} : { body }),
  };
}

interface SignSpec {
  readonly method?: string;
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  readonly key?: typeof keys.agent;
  readonly keyId?: string;
  readonly nonce: string;
  readonly created?: number;
  readonly form: 'inline' | 'compact' | 'ref-header' | 'none';
  readonly components?: string[];
  readonly tag?: string;
  readonly includeAlg?: boolean;
}

async function signed(
  spec: SignSpec,
  passport: Uint8Array,
): Promise<{ request: WireRequest; signed: RequestStep['signed'] }> {
  const key = spec.key ?? keys.agent;
  const { sign, seen } = recorder(key);
  const inline = Buffer.from(passport).toString('base64url');
  const extraHeaders =
    spec.form === 'inline'
      ? { 'agent-passport': inline }
      : spec.form === 'ref-header'
        ? { 'agent-passport-ref': passportRef(passport) }
        : undefined;
  const request = await signRequest(
    new Request(`${ORIGIN}${spec.path}`, {
      method: spec.method ?? 'GET',
      ...(spec.headers === undefined ? {} : { headers: spec.headers }),
      ...(spec.body === undefined ? {} : { body: spec.body }),
    }),
    {
      keyId: spec.keyId ?? (spec.form === 'compact' ? passportRef(passport) : `${key.did}#${key.multibase}`),
      signer: sign,
      created: spec.created ?? NOW_SECONDS,
      nonce: spec.nonce,
      ...(extraHeaders === undefined ? {} : { extraHeaders }),
      ...(spec.components === undefined ? {} : { components: spec.components }),
      ...(spec.tag === undefined ? {} : { tag: spec.tag }),
      ...(spec.includeAlg === true ? { includeAlg: true } : {}),
    },
  );
  return {
    request: await wire(request),
    signed: {
      signatureBase: seen.base as string,
      signatureHex: hex(seen.signature as Uint8Array),
      seed: hex(key.key.secretKey),
    },
  };
}

const ok: Expect = { verified: true };
const no = (check: string, code: ErrorCode): Expect => ({ verified: false, check, code });

function alter(
  step: { request: WireRequest },
  change: Partial<WireRequest>,
  drop: string[] = [],
): { request: WireRequest } {
  const headers = { ...step.request.headers, ...(change.headers ?? {}) };
  for (const h of drop) delete headers[h];
  return { request: { ...step.request, ...change, headers } };
}

async function requestVectors(bytes: Uint8Array): Promise<RequestVector[]> {
  const s = (spec: SignSpec) => signed(spec, bytes);
  const getInline = await s({ path: '/v1/notes?limit=10', nonce: 'nonce-get-inline-0001', form: 'inline' });
  const post = await s({
    method: 'POST',
    path: '/v1/notes',
    headers: { 'content-type': 'application/json' },
    body: '{"title":"hello","tags":["a","b"]}',
    nonce: 'nonce-post-inline-0002',
    form: 'inline',
  });
  const compact = await s({ path: '/v1/notes/42', nonce: 'nonce-get-compact-0003', form: 'compact' });
  const refHeader = await s({ path: '/v1/notes/43', nonce: 'nonce-get-refhdr-0004', form: 'ref-header' });
  const v = (name: string, description: string, ...steps: RequestStep[]): RequestVector => ({
    name,
    description,
    steps,
  });
  const step = (
    r: { request: WireRequest; signed?: RequestStep['signed'] },
    expect: Expect,
  ): RequestStep => ({
    request: r.request,
    ...(r.signed === undefined ? {} : { signed: r.signed }),
    expect,
  });
  return [
    v('get-inline', 'GET with the passport inline (first contact): accepted', step(getInline, ok)),
    v('post-inline', 'POST with a JSON body, its Content-Digest covered: accepted', step(post, ok)),
    v(
      'compact-after-first-contact',
      'the passport inline once, then the compact form (keyid = passport reference): both accepted',
      step(getInline, ok),
      step(compact, ok),
    ),
    v(
      'ref-header-after-first-contact',
      'the passport inline once, then the agent-passport-ref header (covered) with the agent key: accepted',
      step(getInline, ok),
      step(refHeader, ok),
    ),
    v(
      'compact-unknown',
      'the compact form to a verifier that has not seen the passport',
      step(compact, no('signature', 'ERR_PASSPORT_UNKNOWN')),
    ),
    v(
      'ref-header-unknown',
      'the reference header to a verifier that has not seen the passport',
      step(refHeader, no('passport', 'ERR_PASSPORT_UNKNOWN')),
    ),
    v(
      'replay',
      'the same signed request twice: the second is a replay',
      step(getInline, ok),
      step(getInline, no('replay', 'ERR_REPLAY')),
    ),
    v(
      'body-tampered',
      'the body changed after signing',
      step(alter(post, { body: '{"title":"HELLO","tags":["a","b"]}' }), no('body', 'ERR_DIGEST_MISMATCH')),
    ),
    v(
      'body-stripped',
      'the body removed in transit, its covered Content-Digest kept',
      step(alter(post, { body: '' }), no('body', 'ERR_DIGEST_MISMATCH')),
    ),
    v(
      'digest-dropped',
      'a body whose Content-Digest header was removed',
      step(alter(post, {}, ['content-digest']), no('signature', 'ERR_SIG_COMPONENT_MISSING')),
    ),
    v(
      'method-changed',
      'signed as GET, sent as DELETE',
      step(alter(getInline, { method: 'DELETE' }), no('signature', 'ERR_SIG_INVALID')),
    ),
    v(
      'target-changed',
      'signed for one path, sent to another',
      step(alter(getInline, { url: `${ORIGIN}/v1/admin?limit=10` }), no('signature', 'ERR_SIG_INVALID')),
    ),
    v(
      'query-changed',
      'the query changed after signing',
      step(alter(getInline, { url: `${ORIGIN}/v1/notes?limit=1000` }), no('signature', 'ERR_SIG_INVALID')),
    ),
    v(
      'signature-missing',
      'Signature and Signature-Input removed',
      step(alter(getInline, {}, ['signature', 'signature-input']), no('signature', 'ERR_SIG_MISSING')),
    ),
    v(
      'signature-garbled',
      'Signature-Input is not a structured-field dictionary',
      step(
        alter(getInline, { headers: { 'signature-input': 'sig1=(' } }),
        no('signature', 'ERR_SIG_MALFORMED'),
      ),
    ),
    v(
      'expired',
      'created 400 s before the verifier clock (window 300 s)',
      step(
        await s({ path: '/v1/notes', nonce: 'nonce-old-0005', form: 'inline', created: NOW_SECONDS - 400 }),
        no('signature', 'ERR_SIG_EXPIRED'),
      ),
    ),
    v(
      'from-the-future',
      'created 120 s after the verifier clock (skew 30 s)',
      step(
        await s({
          path: '/v1/notes',
          nonce: 'nonce-future-0006',
          form: 'inline',
          created: NOW_SECONDS + 120,
        }),
        no('signature', 'ERR_SIG_NOT_YET_VALID'),
      ),
    ),
    v(
      'wrong-tag',
      'tag "web-bot-auth" where "agent-passport" is required',
      step(
        await s({ path: '/v1/notes', nonce: 'nonce-tag-0007', form: 'inline', tag: 'web-bot-auth' }),
        no('signature', 'ERR_SIG_TAG'),
      ),
    ),
    v(
      'empty-nonce',
      'an empty nonce',
      step(
        await s({ path: '/v1/notes', nonce: '', form: 'inline' }),
        no('signature', 'ERR_SIG_NONCE_MISSING'),
      ),
    ),
    v(
      'passport-not-covered',
      'the passport header sent but not covered',
      step(
        await s({
          path: '/v1/notes',
          nonce: 'nonce-uncovered-0008',
          form: 'inline',
          components: ['@method', '@target-uri'],
        }),
        no('signature', 'ERR_SIG_COMPONENT_MISSING'),
      ),
    ),
    v(
      'with-alg',
      'alg="ed25519" given explicitly: accepted',
      step(await s({ path: '/v1/notes', nonce: 'nonce-alg-0009', form: 'inline', includeAlg: true }), ok),
    ),
    v(
      'no-passport',
      'signed by the agent key, no passport and no reference',
      step(
        await s({ path: '/v1/notes', nonce: 'nonce-nopass-0010', form: 'none' }),
        no('passport', 'ERR_PASSPORT_MISSING'),
      ),
    ),
    v(
      'not-the-holder',
      "another key signs and sends the agent's passport",
      step(
        await s({
          path: '/v1/notes',
          nonce: 'nonce-attacker-0011',
          form: 'inline',
          key: keys.attacker,
          keyId: attackerKeyId,
        }),
        no('holder', 'ERR_HOLDER_MISMATCH'),
      ),
    ),
    v(
      'key-unknown',
      'a keyid that is not a did:key verification method',
      step(
        await s({
          path: '/v1/notes',
          nonce: 'nonce-keyid-0012',
          form: 'inline',
          keyId: 'https://keys.example/agent',
        }),
        no('signature', 'ERR_SIG_KEY_UNKNOWN'),
      ),
    ),
  ];
}

async function presentationVectors(passport: Json): Promise<PresentationVector[]> {
  const agent = createSigner(keys.agent.key, agentKeyId);
  const attacker = createSigner(keys.attacker.key, attackerKeyId);
  const present = (p: Json, signer = agent) =>
    createPresentation({
      passport: p as never,
      signer,
      challenge: CHALLENGE,
      domain: DOMAIN,
      now: NOW,
    }) as unknown as Promise<Json>;
  const vp = await present(passport);
  const options = { challenge: CHALLENGE, domain: DOMAIN };
  const tamperedScopes = structuredClone(vp) as Json;
  ((tamperedScopes['verifiableCredential'] as Json[])[0]?.['credentialSubject'] as Json)['scopes'] = ['*:*'];
  const tamperedProof = structuredClone(vp) as Json;
  (tamperedProof['proof'] as Json)['created'] = '2026-06-01T12:00:01Z';
  const p = (
    name: string,
    description: string,
    presentation: Json,
    expect: Expect,
    extra: Partial<PresentationVector> = {},
  ) => ({ name, description, presentation, options, expect, ...extra }) as PresentationVector;
  return [
    p('valid', 'the agent presents its passport for the challenge and domain', vp, ok),
    p('wrong-challenge', 'verified against another challenge', vp, no('holder', 'ERR_CHALLENGE_MISMATCH'), {
      options: { challenge: 'another-challenge', domain: DOMAIN },
    }),
    p('wrong-domain', 'verified by another domain', vp, no('holder', 'ERR_DOMAIN_MISMATCH'), {
      options: { challenge: CHALLENGE, domain: 'other.example' },
    }),
    p(
      'proof-tampered',
      'the presentation proof created time changed after signing',
      tamperedProof,
      no('holder', 'ERR_PROOF_INVALID'),
    ),
    p(
      'passport-tampered',
      'the embedded passport scopes widened after issuing',
      tamperedScopes,
      no('issuer-proof', 'ERR_PROOF_INVALID'),
    ),
    p(
      'not-the-holder',
      "the attacker's key signs a presentation of the agent's passport",
      await attackerPresentation(vp, attacker),
      no('holder', 'ERR_HOLDER_MISMATCH'),
    ),
    p('expired', 'verified after the passport validUntil', vp, no('validity', 'ERR_EXPIRED'), {
      now: '2026-09-01T00:00:00Z',
    }),
  ];
}

/** A presentation of the agent's passport, signed by another key (the issuer tool refuses to make one). */
async function attackerPresentation(vp: Json, attacker: ReturnType<typeof createSigner>): Promise<Json> {
  const unsigned = wrap({
    verifiableCredential: vp['verifiableCredential'] as Json[],
    holder: vp['holder'] as string,
  });
  return signPresentation(unsigned, {
    signer: attacker,
    created: NOW,
    challenge: CHALLENGE,
    domain: DOMAIN,
    documentLoader: createDocumentLoader(),
  });
}

/** How the presentation's proof is computed (eddsa-jcs-2022 §3.3), for implementers to check against. */
function proofInputs(vp: Json) {
  const { proof, ...unsecured } = vp;
  const { proofValue: _value, ...options } = proof as Json;
  const sha = (s: string) => createHash('sha256').update(s).digest();
  const canonicalProofOptions = canonicalize(options);
  const canonicalDocument = canonicalize(unsecured);
  return {
    canonicalProofOptions,
    canonicalDocument,
    hashDataHex: Buffer.concat([sha(canonicalProofOptions), sha(canonicalDocument)]).toString('hex'),
  };
}

const keyEntry = (k: typeof keys.agent, label: string) => ({
  seedHex: hex(k.key.secretKey),
  seedLabel: `agent-passport fixture key: ${label}`,
  publicKeyHex: hex(k.publicKey),
  publicKeyMultibase: k.multibase,
  did: k.did,
  verificationMethod: `${k.did}#${k.multibase}`,
});

/** Every vector file: name → JSON value. */
export async function buildVectors(): Promise<Record<string, unknown>> {
  const { passport } = await buildFixtures();
  const bytes = new TextEncoder().encode(JSON.stringify(passport));
  const presentations = await presentationVectors(passport);
  const valid = presentations[0]?.presentation as Json;
  if (hex(fixtureSeed('agent')) !== hex(keys.agent.key.secretKey)) throw new Error('seed derivation changed');
  return {
    'keys.json': {
      description: 'Ed25519 keys from fixed seeds: seed = SHA-256 of the UTF-8 seedLabel. Test keys only.',
      issuer: {
        ...keyEntry(keys.issuer, 'issuer'),
        verificationMethod: `${ISSUER_DID}#key-1`,
        did: ISSUER_DID,
      },
      agent: keyEntry(keys.agent, 'agent'),
      attacker: keyEntry(keys.attacker, 'attacker'),
      issuerDidDocument: issuerDocument,
    },
    'passport.json': {
      description:
        'The passport: its exact bytes (what the agent-passport header carries, base64url) and its reference.',
      passport,
      bytesBase64url: Buffer.from(bytes).toString('base64url'),
      ref: passportRef(bytes),
      canonical: canonicalize(passport),
    },
    'presentations.json': {
      description: 'Presentations (eddsa-jcs-2022, authentication) and the verdict a verifier must give.',
      verifier: VERIFIER,
      proofInputs: proofInputs(valid),
      vectors: presentations,
    },
    'requests.json': {
      description:
        "Signed requests (RFC 9421 profile): run each vector's steps in order against one fresh verifier.",
      verifier: VERIFIER,
      vectors: await requestVectors(bytes),
    },
  };
}
