// SPDX-License-Identifier: Apache-2.0
// The inspector page (packages/inspector), served by the real CLI (`agent-passport serve`, a child
// process on 127.0.0.1) and driven in Debian's headless Chromium: every fixture case and W3C vector
// pasted into the page gets the verdict, codes and checks the Node verifier gives; trust bundles,
// signed requests, a tampered and an expired passport, the shared link; every request the page
// makes is recorded (none leaves its origin, none at all after load); screenshots at 1280 and
// 390 px land in test/browser/output/, and nothing overflows sideways at 390 px.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentLoader } from '@agent-passport/contexts';
import { ERROR_CODES } from '@agent-passport/core';
import { createDelegationVerifier, delegate } from '@agent-passport/delegation';
import { decodeMultikey } from '@agent-passport/did-key';
import { buildDidDocument } from '@agent-passport/did-web';
import { openEvidenceLog } from '@agent-passport/evidence';
import { createAgentFetch, verifySignatureHeaders } from '@agent-passport/http-signatures';
import { buildInspector, inspectorCsp } from '@agent-passport/inspector';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { withAgentPassport } from '@agent-passport/middleware';
import { createRdfcBudget, createSigner, didKeySigner, verifyProof } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, haveChromium } from './chromium.js';
import type { FixtureInput, World } from './portable.js';
import { makeWorld } from './world.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js');
const OUTPUT = join(import.meta.dirname, 'output');
const work = mkdtempSync(join(tmpdir(), 'ap-inspector-'));
const env = { ...process.env, AGENT_PASSPORT_PASSPHRASE: 'correct horse battery staple', NO_COLOR: '1' };

/** Start `agent-passport serve` with `args`; resolves with its --json output once it listens. */
function serve(args: string[]): { child: ChildProcess; ready: Promise<{ url: string }> } {
  const child = spawn(
    process.execPath,
    [bin, '--home', join(work, 'home'), '--json', 'serve', '--port', '0', ...args],
    {
      cwd: work,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const ready = new Promise<{ url: string }>((ok, fail) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      try {
        ok(JSON.parse(out) as { url: string });
      } catch {
        // Not the whole JSON value yet.
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.once('exit', (code) => fail(new Error(`serve exited ${code}: ${out}${err}`)));
  });
  return { child, ready };
}

type Fields = Partial<
  Record<
    | 'doc'
    | 'trust-docs'
    | 'bundle'
    | 'bundle-author'
    | 'as-of'
    | 'challenge'
    | 'domain'
    | 'scopes'
    | 'purposes'
    | 'origin',
    string
  >
>;
interface Shown {
  kind: string | null;
  verified: string | null;
  codes: string[];
  checks: { name: string; ok: boolean; skipped: boolean; code: string | undefined }[];
  verdict: string;
  summary: string;
  text: string;
}

/** Fill the page's fields (the others emptied), press Verify and read what the page shows. */
async function inspectIn(page: Page, fields: Fields, kind = 'auto'): Promise<Shown> {
  const before = await page.getAttribute('#result', 'data-run');
  const all: Fields = {
    doc: '',
    'trust-docs': '',
    bundle: '',
    'bundle-author': '',
    'as-of': '',
    challenge: '',
    domain: '',
    scopes: '',
    purposes: '',
    origin: '',
    ...fields,
  };
  for (const [id, value] of Object.entries(all)) await page.fill(`#${id}`, value);
  await page.selectOption('#kind', kind);
  await page.click('#verify');
  await page.waitForFunction(
    (b) =>
      (
        globalThis as unknown as { document: { getElementById(id: string): { dataset: { run?: string } } } }
      ).document.getElementById('result').dataset.run !== b,
    before,
  );
  const checks = await page.$$eval('#checks li', (lis) =>
    lis.map((li) => ({
      name: li.getAttribute('data-check') ?? '',
      ok: li.classList.contains('ok'),
      skipped: li.classList.contains('skipped'),
      code: li.getAttribute('data-code') ?? undefined,
    })),
  );
  return {
    kind: await page.getAttribute('#result', 'data-kind'),
    verified: await page.getAttribute('#result', 'data-verified'),
    codes: ((await page.getAttribute('#result', 'data-codes')) ?? '').split(' ').filter(Boolean),
    checks,
    verdict: (await page.textContent('#verdict')) ?? '',
    summary: (await page.textContent('#summary')) ?? '',
    text: (await page.textContent('#result')) ?? '',
  };
}

const textOf = (c: FixtureInput) => (typeof c.input === 'string' ? c.input : JSON.stringify(c.input));

/** What Node's verifier says of a fixture case, configured as the page is from its fields. */
async function onNode(c: FixtureInput, w: World) {
  const verifier = createVerifier({
    trustedIssuers: [w.trust],
    clock: () => new Date(w.now),
    cacheSize: 0,
    ...(c.verifier ?? {}),
  });
  const requiredScopes = c.options?.requiredScopes ?? [];
  const r =
    c.kind === 'credential'
      ? await verifier.verifyCredential(textOf(c), { requiredScopes })
      : await verifier.verifyPresentation(textOf(c), {
          challenge: c.options?.challenge ?? '',
          ...(c.options?.domain === undefined ? {} : { domain: c.options.domain }),
          requiredScopes,
        });
  return {
    verified: String(r.verified),
    codes: r.errors.map((e) => e.code),
    checks: r.checks.map((k) => ({ name: k.name, ok: k.ok, skipped: k.skipped === true, code: k.code })),
  };
}

const fieldsOf = (c: FixtureInput, w: World): Fields => ({
  doc: textOf(c),
  'trust-docs': JSON.stringify(w.trust.didDocument),
  'as-of': w.now,
  challenge: c.options?.challenge ?? '',
  domain: c.options?.domain ?? '',
  scopes: (c.options?.requiredScopes ?? []).join(' '),
  purposes: (c.verifier?.acceptedPurposes ?? []).join(' '),
  origin: c.verifier?.origin ?? '',
});

/** A signed request as raw HTTP/1.1 text, as a person copies it from a log or a proxy. */
function httpText(w: World, path = '/notes?x=1'): string {
  const url = new URL(w.request.url);
  const headers = w.request.headers.map(([k, v]) => `${k}: ${v}`).join('\n');
  return `${w.request.method} ${path} HTTP/1.1\nhost: ${url.host}\n${headers}\n\n`;
}

/** An evidence log written by a service for two signed calls: its lines, and the issuer's document. */
async function evidenceLines(): Promise<{ lines: string[]; didDocument: unknown }> {
  const did = 'did:web:acme.example';
  const orgKey = generateKey();
  const didDocument = buildDidDocument({
    did,
    keys: [{ id: 'key-1', publicKeyMultibase: orgKey.publicKeyMultibase }],
  });
  const agent = generateKey();
  const passport = await issuePassport({
    issuer: { id: did, signer: createSigner(orgKey, `${did}#key-1`), didDocument },
    subject: agent.did,
    agentName: 'billing-3',
    purpose: 'invoicing',
    scopes: ['write:ledger'],
    validUntil: new Date(Date.now() + 86_400_000),
  });
  const path = join(work, 'evidence.jsonl');
  const log = openEvidenceLog(path, { keepBodies: true, maxFileBytes: 1 << 20 });
  const handler = withAgentPassport(
    {
      verifier: createVerifier({ trustedIssuers: [{ id: did, didDocument }] }),
      origin: 'https://api.example',
      evidence: log,
    },
    () => Response.json({ ok: true }),
  );
  const signer = didKeySigner(agent);
  const agentFetch = createAgentFetch({
    passport,
    keyId: signer.id,
    signer: (data) => signer.sign({ data }),
    fetch: handler,
  });
  for (const amount of [4200, 12])
    expect(
      (await agentFetch('https://api.example/ledger', { method: 'POST', body: JSON.stringify({ amount }) }))
        .status,
    ).toBe(200);
  log.close();
  return { lines: readFileSync(path, 'utf8').trim().split('\n'), didDocument };
}

let world: World;
let server: { child: ChildProcess; ready: Promise<{ url: string }> } | undefined;
let origin = '';
let browser: Browser | undefined;
let page: Page;
const requests: { url: string; afterLoad: boolean }[] = [];
const problems: string[] = [];
let loaded = false;

beforeAll(async () => {
  world = await makeWorld();
  // The page under test is built from the current sources (the handler serves what is there).
  await buildInspector();
  const folder = join(work, 'published');
  mkdirSync(folder);
  writeFileSync(join(folder, 'hello.json'), '{"hello":true}');
  server = serve([folder]);
  origin = (await server.ready).url;
  if (!haveChromium) return;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (r) => requests.push({ url: r.url(), afterLoad: loaded }));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(m.text());
  });
  await page.goto(`${origin}/inspect/`, { waitUntil: 'load' });
  await page.waitForSelector('html[data-ready="true"]');
  loaded = true;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.child.kill();
  rmSync(work, { recursive: true, force: true });
});

describe('agent-passport serve mounts the inspector at /inspect', () => {
  it('serves the page over real HTTP with its Content-Security-Policy; the folder still serves', async () => {
    const r = await fetch(`${origin}/inspect/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toBe(inspectorCsp());
    expect(await r.text()).toContain('<script type="module" src="app.js"></script>');
    const js = await fetch(`${origin}/inspect/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toContain("connect-src 'none'");
    expect((await fetch(`${origin}/inspect`, { redirect: 'manual' })).headers.get('location')).toBe(
      '/inspect/',
    );
    expect(await (await fetch(`${origin}/hello.json`)).json()).toEqual({ hello: true });
  });

  it('in front of the VC API too (serve without a folder)', async () => {
    const init = spawnSync(
      process.execPath,
      [bin, '--home', join(work, 'home'), 'org', 'init', '--did', 'did:web:issuer.example'],
      { cwd: work, env, encoding: 'utf8', timeout: 120_000 },
    );
    expect(init.status, init.stderr).toBe(0);
    const api = serve([]);
    try {
      const { url } = await api.ready;
      const r = await fetch(`${url}/inspect/`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-security-policy')).toBe(inspectorCsp());
      // Other paths are the API's (JSON problems), not the page's.
      const other = await fetch(`${url}/credentials/verify`);
      expect(other.headers.get('content-type')).toMatch(/json/);
    } finally {
      api.child.kill();
    }
  });
});

describe.skipIf(!haveChromium)('the page in headless Chromium', () => {
  it('gives every fixture case the verdict, codes and checks of the Node verifier, in order', async () => {
    for (const c of world.cases) {
      const shown = await inspectIn(page, fieldsOf(c, world));
      const node = await onNode(c, world);
      expect({ verified: shown.verified, codes: shown.codes, checks: shown.checks }, c.name).toEqual(node);
      expect(shown.kind, c.name).toBe(c.kind === 'credential' ? 'passport' : 'presentation');
      const want = (c as unknown as { expect: { verified: boolean; code?: string; check?: string } }).expect;
      expect(node.verified, c.name).toBe(String(want.verified));
      if (!want.verified) {
        expect(node.codes, c.name).toEqual([want.code]);
        expect(shown.checks.find((k) => !k.ok && !k.skipped)?.name, c.name).toBe(want.check);
      }
    }
  }, 600_000);

  it('verifies the W3C vectors as Data Integrity documents, as suites does on Node', async () => {
    const loader = createDocumentLoader({ extra: Object.fromEntries(world.contexts) });
    for (const v of world.vectors) {
      const shown = await inspectIn(page, { doc: JSON.stringify(v.document) });
      const r = await verifyProof(v.document, {
        proofPurpose: 'assertionMethod',
        controller: v.controller,
        documentLoader: loader,
        rdfcBudget: createRdfcBudget({ cpuMs: 30_000 }),
      });
      expect(shown.kind, v.name).toBe('proof');
      expect({ verified: shown.verified, codes: shown.codes }, v.name).toEqual({
        verified: String(r.verified),
        codes: r.verified ? [] : [r.code],
      });
    }
    const edited = await inspectIn(page, { doc: JSON.stringify(world.vectors[1]?.document) });
    expect(edited.codes).toEqual(['ERR_PROOF_INVALID']);
  });

  it('shows which check a tampered passport fails, with the code and its meaning', async () => {
    const valid = world.cases.find((c) => c.name === 'valid-passport') as FixtureInput;
    const tampered = structuredClone(valid.input) as { credentialSubject: { scopes: string[] } };
    tampered.credentialSubject.scopes.push('admin:everything');
    const shown = await inspectIn(page, { ...fieldsOf(valid, world), doc: JSON.stringify(tampered) });
    expect(shown.verdict).toBe('✗ refused passport: ERR_PROOF_INVALID');
    expect(shown.checks.map((k) => [k.name, k.ok, k.skipped, k.code])).toEqual([
      ['parse', true, false, undefined],
      ['schema', true, false, undefined],
      ['issuer-trusted', true, false, undefined],
      ['issuer-key', true, false, undefined],
      ['issuer-proof', false, false, 'ERR_PROOF_INVALID'],
      ['validity', false, true, undefined],
      ['status', false, true, undefined],
      ['purpose-scopes', false, true, undefined],
    ]);
    const row = (await page.textContent('#checks li[data-check="issuer-proof"]')) ?? '';
    expect(row).toContain(ERROR_CODES.ERR_PROOF_INVALID);
    expect(shown.summary).toContain('admin:everything');
  });

  it('shows when an expired passport expired, and how long ago', async () => {
    const c = world.cases.find((k) => k.name === 'validity-expired') as FixtureInput;
    const until = (c.input as { validUntil: string }).validUntil;
    const shown = await inspectIn(page, fieldsOf(c, world));
    expect(shown.codes).toEqual(['ERR_EXPIRED']);
    expect(shown.summary).toMatch(
      new RegExp(`expired since ${until.replace(/[.+]/g, '\\$&')} \\(\\d+ \\w+ ago\\)`),
    );
    expect(await page.textContent('#checks li[data-check="validity"]')).toContain(ERROR_CODES.ERR_EXPIRED);
    const valid = await inspectIn(
      page,
      fieldsOf(world.cases.find((k) => k.name === 'valid-passport') as FixtureInput, world),
    );
    expect(valid.summary).toMatch(/expires in \d+ \w+/);
  });

  it('trusts a signed bundle only with its author pinned, and checks status from it', async () => {
    const base = { bundle: world.bundle.file, 'bundle-author': world.bundle.author, 'as-of': world.liveNow };
    const valid = await inspectIn(page, { ...base, doc: JSON.stringify(world.bundle.passports['valid']) });
    expect([valid.verified, valid.codes]).toEqual(['true', []]);
    const revoked = await inspectIn(page, {
      ...base,
      doc: JSON.stringify(world.bundle.passports['revoked']),
    });
    expect([revoked.verified, revoked.codes]).toEqual(['false', ['ERR_REVOKED']]);
    const unpinned = await inspectIn(page, {
      ...base,
      'bundle-author': '',
      doc: JSON.stringify(world.bundle.passports['valid']),
    });
    expect(unpinned.codes).toEqual(['ERR_ISSUER_UNTRUSTED']);
    expect(await page.textContent('#trust-status')).toContain('author pinned');
    // The bundle itself, pasted as the document.
    const bundle = await inspectIn(page, { ...base, doc: world.bundle.file });
    expect([bundle.kind, bundle.verified]).toEqual(['bundle', 'true']);
    expect(bundle.summary).toContain('did:web:acme.example');
    const other = await inspectIn(page, {
      ...base,
      doc: world.bundle.file,
      'bundle-author': 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    });
    expect(other.codes).toEqual(['ERR_BUNDLE_SIGNATURE']);
  });

  it('verifies a signed request pasted as raw HTTP text, as http-signatures does on Node', async () => {
    const key = decodeMultikey(world.request.publicKeyMultibase);
    for (const [path, want] of [
      ['/notes?x=1', []],
      ['/admin?x=1', ['ERR_SIG_INVALID']],
    ] as const) {
      const shown = await inspectIn(page, { doc: httpText(world, path), 'as-of': world.liveNow });
      const url = new URL(path, world.request.url).href;
      const r = await verifySignatureHeaders(
        new Request(url, { method: world.request.method, headers: new Headers(world.request.headers) }),
        { now: new Date(world.liveNow), resolveKey: async () => key },
      );
      expect(shown.kind).toBe('request');
      expect(shown.codes, path).toEqual(r.ok ? [] : [r.code]);
      expect(shown.codes, path).toEqual(want);
    }
    // A day later the same request is too old, and the page says why.
    const later = await inspectIn(page, {
      doc: httpText(world),
      'as-of': new Date(Date.parse(world.liveNow) + 86_400_000).toISOString(),
    });
    expect(later.codes).toEqual(['ERR_SIG_EXPIRED']);
  });

  it('re-verifies an evidence log entry as of its time: its hash, its request, its passport', async () => {
    const { lines, didDocument } = await evidenceLines();
    const first = await inspectIn(page, {
      doc: lines[0] as string,
      'trust-docs': JSON.stringify(didDocument),
    });
    expect(first.kind).toBe('evidence');
    expect(first.checks.map((k) => [k.name, k.ok])).toEqual([
      ['parse', true],
      ['entry-hash', true],
      ['request-signature', true],
      ['passport', true],
    ]);
    expect(first.summary).toContain('POST https://api.example/ledger');
    // The passport is checked with the page's trust: without it, the entry's passport is refused.
    const untrusted = await inspectIn(page, { doc: lines[0] as string });
    expect(untrusted.codes).toEqual(['ERR_ISSUER_UNTRUSTED']);
    // An edited entry no longer matches its hash.
    const edited = JSON.parse(lines[1] as string) as { request: { url: string } };
    edited.request.url = 'https://api.example/refunds';
    const shown = await inspectIn(page, {
      doc: JSON.stringify(edited),
      'trust-docs': JSON.stringify(didDocument),
    });
    expect(shown.codes).toEqual(['ERR_EVIDENCE_HASH']);
  });

  it('fetches a did:web document only after the user asks, and says so', async () => {
    const folder = join(work, 'did-web');
    mkdirSync(join(folder, '.well-known'), { recursive: true });
    const host = serve([folder, '--self-signed']);
    const context = await (browser as Browser).newContext({ ignoreHTTPSErrors: true });
    try {
      const { url } = await host.ready;
      const did = `did:web:localhost%3A${new URL(url).port}`;
      const orgKey = generateKey();
      const didDocument = buildDidDocument({
        did,
        keys: [{ id: 'key-1', publicKeyMultibase: orgKey.publicKeyMultibase }],
      });
      writeFileSync(join(folder, '.well-known', 'did.json'), JSON.stringify(didDocument));
      const passport = await issuePassport({
        issuer: { id: did, signer: createSigner(orgKey, `${did}#key-1`), didDocument },
        subject: generateKey().did,
        agentName: 'web-issued-1',
        purpose: 'literature-review',
        scopes: ['read:arxiv'],
        validUntil: new Date(Date.now() + 86_400_000),
      });
      const tab = await context.newPage();
      const seen: string[] = [];
      tab.on('request', (r) => seen.push(r.url()));
      const first = await tab.goto(`${url}/inspect/`);
      expect(first?.headers()['content-security-policy']).toContain("connect-src 'none'");
      await tab.waitForSelector('html[data-ready="true"]');
      expect(await tab.isVisible('#did-web-offer')).toBe(true);
      expect(await tab.isHidden('#did-web')).toBe(true);
      await tab.fill('#doc', JSON.stringify(passport));
      const reloaded = tab.waitForResponse((r) => r.url().includes('?did-web'));
      await tab.click('#did-web-allow');
      expect((await reloaded).headers()['content-security-policy']).toContain('connect-src https:');
      // The reloaded page kept what was pasted (in the fragment) and verifies it: not trusted yet.
      await tab.waitForSelector('#result[data-run="1"]');
      expect(await tab.getAttribute('#result', 'data-codes')).toBe('ERR_ISSUER_UNTRUSTED');
      expect(await tab.textContent('#network-note')).toContain('did:web fetching is on');
      const before = seen.length;
      await tab.fill('#did-web-id', did);
      await tab.click('#did-web-fetch');
      await tab.waitForSelector('#result[data-verified="true"]');
      expect(await tab.textContent('#did-web-status')).toContain(`fetched ${url}/.well-known/did.json`);
      expect(seen.slice(before)).toEqual([`${url}/.well-known/did.json`]);
    } finally {
      await context.close();
      host.child.kill();
    }
  });

  it('verifies a delegation chain as the delegation verifier does on Node', async () => {
    const did = 'did:web:acme.example';
    const orgKey = generateKey();
    const didDocument = buildDidDocument({
      did,
      keys: [{ id: 'key-1', publicKeyMultibase: orgKey.publicKeyMultibase }],
    });
    const planner = generateKey();
    const worker = generateKey();
    const passport = await issuePassport({
      issuer: { id: did, signer: createSigner(orgKey, `${did}#key-1`), didDocument },
      subject: planner.did,
      agentName: 'planner-1',
      purpose: 'literature-review',
      scopes: ['read:arxiv', 'write:notes/*'],
      validUntil: new Date(Date.now() + 86_400_000),
      delegation: { allowed: true, maxDepth: 1 },
    });
    const link = await delegate({
      parent: passport,
      signer: didKeySigner(planner),
      subject: worker.did,
      scopes: ['read:arxiv'],
      validUntil: new Date(Date.now() + 3_600_000),
    });
    const widened = structuredClone(link) as unknown as { credentialSubject: { scopes: string[] } };
    widened.credentialSubject.scopes.push('write:notes/*', 'admin:all');
    const verifier = createDelegationVerifier({ trustedIssuers: [{ id: did, didDocument }] });
    for (const [name, links] of [
      ['valid', [link]],
      ['widened', [widened]],
    ] as const) {
      const shown = await inspectIn(page, {
        doc: JSON.stringify([passport, ...links]),
        'trust-docs': JSON.stringify(didDocument),
      });
      const r = await verifier.verifyChain({ passport, delegations: links }, { presenter: worker.did });
      expect(shown.kind, name).toBe('delegation');
      expect(shown.verified, name).toBe(name === 'valid' ? 'true' : 'false');
      expect({ verified: shown.verified, codes: shown.codes, checks: shown.checks }, name).toEqual({
        verified: String(r.verified),
        codes: r.errors.map((e) => e.code),
        checks: r.checks.map((k) => ({ name: k.name, ok: k.ok, skipped: k.skipped === true, code: k.code })),
      });
    }
    expect(await page.textContent('#result')).toContain('refused delegation chain');
  });

  it('puts the state in the link, with a warning, and a fresh page opened from it shows the same', async () => {
    const c = world.cases.find((k) => k.name === 'valid-presentation') as FixtureInput;
    await inspectIn(page, fieldsOf(c, world));
    await page.click('#share');
    const link = page.url();
    expect(link).toMatch(/#s=[A-Za-z0-9_-]+$/);
    expect(await page.textContent('.warning')).toContain('The link holds everything you pasted');
    const second = await (browser as Browser).newPage();
    second.on('request', (r) => requests.push({ url: r.url(), afterLoad: false }));
    await second.goto(link);
    await second.waitForSelector('#result[data-run="1"]');
    expect(await second.getAttribute('#result', 'data-verified')).toBe('true');
    expect(await second.inputValue('#challenge')).toBe(c.options?.challenge);
    await second.close();
  });

  it('shows a did:key short, the full value one click away; every field has a label', async () => {
    const c = world.cases.find((k) => k.name === 'valid-passport') as FixtureInput;
    await inspectIn(page, fieldsOf(c, world));
    const agent = (c.input as { credentialSubject: { id: string } }).credentialSubject.id;
    const dd = page.locator('#summary dt:text-is("agent") + dd');
    expect(await dd.locator('.did-full').textContent()).toMatch(/^did:key:z6Mk.+….{6}$/);
    await dd.locator('button').click();
    expect(await dd.locator('.did-full').textContent()).toBe(agent);
    expect(await dd.locator('button').getAttribute('aria-expanded')).toBe('true');
    const unlabelled = await page.$$eval('input, textarea, select', (els) =>
      els
        .filter((e) => (e as unknown as { labels: { length: number } }).labels.length === 0)
        .map((e) => e.id),
    );
    expect(unlabelled).toEqual([]);
    // Keyboard: Verify is reachable with Tab from the document field.
    await page.focus('#doc');
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(
        await page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement
              .id,
        ),
      );
    }
    expect(order).toContain('verify');
  });

  it('writes screenshots at 1280 and 390 px; nothing overflows sideways at 390 px', async () => {
    const c = world.cases.find((k) => k.name === 'valid-passport') as FixtureInput;
    mkdirSync(OUTPUT, { recursive: true });
    await page.setViewportSize({ width: 1280, height: 1000 });
    await inspectIn(page, { ...fieldsOf(c, world), doc: JSON.stringify(c.input, null, 2) });
    await page.$$eval('textarea', (areas) => {
      for (const a of areas) a.scrollTop = 0;
    });
    await page.evaluate(() =>
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
    );
    // did:web fetching is off: its controls are hidden and the page says it makes no requests.
    expect(await page.isHidden('#did-web')).toBe(true);
    expect(await page.textContent('#network-note')).toContain('makes no network requests');
    await page.screenshot({ path: join(OUTPUT, 'inspector-1280.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.click('#share');
    // A phone opening the same link.
    const phone = await (browser as Browser).newPage({ viewport: { width: 390, height: 844 } });
    phone.on('request', (r) => requests.push({ url: r.url(), afterLoad: false }));
    await phone.goto(page.url());
    await phone.waitForSelector('#result[data-run="1"]');
    const widths = await phone.evaluate(() => {
      const d = (
        globalThis as unknown as {
          document: { documentElement: { scrollWidth: number; clientWidth: number } };
        }
      ).document;
      return { scroll: d.documentElement.scrollWidth, client: d.documentElement.clientWidth };
    });
    expect(widths.client).toBe(390);
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    await phone.screenshot({ path: join(OUTPUT, 'inspector-390.png'), fullPage: true });
    await phone.close();
  });

  it('made no request outside its origin, none after load, and broke no policy', () => {
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests.filter((r) => new URL(r.url).origin !== origin)).toEqual([]);
    expect(requests.filter((r) => r.afterLoad)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
