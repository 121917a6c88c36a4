// SPDX-License-Identifier: Apache-2.0
// Each verb loads only what it needs: `--help` loads the command grammar and nothing of the
// libraries; `verify` of a passport loads neither the JSON-LD stack, nor a schema compiler, nor
// the issuing side. Seen by a module-loading hook in the real built command.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const trace = join(import.meta.dirname, 'helpers', 'trace-imports.mjs');
const work = mkdtempSync(join(tmpdir(), 'ap-loading-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function loaded(args: string[]): { status: number | null; files: string[] } {
  const r = spawnSync(process.execPath, ['--import', trace, bin, '--home', join(work, 'home'), ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, AGENT_PASSPORT_PASSPHRASE: 'correct horse battery staple' },
    timeout: 60_000,
  });
  const files = [...r.stderr.matchAll(/^loaded (\S+)$/gm)].map((m) => m[1] as string);
  return { status: r.status, files };
}

const HEAVY = ['@digitalbazaar/', 'jsonld', 'ajv/dist/compile', 'ajv/dist/2020'];

describe('what each verb loads', () => {
  it('--help: the CLI grammar, core and commander only', () => {
    const { status, files } = loaded(['--help']);
    expect(status).toBe(0);
    expect(files.some((f) => f.includes('/cli/dist/program.js'))).toBe(true);
    const outside = files.filter(
      (f) => !/\/(cli|core)\/dist\//.test(f) && !f.includes('/node_modules/commander/'),
    );
    expect(outside).toEqual([]);
    expect(files.filter((f) => f.includes('/cli/dist/verbs/'))).toEqual([]);
  });

  it('verify: the verifier, without the JSON-LD stack, a schema compiler or the issuing side', () => {
    expect(
      spawnSync(process.execPath, [bin, '--home', join(work, 'home'), 'org', 'init', '--did-key'], {
        env: { ...process.env, AGENT_PASSPORT_PASSPHRASE: 'correct horse battery staple' },
      }).status,
    ).toBe(0);
    expect(loaded(['agent', 'create', 'a1']).status).toBe(0);
    expect(
      loaded(['issue', '--agent', 'a1', '--purpose', 'p', '--scope', 'read:x', '--out', 'p.json']).status,
    ).toBe(0);
    const { status, files } = loaded(['verify', 'p.json']);
    expect(status).toBe(0);
    expect(files.some((f) => f.includes('/verifier/dist/'))).toBe(true);
    for (const heavy of [
      ...HEAVY,
      '/issuer/dist/',
      '/trust-bundle/dist/',
      '/evidence/dist/',
      '/server/dist/',
    ])
      expect(
        files.filter((f) => f.includes(heavy)),
        heavy,
      ).toEqual([]);
    expect(
      files.filter((f) => f.includes('/cli/dist/verbs/')).map((f) => f.replace(/.*\/verbs\//, '')),
    ).toEqual(['verify.js']);
  });
});
