// SPDX-License-Identifier: Apache-2.0
// With an evidence log configured, a completed exchange (the presentation, its challenge and
// domain, the verification) and every session call are written to it; when the log cannot record,
// the login is refused (fail closed); so is the creation of an exchange, while a session revocation
// takes effect whatever the log does and reports a failed write.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassportError } from '@agent-passport/core';
import { openEvidenceLog } from '@agent-passport/evidence';
import { createPresentation } from '@agent-passport/issuer';
import { afterAll, describe, expect, it } from 'vitest';
import { login } from '../src/agent.js';
import {
  agent,
  agentSigner,
  newExchange,
  passportFor,
  post,
  signedPost,
  siteDocument,
  startSite,
  thief,
} from './world.js';

const dir = mkdtempSync(join(tmpdir(), 'ap-login-evidence-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evidence', () => {
  it('records the login presentation and the session calls', async () => {
    const log = openEvidenceLog(join(dir, 'site.jsonl'));
    const s = await startSite({ evidence: log });
    try {
      const passport = await passportFor(agent);
      const api = await login(s.site.workflowUrl, { key: agent, passport, siteDocument });
      expect((await api(`${s.url}/api/me`)).status).toBe(200);
      // Refusals are not recorded unless asked (recordRefused): a presentation not by the signer.
      const xid = await newExchange(s.url);
      const url = `${s.url}/workflows/agent-login/exchanges/${xid}`;
      const asked = await post(await signedPost(thief, url, {}));
      const { challenge } = asked.json['verifiablePresentationRequest'] as { challenge: string };
      const vp = await createPresentation({ passport, signer: agentSigner, challenge, domain: s.url });
      const refused = await post(await signedPost(thief, url, { verifiablePresentation: vp }));
      expect(refused.json.code).toBe('ERR_HOLDER_MISMATCH');
      // Nor a refusal before the presentation step (an exchange the site never made).
      const early = await post(await signedPost(agent, `${s.url}/workflows/agent-login/exchanges/nope`, {}));
      expect(early.json.code).toBe('ERR_LOGIN_EXCHANGE_UNKNOWN');
      const entries = readFileSync(log.path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { kind: string; agent?: string });
      // Each exchange created is an event; the refusal itself is not recorded (no recordRefused).
      expect(entries.map((e) => e.kind)).toEqual(['event', 'presentation', 'request', 'event']);
      expect(JSON.stringify(entries[1])).toContain(s.url);
    } finally {
      log.close();
      await s.close();
    }
  });

  it('a log that cannot record refuses the login: ERR_EVIDENCE_UNAVAILABLE', async () => {
    const broken = {
      record: () => Promise.reject(new Error('disk full')),
      recordPresentation: () => Promise.reject(new Error('disk full')),
    };
    const s = await startSite({ evidence: broken });
    try {
      const error = await login(s.site.workflowUrl, {
        key: agent,
        passport: await passportFor(agent),
        siteDocument,
      }).catch((e) => e);
      expect(error).toBeInstanceOf(PassportError);
      expect((error as PassportError).message).toContain('ERR_EVIDENCE_UNAVAILABLE');
    } finally {
      await s.close();
    }
  });

  it('a log that cannot record an event refuses to create an exchange: ERR_EVIDENCE_UNAVAILABLE', async () => {
    const log = openEvidenceLog(join(dir, 'no-events.jsonl'));
    const s = await startSite({
      evidence: {
        record: (e) => log.record(e),
        recordPresentation: (e) => log.recordPresentation(e),
        recordEvent: () => Promise.reject(new Error('disk full')),
      },
    });
    try {
      const r = await fetch(`${s.url}/workflows/agent-login/exchanges`, { method: 'POST' });
      const body = (await r.json()) as Record<string, unknown>;
      expect(body['code']).toBe('ERR_EVIDENCE_UNAVAILABLE');
      expect(body['exchangeId']).toBeUndefined();
      expect(r.status).toBe(503);
    } finally {
      log.close();
      await s.close();
    }
  });

  it('a revocation the log cannot record still takes effect, and says so: ERR_EVIDENCE_UNAVAILABLE', async () => {
    const log = openEvidenceLog(join(dir, 'no-revocations.jsonl'));
    const s = await startSite({
      evidence: {
        record: (e) => log.record(e),
        recordPresentation: (e) => log.recordPresentation(e),
        recordEvent: (e) =>
          e.event === 'session-revoked' ? Promise.reject(new Error('disk full')) : log.recordEvent(e),
      },
    });
    try {
      const api = await login(s.site.workflowUrl, {
        key: agent,
        passport: await passportFor(agent),
        siteDocument,
      });
      expect((await api(`${s.url}/api/me`)).status).toBe(200);
      const error = await s.site.revokeSession(api.session.id).catch((e) => e);
      expect(error).toBeInstanceOf(PassportError);
      expect((error as PassportError).code).toBe('ERR_EVIDENCE_UNAVAILABLE');
      expect((error as PassportError).message).toContain('is revoked');
      const after = await api(`${s.url}/api/me`);
      expect(((await after.json()) as { code: string }).code).toBe('ERR_LOGIN_SESSION_REVOKED');
    } finally {
      log.close();
      await s.close();
    }
  });
});
