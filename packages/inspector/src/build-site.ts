// SPDX-License-Identifier: Apache-2.0
// `node dist/build-site.js [dir]`: build the static folder (default dist/site).
import { buildInspector } from './site.js';

const dir = await buildInspector(process.argv[2]);
console.error(`inspector page built in ${dir}`);
