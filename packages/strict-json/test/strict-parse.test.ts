// SPDX-License-Identifier: Apache-2.0
// The strict parser from the attacker's side (docs/security.md), and its
// agreement with JSON.parse on everything that is plain, safe JSON.

import { PassportError } from '@agent-passport/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertJcsSafe, canonicalize, parseJson } from '../src/index.js';

const code = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof PassportError ? e.code : `not a PassportError: ${String(e)}`;
  }
};

describe('parseJson refuses, each with its code', () => {
  const table: [string, string | Uint8Array, string, { maxBytes?: number; maxDepth?: number }?][] = [
    ['a duplicate key', '{"a":1,"a":2}', 'ERR_PARSE_DUPLICATE_KEY'],
    ['a duplicate key spelled with an escape', '{"a":1,"\\u0061":2}', 'ERR_PARSE_DUPLICATE_KEY'],
    ['a nested duplicate key', '{"x":{"b":true,"b":false}}', 'ERR_PARSE_DUPLICATE_KEY'],
    ['__proto__', '{"__proto__":{"admin":true}}', 'ERR_PARSE_FORBIDDEN_KEY'],
    ['constructor', '{"constructor":{"prototype":{}}}', 'ERR_PARSE_FORBIDDEN_KEY'],
    ['prototype', '{"prototype":1}', 'ERR_PARSE_FORBIDDEN_KEY'],
    ['an integer beyond 2^53', '{"n":9007199254740993}', 'ERR_PARSE_NUMBER'],
    ['a negative integer beyond 2^53', '[-9007199254740992]', 'ERR_PARSE_NUMBER'],
    ['a number overflowing to Infinity', '[1e400]', 'ERR_PARSE_NUMBER'],
    ['an escaped lone high surrogate', '["\\ud800"]', 'ERR_PARSE_STRING'],
    ['an escaped lone low surrogate', '["\\udc00x"]', 'ERR_PARSE_STRING'],
    ['a raw lone surrogate', `["${String.fromCharCode(0xd800)}"]`, 'ERR_PARSE_STRING'],
    ['a lone surrogate in a key', '{"\\ud800":1}', 'ERR_PARSE_STRING'],
    ['more bytes than allowed', `"${'x'.repeat(100)}"`, 'ERR_PARSE_SIZE', { maxBytes: 50 }],
    [
      'multi-byte characters counted as UTF-8 bytes',
      `"${'é'.repeat(20)}"`,
      'ERR_PARSE_SIZE',
      { maxBytes: 30 },
    ],
    ['byte input larger than allowed', new Uint8Array(100).fill(0x20), 'ERR_PARSE_SIZE', { maxBytes: 50 }],
    ['nesting deeper than allowed', `${'['.repeat(5)}${']'.repeat(5)}`, 'ERR_PARSE_DEPTH', { maxDepth: 4 }],
    ['deep objects', '{"a":{"a":{"a":{}}}}', 'ERR_PARSE_DEPTH', { maxDepth: 2 }],
    ['invalid UTF-8 bytes', new Uint8Array([0x22, 0xc3, 0x28, 0x22]), 'ERR_PARSE_JSON'],
    ['an empty document', '', 'ERR_PARSE_JSON'],
    ['trailing garbage', '{} x', 'ERR_PARSE_JSON'],
    ['a trailing comma', '[1,]', 'ERR_PARSE_JSON'],
    ['single quotes', "{'a':1}", 'ERR_PARSE_JSON'],
    ['a leading zero', '[01]', 'ERR_PARSE_JSON'],
    ['a bare decimal point', '[1.]', 'ERR_PARSE_JSON'],
    ['NaN', '[NaN]', 'ERR_PARSE_JSON'],
    ['a raw control character in a string', '["a\nb"]', 'ERR_PARSE_JSON'],
    ['a bad escape', '["\\x41"]', 'ERR_PARSE_JSON'],
    ['a short \\u escape', '["\\u12"]', 'ERR_PARSE_JSON'],
    ['an unterminated string', '["abc', 'ERR_PARSE_JSON'],
    ['a byte order mark', '\ufeff{}', 'ERR_PARSE_JSON'],
    ['a comment', '{/* */}', 'ERR_PARSE_JSON'],
  ];
  for (const [name, input, expected, options] of table) {
    it(`${name} → ${expected}`, () => expect(code(() => parseJson(input, options))).toBe(expected));
  }

  it('never lets a key reach a prototype', () => {
    expect(code(() => parseJson('{"a":{"__proto__":{"polluted":1}}}'))).toBe('ERR_PARSE_FORBIDDEN_KEY');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('throws TypeError for a caller passing neither string nor bytes, RangeError for bad limits', () => {
    expect(() => parseJson(42 as never)).toThrow(TypeError);
    expect(() => parseJson('{}', { maxDepth: 0 })).toThrow(RangeError);
    expect(() => parseJson('{}', { maxBytes: -1 })).toThrow(RangeError);
  });
});

describe('parseJson accepts plain JSON exactly as JSON.parse reads it', () => {
  it('on arbitrary JSON values (property)', { timeout: 0 }, () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const text = JSON.stringify(v);
        const expected = JSON.parse(text) as unknown;
        let got: unknown;
        try {
          got = parseJson(text, { maxBytes: 10_000_000, maxDepth: 64 });
        } catch (e) {
          // The only refusals allowed on generated JSON are the documented strict ones.
          expect(['ERR_PARSE_FORBIDDEN_KEY', 'ERR_PARSE_NUMBER', 'ERR_PARSE_STRING']).toContain(
            (e as PassportError).code,
          );
          return;
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary strings, throws nothing but PassportError (property)', { timeout: 0 }, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        try {
          parseJson(s);
        } catch (e) {
          expect(e).toBeInstanceOf(PassportError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps escapes, unicode and numbers', () => {
    expect(parseJson('{"a":"\\u00e9\\n\\"","b":[-0,1.5e3,true,null],"c":"😀"}')).toEqual({
      a: 'é\n"',
      b: [0, 1500, true, null],
      c: '😀',
    });
    expect(parseJson(new TextEncoder().encode('{"x":"é"}'))).toEqual({ x: 'é' });
    expect(parseJson('1e30')).toBe(1e30);
  });
});

describe('assertJcsSafe and canonicalize', () => {
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  const table: [string, unknown, string][] = [
    ['NaN', { a: Number.NaN }, 'ERR_PARSE_NUMBER'],
    ['Infinity', [Number.POSITIVE_INFINITY], 'ERR_PARSE_NUMBER'],
    ['undefined', { a: undefined }, 'ERR_PARSE_TYPE'],
    ['a function', [() => 1], 'ERR_PARSE_TYPE'],
    ['a bigint', [1n], 'ERR_PARSE_TYPE'],
    ['a Date', { d: new Date(0) }, 'ERR_PARSE_TYPE'],
    ['a Map', new Map(), 'ERR_PARSE_TYPE'],
    ['a cycle', cyclic, 'ERR_PARSE_TYPE'],
    ['a symbol key', { [Symbol('k')]: 1 }, 'ERR_PARSE_TYPE'],
    ['a lone surrogate', ['\udc00'], 'ERR_PARSE_STRING'],
    ['an own __proto__ key', JSON.parse('{"__proto__":1}'), 'ERR_PARSE_FORBIDDEN_KEY'],
    ['too deep', [[[[[1]]]]], 'ERR_PARSE_DEPTH'],
  ];
  for (const [name, value, expected] of table) {
    it(`refuses ${name} → ${expected}`, () =>
      expect(code(() => assertJcsSafe(value, { maxDepth: 4 }))).toBe(expected));
  }

  it('canonicalizes with sorted keys and ES6 numbers', () => {
    expect(canonicalize({ b: 1, a: [2, 'x', null], c: 1e21 })).toBe('{"a":[2,"x",null],"b":1,"c":1e+21}');
    expect(code(() => canonicalize({ a: Number.NaN }))).toBe('ERR_PARSE_NUMBER');
  });
});
