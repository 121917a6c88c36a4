// SPDX-License-Identifier: Apache-2.0
// The agent's login (VCALM exchange, "agent-login" profile): create or take the exchange, ask for
// the presentation request with a signed request, verify the site's signed answer (the site proves
// itself first; an impostor gets nothing), present the passport over the site's challenge and the
// origin the agent actually connected to, and get a session: a fetch that signs every call with
// the same key and names the session.
import { type AgentPassport, PassportError } from '@agent-passport/core';
import { type AgentDelegation, presentChain } from '@agent-passport/delegation';
import type { RawSigner } from '@agent-passport/http-signatures';
import { createPresentation } from '@agent-passport/issuer';
import { didKeySigner, type PrivateKey } from '@agent-passport/suites';
import { DEFAULT_AGENT_POW_CAP, solvePow } from '../pow.js';
import { presentationRequestOf, type SessionInfo } from '../protocol.js';
import { type CallContext, refused, signedCall } from './call.js';
import { sessionFetch } from './session-fetch.js';
import { type SiteTrust, siteKeys } from './site-key.js';

export interface LoginOptions extends SiteTrust {
  /** The agent's key (Ed25519): its did:key is the passport subject. */
  readonly key: PrivateKey;
  readonly passport: AgentPassport;
  /**
   * A sub-agent's login: its delegation chain, root first (`passport` is then the organisation's
   * passport of the first delegating agent, and `key` the last delegation's subject).
   */
  readonly delegations?: readonly AgentDelegation[];
  /** Where requests go (default: the global fetch). */
  readonly fetch?: (request: Request) => Promise<Response>;
  readonly clock?: () => Date;
  /** The most proof-of-work difficulty the agent will do (default 20 bits). */
  readonly maxPowDifficulty?: number;
}

export type SessionFetch = typeof fetch & { readonly session: SessionInfo; readonly site: string };

function rawSigner(key: PrivateKey): {
  keyId: string;
  signer: RawSigner;
  sign: ReturnType<typeof didKeySigner>;
} {
  const sign = didKeySigner(key);
  return { keyId: sign.id, signer: (data) => sign.sign({ data }), sign };
}

/** The exchange URL: given, or created at the workflow URL. */
async function exchangeUrl(url: URL, send: (r: Request) => Promise<Response>): Promise<string> {
  if (/\/exchanges\/[^/]+$/.test(url.pathname)) return url.href;
  const response = await send(new Request(`${url.href.replace(/\/$/, '')}/exchanges`, { method: 'POST' }));
  const body = (await response.json().catch(() => undefined)) as { exchangeId?: unknown } | undefined;
  if (
    response.status !== 201 ||
    typeof body?.exchangeId !== 'string' ||
    !/^[A-Za-z0-9_.-]{1,200}$/.test(body.exchangeId)
  )
    throw new PassportError('ERR_LOGIN_REFUSED', `no exchange created (${response.status})`);
  // The exchange lives where the agent connected, whatever URL the answer names.
  return `${url.href.replace(/\/$/, '')}/exchanges/${body.exchangeId}`;
}

/** Step 2 (and the proof of work, when the site asks one within the cap): the site's signed answer. */
async function askForRequest(ctx: CallContext, exchange: string, maxPow: number | undefined) {
  const answer = await signedCall(ctx, exchange, {});
  if (answer.status !== 401 || answer.body['code'] !== 'ERR_LOGIN_POW_REQUIRED') return answer;
  const pow = answer.body['proofOfWork'] as { seed?: unknown; difficulty?: unknown } | undefined;
  const cap = maxPow ?? DEFAULT_AGENT_POW_CAP;
  if (typeof pow?.seed !== 'string' || !Number.isInteger(pow.difficulty))
    throw new PassportError('ERR_LOGIN_REQUEST_INVALID', 'a proof of work without seed and difficulty');
  if ((pow.difficulty as number) > cap)
    throw new PassportError(
      'ERR_LOGIN_POW_TOO_HARD',
      `the site asks ${String(pow.difficulty)} bits; the cap is ${cap}`,
    );
  return signedCall(ctx, exchange, {
    proofOfWork: { solution: solvePow(pow.seed, pow.difficulty as number) },
  });
}

/** Log in at `url` (a workflow or exchange URL); resolves to a session-bound signing fetch. */
export async function login(url: string | URL, options: LoginOptions): Promise<SessionFetch> {
  const target = new URL(url);
  const origin = target.origin;
  const { did, resolveKey } = siteKeys(options, origin);
  const { keyId, signer, sign } = rawSigner(options.key);
  const send = options.fetch ?? ((r: Request) => globalThis.fetch(r));
  const ctx: CallContext = {
    keyId,
    signer,
    resolveKey,
    fetch: send,
    clock: options.clock ?? (() => new Date()),
  };
  const exchange = await exchangeUrl(target, send);
  const answer = await askForRequest(ctx, exchange, options.maxPowDifficulty);
  if (answer.status !== 200) throw refused(answer);
  // Never a signing oracle: only a presentation request of this profile is answered, and the
  // domain is the origin the agent connected to, never the one the site wrote.
  const vpr = presentationRequestOf(answer.body);
  if (vpr === undefined)
    throw new PassportError(
      'ERR_LOGIN_REQUEST_INVALID',
      'the site did not ask for a presentation over a challenge and a domain',
    );
  const presented = { challenge: vpr.challenge, domain: origin, now: ctx.clock() };
  const delegations = options.delegations;
  const vp =
    delegations === undefined
      ? await createPresentation({ passport: options.passport, signer: sign, ...presented })
      : await presentChain({ passport: options.passport, delegations, signer: sign, ...presented });
  const done = await signedCall(ctx, exchange, { verifiablePresentation: vp });
  if (done.status !== 201) throw refused(done);
  const session = done.body['session'] as SessionInfo | undefined;
  if (
    typeof session?.id !== 'string' ||
    typeof session.passportRef !== 'string' ||
    session.agent !== keyId.split('#')[0]
  )
    throw new PassportError('ERR_LOGIN_REQUEST_INVALID', 'the site answered with no session for this agent');
  const encode = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  const chain =
    delegations === undefined
      ? undefined
      : { passport: encode(options.passport), delegations: encode(delegations) };
  const api = sessionFetch(session, { keyId, signer, send }, chain);
  return Object.assign(api, { session: Object.freeze({ ...session }), site: did });
}
