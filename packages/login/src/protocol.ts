// SPDX-License-Identifier: Apache-2.0
// The "agent-login" exchange profile of W3C VCALM (workflows and exchanges): the paths, the
// presentation request the site answers with, and the header a session call carries. Shared by
// the site and the agent.

/** The default workflow: `POST /workflows/agent-login/exchanges` creates a login exchange. */
export const LOGIN_WORKFLOW = 'agent-login';
/** Header of a session call (covered by its RFC 9421 signature): the session reference. */
export const SESSION_HEADER = 'agent-passport-session';
/** Where any toolkit service proves itself (a signed response over the agent's signed request). */
export const PROVE_PATH = '/.well-known/agent-passport/prove';
/** The cryptosuites an agent may use for its DID authentication. */
export const ACCEPTED_CRYPTOSUITES = ['eddsa-jcs-2022', 'eddsa-rdfc-2022', 'ecdsa-jcs-2019'] as const;

/** A VCALM verifiable presentation request (VC API §"Presentation request"), as this profile sends it. */
export interface LoginPresentationRequest {
  readonly query: readonly [
    {
      readonly type: 'QueryByExample';
      readonly credentialQuery: {
        readonly reason: string;
        readonly example: { readonly type: readonly string[] };
      };
    },
    {
      readonly type: 'DIDAuthentication';
      readonly acceptedMethods: readonly { readonly method: 'key' }[];
      readonly acceptedCryptosuites: readonly { readonly cryptosuite: string }[];
    },
  ];
  readonly challenge: string;
  readonly domain: string;
}

/** A login session as the site hands it to the agent. */
export interface SessionInfo {
  readonly id: string;
  /** The agent's did:key: every call of the session is signed by its key. */
  readonly agent: string;
  /** The reference (SHA-256) of the passport the session was opened with. */
  readonly passportRef: string;
  /** ISO 8601. */
  readonly expires: string;
  /**
   * A sub-agent's session (login by delegation chain): the reference (SHA-256) of the chain it
   * presented, the JSON list of its delegations, and who acts on whose authority (organisation →
   * agent → … → `agent`).
   */
  readonly delegationRef?: string;
  readonly principals?: readonly string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Is `body` a presentation request of this profile: a query for an AgentPassport and a DID
 * authentication by did:key, a challenge and a domain? The agent signs nothing else: never a bare
 * nonce, never a value the site chose to be signed as is.
 */
export function presentationRequestOf(body: unknown): { challenge: string } | undefined {
  const vpr = isObject(body) ? body['verifiablePresentationRequest'] : undefined;
  if (!isObject(vpr) || !Array.isArray(vpr['query'])) return undefined;
  const { challenge, domain } = vpr;
  if (typeof challenge !== 'string' || !/^[A-Za-z0-9_-]{22,128}$/.test(challenge)) return undefined;
  if (typeof domain !== 'string') return undefined;
  const query = vpr['query'] as unknown[];
  const asksPassport = query.some(
    (q) =>
      isObject(q) &&
      q['type'] === 'QueryByExample' &&
      isObject(q['credentialQuery']) &&
      isObject(q['credentialQuery']['example']) &&
      Array.isArray(q['credentialQuery']['example']['type']) &&
      q['credentialQuery']['example']['type'].includes('AgentPassport'),
  );
  const didAuth = query.some(
    (q) =>
      isObject(q) &&
      q['type'] === 'DIDAuthentication' &&
      Array.isArray(q['acceptedMethods']) &&
      q['acceptedMethods'].some((m) => isObject(m) && m['method'] === 'key'),
  );
  return asksPassport && didAuth ? { challenge } : undefined;
}
