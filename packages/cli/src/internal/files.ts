// SPDX-License-Identifier: Apache-2.0
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PassportError } from '@agent-passport/core';
import { writeAtomic } from '@agent-passport/keystore';
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

/** Write a file atomically (temp file, fsync, rename, fsync of the folder) with the given mode. */
export function writeFileAtomic(path: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  writeAtomic(path, dirname(path), content, mode);
}

export const toJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
