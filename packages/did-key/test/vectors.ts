// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const VECTORS = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'vectors');
export function vector<T>(path: string): T {
  return JSON.parse(readFileSync(join(VECTORS, path), 'utf8')) as T;
}
export const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
