// SPDX-License-Identifier: Apache-2.0
// Whether an input value is, to every check of the JCS walk (jcs.ts), the same JSON as a value that
// walk already checked and copied: then the walk can take that frozen copy and its canonical form
// instead of walking and copying the input again, with the same result.

/** A deeply frozen JSON value made by a copying prepareJcs walk, with its RFC 8785 form. */
export interface KnownJcs {
  readonly value: object;
  readonly form: string;
}

const { isArray } = Array;
const {
  getOwnPropertyNames: ownNames,
  getOwnPropertySymbols: ownSymbols,
  getPrototypeOf,
  keys: ownEnumerableKeys,
  prototype: objectPrototype,
} = Object;

/**
 * True only when walking `input` at `depth` would succeed and give `known`'s canonical form and a
 * copy identical to `known`: the same members in the same order (Object.is at the leaves, so -0 is
 * not 0), each object a plain one (prototype Object.prototype or null) with no hidden or symbol
 * keys, each object within `maxDepth`. Reads each member of `input` once; anything else is false,
 * and the walk then runs as usual. An array input never matches a known object: its own `length`
 * is hidden.
 */
export function matchesKnown(input: unknown, known: unknown, depth: number, maxDepth: number): boolean {
  if (typeof known !== 'object' || known === null) return Object.is(input, known);
  if (typeof input !== 'object' || input === null || depth >= maxDepth) return false;
  if (isArray(known)) {
    if (!isArray(input) || input.length !== known.length) return false;
    for (let i = 0; i < known.length; i++)
      if (!matchesKnown(input[i], known[i], depth + 1, maxDepth)) return false;
    return true;
  }
  const proto = getPrototypeOf(input) as unknown;
  if (proto !== objectPrototype && proto !== null) return false;
  const names = ownNames(input);
  if (names.length !== ownEnumerableKeys(input).length || ownSymbols(input).length > 0) return false;
  const keys = ownEnumerableKeys(known);
  if (names.length !== keys.length) return false;
  const record = input as Record<string, unknown>;
  const expected = known as Record<string, unknown>;
  for (let i = 0; i < names.length; i++) {
    const key = names[i] as string;
    if (key !== keys[i] || !matchesKnown(record[key], expected[key], depth + 1, maxDepth)) return false;
  }
  return true;
}
