// SPDX-License-Identifier: Apache-2.0
// RFC 8785 (JCS) known answers from the cyberphone test data, parsed with the strict parser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalize, parseJson } from '../src/index.js';

const dir = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'vectors', 'crypto');

describe('RFC 8785 test data', () => {
  const data = JSON.parse(readFileSync(join(dir, 'jcs-rfc8785-testdata.json'), 'utf8')) as {
    cases: { name: string; inputText: string; expectedCanonical: string; expectedCanonicalHex: string }[];
  };
  for (const c of data.cases) {
    it(`${c.name}: strict parse then canonicalize gives the expected bytes`, () => {
      const value = parseJson(c.inputText);
      expect(canonicalize(value)).toBe(c.expectedCanonical);
      expect(Buffer.from(canonicalBytes(value)).toString('hex')).toBe(
        c.expectedCanonicalHex.replace(/\s/g, '').toLowerCase(),
      );
    });
  }
  it('agrees with the testdata folder (input → output files)', () => {
    for (const name of ['arrays', 'french', 'structures', 'unicode', 'values', 'weird']) {
      const input = readFileSync(join(dir, 'jcs-testdata', 'input', `${name}.json`), 'utf8');
      const output = readFileSync(join(dir, 'jcs-testdata', 'output', `${name}.json`), 'utf8');
      expect(canonicalize(parseJson(input)), name).toBe(output.replace(/\n$/, ''));
    }
  });
});
