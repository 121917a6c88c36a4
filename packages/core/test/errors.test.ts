// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { ALL_ERROR_CODES, ERROR_CODES, isErrorCode, isPassportError, PassportError } from '../src/index.js';

describe('PassportError', () => {
  it('carries a stable code, a default message from the table and the cause', () => {
    const cause = new Error('inner');
    const err = new PassportError('ERR_KEY_LENGTH', undefined, { cause });
    expect(err.code).toBe('ERR_KEY_LENGTH');
    expect(err.message).toBe(ERROR_CODES.ERR_KEY_LENGTH);
    expect(err.cause).toBe(cause);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('PassportError');
  });

  it('serialises to code and message only (no stack, no cause)', () => {
    const err = new PassportError('ERR_PARSE_JSON', 'bad', { cause: new Error('x') });
    expect(JSON.parse(JSON.stringify(err))).toEqual({ code: 'ERR_PARSE_JSON', message: 'bad' });
  });

  it('is narrowed by isPassportError, with and without a code', () => {
    const err = new PassportError('ERR_PARSE_JSON');
    expect(isPassportError(err)).toBe(true);
    expect(isPassportError(err, 'ERR_PARSE_JSON')).toBe(true);
    expect(isPassportError(err, 'ERR_PARSE_SIZE')).toBe(false);
    expect(isPassportError(new Error('x'))).toBe(false);
    expect(isPassportError({ code: 'ERR_PARSE_JSON' })).toBe(false);
  });
});

describe('error codes', () => {
  it('are all ERR_ upper-snake strings with a description', () => {
    for (const code of ALL_ERROR_CODES) {
      expect(code).toMatch(/^ERR_[A-Z0-9_]+$/);
      expect(ERROR_CODES[code].length).toBeGreaterThan(10);
    }
  });

  it('isErrorCode accepts exactly the table, not prototype keys', () => {
    expect(isErrorCode('ERR_PARSE_JSON')).toBe(true);
    expect(isErrorCode('ERR_NOPE')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('__proto__')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});
