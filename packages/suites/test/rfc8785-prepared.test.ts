// SPDX-License-Identifier: Apache-2.0
// prepareJcs against its references: strict-json's canonicalize (the `canonicalize` package) for the
// RFC 8785 output and assertJcsSafe for the refusals and their codes; structuredClone for the copy.
// Also the direct engine's base58btc decoder against multiformats.
import { PassportError } from '@agent-passport/core';
import { assertJcsSafe, canonicalize } from '@agent-passport/strict-json';
import fc from 'fast-check';
import { base58btc } from 'multiformats/bases/base58';
import { describe, expect, it } from 'vitest';
import { prepareJcs } from '../src/index.js';
import { decodeBase58btc } from '../src/internal/base58.js';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof PassportError ? e.code : `not a PassportError: ${String(e)}`;
  }
};

describe('prepareJcs (RFC 8785, one walk)', () => {
  it('canonicalizes byte for byte like the canonicalize package, for any JSON (property)', {
    timeout: 0,
  }, () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.boolean(), (value, copy) => {
        // Generated keys may be __proto__ or constructor: then both refuse, with the same code.
        const refused = codeOf(() => canonicalize(value));
        expect(codeOf(() => prepareJcs(value, { copy }))).toBe(refused);
        if (refused !== undefined) return;
        const prepared = prepareJcs(value, { copy });
        expect(prepared.canonical(prepared.value)).toBe(canonicalize(value));
        if (copy) {
          expect(prepared.value).toStrictEqual(structuredClone(value));
          if (typeof value === 'object' && value !== null) expect(prepared.value).not.toBe(value);
        } else expect(prepared.value).toBe(value);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps unicode keys sorted by UTF-16 code units (RFC 8785 §3.2.3)', { timeout: 0 }, () => {
    const forbidden = ['__proto__', 'constructor', 'prototype'];
    const key = fc.string({ unit: 'grapheme' }).filter((k) => !forbidden.includes(k));
    fc.assert(
      fc.property(fc.dictionary(key, fc.string({ unit: 'grapheme' })), (d) => {
        const copy = structuredClone(d);
        const p = prepareJcs(copy);
        expect(p.canonical(copy)).toBe(canonicalize(copy));
      }),
      { numRuns: 100 },
    );
    const sample = { '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3, '\u0080': 4, '\u00f6': 5, '1': 6 };
    expect(prepareJcs(sample).canonical(sample)).toBe(canonicalize(sample));
  });

  it('sorts objects of any size like the reference: small ones by insertion, large ones by Array#sort (property)', {
    timeout: 0,
  }, () => {
    const forbidden = ['__proto__', 'constructor', 'prototype'];
    const key = fc.string({ unit: 'binary', maxLength: 6 }).filter((k) => !forbidden.includes(k));
    fc.assert(
      fc.property(fc.dictionary(key, fc.jsonValue({ maxDepth: 1 }), { minKeys: 20, maxKeys: 80 }), (d) => {
        const refused = codeOf(() => canonicalize(d));
        expect(codeOf(() => prepareJcs(d, { copy: true }))).toBe(refused);
        if (refused !== undefined) return;
        const p = prepareJcs(d, { copy: true });
        expect(p.canonical(p.value)).toBe(canonicalize(d));
      }),
      { numRuns: 200 },
    );
  });

  it('serialises nodes below the remembered levels again, with the same output', () => {
    const doc = { a: { b: { c: { d: { e: [{ f: 'deep', g: 1 }] } } } } };
    const p = prepareJcs(doc, { copy: true });
    const copy = p.value as typeof doc;
    for (const node of [copy, copy.a, copy.a.b, copy.a.b.c, copy.a.b.c.d, copy.a.b.c.d.e[0]])
      expect(p.canonical(node)).toBe(canonicalize(node));
    expect(p.canonical({ wrap: copy.a.b.c.d })).toBe(canonicalize({ wrap: doc.a.b.c.d }));
  });

  it('refuses prototype keys and lone-surrogate keys however many names were seen before', () => {
    for (let i = 0; i < 1100; i++) prepareJcs({ [`name-${i}`]: i });
    expect(codeOf(() => prepareJcs(JSON.parse('{"a":{"__proto__":1}}')))).toBe('ERR_PARSE_FORBIDDEN_KEY');
    expect(codeOf(() => prepareJcs({ a: { constructor: 1 } }, { copy: true }))).toBe(
      'ERR_PARSE_FORBIDDEN_KEY',
    );
    expect(codeOf(() => prepareJcs({ '\ud800': 1 }))).toBe('ERR_PARSE_STRING');
    expect(codeOf(() => prepareJcs({ '\ud800': 1 }))).toBe('ERR_PARSE_STRING');
    expect(prepareJcs({ 'name-1': 'x' }).canonical({ 'name-1': 'x' })).toBe('{"name-1":"x"}');
  });

  it('reuses remembered forms inside new objects built from prepared parts', () => {
    const doc = { b: [1, { z: 'é', a: null }], a: { proof: { x: 1.5e-7 } }, proof: { v: 'z1' } };
    const p = prepareJcs(doc, { copy: true });
    const copy = p.value as typeof doc;
    const { proof: _proof, ...unsecured } = copy;
    expect(p.canonical(unsecured)).toBe(canonicalize({ b: doc.b, a: doc.a }));
    expect(p.canonical({ list: [copy.a, copy.b] })).toBe(canonicalize({ list: [doc.a, doc.b] }));
  });

  it('canonicalWithout is canonical() of the rest spread, output and refusals alike (property)', {
    timeout: 0,
  }, () => {
    const forbidden = ['__proto__', 'constructor', 'prototype'];
    const key = fc.string({ maxLength: 4 }).filter((k) => !forbidden.includes(k));
    const anyValue = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.constantFrom(Number.NaN, '\ud800', undefined, () => 1, new Date(0)),
    );
    fc.assert(
      fc.property(fc.dictionary(key, anyValue, { maxKeys: 8 }), key, fc.boolean(), (d, without, pick) => {
        const names = Object.keys(d);
        const drop = pick && names.length > 0 ? (names[0] as string) : without;
        const { [drop]: _member, ...rest } = d;
        const reference = prepareJcs({}).canonical;
        const expected = codeOf(() => reference(rest));
        // A fresh walk (no remembered forms) and one reusing a prepared copy's forms agree.
        expect(codeOf(() => prepareJcs({}).canonicalWithout(d, drop))).toBe(expected);
        if (expected !== undefined) return;
        expect(prepareJcs({}).canonicalWithout(d, drop)).toBe(canonicalize(rest));
        if (codeOf(() => canonicalize(d)) === undefined) {
          const p = prepareJcs(d, { copy: true });
          const copy = p.value as Record<string, unknown>;
          expect(p.canonical(copy)).toBe(canonicalize(d));
          expect(p.canonicalWithout(copy, drop)).toBe(canonicalize(rest));
          // At every level: remembered members (down to MEMO_DEPTH) and serialised again below.
          const nested = prepareJcs({ l1: { l2: { l3: { l4: d } } }, x: [d] }, { copy: true });
          let node = nested.value as Record<string, unknown>;
          for (const level of ['l1', 'l2', 'l3', 'l4']) {
            node = node[level] as Record<string, unknown>;
            const { [level === 'l4' ? drop : 'none']: _m, ...others } = node;
            expect(nested.canonicalWithout(node, level === 'l4' ? drop : 'none')).toBe(canonicalize(others));
          }
          const { l1: _l1, ...top } = nested.value as Record<string, unknown>;
          expect(nested.canonicalWithout(nested.value as Record<string, unknown>, 'l1')).toBe(
            canonicalize(top),
          );
        }
      }),
      { numRuns: 400 },
    );
  });

  it('canonicalWithout refuses like canonical() of the rest spread: symbols, depth, forbidden keys', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ a: 1, [Symbol('s')]: 2 }, 'b'],
      [{ a: '\ud800', proof: 1 }, 'proof'],
      [{ a: Number.NaN, [Symbol('s')]: 2 }, 'proof'],
      [JSON.parse('{"proof":1,"x":{"__proto__":2}}'), 'proof'],
      [{ proof: Number.NaN, a: 1 }, 'proof'],
      [{ a: [[['deep']]] }, 'proof'],
    ];
    const hidden = Object.defineProperty({ a: 1 }, 's', { value: Symbol('v'), enumerable: false });
    cases.push([hidden, 'a']);
    const symbolHidden = { a: 1 };
    Object.defineProperty(symbolHidden, Symbol('h'), { value: 1, enumerable: false });
    cases.push([symbolHidden, 'b']);
    for (const [node, key] of cases) {
      const { [key]: _member, ...rest } = node;
      for (const maxDepth of [0, 1, 3, 20]) {
        const p = prepareJcs({}, { maxDepth: Math.max(maxDepth, 1) });
        const reference = codeOf(() => p.canonical(rest));
        expect(
          codeOf(() => p.canonicalWithout(node, key)),
          String(key),
        ).toBe(reference);
      }
    }
    expect(codeOf(() => prepareJcs({}, { maxDepth: 0 }))).toBe('ERR_PARSE_DEPTH');
  });

  it('refuses what assertJcsSafe refuses, with the same code, first problem first', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    let deep: unknown = 'leaf';
    for (let i = 0; i < 40; i++) deep = [deep];
    const hidden = {};
    Object.defineProperty(hidden, 'secret', { value: Number.NaN, enumerable: false });
    const cases: unknown[] = [
      Number.NaN,
      { a: Number.POSITIVE_INFINITY },
      ['ok', '\ud800'],
      { '\udc00': 1 },
      JSON.parse('{"__proto__": 1}'),
      { constructor: 1 },
      { prototype: 1 },
      { [Symbol('s')]: 1 },
      [undefined],
      { a: undefined },
      { f: () => 1 },
      { d: new Date(0) },
      { m: new Map() },
      { big: 1n },
      cyclic,
      deep,
      hidden,
      { a: '\ud800', b: Number.NaN },
      { b: Number.NaN, a: '\ud800' },
      // Symbol keys come after string keys (Reflect.ownKeys order): a string key's problem first.
      { [Symbol('s')]: 1, a: Number.NaN },
      { [Symbol('s')]: 1, a: '\ud800' },
      { a: 1, [Symbol('s')]: Number.NaN },
      Object.defineProperty({ a: 1 }, 'h', { value: '\ud800', enumerable: false }),
      Object.defineProperty({ [Symbol('s')]: 1 }, 'h', { value: Number.NaN, enumerable: false }),
    ];
    for (const value of cases) {
      const expected = codeOf(() => assertJcsSafe(value));
      expect(expected, String(value)).toBeDefined();
      expect(
        codeOf(() => prepareJcs(value)),
        String(value),
      ).toBe(expected);
      expect(
        codeOf(() => prepareJcs(value, { copy: true })),
        String(value),
      ).toBe(expected);
    }
    expect(codeOf(() => prepareJcs([[['x']]], { maxDepth: 2 }))).toBe('ERR_PARSE_DEPTH');
    expect(codeOf(() => prepareJcs([['x']], { maxDepth: 2 }))).toBeUndefined();
  });

  it('copies own enumerable keys only (as structuredClone) and checks hidden ones', () => {
    const value = { a: 1 };
    Object.defineProperty(value, 'b', { value: 2, enumerable: false });
    const p = prepareJcs(value, { copy: true });
    expect(p.value).toStrictEqual({ a: 1 });
    expect(p.canonical(p.value)).toBe('{"a":1}');
  });

  it('freezes the copy as it makes it, every level, and leaves an input it does not copy alone', () => {
    const input = { a: [1, { b: { c: ['d'] } }], e: { f: null }, g: 'h' };
    const isDeepFrozen = (v: unknown): boolean =>
      typeof v !== 'object' || v === null || (Object.isFrozen(v) && Object.values(v).every(isDeepFrozen));
    const copied = prepareJcs(input, { copy: true });
    expect(isDeepFrozen(copied.value)).toBe(true);
    expect(copied.value).toStrictEqual(input);
    expect(copied.canonical(copied.value)).toBe(canonicalize(input));
    expect(Object.isFrozen(input) || Object.isFrozen(input.a) || Object.isFrozen(input.e)).toBe(false);
    prepareJcs(input);
    expect(Object.isFrozen(input) || Object.isFrozen(input.a[1])).toBe(false);
  });

  it('refuses a non-JCS value given to canonical() later', () => {
    const p = prepareJcs({ a: 1 });
    expect(codeOf(() => p.canonical({ a: Number.NaN }))).toBe('ERR_PARSE_NUMBER');
  });
});

describe('base58btc decoding for proof values', () => {
  it('decodes what multiformats encodes (property)', { timeout: 0 }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), (bytes) => {
        const text = base58btc.encode(bytes);
        expect(decodeBase58btc(text.slice(1))).toStrictEqual(base58btc.decode(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with multiformats on any ASCII string: same bytes or both refuse (property)', {
    timeout: 0,
  }, () => {
    const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0OIl +/=\n\u00e9';
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 100 }), (s) => {
        let reference: Uint8Array | undefined;
        try {
          reference = base58btc.decode(`z${s}`);
        } catch {
          reference = undefined;
        }
        expect(decodeBase58btc(s)).toStrictEqual(reference);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees at the sizes it meets (keys 48, signatures 88), with leading 1s, and past its reused limbs (property)', {
    timeout: 0,
  }, () => {
    const digit = fc.constantFrom(...'123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz');
    const reference = (s: string): Uint8Array | undefined => {
      try {
        return base58btc.decode(`z${s}`);
      } catch {
        return undefined;
      }
    };
    const sized = fc.oneof(
      fc.string({ unit: digit, minLength: 48, maxLength: 48 }),
      fc.string({ unit: digit, minLength: 86, maxLength: 90 }),
      fc.tuple(fc.nat(6), fc.string({ unit: digit, maxLength: 90 })).map(([n, t]) => '1'.repeat(n) + t),
      fc.string({ unit: digit, minLength: 250, maxLength: 400 }),
      fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => base58btc.encode(b).slice(1)),
      fc.uint8Array({ minLength: 150, maxLength: 260 }).map((b) => base58btc.encode(b).slice(1)),
    );
    fc.assert(
      fc.property(sized, fc.nat(), (s, at) => {
        expect(decodeBase58btc(s)).toStrictEqual(reference(s));
        // One character out of the alphabet anywhere: both refuse.
        const broken = s.length === 0 ? '0' : `${s.slice(0, at % s.length)}0${s.slice((at % s.length) + 1)}`;
        expect(decodeBase58btc(broken)).toBeUndefined();
        expect(reference(broken)).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses characters beyond Latin-1, which the base-x decoder mangles instead of refusing', () => {
    expect(decodeBase58btc('2\u20ac2')).toBeUndefined();
    expect(decodeBase58btc('\ud83d\ude00')).toBeUndefined();
  });
});
