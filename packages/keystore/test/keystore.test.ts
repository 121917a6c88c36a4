// SPDX-License-Identifier: Apache-2.0
// Encrypted key files from the attacker's side (docs/security.md), the store on disk, and
// fleet derivation.
import { fork } from 'node:child_process';
import { createPublicKey, sign, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassportError } from '@agent-passport/core';
import { privateKeyObject } from '@agent-passport/suites';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decryptKey,
  deriveAgentKey,
  encryptKey,
  generateKey,
  generateMasterSeed,
  keyFromSecret,
  openKeyStore,
  readPassphrase,
} from '../src/index.js';

const FAST = { N: 2 ** 15, r: 8, p: 1 };
const PASS = 'correct horse battery staple';
const work = mkdtempSync(join(tmpdir(), 'ap-keystore-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const codeOf = (f: () => unknown) => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof PassportError ? e.code : String(e);
  }
};
const flip = (s: string) => {
  const b = Buffer.from(s, 'base64url');
  b[0] = (b[0] as number) ^ 1;
  return b.toString('base64url');
};

describe('encryptKey / decryptKey', () => {
  const key = generateKey();
  const file = encryptKey(key, PASS, { kdf: FAST, label: 'k' });

  it('round-trips Ed25519 and P-256 keys, and the key signs', () => {
    for (const k of [key, generateKey('P-256')]) {
      const back = decryptKey(encryptKey(k, PASS, { kdf: FAST }), PASS);
      expect(back.did).toBe(k.did);
      expect(Buffer.from(back.secretKey)).toEqual(Buffer.from(k.secretKey));
      const priv = privateKeyObject(back);
      const alg = k.type === 'Ed25519' ? null : 'sha256';
      expect(verify(alg, Buffer.from('m'), createPublicKey(priv), sign(alg, Buffer.from('m'), priv))).toBe(
        true,
      );
    }
  });

  it('uses a fresh salt and nonce each time', () => {
    const again = encryptKey(key, PASS, { kdf: FAST });
    expect(again.cipher.nonce).not.toBe(file.cipher.nonce);
    expect(again.kdf.salt).not.toBe(file.kdf.salt);
    expect(again.ciphertext).not.toBe(file.ciphertext);
  });

  it('a wrong passphrase is ERR_KEYSTORE_PASSPHRASE', () =>
    expect(codeOf(() => decryptKey(file, 'not the passphrase'))).toBe('ERR_KEYSTORE_PASSPHRASE'));

  const tampers: [string, (f: Record<string, unknown>) => void, string][] = [
    [
      'a flipped ciphertext byte',
      (f) => (f['ciphertext'] = flip(f['ciphertext'] as string)),
      'ERR_KEYSTORE_TAMPERED',
    ],
    ['a flipped tag byte', (f) => (f['tag'] = flip(f['tag'] as string)), 'ERR_KEYSTORE_TAMPERED'],
    [
      'a flipped nonce byte',
      (f) =>
        ((f['cipher'] as Record<string, unknown>)['nonce'] = flip(
          (f['cipher'] as Record<string, string>)['nonce']!,
        )),
      'ERR_KEYSTORE_TAMPERED',
    ],
    [
      'a flipped salt byte',
      (f) =>
        ((f['kdf'] as Record<string, unknown>)['salt'] = flip((f['kdf'] as Record<string, string>)['salt']!)),
      'ERR_KEYSTORE_TAMPERED',
    ],
    [
      'an edited public block',
      (f) => ((f['public'] as Record<string, unknown>)['label'] = 'other'),
      'ERR_KEYSTORE_TAMPERED',
    ],
    [
      'a truncated digest',
      (f) => (f['digest'] = (f['digest'] as string).slice(0, 10)),
      'ERR_KEYSTORE_TAMPERED',
    ],
    ['version 2', (f) => (f['version'] = 2), 'ERR_KEYSTORE_VERSION'],
    ['no version', (f) => delete f['version'], 'ERR_KEYSTORE_VERSION'],
    [
      'an unknown cipher',
      (f) => ((f['cipher'] as Record<string, unknown>)['name'] = 'aes-128-cbc'),
      'ERR_KEYSTORE_FORMAT',
    ],
    ['no public block', (f) => delete f['public'], 'ERR_KEYSTORE_FORMAT'],
  ];
  for (const [name, mutate, code] of tampers) {
    it(`${name} → ${code}, and never a key`, () => {
      const f = structuredClone(file) as unknown as Record<string, unknown>;
      mutate(f);
      expect(codeOf(() => decryptKey(f, PASS))).toBe(code);
    });
  }

  // The digest is unkeyed: an attacker can recompute it. Then the cipher itself must refuse.
  const withDigest = async (f: Record<string, unknown>) => {
    const { canonicalize } = await import('@agent-passport/strict-json');
    const { createHash } = await import('node:crypto');
    const { digest: _old, ...body } = f;
    return { ...body, digest: createHash('sha256').update(canonicalize(body)).digest('base64url') };
  };
  const deep: [string, (f: Record<string, unknown>) => void, string][] = [
    ['ciphertext', (f) => (f['ciphertext'] = flip(f['ciphertext'] as string)), 'ERR_KEYSTORE_TAMPERED'],
    [
      'public block (key substitution)',
      (f) => {
        const other = generateKey();
        Object.assign(f['public'] as Record<string, unknown>, {
          did: other.did,
          publicKeyMultibase: other.publicKeyMultibase,
        });
      },
      'ERR_KEYSTORE_TAMPERED',
    ],
    [
      'tag truncated to 12 bytes',
      (f) =>
        (f['tag'] = Buffer.from(f['tag'] as string, 'base64url')
          .subarray(0, 12)
          .toString('base64url')),
      'ERR_KEYSTORE_TAMPERED',
    ],
    [
      'nonce',
      (f) =>
        ((f['cipher'] as Record<string, unknown>)['nonce'] = flip(
          (f['cipher'] as Record<string, string>)['nonce']!,
        )),
      'ERR_KEYSTORE_TAMPERED',
    ],
    [
      'salt (indistinguishable from a wrong passphrase)',
      (f) =>
        ((f['kdf'] as Record<string, unknown>)['salt'] = flip((f['kdf'] as Record<string, string>)['salt']!)),
      'ERR_KEYSTORE_PASSPHRASE',
    ],
    [
      'KDF N below the floor',
      (f) => ((f['kdf'] as Record<string, unknown>)['N'] = 2 ** 10),
      'ERR_KEYSTORE_KDF_PARAMS',
    ],
    [
      'KDF N above the cap',
      (f) => ((f['kdf'] as Record<string, unknown>)['N'] = 2 ** 24),
      'ERR_KEYSTORE_KDF_PARAMS',
    ],
    [
      'KDF N not a power of two',
      (f) => ((f['kdf'] as Record<string, unknown>)['N'] = 40000),
      'ERR_KEYSTORE_KDF_PARAMS',
    ],
    ['KDF p of 64', (f) => ((f['kdf'] as Record<string, unknown>)['p'] = 64), 'ERR_KEYSTORE_KDF_PARAMS'],
    [
      'a 31-byte ciphertext',
      (f) => (f['ciphertext'] = Buffer.alloc(31).toString('base64url')),
      'ERR_KEYSTORE_FORMAT',
    ],
    [
      'a non-base64url nonce',
      (f) => ((f['cipher'] as Record<string, unknown>)['nonce'] = '!!!'),
      'ERR_KEYSTORE_FORMAT',
    ],
  ];
  for (const [name, mutate, code] of deep) {
    it(`with the digest recomputed, a changed ${name} → ${code}`, async () => {
      const f = structuredClone(file) as unknown as Record<string, unknown>;
      mutate(f);
      expect(codeOf(() => decryptKey(null, PASS))).toBe('ERR_KEYSTORE_FORMAT');
      const forged = await withDigest(f);
      expect(codeOf(() => decryptKey(forged, PASS))).toBe(code);
    });
  }

  it('refuses weak KDF parameters when encrypting too (ERR_KEYSTORE_KDF_PARAMS)', () => {
    expect(codeOf(() => encryptKey(key, PASS, { kdf: { N: 1024, r: 8, p: 1 } }))).toBe(
      'ERR_KEYSTORE_KDF_PARAMS',
    );
  });
});

describe('openKeyStore on disk', () => {
  const dir = join(work, 'store');
  const store = openKeyStore(dir);

  it('saves files 0600 in a 0700 directory, with an index of public data only', async () => {
    const key = generateKey();
    await store.save('org-key-1', key, PASS, { kdf: FAST });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(store.path('org-key-1')).mode & 0o777).toBe(0o600);
    expect(store.list()).toEqual([expect.objectContaining({ label: 'org-key-1', did: key.did })]);
    const secretHex = Buffer.from(key.secretKey).toString('hex');
    const secretB64 = Buffer.from(key.secretKey).toString('base64url');
    for (const f of readdirSync(dir)) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text.includes(secretHex) || text.includes(secretB64), f).toBe(false);
    }
    expect((await store.load('org-key-1', PASS)).did).toBe(key.did);
  });

  it('refuses to overwrite (ERR_KEYSTORE_EXISTS), reports missing keys (ERR_KEYSTORE_NOT_FOUND) and garbage files (ERR_KEYSTORE_FORMAT)', async () => {
    await expect(store.save('org-key-1', generateKey(), PASS, { kdf: FAST })).rejects.toMatchObject({
      code: 'ERR_KEYSTORE_EXISTS',
    });
    await expect(store.load('nope', PASS)).rejects.toMatchObject({ code: 'ERR_KEYSTORE_NOT_FOUND' });
    writeFileSync(store.path('garbage'), '{"version":');
    await expect(store.load('garbage', PASS)).rejects.toMatchObject({ code: 'ERR_KEYSTORE_FORMAT' });
    expect(() => store.path('../escape')).toThrow(RangeError);
    expect(() => store.path('UPPER')).toThrow(RangeError);
  });

  it('a crash in the middle of a write never destroys the key (20 SIGKILLs at random moments)', async () => {
    const crashDir = join(work, 'crash');
    const writer = join(import.meta.dirname, 'crash-writer.mjs');
    if (!existsSync(join(import.meta.dirname, '..', 'dist', 'index.js')))
      throw new Error('build the package first (npm run build)');
    // The previous key: it (or a later complete one) must survive every crash.
    await openKeyStore(crashDir).save('org-key', generateKey(), PASS, { kdf: FAST });
    for (let i = 0; i < 20; i++) {
      // A plain node child: not the test worker's loader flags (which resolve TypeScript sources).
      const child = fork(writer, [crashDir, PASS], {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        execArgv: [],
      });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      await new Promise<void>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`the writer did not start: ${stderr}`)), 15_000);
        child.once('message', () => {
          clearTimeout(timer);
          ok();
        });
        child.once('exit', (code) => fail(new Error(`the writer exited (${code}): ${stderr}`)));
      });
      await new Promise((ok) => setTimeout(ok, 50 + Math.random() * 250));
      child.kill('SIGKILL');
      await new Promise((ok) => child.once('exit', ok));
      const key = await openKeyStore(crashDir).load('org-key', PASS);
      expect(key.did).toMatch(/^did:key:z6Mk/);
    }
    expect(existsSync(join(crashDir, 'org-key.key.json'))).toBe(true);
    expect(
      openKeyStore(crashDir)
        .list()
        .map((k) => k.label),
    ).toEqual(['org-key']);
  }, 120_000);
});

describe('readPassphrase', () => {
  it('reads the environment first, then the prompt; never anything else', async () => {
    expect(await readPassphrase({ environment: { AGENT_PASSPORT_PASSPHRASE: 'from-env-123' } })).toBe(
      'from-env-123',
    );
    expect(await readPassphrase({ environment: {}, prompt: async () => 'typed-in-123' })).toBe(
      'typed-in-123',
    );
    await expect(readPassphrase({ environment: {} })).rejects.toMatchObject({
      code: 'ERR_KEYSTORE_PASSPHRASE_MISSING',
    });
    await expect(
      readPassphrase({ environment: { AGENT_PASSPORT_PASSPHRASE: 'short' }, confirm: true }),
    ).rejects.toMatchObject({
      code: 'ERR_KEYSTORE_PASSPHRASE_WEAK',
    });
    let n = 0;
    await expect(
      readPassphrase({ environment: {}, confirm: true, prompt: async () => `answer-number-${n++}` }),
    ).rejects.toMatchObject({
      code: 'ERR_KEYSTORE_PASSPHRASE_MISMATCH',
    });
  });
});

describe('deriveAgentKey (HKDF-SHA256 fleet derivation)', () => {
  const seed = new Uint8Array(32).map((_, i) => i);
  it('known answers (pinned)', () => {
    expect(deriveAgentKey(seed, { name: 'research-12', project: 'acme' }).did).toBe(
      'did:key:z6MkgrqT4XCThfQikJcvEiAHvygjmyhTPT9hPp2Y2uoYehv9',
    );
    expect(deriveAgentKey(seed, { name: 'research-12', project: 'acme' }, 'P-256').did).toBe(
      'did:key:zDnaejKtTs43NmGxQbGZ47CRbuW1j86sxZSGG2NQxtDEPTitA',
    );
  });
  it('is deterministic, separates (name, project) pairs, and needs a secret seed', () => {
    expect(deriveAgentKey(seed, { name: 'a', project: 'b' }).did).toBe(
      deriveAgentKey(seed, { name: 'a', project: 'b' }).did,
    );
    expect(deriveAgentKey(seed, { name: 'ab', project: 'c' }).did).not.toBe(
      deriveAgentKey(seed, { name: 'a', project: 'bc' }).did,
    );
    expect(deriveAgentKey(generateMasterSeed(), { name: 'a', project: 'b' }).did).not.toBe(
      deriveAgentKey(seed, { name: 'a', project: 'b' }).did,
    );
    expect(() => deriveAgentKey(new Uint8Array(16), { name: 'a', project: 'b' })).toThrow(RangeError);
    expect(() => deriveAgentKey(seed, { name: '', project: 'b' })).toThrow(TypeError);
  });
  it('distinct names give distinct keys (property)', { timeout: 0 }, () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        (a, b, project) => {
          fc.pre(a !== b);
          expect(deriveAgentKey(seed, { name: a, project }).did).not.toBe(
            deriveAgentKey(seed, { name: b, project }).did,
          );
        },
      ),
      { numRuns: 50 },
    );
  });
  it('keyFromSecret refuses wrong sizes (RangeError)', () =>
    expect(() => keyFromSecret('Ed25519', new Uint8Array(31))).toThrow(RangeError));
});
