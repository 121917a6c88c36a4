// SPDX-License-Identifier: Apache-2.0
// `issue`: a passport for an agent, signed with the organisation's key; with status lists, its
// status index is reserved durably before signing.
import { randomUUID } from 'node:crypto';
import { type IssuerState, issuePassport } from '@agent-passport/issuer';
import type { VerbContext } from '../context.js';
import { agentDid, type Home, openHome, orgSigner } from '../home.js';
import { emit } from '../internal/files.js';
import type { OrgRecord } from '../org-record.js';
import { checkGrantedScopes } from '../scopes.js';
import { refreshStatusLists } from '../status-lists.js';
import { parseDateTime, parseDuration, usage } from '../usage.js';

interface Options {
  agent?: string;
  subject?: string;
  name?: string;
  purpose: string;
  scope: string[];
  validFor: string;
  validUntil?: string;
  maxCalls?: number;
  audience?: string[];
  delegationDepth?: number;
  out?: string;
}

async function subjectOf(home: Home, opts: Options): Promise<string> {
  if ((opts.agent === undefined) === (opts.subject === undefined))
    throw usage('give exactly one of --agent <name> or --subject <did:key>');
  return opts.agent === undefined ? (opts.subject as string) : agentDid(home, opts.agent);
}

/** Reserve the status entries (durably: a crash wastes an index, never hands it out twice). */
async function reserveStatus(
  home: Home,
  record: OrgRecord,
  passport: Parameters<IssuerState['allocate']>[0],
) {
  const state = await home.issuerState(record);
  return state === undefined ? undefined : (await state.allocate(passport)).entries;
}

/** --valid-until as written (checked), else now + --valid-for. */
function validUntilOf(opts: Options, now: Date): string | Date {
  if (opts.validUntil === undefined)
    return new Date(now.getTime() + parseDuration(opts.validFor, '--valid-for'));
  parseDateTime(opts.validUntil, '--valid-until');
  return opts.validUntil;
}

export async function run({ out, homeDir }: VerbContext, opts: Options): Promise<void> {
  checkGrantedScopes(opts.scope);
  const now = new Date();
  const validUntil = validUntilOf(opts, now);
  const home = openHome(homeDir);
  const subject = await subjectOf(home, opts);
  const { org: record, signer } = await orgSigner(home);
  const id = `urn:uuid:${randomUUID()}`;
  const agentName = opts.name ?? opts.agent ?? 'agent';
  const status = await reserveStatus(home, record, {
    id,
    subject,
    agentName,
    issuedAt: now.toISOString(),
    validUntil: typeof validUntil === 'string' ? validUntil : validUntil.toISOString(),
  });
  const passport = await issuePassport({
    id,
    ...(status === undefined ? {} : { credentialStatus: status }),
    issuer: { id: record.did, signer, didDocument: record.didDocument },
    subject,
    agentName,
    purpose: opts.purpose,
    scopes: opts.scope,
    validUntil,
    now,
    ...(opts.maxCalls === undefined ? {} : { maxCalls: opts.maxCalls }),
    ...(opts.audience === undefined ? {} : { audience: opts.audience }),
    ...(opts.delegationDepth === undefined
      ? {}
      : { delegation: { allowed: true, maxDepth: opts.delegationDepth } }),
  });
  if (status !== undefined) await refreshStatusLists(home, record, signer, now);
  emit(out, opts.out, passport);
}
