// SPDX-License-Identifier: Apache-2.0
// The README walkthrough, exactly as quoted, run over real HTTP on 127.0.0.1: its output must be
// what the README says it prints.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const dir = join(import.meta.dirname, '..');
const readme = readFileSync(join(dir, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({
  lang: m[1],
  code: m[2] as string,
}));
const program = join(dir, 'test', 'readme-walkthrough.generated.ts');
afterAll(() => rmSync(program, { force: true }));

describe('README walkthrough', () => {
  it('runs as quoted and prints what it says', async () => {
    const ts = blocks.filter((b) => b.lang === 'ts');
    expect(ts).toHaveLength(1);
    writeFileSync(program, ts[0]?.code as string);
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
    try {
      await import(program);
    } finally {
      log.mockRestore();
    }
    const printed = (blocks.find((b) => b.lang === 'text')?.code ?? '').trim().split('\n');
    expect(lines).toHaveLength(printed.length);
    // The session call prints the agent's did:key, abridged in the README.
    const at = printed.findIndex((l) => l.startsWith('200 '));
    expect(printed[at]).toMatch(/^200 \{ agent: 'did:key:z6Mk…' \}$/);
    expect(lines[at]).toMatch(/^200 \{"agent":"did:key:z6Mk\w+"\}$/);
    expect([...lines.slice(0, at), ...lines.slice(at + 1)]).toEqual([
      ...printed.slice(0, at),
      ...printed.slice(at + 1),
    ]);
  });
});
