// SPDX-License-Identifier: Apache-2.0
// The Node back-end of the GZIP seam (`#gzip`): node:zlib, with inflation capped while it runs.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Gunzip, Gzip } from './types.js';

export const gzip: Gzip = (bytes) => gzipSync(bytes, { level: 9 });

export const gunzip: Gunzip = (gz, maxBytes) => {
  try {
    return gunzipSync(gz, { maxOutputLength: maxBytes });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return 'too-large';
    throw cause;
  }
};
