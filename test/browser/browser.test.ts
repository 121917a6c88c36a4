// SPDX-License-Identifier: Apache-2.0
// The verification packages run in a browser: portable.ts (verifier, did-key, suites, status,
// trust-bundle, http-signatures verification, the fetch and Hono middleware entries) is bundled
// by esbuild for the browser platform, where any Node built-in fails the build; the bundle holds no
// signing code; Debian's headless Chromium then runs the fixture cases, the W3C vectors, a trust
// bundle with status lists, a signed request and encoded lists, and must answer as Node does.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, inCi } from './chromium.js';
import { runAll, type World } from './portable.js';
import { makeWorld } from './world.js';

async function bundle(entry: string) {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    conditions: ['source'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: r.outputFiles[0]?.text ?? '', metafile: r.metafile as Metafile };
}

/** The source files that put bytes into the bundle. */
const contributing = (m: Metafile) =>
  Object.values(m.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, i]) => i.bytesInOutput > 0)
      .map(([path]) => path),
  );

let built: Awaited<ReturnType<typeof bundle>>;
let world: World;
beforeAll(async () => {
  built = await bundle(join(import.meta.dirname, 'portable.ts'));
  world = await makeWorld();
});

describe('the verification bundle', () => {
  it('builds for the browser platform: no Node built-in among its inputs', () => {
    const inputs = Object.keys(built.metafile.inputs);
    expect(inputs.some((p) => p.includes('packages/verifier/src/'))).toBe(true);
    expect(inputs.some((p) => p.includes('packages/did-key/src/crypto/web.ts'))).toBe(true);
    expect(
      inputs.filter(
        (p) => p.startsWith('node:') || p.includes('crypto/node.ts') || p.includes('gzip/node.ts'),
      ),
    ).toEqual([]);
  });

  it('a Node-only entry fails the same build (the check can fail)', async () => {
    const entry = join(import.meta.dirname, '..', '..', 'packages', 'did-web', 'src', 'entry-resolver.ts');
    await expect(bundle(entry)).rejects.toThrow(/node:https|node:dns|node:net/);
  });

  it('contains no signing code: no issuer, keystore or signing module, no signer function', () => {
    // The project's own code in the bundle: esbuild heads each module with a `// path` comment.
    const ours = built.code
      .split(/\n(?=\/\/ \.\.\/)/)
      .filter((section) => section.startsWith('// ../packages/'))
      .join('\n');
    const sources = contributing(built.metafile);
    const signing =
      /packages\/(issuer|keystore|cli|server|evidence)\/|http-signatures\/src\/(sign|agent|web-bot-auth)\.ts|status\/src\/credential\.ts/;
    expect(sources.filter((p) => signing.test(p))).toEqual([]);
    expect(sources.length).toBeGreaterThan(50);
    for (const name of [
      'createSigner',
      'didKeySigner',
      'signerFor',
      'signCredential',
      'signPresentation',
      'addProof',
      'createTrustBundle',
      'issueStatusListCredential',
      'signRequest',
      'createSigningFetch',
      'signWebBotAuth',
      'privateJwk',
    ]) {
      expect(ours.includes(`function ${name}(`), name).toBe(false);
    }
    // The sentinel test sees what it looks for: the verifier's own functions are there by name.
    expect(ours).toContain('function verifyProof(');
    expect(ours).toContain('function verifySignature(');
  });
});

describe('in headless Chromium', () => {
  let server: Server;
  let browser: Browser | undefined;
  let origin = '';
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      if (inCi) throw new Error(`${CHROMIUM} is missing: CI must install chromium (.ci/run)`);
      return;
    }
    const page =
      '<!doctype html><script type="module">import * as p from "/portable.js"; globalThis.portable = p;</script>';
    server = createServer((req, res) => {
      if (req.url === '/portable.js')
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(built.code);
      else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(page);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it.skipIf(!existsSync(CHROMIUM) && !inCi)('gives every verdict and code Node gives', async () => {
    if (browser === undefined) throw new Error('no browser');
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(origin);
    await page.waitForFunction(() => 'portable' in globalThis);
    const inBrowser = await page.evaluate(
      (w) => (globalThis as unknown as { portable: { runAll: typeof runAll } }).portable.runAll(w),
      world,
    );
    const onNode = await runAll(world);
    expect(errors).toEqual([]);
    expect(inBrowser).toEqual(onNode);
    // And Node's verdicts are the expected ones: every fixture case as its file says, the vectors
    // verified, the revoked passport refused, the retargeted request refused, bad lists refused.
    for (const c of world.cases) {
      const want = (c as unknown as { expect: { verified: boolean; code?: string } }).expect;
      expect(onNode[`case ${c.name}`], c.name).toMatchObject({
        verified: want.verified,
        codes: want.verified ? [] : [want.code],
      });
    }
    expect(onNode).toMatchObject({
      'vector eddsa-jcs-2022': { verified: true },
      'vector eddsa-jcs-2022 edited': { verified: false, codes: ['ERR_PROOF_INVALID'] },
      'vector eddsa-rdfc-2022': { verified: true },
      'vector ecdsa-jcs-2019 P-256': { verified: true },
      'bundle valid': { verified: true },
      'bundle revoked': { verified: false, codes: ['ERR_REVOKED'] },
      'bundle other author': { verified: false, codes: ['ERR_BUNDLE_SIGNATURE'] },
      'request signed': { verified: true },
      'request retargeted': { verified: false, codes: ['ERR_SIG_INVALID'] },
      'status list W3C example': { verified: true, failed: '16384:0' },
      'status list two bits set': { verified: true, failed: '16384:160' },
      'status list a GZIP bomb': { verified: false, codes: ['ERR_STATUS_LIST_INVALID'] },
      'status list a wrong CRC-32': { verified: false, codes: ['ERR_STATUS_LIST_INVALID'] },
      'status list truncated': { verified: false, codes: ['ERR_STATUS_LIST_INVALID'] },
      'middleware entries': { verified: true },
    });
    await page.close();
  });
});
