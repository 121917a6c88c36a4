// SPDX-License-Identifier: Apache-2.0
// The key store under attack (docs/security.md): an edited key file that asks for an
// expensive derivation is refused before any derivation, and two processes saving one label at the
// same moment cannot both succeed (the loser gets ERR_KEYSTORE_EXISTS, the winner's key is on disk).
import { type ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassportError } from '@agent-passport/core';
import { canonicalize } from '@agent-passport/strict-json';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptKey, encryptKey, generateKey, KDF_LIMITS, openKeyStore } from '../src/index.js';

const PASS = 'correct horse battery staple';
const work = mkdtempSync(join(tmpdir(), 'ap-keystore-attacks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The attacker edits the KDF parameters and recomputes the (unkeyed) digest. */
function withKdf(kdf: { N: number; r: number; p: number }): unknown {
  const file = structuredClone(encryptKey(generateKey(), PASS, { kdf: { N: 2 ** 15, r: 8, p: 1 } }));
  const { digest: _, ...body } = { ...file, kdf: { ...file.kdf, ...kdf } };
  return { ...body, digest: createHash('sha256').update(canonicalize(body)).digest('base64url') };
}

describe('the KDF cost of a key file is capped before any derivation', () => {
  const costly: [string, { N: number; r: number; p: number }][] = [
    ['N 2^18, r 16, p 4 (work 2^24, 512 MiB)', { N: 2 ** 18, r: 16, p: 4 }],
    ['N 2^20, r 16, p 4 (work 2^26, 2 GiB)', { N: 2 ** 20, r: 16, p: 4 }],
    ['N 2^20, r 8, p 1 (1 GiB)', { N: 2 ** 20, r: 8, p: 1 }],
    ['N 2^17, r 8, p 4 (work 2^22)', { N: 2 ** 17, r: 8, p: 4 }],
    ['N 2^18, r 16, p 1 (512 MiB)', { N: 2 ** 18, r: 16, p: 1 }],
  ];
  for (const [name, kdf] of costly) {
    it(`${name} → ERR_KEYSTORE_KDF_PARAMS at once`, () => {
      const file = withKdf(kdf);
      const started = performance.now();
      let code = 'no error';
      try {
        decryptKey(file, PASS);
      } catch (e) {
        code = e instanceof PassportError ? e.code : String(e);
      }
      expect(code).toBe('ERR_KEYSTORE_KDF_PARAMS');
      // Any scrypt at these parameters takes seconds; a refusal takes well under one.
      expect(performance.now() - started).toBeLessThan(1000);
    });
  }

  it('states its maximum: work N*r*p and memory 128*N*r, and the default is within it', () => {
    expect(KDF_LIMITS.work).toBe(2 ** 21);
    expect(KDF_LIMITS.memoryBytes).toBe(256 * 2 ** 20);
    expect(() => encryptKey(generateKey(), PASS, { kdf: { N: 2 ** 18, r: 8, p: 2 } })).toThrow(
      expect.objectContaining({ code: 'ERR_KEYSTORE_KDF_PARAMS' }),
    );
  });
});

describe('two processes save one label at the same moment', () => {
  it('exactly one succeeds; the other gets ERR_KEYSTORE_EXISTS; the file holds the winner (5 rounds)', async () => {
    if (!existsSync(join(import.meta.dirname, '..', 'dist', 'index.js')))
      throw new Error('build the package first (npm run build)');
    const saver = join(import.meta.dirname, 'race-saver.mjs');
    for (let round = 0; round < 5; round++) {
      const dir = join(work, `race-${round}`);
      const children: ChildProcess[] = [0, 1].map(() =>
        fork(saver, [dir, PASS], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] }),
      );
      await Promise.all(children.map((c) => new Promise((ok) => c.once('message', ok))));
      const outcomes = children.map(
        (c) => new Promise<{ ok: boolean; did?: string; code?: string }>((ok) => c.once('message', ok)),
      );
      for (const c of children) c.send('go');
      const results = await Promise.all(outcomes);
      await Promise.all(
        children.map((c) => (c.exitCode !== null ? 0 : new Promise((ok) => c.once('exit', ok)))),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => r.code)).toEqual(['ERR_KEYSTORE_EXISTS']);
      const winner = results.find((r) => r.ok)?.did;
      expect((await openKeyStore(dir).load('shared', PASS)).did).toBe(winner);
      expect(
        openKeyStore(dir)
          .list()
          .map((k) => k.did),
      ).toEqual([winner]);
      expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    }
  }, 120_000);
});
