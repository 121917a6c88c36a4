// SPDX-License-Identifier: Apache-2.0
// The shared helpers: the ordered-checks runner, the bounded cache, JSON object checks, deep
// freezing and key history.
import { describe, expect, it } from 'vitest';
import {
  assertKeyValidAt,
  CheckFailure,
  createBoundedCache,
  deepFreeze,
  failIf,
  failUnless,
  isObject,
  runChecks,
} from '../src/index.js';

describe('runChecks', () => {
  it('runs in order, stops at the first failure and lists the rest as skipped', async () => {
    const ran: string[] = [];
    const r = await runChecks([
      ['a', () => void ran.push('a')],
      ['b', async () => failIf(true, 'ERR_EXPIRED', 'too late')],
      ['c', () => void ran.push('c')],
    ]);
    expect(ran).toEqual(['a']);
    expect(r.checks).toEqual([
      { name: 'a', ok: true },
      { name: 'b', ok: false, code: 'ERR_EXPIRED', message: 'too late' },
      { name: 'c', ok: false, skipped: true },
    ]);
    expect(r.errors).toEqual([{ code: 'ERR_EXPIRED', message: 'too late' }]);
  });
  it('turns an unexpected exception into ERR_VERIFIER_INTERNAL, never a throw', async () => {
    const r = await runChecks([
      [
        'x',
        () => {
          throw new Error('bug');
        },
      ],
    ]);
    expect(r.errors[0]?.code).toBe('ERR_VERIFIER_INTERNAL');
  });
  it('failUnless narrows what it asserts', () => {
    const value: unknown = { a: 1 };
    failUnless(isObject(value), 'ERR_PARSE_TYPE', 'not an object');
    expect(value['a']).toBe(1);
    expect(() => failUnless(false, 'ERR_PARSE_TYPE', 'no')).toThrow(CheckFailure);
  });
});

describe('createBoundedCache', () => {
  it('forgets the oldest entry when full; capacity 0 remembers nothing', () => {
    const c = createBoundedCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    c.set('a', 3);
    c.set('c', 4);
    expect([c.get('a'), c.get('b'), c.get('c'), c.size]).toEqual([undefined, 2, 4, 2]);
    const none = createBoundedCache<string, number>(0);
    none.set('a', 1);
    expect(none.get('a')).toBeUndefined();
    expect(() => createBoundedCache(-1)).toThrow(RangeError);
  });
});

describe('isObject and deepFreeze', () => {
  it('isObject accepts plain objects only', () => {
    expect([isObject({}), isObject([]), isObject(null), isObject('x')]).toEqual([true, false, false, false]);
  });
  it('deepFreeze freezes everything reachable', () => {
    const v = deepFreeze({ a: { b: [1, { c: 2 }] } });
    expect(Object.isFrozen(v.a.b[1])).toBe(true);
  });
});

describe('assertKeyValidAt', () => {
  const method = {
    id: 'did:web:a.example#k',
    type: 'Multikey' as const,
    controller: 'did:web:a.example',
    publicKeyMultibase: 'z6Mk',
  };
  it('a retired key vouches up to its retirement; a compromised one for nothing after', () => {
    const retired = { ...method, retired: '2026-01-01T00:00:00Z' };
    expect(() => assertKeyValidAt(retired, '2025-12-31T00:00:00Z')).not.toThrow();
    expect(() => assertKeyValidAt(retired, '2026-01-02T00:00:00Z')).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_RETIRED' }),
    );
    const revoked = { ...method, revoked: '2026-01-01T00:00:00Z' };
    expect(() => assertKeyValidAt(revoked, '2026-01-01T00:00:00Z')).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_COMPROMISED' }),
    );
  });
});
