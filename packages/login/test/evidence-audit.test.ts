// SPDX-License-Identifier: Apache-2.0
// The evidence a login site writes, audited offline (auditLog over a trust bundle): an accepted
// passport login (its presentation), its session calls, logins refused at the presentation step
// (a challenge used twice, a presentation relayed by another key: recorded refused, with the
// site's code), a sub-agent's chain login (its presentation re-verified for the leaf, with the
// chain's principals) whose session calls carry the chain, and events: every exchange created, a
// login refused before its presentation, a session revoked. The audit re-verifies every entry,
// counts the events apart and finds the log intact, with no problem; an edited event is found.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
      // Refused before the presentation step (an exchange this site never made): an event.
      const unknown = await post(await signedPost(agent, exchange('not-an-exchange'), {}));
      expect(unknown.json.code).toBe('ERR_LOGIN_EXCHANGE_UNKNOWN');
      expect(await s.site.revokeSession(api.session.id)).toBe(true);
      expect(((await (await api(`${s.url}/api/me`)).json()) as { code: string }).code).toBe(
        'ERR_LOGIN_SESSION_REVOKED',
      );
    } finally {
      log.close();
      await s.close();
    }
    const lines = readFileSync(log.path, 'utf8').trim().split('\n');
    const entries = lines.map((l) => JSON.parse(l) as { kind: string; verdict: { codes: string[] } });
    expect(entries.map((e) => [e.kind, e.verdict.codes])).toEqual([
      ['event', []],
      ['presentation', []],
      ['request', []],
      ['event', []],
      ['presentation', []],
      ['presentation', ['ERR_LOGIN_CHALLENGE_USED']],
      ['event', []],
      ['presentation', ['ERR_HOLDER_MISMATCH']],
      ['event', []],
      ['presentation', []],
      ['request', []],
      ['event', ['ERR_LOGIN_EXCHANGE_UNKNOWN']],
      ['event', []],
      // The revoked session's call: the session check is the middleware's last check before the
      // evidence, so it is recorded as the refusal it was.
      ['request', ['ERR_LOGIN_SESSION_REVOKED']],
    ]);
    const trust = { bundles: [await bundle()], authors: [operator.did], workers: 0 };
    const report = await auditLog(log.path, trust);
    expect(report.problems).toEqual([]);
    expect(report.intact).toBe(true);
    expect(report.rows.map((r) => [r.kind, r.event?.name ?? r.outcome])).toEqual([
      ['event', 'login-exchange'],
      ['presentation', 'accepted'],
      ['request', 'accepted'],
      ['event', 'login-exchange'],
      ['presentation', 'accepted'],
      ['presentation', 'refused'],
      ['event', 'login-exchange'],
      ['presentation', 'refused'],
      ['event', 'login-exchange'],
      ['presentation', 'accepted'],
      ['request', 'accepted'],
      ['event', 'login-refused'],
      ['event', 'session-revoked'],
      ['request', 'refused'],
    ]);
    // Logged refused by the site; the audit re-verifies its signature and passport and agrees, and
    // shows the site's own reason, which re-verification cannot re-derive.
    expect(report.rows[13]).toMatchObject({
      logged: 'refused',
      outcome: 'refused',
      code: 'ERR_LOGIN_SESSION_REVOKED',
      message: 'as the service logged it (not re-derived by the audit)',
    });
    // Nor are a challenge used twice and a presentation relayed by another key: the audit
    // re-verifies each entry on its own, and the relayed presentation's own signatures hold.
    for (const [i, code] of [
      [5, 'ERR_LOGIN_CHALLENGE_USED'],
      [7, 'ERR_HOLDER_MISMATCH'],
    ] as const)
      expect(report.rows[i]).toMatchObject({
        code,
        message: 'as the service logged it (not re-derived by the audit)',
      });
    expect(report.totals).toEqual({ accepted: 5, refused: 3, failed: 0, garbage: 0, events: 6 });
    expect(report.byEvent).toEqual({ 'login-exchange': 4, 'login-refused': 1, 'session-revoked': 1 });
    // The chain login: the leaf logged in, on the chain's authority, as its session call did.
    const chainLogin = report.rows[9];
    expect(chainLogin?.agent).toBe(sub.did);
    expect(chainLogin?.principals).toEqual([org.did, agent.did, sub.did]);
    expect(report.rows[10]?.principals).toEqual([org.did, agent.did, sub.did]);
    expect(report.byChain?.[[org.did, agent.did, sub.did].join(' → ')]).toEqual({
      accepted: 2,
      refused: 0,
      failed: 0,
    });
    expect(report.rows[11]?.event).toMatchObject({ code: 'ERR_LOGIN_EXCHANGE_UNKNOWN', agent: agent.did });

    // An edited event (the revoked session's id rewritten): the audit finds it (ERR_EVIDENCE_HASH).
    const edited = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    (edited[12] as Record<string, unknown>)['ref'] = 'another-session';
    const copy = join(dir, 'edited.jsonl');
    writeFileSync(copy, `${edited.map((e) => JSON.stringify(e)).join('\n')}\n`);
    writeFileSync(`${copy}.head`, readFileSync(`${log.path}.head`));
    const tampered = await auditLog(copy, trust);
    expect(tampered.intact).toBe(false);
    expect(tampered.problems.map((p) => [p.seq, p.code])).toEqual([[13, 'ERR_EVIDENCE_HASH']]);
  });
});
