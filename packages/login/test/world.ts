// SPDX-License-Identifier: Apache-2.0
// The world of the login tests: an organisation that issues passports, an agent and a thief with
// passports of their own, a site with a did:web identity served on 127.0.0.1 (login workflow,
// prove endpoint and a protected /api route), and helpers to drive the exchange by hand.
import { sign } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AgentPassport, PassportError, type StatusListEntry } from '@agent-passport/core';
import { createDelegationVerifier } from '@agent-passport/delegation';
import { buildDidDocument } from '@agent-passport/did-web';
import { type ReplayStore, signRequest, type UsageStore } from '@agent-passport/http-signatures';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import { didKeySigner, privateKeyObject } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { createLoginSite, type LoginSite, type LoginSiteOptions, toNodeHandler } from '../src/site.js';

export const org = generateKey();
export const agent = generateKey();
export const thief = generateKey();
export const siteKey = generateKey();
export const SITE_DID = 'did:web:login.example';
export const siteDocument = buildDidDocument({
  did: SITE_DID,
  keys: [{ publicKeyMultibase: siteKey.publicKeyMultibase, purposes: ['authentication'] }],
});
export const secret = new Uint8Array(32).fill(7);

/** Status list indices the organisation revoked (the status checker reads this set). */
export const revoked = new Set<string>();

export const rawSigner = (k: KeyMaterial) => {
  const key = privateKeyObject(k);
  return (data: Uint8Array) => new Uint8Array(sign(null, data, key));
};

let serial = 0;
export async function passportFor(
  k: KeyMaterial,
  extra: { maxCalls?: number; delegation?: { allowed: boolean; maxDepth?: number } } = {},
): Promise<AgentPassport> {
  serial++;
  return (await issuePassport({
    issuer: { id: org.did, signer: didKeySigner(org) },
    subject: k.did,
    agentName: `agent-${serial}`,
    purpose: 'shopping',
    scopes: ['read:catalog'],
    validUntil: new Date(Date.now() + 86_400_000),
    credentialStatus: {
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(serial),
      statusListCredential: 'https://org.example/status/1',
    },
    ...extra,
  })) as AgentPassport;
}

const trust = {
  trustedIssuers: [org.did],
  checkStatus: (p: { credentialStatus?: StatusListEntry | readonly StatusListEntry[] }) => {
    const entry = [p.credentialStatus ?? []].flat()[0];
    if (entry !== undefined && revoked.has(entry.statusListIndex)) throw new PassportError('ERR_REVOKED');
  },
};
export const verifier = (clock?: () => Date) =>
  createVerifier({ ...trust, ...(clock === undefined ? {} : { clock }) });
/** The chain verifier of a site at `origin` (the audience its delegations must name). */
export const delegationVerifier = (origin: string) => createDelegationVerifier({ ...trust, origin });

export interface RunningSite {
  readonly site: LoginSite;
  readonly url: string;
  readonly port: number;
  /** Every request the site received: method, path, body. */
  readonly seen: { method: string; path: string; body: string }[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Listen on 127.0.0.1 first (the origin names the port), then install the handler. */
export async function serve(
  make: (origin: string) => Handler,
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  let handler: Handler = (_req, res) => res.end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  handler = make(url);
  return { url, port, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

/** The site behind Node's http server: the workflow, the prove endpoint, and `/api/me` for sessions. */
export async function startSite(
  options: Partial<LoginSiteOptions> & {
    store?: ReplayStore & UsageStore;
    origin?: string;
    /** Accept sub-agents by delegation chain (a chain verifier for the site's origin). */
    chains?: boolean;
  } = {},
): Promise<RunningSite> {
  const seen: RunningSite['seen'] = [];
  let site!: LoginSite;
  const running = await serve((url) => {
    site = createLoginSite({
      origin: url,
      did: SITE_DID,
      keyId: `${SITE_DID}#key-1`,
      signer: rawSigner(siteKey),
      verifier: verifier(options.clock),
      secret,
      ...(options.chains === true ? { delegation: delegationVerifier(options.origin ?? url) } : {}),
      ...options,
      ...(options.origin === undefined ? {} : { origin: options.origin }),
    });
    const api = site.protect((_request, context) =>
      Response.json({
        agent: context.agent,
        session: context.session.id,
        ...(context.session.delegation === undefined
          ? {}
          : { principals: context.session.delegation.principals }),
      }),
    );
    const node = toNodeHandler(async (request) => {
      const path = new URL(request.url).pathname;
      seen.push({ method: request.method, path, body: await request.clone().text() });
      return path.startsWith('/api/') ? api(request) : site.fetch(request);
    });
    return (req, res) => void node(req, res);
  });
  return { site, seen, ...running };
}

/** A request signed by `k` (inline passport optional), as an agent or a thief would make it. */
export async function signedPost(
  k: KeyMaterial,
  url: string,
  body: unknown,
  extraHeaders: Record<string, string> = {},
  created?: number,
): Promise<Request> {
  return signRequest(
    new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
    {
      keyId: `${k.did}#${k.publicKeyMultibase}`,
      signer: rawSigner(k),
      extraHeaders,
      ...(created === undefined ? {} : { created }),
    },
  );
}

/** POST and read the JSON answer. */
export async function post(request: Request): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(request);
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

/** A new exchange id at the site. */
export async function newExchange(url: string): Promise<string> {
  const r = await fetch(`${url}/workflows/agent-login/exchanges`, { method: 'POST' });
  return ((await r.json()) as { exchangeId: string }).exchangeId;
}

export const agentSigner = didKeySigner(agent);
