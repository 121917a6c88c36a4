// SPDX-License-Identifier: Apache-2.0
// The home's signed status lists: signed afresh from the issuer state whenever it changes, kept in
// the home's status folder (what `verify` reads for this home's organisation).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Signer } from '@agent-passport/core';
import type { Home } from './home.js';
import { readJsonFile, toJson, writeFileAtomic } from './internal/files.js';
import { MAX_STATUS_LIST_BYTES } from './limits.js';
import type { OrgRecord } from './org-record.js';

/** Sign every status list as the state has it now and keep them in the home's status folder. */
export async function refreshStatusLists(
  home: Home,
  record: OrgRecord,
  signer: Signer,
  now = new Date(),
  validForMs?: number,
) {
  const state = await home.issuerState(record);
  if (state === undefined) return [];
  const lists = await state.issueLists({
    signer,
    now,
    ...(validForMs === undefined ? {} : { validForMs }),
  });
  for (const l of lists) {
    const [purpose, n] = new URL(l.url).pathname.split('/').slice(-2);
    writeFileAtomic(join(home.statusDir, purpose as string, `${n}.json`), toJson(l.credential));
  }
  return lists;
}

/** The signed status lists kept in a folder (this home's, refreshed by issue/revoke/publish). */
export function listsIn(dir: string): unknown[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readJsonFile(join(dir, f), MAX_STATUS_LIST_BYTES));
}
