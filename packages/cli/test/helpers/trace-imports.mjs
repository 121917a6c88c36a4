// SPDX-License-Identifier: Apache-2.0
// Preloaded (node --import) into a CLI run: prints every module file the run loads, one
// "loaded <url>" line each on stderr, so a test can see what a verb pulls in.
import { register } from 'node:module';

const hooks = `export async function load(url, context, next) {
  if (url.startsWith('file:')) process.stderr.write('loaded ' + url + '\\n');
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
