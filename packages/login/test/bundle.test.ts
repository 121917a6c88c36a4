// SPDX-License-Identifier: Apache-2.0
// The agent takes the site's DID document from a verified trust bundle (offline) instead of a
// pinned document; a site whose DID the bundle does not hold is refused before any request.
import type { PassportError } from '@agent-passport/core';
import { generateKey } from '@agent-passport/keystore';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { didKeySigner } from '@agent-passport/suites';
import { createTrustBundle, verifyTrustBundle } from '@agent-passport/trust-bundle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, verifySite } from '../src/agent.js';
import { agent, passportFor, type RunningSite, SITE_DID, siteDocument, startSite } from './world.js';

let s: RunningSite;
beforeAll(async () => {
  s = await startSite();
});
afterAll(() => s.close());

async function bundle() {
  const author = generateKey();
  const signed = await createTrustBundle({
    author: { id: author.did, signer: didKeySigner(author) },
    issuers: [{ id: SITE_DID, didDocument: siteDocument, statusLists: [], schema: AGENT_PASSPORT_SCHEMA }],
  });
  return verifyTrustBundle(signed, { authors: [author.did] });
}

describe('the site document from a trust bundle', () => {
  it('logs in with the bundle', async () => {
    const api = await login(s.site.workflowUrl, {
      key: agent,
      passport: await passportFor(agent),
      bundle: await bundle(),
      site: SITE_DID,
    });
    expect((await api(`${s.url}/api/me`)).status).toBe(200);
  });

  it('a DID the bundle does not hold: ERR_DID_NOT_FOUND, and nothing is sent', async () => {
    const before = s.seen.length;
    const error = await verifySite(s.url, {
      key: agent,
      bundle: await bundle(),
      site: 'did:web:other.example',
    }).catch((e) => e);
    expect((error as PassportError).code).toBe('ERR_DID_NOT_FOUND');
    expect(s.seen.length).toBe(before);
  });
});
