// SPDX-License-Identifier: Apache-2.0
// `publish --out <dir>`: the folder an issuer serves: DID document (with key history), passport
// schema, context, and the status lists signed afresh with their index.
import { resolve } from 'node:path';
import { AGENT_PASSPORT_V1_CONTEXT, CONTEXTS } from '@agent-passport/contexts';
import { didWebToUrl } from '@agent-passport/did-web';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { issuerFileUrl, SCHEMA_FILE, STATUS_INDEX_FILE } from '@agent-passport/trust-bundle';
import type { VerbContext } from '../context.js';
import { type Home, openHome, orgSigner } from '../home.js';
import { toJson, writeFileAtomic } from '../internal/files.js';
import type { OrgRecord } from '../org-record.js';
import { green } from '../output.js';
import { refreshStatusLists } from '../status-lists.js';
import { parseDuration } from '../usage.js';

type Put = (rel: string, value: unknown) => void;
const urlPath = (url: URL) => decodeURIComponent(url.pathname.slice(1));

async function putStatusLists(home: Home, record: OrgRecord, issuerDir: string, validFor: string, put: Put) {
  const validForMs = parseDuration(validFor, '--lists-valid-for');
  const { signer } = await orgSigner(home);
  const lists = await refreshStatusLists(home, record, signer, new Date(), validForMs);
  for (const l of lists) put(urlPath(new URL(l.url)), l.credential);
  put(`${issuerDir}${STATUS_INDEX_FILE}`, { issuer: record.did, statusLists: lists.map((l) => l.url) });
}

export async function run(
  { out, homeDir }: VerbContext,
  opts: { out: string; listsValidFor: string },
): Promise<void> {
  const home = openHome(homeDir);
  const record = home.readOrg();
  const dir = resolve(opts.out);
  const files: string[] = [];
  const put: Put = (rel, value) => {
    writeFileAtomic(`${dir}/${rel}`, toJson(value));
    files.push(rel);
  };
  // Issuer files sit beside the DID document (did:web) or in .well-known/ (did:key).
  const isWeb = record.did.startsWith('did:web:');
  const issuerDir = isWeb ? urlPath(issuerFileUrl(record.did, '.')) : '.well-known/';
  if (isWeb) put(urlPath(didWebToUrl(record.did)), record.didDocument);
  put(`${issuerDir}${SCHEMA_FILE}`, AGENT_PASSPORT_SCHEMA);
  put('contexts/agent-passport/v1.jsonld', CONTEXTS.get(AGENT_PASSPORT_V1_CONTEXT));
  if (record.statusBase !== undefined) await putStatusLists(home, record, issuerDir, opts.listsValidFor, put);
  out.data({ dir, files });
  out.line(`${green('✓')} published ${files.length} files to ${dir}`);
  for (const f of files) out.line(`  ${f}`);
}
