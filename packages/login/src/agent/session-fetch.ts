// SPDX-License-Identifier: Apache-2.0
// The fetch of a session: every call signed by the agent's key, the session named in a covered
// header. An agent's own passport login: the compact form (keyid = the passport reference the site
// holds). A sub-agent's chain login: its own key as keyid, and the passport and the chain beside it
// (in full on first contact and whenever the site does not know them, by reference after), so the
// site verifies the chain on every call.
import { PassportError, toBase64url } from '@agent-passport/core';
import {
  createSigningFetch,
  DELEGATION_HEADER,
  DELEGATION_REF_HEADER,
  firstContactFetch,
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  passportRef,
  type RawSigner,
  signRequest,
} from '@agent-passport/http-signatures';
import { SESSION_HEADER, type SessionInfo } from '../protocol.js';

export interface SessionSigner {
  readonly keyId: string;
  readonly signer: RawSigner;
  readonly send: (request: Request) => Promise<Response>;
}

/** The exact bytes a chain login presented: the passport, and the JSON list of delegations. */
export interface PresentedChain {
  readonly passport: Uint8Array;
  readonly delegations: Uint8Array;
}

export function sessionFetch(
  session: SessionInfo,
  by: SessionSigner,
  chain: PresentedChain | undefined,
): typeof fetch {
  const named = { [SESSION_HEADER]: session.id };
  if (chain === undefined)
    return createSigningFetch({
      keyId: session.passportRef,
      signer: by.signer,
      extraHeaders: named,
      fetch: (input, init) => by.send(new Request(input, init)),
    });
  const refs = { passport: passportRef(chain.passport), delegations: passportRef(chain.delegations) };
  if (refs.passport !== session.passportRef || refs.delegations !== session.delegationRef)
    throw new PassportError('ERR_LOGIN_REQUEST_INVALID', 'the site bound the session to another chain');
  const full = {
    [PASSPORT_HEADER]: toBase64url(chain.passport),
    [DELEGATION_HEADER]: toBase64url(chain.delegations),
  };
  const compact = { [PASSPORT_REF_HEADER]: refs.passport, [DELEGATION_REF_HEADER]: refs.delegations };
  return firstContactFetch(async (request, first) =>
    by.send(
      await signRequest(request, {
        keyId: by.keyId,
        signer: by.signer,
        extraHeaders: { ...named, ...(first ? full : compact) },
      }),
    ),
  );
}
