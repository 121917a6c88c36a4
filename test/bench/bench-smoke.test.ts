// SPDX-License-Identifier: Apache-2.0
// Not a timed test: the benchmark runs with tiny iteration counts only to prove it still works
// and still writes its machine-readable result. Its numbers are not asserted.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('npm run bench (smoke)', () => {
  it('prints every figure as a ratio to a raw Ed25519 verify and writes JSON', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'bench.mjs'), '--smoke'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('× raw verify');
    const result = JSON.parse(readFileSync(join(root, 'bench-results', 'smoke.json'), 'utf8')) as {
      rows: { name: string; ratio: number }[];
      sizes: Record<string, number>;
      batch: { perSecondOneThread: number; perSecondAllCores: number };
      cli: { name: string; ratio: number }[];
    };
    expect(result.rows.map((x) => x.name)).toEqual(
      expect.arrayContaining([
        'raw Ed25519 verify (baseline)',
        'verify a passport (cold)',
        'verify a presentation (cold)',
        'verify a signed request (memory store)',
        'verify a depth-2 delegated request (cold)',
        'verify a depth-2 delegated request again (cached)',
        'MCP gate overhead, signed call (difference of medians)',
        'MCP gate overhead, access token (difference of medians)',
      ]),
    );
    for (const row of result.rows) expect(Number.isFinite(row.ratio), row.name).toBe(true);
    expect(result.sizes['passportBytes']).toBeGreaterThan(500);
    expect(result.batch.perSecondOneThread).toBeGreaterThan(0);
    expect(result.batch.perSecondAllCores).toBeGreaterThan(0);
    expect(result.cli.map((x) => x.name)).toEqual([
      'node -e 0 (baseline)',
      'agent-passport --help',
      'agent-passport verify (one passport)',
    ]);
    for (const row of result.cli) expect(row.ratio, row.name).toBeGreaterThan(0);
    expect(r.stdout).toContain('× node -e 0');
  });
});
