// SPDX-License-Identifier: Apache-2.0
// `serve --login`: the VC API service also runs the headless login workflow of @agent-passport/login
// (W3C VCALM exchanges), as this organisation: its DID is the site's, its key signs the answers.
// Routes, beside the VC API's own:
//   POST /workflows/agent-login/exchanges          create a login exchange (201, Location)
//   POST /workflows/agent-login/exchanges/{id}     take part: the signed presentation request, then
//                                                   the presentation (passport or delegation chain)
//   POST /.well-known/agent-passport/prove         mutual authentication on its own
//   GET  /workflows/agent-login/session            a session call: who the session is
// Sessions live in this process (one instance); the exchange secret is drawn at start.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DidDocument, Signer } from '@agent-passport/core';
import { createDelegationVerifier } from '@agent-passport/delegation';
import { createLoginSite, LOGIN_WORKFLOW, PROVE_PATH, toNodeHandler } from '@agent-passport/login/site';
import {
  createVcApi,
  type ListenOptions,
  listen,
  type RunningServer,
  startVcApiServer,
  type VcApiConfig,
} from '@agent-passport/server';
import { createStatusChecker } from '@agent-passport/status';
import type { TrustBundle } from '@agent-passport/trust-bundle';
import { createVerifier } from '@agent-passport/verifier';
import type { Home } from './home.js';
import type { OrgRecord } from './org-record.js';
import { refreshStatusLists } from './status-lists.js';

/** Who the login site is, and whom it trusts (this organisation, and a bundle's issuers). */
export interface LoginIdentity {
  readonly did: string;
  readonly didDocument: DidDocument;
  readonly signer: Signer;
  readonly issuers: readonly { readonly id: string; readonly didDocument: DidDocument }[];
  readonly statusLists: readonly unknown[];
}

export const LOGIN_BASE = `/workflows/${LOGIN_WORKFLOW}`;
export const LOGIN_SESSION_PATH = `${LOGIN_BASE}/session`;

/**
 * This organisation as the login site. It trusts the organisation, with its status lists as the
 * home holds them at start (signed afresh), and a bundle's issuers with theirs.
 */
export async function loginIdentity(
  home: Home,
  org: OrgRecord,
  signer: Signer,
  bundle: Pick<TrustBundle, 'issuers'> | undefined,
): Promise<LoginIdentity> {
  const own = await refreshStatusLists(home, org, signer);
  return {
    did: org.did,
    didDocument: org.didDocument,
    signer,
    issuers: (bundle?.issuers ?? []).map((i) => ({ id: i.id, didDocument: i.didDocument })),
    statusLists: [...own.map((l) => l.credential), ...(bundle?.issuers ?? []).flatMap((i) => i.statusLists)],
  };
}

/** The login site at `origin`, as a node handler that says whether the request was its own. */
function loginHandler(identity: LoginIdentity, origin: string) {
  const trust = {
    trustedIssuers: [{ id: identity.did, didDocument: identity.didDocument }, ...identity.issuers],
    ...(identity.statusLists.length === 0
      ? {}
      : { checkStatus: createStatusChecker({ lists: [...identity.statusLists] }) }),
  };
  const site = createLoginSite({
    origin,
    did: identity.did,
    keyId: identity.signer.id,
    signer: (data) => identity.signer.sign({ data }),
    verifier: createVerifier(trust),
    delegation: createDelegationVerifier({ ...trust, origin }),
    secret: randomBytes(32),
  });
  const session = site.protect((_request, { agent, session: s }) =>
    Response.json({
      agent,
      session: s.id,
      expires: new Date(s.expires * 1000).toISOString(),
      ...(s.delegation === undefined ? {} : { principals: s.delegation.principals }),
    }),
  );
  const node = toNodeHandler((request) =>
    new URL(request.url).pathname === LOGIN_SESSION_PATH ? session(request) : site.fetch(request),
  );
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (path !== PROVE_PATH && path !== LOGIN_BASE && !path.startsWith(`${LOGIN_BASE}/`)) return false;
    void node(req, res);
    return true;
  };
}

/**
 * Start the VC API service, with the login workflow mounted in front of it when `identity` is
 * given (`publicUrl` of the service's configuration is the login site's origin).
 */
export async function startVcApi(
  config: (origin: string) => VcApiConfig | Promise<VcApiConfig>,
  options: ListenOptions,
  identity: LoginIdentity | undefined,
): Promise<RunningServer> {
  if (identity === undefined) return startVcApiServer(config, options);
  let ready: { api: ReturnType<typeof createVcApi>; login: ReturnType<typeof loginHandler> } | undefined;
  const running = await listen((req, res) => {
    if (ready === undefined) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end('{"errors":[{"code":"ERR_API_INTERNAL","message":"starting"}]}\n');
    } else if (!ready.login(req, res)) ready.api.handle(req, res);
  }, options);
  try {
    const resolved = await config(running.url);
    ready = { api: createVcApi(resolved), login: loginHandler(identity, resolved.publicUrl) };
  } catch (cause) {
    await running.close();
    throw cause;
  }
  return running;
}
