// SPDX-License-Identifier: Apache-2.0
/** RFC 3339 date-time with an explicit offset (VCDM 2.0 §4.9 dateTimeStamp). */
export const DATE_TIME_STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch, or undefined when `value` is not a dateTimeStamp: never NaN. */
export function parseDateTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || !DATE_TIME_STAMP.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A Date as the shortest dateTimeStamp (whole seconds lose their `.000`). */
export function formatDateTime(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}
