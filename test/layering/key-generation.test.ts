// SPDX-License-Identifier: Apache-2.0
// Keys are generated from the CSPRNG by did-key's randomSecretKey, never by node:crypto's key
// generation jobs: in Node 20 exporting a generated key (JWK) can deadlock the thread when a garbage
// collection destroys the key's generation job at the same time (docs/security.md). That froze a
// test worker for minutes, and `agent create` could freeze the same way.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const KEYGEN = /import\s*\{[^}]*\bgenerateKey(?:Pair)?(?:Sync)?\b[^}]*\}\s*from\s*'node:crypto'/;

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|mts|mjs|js)$/.test(entry)) out.push(p);
  }
  return out;
}

describe('key generation', () => {
  it("no package or test imports node:crypto's key-generation functions", () => {
    const dirs = [
      ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p)),
      join(root, 'test'),
    ];
    const offenders = dirs
      .flatMap((d) => sources(d))
      .filter((f) => f !== import.meta.filename && KEYGEN.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(root.length + 1));
    expect(offenders).toEqual([]);
  });

  it('the pattern it looks for is the one that was used', () => {
    expect(KEYGEN.test("import { createHash, generateKeyPairSync } from 'node:crypto';")).toBe(true);
    expect(KEYGEN.test("import { generateKeyPair } from 'node:crypto';")).toBe(true);
    expect(KEYGEN.test("import { generateKeyPair } from 'jose';")).toBe(false);
    expect(KEYGEN.test("import { sign } from 'node:crypto';")).toBe(false);
  });
});
