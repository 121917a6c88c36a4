// SPDX-License-Identifier: Apache-2.0
// The audit's HTML report, opened in headless Chromium (Debian's package, driven by playwright-core):
// it shows the right figures, its table filters, and it makes no network request at all.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
const browser = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p) => spawnSync(p, ['--version']).status === 0,
);
const work = mkdtempSync(join(tmpdir(), 'ap-report-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [bin, '--home', join(work, 'home'), ...args], {
    cwd: work,
    encoding: 'utf8',
    timeout: 120_000,
  });

describe.skipIf(browser === undefined)(
  'the audit HTML report in headless Chromium (needs Debian chromium)',
  () => {
    it('shows the audit, filters its entries, and loads nothing from the network', async () => {
      expect(cli('demo', '--calls', '--out', 'demo').status).toBe(0);
      const author = readFileSync(join(work, 'demo', 'bundle-author.txt'), 'utf8').trim();
      const audit = cli(
        'audit',
        'demo/evidence.jsonl',
        '--bundle',
        'demo/bundle.json',
        '--bundle-author',
        author,
        '--html',
        'report.html',
      );
      expect(audit.status, audit.stderr).toBe(0);

      const b = await chromium.launch({ executablePath: browser as string, args: ['--no-sandbox'] });
      try {
        const page = await b.newPage();
        const requests: string[] = [];
        page.on('request', (r) => requests.push(r.url()));
        await page.goto(pathToFileURL(join(work, 'report.html')).href);
        await expect.poll(() => page.textContent('#verdict')).toContain('intact');
        const card = (name: string) => page.textContent(`[data-card="${name}"] b`);
        expect(await card('entries')).toBe('13');
        expect(await card('accepted')).toBe('12');
        expect(await card('refused')).toBe('1');
        expect(await card('do not re-verify')).toBe('0');
        expect(await page.locator('#agents tr').count()).toBe(4); // header + three agents
        const rows = () => page.locator('#entries tr').count();
        expect(await rows()).toBe(14);
        await page.fill('#filter', 'billing-3');
        expect(await rows()).toBe(5);
        await page.fill('#filter', '/ledger');
        expect(await rows()).toBe(4); // two payments and the refused attempt, plus the header
        await page.fill('#filter', '');
        await page.selectOption('#outcome', 'refused');
        expect(await rows()).toBe(2);
        expect(await page.textContent('#entries')).toContain('ERR_SCOPE_DENIED');
        expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
      } finally {
        await b.close();
      }
    });
  },
);
