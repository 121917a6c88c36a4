// SPDX-License-Identifier: Apache-2.0
// "expires in 3 days", "expired since 2 hours": a date relative to the time verified as of.

const UNITS: readonly (readonly [string, number])[] = [
  ['year', 365 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "3 days", "1 hour", "0 seconds": the largest whole unit of `ms`. */
export function duration(ms: number): string {
  const abs = Math.abs(ms);
  for (const [unit, size] of UNITS)
    if (abs >= size || unit === 'second') {
      const n = Math.floor(abs / size);
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  return '0 seconds';
}

/** The validity line of a credential as of `now`. */
export function validityText(validFrom: unknown, validUntil: unknown, now: Date): string {
  const parts: string[] = [];
  const from = typeof validFrom === 'string' ? Date.parse(validFrom) : Number.NaN;
  const until = typeof validUntil === 'string' ? Date.parse(validUntil) : Number.NaN;
  if (!Number.isNaN(from))
    parts.push(
      from > now.getTime()
        ? `not valid until ${validFrom} (in ${duration(from - now.getTime())})`
        : `from ${validFrom}`,
    );
  if (Number.isNaN(until)) parts.push('no end date');
  else if (until <= now.getTime())
    parts.push(`expired since ${validUntil} (${duration(now.getTime() - until)} ago)`);
  else parts.push(`until ${validUntil} (expires in ${duration(until - now.getTime())})`);
  return parts.join(', ');
}
