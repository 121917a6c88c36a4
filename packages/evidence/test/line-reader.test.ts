// SPDX-License-Identifier: Apache-2.0
// The audit's buffer line reader held to node:readline (crlfDelay: Infinity), the reference path's
// reader: the same lines, decoded the same way, whatever the bytes (\r, \r\n split across reads,
// broken UTF-8 sequences, empty lines, no final newline) and wherever the reads end.
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fileLines } from '../src/line-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'ap-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'log.jsonl');

async function byReadline(): Promise<string[]> {
  const out: string[] = [];
  const input = createReadStream(file);
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) out.push(line);
  return out;
}

async function byBuffers(chunkBytes: number): Promise<{ lines: string[]; bytes: number }> {
  const lines: string[] = [];
  let bytes = 0;
  for await (const chunk of fileLines(file, chunkBytes)) {
    lines.push(...chunk.lines);
    bytes += chunk.bytes;
  }
  return { lines, bytes };
}

/** Line breaks, ASCII, and pieces of UTF-8 sequences, whole and broken. */
const BYTES = [
  0x0a, 0x0d, 0x61, 0x7b, 0xe2, 0x82, 0xac, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80, 0xff, 0xed, 0xa0,
];

describe('the buffer line reader', () => {
  it('reads the lines readline reads, on hostile bytes and at every read boundary', {
    timeout: 0,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...BYTES), { maxLength: 60 }),
        fc.integer({ min: 1, max: 9 }),
        async (bytes, chunkBytes) => {
          writeFileSync(file, Uint8Array.from(bytes));
          const got = await byBuffers(chunkBytes);
          expect(got.lines).toEqual(await byReadline());
          expect(got.bytes).toBe(bytes.length);
        },
      ),
      { numRuns: 400, seed: 22 },
    );
  });

  it('reads a log written at once in one read, and lines longer than a read', async () => {
    writeFileSync(file, `${'x'.repeat(100)}\r\n\n${'y'.repeat(50)}\r${'z'.repeat(7)}`);
    expect((await byBuffers(16)).lines).toEqual(await byReadline());
    expect((await byBuffers(1 << 16)).lines).toEqual(['x'.repeat(100), '', 'y'.repeat(50), 'z'.repeat(7)]);
  });
});
