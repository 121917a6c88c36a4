// SPDX-License-Identifier: Apache-2.0
// The agent's fetch: every request signed (RFC 9421) with the passport bound into the signature.
// The passport itself travels on first contact with an origin; after that only its reference
// (the SHA-256 of its exact bytes) as the signature's keyid, and the full passport again if the
// service answers that it does not know the reference.
import { randomBytes, toBase64url } from '@agent-passport/core';
import {
  DELEGATION_HEADER,
  DELEGATION_REF_HEADER,
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  passportRef,
} from './passport-ref.js';
import { type RawSigner, signRequest } from './sign.js';

export interface AgentFetchOptions {
  /** The passport (serialised once, as sent) or its exact bytes. */
  readonly passport: object | Uint8Array;
  /** The agent's verification method (`did:key:z…#z…`). */
  readonly keyId: string;
  readonly signer: RawSigner;
  /**
   * A delegated agent's chain (its delegations, root first, or their exact JSON bytes): `passport`
   * is then the organisation's passport of the first delegating agent, and `keyId` the sub-agent's.
   */
  readonly delegations?: readonly object[] | Uint8Array;
  /** Where signed requests go (default: the global fetch); e.g. an in-process app's `request`. */
  readonly fetch?: (request: Request) => Response | Promise<Response>;
}

/**
 * The agent's wire profile (docs/wire-format.md, "Signed requests"): the one-character label `s`
 * and a nonce of 12 random bytes (96 bits: a nonce must only never repeat for one key within a
 * signature's window). Every verifier takes the only label present.
 */
export const AGENT_LABEL = 's';
const agentNonce = (): string => toBase64url(randomBytes(12));

export function createAgentFetch(options: AgentFetchOptions): typeof fetch {
  if (typeof options?.keyId !== 'string' || typeof options.signer !== 'function')
    throw new TypeError('keyId and signer are required');
  const bytes =
    options.passport instanceof Uint8Array
      ? options.passport
      : new TextEncoder().encode(JSON.stringify(options.passport));
  const inline = toBase64url(bytes);
  const ref = passportRef(bytes);
  const inner = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const chain = chainHeaders(options.delegations);
  const send = async (request: Request, full: boolean): Promise<Response> =>
    inner(
      await signRequest(
        request,
        // First contact: the passport inline, keyid the agent's key. After: the compact form, where
        // the keyid is the passport reference (covered by the signature), the key its subject's.
        // A delegated agent sends its chain beside the passport, then both references; the keyid
        // stays its own key (it is not the passport's subject).
        {
          label: AGENT_LABEL,
          nonce: agentNonce(),
          signer: options.signer,
          ...(chain !== undefined
            ? {
                keyId: options.keyId,
                extraHeaders: full
                  ? { [PASSPORT_HEADER]: inline, [DELEGATION_HEADER]: chain.inline }
                  : { [PASSPORT_REF_HEADER]: ref, [DELEGATION_REF_HEADER]: chain.ref },
              }
            : full
              ? { keyId: options.keyId, extraHeaders: { [PASSPORT_HEADER]: inline } }
              : { keyId: ref }),
        },
      ),
    );
  return firstContactFetch(send);
}

/**
 * The first-contact rule of every signing fetch in the toolkit: `send(request, full)` signs and
 * sends; `full` is true on first contact with an origin (the passport itself travels), false after
 * (its reference only), and true again when the service answers that it does not know the
 * reference (ERR_PASSPORT_UNKNOWN, ERR_DELEGATION_UNKNOWN: a restarted or other instance).
 */
export function firstContactFetch(
  send: (request: Request, full: boolean) => Promise<Response>,
): typeof fetch {
  const known = new Set<string>();
  return async (input, init) => {
    const request = new Request(input, init);
    const origin = new URL(request.url).origin;
    const first = !known.has(origin);
    const response = await send(first ? request : request.clone(), first);
    if (response.status < 400) {
      known.add(origin);
      return response;
    }
    if (
      !first &&
      response.status === 401 &&
      /ERR_PASSPORT_UNKNOWN|ERR_DELEGATION_UNKNOWN/.test(response.headers.get('www-authenticate') ?? '')
    ) {
      known.delete(origin);
      return send(request, true);
    }
    return response;
  };
}

function chainHeaders(delegations: readonly object[] | Uint8Array | undefined) {
  if (delegations === undefined) return undefined;
  const bytes =
    delegations instanceof Uint8Array ? delegations : new TextEncoder().encode(JSON.stringify(delegations));
  return { inline: toBase64url(bytes), ref: passportRef(bytes) };
}
