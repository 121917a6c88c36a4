// SPDX-License-Identifier: Apache-2.0
// A key store's plaintext index (index.json): the public data of every key file, for listing keys
// without a passphrase. The key files are the truth; the index is rebuilt from them after each save.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson } from '@agent-passport/strict-json';
import { writeAtomic } from './atomic-file.js';
import type { EncryptedKeyFile, PublicBlock } from './file-format.js';

export const KEY_SUFFIX = '.key.json';

export interface PublicKeyInfo {
  readonly label: string;
  readonly type: string;
  readonly did: string;
  readonly publicKeyMultibase: string;
  readonly createdAt: string;
}

/** What a key file's public block tells about the key labelled `label`. */
export function publicKeyInfo(label: string, p: PublicBlock): PublicKeyInfo {
  return {
    label,
    type: p.type,
    did: p.did,
    publicKeyMultibase: p.publicKeyMultibase,
    createdAt: p.createdAt,
  };
}

/** The public data of every readable key file in `dir`, by label. */
export function scanKeys(dir: string): PublicKeyInfo[] {
  if (!existsSync(dir)) return [];
  const out: PublicKeyInfo[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(KEY_SUFFIX) || name.startsWith('.')) continue;
    try {
      const file = parseJson(readFileSync(join(dir, name))) as EncryptedKeyFile;
      out.push(publicKeyInfo(name.slice(0, -KEY_SUFFIX.length), file.public));
    } catch {
      // an unreadable file is not listed; load() reports its code
    }
  }
  return out;
}

/**
 * Rewrite index.json from the files. Another process may replace it with an older scan at the same
 * moment; the last writer rescans after writing and writes again until what it wrote is current.
 */
export function writeIndex(dir: string): void {
  const indexPath = join(dir, 'index.json');
  let keys = scanKeys(dir);
  for (let i = 0; i < 10; i++) {
    const text = `${JSON.stringify({ version: 1, keys }, null, 2)}\n`;
    writeAtomic(indexPath, dir, text, 0o600);
    keys = scanKeys(dir);
    if (
      `${JSON.stringify({ version: 1, keys }, null, 2)}\n` === text &&
      readFileSync(indexPath, 'utf8') === text
    )
      return;
  }
}

/** The keys index.json lists, or (no index, or an unreadable one) the key files themselves. */
export function listKeys(dir: string): PublicKeyInfo[] {
  const index = join(dir, 'index.json');
  if (existsSync(index)) {
    try {
      return (parseJson(readFileSync(index)) as { keys: PublicKeyInfo[] }).keys;
    } catch {
      // fall back to the files themselves
    }
  }
  return scanKeys(dir);
}
