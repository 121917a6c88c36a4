// SPDX-License-Identifier: Apache-2.0
// `serve [dir]`: with a folder, serve that published folder; without, the VC API service.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { PassportError } from '@agent-passport/core';
import type { VerbContext } from '../context.js';
import { openHome } from '../home.js';
import { fileError, readBounded } from '../internal/files.js';
import { MAX_DOCUMENT_BYTES } from '../limits.js';
import { serveFolder } from '../serve.js';
import { type ServeApiOptions, serveApi, untilStopped } from '../serve-api.js';

/** The folder to serve: it must exist and be a folder. */
function folder(dir: string): string {
  const path = resolve(dir);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (cause) {
    throw fileError(dir, cause);
  }
  if (!isDirectory) throw new PassportError('ERR_FILE_UNREADABLE', `${dir} is a file: serve takes a folder`);
  return path;
}

export async function run({ out, homeDir }: VerbContext, dir: string | undefined, opts: ServeApiOptions) {
  // Certificate files are read by the server: check they are there first.
  for (const file of [opts.tlsCert, opts.tlsKey])
    if (file !== undefined) readBounded(file, MAX_DOCUMENT_BYTES);
  if (dir === undefined) return serveApi(openHome(homeDir), out, opts);
  const root = folder(dir);
  const server = await serveFolder(root, opts);
  out.data({ url: server.url });
  out.line(`serving ${root} at ${server.url} (Ctrl-C to stop)`);
  out.line(`  the inspector page: ${server.url}/inspect/`);
  await untilStopped(server);
}
