// SPDX-License-Identifier: Apache-2.0
// Gathering what goes into a bundle: from an issuer's publish folder on disk (what
// `agent-passport publish` writes), or from the web with the hardened did:web resolver and fetcher.
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { isObject, type JsonObject as Json, PassportError } from '@agent-passport/core';
import { isDidKey, resolveDidKey } from '@agent-passport/did-key';
import {
  createDidWebResolver,
  createHardenedFetcher,
  type DidWebResolverOptions,
  didWebToUrl,
  validateDidDocument,
} from '@agent-passport/did-web';
import { parseJson } from '@agent-passport/strict-json';
import type { BundledIssuer } from './bundle.js';
import { issuerFileUrl, SCHEMA_FILE, STATUS_INDEX_FILE, type StatusIndex } from './locations.js';

function checkIndex(index: unknown, where: string): StatusIndex {
  if (
    !isObject(index) ||
    typeof index['issuer'] !== 'string' ||
    !Array.isArray(index['statusLists']) ||
    !index['statusLists'].every((u) => typeof u === 'string' && u.startsWith('https://'))
  )
    throw new PassportError('ERR_BUNDLE_INVALID', `${where} is not a status index {issuer, statusLists}`);
  return index as unknown as StatusIndex;
}

/** The file of `dir` that serves `url`'s path (a publish folder mirrors the site). */
function fileFor(dir: string, url: URL): string {
  const file = normalize(join(dir, decodeURIComponent(url.pathname)));
  if (!file.startsWith(normalize(dir) + sep))
    throw new PassportError('ERR_BUNDLE_INVALID', `${url.href} escapes the publish folder`);
  return file;
}

function readJson(file: string): unknown {
  if (!existsSync(file))
    throw new PassportError('ERR_BUNDLE_INVALID', `${file} is missing from the publish folder`);
  return parseJson(readFileSync(file), { maxBytes: 8 * 1024 * 1024 });
}

/**
 * Collect an issuer from its publish folder: the status index in `.well-known/` names the issuer;
 * its DID document (did:web) sits where its URL maps, status lists at their URL paths.
 */
export function collectFromPublishFolder(dir: string): BundledIssuer {
  const index = checkIndex(readJson(join(dir, '.well-known', STATUS_INDEX_FILE)), STATUS_INDEX_FILE);
  const did = index.issuer;
  let didDocument: BundledIssuer['didDocument'];
  let base: URL;
  if (isDidKey(did)) {
    didDocument = resolveDidKey(did);
    base = new URL('https://localhost/.well-known/');
  } else {
    base = didWebToUrl(did);
    didDocument = validateDidDocument(did, readJson(fileFor(dir, base)));
  }
  const schema = readJson(fileFor(dir, new URL(SCHEMA_FILE, base)));
  const statusLists = index.statusLists.map((u) => readJson(fileFor(dir, new URL(u))) as Json);
  return { id: did, didDocument, statusLists, schema: schema as Json };
}

/** Collect a did:web issuer over HTTPS with the hardened resolver and fetcher. */
export async function collectFromWeb(
  did: string,
  options: DidWebResolverOptions = {},
): Promise<BundledIssuer> {
  if (!did.startsWith('did:web:'))
    throw new PassportError('ERR_DID_METHOD_UNSUPPORTED', 'only did:web issuers can be fetched');
  const didDocument = await createDidWebResolver(options).resolve(did);
  const fetcher = createHardenedFetcher({ maxBytes: 8 * 1024 * 1024, ...options });
  const index = checkIndex(await fetcher.fetchJson(issuerFileUrl(did, STATUS_INDEX_FILE)), STATUS_INDEX_FILE);
  if (index.issuer !== did)
    throw new PassportError('ERR_BUNDLE_INVALID', `the status index is for ${index.issuer}, not ${did}`);
  const schema = await fetcher.fetchJson(issuerFileUrl(did, SCHEMA_FILE));
  const statusLists: Json[] = [];
  for (const url of index.statusLists) statusLists.push((await fetcher.fetchJson(url)) as Json);
  return { id: did, didDocument, statusLists, schema: schema as Json };
}
