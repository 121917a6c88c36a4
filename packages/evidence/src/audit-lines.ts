// SPDX-License-Identifier: Apache-2.0
// The log read as a stream, line by line, file after file, in batches: never all of it at once.
// Each line carries the passports it names by reference that an earlier line of the log holds (a
// passport is stored in full once per file), so that any thread can check it alone.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { LineItem } from './check-entry.js';
import { fileLines } from './line-reader.js';

/**
 * A light look at a line for the passport it holds (remembered for later lines) and the passports
 * it names by reference (its digest field, a reference header or a compact keyid) that earlier
 * lines hold; the checker parses strictly and uses only what the signatures bind.
 */
export function passportsNamed(
  line: string,
  held: Map<string, string>,
): { passports?: Record<string, string> } {
  const holds = /"passport":\{"digest":"([A-Za-z0-9+/=:_-]{1,80})","bytes":"([A-Za-z0-9_-]+)"\}/.exec(line);
  if (holds !== null) {
    if (!held.has(holds[1] as string)) held.set(holds[1] as string, holds[2] as string);
    return {};
  }
  const named: Record<string, string> = {};
  for (const [ref] of line.matchAll(/sha-256=:[A-Za-z0-9+/]{43}=:/g)) {
    const bytes = held.get(ref);
    if (bytes !== undefined) named[ref] = bytes;
  }
  return Object.keys(named).length === 0 ? {} : { passports: named };
}

/**
 * Batches of at most `size` lines, in log order; `onBytes` hears how far the reading got. The fast
 * path reads buffers (line-reader.ts) and hands on each chunk's lines as they come; `reference`
 * reads with node:readline, line by line (the differential tests compare the two).
 */
export function lineBatches(
  files: readonly string[],
  size: number,
  onBytes: (bytes: number) => void,
  reference = false,
): AsyncGenerator<LineItem[]> {
  return reference ? readlineBatches(files, size, onBytes) : bufferBatches(files, size, onBytes);
}

async function* bufferBatches(
  files: readonly string[],
  size: number,
  onBytes: (bytes: number) => void,
): AsyncGenerator<LineItem[]> {
  const held = new Map<string, string>();
  for (const file of files) {
    let lineNo = 0;
    for await (const chunk of fileLines(file)) {
      onBytes(chunk.bytes);
      let batch: LineItem[] = [];
      for (const line of chunk.lines) {
        lineNo += 1;
        if (line.length === 0) continue;
        batch.push({ line, file, lineNo, ...passportsNamed(line, held) });
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    }
  }
}

async function* readlineBatches(
  files: readonly string[],
  size: number,
  onBytes: (bytes: number) => void,
): AsyncGenerator<LineItem[]> {
  const held = new Map<string, string>();
  for (const file of files) {
    let batch: LineItem[] = [];
    let lineNo = 0;
    const input = createReadStream(file);
    try {
      for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
        lineNo += 1;
        onBytes(Buffer.byteLength(line) + 1);
        if (line.length === 0) continue;
        batch.push({ line, file, lineNo, ...passportsNamed(line, held) });
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
    } finally {
      input.destroy();
    }
    if (batch.length > 0) yield batch;
  }
}
