// SPDX-License-Identifier: Apache-2.0
// RFC 8785 (JCS) for the direct proof engine, in one walk: check that a value is plain JSON that
// JCS can canonicalize unchanged (the rules, order and codes of strict-json's assertJcsSafe),
// optionally copy it, and remember the canonical forms of its upper levels. A
// presentation's canonical form then reuses its passport's, and a cache key of the passport costs
// no second serialisation. strict-json's `canonicalize` (the `canonicalize` package) stays the
// reference: a property test requires byte-identical output and identical error codes.
import { PassportError } from '@agent-passport/core';
import { DEFAULT_MAX_DEPTH, hasLoneSurrogate } from '@agent-passport/strict-json';
import { type KnownJcs, matchesKnown } from './jcs-known.js';

export type { KnownJcs } from './jcs-known.js';

/** The keys strict-json refuses anywhere (never reach a prototype). */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A JSON value checked once for JCS, with the canonical forms of its upper levels remembered. */
export interface PreparedJcs {
  /** The checked value: the input itself, or a deep copy of it, deeply frozen, when `copy` was asked. */
  readonly value: unknown;
  /**
   * The RFC 8785 form of `value`, of any object or array inside it (remembered down to
   * MEMO_DEPTH), or of a new object or array built from them (e.g. a document without its proof).
   * Throws PassportError for a value that is not JCS-safe, like strict-json's `canonicalize`.
   */
  canonical(node: unknown): string;
  /**
   * The RFC 8785 form of `node` without its member `key`: the same string as `canonical` of the
   * object rest-spread without it (`const { [key]: _, ...rest } = node`), built from the remembered
   * forms of its members without copying the object (a document without its proof, proof options
   * without the proof value).
   */
  canonicalWithout(node: Readonly<Record<string, unknown>>, key: string): string;
}

/** Characters after which a string needs JSON.stringify's escaping or a surrogate check. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters must be escaped
const NEEDS_CARE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Member names already checked (not a prototype key, no lone surrogate) with their quoted form:
 * documents repeat the same few names. Bounded, first come (a full table only costs speed), and
 * holding short names only.
 */
const QUOTED_KEYS = new Map<string, string>();
const MAX_QUOTED_KEYS = 1024;
const MAX_QUOTED_KEY_LENGTH = 64;

/** A member name checked (ERR_PARSE_FORBIDDEN_KEY, ERR_PARSE_STRING) and quoted. */
function quoteKey(key: string): string {
  const known = QUOTED_KEYS.get(key);
  if (known !== undefined) return known;
  if (FORBIDDEN_KEYS.has(key))
    throw new PassportError('ERR_PARSE_FORBIDDEN_KEY', `the key ${key} is not accepted`);
  if (NEEDS_CARE.test(key) && hasLoneSurrogate(key))
    throw new PassportError('ERR_PARSE_STRING', 'a key holds a lone surrogate');
  const quoted = quote(key);
  if (QUOTED_KEYS.size < MAX_QUOTED_KEYS && key.length <= MAX_QUOTED_KEY_LENGTH) QUOTED_KEYS.set(key, quoted);
  return quoted;
}

/** A string in JSON (and JCS, RFC 8785 §3.2.2.2) form; refuses lone surrogates. */
function quote(s: string): string {
  if (!NEEDS_CARE.test(s)) return `"${s}"`;
  if (hasLoneSurrogate(s)) throw new PassportError('ERR_PARSE_STRING', 'a string holds a lone surrogate');
  return JSON.stringify(s);
}

const { isArray } = Array;
const {
  getOwnPropertyNames: ownNames,
  getOwnPropertySymbols: ownSymbols,
  getPrototypeOf,
  keys: ownEnumerableKeys,
  prototype: objectPrototype,
} = Object;
const isEnumerable = (o: object, k: string | symbol) => objectPrototype.propertyIsEnumerable.call(o, k);
const { freeze } = Object;

/**
 * Forms are remembered down to this depth: a presentation (0), its members (1), its credential (2)
 * and the credential's members (3), the parts proofs and cache keys are built from. Deeper nodes
 * are serialised again when asked for (the same output).
 */
const MEMO_DEPTH = 3;

/** Objects with more members than this are sorted by Array#sort (an insertion sort is O(n²)). */
const SMALL = 32;

/**
 * The order of an object's members in RFC 8785 §3.2.3: by the keys' UTF-16 code units, which is
 * both Array#sort's default order and the `<` of strings (own keys are distinct).
 */
function memberOrder(keys: readonly string[]): number[] {
  const n = keys.length;
  if (n > SMALL)
    return Array.from(keys, (_, i) => i).sort((a, b) => ((keys[a] as string) < (keys[b] as string) ? -1 : 1));
  const order: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[order[j] as number] as string) > key) {
      order[j + 1] = order[j] as number;
      j--;
    }
    order[j + 1] = i;
  }
  return order;
}

/** Members (`"key":value`) joined by commas in `order`, leaving out the one at index `skip`. */
function joinMembers(members: readonly string[], order: readonly number[], skip = -1): string {
  let out = '';
  let first = true;
  for (let i = 0; i < order.length; i++) {
    const at = order[i] as number;
    if (at === skip) continue;
    if (!first) out += ',';
    first = false;
    out += members[at];
  }
  return out;
}

/** An object's form and its emitted members as it was built: keys, `"key":value` strings, their order. */
interface Members {
  readonly form: string;
  readonly keys: readonly string[];
  readonly members: readonly string[];
  readonly order: readonly number[];
}

/**
 * What the walk does for a new object holding `node`'s own enumerable members but `without` (as a
 * rest spread copies them: string keys in order, then symbols, which JSON refuses), at depth 0;
 * `member` is the walk of a member's value at depth 1.
 */
function formWithout(
  node: Readonly<Record<string, unknown>>,
  without: string,
  maxDepth: number,
  member: (value: unknown) => string,
): string {
  if (maxDepth <= 0) throw new PassportError('ERR_PARSE_DEPTH', `nesting deeper than ${maxDepth}`);
  const names = ownEnumerableKeys(node);
  const keys: string[] = [];
  const members: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const key = names[i] as string;
    if (key === without) continue;
    const quoted = quoteKey(key);
    keys.push(key);
    members.push(`${quoted}:${member(node[key])}`);
  }
  if (ownSymbols(node).some((s) => isEnumerable(node, s)))
    throw new PassportError('ERR_PARSE_TYPE', 'symbol keys are not JSON');
  return `{${joinMembers(members, memberOrder(keys))}}`;
}

export interface PrepareJcsOptions {
  readonly maxDepth?: number;
  readonly copy?: boolean;
  /**
   * A frozen copy an earlier copying walk made, offered for an object of the input (down to the
   * remembered levels; e.g. a verifier's verified passport with the same proof value). When the
   * object is the same JSON to every check of the walk (`matchesKnown`), the walk takes that copy
   * and its form instead of walking and copying the object: the result is the one the walk would
   * give. Anything the offer or the comparison throws only means no offer.
   */
  readonly adopt?: ((node: object) => KnownJcs | undefined) | undefined;
}

/**
 * Check `input` for JCS (plain objects and arrays, finite numbers, no lone surrogates, no symbol or
 * prototype keys, no cycles, bounded depth) and canonicalize it, remembering each object's form.
 * With `copy`, `value` is a fresh deep copy (own enumerable keys, like structuredClone), deeply
 * frozen as it is made (so the remembered forms always match it, and core's deepFreeze of it costs
 * nothing); without, it is `input` (already fresh, e.g. from strict parsing), left as it is.
 */
export function prepareJcs(input: unknown, options?: PrepareJcsOptions): PreparedJcs {
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  const copy = options?.copy === true;
  const adopt = options?.adopt;
  /**
   * The remembered forms: an array's string, an object's form with its members (canonicalWithout
   * joins them without one). A Map, not a WeakMap: it lives as long as the call, and ephemerons
   * cost the collector more.
   */
  const memo = new Map<object, string | Members>();
  /**
   * The objects being walked, outermost first: a cycle runs through one of them. An array, not a
   * Set: it holds at most maxDepth objects, and a Set gave every object walked an identity hash.
   */
  const stack: object[] = [];
  /** The copy of the value last walked (copy mode only). */
  let copied: unknown;

  /** The known copy offered for `v` when `v` is the same JSON at `depth` (see `adopt`). */
  const adopted = (v: object, depth: number): KnownJcs | undefined => {
    if (adopt === undefined || depth > MEMO_DEPTH) return undefined;
    try {
      const known = adopt(v);
      return known !== undefined && matchesKnown(v, known.value, depth, maxDepth) ? known : undefined;
    } catch {
      return undefined;
    }
  };

  const walk = (v: unknown, depth: number, useMemo: boolean, copying: boolean): string => {
    switch (typeof v) {
      case 'string':
        copied = v;
        return quote(v);
      case 'number':
        // Any finite double round-trips through the ES6 serialisation JCS uses (RFC 8785 §3.2.2.3).
        if (!Number.isFinite(v)) throw new PassportError('ERR_PARSE_NUMBER', 'NaN and Infinity are not JSON');
        copied = v;
        return JSON.stringify(v);
      case 'boolean':
        copied = v;
        return v ? 'true' : 'false';
      case 'object': {
        if (v === null) {
          copied = null;
          return 'null';
        }
        if (useMemo) {
          const known = memo.get(v);
          if (known !== undefined) {
            copied = v;
            return typeof known === 'string' ? known : known.form;
          }
        }
        const known = useMemo ? undefined : adopted(v, depth);
        if (known !== undefined) {
          // The same JSON as the known copy: its form, and the copy itself (frozen, never changed).
          memo.set(copying ? known.value : v, known.form);
          copied = known.value;
          return known.form;
        }
        if (depth >= maxDepth) throw new PassportError('ERR_PARSE_DEPTH', `nesting deeper than ${maxDepth}`);
        if (stack.includes(v)) throw new PassportError('ERR_PARSE_TYPE', 'a cycle is not JSON');
        const proto = getPrototypeOf(v) as unknown;
        const array = isArray(v);
        if (!array && proto !== objectPrototype && proto !== null) {
          throw new PassportError('ERR_PARSE_TYPE', 'only plain objects and arrays are JSON');
        }
        stack.push(v);
        let out: string;
        let target: object = v;
        if (array) {
          const items: unknown[] | undefined = copying ? new Array(v.length) : undefined;
          out = '[';
          for (let i = 0; i < v.length; i++) {
            if (i > 0) out += ',';
            out += walk(v[i], depth + 1, useMemo, copying);
            if (items !== undefined) items[i] = copied;
          }
          out += ']';
          // The copy is frozen as it is made: children first, so a deepFreeze later stops at the top.
          if (items !== undefined) target = freeze(items);
          if (depth <= MEMO_DEPTH) memo.set(target, out);
        } else {
          const record = v as Record<string, unknown>;
          const names = ownEnumerableKeys(record);
          // Own string keys in Reflect.ownKeys order (symbols come last there, and here): the
          // enumerable ones are emitted, the others only checked. Reflect.ownKeys itself has no
          // fast path in V8 and cost more than the rest of an object's walk.
          const all = ownNames(record);
          const hidden = all.length !== names.length;
          const clone: Record<string, unknown> | undefined = copying ? {} : undefined;
          const keys: string[] = hidden ? [] : names;
          const members: string[] = new Array(hidden ? 0 : names.length);
          for (let i = 0; i < all.length; i++) {
            const key = all[i] as string;
            const quoted = quoteKey(key);
            const enumerable = !hidden || isEnumerable(record, key);
            const value = walk(record[key], depth + 1, useMemo, copying && enumerable);
            if (!enumerable) continue;
            const member = `${quoted}:${value}`;
            if (hidden) {
              keys.push(key);
              members.push(member);
            } else members[i] = member;
            if (clone !== undefined) clone[key] = copied;
          }
          if (ownSymbols(record).length > 0)
            throw new PassportError('ERR_PARSE_TYPE', 'symbol keys are not JSON');
          const order = memberOrder(keys);
          out = `{${joinMembers(members, order)}}`;
          if (clone !== undefined) target = freeze(clone);
          if (depth <= MEMO_DEPTH) memo.set(target, { form: out, keys, members, order });
        }
        stack.pop();
        copied = target;
        return out;
      }
      default:
        throw new PassportError('ERR_PARSE_TYPE', `a ${typeof v} is not JSON`);
    }
  };

  walk(input, 0, false, copy);
  const value = copy ? copied : input;
  return Object.freeze({
    value,
    canonical(node: unknown): string {
      stack.length = 0;
      return walk(node, 0, true, false);
    },
    canonicalWithout(node: Readonly<Record<string, unknown>>, key: string): string {
      stack.length = 0;
      // A remembered object passed every check with all its members: join them without one.
      const known = memo.get(node);
      if (known === undefined || typeof known === 'string')
        return formWithout(node, key, maxDepth, (v) => walk(v, 1, true, false));
      return `{${joinMembers(known.members, known.order, known.keys.indexOf(key))}}`;
    },
  });
}
