// SPDX-License-Identifier: Apache-2.0
// A delegated call in the evidence log: the entry names the sub-agent and the chain, and the audit
// re-verifies the chain and names it (who acted, on whose authority).

import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDelegationVerifier, delegate } from '@agent-passport/delegation';
import {
  DELEGATION_HEADER,
  DELEGATION_REF_HEADER,
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  passportRef,
  signRequest,
} from '@agent-passport/http-signatures';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { createRequestVerifier } from '@agent-passport/middleware';
import { createStatusChecker } from '@agent-passport/status';
import { didKeySigner } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { afterAll, describe, expect, it } from 'vitest';
import { openEvidenceLog, renderHtmlReport } from '../src/index.js';
import { ROW_COLUMNS } from '../src/report-data.js';
import { auditLog } from './differential.js';
import { at, createWorld, ORG } from './world.js';

const world = createWorld([]);
const browserPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p) => spawnSync(p, ['--version']).status === 0,
);
afterAll(() => rmSync(world.dir, { recursive: true, force: true }));
const ORIGIN = 'https://api.acme.example';

let delegated: { html: string; ids: string[] } | undefined;

describe('delegated calls in the evidence log', () => {
  it('records the chain, and the audit re-verifies it and names organisation → planner → sub-agent', async () => {
    const planner = generateKey();
    const sub = generateKey();
    const passport = await issuePassport({
      issuer: { id: ORG, signer: world.signer, didDocument: world.document() },
      subject: planner.did,
      agentName: 'planner',
      purpose: 'research planning',
      scopes: ['read:arxiv/*'],
      validUntil: at(24 * 60),
      delegation: { allowed: true, maxDepth: 1 },
      now: at(0),
    });
    const link = await delegate({
      parent: passport,
      signer: didKeySigner(planner),
      subject: sub.did,
      scopes: ['read:arxiv/papers'],
      validUntil: at(60),
      audience: [ORIGIN],
      now: at(1),
    });
    const path = join(world.dir, 'delegated.jsonl');
    const log = openEvidenceLog(path);
    let now = at(10);
    const config = {
      trustedIssuers: [{ id: ORG, didDocument: world.document() }],
      checkStatus: createStatusChecker({ lists: await world.lists(at(10)) }),
      clock: () => now,
      origin: ORIGIN,
    };
    const requests = createRequestVerifier({
      verifier: createVerifier(config),
      delegation: createDelegationVerifier(config),
      clock: () => now,
      evidence: log,
    });
    const passportBytes = new TextEncoder().encode(JSON.stringify(passport));
    const chainBytes = new TextEncoder().encode(JSON.stringify([link]));
    const signer = didKeySigner(sub);
    for (const [minute, first] of [
      [11, true],
      [12, false],
    ] as const) {
      now = at(minute);
      const request = await signRequest(new Request(`${ORIGIN}/papers`), {
        keyId: signer.id,
        signer: (data) => signer.sign({ data }),
        created: Math.floor(now.getTime() / 1000),
        extraHeaders: first
          ? {
              [PASSPORT_HEADER]: Buffer.from(passportBytes).toString('base64url'),
              [DELEGATION_HEADER]: Buffer.from(chainBytes).toString('base64url'),
            }
          : {
              [PASSPORT_REF_HEADER]: passportRef(passportBytes),
              [DELEGATION_REF_HEADER]: passportRef(chainBytes),
            },
      });
      const r = await requests.verifyRequest(request, { requiredScopes: ['read:arxiv/papers'] });
      expect(r.errors).toEqual([]);
      expect(r.delegation?.principals).toEqual([ORG, planner.did, sub.did]);
    }
    log.close();
    const report = await auditLog(path, {
      bundles: [await world.bundle(at(30))],
      authors: [world.operator.did],
      workers: 0,
      query: { seq: 2 },
    });
    expect(report.problems).toEqual([]);
    expect(report.rows.map((r) => [r.outcome, r.agent, r.passportId])).toEqual([
      ['accepted', sub.did, passport.id],
      ['accepted', sub.did, passport.id],
    ]);
    for (const row of report.rows) expect(row.principals).toEqual([ORG, planner.did, sub.did]);
    // The report names the chain: per chain, in the query's answer, and in the HTML page's data.
    const chain = `${ORG} → ${planner.did} → ${sub.did}`;
    expect(report.byChain).toEqual({ [chain]: { accepted: 2, refused: 0, failed: 0 } });
    expect(report.matches.map((m) => m.principals)).toEqual([[ORG, planner.did, sub.did]]);
    const html = renderHtmlReport(report);
    const data = JSON.parse(
      /<script type="application\/json" id="data">(.*?)<\/script>/s
        .exec(html)?.[1]
        ?.replace(/\\u003c/g, '<') ?? '',
    );
    const column = ROW_COLUMNS.indexOf('principals');
    expect(data.rows.map((r: number[]) => data.strings[r[column] as number])).toEqual([chain, chain]);
    delegated = { html, ids: [ORG, planner.did, sub.did] };
  });

  it.skipIf(browserPath === undefined)('shows the chain in the HTML report (headless Chromium)', async () => {
    const { chromium } = await import('playwright-core');
    const { html, ids } = delegated as { html: string; ids: string[] };
    const file = join(world.dir, 'delegated.html');
    writeFileSync(file, html);
    const browser = await chromium.launch({ executablePath: browserPath as string });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('#chains tr:not(.head)');
      const full = (sel: string) =>
        page.$$eval(`${sel} [data-full]`, (els) => els.map((e) => e.getAttribute('data-full')));
      // Per chain: one row, organisation → planner → sub-agent.
      expect(await full('#chains')).toEqual(ids);
      expect(await page.textContent('#chains')).toMatch(/→.*→/);
      // The query's entry and every entry row: the sub-agent, on the authority of the chain.
      expect(await page.textContent('#matches')).toContain('on the authority of');
      expect(await full('#matches .chain')).toEqual(ids);
      for (const tr of await page.$$('#entries tr:not(.head)')) {
        expect(await tr.textContent()).toContain('on the authority of');
        expect(
          await tr.$$eval('.chain [data-full]', (els) => els.map((e) => e.getAttribute('data-full'))),
        ).toEqual(ids);
      }
    } finally {
      await browser.close();
    }
  });
});
