// SPDX-License-Identifier: Apache-2.0
// The evidence a login site writes, audited offline (auditLog over a trust bundle): an accepted
// passport login (its presentation), its session calls, logins refused at the presentation step
// (a challenge used twice, a presentation relayed by another key: recorded refused, with the
// site's code), and a sub-agent's chain login whose session calls carry the chain. The audit
// re-verifies every entry and finds the log intact, with no problem.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentPassport } from '@agent-passport/core';
import { delegate } from '@agent-passport/delegation';
import { resolveDidKey } from '@agent-passport/did-key';
import { auditLog, openEvidenceLog } from '@agent-passport/evidence';
import { createPresentation, issuePassport } from '@agent-passport/issuer';
import { generateKey, type KeyMaterial } from '@agent-passport/keystore';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { didKeySigner } from '@agent-passport/suites';
import { createTrustBundle } from '@agent-passport/trust-bundle';
import { afterAll, describe, expect, it } from 'vitest';
import { login } from '../src/agent.js';
import { agent, newExchange, org, post, signedPost, siteDocument, startSite, thief } from './world.js';

const dir = mkdtempSync(join(tmpdir(), 'ap-login-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sub = generateKey();
const operator = generateKey();

/** A passport with no status entry (the bundle below holds no status list). */
const passportOf = (k: KeyMaterial, delegable = false) =>
  issuePassport({
    issuer: { id: org.did, signer: didKeySigner(org) },
    subject: k.did,
    agentName: `audited-${k.did.slice(-6)}`,
    purpose: 'shopping',
    scopes: ['read:catalog'],
    validUntil: new Date(Date.now() + 86_400_000),
    ...(delegable ? { delegation: { allowed: true, maxDepth: 1 } } : {}),
  }) as Promise<AgentPassport>;

const bundle = async () =>
  JSON.stringify(
    await createTrustBundle({
      author: { id: operator.did, signer: didKeySigner(operator) },
      issuers: [
        { id: org.did, didDocument: resolveDidKey(org.did), statusLists: [], schema: AGENT_PASSPORT_SCHEMA },
      ],
    }),
  );

describe('the evidence of a login site, audited', () => {
  it('is intact and re-verifies: logins, refusals and session calls, chain calls included', async () => {
    const log = openEvidenceLog(join(dir, 'site.jsonl'));
    const s = await startSite({ evidence: log, chains: true, recordRefused: true });
    const exchange = (xid: string) => `${s.url}/workflows/agent-login/exchanges/${xid}`;
    try {
      const passport = await passportOf(agent);
      const api = await login(s.site.workflowUrl, { key: agent, passport, siteDocument });
      expect((await api(`${s.url}/api/me`)).status).toBe(200);
      // A challenge completed twice: the second is refused, and recorded refused.
      const xid = await newExchange(s.url);
      const vpr = await post(await signedPost(agent, exchange(xid), {}));
      const { challenge } = vpr.json['verifiablePresentationRequest'] as { challenge: string };
      const vp = await createPresentation({
        passport,
        signer: didKeySigner(agent),
        challenge,
        domain: s.url,
      });
      expect(
        (await post(await signedPost(agent, exchange(xid), { verifiablePresentation: vp }))).status,
      ).toBe(201);
      const again = await post(await signedPost(agent, exchange(xid), { verifiablePresentation: vp }));
      expect(again.json.code).toBe('ERR_LOGIN_CHALLENGE_USED');
      // The agent's presentation relayed by the thief: refused, recorded refused.
      const other = await newExchange(s.url);
      const asked = await post(await signedPost(thief, exchange(other), {}));
      const relayed = await createPresentation({
        passport,
        signer: didKeySigner(agent),
        challenge: (asked.json['verifiablePresentationRequest'] as { challenge: string }).challenge,
        domain: s.url,
      });
      const stolen = await post(
        await signedPost(thief, exchange(other), { verifiablePresentation: relayed }),
      );
      expect(stolen.json.code).toBe('ERR_HOLDER_MISMATCH');
      // A sub-agent's chain login and its session call.
      const root = await passportOf(agent, true);
      const link = await delegate({
        parent: root,
        signer: didKeySigner(agent),
        subject: sub.did,
        scopes: ['read:catalog'],
        validUntil: new Date(Date.now() + 3_600_000),
        audience: [s.url],
      });
      const chained = await login(s.site.workflowUrl, {
        key: sub,
        passport: root,
        delegations: [link],
        siteDocument,
      });
      expect((await chained(`${s.url}/api/me`)).status).toBe(200);
    } finally {
      log.close();
      await s.close();
    }
    const lines = readFileSync(log.path, 'utf8').trim().split('\n');
    const entries = lines.map((l) => JSON.parse(l) as { kind: string; verdict: { codes: string[] } });
    expect(entries.map((e) => [e.kind, e.verdict.codes])).toEqual([
      ['presentation', []],
      ['request', []],
      ['presentation', []],
      ['presentation', ['ERR_LOGIN_CHALLENGE_USED']],
      ['presentation', ['ERR_HOLDER_MISMATCH']],
      ['request', []],
    ]);
    const report = await auditLog(log.path, {
      bundles: [await bundle()],
      authors: [operator.did],
      workers: 0,
    });
    expect(report.problems).toEqual([]);
    expect(report.intact).toBe(true);
    expect(report.rows.map((r) => [r.kind, r.outcome])).toEqual([
      ['presentation', 'accepted'],
      ['request', 'accepted'],
      ['presentation', 'accepted'],
      ['presentation', 'refused'],
      ['presentation', 'refused'],
      ['request', 'accepted'],
    ]);
    expect(report.rows.at(-1)?.principals).toEqual([org.did, agent.did, sub.did]);
  });
});
