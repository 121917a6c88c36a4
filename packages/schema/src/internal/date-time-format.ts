// SPDX-License-Identifier: Apache-2.0
// The `date-time` format the generated validators check (scripts/ajv.mjs): ajv-formats' full
// `date-time` (RFC 3339 §5.6: a real date, hours, minutes and seconds in range or a leap second, an
// offset required), whose verdict took a split on a regular expression and two more matches per
// date. The strings of the schemas' dateTimeStamp pattern (the only ones the generated validators
// ask about: they match the pattern first) in the usual ranges get the same verdict from their
// digits; every other string, leap seconds and out-of-range fields get it from ajv-formats itself.
// A property test compares the two over every shape of date-time and arbitrary strings.
import * as ajvFormats from 'ajv-formats/dist/formats.js';

type FormatsModule = typeof import('ajv-formats/dist/formats.js');
interface StringFormat {
  readonly validate: (s: string) => boolean;
  readonly compare: (a: string, b: string) => number | undefined;
}

// A CommonJS module: its exports under `default` in Node, as named members in some bundlers.
const formats: FormatsModule = (ajvFormats as { default?: FormatsModule }).default ?? ajvFormats;
/** ajv-formats' full `date-time`: the reference. */
export const referenceDateTime = formats.fullFormats['date-time'] as StringFormat;

/** The dateTimeStamp pattern of /schemas (4-digit year, 1–9 fraction digits, `Z` or `±hh:mm`). */
const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The two decimal digits of `s` at `at` (STAMP matched: they are digits). */
const twoDigits = (s: string, at: number): number => (s.charCodeAt(at) - 48) * 10 + s.charCodeAt(at + 1) - 48;

/** RFC 3339 date-time with an offset: ajv-formats' full `date-time` verdict for every string. */
export function isDateTime(s: string): boolean {
  if (!STAMP.test(s)) return referenceDateTime.validate(s);
  const zulu = s.charCodeAt(s.length - 1) === 90; // `Z`, else `±hh:mm`
  const offsetHours = zulu ? 0 : twoDigits(s, s.length - 5);
  const offsetMinutes = zulu ? 0 : twoDigits(s, s.length - 2);
  if (twoDigits(s, 11) > 23 || twoDigits(s, 14) > 59 || twoDigits(s, 17) > 59)
    return referenceDateTime.validate(s);
  if (offsetHours > 23 || offsetMinutes > 59) return referenceDateTime.validate(s);
  const year = twoDigits(s, 0) * 100 + twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : (DAYS[month] as number));
}

/** The formats the generated validators import (`formats` of scripts/ajv.mjs). */
export default { 'date-time': { validate: isDateTime, compare: referenceDateTime.compare } };
