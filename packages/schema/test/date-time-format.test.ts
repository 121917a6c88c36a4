// SPDX-License-Identifier: Apache-2.0
// The `date-time` format of the generated validators (src/internal/date-time-format.ts) against its
// reference, ajv-formats' full `date-time`: the same verdict for every date-time shape (each field
// from 00 to 99, years across the leap rules, fractions of 0 to 10 digits, every zone, every
// separator, leap seconds), every calendar day of the leap-rule years, and arbitrary strings; and the
// generated passport validator against Ajv compiling the schema with ajv-formats itself, on
// passports whose dates are those strings (the same verdict and first error).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGENT_PASSPORT_SCHEMA_JSON } from '../src/generated.js';
import { isDateTime, referenceDateTime } from '../src/internal/date-time-format.js';
import { validate as generatedPassport } from '../src/validate-generated.js';

const require = createRequire(import.meta.url);
const pad = (n: number, width: number) => String(n).padStart(width, '0');

const field = (max: number) => fc.integer({ min: 0, max });
const dateTimeShape = fc
  .record({
    year: fc.oneof(field(9999), fc.constantFrom(0, 1900, 2000, 2023, 2024, 2100, 2400)),
    month: field(99),
    day: field(99),
    separator: fc.constantFrom('T', 't', ' ', '_'),
    hour: fc.oneof(field(99), fc.constantFrom(0, 23, 24)),
    minute: fc.oneof(field(99), fc.constantFrom(0, 59, 60)),
    second: fc.oneof(field(99), fc.constantFrom(0, 59, 60, 61)),
    fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{1,10}$/), fc.constant('.')),
    zone: fc.oneof(
      fc.constantFrom('Z', 'z', '', '+00:00', '-00:00', '+0100', '+01'),
      fc
        .record({ sign: fc.constantFrom('+', '-'), h: field(99), m: field(99) })
        .map(({ sign, h, m }) => `${sign}${pad(h, 2)}:${pad(m, 2)}`),
    ),
  })
  .map(
    (f) =>
      `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}${f.separator}${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}${f.fraction}${f.zone}`,
  );

/** Every calendar day (and the days around the month ends) of years across the leap rules. */
function calendar(): string[] {
  const out: string[] = [];
  for (const year of [0, 1900, 2000, 2023, 2024, 2100, 2400, 9999])
    for (let month = 0; month <= 13; month++)
      for (let day = 0; day <= 32; day++)
        out.push(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T12:00:00Z`);
  return out;
}

const LEAP_SECONDS = [
  '2016-12-31T23:59:60Z',
  '2016-12-31T23:59:60.5Z',
  '2017-01-01T00:59:60+01:00',
  '2016-12-31T22:59:60-01:00',
  '2016-12-31T23:58:60Z',
  '2016-12-31T22:59:60Z',
  '2016-12-31T23:59:61Z',
  '2016-12-31T23:29:60-00:30',
  '2017-01-01T00:29:60+00:30',
];

describe('the date-time format', () => {
  it('gives the reference verdict for every date-time shape', { timeout: 0 }, () => {
    fc.assert(
      fc.property(dateTimeShape, (s) => isDateTime(s) === referenceDateTime.validate(s)),
      { numRuns: 20_000, seed: 33 },
    );
  });

  it('gives the reference verdict for every calendar day and leap second', () => {
    for (const s of [...calendar(), ...LEAP_SECONDS])
      expect(isDateTime(s), s).toBe(referenceDateTime.validate(s));
    // The corpus holds both verdicts, on the fast path and off it.
    expect(calendar().filter(isDateTime).length).toBeGreaterThan(2000);
    expect(LEAP_SECONDS.filter(isDateTime).length).toBeGreaterThan(2);
  });

  it('gives the reference verdict for arbitrary strings', { timeout: 0 }, () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        (s) => isDateTime(s) === referenceDateTime.validate(s),
      ),
      { numRuns: 5_000, seed: 34 },
    );
  });

  it('leaves the generated passport validator as Ajv with ajv-formats compiles it', { timeout: 0 }, () => {
    const Ajv2020 = require('ajv/dist/2020').default;
    const addFormats = require('ajv-formats').default;
    const ajv = new Ajv2020({ strict: true, strictTuples: false, allErrors: false, allowUnionTypes: true });
    addFormats(ajv, ['date-time']);
    const reference = ajv.compile(AGENT_PASSPORT_SCHEMA_JSON);
    const generated = generatedPassport as unknown as typeof reference;
    const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures');
    const passport = JSON.parse(readFileSync(join(fixtures, 'passport.valid.json'), 'utf8'));
    const verdict = (v: typeof reference, data: unknown) =>
      v(data)
        ? 'ok'
        : JSON.stringify(
            (v.errors ?? []).map((e: { instancePath: string; keyword: string; message?: string }) => [
              e.instancePath,
              e.keyword,
              e.message,
            ]),
          );
    const strings = [
      ...calendar(),
      ...LEAP_SECONDS,
      ...fc.sample(dateTimeShape, { numRuns: 3_000, seed: 35 }),
    ];
    for (const s of strings)
      for (const key of ['validFrom', 'validUntil']) {
        const doc = { ...passport, [key]: s };
        expect(verdict(generated, doc), s).toBe(verdict(reference, doc));
      }
  });
});
