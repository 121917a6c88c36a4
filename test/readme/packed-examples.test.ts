// SPDX-License-Identifier: Apache-2.0
// How a user meets the toolkit: every package packed with `npm pack` and installed from the
// tarballs into a project outside the repository (one install), then every TypeScript block of
// every README, exactly as quoted, compiled there under strict tsc and run with node.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  haveRedis,
  type RunningRedis,
  startRedis,
} from '../../packages/http-signatures/test/redis-server.js';
import { allCodeBlocks, type CodeBlock, root } from './markdown.js';
import { createScratchProject, type Packed, packAll, packageDirs } from './scratch-project.js';

/** What each example prints, by README and heading (every block must also exit 0). */
const PRINTS: Record<string, (string | RegExp)[]> = {
  'README.md § In a dozen lines of TypeScript': [/^true ✓ parse ✓ schema .*✓ purpose-scopes$/m],
  'README.md § Signed requests and middleware': [/^200 \{ agent: 'did:key:z6Mk\w+' \}$/m],
  'README.md § Revocation, key rotation and trust bundles': ["code: 'ERR_REVOKED'"],
  'packages/contexts/README.md § @agent-passport/contexts': [
    'https://w3id.org/agent-passport/v1',
    'ERR_DOCUMENT_NOT_FOUND',
  ],
  'packages/core/README.md § @agent-passport/core': ['ERR_EXPIRED - the credential has expired'],
  'packages/delegation/README.md § Walkthrough': [
    /^200 \{\s+principals: \[\s+'did:key:z6Mk\w+',\s+'did:key:z6Mk\w+',\s+'did:key:z6Mk\w+'\s+\]\s+\}$/m,
    'widened: ERR_DELEGATION_SCOPE_WIDENED',
    /^expired parent: 401 \{[\s\S]*?code: 'ERR_EXPIRED'/m,
    /^revoked planner: 401 \{[\s\S]*?code: 'ERR_REVOKED'/m,
    /^audit: true accepted \[\s+'did:key:z6Mk\w+',\s+'did:key:z6Mk\w+',\s+'did:key:z6Mk\w+'\s+\]$/m,
  ],
  'packages/did-key/README.md § @agent-passport/did-key': [/^Ed25519 true true\ntrue$/m],
  'packages/did-web/README.md § @agent-passport/did-web': [
    'https://example.com:3000/user/alice/did.json',
    'did:web:acme.example function',
  ],
  'packages/evidence/README.md § @agent-passport/evidence': [
    'true 2 billing-3 POST https://api.example/ledger',
  ],
  'packages/http-signatures/README.md § @agent-passport/http-signatures': [
    /^200 \{\s+signedBy: 'did:key:z6Mk/m,
    "401 { code: 'ERR_SIG_MISSING' }",
  ],
  'packages/inspector/README.md § In your own server': [/^200 default-src 'self'; .*connect-src 'none'/m],
  'packages/issuer/README.md § @agent-passport/issuer': [
    "[ 'VerifiableCredential', 'AgentPassport' ] [ 'VerifiablePresentation' ]",
  ],
  'packages/issuer/README.md § Issuer state: status indexes and revocations': [
    /^true 2 \[\s+'https:\/\/acme.example\/status\/revocation\/1',/m,
  ],
  'packages/keystore/README.md § @agent-passport/keystore': ["true [ 'org-key-1' ]"],
  'packages/login/README.md § Walkthrough': [
    /^200 \{ agent: 'did:key:z6Mk\w+' \}$/m,
    'impostor: ERR_RESPONSE_SIGNATURE_INVALID',
    'stolen session: 401 ERR_LOGIN_SESSION_KEY',
  ],
  'packages/middleware/README.md § @agent-passport/middleware': [
    /^200 \{\s+charged: \{ amount: 4200 \}/m,
    /^403 AgentPassport .*code="ERR_USAGE_EXCEEDED"$/m,
  ],
  'packages/schema/README.md § @agent-passport/schema': ["{ ok: false, missing: [ 'read:mail' ] }"],
  'packages/server/README.md § @agent-passport/server': [/verified: true,[\s\S]*errors: \[\]/],
  'packages/status/README.md § @agent-passport/status': ["false [ 'ERR_REVOKED' ]"],
  'packages/status/README.md § Message status: multi-bit entries and their messages': [
    'message 2 superseded',
  ],
  'packages/strict-json/README.md § @agent-passport/strict-json': [
    '{"a":{"y":true,"z":null},"b":[1,2.5,"é"]}',
    'ERR_PARSE_DUPLICATE_KEY\nERR_PARSE_FORBIDDEN_KEY\nERR_PARSE_NUMBER',
  ],
  'packages/suites/README.md § @agent-passport/suites': ['eddsa-jcs-2022 true'],
  'packages/trust-bundle/README.md § @agent-passport/trust-bundle': ['true\nERR_BUNDLE_SIGNATURE'],
  'packages/mcp/README.md § Walkthrough': ["[ 'search' ] true"],
  'packages/a2a/README.md § @agent-passport/a2a': ['true true'],
  'packages/verifier/README.md § @agent-passport/verifier': ['verified true', "false [ 'ERR_SCOPE_DENIED' ]"],
};
/** Examples that talk to a real Redis (started on a free loopback port, REDIS_URL). */
const NEEDS_REDIS = new Set(['README.md § Signed requests and middleware']);

const where = (b: CodeBlock) => `${b.file} § ${b.heading}`;
const fileName = (b: CodeBlock) => b.id.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
const examples = allCodeBlocks().filter((b) => b.lang === 'ts');

/** A compiled example run with node in a fresh folder: exit status and output. */
function runExample(b: CodeBlock): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'ap-example-'));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(project, 'out', `${fileName(b)}.js`)],
      {
        cwd,
        encoding: 'utf8',
        timeout: 300_000,
        env: { ...process.env, ...(redis ? { REDIS_URL: redis.url } : {}), NO_COLOR: '1' },
      },
      (error, stdout, stderr) => {
        rmSync(cwd, { recursive: true, force: true });
        resolve({
          status: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** At most `n` tasks at once. */
function limit(n: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active < n) active++;
      else await new Promise<void>((go) => waiting.push(go)); // a finishing task hands its slot over
      try {
        return await task();
      } finally {
        const next = waiting.shift();
        if (next === undefined) active--;
        else next();
      }
    },
  };
}
const slots = limit(2);

const tarballs = mkdtempSync(join(tmpdir(), 'ap-tarballs-'));
let packed: Packed[] = [];
let project = '';
let redis: RunningRedis | undefined;
let compiled: { status: number | null; stdout: string; stderr: string } | undefined;

beforeAll(async () => {
  packed = packAll(tarballs);
  project = createScratchProject(packed, tarballs);
  for (const b of examples) writeFileSync(join(project, 'examples', `${fileName(b)}.ts`), b.code);
  const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
  compiled = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
  if (haveRedis()) redis = await startRedis();
}, 900_000);

afterAll(async () => {
  await redis?.stop();
  for (const dir of [tarballs, project]) if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('npm pack: every package is publishable', () => {
  it('packs every package, with its README, LICENSE and built code, and nothing of the build or tests', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(
      packageDirs()
        .map((d) => (JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { name: string }).name)
        .sort(),
    );
    for (const p of packed) {
      expect(p.files, p.name).toEqual(
        expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts']),
      );
      expect(
        p.files.filter((f) => /tsbuildinfo|^test\/|\.test\.|vitest|tsconfig/.test(f)),
        p.name,
      ).toEqual([]);
    }
  });

  it('each packed package.json has the publish metadata; one version for all, internal dependencies exact', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const p of packed) {
      const pkg = JSON.parse(
        execFileSync('tar', ['-xOzf', join(tarballs, p.filename), 'package/package.json'], {
          encoding: 'utf8',
        }),
      ) as Record<string, unknown> & { exports: Record<string, Record<string, string>> };
      expect(pkg, p.name).toMatchObject({
        version,
        license: 'Apache-2.0',
        type: 'module',
        sideEffects: false,
        engines: { node: expect.stringMatching(/^>=20/) },
        repository: { type: 'git', directory: `packages/${p.name.split('/')[1]}` },
        publishConfig: { access: 'public' },
        files: expect.arrayContaining(['dist']),
      });
      expect(Object.keys(pkg.exports['.'] ?? {})[0], `${p.name}: types first`).toBe('types');
      expect(pkg.exports['.']?.['default']).toBe('./dist/index.js');
      const internal = Object.entries((pkg['dependencies'] ?? {}) as Record<string, string>).filter(([d]) =>
        d.startsWith('@agent-passport/'),
      );
      for (const [dep, range] of internal) expect(range, `${p.name} → ${dep}`).toBe(version);
    }
  });
});

describe('README TypeScript examples, in a project that installed the tarballs', () => {
  it('every example has its expected output listed here', () => {
    expect(examples.map(where).sort()).toEqual(Object.keys(PRINTS).sort());
  });

  it('compile under strict tsc (the repository strictness, libraries checked too)', () => {
    expect(`${compiled?.stdout}${compiled?.stderr}`).toBe('');
    expect(compiled?.status).toBe(0);
  });

  // Two at a time (the machine has two cores); each in a fresh folder, with a time limit of its own.
  it.concurrent.each(examples.map((b) => [where(b), b] as const))(
    '%s: runs with node as quoted',
    async (_where, b) => {
      if (NEEDS_REDIS.has(where(b)) && redis === undefined) {
        console.warn(`${where(b)}: not run (needs redis-server)`);
        return;
      }
      const run = await slots.run(() => runExample(b));
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      for (const expected of PRINTS[where(b)] ?? []) {
        if (typeof expected === 'string') expect(run.stdout).toContain(expected);
        else expect(run.stdout).toMatch(expected);
      }
    },
    0, // no limit on the test: each run has its own (the execFile timeout)
  );
});
