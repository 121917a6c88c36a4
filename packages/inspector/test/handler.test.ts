// SPDX-License-Identifier: Apache-2.0
// The static folder and its handler: one build gives index.html, one bundle and one stylesheet
// with no inline script or style and nothing from another origin; the handler serves exactly those
// three files under its base path with the strict policy, and opens connect-src only when asked.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInspector, createInspectorHandler, inspectorCsp } from '../src/index.js';

let dir: string;
let root: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inspector-'));
  root = await buildInspector(join(dir, 'site'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (path: string, init: RequestInit = {}, allowDidWebFetch = true) =>
  createInspectorHandler({ root, allowDidWebFetch })(new Request(`http://127.0.0.1${path}`, init));

describe('the built folder', () => {
  it('is index.html, app.js and style.css: no inline script or style, nothing from another origin', () => {
    const html = readFileSync(join(root, 'index.html'), 'utf8');
    const css = readFileSync(join(root, 'style.css'), 'utf8');
    expect(html).toContain('<script type="module" src="app.js"></script>');
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="app.js">']);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(`${html}${css}`).not.toMatch(/(src|href)="https?:|url\(/);
    // The bundle holds the verifier and the error table it explains codes with.
    const app = readFileSync(join(root, 'app.js'), 'utf8');
    expect(app).toContain('the credential has expired');
  });
});

describe('the handler', () => {
  it('serves the page under /inspect/ with the strict policy', async () => {
    const r = await get('/inspect/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(inspectorCsp());
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await r.text()).toContain('name="did-web-fetch" content="off"');
    expect((await get('/inspect/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('/inspect/style.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('redirects the base path to the folder, and HEAD has no body', async () => {
    const r = await get('/inspect');
    expect(r.status).toBe(308);
    expect(r.headers.get('location')).toBe('/inspect/');
    const head = await get('/inspect/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('serves nothing else: other files, escapes, other paths, other methods', async () => {
    for (const path of [
      '/inspect/x.js',
      '/inspect/../package.json',
      '/inspect/%2e%2e/package.json',
      '/other',
      '/inspector',
    ])
      expect((await get(path)).status, path).toBe(404);
    expect((await get('/inspect/', { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('opens connect-src to HTTPS only when the user asks for did:web fetching, and the page says so', async () => {
    const on = await get('/inspect/?did-web');
    expect(on.headers.get('content-security-policy')).toBe(inspectorCsp(true));
    expect(on.headers.get('content-security-policy')).toContain('connect-src https:');
    expect(await on.text()).toContain('name="did-web-fetch" content="on"');
    // The page's other files keep the closed policy; an operator can refuse the request.
    expect((await get('/inspect/app.js')).headers.get('content-security-policy')).toContain(
      "connect-src 'none'",
    );
    const refused = await get('/inspect/?did-web', {}, false);
    expect(refused.headers.get('content-security-policy')).toBe(inspectorCsp());
    expect(await refused.text()).toContain('name="did-web-fetch" content="never"');
  });
});
