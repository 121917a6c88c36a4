// SPDX-License-Identifier: Apache-2.0
// Files named on the command line: a size limit checked before reading (stat, then a bounded read,
// so a 200 MB file or /dev/zero is refused without being read), a code for each way it can fail.
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PassportError } from '@agent-passport/core';
import { writeAtomic } from '@agent-passport/keystore';
import { parseJson } from '@agent-passport/strict-json';
import { MAX_DOCUMENT_BYTES } from '../limits.js';
import type { Out } from '../output.js';

const KiB = (n: number) => `${Math.round(n / 1024)} KiB`;

function tooLarge(path: string, maxBytes: number): PassportError {
  return new PassportError('ERR_PARSE_SIZE', `${path} is larger than ${KiB(maxBytes)}, the limit for it`);
}

/** The error for a file that could not be opened or read. */
export function fileError(path: string, cause: unknown): PassportError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new PassportError('ERR_FILE_NOT_FOUND', `${path} does not exist`, { cause });
  const why = code === 'EISDIR' ? 'it is a folder' : ((cause as Error)?.message ?? String(cause));
  return new PassportError('ERR_FILE_UNREADABLE', `cannot read ${path}: ${why}`, { cause });
}

/** Read at most `maxBytes` of a file; larger files are refused before any byte is read. */
export function readBounded(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    if (stats.size > maxBytes) throw tooLarge(path, maxBytes);
    fd = openSync(path, 'r');
  } catch (cause) {
    throw cause instanceof PassportError ? cause : fileError(path, cause);
  }
  try {
    // Devices and growing files report a size that says nothing: read one byte past the limit.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) throw tooLarge(path, maxBytes);
    }
    return buffer.subarray(0, length);
  } catch (cause) {
    throw cause instanceof PassportError ? cause : fileError(path, cause);
  } finally {
    closeSync(fd);
  }
}

/** Read standard input up to `maxBytes`; stops reading (and refuses) at the first byte beyond. */
export async function readStdin(maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of process.stdin) {
    length += (chunk as Buffer).length;
    if (length > maxBytes) {
      process.stdin.destroy();
      throw tooLarge('standard input', maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Read and strictly parse a JSON file (never more than `maxBytes`). */
export function readJsonFile(path: string, maxBytes = MAX_DOCUMENT_BYTES): unknown {
  return parseJson(new Uint8Array(readBounded(path, maxBytes)), { maxBytes });
}

/** A JSON input given by the user: a file, or '-' for standard input. */
export async function readJsonInput(path: string, maxBytes = MAX_DOCUMENT_BYTES): Promise<unknown> {
  if (path !== '-') return readJsonFile(path, maxBytes);
  return parseJson(new Uint8Array(await readStdin(maxBytes)), { maxBytes });
}

/** Read a text file (PEM certificates and keys), bounded like every other input. */
export function readTextFile(path: string, maxBytes = MAX_DOCUMENT_BYTES): string {
  return readBounded(path, maxBytes).toString('utf8');
}

/** Write a file atomically (temp file, fsync, rename, fsync of the folder) with the given mode. */
export function writeFileAtomic(path: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  writeAtomic(path, dirname(path), content, mode);
}

export const toJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * A document a verb produced: written to `--out` when given (first, so that a failed write is the
 * one outcome reported), then the --json document, else the document itself on stdout.
 */
export function emit(out: Out, path: string | undefined, value: unknown): void {
  if (path !== undefined) writeFileAtomic(resolve(path), toJson(value));
  out.data(value);
  if (path !== undefined) out.line(`written to ${path}`);
  else if (!out.json) process.stdout.write(toJson(value));
}
