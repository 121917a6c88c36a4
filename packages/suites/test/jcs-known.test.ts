// SPDX-License-Identifier: Apache-2.0
// The walk's adoption of a known copy (prepareJcs `adopt`) against the walk it replaces: for any
// JSON, its mutations and every hostile shape, a walk offered a known copy gives exactly what a
// walk offered nothing gives (the same refusal code, or the same forms and a deep-equal copy), and
// takes the known copy only when the input is the same JSON. One attacker case per rule of
// matchesKnown: each makes the adoption wrong when that rule is taken out.
import { PassportError } from '@agent-passport/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type KnownJcs, type PreparedJcs, prepareJcs } from '../src/index.js';

type Outcome = { code: string } | { forms: string[]; value: unknown };

/** What a walk gives, as far as a caller can see: its refusal, or its forms and its copy. */
function outcome(input: unknown, adopt?: (node: object) => KnownJcs | undefined, maxDepth = 20): Outcome {
  let p: PreparedJcs;
  try {
    p = prepareJcs(input, { copy: true, adopt, maxDepth });
  } catch (e) {
    return { code: e instanceof PassportError ? e.code : `not a PassportError: ${String(e)}` };
  }
  const value = p.value;
  const forms = [p.canonical(value)];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      forms.push(p.canonicalWithout(record, key));
      forms.push(p.canonical(record[key]));
    }
  }
  return { forms, value };
}

/** A known copy of `value` as a copying walk makes it. */
function known(value: unknown, maxDepth = 20): KnownJcs {
  const p = prepareJcs(value, { copy: true, maxDepth });
  return { value: p.value as object, form: p.canonical(p.value) };
}

/** The walk with `offer` offered for every object equals the walk without; did it adopt? */
function compare(input: unknown, offer: KnownJcs, maxDepth = 20): boolean {
  const got = outcome(input, () => offer, maxDepth);
  const expected = outcome(input, undefined, maxDepth);
  expect(got).toStrictEqual(expected);
  // The same members in the same order, too (toStrictEqual does not compare the order).
  expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
  return 'value' in got && containsRef(got.value, offer.value);
}

const containsRef = (tree: unknown, target: unknown): boolean =>
  tree === target ||
  (typeof tree === 'object' && tree !== null && Object.values(tree).some((v) => containsRef(v, target)));

describe('prepareJcs adopting a known copy (matchesKnown)', () => {
  it('adopts an equal object, at the top and inside, with the same forms', () => {
    const doc = { b: [1, { z: 'é', a: null }], a: { proof: { proofValue: 'z1' } }, n: -1.5e-7 };
    const offer = known(doc);
    expect(compare(structuredClone(doc), offer)).toBe(true);
    const p = prepareJcs({ list: [structuredClone(doc)] }, { copy: true, adopt: () => offer });
    expect((p.value as { list: unknown[] }).list[0]).toBe(offer.value);
    // Not copying (a strictly parsed input): the input stays the value, its form is the known one.
    const fresh = structuredClone(doc);
    const q = prepareJcs(fresh, { adopt: () => offer });
    expect(q.value).toBe(fresh);
    expect(q.canonical(fresh)).toBe(offer.form);
    expect(q.canonicalWithout(fresh, 'a')).toBe(known({ b: doc.b, n: doc.n }).form);
  });

  it('gives the walk’s own result for any JSON and any offer, equal or not (property)', {
    timeout: 0,
  }, () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, json, fc.boolean(), (input, other, same) => {
        const base = codeOf(() => prepareJcs(same ? input : other, { copy: true }));
        if (base !== undefined) return;
        const offer = known(same ? input : other);
        const adopted = compare(input, offer);
        if (typeof input === 'object' && input !== null && same) expect(adopted).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the walk’s own result for one-member mutations of the offered value (property)', {
    timeout: 0,
  }, () => {
    const record = fc.dictionary(
      fc.string({ maxLength: 3 }).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k)),
      fc.jsonValue({ maxDepth: 2 }),
      { minKeys: 1, maxKeys: 6 },
    );
    const replacement = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(-0, Number.NaN, undefined, '\ud800'),
    );
    fc.assert(
      fc.property(record, fc.nat(), replacement, (d, at, value) => {
        // Generated values may hold __proto__, constructor or prototype keys: no copy to offer.
        if (codeOf(() => prepareJcs(d)) !== undefined) return;
        const offer = known(d);
        const keys = Object.keys(d);
        const mutated: Record<string, unknown> = structuredClone(d);
        mutated[keys[at % keys.length] as string] = value;
        compare(mutated, offer);
        compare({ ...structuredClone(d), extra: value }, offer);
      }),
      { numRuns: 300 },
    );
  });

  // One case per rule of matchesKnown: without the rule the walk would adopt, and differ.
  const doc = { a: 'x', n: 0, list: [1, 2], inner: { b: true } };
  const offer = known(doc);
  class Plain {
    a = 'x';
    n = 0;
    list = [1, 2];
    inner = { b: true };
  }
  const hidden = Object.defineProperty(structuredClone(doc), 'h', { value: Number.NaN, enumerable: false });
  const symbol = { ...structuredClone(doc), [Symbol('s')]: 1 };
  const notOwn = { a: 'x', n: 0, list: [1, 2], missing: undefined };
  const hostile: [string, unknown, number?][] = [
    ['a prototype other than Object.prototype or null', new Plain()],
    ['a hidden member the walk checks (NaN)', hidden],
    [
      'a hidden member the walk does not copy',
      Object.defineProperty(structuredClone(doc), 'a', { enumerable: false }),
    ],
    ['a symbol key', symbol],
    ['a member more', { ...structuredClone(doc), c: 1 }],
    ['a member less', { a: 'x', n: 0, list: [1, 2] }],
    ['a member the known value does not have (undefined)', notOwn],
    [
      'a member the known value does not own (an inherited name)',
      { a: 'x', n: 0, list: [1, 2], toString: undefined },
    ],
    ['the same members in another order', { n: 0, a: 'x', list: [1, 2], inner: { b: true } }],
    ['-0 for 0', { ...structuredClone(doc), n: -0 }],
    ['another string', { ...structuredClone(doc), a: 'y' }],
    ['an array one longer', { ...structuredClone(doc), list: [1, 2, 3] }],
    ['an array one shorter', { ...structuredClone(doc), list: [1] }],
    ['an array-like object for the array', { ...structuredClone(doc), list: { 0: 1, 1: 2, length: 2 } }],
    ['an object for a string', { ...structuredClone(doc), a: { x: 1 } }],
    ['deeper than maxDepth here', { wrap: { wrap: structuredClone(doc) } }, 3],
  ];
  for (const [name, input, maxDepth] of hostile) {
    it(`does not adopt: ${name}`, () => {
      expect(compare(input, offer, maxDepth ?? 20)).toBe(false);
    });
  }

  it('does not adopt an array for an object, nor a cyclic input', () => {
    expect(compare(['x'], known({ 0: 'x' }))).toBe(false);
    expect(compare([], known({}))).toBe(false);
    const cyclic: Record<string, unknown> = { a: 'x', n: 0, list: [1, 2] };
    cyclic['inner'] = cyclic;
    expect(compare(cyclic, offer)).toBe(false);
  });

  it('reads a getter once and adopts what it read; an offer or a getter that throws is no offer', () => {
    let reads = 0;
    const getter = { a: 'x', n: 0, list: [1, 2], inner: { b: true } };
    Object.defineProperty(getter, 'a', {
      get: () => {
        reads++;
        return 'x';
      },
    });
    expect(compare(getter, offer)).toBe(true);
    const throwing = Object.defineProperty({}, 'a', {
      get: () => {
        throw new Error('boom');
      },
      enumerable: true,
    });
    expect(compare(throwing, offer)).toBe(false);
    const p = prepareJcs(structuredClone(doc), {
      copy: true,
      adopt: () => {
        throw new Error('boom');
      },
    });
    expect(p.canonical(p.value)).toBe(offer.form);
    expect(reads).toBeGreaterThan(0);
  });
});

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof PassportError ? e.code : 'other';
  }
}
