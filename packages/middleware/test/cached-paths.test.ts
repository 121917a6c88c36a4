// SPDX-License-Identifier: Apache-2.0
// The fast paths of a request against a known passport, against their reference paths: the memory
// store's synchronous admission (admitNow) against its `admit` and against checkAndSet then
// increment; the verifier's handle for a known passport against its bytes. Every wire-format
// vector and a set of hostile sequences (replays, maxCalls used up, tampered bytes under a genuine
// reference, a full store, a passport pushed out of the verifier's cache, status revoked and the
// passport expired since it was cached) must give the same verdicts and codes on every path.
import { sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassportError } from '@agent-passport/core';
import {
  type AdmissionStore,
  createMemoryStore,
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  passportRef,
  type ReplayStore,
  signRequest,
  type UsageStore,
} from '@agent-passport/http-signatures';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner, privateKeyObject } from '@agent-passport/suites';
import { createVerifier, type PassportVerifier, type VerifierConfig } from '@agent-passport/verifier';
import { describe, expect, it } from 'vitest';
import {
  createRequestVerifier,
  type RequestVerification,
  type RequestVerifierOptions,
} from '../src/index.js';

type Store = ReplayStore & UsageStore;

/** The store without `admitNow`: `admit`, awaited. */
const asyncAdmit = (store: ReturnType<typeof createMemoryStore>): Store & AdmissionStore => ({
  checkAndSet: (key, window) => store.checkAndSet(key, window),
  increment: (key, limit, ttl) => store.increment(key, limit, ttl),
  admit: (key, window, counters) => store.admit(key, window, counters),
});
/** The store asked one call after another. */
const oneByOne = (store: ReturnType<typeof createMemoryStore>): Store => ({
  checkAndSet: (key, window) => store.checkAndSet(key, window),
  increment: (key, limit, ttl) => store.increment(key, limit, ttl),
});
/** The verifier without handles: the request verifier then hands it the bytes every time. */
const bytesOnly = (verifier: PassportVerifier): PassportVerifier => ({
  verifyCredential: (input, options) => verifier.verifyCredential(input, options),
  verifyPresentation: (input, options) => verifier.verifyPresentation(input, options),
});

const PATHS = {
  sync: { store: (s: ReturnType<typeof createMemoryStore>): Store => s, handles: true },
  'async admit': { store: asyncAdmit, handles: true },
  'one by one': { store: oneByOne, handles: true },
  'bytes, no handles': { store: (s: ReturnType<typeof createMemoryStore>): Store => s, handles: false },
} as const;

type Options = Omit<RequestVerifierOptions, 'verifier' | 'store'>;
/** One request verifier per path, each with its own verifier and store, all on one clock. */
function paths(config: VerifierConfig, clock: () => Date, options: Options = {}, maxEntries?: number) {
  return Object.entries(PATHS).map(([name, path]) => {
    const verifier = createVerifier({ clock, ...config });
    const store = createMemoryStore({ now: () => clock().getTime(), ...(maxEntries ? { maxEntries } : {}) });
    return {
      name,
      verifier: createRequestVerifier({
        verifier: path.handles ? verifier : bytesOnly(verifier),
        store: path.store(store),
        clock,
        ...options,
      }),
    };
  });
}

const seen = (r: RequestVerification) => ({
  verified: r.verified,
  checks: r.checks,
  errors: r.errors,
  agent: r.agent,
  keyId: r.keyId,
  nonce: r.nonce,
  passportRef: r.passportRef,
});
/** Verdicts and codes (a full store fails at `replay` in one step, at `usage` one call at a time). */
const verdict = (r: RequestVerification) => ({ verified: r.verified, codes: r.errors.map((e) => e.code) });

/** Each request through every path: the same verdicts and codes; the same checks unless `loose`. */
async function same(
  all: ReturnType<typeof paths>,
  requests: readonly (Request | (() => Promise<Request>))[],
  loose = false,
): Promise<string[]> {
  const codes = [];
  for (const [i, made] of requests.entries()) {
    const request = typeof made === 'function' ? await made() : made;
    const results = [];
    for (const p of all) results.push(await p.verifier.verifyRequest(request.clone()));
    const [sync, asyncAdmit] = results as [RequestVerification, RequestVerification];
    expect(seen(asyncAdmit), `request ${i}`).toEqual(seen(sync));
    for (const [j, r] of results.entries())
      expect(loose ? verdict(r) : seen(r), `request ${i}, ${all[j]?.name}`).toEqual(
        loose ? verdict(sync) : seen(sync),
      );
    codes.push(sync.errors[0]?.code ?? 'ok');
  }
  return codes;
}

interface VectorStep {
  readonly request: { method: string; url: string; headers: Record<string, string>; body?: string };
}
const vectors = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../fixtures/vectors/agent-passport/requests.json'), 'utf8'),
) as {
  verifier: { now: string; trustedIssuers: never[]; skewSeconds: number };
  vectors: { name: string; steps: VectorStep[] }[];
};

describe('every wire-format vector, step by step, on every path', () => {
  for (const vector of vectors.vectors)
    it(vector.name, async () => {
      const { now, trustedIssuers, skewSeconds } = vectors.verifier;
      const all = paths({ trustedIssuers }, () => new Date(now), { maxSkewSeconds: skewSeconds });
      await same(
        all,
        vector.steps.map(({ request: { method, url, headers, body } }) => {
          return new Request(url, { method, headers, ...(body === undefined ? {} : { body }) });
        }),
      );
    });
});

describe('hostile sequences on every path', () => {
  const ORIGIN = 'https://api.example';
  const org = generateKey();
  const agent = generateKey();
  const agentKey = privateKeyObject(agent);
  const signer = (data: Uint8Array) => new Uint8Array(sign(null, data, agentKey));
  const config = { trustedIssuers: [org.did], origin: ORIGIN };
  const UTF8 = new TextEncoder();
  const passportWith = async (extra: Record<string, unknown> = {}) => {
    const passport = await issuePassport({
      issuer: { id: org.did, signer: didKeySigner(org) },
      subject: agent.did,
      agentName: 'cached-paths',
      purpose: 'testing',
      scopes: ['read:notes'],
      validUntil: new Date(Date.now() + 3_600_000),
      ...extra,
    });
    const bytes = UTF8.encode(JSON.stringify(passport));
    return { passport, bytes, ref: passportRef(bytes) };
  };
  const at = (clock: () => Date) => Math.floor(clock().getTime() / 1000);
  const inline = (bytes: Uint8Array, clock = () => new Date(), extra: Record<string, string> = {}) =>
    signRequest(new Request(`${ORIGIN}/notes`), {
      keyId: `${agent.did}#${agent.publicKeyMultibase}`,
      signer,
      created: at(clock),
      extraHeaders: { [PASSPORT_HEADER]: Buffer.from(bytes).toString('base64url'), ...extra },
    });
  const compact =
    (ref: string, clock = () => new Date()) =>
    () =>
      signRequest(new Request(`${ORIGIN}/notes`), { keyId: ref, signer, created: at(clock) });
  const byRefHeader = (ref: string) => () =>
    signRequest(new Request(`${ORIGIN}/notes`), {
      keyId: `${agent.did}#${agent.publicKeyMultibase}`,
      signer,
      extraHeaders: { [PASSPORT_REF_HEADER]: ref },
    });

  it('replays, maxCalls used up, the compact and reference forms, tampered bytes under a genuine reference', async () => {
    const { passport, bytes, ref } = await passportWith({ maxCalls: 4 });
    const first = await inline(bytes);
    const text = JSON.stringify(passport).replace('"cached-paths"', '"cached-pathZ"');
    const tampered = () => inline(UTF8.encode(text), undefined, { [PASSPORT_REF_HEADER]: ref });
    const codes = await same(
      paths(config, () => new Date()),
      [first, first, compact(ref), byRefHeader(ref), tampered, compact(ref), compact(ref), first],
    );
    expect(codes).toEqual([
      'ok',
      'ERR_REPLAY',
      'ok',
      'ok',
      'ERR_PASSPORT_REF_MISMATCH',
      'ok',
      'ERR_USAGE_EXCEEDED',
      'ERR_REPLAY',
    ]);
  });

  it('a resolver that answers a genuine reference with other bytes: refused on every path', async () => {
    const genuine = await passportWith();
    const other = await passportWith({ agentName: 'someone-else' });
    const resolvePassportRef = () => other.bytes;
    const codes = await same(
      paths(config, () => new Date(), { resolvePassportRef }),
      [compact(genuine.ref), byRefHeader(genuine.ref)],
    );
    expect(codes).toEqual(['ERR_PASSPORT_REF_MISMATCH', 'ERR_PASSPORT_REF_MISMATCH']);
  });

  it('a full store: the same verdicts and codes (one step fails at replay, one by one at usage)', async () => {
    const a = await passportWith({ maxCalls: 10 });
    const b = await passportWith({ maxCalls: 10, agentName: 'second' });
    const codes = await same(
      paths(config, () => new Date(), {}, 3),
      [() => inline(a.bytes), compact(a.ref), () => inline(b.bytes), compact(a.ref)],
      true,
    );
    expect(codes).toEqual(['ok', 'ok', 'ERR_STORE_FULL', 'ERR_STORE_FULL']);
  });

  it("passports pushed out of the verifier's cache are verified again from the handle's bytes", async () => {
    const a = await passportWith({ maxCalls: 10 });
    const b = await passportWith({ maxCalls: 10, agentName: 'second' });
    const all = paths({ ...config, cacheSize: 1 }, () => new Date());
    const codes = await same(all, [
      () => inline(a.bytes),
      () => inline(b.bytes),
      compact(a.ref),
      compact(b.ref),
      compact(a.ref),
    ]);
    expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('status revoked, then the passport expired, since it was cached', async () => {
    let revoked = false;
    const checkStatus = async () => {
      if (revoked) throw new PassportError('ERR_REVOKED', 'revoked since it was cached');
    };
    let now = new Date();
    const clock = () => now;
    const { bytes, ref } = await passportWith({
      validUntil: new Date(now.getTime() + 600_000),
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '7',
        statusListCredential: 'https://acme.example/status/1',
      },
    });
    const all = paths({ ...config, checkStatus }, clock);
    expect(await same(all, [() => inline(bytes, clock), compact(ref, clock)])).toEqual(['ok', 'ok']);
    revoked = true;
    expect(await same(all, [compact(ref, clock), byRefHeader(ref)])).toEqual(['ERR_REVOKED', 'ERR_REVOKED']);
    revoked = false;
    now = new Date(now.getTime() + 700_000);
    expect(await same(all, [compact(ref, clock)])).toEqual(['ERR_EXPIRED']);
  });
});
