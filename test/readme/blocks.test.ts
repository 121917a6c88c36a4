// SPDX-License-Identifier: Apache-2.0
// Every code block of every README runs as quoted, or says it is not a program (`text`). TypeScript
// blocks run in the packed install (packed-examples.test.ts); shell walkthroughs in their own tests
// (listed here); `js` blocks here. A block that no test runs fails this test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allCodeBlocks, type CodeBlock } from './markdown.js';

const blocks = allCodeBlocks();
const where = (b: CodeBlock) => `${b.file} § ${b.heading}`;

/** Shell blocks and the test that runs each of them, line by line, in a fresh folder and home. */
const SHELL_RUNNERS: Record<string, string> = {
  'README.md § The command line': 'readme-cli.test.ts',
  'README.md § Revocation, key rotation and trust bundles': 'readme-trust.test.ts',
  'README.md § Evidence and offline audit: which agent did it': 'readme-evidence.test.ts',
  'README.md § Issuer and verifier service (W3C VC API)': 'readme-server.test.ts',
  'packages/delegation/README.md § On the command line': 'readme-delegation.test.ts',
};
/** Shell blocks no test can run as they stand, and what runs them instead. */
const SHELL_RUN_ELSEWHERE: Record<string, string> = {
  'README.md § Quick start':
    'the suite itself: `.ci/run` runs `npm ci && npm test`; cli.test.ts runs the demo',
  'packages/inspector/README.md § Build and serve':
    'test/browser/inspector.test.ts builds the page and runs `agent-passport serve FOLDER` with it',
  'README.md § Install':
    'packed-examples.test.ts packs every package and installs the tarballs outside the repo',
  'packages/login/README.md § From the command line':
    'packages/cli/test/serve-login.test.ts runs it line by line (8443 replaced by a free port)',
};

describe('README code blocks', () => {
  it('are found in every README', () => {
    expect(blocks.filter((b) => b.file === 'README.md').length).toBeGreaterThanOrEqual(9);
    expect(new Set(blocks.map((b) => b.file)).size).toBeGreaterThanOrEqual(15);
  });

  it('each carry a language: ts, sh and js run; text is not a program', () => {
    for (const b of blocks) expect(['ts', 'sh', 'js', 'text'], `${b.file}:${b.line}`).toContain(b.lang);
  });

  it('each shell block is run by a test (or by what it describes)', () => {
    for (const b of blocks.filter((x) => x.lang === 'sh')) {
      const runner = SHELL_RUNNERS[where(b)];
      if (runner === undefined) {
        expect(SHELL_RUN_ELSEWHERE[where(b)], `${where(b)}: no test runs it`).toBeDefined();
        continue;
      }
      const source = readFileSync(join(import.meta.dirname, runner), 'utf8');
      const read = [...source.matchAll(/indexOf\('## ([^']+)'\)/g)].map((m) => m[1] ?? '');
      expect(
        read.some((h) => b.heading.startsWith(h)),
        `${runner} reads the block under its heading`,
      ).toBe(true);
    }
    for (const key of [...Object.keys(SHELL_RUNNERS), ...Object.keys(SHELL_RUN_ELSEWHERE)]) {
      expect(
        blocks.some((b) => b.lang === 'sh' && where(b) === key),
        `${key} has a shell block`,
      ).toBe(true);
    }
  });
});

describe('README js blocks', () => {
  const js = blocks.filter((b) => b.lang === 'js');
  it('the W3C suite configuration (localConfig.cjs) loads as written and names this server', () => {
    expect(js.map(where)).toEqual(['README.md § Issuer and verifier service (W3C VC API)']);
    const dir = mkdtempSync(join(tmpdir(), 'ap-localconfig-'));
    try {
      const file = join(dir, 'localConfig.cjs');
      writeFileSync(file, js[0]!.code);
      expect(existsSync(file)).toBe(true);
      const r = spawnSync(
        process.execPath,
        ['-e', `process.stdout.write(JSON.stringify(require(${JSON.stringify(file)})))`],
        {
          encoding: 'utf8',
          env: { ...process.env, AGENT_PASSPORT_OPERATOR_TOKEN: 'token-for-the-test' },
        },
      );
      expect(r.status, r.stderr).toBe(0);
      const config = JSON.parse(r.stdout) as {
        implementations: {
          issuers: { endpoint: string; headers: Record<string, string> }[];
          verifiers: { endpoint: string }[];
        }[];
      };
      const [impl] = config.implementations;
      expect(impl?.issuers.map((i) => i.endpoint)).toEqual([
        'https://localhost:8443/credentials/issue',
        'https://localhost:8443/credentials/issue',
      ]);
      expect(impl?.issuers[0]?.headers).toEqual({ authorization: 'Bearer token-for-the-test' });
      expect(impl?.verifiers[0]?.endpoint).toBe('https://localhost:8443/credentials/verify');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
