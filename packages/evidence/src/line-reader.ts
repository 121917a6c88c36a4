// SPDX-License-Identifier: Apache-2.0
// A log file's lines, read as buffers: one read per chunk, the lines of each chunk at once (no
// turn of the event loop per line). Lines end where node:readline ends them (crlfDelay: Infinity):
// at \n, \r\n or a lone \r; each line is decoded from its own bytes, the last unterminated one as
// readline's decoder leaves it. test/line-reader.test.ts holds this reader to readline on hostile
// bytes at every read boundary.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const LF = 0x0a;
const CR = 0x0d;

export interface ChunkLines {
  readonly lines: string[];
  /** Bytes of each line, its end of line counted as one (as the audit's progress counts it). */
  readonly bytes: number;
}

/** Split `buf` into complete lines; returns where the unfinished tail starts. */
function split(buf: Buffer, lines: string[], final: boolean): number {
  let start = 0;
  if (buf.indexOf(CR) === -1) {
    for (let nl = buf.indexOf(LF); nl !== -1; nl = buf.indexOf(LF, start)) {
      lines.push(buf.toString('utf8', start, nl));
      start = nl + 1;
    }
    return start;
  }
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c !== LF && c !== CR) continue;
    // A \r ending the buffer may be the first half of \r\n: decided with the next chunk.
    if (c === CR && i + 1 === buf.length && !final) break;
    lines.push(buf.toString('utf8', start, i));
    if (c === CR && buf[i + 1] === LF) i++;
    start = i + 1;
  }
  return start;
}

/** The lines of `file`, chunk by chunk (`chunkBytes`: the read size). */
export async function* fileLines(file: string, chunkBytes = 1 << 16): AsyncGenerator<ChunkLines> {
  const input = createReadStream(file, { highWaterMark: chunkBytes });
  let rest: Buffer | undefined;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      const buf = rest === undefined || rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
      const lines: string[] = [];
      const start = split(buf, lines, false);
      rest = buf.subarray(start);
      if (lines.length > 0) yield { lines, bytes: start };
    }
  } finally {
    input.destroy();
  }
  if (rest !== undefined && rest.length > 0) {
    const lines: string[] = [];
    const start = split(rest, lines, true);
    // As readline ends a file: what its decoder has written, never an unfinished UTF-8 sequence.
    const tail = new StringDecoder('utf8').write(rest.subarray(start));
    if (tail.length > 0) lines.push(tail);
    yield { lines, bytes: rest.length };
  }
}
