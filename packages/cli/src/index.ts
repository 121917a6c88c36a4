// SPDX-License-Identifier: Apache-2.0

export { runDemo } from './demo.js';
export type { ExitCode } from './exit-codes.js';
export { EXIT, exitCodeFor } from './exit-codes.js';
export { buildProgram, main } from './main.js';
export { serveFolder } from './serve.js';
