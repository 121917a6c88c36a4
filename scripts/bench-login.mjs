// SPDX-License-Identifier: Apache-2.0
// The login rows of `npm run bench` beside bench.mjs's own (a full passport login): a full
// headless login by delegation chain, in process. A sub-agent holding one delegation from the
// agent creates the exchange, verifies the site's signed answer, presents [passport, delegation]
// over the challenge; the site verifies the chain offline, consumes the challenge, opens the session.
import { sign } from 'node:crypto';
import { createDelegationVerifier, delegate } from '@agent-passport/delegation';
import { buildDidDocument } from '@agent-passport/did-web';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { login } from '@agent-passport/login/agent';
import { createLoginSite } from '@agent-passport/login/site';
import { didKeySigner, privateKeyObject } from '@agent-passport/suites';

const ORIGIN = 'https://chain-shop.example';
const DID = 'did:web:chain-shop.example';

/** Rows for `measure` (bench.mjs): `claims` issue the agent's passport, `agent` is its key. */
export async function benchLogin({ measure, iterations, verifier, claims, agent }) {
  const siteKey = generateKey();
  const secretKey = privateKeyObject(siteKey);
  const site = createLoginSite({
    origin: ORIGIN,
    did: DID,
    keyId: `${DID}#key-1`,
    signer: (data) => new Uint8Array(sign(null, data, secretKey)),
    verifier,
    delegation: createDelegationVerifier({ trustedIssuers: [claims.issuer.id], origin: ORIGIN }),
    secret: new Uint8Array(32).fill(8),
    sessionTtlSeconds: 60,
  });
  const siteDocument = buildDidDocument({
    did: DID,
    keys: [{ publicKeyMultibase: siteKey.publicKeyMultibase, purposes: ['authentication'] }],
  });
  const passport = await issuePassport({ ...claims, delegation: { allowed: true, maxDepth: 1 } });
  const sub = generateKey();
  const delegations = [
    await delegate({
      parent: passport,
      signer: didKeySigner(agent),
      subject: sub.did,
      scopes: [claims.scopes[0]],
      validUntil: new Date(Date.now() + 3_600_000),
      audience: [ORIGIN],
      maxCalls: 1_000_000,
    }),
  ];
  return [
    await measure(
      'full headless login by delegation chain (sub-agent, one link)',
      () => login(site.workflowUrl, { key: sub, passport, delegations, siteDocument, fetch: site.fetch }),
      iterations,
    ),
  ];
}
