// SPDX-License-Identifier: Apache-2.0
// The README's example is test/readme-example.ts, quoted verbatim, and it runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '..');
const between = (text: string) => /\/\/ README:begin\n([\s\S]*?)\/\/ README:end\n/.exec(text)?.[1];

describe('packages/a2a/README.md', () => {
  it('quotes test/readme-example.ts verbatim', () => {
    const example = between(readFileSync(join(dir, 'test', 'readme-example.ts'), 'utf8'));
    expect(example).toBeDefined();
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('runs: the card verifies and names the agent', async () => {
    const { result } = await import('./readme-example.js');
    expect(result.errors).toEqual([]);
    expect(result.verified).toBe(true);
  });
});
