// SPDX-License-Identifier: Apache-2.0
// A fetch-style handler serving the built folder under a base path (default /inspect), GET and
// HEAD only, the three files of the folder and nothing else, each with the strict policy of
// csp.ts. Without a folder of its own it uses the package's, built on first request when absent.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectorCsp } from './csp.js';
import { buildInspector, DEFAULT_SITE_DIR, SITE_FILES } from './site.js';

export interface InspectorOptions {
  /** The built folder (default: the package's dist/site, built on the first request if missing). */
  readonly root?: string;
  /** The path the page lives under (default /inspect). */
  readonly basePath?: string;
  /**
   * Whether a user may turn on did:web fetching (default true): the page loaded as `?did-web` is
   * served with `connect-src https:` and says so; every other load has `connect-src 'none'`.
   */
  readonly allowDidWebFetch?: boolean;
}

export type FetchHandler = (request: Request) => Promise<Response>;

const TYPES: Record<(typeof SITE_FILES)[number], string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

/** The folder's files, read once. */
async function loadFiles(options: InspectorOptions): Promise<Map<string, Uint8Array>> {
  const root = options.root ?? DEFAULT_SITE_DIR;
  if (options.root === undefined && !existsSync(join(root, 'index.html'))) await buildInspector(root);
  const files = new Map<string, Uint8Array>();
  for (const name of SITE_FILES) files.set(name, readFileSync(join(root, name)));
  return files;
}

/** index.html telling the page whether did:web fetching is off (offered), on, or never offered. */
function withDidWebMode(html: Uint8Array, mode: 'off' | 'on' | 'never'): Uint8Array {
  const text = new TextDecoder().decode(html);
  return new TextEncoder().encode(
    text.replace('name="did-web-fetch" content="off"', `name="did-web-fetch" content="${mode}"`),
  );
}

/** The path under the base (the base itself included), or undefined when not for the page. */
export function pagePath(pathname: string, basePath = '/inspect'): string | undefined {
  if (pathname === basePath) return '';
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length + 1) : undefined;
}

/** Serve the inspector page under `basePath`. */
export function createInspectorHandler(options: InspectorOptions = {}): FetchHandler {
  const base = options.basePath ?? '/inspect';
  const allowed = options.allowDidWebFetch !== false;
  let files: Promise<Map<string, Uint8Array>> | undefined;
  const headers = (type: string, didWeb = false) => ({
    'content-type': type,
    'content-security-policy': inspectorCsp(didWeb),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': 'no-cache',
  });
  return async (request) => {
    const text = (status: number, body: string, extra: Record<string, string> = {}) =>
      new Response(request.method === 'HEAD' ? null : body, {
        status,
        headers: { ...headers('text/plain; charset=utf-8'), ...extra },
      });
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return text(405, 'method not allowed', { allow: 'GET, HEAD' });
    const url = new URL(request.url);
    const pathname = url.pathname;
    // The user asked for did:web fetching (a button of the page reloads it so), if allowed.
    const didWeb = allowed && url.searchParams.has('did-web');
    // Relative asset URLs need the trailing slash.
    if (pathname === base) return text(308, `${base}/`, { location: `${base}/` });
    const path = pagePath(pathname, base);
    if (path === undefined) return text(404, 'not found');
    const name = (path === '' ? 'index.html' : path) as (typeof SITE_FILES)[number];
    if (!SITE_FILES.includes(name)) return text(404, 'not found');
    files ??= loadFiles(options);
    let loaded: Map<string, Uint8Array>;
    try {
      loaded = await files;
    } catch {
      files = undefined;
      return text(503, 'the inspector page is not built: run npm run build -w packages/inspector');
    }
    let body = loaded.get(name) as Uint8Array;
    if (name === 'index.html') body = withDidWebMode(body, didWeb ? 'on' : allowed ? 'off' : 'never');
    return new Response(request.method === 'HEAD' ? null : (body as BodyInit), {
      status: 200,
      headers: headers(TYPES[name], didWeb),
    });
  };
}
