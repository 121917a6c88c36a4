// SPDX-License-Identifier: Apache-2.0
// `delegate`: an AgentDelegation from an agent of this home to a sub-agent, signed with the agent's
// key; refused (with the chain verifier's code) unless it is narrower than the parent it names.
import { delegate } from '@agent-passport/delegation';
import { createSigner } from '@agent-passport/suites';
import type { VerbContext } from '../context.js';
import { agentLabel, openHome, passphrase } from '../home.js';
import { emit, readJsonInput } from '../internal/files.js';
import { checkGrantedScopes } from '../scopes.js';
import { parseDateTime, parseDuration } from '../usage.js';

interface Options {
  from: string;
  to: string;
  parent: string;
  scope: string[];
  validFor: string;
  validUntil?: string;
  audience?: string[];
  maxDepth?: number;
  maxCalls?: number;
  purpose?: string;
  out?: string;
}

export async function run({ out, homeDir }: VerbContext, opts: Options): Promise<void> {
  checkGrantedScopes(opts.scope);
  const now = new Date();
  const validUntil =
    opts.validUntil === undefined
      ? new Date(now.getTime() + parseDuration(opts.validFor, '--valid-for'))
      : parseDateTime(opts.validUntil, '--valid-until');
  const parent = (await readJsonInput(opts.parent)) as Parameters<typeof delegate>[0]['parent'];
  const key = await (await openHome(homeDir).keys()).load(agentLabel(opts.from), await passphrase());
  const delegation = await delegate({
    parent,
    signer: createSigner(key, `${key.did}#${key.publicKeyMultibase}`),
    subject: opts.to,
    scopes: opts.scope,
    validFrom: now,
    validUntil,
    now,
    ...(opts.audience === undefined ? {} : { audience: opts.audience }),
    ...(opts.maxDepth === undefined ? {} : { maxDepth: opts.maxDepth }),
    ...(opts.maxCalls === undefined ? {} : { maxCalls: opts.maxCalls }),
    ...(opts.purpose === undefined ? {} : { purpose: opts.purpose }),
  });
  emit(out, opts.out, delegation);
}
