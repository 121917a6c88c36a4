// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassportError } from '@agent-passport/core';
import { parseJson } from '@agent-passport/strict-json';

/** Read and strictly parse a JSON file given by the user; '-' reads standard input. */
export function readJsonFile(path: string, maxBytes = 1024 * 1024): unknown {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (cause) {
    throw new PassportError('ERR_PARSE_JSON', `cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  return parseJson(text, { maxBytes });
}

/** Write a file atomically (temp file, fsync, rename) with the given mode. */
export function writeFileAtomic(path: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export const toJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
