// SPDX-License-Identifier: Apache-2.0
// `gate`: a service behind the request middleware, to try agents and delegations from the command
// line. It trusts this home's organisation and its status lists (read again whenever they change),
// accepts delegated agents (the chain verified for this origin), requires --scope on every request,
// optionally logs each accepted call as evidence, and answers who acted on whose authority.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StatusChecker } from '@agent-passport/core';
import { createDelegationVerifier } from '@agent-passport/delegation';
import type { EvidenceLog } from '@agent-passport/evidence';
import { toNodeHandler } from '@agent-passport/login/site';
import { withAgentPassport } from '@agent-passport/middleware';
import { listen } from '@agent-passport/server';
import { createStatusChecker } from '@agent-passport/status';
import { createVerifier } from '@agent-passport/verifier';
import type { VerbContext } from '../context.js';
import { type Home, openHome } from '../home.js';
import { checkRequiredScopes } from '../scopes.js';
import { untilStopped } from '../serve-api.js';
import { listsIn } from '../status-lists.js';
import { trustConfig } from '../trust.js';
import { parseDuration } from '../usage.js';

type TrustedIssuers = Awaited<ReturnType<typeof trustConfig>>['trustedIssuers'];

interface Options {
  scope: string[];
  port: number;
  host: string;
  publicUrl?: string;
  evidence?: string;
  maxSkew: number;
  statusMaxAge: string;
}

/** When each of the home's status list files last changed: one string, to notice a change. */
function stampOf(dir: string): string {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => `${f}@${statSync(join(dir, f), { bigint: true }).mtimeNs}`)
      .join(' ');
  } catch {
    return '';
  }
}

/** The home's status lists, signed afresh by issue/revoke/suspend: read again when one changes. */
function homeStatus(home: Home, maxAgeSeconds: number): StatusChecker {
  let stamp: string | undefined;
  let checker: StatusChecker | undefined;
  return (passport, now, context) => {
    const current = stampOf(home.statusDir);
    if (checker === undefined || current !== stamp) {
      stamp = current;
      checker = createStatusChecker({ lists: listsIn(home.statusDir), maxAgeSeconds });
    }
    return checker(passport, now, context);
  };
}

/** The middleware in front of an answer naming who acted on whose authority. */
function gateHandler(home: Home, origin: string, opts: Options, trust: TrustedIssuers, log?: EvidenceLog) {
  const config = {
    trustedIssuers: trust,
    origin,
    maxSkewSeconds: opts.maxSkew,
    checkStatus: homeStatus(home, parseDuration(opts.statusMaxAge, '--status-max-age') / 1000),
  };
  return withAgentPassport(
    {
      origin,
      verifier: createVerifier(config),
      delegation: createDelegationVerifier(config),
      maxSkewSeconds: opts.maxSkew,
      requiredScopes: opts.scope,
      ...(log === undefined ? {} : { evidence: log }),
    },
    async (request, context) =>
      Response.json({
        agent: context.agent,
        principals: context.principals,
        method: request.method,
        path: new URL(request.url).pathname,
      }),
  );
}

export async function run({ out, homeDir }: VerbContext, opts: Options): Promise<void> {
  checkRequiredScopes(opts.scope);
  const home = openHome(homeDir);
  parseDuration(opts.statusMaxAge, '--status-max-age');
  const { trustedIssuers } = await trustConfig({ statusMaxAgeSeconds: 1 }, home, new Date());
  const log =
    opts.evidence === undefined
      ? undefined
      : (await import('@agent-passport/evidence')).openEvidenceLog(opts.evidence);
  // The origin is known once it listens (port 0); until then a request is answered 503.
  let handler: ((request: Request) => Promise<Response>) | undefined;
  const server = await listen(
    toNodeHandler(async (request) =>
      handler === undefined ? new Response(null, { status: 503 }) : handler(request),
    ),
    { port: opts.port, host: opts.host },
  );
  const origin = opts.publicUrl ?? server.url;
  handler = gateHandler(home, origin, opts, trustedIssuers, log);
  out.data({
    url: server.url,
    origin,
    scopes: opts.scope,
    ...(log === undefined ? {} : { evidence: opts.evidence }),
  });
  const issuers = trustedIssuers.map((i) => (typeof i === 'string' ? i : i.id)).join(', ');
  out.line(`gate for ${issuers} at ${server.url} (Ctrl-C to stop)`);
  out.line(
    `  every request needs ${opts.scope.join(' ')}${log === undefined ? '' : `; evidence in ${opts.evidence}`}`,
  );
  try {
    await untilStopped(server);
  } finally {
    log?.close();
  }
}
