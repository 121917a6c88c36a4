// SPDX-License-Identifier: Apache-2.0
// `present`: a presentation of a passport, signed with the agent's key for a verifier's challenge.
import { createPresentation } from '@agent-passport/issuer';
import { createSigner } from '@agent-passport/suites';
import type { VerbContext } from '../context.js';
import { agentLabel, openHome, passphrase } from '../home.js';
import { emit, readJsonInput } from '../internal/files.js';

interface Options {
  agent: string;
  passport: string;
  challenge: string;
  domain?: string;
  out?: string;
}

export async function run({ out, homeDir }: VerbContext, opts: Options): Promise<void> {
  const passport = (await readJsonInput(opts.passport)) as Parameters<
    typeof createPresentation
  >[0]['passport'];
  const key = await (await openHome(homeDir).keys()).load(agentLabel(opts.agent), await passphrase());
  const vp = await createPresentation({
    passport,
    signer: createSigner(key, `${key.did}#${key.publicKeyMultibase}`),
    challenge: opts.challenge,
    ...(opts.domain === undefined ? {} : { domain: opts.domain }),
  });
  emit(out, opts.out, vp);
}
