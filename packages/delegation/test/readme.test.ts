// SPDX-License-Identifier: Apache-2.0
// The README walkthrough, exactly as quoted, run from source (the packed run is
// test/readme/packed-examples.test.ts at the root).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const dir = join(import.meta.dirname, '.readme');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README', () => {
  it('the walkthrough runs as quoted: accepted with the chain named, then each refusal with its code, and the audit names the chain', async () => {
    expect(blocks.length).toBe(1);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'walkthrough.ts');
    writeFileSync(file, blocks[0] as string);
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(format(...args));
    });
    try {
      await import(file);
    } finally {
      log.mockRestore();
    }
    // The same expectations as the packed run (console.log's own formatting).
    const printed = lines.join('\n');
    expect(printed).toMatch(
      /^200 \{\s+principals: \[\s+'did:key:z6Mk\w+',\s+'did:key:z6Mk\w+',\s+'did:key:z6Mk\w+'\s+\]\s+\}$/m,
    );
    expect(printed).toContain('widened: ERR_DELEGATION_SCOPE_WIDENED');
    expect(printed).toMatch(/^expired parent: 401 \{[\s\S]*?code: 'ERR_EXPIRED'/m);
    expect(printed).toMatch(/^revoked planner: 401 \{[\s\S]*?code: 'ERR_REVOKED'/m);
    // The audit names the same chain as the service did.
    const chain = /^200 \{\s+principals: \[([^\]]*)\]/m.exec(printed)?.[1]?.replace(/\s+/g, ' ');
    const audited = /^audit: true accepted \[([^\]]*)\]$/m.exec(printed)?.[1]?.replace(/\s+/g, ' ');
    expect(audited).toBeDefined();
    expect(audited).toBe(chain);
  });
});
