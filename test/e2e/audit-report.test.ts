// SPDX-License-Identifier: Apache-2.0
// The audit's HTML report, opened in headless Chromium (Debian's package, driven by playwright-core):
// the right figures; readable at 1280 px and on a phone (390 px), checked on full-page screenshots
// and on the document's own width; empty states; agents sorted; a refused call named; an --entry
// query showing its request; shortened identifiers with the full value on hover and copy; a paged,
// filterable entry table; a 30,000-entry report that stays small and fast; no network at all.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type AuditReport, type AuditRow, renderHtmlReport } from '@agent-passport/evidence';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
const browserPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p) => spawnSync(p, ['--version']).status === 0,
);
const work = mkdtempSync(join(tmpdir(), 'ap-report-'));

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [bin, '--home', join(work, 'home'), ...args], {
    cwd: work,
    encoding: 'utf8',
    timeout: 120_000,
  });

/** The width of a PNG (its IHDR chunk): a full-page screenshot is as wide as the page. */
const pngWidth = (png: Buffer) => png.readUInt32BE(16);

/** Open a report at a width; every request the page makes is collected. */
async function open(b: Browser, file: string, width: number): Promise<{ page: Page; requests: string[] }> {
  const page = await b.newPage({ viewport: { width, height: 900 } });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  await expect.poll(() => page.textContent('#shown')).toMatch(/of/);
  return { page, requests };
}

/** Nothing wider than the window, on the page and on its full-page screenshot (kept in `work`). */
async function fitsWidth(page: Page, width: number, name: string) {
  const widths = (await page.evaluate(
    '({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })',
  )) as { scroll: number; inner: number };
  expect(widths.inner).toBe(width);
  expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
  const shot = await page.screenshot({ fullPage: true, path: join(work, `${name}-${width}.png`) });
  expect(pngWidth(shot)).toBe(width);
}

const rowTexts = (page: Page, table: string) =>
  page.$$eval(`#${table} tr:not(.head)`, (trs) => trs.map((tr) => tr.textContent ?? ''));

describe.skipIf(browserPath === undefined)(
  'the audit HTML report in headless Chromium (Debian chromium)',
  () => {
    let b: Browser;
    let author = '';
    beforeAll(async () => {
      expect(cli('demo', '--calls', '--out', 'demo').status).toBe(0);
      author = readFileSync(join(work, 'demo', 'bundle-author.txt'), 'utf8').trim();
      b = await chromium.launch({
        executablePath: browserPath as string,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
      });
    }, 180_000);
    afterAll(async () => {
      await b?.close();
      rmSync(work, { recursive: true, force: true });
    });
    const audit = (...extra: string[]) =>
      cli(
        'audit',
        'demo/evidence.jsonl',
        '--bundle',
        'demo/bundle.json',
        '--bundle-author',
        author,
        ...extra,
      );

    for (const width of [1280, 390]) {
      it(`at ${width} px: fits the window, shows empty states, sorted agents and the refused call's agent`, async () => {
        const a = audit('--html', 'report.html');
        expect(a.status, a.stderr).toBe(0);
        const { page, requests } = await open(b, join(work, 'report.html'), width);
        expect(await page.textContent('#verdict')).toContain('intact');
        const card = (name: string) => page.textContent(`[data-card="${name}"] b`);
        expect(await card('entries')).toBe('13');
        expect(await card('accepted')).toBe('12');
        expect(await card('refused')).toBe('1');
        expect(await card('do not re-verify')).toBe('0');
        await fitsWidth(page, width, 'report');

        // Empty states say so.
        expect(await rowTexts(page, 'problems')).toEqual([expect.stringMatching(/^none/)]);
        expect(await page.textContent('#warnings')).toBe('none');

        // Agents sorted by name; each with its issuer; DIDs shortened, the full value in the title.
        const names = await page.$$eval('#agents tr:not(.head) .name', (ns) => ns.map((n) => n.textContent));
        expect(names).toEqual(['billing-3', 'research-12', 'support-7']);
        const ids = await page.$$eval('#agents .id', (ns) =>
          ns.map((n) => ({ text: n.textContent ?? '', full: n.getAttribute('title') ?? '' })),
        );
        expect(ids.length).toBe(6);
        for (const id of ids) {
          expect(id.full).toMatch(/^did:(key|web):/);
          expect(id.text.length).toBeLessThan(id.full.length + 1);
          expect(id.text.length).toBeLessThanOrEqual(24);
        }

        // The refused call names its agent and its issuer like the others.
        await page.selectOption('#outcome', 'refused');
        const refused = await rowTexts(page, 'entries');
        expect(refused).toHaveLength(1);
        expect(refused[0]).toContain('support-7');
        expect(refused[0]).toContain('ERR_SCOPE_DENIED');
        expect(await page.textContent('#issuers')).not.toContain('unknown issuer');
        expect(await page.locator('#issuers tr:not(.head)').count()).toBe(1);
        await fitsWidth(page, width, 'refused');

        // Filters work over every entry.
        await page.selectOption('#outcome', '');
        expect(await page.locator('#entries tr:not(.head)').count()).toBe(13);
        await page.fill('#filter', 'billing-3');
        expect(await page.locator('#entries tr:not(.head)').count()).toBe(4);
        await page.fill('#filter', '/ledger');
        expect(await page.locator('#entries tr:not(.head)').count()).toBe(3);
        await page.fill('#filter', 'no-such-thing');
        expect(await rowTexts(page, 'entries')).toEqual(['none match this filter']);
        expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
        await page.close();
      });
    }

    it('an --entry query shows the request (method, path, body digest) and downloads the full JSON', async () => {
      const a = audit('--entry', '5', '--html', 'entry.html');
      expect(a.status, a.stderr).toBe(0);
      const log = readFileSync(join(work, 'demo', 'evidence.jsonl'), 'utf8').split('\n');
      const digest = JSON.parse(log[4] as string).request.bodyDigest as string;
      expect(digest).toMatch(/^sha-256=:/);
      expect(a.stdout).toMatch(
        /entry 5 at .*: billing-3 \(did:key:\S+\) POST http\S+\/ledger body sha-256=:/,
      );
      expect(a.stdout).toContain(`body ${digest}`);
      for (const width of [1280, 390]) {
        const { page } = await open(b, join(work, 'entry.html'), width);
        const entry = page.locator('#matches dl[data-seq="5"]');
        expect(await entry.isVisible()).toBe(true);
        const text = await entry.textContent();
        expect(text).toContain('billing-3');
        expect(text).toContain('POST /ledger');
        expect(text).toContain(digest);
        await fitsWidth(page, width, 'entry');
        if (width === 1280) {
          const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
          const full = JSON.parse(readFileSync((await download.path()) as string, 'utf8')) as AuditReport;
          expect(full.rows).toHaveLength(13);
          expect(full.rows.find((r) => r.seq === 5)).toMatchObject({ method: 'POST', bodyDigest: digest });
        }
        await page.close();
      }
    });

    it('keeps a 30,000-entry report small and fast: every entry paged and filterable', async () => {
      const report = bigReport(30_000);
      const html = renderHtmlReport(report);
      const file = join(work, 'big.html');
      writeFileSync(file, html);
      const bytes = statSync(file).size;
      const started = Date.now();
      const { page } = await open(b, file, 1280);
      await expect.poll(() => page.textContent('#shown')).toContain('of 30000 entries');
      const ms = Date.now() - started;
      console.log(`30,000-entry report: ${(bytes / 1024 / 1024).toFixed(2)} MiB, shown in ${ms} ms`);
      expect(bytes).toBeLessThan(3 * 1024 * 1024);
      expect(ms).toBeLessThan(8000); // generous on two busy cores (it was 17 s for 10,000 rows)
      expect(await page.locator('#entries tr:not(.head)').count()).toBe(100);
      await fitsWidth(page, 1280, 'big');
      await page.fill('#filter', 'agent-0041');
      await expect.poll(() => page.textContent('#shown')).toContain('of 600 matching entries');
      await page.click('#next');
      expect(await page.textContent('#shown')).toMatch(/^101–200 of 600/);
      await page.fill('#filter', '');
      await page.selectOption('#outcome', 'failed');
      expect(await page.textContent('#shown')).toContain('of 300 matching');
      await page.close();
    }, 120_000);
  },
);

/** A synthetic audit of `n` entries by 50 agents: one refused in 20, one failed in 100. */
function bigReport(n: number): AuditReport {
  const did = (i: number) => `did:key:z6Mk${String(i).padStart(4, '0')}${'x'.repeat(40)}`;
  const rows: AuditRow[] = [];
  const byAgent: Record<string, { accepted: number; refused: number; failed: number; agentName: string }> =
    {};
  const totals = { accepted: 0, refused: 0, failed: 0, garbage: 0, events: 0 };
  for (let seq = 1; seq <= n; seq++) {
    const a = seq % 50;
    const outcome = seq % 100 === 0 ? 'failed' : seq % 20 === 0 ? 'refused' : 'accepted';
    totals[outcome] += 1;
    const counts = byAgent[did(a)] ?? {
      accepted: 0,
      refused: 0,
      failed: 0,
      agentName: `agent-${String(a).padStart(4, '0')}`,
    };
    byAgent[did(a)] = counts;
    counts[outcome] += 1;
    rows.push({
      seq,
      time: new Date(Date.UTC(2026, 5, 1) + seq * 1000).toISOString().replace('.000Z', 'Z'),
      kind: 'request',
      file: 'evidence.jsonl',
      line: seq,
      agent: did(a),
      agentName: `agent-${String(a).padStart(4, '0')}`,
      issuer: 'did:web:acme.example',
      passportId: `urn:uuid:00000000-0000-4000-8000-${String(a).padStart(12, '0')}`,
      scopes: ['write:ledger'],
      method: seq % 3 === 0 ? 'POST' : 'GET',
      url: `https://api.acme.example/ledger/${seq % 7}`,
      ...(seq % 3 === 0 ? { bodyDigest: `sha-256=:${Buffer.alloc(32, seq % 256).toString('base64')}:` } : {}),
      logged: outcome === 'refused' ? 'refused' : 'accepted',
      outcome,
      ...(outcome === 'accepted'
        ? {}
        : { code: outcome === 'failed' ? 'ERR_REVOKED' : 'ERR_SCOPE_DENIED', message: 'x' }),
    });
  }
  return {
    files: ['evidence.jsonl'],
    entries: n,
    lines: n,
    totals,
    intact: true,
    byAgent,
    byIssuer: {
      'did:web:acme.example': { accepted: totals.accepted, refused: totals.refused, failed: totals.failed },
    },
    byScope: {
      'write:ledger': { accepted: totals.accepted, refused: totals.refused, failed: totals.failed },
    },
    problems: [],
    problemsOmitted: 0,
    rows,
    rowsOmitted: 0,
    matches: [],
    warnings: [],
  };
}
