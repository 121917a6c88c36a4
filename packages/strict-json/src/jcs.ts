// SPDX-License-Identifier: Apache-2.0
// JSON Canonicalization Scheme (RFC 8785) through the `canonicalize` package, after checking the
// value can round-trip (RFC 8785 §3.2.2: I-JSON numbers, no lone surrogates).
import { PassportError } from '@agent-passport/core';
import canonicalizeModule from 'canonicalize';
import { DEFAULT_MAX_DEPTH, FORBIDDEN_KEYS, hasLoneSurrogate } from './parse.js';

// `canonicalize` is CommonJS whose typings claim an ES default export; at run time the default
// import is the function itself.
const canonicalizeJcs = canonicalizeModule as unknown as (value: unknown) => string | undefined;

/**
 * Assert that a JS value is plain JSON that JCS can canonicalize without changing it: plain objects
 * and arrays only, finite numbers, strings without lone surrogates,
 * no cycles, no prototype keys, bounded depth. Throws PassportError.
 */
export function assertJcsSafe(value: unknown, options?: { maxDepth?: number }): void {
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  const stack = new Set<object>();
  const walk = (v: unknown, depth: number): void => {
    switch (typeof v) {
      case 'string':
        if (hasLoneSurrogate(v))
          throw new PassportError('ERR_PARSE_STRING', 'a string holds a lone surrogate');
        return;
      case 'number':
        // Any finite double round-trips through the ES6 serialisation JCS uses (RFC 8785 §3.2.2.3).
        if (!Number.isFinite(v)) throw new PassportError('ERR_PARSE_NUMBER', 'NaN and Infinity are not JSON');
        return;
      case 'boolean':
        return;
      case 'object': {
        if (v === null) return;
        if (depth >= maxDepth) throw new PassportError('ERR_PARSE_DEPTH', `nesting deeper than ${maxDepth}`);
        if (stack.has(v)) throw new PassportError('ERR_PARSE_TYPE', 'a cycle is not JSON');
        const proto = Object.getPrototypeOf(v) as unknown;
        const isArray = Array.isArray(v);
        if (!isArray && proto !== Object.prototype && proto !== null) {
          throw new PassportError('ERR_PARSE_TYPE', 'only plain objects and arrays are JSON');
        }
        stack.add(v);
        if (isArray) {
          for (const item of v) walk(item, depth + 1);
        } else {
          for (const key of Reflect.ownKeys(v)) {
            if (typeof key === 'symbol')
              throw new PassportError('ERR_PARSE_TYPE', 'symbol keys are not JSON');
            if (FORBIDDEN_KEYS.has(key))
              throw new PassportError('ERR_PARSE_FORBIDDEN_KEY', `the key ${key} is not accepted`);
            if (hasLoneSurrogate(key))
              throw new PassportError('ERR_PARSE_STRING', 'a key holds a lone surrogate');
            walk((v as Record<string, unknown>)[key], depth + 1);
          }
        }
        stack.delete(v);
        return;
      }
      default:
        throw new PassportError('ERR_PARSE_TYPE', `a ${typeof v} is not JSON`);
    }
  };
  walk(value, 0);
}

/** The RFC 8785 canonical form of a JSON value. */
export function canonicalize(value: unknown): string {
  assertJcsSafe(value);
  const out = canonicalizeJcs(value);
  if (typeof out !== 'string') throw new PassportError('ERR_PARSE_TYPE', 'the value has no JSON form');
  return out;
}

const encoder = new TextEncoder();

/** The UTF-8 bytes of the RFC 8785 canonical form. */
export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalize(value));
}
