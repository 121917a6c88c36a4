// SPDX-License-Identifier: Apache-2.0
// The login exchange (W3C VCALM "Exchanges"): create, then participate twice. The agent's first
// POST (signed, carrying its own nonce) gets a verifiable presentation request signed by the site
// and bound to that request (the mutual step); its second POST carries the presentation, verified
// offline, whose challenge is consumed exactly once, and opens a session bound to the agent's key.
import type { DidKey, ErrorCode } from '@agent-passport/core';
import { formatDateTime, isPassportError } from '@agent-passport/core';
import { parseJson } from '@agent-passport/strict-json';
import { powBits } from '../pow.js';
import { ACCEPTED_CRYPTOSUITES, type LoginPresentationRequest } from '../protocol.js';
import { answer, json, refuse } from './answers.js';
import { recordEvent, recordLogin } from './login-evidence.js';
import { openSession, sessionInfo } from './open-session.js';
import type { SiteConfig } from './options.js';
import { checkSignedRequest } from './signed-request.js';
import { verifyLogin } from './verify-login.js';

const nowSeconds = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * `POST /workflows/{id}/exchanges`: a new exchange, bound to the site's DID, with its expiry. With
 * an evidence log, none is handed out unrecorded (ERR_EVIDENCE_UNAVAILABLE when it cannot write).
 */
export async function createExchange(config: SiteConfig, now: Date): Promise<Response> {
  const expires = nowSeconds(now) + config.exchangeTtl;
  const id = config.sealer.exchangeId(expires);
  if (!(await recordEvent(config, { time: now, event: 'login-exchange', ref: id })))
    return refuse('ERR_EVIDENCE_UNAVAILABLE', 'the exchange could not be recorded');
  const url = `${config.origin}/workflows/${config.workflow}/exchanges/${id}`;
  return json(
    201,
    { id: url, exchangeId: id, did: config.did, expires: formatDateTime(new Date(expires * 1000)) },
    { location: url },
  );
}

function presentationRequest(config: SiteConfig, exchangeId: string): LoginPresentationRequest {
  return {
    query: [
      {
        type: 'QueryByExample',
        credentialQuery: {
          reason: `Sign in to ${config.origin}`,
          example: { type: ['VerifiableCredential', 'AgentPassport'] },
        },
      },
      {
        type: 'DIDAuthentication',
        acceptedMethods: [{ method: 'key' }],
        acceptedCryptosuites: ACCEPTED_CRYPTOSUITES.map((cryptosuite) => ({ cryptosuite })),
      },
    ],
    challenge: config.sealer.challenge(exchangeId),
    domain: config.origin,
  };
}

/** Step 3 (optionally after a proof of work): the presentation request, signed by the caller. */
async function requestStep(
  config: SiteConfig,
  exchangeId: string,
  agent: DidKey,
  body: Record<string, unknown>,
  no: typeof refuse,
) {
  const pow = config.pow;
  if (pow !== undefined && !(await pow.isKnown?.(agent))) {
    const seed = config.sealer.powSeed(exchangeId, agent);
    const solution = (body['proofOfWork'] as { solution?: unknown } | undefined)?.solution;
    const params = { proofOfWork: { seed, difficulty: pow.difficulty } };
    if (typeof solution !== 'string' || solution.length > 64)
      return no('ERR_LOGIN_POW_REQUIRED', 'solve the proof of work and post it', params);
    if (powBits(seed, solution) < pow.difficulty)
      return no('ERR_LOGIN_POW_INSUFFICIENT', `the proof of work is below ${pow.difficulty} bits`, params);
  }
  return json(200, { verifiablePresentationRequest: presentationRequest(config, exchangeId) });
}

/** Step 5: verify the presentation offline, consume the challenge once, open the session. */
async function finishStep(
  config: SiteConfig,
  exchange: { id: string; expires: number },
  agent: DidKey,
  vp: unknown,
  now: Date,
) {
  const challenge = config.sealer.challenge(exchange.id);
  const options = { challenge, domain: config.origin, requiredScopes: config.requiredScopes };
  const verified = await verifyLogin(config, vp, agent, options);
  const record = { time: now, presentation: vp, options };
  if (!verified.ok) {
    if (verified.verification !== undefined)
      await recordLogin(config, { ...record, verification: verified.verification, refused: verified });
    return refuse(verified.code, verified.message);
  }
  const consumed = await config.store.checkAndSet(`login-challenge:${challenge}`, {
    created: exchange.expires - config.exchangeTtl,
    until: exchange.expires + config.skew,
  });
  if (!consumed) {
    const used = { code: 'ERR_LOGIN_CHALLENGE_USED', message: 'this exchange was completed before' } as const;
    if (verified.verification !== undefined)
      await recordLogin(config, { ...record, verification: verified.verification, refused: used });
    return refuse(used.code, used.message);
  }
  if (
    verified.verification !== undefined &&
    !(await recordLogin(config, { ...record, verification: verified.verification }))
  )
    return refuse('ERR_EVIDENCE_UNAVAILABLE', 'the login could not be recorded');
  const session = openSession(config, agent, verified, now);
  await config.sessions.put(session);
  return json(201, { session: sessionInfo(session) });
}

/** `POST /workflows/{id}/exchanges/{xid}`: every answer to a signed request is signed. */
export async function participate(config: SiteConfig, request: Request, exchangeId: string, now: Date) {
  /** A refusal before the presentation step (recorded as an event with `recordRefused`). */
  let early: { code: ErrorCode; agent?: DidKey } | undefined;
  let agent: DidKey | undefined;
  const no: typeof refuse = (code, message, extra) => {
    early = { code, ...(agent === undefined ? {} : { agent }) };
    return refuse(code, message, extra);
  };
  const step = async (): Promise<Response> => {
    const signed = await checkSignedRequest(request, config, now);
    if (!signed.ok) return no(signed.code, signed.message);
    agent = signed.agent;
    const exchange = config.sealer.open(exchangeId);
    if (exchange === undefined) return no('ERR_LOGIN_EXCHANGE_UNKNOWN', 'no such exchange on this site');
    if (nowSeconds(now) >= exchange.expires)
      return no('ERR_LOGIN_EXCHANGE_EXPIRED', 'the exchange has expired');
    let body: unknown;
    try {
      body = signed.body.length === 0 ? {} : parseJson(signed.body, { maxBytes: 256 * 1024 });
    } catch (e) {
      return no(isPassportError(e) ? e.code : 'ERR_PARSE_JSON', 'the body is not strict JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return no('ERR_API_REQUEST', 'the body is a JSON object');
    const b = body as Record<string, unknown>;
    return 'verifiablePresentation' in b
      ? finishStep(config, { id: exchangeId, ...exchange }, signed.agent, b['verifiablePresentation'], now)
      : requestStep(config, exchangeId, signed.agent, b, no);
  };
  let response: Response;
  try {
    response = await step();
  } catch (e) {
    response = isPassportError(e)
      ? refuse(e.code, e.message)
      : refuse('ERR_VERIFIER_INTERNAL', 'internal error');
  }
  // Already refused: a failed evidence write changes nothing for the agent (the log shows the gap).
  if (early !== undefined && config.recordRefused)
    await recordEvent(config, { time: now, event: 'login-refused', ref: exchangeId, ...early });
  return answer(response, request, config.key);
}
