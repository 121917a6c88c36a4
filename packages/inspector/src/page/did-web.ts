// SPDX-License-Identifier: Apache-2.0
// Only when the operator enabled it and the user asks: fetch a did:web document over HTTPS from the
// browser (no redirects, no cookies, a size cap), and validate it as the verifier validates pinned
// documents. The host must allow the page's origin (CORS).
import { didWebToUrl, validateDidDocument } from '@agent-passport/did-web/document';
import { parseJson } from '@agent-passport/strict-json';

const MAX_BYTES = 64 * 1024;

export async function fetchDidWeb(did: string): Promise<{ url: string; document: unknown }> {
  const url = didWebToUrl(did);
  const response = await fetch(url, {
    redirect: 'error',
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
  if (response.status !== 200) throw new Error(`${url.href} answered ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_BYTES) throw new Error(`${url.href}: the document is larger than ${MAX_BYTES} bytes`);
  return { url: url.href, document: validateDidDocument(did, parseJson(text) as never) };
}
