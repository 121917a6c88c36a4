// SPDX-License-Identifier: Apache-2.0
// The audit's fast parse and fast canonical form held to their references (issue 22): the native
// parse of a line answers only when it is strict-json's value, and the native JCS form of an entry
// only when it is strict-json's canonicalize text, on random JSON and on hostile lines.
import { canonicalize, parseJson } from '@agent-passport/strict-json';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEntry } from '../src/entry-canonical.js';
import { type LineLimits, parseNative } from '../src/line-json.js';

const LIMITS: LineLimits = { maxBytes: 4 * 1024 * 1024, maxDepth: 64 };

/** The strict parse: its value, or its error's code. */
function strict(text: string, limits = LIMITS): { value?: unknown; code?: string } {
  try {
    return { value: parseJson(text, limits) };
  } catch (e) {
    return { code: (e as { code?: string }).code ?? 'throws' };
  }
}

/** When the native parse answers, the strict parse gives the very same value. */
function agrees(text: string, limits = LIMITS): boolean {
  const native = parseNative(text, limits);
  if (native === undefined) return false;
  expect(strict(text, limits)).toStrictEqual({ value: native });
  return true;
}

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const HOSTILE = [
  '{"a":1,"a":2}',
  '{"__proto__":{"x":1}}',
  '{"constructor":1}',
  '{"a":{"prototype":1}}',
  '"\\ud800"',
  '"\\udc00x"',
  '["\\uD834\\uDD1E"]',
  '9007199254740992',
  '[-9007199254740993]',
  '1e400',
  '-0',
  '[-0.0]',
  '\ufeff{}',
  ' {}',
  '{} ',
  '{"a":"\\u0041"}',
  '{"a":"\\/"}',
  '{"1":1,"0":2}',
  '{"a":1e21}',
  '{"a":1.5E+3}',
  deep(64),
  deep(65),
  '{"a":"x\u0001"}',
  '{"a":"line\\nbreak"}',
  '',
  'null',
];

describe('the native parse of a log line (line-json.ts)', () => {
  it('answers for what the log writes, with the strict value', () => {
    for (const text of [
      '{"v":1,"seq":2,"a":[true,null,-1.5,"é😀"],"b":{}}',
      '{"a":"line\\nbreak"}',
      deep(64),
    ])
      expect(agrees(text)).toBe(true);
  });

  it('leaves every hostile line to the strict parser, or agrees with it', () => {
    const answered = HOSTILE.filter((t) => agrees(t));
    expect(answered).toEqual([deep(64), '{"a":"line\\nbreak"}', 'null']);
    expect(parseNative(deep(65), LIMITS)).toBeUndefined();
    expect(strict(deep(65)).code).toBe('ERR_PARSE_DEPTH');
    expect(parseNative('{"a":[[1]]}', { ...LIMITS, maxDepth: 2 })).toBeUndefined();
    expect(agrees('{"a":[1]}', { ...LIMITS, maxDepth: 2 })).toBe(true);
    expect(parseNative('"x"', { ...LIMITS, maxBytes: 2 })).toBeUndefined();
  });

  it('agrees with the strict parser on random JSON, as written and as rewritten', { timeout: 0 }, () => {
    const text = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc
        .tuple(
          fc.jsonValue({ maxDepth: 3 }),
          fc.nat(),
          fc.constantFrom(' ', '\\u0041', '"a":1,', '-0', '1e999'),
        )
        .map(([v, at, insert]) => {
          const s = JSON.stringify(v);
          const i = at % (s.length + 1);
          return s.slice(0, i) + insert + s.slice(i);
        }),
      fc.string({
        unit: fc.constantFrom(
          '{',
          '}',
          '[',
          ']',
          '"',
          ':',
          ',',
          '1',
          '-',
          '0',
          'e',
          '\\',
          'u',
          'd',
          '8',
          '_',
        ),
      }),
    );
    let answered = 0;
    fc.assert(
      fc.property(text, (t) => {
        if (agrees(t)) answered += 1;
      }),
      { numRuns: 1500, seed: 22 },
    );
    expect(answered).toBeGreaterThan(300);
  });
});

describe('the native JCS form of an entry (entry-canonical.ts)', () => {
  it('is canonicalize, or no answer for an object with an array-index key', { timeout: 0 }, () => {
    const keyed = fc.dictionary(
      fc.oneof(
        fc.string(),
        fc.constantFrom('1', '10', '2', '01', '4294967295', '4294967294', '-1', 'é', '😀'),
      ),
      fc.jsonValue({ maxDepth: 2 }),
    );
    let answered = 0;
    fc.assert(
      fc.property(fc.oneof(keyed, fc.jsonValue({ maxDepth: 4 })), (raw) => {
        const parsed = strict(JSON.stringify(raw));
        if (parsed.code !== undefined) return;
        const value = parsed.value;
        const fast = canonicalEntry(value);
        if (fast === undefined) {
          expect(JSON.stringify(value)).toMatch(/"(0|[1-9][0-9]{0,9})":/);
          return;
        }
        answered += 1;
        expect(fast).toBe(canonicalize(value));
      }),
      { numRuns: 1500, seed: 22 },
    );
    expect(answered).toBeGreaterThan(1000);
    expect(canonicalEntry({ b: 1, a: { '10': 1 } })).toBeUndefined();
    // An own __proto__ member (JSON.parse makes one): a plain copy would take it as its prototype.
    expect(canonicalEntry(JSON.parse('{"b":{"__proto__":{"x":1},"c":2},"a":1}'))).toBeUndefined();
    expect(canonicalEntry(JSON.parse('{"__proto__":[]}'))).toBeUndefined();
  });

  it('leaves out the top member it is told to, and only that one (the entry hash)', () => {
    const entry = { v: 1, hash: 'x', a: { hash: 1 }, b: [{ hash: 2 }], c: 'hash' };
    const { hash: _, ...rest } = entry;
    expect(canonicalEntry(entry, 'hash')).toBe(canonicalize(rest));
    expect(canonicalEntry(entry)).toBe(canonicalize(entry));
    expect(canonicalEntry({ b: 1, a: { '4294967295': 1 } })).toBe(
      canonicalize({ b: 1, a: { '4294967295': 1 } }),
    );
  });
});
