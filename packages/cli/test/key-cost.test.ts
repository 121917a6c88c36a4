// SPDX-License-Identifier: Apache-2.0
// AGENT_PASSPORT_KDF_N: the scrypt cost of the key files the CLI writes (the tests run with the key
// store's floor, 2^15, set in vitest.config.ts: every command pays one derivation). Unset, a new
// file gets the default 2^17; a value the key store does not accept is refused before any file is
// written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'ap-kdf-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function createAgent(home: string, kdfN: string | undefined) {
  return spawnSync(process.execPath, [bin, '--home', join(work, home), '--json', 'agent', 'create', 'a1'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      AGENT_PASSPORT_PASSPHRASE: 'correct horse battery staple',
      AGENT_PASSPORT_KDF_N: kdfN,
    },
    timeout: 60_000,
  });
}

const keyFile = (home: string) => join(work, home, 'keys', 'agent-a1.key.json');
const scryptN = (home: string) =>
  (JSON.parse(readFileSync(keyFile(home), 'utf8')) as { kdf: { N: number } }).kdf.N;

it('writes new key files with the N the environment gives, and the default without it', () => {
  expect(createAgent('floor', '32768').status).toBe(0);
  expect(scryptN('floor')).toBe(2 ** 15);
  expect(createAgent('default', undefined).status).toBe(0);
  expect(scryptN('default')).toBe(2 ** 17);
});

it.each(['1024', '40000', '2097152', 'cheap'])(
  'refuses N=%s (ERR_KEYSTORE_KDF_PARAMS, exit 4) and writes no key',
  (n) => {
    const r = createAgent(`bad-${n}`, n);
    expect(r.status).toBe(4);
    expect((JSON.parse(r.stdout) as { error: { code: string } }).error.code).toBe('ERR_KEYSTORE_KDF_PARAMS');
    expect(existsSync(keyFile(`bad-${n}`))).toBe(false);
  },
);
