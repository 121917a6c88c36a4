// SPDX-License-Identifier: Apache-2.0
import { PassportError } from '@agent-passport/core';

/** RFC 3339 date-time with an explicit offset (VCDM 2.0 §4.9 dateTimeStamp). */
export const DATE_TIME_STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** A Date or a dateTimeStamp string, as a dateTimeStamp string; anything else is ERR_DATE_INVALID. */
export function toDateTime(value: Date | string, name: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new PassportError('ERR_DATE_INVALID', `${name} is an invalid Date`);
    return value.toISOString().replace(/\.000Z$/, 'Z');
  }
  if (typeof value !== 'string') throw new TypeError(`${name} must be a Date or a date-time string`);
  if (!DATE_TIME_STAMP.test(value) || Number.isNaN(Date.parse(value))) {
    throw new PassportError('ERR_DATE_INVALID', `${name} must be an RFC 3339 date-time with an offset`);
  }
  return value;
}
