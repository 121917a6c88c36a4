// SPDX-License-Identifier: Apache-2.0
// The inputs of the W3C VC Data Model 2.0 test suite: `-ok` accepted, `-fail` (and
// `-fail-or-inject`) rejected by checkVcdm2 / checkVcdm2Presentation, with no JSON-LD processing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkVcdm2, checkVcdm2Presentation } from '../src/index.js';

const file = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'fixtures',
  'vectors',
  'w3c',
  'vcdm2-test-suite-inputs.json',
);
const PAST = '2020-01-01T00:00:00Z';
const FUTURE = '2099-01-01T00:00:00Z';

/** What the suite does before posting: set the issuer when the fixture has none; fill date placeholders. */
function prepare(name: string, input: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(input)
    .replaceAll('"PAST DATE"', JSON.stringify(PAST))
    .replaceAll('"FUTURE DATE"', JSON.stringify(FUTURE));
  const doc = JSON.parse(text) as Record<string, unknown>;
  if (name.startsWith('credential-')) {
    if (!('issuer' in doc)) doc['issuer'] = 'did:example:issuer';
    else if (typeof doc['issuer'] === 'object' && doc['issuer'] !== null && !('id' in doc['issuer'])) {
      doc['issuer'] = { ...doc['issuer'], id: 'did:example:issuer' };
    }
  }
  return doc;
}

describe('VC Data Model 2.0 test-suite inputs', () => {
  const files = (JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, Record<string, unknown>> })
    .files;
  const names = Object.keys(files);

  it('has the suite inputs (96 in the vendored copy), and every one with an -ok/-fail verdict is run below', () => {
    expect(names.length).toBe(96);
    const unjudged = names.filter((n) => !/-(ok|fail|fail-or-inject)\.json$/.test(n));
    // Self-asserted presentations carry no verdict in their names: the suite judges them by the
    // holder's proof, which an unsigned fixture cannot have.
    expect(unjudged.every((n) => n.startsWith('presentation-self-asserted-'))).toBe(true);
  });

  for (const name of names) {
    const ok = name.endsWith('-ok.json');
    const fail = /-fail(-or-inject)?\.json$/.test(name);
    if (!ok && !fail) continue;
    it(`${name} is ${ok ? 'accepted' : 'rejected (ERR_VCDM_INVALID)'}`, () => {
      const doc = prepare(name, files[name]!);
      const result = name.startsWith('presentation-') ? checkVcdm2Presentation(doc) : checkVcdm2(doc);
      if (ok) expect(result).toEqual({ ok: true });
      else expect(result).toMatchObject({ ok: false, code: 'ERR_VCDM_INVALID' });
    });
  }
});
