// SPDX-License-Identifier: Apache-2.0
// Every error code is API, so every code appears in some test or fixture that asserts it: a code
// no test mentions is an error path nobody checked.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_ERROR_CODES } from '@agent-passport/core';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function files(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(ts|mjs|json)$/.test(entry)) out.push(p);
  }
  return out;
}

describe('error codes', () => {
  it('each is asserted by some test or fixture', () => {
    const testDirs = [
      ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'test')),
      join(root, 'test'),
      join(root, 'fixtures'),
    ].filter((d) => {
      try {
        return statSync(d).isDirectory();
      } catch {
        return false;
      }
    });
    const corpus = testDirs
      .flatMap((d) => files(d))
      .filter((f) => !f.endsWith('codes-asserted.test.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const missing = ALL_ERROR_CODES.filter((code) => !new RegExp(`\\b${code}\\b`).test(corpus));
    expect(missing).toEqual([]);
  });
});
