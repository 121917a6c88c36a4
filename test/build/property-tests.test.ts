// SPDX-License-Identifier: Apache-2.0
// Property tests (fast-check) do a fixed amount of work and print their seed on failure (fast-check's
// own message: "{ seed: …, path: … }"); they never race a wall clock, which only fails them on a
// loaded machine. Every `fc.assert` states its `numRuns`, and the test around it lifts the timeout.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name === 'dist') return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? testFiles(path) : e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Each fast-check assertion with the text of its call and the `it(` line that encloses it. */
function properties(source: string): { call: string; test: string }[] {
  const out: { call: string; test: string }[] = [];
  for (const match of source.matchAll(/fc\.assert\(\s*fc\./g)) {
    const at = match.index;
    let depth = 0;
    let end = at + 'fc.assert'.length;
    for (; end < source.length; end++) {
      if (source[end] === '(') depth++;
      else if (source[end] === ')' && --depth === 0) break;
    }
    const before = source.slice(0, at);
    const testAt = Math.max(before.lastIndexOf('\n  it('), before.lastIndexOf('\n  test('));
    out.push({ call: source.slice(at, end + 1), test: source.slice(testAt, source.indexOf('=>', testAt)) });
  }
  return out;
}

describe('property tests', () => {
  const files = [...testFiles(join(root, 'packages')), ...testFiles(join(root, 'test'))];
  const found = files.flatMap((f) =>
    properties(readFileSync(f, 'utf8')).map((p) => ({ ...p, file: relative(root, f) })),
  );

  it('are found', () => expect(found.length).toBeGreaterThanOrEqual(14));

  it.each(found.map((p) => [p.file, p]))('%s: fixed numRuns, no tight wall-clock limit', (_f, p) => {
    expect(p.call, 'numRuns').toMatch(/numRuns: \d/);
    expect(p.call, 'no time budget').not.toMatch(/interruptAfterTimeLimit|timeout:/);
    const timeout = /timeout: ([\d_]+)/.exec(p.test)?.[1];
    expect(timeout, `the test around it sets { timeout: 0 } (or ≥ 10 minutes): ${p.test}`).toBeDefined();
    const ms = Number(timeout!.replaceAll('_', ''));
    expect(ms === 0 || ms >= 600_000).toBe(true);
  });
});
