// SPDX-License-Identifier: Apache-2.0
// Attacker tests (issue 20), each asserting its code, over real HTTP on 127.0.0.1: a relay, a
// replayed or expired challenge, impostor and unbound answers, a site asking for a bare signature,
// proof of work below the difficulty.
import { PassportError } from '@agent-passport/core';
import { buildDidDocument } from '@agent-passport/did-web';
import { signRequest, signResponse } from '@agent-passport/http-signatures';
import { createPresentation } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, verifySite } from '../src/agent.js';
import { powBits } from '../src/index.js';
import { createLoginSite, toNodeHandler } from '../src/site.js';
import {
  agent,
  agentSigner,
  newExchange,
  passportFor,
  post,
  type RunningSite,
  rawSigner,
  SITE_DID,
  secret,
  serve,
  signedPost,
  siteDocument,
  siteKey,
  startSite,
  verifier,
} from './world.js';

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return e instanceof PassportError ? e.code : String(e);
  }
};
const exchangeUrl = (url: string, xid: string) => `${url}/workflows/agent-login/exchanges/${xid}`;
type Vpr = { verifiablePresentationRequest: { challenge: string; domain: string } };

let s: RunningSite;
let offset = 0;
beforeAll(async () => {
  s = await startSite({ clock: () => new Date(Date.now() + offset) });
});
afterAll(() => s.close());

/** Steps 2–4 by hand: the presentation request, and a presentation over its challenge. */
async function presentationFor(url: string, xid: string, domain = url) {
  const vpr = await post(await signedPost(agent, exchangeUrl(url, xid), {}));
  const { challenge } = (vpr.json as Vpr).verifiablePresentationRequest;
  return createPresentation({ passport: await passportFor(agent), signer: agentSigner, challenge, domain });
}

describe('challenges', () => {
  it('a challenge used twice: ERR_LOGIN_CHALLENGE_USED; the same signed request twice: ERR_REPLAY', async () => {
    const xid = await newExchange(s.url);
    const vp = await presentationFor(s.url, xid);
    const first = await signedPost(agent, exchangeUrl(s.url, xid), { verifiablePresentation: vp });
    const again = first.clone();
    expect((await post(first)).status).toBe(201);
    expect((await post(again)).json.code).toBe('ERR_REPLAY');
    const second = await post(
      await signedPost(agent, exchangeUrl(s.url, xid), { verifiablePresentation: vp }),
    );
    expect(second.status).toBe(409);
    expect(second.json.code).toBe('ERR_LOGIN_CHALLENGE_USED');
  });

  it('an expired exchange: ERR_LOGIN_EXCHANGE_EXPIRED; a forged one: ERR_LOGIN_EXCHANGE_UNKNOWN', async () => {
    const xid = await newExchange(s.url);
    offset = 121_000;
    try {
      // Two minutes later for both: the agent signs as of then.
      const later = Math.floor((Date.now() + offset) / 1000);
      const r = await post(await signedPost(agent, exchangeUrl(s.url, xid), {}, {}, later));
      expect(r.json.code).toBe('ERR_LOGIN_EXCHANGE_EXPIRED');
      expect(r.status).toBe(410);
      expect(r.json.code).toBe('ERR_LOGIN_EXCHANGE_EXPIRED');
    } finally {
      offset = 0;
    }
    const [rand, exp] = xid.split('.');
    const forged = `${rand}.${Number(exp) + 3600}.${'A'.repeat(43)}`;
    const r = await post(await signedPost(agent, exchangeUrl(s.url, forged), {}));
    expect(r.status).toBe(404);
    expect(r.json.code).toBe('ERR_LOGIN_EXCHANGE_UNKNOWN');
  });

  it("a presentation whose domain is not the site's origin: ERR_DOMAIN_MISMATCH", async () => {
    const xid = await newExchange(s.url);
    const vp = await presentationFor(s.url, xid, 'http://evil.example');
    const r = await post(await signedPost(agent, exchangeUrl(s.url, xid), { verifiablePresentation: vp }));
    expect(r.json.code).toBe('ERR_DOMAIN_MISMATCH');
  });
});

describe('a relay: a malicious site forwards the real site’s exchange', () => {
  it('the agent binds the domain to the origin it connected to: the real site refuses (ERR_DOMAIN_MISMATCH)', async () => {
    // M is a site the agent trusts for M (its own did:web, its own key): it is not the real site.
    const mKey = generateKey();
    const mAgent = generateKey();
    const M_DID = 'did:web:m.example';
    const mDoc = buildDidDocument({
      did: M_DID,
      keys: [{ publicKeyMultibase: mKey.publicKeyMultibase, purposes: ['authentication'] }],
    });
    let realXid = '';
    let realRequest: Vpr | undefined;
    let realAnswer: { status: number; json: Record<string, unknown> } | undefined;
    let relayedVp: { proof: { domain: string } } | undefined;
    const m = await serve(() =>
      toNodeHandler(async (request) => {
        if (new URL(request.url).pathname.endsWith('/exchanges'))
          return Response.json({ exchangeId: 'x' }, { status: 201 });
        const body = (await request.clone().json()) as Record<string, unknown>;
        let out: { status: number; json: Record<string, unknown> };
        if (!('verifiablePresentation' in body)) {
          realXid = await newExchange(s.url);
          out = await post(await signedPost(mAgent, exchangeUrl(s.url, realXid), {}));
          realRequest = out.json as Vpr;
        } else {
          relayedVp = body['verifiablePresentation'] as typeof relayedVp;
          realAnswer = await post(await signedPost(mAgent, exchangeUrl(s.url, realXid), body));
          out = realAnswer;
        }
        return signResponse(Response.json(out.json, { status: out.status }), request, {
          keyId: `${M_DID}#key-1`,
          signer: rawSigner(mKey),
        });
      }),
    );
    try {
      const code = await codeOf(
        login(`${m.url}/workflows/agent-login`, {
          key: agent,
          passport: await passportFor(agent),
          siteDocument: mDoc,
        }),
      );
      expect(code).toBe('ERR_LOGIN_REFUSED');
      // M handed on the real site's challenge and domain; the agent signed M's origin instead.
      expect(realRequest?.verifiablePresentationRequest.domain).toBe(s.url);
      expect(relayedVp?.proof.domain).toBe(m.url);
      expect(realAnswer?.json['code']).toBe('ERR_DOMAIN_MISMATCH');
    } finally {
      await m.close();
    }
  });
});

describe('the site proves itself first: a site that cannot gets nothing', () => {
  /** A site answering as `make` says; records what it received. */
  async function fakeSite(make: (request: Request, body: Record<string, unknown>) => Promise<Response>) {
    const seen: Record<string, unknown>[] = [];
    const running = await serve(() =>
      toNodeHandler(async (request) => {
        if (new URL(request.url).pathname.endsWith('/exchanges'))
          return Response.json({ exchangeId: 'x' }, { status: 201 });
        const body = (await request.clone().json()) as Record<string, unknown>;
        seen.push(body);
        return make(request, body);
      }),
    );
    return { ...running, seen };
  }
  const vprOf = (url: string) => ({
    verifiablePresentationRequest: {
      query: [
        { type: 'QueryByExample', credentialQuery: { reason: 'x', example: { type: ['AgentPassport'] } } },
        { type: 'DIDAuthentication', acceptedMethods: [{ method: 'key' }] },
      ],
      challenge: 'c'.repeat(43),
      domain: url,
    },
  });

  it.each([
    ['unsigned', 'ERR_RESPONSE_UNSIGNED', async (_r: Request, url: string) => Response.json(vprOf(url))],
    [
      "signed by another key under the site's key id",
      'ERR_RESPONSE_SIGNATURE_INVALID',
      (r: Request, url: string) =>
        signResponse(Response.json(vprOf(url)), r, {
          keyId: `${SITE_DID}#key-1`,
          signer: rawSigner(generateKey()),
        }),
    ],
    [
      'signed by another DID',
      'ERR_RESPONSE_SIGNER',
      (r: Request, url: string) =>
        signResponse(Response.json(vprOf(url)), r, {
          keyId: 'did:web:evil.example#key-1',
          signer: rawSigner(generateKey()),
        }),
    ],
    [
      'signed by the site key without covering the request (no ;req)',
      'ERR_RESPONSE_NOT_BOUND',
      async (_r: Request, url: string) => {
        const own = await signRequest(new Request(url), {
          keyId: `${SITE_DID}#key-1`,
          signer: rawSigner(siteKey),
          tag: 'agent-passport-response',
        });
        return Response.json(vprOf(url), {
          headers: {
            'signature-input': own.headers.get('signature-input') as string,
            signature: own.headers.get('signature') as string,
          },
        });
      },
    ],
  ])('%s: %s, and no presentation is sent', async (_name, code, answerWith) => {
    const fake = await fakeSite((r) => answerWith(r, fake.url));
    try {
      expect(
        await codeOf(
          login(`${fake.url}/workflows/agent-login`, {
            key: agent,
            passport: await passportFor(agent),
            siteDocument,
          }),
        ),
      ).toBe(code);
      expect(fake.seen).toEqual([{}]);
    } finally {
      await fake.close();
    }
  });

  it("a genuine signed answer to another request, replayed: refused (the agent's signature is in the base)", async () => {
    let first: Response | undefined;
    const fake = await fakeSite(async (r) => {
      first ??= await signResponse(Response.json(vprOf(fake.url)), r, {
        keyId: `${SITE_DID}#key-1`,
        signer: rawSigner(siteKey),
      });
      return first.clone();
    });
    try {
      const options = { key: agent, passport: await passportFor(agent), siteDocument };
      // The first login goes on to present (and is refused by the fake's second answer, a replay).
      expect(await codeOf(login(`${fake.url}/workflows/agent-login`, options))).toBe(
        'ERR_RESPONSE_SIGNATURE_INVALID',
      );
      expect(await codeOf(login(`${fake.url}/workflows/agent-login`, options))).toBe(
        'ERR_RESPONSE_SIGNATURE_INVALID',
      );
    } finally {
      await fake.close();
    }
  });

  it.each([
    ['a bare nonce', { nonce: 'c'.repeat(43), sign: 'this' }],
    [
      'a request without DID authentication',
      {
        verifiablePresentationRequest: {
          query: [{ type: 'QueryByExample', credentialQuery: { example: { type: ['AgentPassport'] } } }],
          challenge: 'c'.repeat(43),
          domain: 'x',
        },
      },
    ],
    ['a request without a challenge', { verifiablePresentationRequest: { query: [], domain: 'x' } }],
  ])(
    'the genuine site asking for %s: the agent refuses (ERR_LOGIN_REQUEST_INVALID) and signs nothing',
    async (_name, body) => {
      const fake = await fakeSite((r) =>
        signResponse(Response.json(body), r, { keyId: `${SITE_DID}#key-1`, signer: rawSigner(siteKey) }),
      );
      try {
        expect(
          await codeOf(
            login(`${fake.url}/workflows/agent-login`, {
              key: agent,
              passport: await passportFor(agent),
              siteDocument,
            }),
          ),
        ).toBe('ERR_LOGIN_REQUEST_INVALID');
        expect(fake.seen).toEqual([{}]);
      } finally {
        await fake.close();
      }
    },
  );

  it('verifySite: the real site proves itself; an impostor does not', async () => {
    expect(await verifySite(s.url, { key: agent, siteDocument })).toEqual({ did: SITE_DID, origin: s.url });
    const impostor = await serve((url) =>
      toNodeHandler(
        createLoginSite({
          origin: url,
          did: SITE_DID,
          keyId: `${SITE_DID}#key-1`,
          signer: rawSigner(generateKey()),
          verifier: verifier(),
          secret,
        }).fetch,
      ),
    );
    try {
      expect(await codeOf(verifySite(impostor.url, { key: agent, siteDocument }))).toBe(
        'ERR_RESPONSE_SIGNATURE_INVALID',
      );
    } finally {
      await impostor.close();
    }
  });
});

describe('proof of work for unknown agents', () => {
  let p: RunningSite;
  beforeAll(async () => {
    p = await startSite({ proofOfWork: { difficulty: 8, isKnown: (a) => a === 'did:key:zKnown' } });
  });
  afterAll(() => p.close());

  it('none: ERR_LOGIN_POW_REQUIRED; below the difficulty: ERR_LOGIN_POW_INSUFFICIENT', async () => {
    const xid = await newExchange(p.url);
    const none = await post(await signedPost(agent, exchangeUrl(p.url, xid), {}));
    expect(none.json.code).toBe('ERR_LOGIN_POW_REQUIRED');
    const { seed, difficulty } = none.json['proofOfWork'] as { seed: string; difficulty: number };
    expect(difficulty).toBe(8);
    let weak = 0;
    while (powBits(seed, String(weak)) >= 8) weak++;
    const low = await post(
      await signedPost(agent, exchangeUrl(p.url, xid), { proofOfWork: { solution: String(weak) } }),
    );
    expect(low.json.code).toBe('ERR_LOGIN_POW_INSUFFICIENT');
  });

  it('the agent solves it and logs in; above its cap it refuses (ERR_LOGIN_POW_TOO_HARD)', async () => {
    const api = await login(p.site.workflowUrl, {
      key: agent,
      passport: await passportFor(agent),
      siteDocument,
    });
    expect((await api(`${p.url}/api/me`)).status).toBe(200);
    expect(
      await codeOf(
        login(p.site.workflowUrl, {
          key: agent,
          passport: await passportFor(agent),
          siteDocument,
          maxPowDifficulty: 4,
        }),
      ),
    ).toBe('ERR_LOGIN_POW_TOO_HARD');
  });
});
