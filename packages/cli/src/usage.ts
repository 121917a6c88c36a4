// SPDX-License-Identifier: Apache-2.0
// Usage errors and the checks on option values shared by several verbs.
import { PassportError } from '@agent-passport/core';

/** A usage error (exit 2): the command line is not one the CLI takes. */
export const usage = (message: string) => new PassportError('ERR_USAGE', message);

export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** "90d", "12h", "30m" → milliseconds. */
export function parseDuration(value: string, flag = 'a duration'): number {
  const m = /^(\d{1,5})([dhm])$/.exec(value);
  if (m === null)
    throw new PassportError(
      'ERR_DATE_INVALID',
      `${flag} is a number and a unit: 90d (days), 12h (hours) or 30m (minutes), not ${value}`,
    );
  const n = Number(m[1]);
  return n * (m[2] === 'd' ? 86_400_000 : m[2] === 'h' ? 3_600_000 : 60_000);
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 date-time with an offset (`2027-01-01T00:00:00Z`); a message saying so otherwise. */
export function parseDateTime(value: string, flag: string): Date {
  const d = new Date(value);
  if (!DATE_TIME.test(value) || Number.isNaN(d.getTime()))
    throw new PassportError(
      'ERR_DATE_INVALID',
      `${flag} ${value} is not a date-time: give RFC 3339 with a time and an offset, e.g. 2027-01-01T00:00:00Z`,
    );
  return d;
}

/** A whole number within bounds, for numeric options. */
export function integerOption(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max)
      throw usage(`${flag} is a whole number from ${min} to ${max}, not ${value}`);
    return n;
  };
}
