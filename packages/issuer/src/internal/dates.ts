// SPDX-License-Identifier: Apache-2.0
import { DATE_TIME_STAMP, formatDateTime, PassportError } from '@agent-passport/core';

/** A Date or a dateTimeStamp string, as a dateTimeStamp string; anything else is ERR_DATE_INVALID. */
export function toDateTime(value: Date | string, name: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new PassportError('ERR_DATE_INVALID', `${name} is an invalid Date`);
    return formatDateTime(value);
  }
  if (typeof value !== 'string') throw new TypeError(`${name} must be a Date or a date-time string`);
  if (!DATE_TIME_STAMP.test(value) || Number.isNaN(Date.parse(value))) {
    throw new PassportError('ERR_DATE_INVALID', `${name} must be an RFC 3339 date-time with an offset`);
  }
  return value;
}
