// SPDX-License-Identifier: Apache-2.0
// The README walkthrough, quoted verbatim from walkthrough.ts and run: a real MCP server and
// client (official SDK) on 127.0.0.1, both doors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const source = readFileSync(join(import.meta.dirname, 'walkthrough.ts'), 'utf8');
const quoted = source.slice(source.indexOf('// README:begin\n') + 16, source.indexOf('// README:end'));

describe('README walkthrough', () => {
  it('quotes walkthrough.ts verbatim', () => {
    expect(quoted.length).toBeGreaterThan(1000);
    expect(readme).toContain(quoted);
  });

  it('runs: search listed and called, refund refused, the OAuth door works', async () => {
    const { agent, found, listed, refund, viaToken } = await import('./walkthrough.js');
    expect(listed).toEqual(['search']);
    expect(found.content).toEqual([{ type: 'text', text: `late deliveries: 3 orders (for ${agent.did})` }]);
    expect((refund as { data?: { status?: number } }).data?.status).toBe(403);
    expect(viaToken.content).toEqual([{ type: 'text', text: `refunds: 3 orders (for ${agent.did})` }]);
  });
});
